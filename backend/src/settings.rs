//! Configuration: built-in defaults, then an optional `convive.toml`, then `CONVIVE_*`
//! environment variables (nested keys joined by `__`). Loaded and validated once at start-up;
//! a bad value stops the program with a message that names the key and what it accepts.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Format, Serialized, Toml};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::Url;

mod geocoding;
mod limits;
mod maps;
mod media;

pub use geocoding::{GeocoderKind, GeocodingSettings};
pub use limits::{Budget, HttpSettings, MAX_WINDOW_SECS, RateLimitSettings};
pub use maps::MapSettings;
pub use media::{MediaSettings, MediaStorageKind, S3Settings};

/// Name of the configuration file looked for in the working directory when none is given.
pub const DEFAULT_CONFIG_FILE: &str = "convive.toml";

/// Environment variables with the `CONVIVE_` prefix that are not settings: test and benchmark
/// knobs, and the path of the file itself.
const NON_SETTING_ENV_PREFIXES: &[&str] = &["config", "test_", "bench_", "require_"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address and port the HTTP server listens on.
    pub bind: BindAddress,
    /// The address people and other instances use to reach this instance.
    pub public_url: PublicUrl,
    /// `sqlite://path?mode=rwc` or `postgres://user@host/db`.
    pub database_url: String,
    /// Connections per node; unset: [`Settings::database_connections`] picks by database.
    pub database_max_connections: Option<u32>,
    pub instance: InstanceSettings,
    pub mail: MailSettings,
    pub auth: AuthSettings,
    pub graphql: GraphqlSettings,
    pub jobs: JobSettings,
    pub federation: FederationSettings,
    pub http: HttpSettings,
    pub rate_limits: RateLimitSettings,
    pub media: MediaSettings,
    pub geocoding: GeocodingSettings,
    pub log: LogSettings,
    pub recurrence: RecurrenceSettings,
    pub maps: MapSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bind: BindAddress(SocketAddr::from(([127, 0, 0, 1], 4000))),
            public_url: PublicUrl::parse("http://localhost:4000").unwrap_or_else(|_| {
                // The literal above is valid; this arm only satisfies the type checker.
                PublicUrl(Url::from_directory_path("/").unwrap_or_else(|_| unreachable_url()))
            }),
            database_url: "sqlite://convive.db?mode=rwc".to_owned(),
            database_max_connections: None,
            instance: InstanceSettings::default(),
            mail: MailSettings::default(),
            auth: AuthSettings::default(),
            graphql: GraphqlSettings::default(),
            jobs: JobSettings::default(),
            federation: FederationSettings::default(),
            http: HttpSettings::default(),
            rate_limits: RateLimitSettings::default(),
            media: MediaSettings::default(),
            geocoding: GeocodingSettings::default(),
            log: LogSettings::default(),
            recurrence: RecurrenceSettings::default(),
            maps: MapSettings::default(),
        }
    }
}

#[allow(clippy::panic)]
fn unreachable_url() -> Url {
    panic!("built-in default URL failed to parse")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InstanceSettings {
    pub name: String,
    pub description: String,
    pub registrations_open: bool,
    /// Language of pages and mail when nothing else tells (`en` or `fr`).
    pub default_locale: String,
    /// Shown on the about page and used as the sender's reply-to when set.
    pub contact_email: Option<String>,
    /// Events lasting more whole days than this are long events (Mobilizon's activities),
    /// which lists can show apart; 0 turns the mode off.
    pub duration_of_long_event: u32,
    /// The time zone of accounts that have none (an IANA name such as `Europe/Paris`): new
    /// events' zone and the times pages show them. A browser that runs our script gives a new
    /// account its own zone instead.
    pub default_timezone: String,
    /// Whether visitors without an account may report, leaving an email address (Mobilizon's
    /// `anonymous.reports.allowed`).
    pub anonymous_reports: bool,
    /// Who may register, until an administrator chooses in the administration (which is
    /// then kept in the database): unset follows `registrations_open` (open or closed).
    pub registration_mode: Option<crate::users::registration::RegistrationMode>,
    /// In the `allowlist` mode: the email domains (`example.org`) and addresses that may
    /// register.
    pub registrations_allowlist: Vec<String>,
}

impl InstanceSettings {
    /// [`Self::default_timezone`] as a zone; UTC if it is none (refused at start-up).
    pub fn timezone(&self) -> chrono_tz::Tz {
        self.default_timezone.parse().unwrap_or(chrono_tz::UTC)
    }
}

impl Default for InstanceSettings {
    fn default() -> Self {
        Self {
            name: "Convive".to_owned(),
            description: "Events of local collectives".to_owned(),
            registrations_open: true,
            default_locale: "en".to_owned(),
            contact_email: None,
            duration_of_long_event: 0,
            default_timezone: "UTC".to_owned(),
            anonymous_reports: false,
            registration_mode: None,
            registrations_allowlist: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransportKind {
    /// Each message written as an `.eml` file in `mail.outbox_dir`.
    File,
    Smtp,
    /// Kept in memory; for tests.
    Memory,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailSettings {
    pub transport: MailTransportKind,
    /// Sender address; `noreply@<public host>` when unset.
    pub from_address: Option<String>,
    pub outbox_dir: PathBuf,
    pub smtp: SmtpSettings,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            transport: MailTransportKind::File,
            from_address: None,
            outbox_dir: PathBuf::from("mail-outbox"),
            smtp: SmtpSettings::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (required).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine.
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
    pub timeout_secs: u64,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        Self {
            host: "localhost".to_owned(),
            port: 587,
            security: SmtpSecurity::Starttls,
            username: None,
            password: None,
            timeout_secs: 30,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    /// Key that signs access tokens. Generated and stored in the database when unset.
    pub token_secret: Option<String>,
    pub access_token_minutes: i64,
    pub refresh_token_days: i64,
    pub browser_session_days: i64,
    pub min_password_length: usize,
    /// Seconds the sign-up page must have been shown before its form is accepted: people
    /// take longer to fill it in, scripts do not wait. 0 turns the delay off.
    pub sign_up_min_fill_secs: u32,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            token_secret: None,
            access_token_minutes: 15,
            refresh_token_days: 60,
            browser_session_days: 30,
            min_password_length: 8,
            sign_up_min_fill_secs: 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GraphqlSettings {
    /// Serve the GraphiQL explorer at `GET /graphql`. It loads scripts from a CDN, so it is off
    /// by default.
    pub graphiql: bool,
    /// Levels of fields, fragments expanded.
    pub max_depth: usize,
    /// Fields selected once fragments are expanded, for all the operations of a request
    /// (a batch) together.
    pub max_complexity: usize,
    /// Operations in one batched request.
    pub max_batch_operations: usize,
    pub body_limit_bytes: usize,
    /// Origins whose pages may call the API from a browser (CORS), such as
    /// `https://app.example.org`; `*` (the default, as Mobilizon) allows every origin. The API
    /// authenticates with an `Authorization` header only, never a cookie, so another origin's
    /// page acts as a user only with a token that user gave it.
    pub allowed_origins: Vec<String>,
}

impl Default for GraphqlSettings {
    fn default() -> Self {
        Self {
            graphiql: false,
            max_depth: 15,
            max_complexity: 1000,
            max_batch_operations: 10,
            body_limit_bytes: 256 * 1024,
            allowed_origins: vec!["*".to_owned()],
        }
    }
}

/// How far ahead the dates of a recurring event exist as events: up to `horizon_days` from now
/// and at most `horizon_occurrences` upcoming dates per series, whichever comes first (a
/// series without end does not fill the database); a job extends them as time passes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecurrenceSettings {
    pub horizon_days: u32,
    pub horizon_occurrences: u32,
}

impl Default for RecurrenceSettings {
    fn default() -> Self {
        Self {
            horizon_days: 183,
            horizon_occurrences: 50,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JobSettings {
    /// Run background workers in this process (several nodes may all run them).
    pub workers: bool,
    pub concurrency: usize,
    pub poll_interval_ms: u64,
    pub lease_secs: i64,
    pub shutdown_grace_secs: u64,
    /// Finished jobs are deleted after this many days; dead ones are kept until handled.
    pub keep_done_days: i64,
}

impl Default for JobSettings {
    fn default() -> Self {
        Self {
            workers: true,
            concurrency: 8,
            poll_interval_ms: 1000,
            lease_secs: 300,
            shutdown_grace_secs: 10,
            keep_done_days: 7,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FederationSettings {
    pub enabled: bool,
    /// Allow plain http and loopback or private peers. For tests and local trials only.
    pub debug: bool,
}

impl Default for FederationSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            debug: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    /// A `tracing` filter such as `info` or `info,backend=debug`; `RUST_LOG` wins when set.
    pub filter: String,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            filter: "info".to_owned(),
        }
    }
}

/// `address:port` to listen on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BindAddress(pub SocketAddr);

impl Serialize for BindAddress {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for BindAddress {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        raw.trim().parse().map(BindAddress).map_err(|_| {
            serde::de::Error::custom(format!(
                "\"{raw}\" is not an address and port; expected something like 127.0.0.1:4000 or [::1]:4000"
            ))
        })
    }
}

/// The instance's public base URL, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(Url);

impl PublicUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let url = Url::parse(raw.trim()).map_err(|_| {
            format!("\"{raw}\" is not an absolute URL; expected something like https://events.example.org")
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("\"{raw}\" must start with http:// or https://"));
        }
        if url.host_str().is_none() {
            return Err(format!("\"{raw}\" has no host name"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!("\"{raw}\" must not have a query or fragment"));
        }
        if url.path() != "/" {
            return Err(format!(
                "\"{raw}\" must not have a path: Convive is served from the root of its host"
            ));
        }
        Ok(Self(url))
    }

    pub fn url(&self) -> &Url {
        &self.0
    }

    /// `https://host[:port]` without a trailing slash, to prefix absolute paths with.
    pub fn base(&self) -> String {
        self.0.as_str().trim_end_matches('/').to_owned()
    }

    /// Builds an absolute URL from a path that starts with `/`.
    pub fn join(&self, path: &str) -> String {
        format!("{}{}", self.base(), path)
    }

    /// The host as other servers name us: host name, with the port when not the default.
    pub fn host(&self) -> String {
        let host = self.0.host_str().unwrap_or("localhost");
        match self.0.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        }
    }

    pub fn is_https(&self) -> bool {
        self.0.scheme() == "https"
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base())
    }
}

impl Serialize for PublicUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.base())
    }
}

impl<'de> Deserialize<'de> for PublicUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        PublicUrl::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// Why the configuration was refused. Displayed as is before the program exits.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("configuration file {0} not found")]
    FileNotFound(PathBuf),
    #[error("invalid configuration: {}", .0.join("\n  "))]
    Invalid(Vec<String>),
}

/// Where the settings came from, for the start-up log.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    pub config_file: Option<PathBuf>,
    /// `CONVIVE_*` variables that match no setting (probably typos).
    pub ignored_env: Vec<String>,
}

/// SQLite's default pool for a machine of `cores` cores (see [`Settings::database_connections`]).
fn sqlite_connections(cores: usize) -> u32 {
    u32::try_from(cores.saturating_mul(3)).map_or(10, |n| n.clamp(4, 10))
}

impl Settings {
    /// How many connections a node opens: the configured number, else 10 for PostgreSQL
    /// (the server does the work; connections mostly wait on the network) and, for SQLite,
    /// three per core between 4 and 10. A SQLite connection is a thread of its own running
    /// the queries, with its own page cache and allocator arena: on a 2-core machine 10 of them
    /// held ~25 MB more after the benchmark than 6 did, and read no faster.
    pub fn database_connections(&self) -> u32 {
        self.database_max_connections.unwrap_or_else(|| {
            if self.database_url.starts_with("sqlite:") {
                let cores = std::thread::available_parallelism().map_or(1, usize::from);
                sqlite_connections(cores)
            } else {
                10
            }
        })
    }

    /// Loads defaults, then `config_file` (or `./convive.toml` if it exists), then the
    /// process environment.
    pub fn load(config_file: Option<&Path>) -> Result<(Self, LoadReport), SettingsError> {
        let env: Vec<(String, String)> = std::env::vars().collect();
        Self::load_from(config_file, &env)
    }

    /// As [`Settings::load`], with the environment given explicitly (tests).
    pub fn load_from(
        config_file: Option<&Path>,
        env: &[(String, String)],
    ) -> Result<(Self, LoadReport), SettingsError> {
        let mut report = LoadReport::default();
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));

        let file = match config_file {
            Some(path) if !path.exists() => {
                return Err(SettingsError::FileNotFound(path.to_owned()));
            }
            Some(path) => Some(path.to_owned()),
            None => {
                let default = PathBuf::from(DEFAULT_CONFIG_FILE);
                default.exists().then_some(default)
            }
        };
        if let Some(path) = &file {
            figment = figment.merge(Toml::file_exact(path));
            report.config_file = Some(path.clone());
        }

        let known = Settings::top_level_keys();
        let mut setting_vars = Vec::new();
        for (name, value) in env {
            let Some(rest) = name.strip_prefix("CONVIVE_") else {
                continue;
            };
            let key = rest.to_ascii_lowercase();
            if NON_SETTING_ENV_PREFIXES
                .iter()
                .any(|prefix| key.starts_with(prefix))
            {
                continue;
            }
            let top = key.split("__").next().unwrap_or_default();
            if known.iter().any(|known| known == top) {
                setting_vars.push((key.split("__").map(str::to_owned).collect(), value.clone()));
            } else {
                report.ignored_env.push(name.clone());
            }
        }
        figment = figment.merge(EnvProvider { vars: setting_vars });

        let settings: Settings = figment
            .extract()
            .map_err(|err| SettingsError::Invalid(describe_figment_errors(err)))?;
        settings.validate().map_err(SettingsError::Invalid)?;
        Ok((settings, report))
    }

    /// The names of the settings' sections and top-level values, read from the struct itself
    /// (its serialized defaults) so that a section added later is never missing here: a
    /// hand-kept list once left out `geocoding` and `recurrence`, and their `CONVIVE_*`
    /// variables were reported as ignored.
    fn top_level_keys() -> Vec<String> {
        // Unset optional values serialize as `null`, so they are named too; the defaults
        // always serialize (a test below checks every section is there).
        match serde_json::to_value(Settings::default()) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// Checks that go beyond the type of each value.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        let url = self.database_url.as_str();
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            problems.push(format!(
                "key \"database_url\": \"{url}\" is not supported; expected sqlite://FILE?mode=rwc or postgres://USER@HOST/DATABASE"
            ));
        }
        if self.database_max_connections == Some(0) {
            problems.push("key \"database_max_connections\": must be at least 1".to_owned());
        }
        if !crate::i18n::Locale::is_supported(&self.instance.default_locale) {
            problems.push(format!(
                "key \"instance.default_locale\": \"{}\" is not available; expected one of: {}",
                self.instance.default_locale,
                crate::i18n::Locale::all_codes().join(", ")
            ));
        }
        if self
            .instance
            .default_timezone
            .parse::<chrono_tz::Tz>()
            .is_err()
        {
            problems.push(format!(
                "key \"instance.default_timezone\": \"{}\" is not a time zone; expected a name such as Europe/Paris or UTC",
                self.instance.default_timezone
            ));
        }
        for entry in &self.instance.registrations_allowlist {
            if crate::users::registration::allowlist_entry(entry).is_none() {
                problems.push(format!(
                    "key \"instance.registrations_allowlist\": \"{entry}\" is neither an email domain nor an address"
                ));
            }
        }
        if self.instance.name.trim().is_empty() {
            problems.push("key \"instance.name\": must not be empty".to_owned());
        }
        if let Some(from) = &self.mail.from_address
            && crate::users::email::normalize(from).is_err()
        {
            problems.push(format!(
                "key \"mail.from_address\": \"{from}\" is not an email address"
            ));
        }
        if self.mail.transport == MailTransportKind::Smtp && self.mail.smtp.host.trim().is_empty() {
            problems
                .push("key \"mail.smtp.host\": required when mail.transport is smtp".to_owned());
        }
        if let Some(secret) = &self.auth.token_secret
            && secret.len() < 32
        {
            problems.push(
                "key \"auth.token_secret\": must be at least 32 characters (or unset, to let Convive generate one)"
                    .to_owned(),
            );
        }
        if !(1..=24 * 60).contains(&self.auth.access_token_minutes) {
            problems
                .push("key \"auth.access_token_minutes\": expected between 1 and 1440".to_owned());
        }
        if !(1..=3650).contains(&self.auth.refresh_token_days) {
            problems
                .push("key \"auth.refresh_token_days\": expected between 1 and 3650".to_owned());
        }
        if !(1..=3650).contains(&self.auth.browser_session_days) {
            problems
                .push("key \"auth.browser_session_days\": expected between 1 and 3650".to_owned());
        }
        if !(6..=128).contains(&self.auth.min_password_length) {
            problems
                .push("key \"auth.min_password_length\": expected between 6 and 128".to_owned());
        }
        if self.graphql.max_depth == 0 || self.graphql.max_complexity == 0 {
            problems.push(
                "keys \"graphql.max_depth\" and \"graphql.max_complexity\": must be at least 1"
                    .to_owned(),
            );
        }
        if !(1..=100).contains(&self.graphql.max_batch_operations) {
            problems.push(
                "key \"graphql.max_batch_operations\": expected between 1 and 100".to_owned(),
            );
        }
        for origin in &self.graphql.allowed_origins {
            if !is_origin(origin) {
                problems.push(format!(
                    "key \"graphql.allowed_origins\": \"{origin}\" is not an origin; expected \"*\" or a scheme and host such as https://app.example.org"
                ));
            }
        }
        if self.graphql.body_limit_bytes < 1024 {
            problems.push("key \"graphql.body_limit_bytes\": must be at least 1024".to_owned());
        }
        if !(1..=3660).contains(&self.recurrence.horizon_days) {
            problems
                .push("key \"recurrence.horizon_days\": expected between 1 and 3660".to_owned());
        }
        if !(1..=1000).contains(&self.recurrence.horizon_occurrences) {
            problems.push(
                "key \"recurrence.horizon_occurrences\": expected between 1 and 1000".to_owned(),
            );
        }
        if self.jobs.concurrency == 0 || self.jobs.concurrency > 1024 {
            problems.push("key \"jobs.concurrency\": expected between 1 and 1024".to_owned());
        }
        if self.jobs.poll_interval_ms < 10 {
            problems.push("key \"jobs.poll_interval_ms\": must be at least 10".to_owned());
        }
        if self.jobs.lease_secs < 5 {
            problems.push("key \"jobs.lease_secs\": must be at least 5".to_owned());
        }
        problems.extend(self.http.problems());
        problems.extend(self.rate_limits.problems());
        problems.extend(self.media.problems());
        problems.extend(self.geocoding.problems());
        problems.extend(self.maps.problems());
        if let Err(err) = tracing_filter_is_valid(&self.log.filter) {
            problems.push(format!("key \"log.filter\": {err}"));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }

    /// The sender address of the instance's mail.
    pub fn mail_from_address(&self) -> String {
        self.mail.from_address.clone().unwrap_or_else(|| {
            let host = self.public_url.url().host_str().unwrap_or("localhost");
            format!("noreply@{host}")
        })
    }
}

fn tracing_filter_is_valid(filter: &str) -> Result<(), String> {
    // A light check: directives are `target=level` or `level`, separated by commas.
    const LEVELS: &[&str] = &["trace", "debug", "info", "warn", "error", "off"];
    for directive in filter.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        let level = directive.rsplit('=').next().unwrap_or(directive);
        if !LEVELS.contains(&level.to_ascii_lowercase().as_str()) && directive.contains('=') {
            return Err(format!(
                "\"{directive}\": expected a level among {}",
                LEVELS.join(", ")
            ));
        }
    }
    Ok(())
}

/// `CONVIVE_*` variables as a figment provider, so errors name the variable.
struct EnvProvider {
    /// Lowercased key path (split on `__`) and raw value.
    vars: Vec<(Vec<String>, String)>,
}

/// `*`, or `http(s)://host[:port]` with nothing after it, as a browser writes an `Origin`.
fn is_origin(origin: &str) -> bool {
    if origin == "*" {
        return true;
    }
    let Some(rest) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false;
    };
    !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

const ENV_PROVIDER_NAME: &str = "environment variable";

impl figment::Provider for EnvProvider {
    fn metadata(&self) -> figment::Metadata {
        figment::Metadata::named(ENV_PROVIDER_NAME).interpolater(|_, keys: &[&str]| {
            format!("CONVIVE_{}", keys.join("__").to_ascii_uppercase())
        })
    }

    fn data(
        &self,
    ) -> Result<figment::value::Map<figment::Profile, figment::value::Dict>, figment::Error> {
        use figment::value::{Dict, Value};
        fn insert(dict: &mut Dict, path: &[String], value: Value) {
            match path {
                [] => {}
                [last] => {
                    dict.insert(last.clone(), value);
                }
                [first, rest @ ..] => {
                    let entry = dict
                        .entry(first.clone())
                        .or_insert_with(|| Value::from(Dict::new()));
                    if let Value::Dict(_, inner) = entry {
                        insert(inner, rest, value);
                    } else {
                        let mut inner = Dict::new();
                        insert(&mut inner, rest, value);
                        *entry = Value::from(inner);
                    }
                }
            }
        }
        let mut dict = Dict::new();
        for (path, raw) in &self.vars {
            let value: Value = raw.parse().unwrap_or_else(|_| Value::from(raw.clone()));
            insert(&mut dict, path, value);
        }
        Ok(figment::Profile::Default.collect(dict))
    }
}

fn describe_figment_errors(err: figment::Error) -> Vec<String> {
    err.into_iter()
        .map(|e| {
            let key = e.path.join(".");
            let source = match &e.metadata {
                Some(md) if md.name == ENV_PROVIDER_NAME => {
                    let path: Vec<&str> = e.path.iter().map(String::as_str).collect();
                    format!(
                        " (environment variable {})",
                        md.interpolate(&figment::Profile::Default, &path)
                    )
                }
                Some(md) => match &md.source {
                    Some(source) => format!(" (in {source})"),
                    None => String::new(),
                },
                None => String::new(),
            };
            let what = describe_kind(&e.kind);
            if key.is_empty() {
                format!("{what}{source}")
            } else {
                format!("key \"{key}\"{source}: {what}")
            }
        })
        .collect()
}

fn describe_kind(kind: &figment::error::Kind) -> String {
    use figment::error::Kind;
    match kind {
        Kind::Message(message) => message.clone(),
        Kind::InvalidType(actual, expected) => format!("found {actual}, expected {expected}"),
        Kind::InvalidValue(actual, expected) => format!("found {actual}, expected {expected}"),
        Kind::UnknownVariant(found, allowed) => format!(
            "\"{found}\" is not allowed; expected one of: {}",
            allowed.join(", ")
        ),
        Kind::UnknownField(found, allowed) => format!(
            "unknown setting \"{found}\"; known settings here: {}",
            allowed.join(", ")
        ),
        Kind::MissingField(field) => format!("missing setting \"{field}\""),
        Kind::DuplicateField(field) => format!("\"{field}\" is set twice"),
        Kind::InvalidLength(len, expected) => format!("length {len}, expected {expected}"),
        Kind::UnsupportedKey(actual, expected) => format!("found {actual}, expected {expected}"),
        Kind::Unsupported(actual) => format!("{actual} is not supported here"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn zero_configuration_gives_the_documented_defaults() {
        let settings = Settings::default();
        assert_eq!(settings.bind.0.to_string(), "127.0.0.1:4000");
        assert_eq!(settings.public_url.base(), "http://localhost:4000");
        assert_eq!(settings.database_url, "sqlite://convive.db?mode=rwc");
        assert_eq!(settings.mail.transport, MailTransportKind::File);
        assert_eq!(settings.mail.outbox_dir, PathBuf::from("mail-outbox"));
        assert!(settings.instance.registrations_open);
        assert!(settings.validate().is_ok());
    }

    #[test]
    fn sqlite_opens_three_connections_per_core_between_four_and_ten_and_postgresql_ten() {
        assert_eq!(sqlite_connections(1), 4);
        assert_eq!(sqlite_connections(2), 6);
        assert_eq!(sqlite_connections(3), 9);
        assert_eq!(sqlite_connections(64), 10);
        let postgres = Settings {
            database_url: "postgres://postgres@127.0.0.1/convive".to_owned(),
            ..Settings::default()
        };
        assert_eq!(postgres.database_connections(), 10);
        let configured = Settings {
            database_max_connections: Some(3),
            ..Settings::default()
        };
        assert_eq!(configured.database_connections(), 3);
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        assert_eq!(
            Settings::default().database_connections(),
            sqlite_connections(cores)
        );
    }

    #[test]
    fn the_example_file_parses_into_the_defaults() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../convive.example.toml");
        let (settings, _) = Settings::load_from(Some(&example), &[]).expect("example parses");
        assert_eq!(settings, Settings::default());
    }

    #[test]
    fn environment_variables_override_the_file_and_nest_with_double_underscores() {
        let (settings, report) = Settings::load_from(
            None,
            &env(&[
                ("CONVIVE_BIND", "0.0.0.0:8080"),
                ("CONVIVE_PUBLIC_URL", "https://events.example.org/"),
                ("CONVIVE_MAIL__TRANSPORT", "smtp"),
                ("CONVIVE_MAIL__SMTP__PORT", "2525"),
                ("CONVIVE_INSTANCE__REGISTRATIONS_OPEN", "false"),
                ("CONVIVE_DATABASE_MAX_CONNECTIONS", "4"),
                ("CONVIVE_TEST_DATABASE_URL", "postgres://ignored"),
                ("CONVIVE_BINDD", "typo"),
                ("OTHER", "x"),
            ]),
        )
        .expect("valid");
        assert_eq!(settings.bind.0.to_string(), "0.0.0.0:8080");
        assert_eq!(settings.public_url.base(), "https://events.example.org");
        assert_eq!(settings.mail.transport, MailTransportKind::Smtp);
        assert_eq!(settings.mail.smtp.port, 2525);
        assert!(!settings.instance.registrations_open);
        assert_eq!(settings.database_connections(), 4);
        assert_eq!(report.ignored_env, vec!["CONVIVE_BINDD".to_owned()]);
    }

    #[test]
    fn every_section_of_the_settings_can_be_set_from_the_environment() {
        let keys = Settings::top_level_keys();
        for key in [
            "bind",
            "database_max_connections",
            "geocoding",
            "recurrence",
            "maps",
            "media",
            "log",
        ] {
            assert!(keys.iter().any(|k| k == key), "{key} missing from {keys:?}");
        }
        let (settings, report) = Settings::load_from(
            None,
            &env(&[
                ("CONVIVE_GEOCODING__PROVIDER", "addok"),
                ("CONVIVE_GEOCODING__URL", "http://127.0.0.1:7878"),
                ("CONVIVE_GEOCODING__TIMEOUT_SECS", "9"),
                ("CONVIVE_RECURRENCE__HORIZON_DAYS", "30"),
                (
                    "CONVIVE_MAPS__TILE_SERVER",
                    "https://tiles.example.org/{z}/{x}/{y}.png",
                ),
            ]),
        )
        .expect("valid");
        assert!(report.ignored_env.is_empty(), "{:?}", report.ignored_env);
        assert_eq!(settings.geocoding.provider, Some(GeocoderKind::Addok));
        assert_eq!(
            settings.geocoding.url.as_deref(),
            Some("http://127.0.0.1:7878")
        );
        assert_eq!(settings.geocoding.timeout_secs, 9);
        assert_eq!(settings.recurrence.horizon_days, 30);
        assert_eq!(
            settings.maps.tile_server.as_deref(),
            Some("https://tiles.example.org/{z}/{x}/{y}.png")
        );
    }

    fn error_of(pairs: &[(&str, &str)]) -> String {
        Settings::load_from(None, &env(pairs))
            .expect_err("invalid")
            .to_string()
    }

    #[test]
    fn a_bad_bind_address_names_the_variable_and_what_is_allowed() {
        let message = error_of(&[("CONVIVE_BIND", "nonsense")]);
        assert!(message.contains("\"bind\""), "{message}");
        assert!(message.contains("CONVIVE_BIND"), "{message}");
        assert!(message.contains("127.0.0.1:4000"), "{message}");
    }

    #[test]
    fn a_bad_choice_lists_the_allowed_values() {
        let message = error_of(&[("CONVIVE_MAIL__TRANSPORT", "pigeon")]);
        assert!(message.contains("mail.transport"), "{message}");
        assert!(message.contains("file, smtp, memory"), "{message}");
        let message = error_of(&[("CONVIVE_PUBLIC_URL", "events.example.org")]);
        assert!(message.contains("public_url"), "{message}");
        let message = error_of(&[("CONVIVE_DATABASE_URL", "mysql://x")]);
        assert!(message.contains("database_url"), "{message}");
        let message = error_of(&[("CONVIVE_MEDIA__STORAGE", "floppy")]);
        assert!(message.contains("media.storage"), "{message}");
        assert!(message.contains("disk, s3"), "{message}");
        let message = error_of(&[("CONVIVE_MEDIA__STORAGE", "s3")]);
        assert!(message.contains("media.s3.bucket"), "{message}");
        let message = error_of(&[(
            "CONVIVE_GRAPHQL__ALLOWED_ORIGINS",
            "[\"https://app.example.org/path\"]",
        )]);
        assert!(message.contains("graphql.allowed_origins"), "{message}");
    }

    #[test]
    fn allowed_origins_are_read_from_the_environment_as_a_list() {
        let (settings, _) = Settings::load_from(
            None,
            &env(&[(
                "CONVIVE_GRAPHQL__ALLOWED_ORIGINS",
                "[\"https://app.example.org\", \"http://localhost:8080\"]",
            )]),
        )
        .unwrap();
        assert_eq!(
            settings.graphql.allowed_origins,
            vec!["https://app.example.org", "http://localhost:8080"]
        );
    }

    #[test]
    fn a_malformed_or_misspelled_file_is_refused_with_its_key() {
        let dir = tempfile::tempdir().expect("dir");
        let broken = dir.path().join("broken.toml");
        std::fs::write(&broken, "bind = \"127.0.0.1:4000\"\n[mail\n").expect("write");
        let message = Settings::load_from(Some(&broken), &[])
            .expect_err("malformed")
            .to_string();
        assert!(message.contains("broken.toml"), "{message}");

        let typo = dir.path().join("typo.toml");
        std::fs::write(&typo, "[mail]\ntransprot = \"smtp\"\n").expect("write");
        let message = Settings::load_from(Some(&typo), &[])
            .expect_err("unknown key")
            .to_string();
        assert!(message.contains("transprot"), "{message}");
        assert!(message.contains("typo.toml"), "{message}");

        let missing = dir.path().join("missing.toml");
        assert!(matches!(
            Settings::load_from(Some(&missing), &[]),
            Err(SettingsError::FileNotFound(_))
        ));
    }
}

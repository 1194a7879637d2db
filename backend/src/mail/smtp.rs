//! SMTP delivery over connections we open ourselves and keep alive between messages.
//!
//! lettre writes a message's body and its closing `.` in two writes. On a socket with Nagle's
//! algorithm on (lettre's own connections), the `.` waits until the server acknowledges the
//! body, and a server that has nothing to answer yet delays that acknowledgement (~40 ms on
//! Linux): every mail cost one delayed ACK per worker, and 10 000 reminders took 68 s instead of
//! the ~20 s the queue needs. So we open the TCP connection (with `TCP_NODELAY`), do implicit TLS
//! ourselves, and hand the stream to lettre's `AsyncSmtpConnection`, which still speaks SMTP,
//! STARTTLS and AUTH.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::pki_types::ServerName;

use super::MailError;
use crate::settings::{SmtpSecurity, SmtpSettings};

/// Connections idle longer than this are closed rather than reused: servers commonly drop
/// idle clients after a minute (lettre's pool uses the same figure).
const IDLE_LIMIT: Duration = Duration::from_secs(50);

/// Idle connections kept at most; about the number of mail jobs running at once.
const IDLE_KEPT: usize = 16;

/// How a connection is secured, prepared once.
enum Security {
    Plain,
    Starttls(TlsParameters),
    Implicit {
        connector: TlsConnector,
        server_name: ServerName<'static>,
    },
}

/// An SMTP relay and the connections kept open to it.
pub(super) struct SmtpRelay {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    timeout: Duration,
    hello: ClientId,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
}

impl fmt::Debug for SmtpRelay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpRelay")
            .field("host", &self.host)
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl SmtpRelay {
    pub(super) fn new(smtp: &SmtpSettings) -> Result<Self, MailError> {
        let security = match smtp.security {
            SmtpSecurity::None => Security::Plain,
            SmtpSecurity::Starttls => Security::Starttls(
                TlsParameters::new(smtp.host.clone())
                    .map_err(|e| MailError::Config(format!("mail.smtp.host: {e}")))?,
            ),
            SmtpSecurity::Tls => Security::Implicit {
                connector: tls_connector(&[])?,
                server_name: ServerName::try_from(smtp.host.clone())
                    .map_err(|e| MailError::Config(format!("mail.smtp.host: {e}")))?,
            },
        };
        let credentials = match (&smtp.username, &smtp.password) {
            (Some(user), Some(password)) => Some(Credentials::new(user.clone(), password.clone())),
            _ => None,
        };
        Ok(Self {
            host: smtp.host.clone(),
            port: smtp.port,
            security,
            credentials,
            timeout: Duration::from_secs(smtp.timeout_secs),
            hello: ClientId::default(),
            idle: Mutex::new(Vec::new()),
        })
    }

    /// Sends one message, on a kept connection when one is still good.
    pub(super) async fn send(&self, envelope: &Envelope, message: &[u8]) -> Result<(), MailError> {
        let mut connection = self.checkout().await?;
        let sent = tokio::time::timeout(self.timeout, connection.send(envelope, message)).await;
        match sent {
            Ok(Ok(_)) => {
                self.check_in(connection);
                Ok(())
            }
            // lettre has already closed the connection after an error reply.
            Ok(Err(err)) => Err(smtp_error(&err)),
            Err(_) => {
                close(connection).await;
                Err(MailError::Smtp(format!(
                    "no answer within {} s",
                    self.timeout.as_secs()
                )))
            }
        }
    }

    async fn checkout(&self) -> Result<AsyncSmtpConnection, MailError> {
        loop {
            let kept = self
                .idle
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .pop();
            let Some((mut connection, since)) = kept else {
                return tokio::time::timeout(self.timeout, self.connect())
                    .await
                    .map_err(|_| {
                        MailError::Smtp(format!(
                            "could not connect within {} s",
                            self.timeout.as_secs()
                        ))
                    })?;
            };
            if since.elapsed() > IDLE_LIMIT {
                close(connection).await;
                continue;
            }
            // A NOOP round trip, as lettre's pool does: the server may have closed it.
            if tokio::time::timeout(self.timeout, connection.test_connected())
                .await
                .unwrap_or(false)
            {
                return Ok(connection);
            }
            close(connection).await;
        }
    }

    fn check_in(&self, connection: AsyncSmtpConnection) {
        if connection.has_broken() {
            return;
        }
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if idle.len() < IDLE_KEPT {
            idle.push((connection, Instant::now()));
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, MailError> {
        let tcp = open_tcp(&self.host, self.port).await?;
        let stream: Box<dyn AsyncTokioStream> = match &self.security {
            Security::Implicit {
                connector,
                server_name,
            } => Box::new(ImplicitTls(
                connector
                    .connect(server_name.clone(), tcp)
                    .await
                    .map_err(|e| MailError::Smtp(format!("TLS: {e}")))?,
            )),
            Security::Plain | Security::Starttls(_) => Box::new(tcp),
        };
        let mut connection = AsyncSmtpConnection::connect_with_transport(stream, &self.hello)
            .await
            .map_err(|e| smtp_error(&e))?;
        if let Security::Starttls(parameters) = &self.security {
            connection
                .starttls(parameters.clone(), &self.hello)
                .await
                .map_err(|e| smtp_error(&e))?;
        }
        if let Some(credentials) = &self.credentials {
            connection
                .auth(DEFAULT_MECHANISMS, credentials)
                .await
                .map_err(|e| smtp_error(&e))?;
        }
        Ok(connection)
    }
}

/// A TCP connection to the relay with Nagle's algorithm off (see the module comment).
async fn open_tcp(host: &str, port: u16) -> Result<TcpStream, MailError> {
    let tcp = TcpStream::connect((host, port))
        .await
        .map_err(|e| MailError::Smtp(format!("could not connect to {host}:{port}: {e}")))?;
    tcp.set_nodelay(true)
        .map_err(|e| MailError::Smtp(format!("could not set TCP_NODELAY: {e}")))?;
    Ok(tcp)
}

/// The roots lettre itself trusts with our features (Mozilla's, from `webpki-roots`), and any
/// `extra` ones (tests).
fn tls_connector(extra: &[Vec<u8>]) -> Result<TlsConnector, MailError> {
    use tokio_rustls::rustls;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for certificate in extra {
        roots
            .add(certificate.clone().into())
            .map_err(|e| MailError::Config(format!("TLS root: {e}")))?;
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| MailError::Config(format!("TLS: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}

/// Every SMTP failure stays worth another try: a refused login or sender is the relay's
/// configuration, which an admin fixes, and a mail should not be lost meanwhile.
fn smtp_error(err: &lettre::transport::smtp::Error) -> MailError {
    MailError::Smtp(err.to_string())
}

/// Closes a connection we give up on, without waiting long for a server that stopped answering.
async fn close(mut connection: AsyncSmtpConnection) {
    let _ = tokio::time::timeout(Duration::from_secs(1), connection.abort()).await;
}

/// A TLS stream lettre can drive as its transport.
#[derive(Debug)]
struct ImplicitTls(TlsStream<TcpStream>);

impl AsyncTokioStream for ImplicitTls {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

impl AsyncRead for ImplicitTls {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for ImplicitTls {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::SmtpSink;

    fn relay_to(sink: &SmtpSink) -> SmtpRelay {
        SmtpRelay::new(&SmtpSettings {
            host: sink.address.ip().to_string(),
            port: sink.address.port(),
            security: SmtpSecurity::None,
            username: None,
            password: None,
            timeout_secs: 5,
        })
        .expect("a plain relay needs no TLS setup")
    }

    fn message(subject: &str) -> (Envelope, Vec<u8>) {
        let message = lettre::Message::builder()
            .from("Convive <noreply@convive.test>".parse().expect("sender"))
            .to("ada@example.org".parse().expect("recipient"))
            .subject(subject)
            .body("See you there.".to_owned())
            .expect("message");
        (message.envelope().clone(), message.formatted())
    }

    #[tokio::test]
    async fn the_connection_to_the_relay_does_not_hold_back_small_writes() {
        let sink = SmtpSink::start().await.expect("sink");
        let tcp = open_tcp(&sink.address.ip().to_string(), sink.address.port())
            .await
            .expect("connects");
        assert!(tcp.nodelay().expect("reads the option"));
    }

    #[tokio::test]
    async fn messages_in_a_row_share_one_connection() {
        let sink = SmtpSink::start().await.expect("sink");
        let relay = relay_to(&sink);
        for subject in ["First", "Second", "Third"] {
            let (envelope, raw) = message(subject);
            relay.send(&envelope, &raw).await.expect("sent");
        }
        assert_eq!(sink.count(), 3);
        assert_eq!(sink.connections(), 1);
        let messages = sink.messages();
        assert!(messages[0].contains("Subject: First"));
        assert!(messages[2].contains("Subject: Third"));
        let deliveries = sink.deliveries();
        assert_eq!(deliveries.len(), 3);
        assert!(
            deliveries
                .iter()
                .all(|d| d.recipients == ["ada@example.org"])
        );
    }

    #[tokio::test]
    async fn a_connection_the_relay_dropped_is_replaced_without_losing_the_message() {
        let sink = SmtpSink::start().await.expect("sink");
        let relay = relay_to(&sink);
        let (envelope, raw) = message("Before");
        relay.send(&envelope, &raw).await.expect("sent");

        sink.hang_up_on_everyone();
        let (envelope, raw) = message("After");
        relay
            .send(&envelope, &raw)
            .await
            .expect("sent on a new connection");

        assert_eq!(sink.count(), 2);
        assert_eq!(sink.connections(), 2);
        assert!(sink.messages()[1].contains("Subject: After"));
    }

    #[tokio::test]
    async fn mail_goes_over_implicit_tls_to_a_relay_with_a_certificate_we_trust_and_not_otherwise()
    {
        let sink = SmtpSink::start_with_tls().await.expect("sink");
        let mut settings = SmtpSettings {
            host: "localhost".to_owned(),
            port: sink.address.port(),
            security: SmtpSecurity::Tls,
            username: None,
            password: None,
            timeout_secs: 5,
        };
        let untrusting = SmtpRelay::new(&settings).expect("relay");
        let (envelope, raw) = message("Not to a stranger");
        let err = untrusting
            .send(&envelope, &raw)
            .await
            .expect_err("a self-signed certificate is not trusted");
        assert!(err.to_string().contains("TLS"), "{err}");
        assert_eq!(sink.count(), 0);

        let mut relay = SmtpRelay::new(&settings).expect("relay");
        relay.security = Security::Implicit {
            connector: tls_connector(&[SmtpSink::localhost_certificate()]).expect("connector"),
            server_name: ServerName::try_from("localhost").expect("name"),
        };
        for subject in ["Encrypted", "Still encrypted"] {
            let (envelope, raw) = message(subject);
            relay.send(&envelope, &raw).await.expect("sent over TLS");
        }
        assert_eq!(sink.count(), 2);
        assert!(sink.messages()[1].contains("Subject: Still encrypted"));
        settings.security = SmtpSecurity::None;
        // Each side waits for the other to speak first: only the timeout ends it.
        settings.timeout_secs = 1;
        let plain = SmtpRelay::new(&settings).expect("relay");
        let (envelope, raw) = message("In clear");
        plain
            .send(&envelope, &raw)
            .await
            .expect_err("a TLS server does not speak plain SMTP");
    }

    #[tokio::test]
    async fn a_relay_that_never_answers_gives_a_retryable_error() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds");
        let address = listener.local_addr().expect("address");
        let relay = SmtpRelay::new(&SmtpSettings {
            host: address.ip().to_string(),
            port: address.port(),
            security: SmtpSecurity::None,
            username: None,
            password: None,
            timeout_secs: 1,
        })
        .expect("relay");
        let (envelope, raw) = message("Lost?");
        let err = relay.send(&envelope, &raw).await.expect_err("no greeting");
        assert!(err.is_transient(), "{err}");
        drop(listener);
    }
}

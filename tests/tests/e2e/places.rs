//! Places: looking an address up on the event form (no JavaScript) and in the API
//! (`searchAddress`, `reverseGeocode`), with the built-in towns and with a real Addok server;
//! finding events by town and postal code; the month view.

use std::process::{Child, Command, Stdio};
use std::time::Duration as StdDuration;

use chrono::{Datelike, Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;
use tests::browser::{Browser, Page};
use tests::people::sign_up;
use tests::{TestServer, skip};

async fn logged_in(server: &TestServer, username: &str) -> Browser {
    let member = sign_up(server, username).await;
    let mut browser = Browser::new(&server.base_url);
    let form = browser.get("/login").await;
    let csrf = form.csrf();
    let ok = browser
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &member.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    browser
}

/// The values of the radio buttons `chosen` on a page, as the browser would send them.
fn choices(page: &Page) -> Vec<String> {
    let marker = r#"name="chosen" value=""#;
    page.body
        .match_indices(marker)
        .map(|(at, _)| {
            let start = at + marker.len();
            let end = page.body[start..].find('"').expect("end of value") + start;
            page.body[start..end]
                .replace("&#34;", "\"")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&#60;", "<")
                .replace("&#62;", ">")
                .replace("&#38;", "&")
                .replace("&amp;", "&")
        })
        .collect()
}

async fn post(browser: &mut Browser, fields: &[(&'static str, String)]) -> Page {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.post("/events/new", &fields).await
}

/// Publishes an event from the form: types `address`, looks it up, picks the first place
/// found. Returns the event's path.
async fn publish_at(browser: &mut Browser, title: &str, address: &str) -> String {
    let form = browser.get("/events/new").await;
    let csrf = form.csrf();
    let begins = (Utc::now() + Duration::days(4))
        .format("%Y-%m-%dT19:00")
        .to_string();
    let fields = |extra: Vec<(&'static str, String)>| {
        let mut fields = vec![
            ("csrf", csrf.clone()),
            ("title", title.to_owned()),
            ("description", "Venez nombreux".to_owned()),
            ("begins", begins.clone()),
            ("timezone", "Europe/Paris".to_owned()),
            ("join", "free".to_owned()),
            ("visibility", "public".to_owned()),
            ("status", "confirmed".to_owned()),
            ("place", "Chez Lulu".to_owned()),
            ("address", address.to_owned()),
        ];
        fields.extend(extra);
        fields
    };
    let looked_up = post(browser, &fields(vec![("lookup", "1".to_owned())])).await;
    assert_eq!(looked_up.status, StatusCode::OK, "{}", looked_up.body);
    assert!(
        looked_up.body.contains("Places found"),
        "{}",
        looked_up.body
    );
    // Everything typed comes back.
    assert!(looked_up.body.contains(&format!("value=\"{title}\"")));
    assert!(looked_up.body.contains("value=\"Chez Lulu\""));
    let found = choices(&looked_up);
    assert!(found.len() >= 2, "a place and 'as typed': {found:?}");
    let created = post(browser, &fields(vec![("chosen", found[0].clone())])).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    // Without the notice said once saved (`?done=published`).
    let location = created.location.clone().expect("the event's address");
    location.split('?').next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn an_event_published_by_picking_a_looked_up_address_is_found_by_its_town_and_postal_code() {
    let server = TestServer::start().await;
    let mut organizer = logged_in(&server, "lulu").await;
    let path = publish_at(
        &mut organizer,
        "Apéro des voisins",
        "12 rue de Paris, Montreuil 93100",
    )
    .await;
    let page = organizer.get(&path).await;
    assert!(page.body.contains("12 rue de Paris"), "{}", page.body);
    assert!(page.body.contains("93100 Montreuil"), "{}", page.body);

    // Its position is the town's (the built-in towns know no streets): near Paris.
    let event = server
        .gql()
        .data(
            "query($uuid: UUID!) { event(uuid: $uuid) { physicalAddress { geom locality postalCode } } }",
            json!({ "uuid": path.trim_start_matches("/events/") }),
        )
        .await;
    let geom = event["event"]["physicalAddress"]["geom"].as_str().unwrap();
    let (lon, lat) = geom.split_once(';').unwrap();
    assert!((lat.parse::<f64>().unwrap() - 48.86).abs() < 0.05, "{geom}");
    assert!((lon.parse::<f64>().unwrap() - 2.44).abs() < 0.05, "{geom}");

    let mut visitor = Browser::new(&server.base_url);
    for place in ["Montreuil", "montreuil", "93100"] {
        let found = visitor.get(&format!("/search?place={place}")).await;
        assert!(
            found.body.contains("Apéro des voisins"),
            "searching {place}: {}",
            found.body
        );
    }
    let lyon = visitor.get("/search?place=Lyon").await;
    assert!(!lyon.body.contains("Apéro des voisins"), "{}", lyon.body);
    assert!(
        !lyon.body.contains("results are not filtered"),
        "{}",
        lyon.body
    );
    // The search form asks for a town, not for coordinates.
    assert!(!lyon.body.contains("name=\"lat\""));
}

#[tokio::test]
async fn an_address_kept_as_typed_is_stored_without_a_position_and_still_found_by_its_words() {
    let server = TestServer::start().await;
    let mut organizer = logged_in(&server, "nadia").await;
    let form = organizer.get("/events/new").await;
    let csrf = form.csrf();
    let begins = (Utc::now() + Duration::days(2))
        .format("%Y-%m-%dT10:00")
        .to_string();
    let created = organizer
        .post(
            "/events/new",
            &[
                ("csrf", &csrf),
                ("title", "Balade botanique"),
                ("begins", &begins),
                ("timezone", "Europe/Paris"),
                ("address", "Le grand chêne, Qwyxville"),
                ("chosen", "typed"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let mut visitor = Browser::new(&server.base_url);
    let plural = visitor.get("/search?term=balades").await;
    assert!(plural.body.contains("Balade botanique"), "{}", plural.body);
}

#[tokio::test]
async fn search_address_and_reverse_geocode_answer_mobilizons_address_fields() {
    let server = TestServer::start().await;
    let gql = server.gql();
    let found = gql
        .data(
            "query($q: String!) { searchAddress(query: $q, locale: \"fr\") {
                id description geom street locality postalCode region country type url originId
                timezone pictureInfo { url }
            } }",
            json!({ "q": "12 rue de Paris, Montreuil 93100" }),
        )
        .await;
    let first = &found["searchAddress"][0];
    assert_eq!(first["locality"], "Montreuil");
    assert_eq!(first["street"], "12 rue de Paris");
    assert_eq!(first["postalCode"], "93100");
    assert_eq!(first["country"], "France");
    assert_eq!(first["type"], "administrative");
    assert_eq!(first["id"], serde_json::Value::Null);
    let towns = gql
        .data(
            "{ searchAddress(query: \"Lyo\", type: ADMINISTRATIVE) { locality } }",
            json!({}),
        )
        .await;
    assert_eq!(towns["searchAddress"][0]["locality"], "Lyon");
    let here = gql
        .data(
            "{ reverseGeocode(latitude: 45.7578, longitude: 4.832, zoom: 15) { locality geom } }",
            json!({}),
        )
        .await;
    assert_eq!(here["reverseGeocode"][0]["locality"], "Lyon");
    let refused = gql
        .send(
            "{ reverseGeocode(latitude: 95, longitude: 4.8) { locality } }",
            json!({}),
        )
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "invalid");
    assert_eq!(refused["errors"][0]["extensions"]["field"], "latitude");
}

#[tokio::test]
async fn the_month_view_lists_each_days_events_for_the_instance_and_for_a_group() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let group = alice
        .gql
        .data(
            "mutation { createGroup(preferredUsername: \"velos\", name: \"Vélos\") { id } }",
            json!({}),
        )
        .await;
    let next_month = (Utc::now() + Duration::days(40)).date_naive();
    let day = next_month.with_day(12).unwrap();
    let begins = day.and_hms_opt(17, 0, 0).unwrap().and_utc();
    for (title, group_id) in [
        (
            "Atelier réparation",
            Some(group["createGroup"]["id"].clone()),
        ),
        ("Pique-nique", None),
    ] {
        alice
            .gql
            .data(
                "mutation($t: String!, $b: DateTime!, $g: ID) {
                    createEvent(title: $t, beginsOn: $b, attributedToId: $g,
                        options: { timezone: \"Europe/Paris\" }) { id }
                }",
                json!({ "t": title, "b": begins, "g": group_id }),
            )
            .await;
    }
    let month = day.format("%Y-%m").to_string();
    let mut visitor = Browser::new(&server.base_url);
    let home = visitor.get("/").await;
    assert!(home.body.contains("href=\"/events/month\""));
    let page = visitor.get(&format!("/events/month?month={month}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<table class=\"month\">"));
    assert!(page.body.contains("<th scope=\"col\">"));
    let anchor = format!("href=\"#d-{}\"", day.format("%Y-%m-%d"));
    assert!(page.body.contains(&anchor), "{}", page.body);
    assert!(page.body.contains("Atelier réparation") && page.body.contains("Pique-nique"));
    assert!(
        page.body.contains("18:00"),
        "in the event's zone: {}",
        page.body
    );
    assert!(page.body.contains(&format!(
        "?month={}",
        (day + Duration::days(31)).format("%Y-%m")
    )));

    let group_page = visitor.get("/@velos").await;
    assert!(group_page.body.contains("href=\"/@velos/events/month\""));
    let group_month = visitor
        .get(&format!("/@velos/events/month?month={month}"))
        .await;
    assert!(group_month.body.contains("Atelier réparation"));
    assert!(!group_month.body.contains("Pique-nique"));

    visitor.accept_language = "fr".to_owned();
    let french = visitor.get(&format!("/events/month?month={month}")).await;
    assert!(french.body.contains("Événements de"), "{}", french.body);
    let empty = visitor.get("/events/month?month=2031-02").await;
    assert!(empty.body.contains("Aucun événement ce mois-ci."));
}

/// An Addok server on a free port, loaded with a few addresses written for the test.
pub(crate) struct Addok {
    child: Child,
    pub(crate) url: String,
}

impl Drop for Addok {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Redis databases this module's Addok uses (indexes, documents): emptied first. Each
/// test that starts an Addok has its own pair, as tests run at once.
const ADDOK_REDIS_DBS: (u8, u8) = (12, 13);

fn flush_redis(address: &str, (a, b): (u8, u8)) -> std::io::Result<()> {
    use std::io::{Read, Write};
    let mut redis = std::net::TcpStream::connect(address)?;
    redis.set_read_timeout(Some(StdDuration::from_secs(5)))?;
    redis.write_all(format!("SELECT {a}\r\nFLUSHDB\r\nSELECT {b}\r\nFLUSHDB\r\n").as_bytes())?;
    let mut answer = Vec::new();
    let mut buf = [0u8; 64];
    while answer.iter().filter(|&&c| c == b'\n').count() < 4 {
        let n = redis.read(&mut buf)?;
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
    }
    Ok(())
}

/// An Addok server whose index lives in the Redis databases `dbs` (indexes, documents), or
/// `None` once its absence is reported as a skip.
pub(crate) async fn start_addok(dbs: (u8, u8)) -> Option<Addok> {
    backend::tls::use_ring();
    let Ok(addok) = std::env::var("CONVIVE_TEST_ADDOK") else {
        skip("CONVIVE_TEST_ADDOK (the addok command) is not set");
        return None;
    };
    let redis = std::env::var("CONVIVE_TEST_REDIS").unwrap_or_else(|_| "127.0.0.1:6379".into());
    if let Err(err) = flush_redis(&redis, dbs) {
        skip(&format!("no Redis at {redis}: {err}"));
        return None;
    }
    let dir = tempfile::tempdir().unwrap().keep();
    let (host, port) = redis.rsplit_once(':').unwrap();
    let (indexes, documents) = dbs;
    std::fs::write(
        dir.join("addok.conf"),
        format!(
            "REDIS = {{\"host\": \"{host}\", \"port\": {port}, \"indexes\": {{\"db\": {indexes}}}, \"documents\": {{\"db\": {documents}}}}}\nBATCH_WORKERS = 1\n"
        ),
    )
    .unwrap();
    // As the national address base gives them: streets with their house numbers, and towns.
    std::fs::write(
        dir.join("addresses.ndjson"),
        [
            json!({"id": "93048_0001", "type": "street", "name": "Rue de Paris", "postcode": "93100",
                "city": "Montreuil", "context": "93, Seine-Saint-Denis, Île-de-France",
                "lat": 48.8575, "lon": 2.4315, "importance": 0.5,
                "housenumbers": {"12": {"lat": 48.8581, "lon": 2.4328, "id": "93048_0001_00012"}}}),
            json!({"id": "93048", "type": "municipality", "name": "Montreuil", "postcode": "93100",
                "city": "Montreuil", "context": "93, Seine-Saint-Denis, Île-de-France",
                "lat": 48.8638, "lon": 2.4485, "importance": 0.7}),
            json!({"id": "69381_0002", "type": "street", "name": "Place Bellecour", "postcode": "69002",
                "city": "Lyon", "context": "69, Rhône, Auvergne-Rhône-Alpes",
                "lat": 45.7578, "lon": 4.832, "importance": 0.6,
                "housenumbers": {"3": {"lat": 45.7581, "lon": 4.8330, "id": "69381_0002_00003"}}}),
        ]
        .iter()
        .map(|line| format!("{line}\n"))
        .collect::<String>(),
    )
    .unwrap();
    let config = dir.join("addok.conf");
    for step in [&["batch", "addresses.ndjson"][..], &["ngrams"][..]] {
        let status = Command::new(&addok)
            .arg("--config")
            .arg(&config)
            .args(step)
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("addok runs");
        assert!(status.success(), "addok {step:?} failed");
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(&addok)
        .arg("--config")
        .arg(&config)
        .args(["serve", "--host", "127.0.0.1", "--port", &port.to_string()])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("addok serve starts");
    let server = Addok {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..100 {
        if reqwest::get(format!("{}/search/?q=paris", server.url))
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Some(server);
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    panic!("addok serve did not answer");
}

#[tokio::test]
async fn an_addok_server_set_by_the_administrator_answers_lookups_on_the_form_and_in_the_api() {
    let Some(addok) = start_addok(ADDOK_REDIS_DBS).await else {
        return;
    };
    let url = addok.url.clone();
    let server = TestServer::builder()
        .settings(move |settings| {
            settings.geocoding.provider = Some(backend::settings::GeocoderKind::Addok);
            settings.geocoding.url = Some(url);
        })
        .start()
        .await;
    let found = server
        .gql()
        .data(
            "{ searchAddress(query: \"12 rue de Paris, Montreuil\") { street postalCode locality region geom type originId } }",
            json!({}),
        )
        .await;
    let first = &found["searchAddress"][0];
    assert_eq!(first["street"], "12 Rue de Paris", "{found}");
    assert_eq!(first["postalCode"], "93100");
    assert_eq!(first["locality"], "Montreuil");
    assert_eq!(first["region"], "Île-de-France");
    assert_eq!(first["geom"], "2.4328;48.8581");
    assert_eq!(first["type"], "house");
    assert_eq!(first["originId"], "93048_0001_00012");
    let back = server
        .gql()
        .data(
            "{ reverseGeocode(latitude: 45.7581, longitude: 4.833) { street locality } }",
            json!({}),
        )
        .await;
    assert_eq!(back["reverseGeocode"][0]["locality"], "Lyon", "{back}");

    let mut organizer = logged_in(&server, "lulu").await;
    let path = publish_at(
        &mut organizer,
        "Apéro des voisins",
        "12 rue de Paris, Montreuil",
    )
    .await;
    let event = server
        .gql()
        .data(
            "query($uuid: UUID!) { event(uuid: $uuid) { physicalAddress { geom street description } } }",
            json!({ "uuid": path.trim_start_matches("/events/") }),
        )
        .await;
    let address = &event["event"]["physicalAddress"];
    assert_eq!(address["geom"], "2.4328;48.8581");
    assert_eq!(address["street"], "12 Rue de Paris");
    assert_eq!(address["description"], "Chez Lulu");
    let mut visitor = Browser::new(&server.base_url);
    for place in ["Montreuil", "93100"] {
        let found = visitor.get(&format!("/search?place={place}")).await;
        assert!(found.body.contains("Apéro des voisins"), "{place}");
    }
}

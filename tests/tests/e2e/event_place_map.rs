//! Where an event is, on its page: a map whose tiles come from our own origin, fetched from
//! the administrator's tile server (tested against a real local HTTP server serving tiles)
//! and kept in memory; without a tile server, the coordinates and links to map apps. Also the
//! places the built-in towns suggest, named in the page's language, and the bare addresses of
//! descriptions sent as HTML, shown as links.

use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use axum::extract::Path;
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;
use tests::TestServer;
use tests::browser::Browser;
use tests::people::sign_up;

/// A tile as the fake tile server sends it: its own coordinates, so each tile is told apart.
fn tile_bytes(z: &str, x: &str, y: &str) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(format!("tile {z}/{x}/{y}").as_bytes());
    bytes
}

/// What the tile server was asked: each path, and the headers that came with it.
type Asked = Arc<Mutex<Vec<(String, HeaderMap)>>>;

/// A real HTTP server serving tiles on a loopback port; `/{z}/{x}/{y}.png`, slow for zoom 3.
async fn tile_server() -> (String, Asked) {
    let asked: Asked = Arc::default();
    let log = asked.clone();
    let app = axum::Router::new().route(
        "/{z}/{x}/{file}",
        axum::routing::get(
            move |Path((z, x, file)): Path<(String, String, String)>, headers: HeaderMap| {
                let log = log.clone();
                async move {
                    log.lock()
                        .unwrap()
                        .push((format!("/{z}/{x}/{file}"), headers));
                    if z == "3" {
                        tokio::time::sleep(StdDuration::from_secs(4)).await;
                    }
                    let y = file.trim_end_matches(".png");
                    ([(header::CONTENT_TYPE, "image/png")], tile_bytes(&z, &x, y)).into_response()
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, asked)
}

/// An event at the Notre-Dame of Paris; its page's path.
async fn event_with_a_position(server: &TestServer) -> String {
    let alice = sign_up(server, "alice").await;
    let created = alice
        .gql
        .data(
            "mutation($b: DateTime!) {
                createEvent(title: \"Balade sur l'île\", beginsOn: $b,
                    physicalAddress: { description: \"Parvis\", locality: \"Paris\", geom: \"2.3499;48.853\" },
                    options: { timezone: \"Europe/Paris\" }) { uuid }
            }",
            json!({ "b": Utc::now() + Duration::days(3) }),
        )
        .await;
    format!(
        "/events/{}",
        created["createEvent"]["uuid"].as_str().unwrap()
    )
}

/// The addresses of the map's tiles on a page.
fn tile_hrefs(body: &str) -> Vec<String> {
    body.match_indices("<image href=\"")
        .map(|(at, marker)| {
            let start = at + marker.len();
            let end = body[start..].find('"').unwrap() + start;
            body[start..end].to_owned()
        })
        .collect()
}

#[tokio::test]
async fn the_event_page_draws_its_map_from_tiles_served_and_kept_by_our_own_origin() {
    let (tiles, asked) = tile_server().await;
    let template = format!("{tiles}/{{z}}/{{x}}/{{y}}.png");
    let server = TestServer::builder()
        .settings(move |settings| {
            settings.maps.tile_server = Some(template);
            settings.maps.attribution = "© Les contributeurs d'OpenStreetMap".to_owned();
            settings.maps.timeout_secs = 1;
        })
        .start()
        .await;
    let path = event_with_a_position(&server).await;
    let mut browser = Browser::new(&server.base_url);
    let page = browser.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("role=\"img\" aria-labelledby=\"map-title\""),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("Map of the place: Parvis"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Map: © Les contributeurs d&#39;OpenStreetMap")
            || page
                .body
                .contains("Map: © Les contributeurs d&#x27;OpenStreetMap"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains(&tiles),
        "the page never names the tile server"
    );
    let hrefs = tile_hrefs(&page.body);
    assert!((6..=12).contains(&hrefs.len()), "{hrefs:?}");
    // Notre-Dame is in tile 33 195 / 22 547 at zoom 16.
    assert!(
        hrefs.contains(&"/tiles/16/33195/22547.png".to_owned()),
        "{hrefs:?}"
    );
    assert!(
        asked.lock().unwrap().is_empty(),
        "nothing fetched before a browser asks"
    );

    // A logged-in visitor's tile request carries their cookie; the tile server never sees it.
    let member = sign_up(&server, "bob").await;
    let form = browser.get("/login").await;
    let csrf = form.csrf();
    browser
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &member.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert!(!browser.cookie_header().is_empty());
    let first = reqwest::Client::new()
        .get(server.url("/tiles/16/33195/22547.png"))
        .header(header::COOKIE, browser.cookie_header())
        .header("x-forwarded-for", "203.0.113.9")
        .header(header::REFERER, server.url(&path))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()[header::CONTENT_TYPE], "image/png");
    assert_eq!(
        first.bytes().await.unwrap().to_vec(),
        tile_bytes("16", "33195", "22547")
    );
    {
        let asked = asked.lock().unwrap();
        assert_eq!(asked.len(), 1);
        let (asked_path, headers) = &asked[0];
        assert_eq!(asked_path, "/16/33195/22547.png");
        for header in ["cookie", "x-forwarded-for", "referer", "forwarded"] {
            assert!(headers.get(header).is_none(), "{header} was passed on");
        }
        assert!(
            headers[header::USER_AGENT]
                .to_str()
                .unwrap()
                .starts_with("Convive/")
        );
    }
    // Kept: the second time, the tile server is not asked.
    let again = reqwest::get(server.url("/tiles/16/33195/22547.png"))
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(asked.lock().unwrap().len(), 1);

    // Bounded: deeper than the settings' zoom, or outside the world, is not found.
    for out in [
        "/tiles/19/0/0.png",
        "/tiles/2/4/0.png",
        "/tiles/2/0/1.jpg",
        "/tiles/a/0/0.png",
    ] {
        let answer = reqwest::get(server.url(out)).await.unwrap();
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{out}");
    }
    assert_eq!(
        asked.lock().unwrap().len(),
        1,
        "refused tiles are never asked for"
    );
    // A tile server slower than the timeout: a quick failure, nothing kept.
    let started = std::time::Instant::now();
    let slow = reqwest::get(server.url("/tiles/3/1/1.png")).await.unwrap();
    assert_eq!(slow.status(), StatusCode::BAD_GATEWAY);
    assert!(
        started.elapsed() < StdDuration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn without_a_tile_server_the_page_gives_the_coordinates_and_asks_no_other_site() {
    let server = TestServer::start().await;
    let path = event_with_a_position(&server).await;
    let mut browser = Browser::new(&server.base_url);
    let page = browser.get(&path).await;
    assert!(
        !page.body.contains("<svg class=\"map\""),
        "no map without tiles"
    );
    assert!(!page.body.contains("/tiles/"));
    assert!(
        page.body.contains("Coordinates: 48.85300, 2.34990"),
        "{}",
        page.body
    );
    assert!(page.body.contains("href=\"geo:48.85300,2.34990\""));
    assert!(
        !page.body.contains("src=\"http"),
        "nothing loaded from elsewhere"
    );
    let tile = reqwest::get(server.url("/tiles/16/33195/22547.png"))
        .await
        .unwrap();
    assert_eq!(tile.status(), StatusCode::NOT_FOUND);

    browser.accept_language = "fr".to_owned();
    let french = browser.get(&path).await;
    assert!(
        french.body.contains("Coordonnées : 48.85300, 2.34990"),
        "{}",
        french.body
    );
    assert!(
        french
            .body
            .contains("Ouvrir dans une application de cartes")
    );
}

#[tokio::test]
async fn the_built_in_towns_name_their_country_in_the_pages_language() {
    let server = TestServer::start().await;
    for (language, country, not) in [
        ("en", "Germany", "Allemagne"),
        ("fr", "Allemagne", "Germany"),
    ] {
        let mut browser = Browser::new(&server.base_url);
        browser.accept_language = language.to_owned();
        let member = sign_up(&server, &format!("orga_{language}")).await;
        let form = browser.get("/login").await;
        let csrf = form.csrf();
        browser
            .post(
                "/login",
                &[
                    ("csrf", &csrf),
                    ("email", &member.email),
                    ("password", "long enough password"),
                ],
            )
            .await;
        // The account's language, as its owner chose it.
        let home = browser.get("/").await;
        browser
            .post("/language", &[("csrf", &home.csrf()), ("lang", language)])
            .await;
        let form = browser.get("/events/new").await;
        let csrf = form.csrf();
        let looked_up = browser
            .post(
                "/events/new",
                &[
                    ("csrf", &csrf),
                    ("title", "Stammtisch"),
                    ("address", "Berlin"),
                    ("lookup", "1"),
                ],
            )
            .await;
        assert_eq!(looked_up.status, StatusCode::OK, "{}", looked_up.body);
        assert!(
            looked_up.body.contains(&format!(", {country}")),
            "{language}: {}",
            looked_up.body
        );
        assert!(
            !looked_up.body.contains(", DE<") && !looked_up.body.contains(not),
            "{language}"
        );
    }
}

#[tokio::test]
async fn bare_addresses_in_a_description_sent_as_html_are_links_on_the_page() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let created = alice
        .gql
        .data(
            "mutation($b: DateTime!, $d: String!) {
                createEvent(title: \"Atelier vélo\", beginsOn: $b, description: $d) { uuid description }
            }",
            json!({
                "b": Utc::now() + Duration::days(3),
                "d": "<p>Programme : https://example.org/programme?jour=1&amp;salle=2. <a href=\"https://example.org/plan\">https://example.org/plan</a></p>",
            }),
        )
        .await;
    // The API keeps the HTML as it was sent.
    assert!(
        !created["createEvent"]["description"]
            .as_str()
            .unwrap()
            .contains("href=\"https://example.org/programme")
    );
    let uuid = created["createEvent"]["uuid"].as_str().unwrap();
    let page = Browser::new(&server.base_url)
        .get(&format!("/events/{uuid}"))
        .await;
    assert!(
        page.body.contains("<a href=\"https://example.org/programme?jour=1&amp;salle=2\" rel=\"nofollow noopener noreferrer\">https://example.org/programme?jour=1&amp;salle=2</a>."),
        "{}",
        page.body
    );
    assert_eq!(
        page.body.matches("https://example.org/plan</a>").count(),
        1,
        "an existing link stays one"
    );
    assert!(
        !page
            .body
            .contains("<a href=\"https://example.org/plan\"><a")
    );
}

//! Pictures in the benchmark: one upload of a 12-megapixel photo, from the request to all its
//! sizes stored (time, server CPU, and the server's peak memory above idle), a stored
//! thumbnail served from `/media/…` beside the bare handler, and the home page once its 20
//! cards have pictures.

use std::time::Instant;

use backend::AppContext;
use backend::principal::Principal;
use entity::MediaPurpose;

use super::report::Row;
use super::seed::Person;
use super::server::ChildServer;
use crate::Gql;

/// A 12-megapixel photo, as phones take them.
const PHOTO: (u32, u32) = (4000, 3000);

/// Uploads a picture through the backend while seeding; the path of its thumbnail.
pub async fn seed_thumbnail(ctx: &AppContext, actor_id: i64) -> anyhow::Result<String> {
    let stored = backend::media::upload(
        ctx,
        &Principal::System,
        backend::media::Upload {
            bytes: backend::testing::pictures::jpeg_with_gps(1200, 800),
            name: "bench".to_owned(),
            alt: None,
            purpose: MediaPurpose::Picture,
            identity: Some(actor_id),
        },
    )
    .await?;
    let thumbnail = backend::media::variants_of(&stored)
        .into_iter()
        .last()
        .ok_or_else(|| anyhow::anyhow!("a stored picture without sizes"))?;
    Ok(backend::media::path_of(&thumbnail.key))
}

/// Cards on the home page's first page.
pub const HOME_CARDS: u64 = 20;

/// Gives each of the home page's events (the 20 soonest public ones) a picture of its own,
/// uploaded and set by its organizer as the event form does; the number of events given one.
pub async fn picture_home_events(ctx: &AppContext, people: &[Person]) -> anyhow::Result<usize> {
    let page = backend::pagination::Page::new(Some(1), Some(HOME_CARDS as i64))?;
    let soonest = backend::events::upcoming(&ctx.db, ctx.now(), page).await?;
    let mut pictured = 0;
    for (i, event) in soonest.elements.iter().enumerate() {
        let organizer = people
            .iter()
            .find(|p| p.actor_id == event.organizer_actor_id)
            .ok_or_else(|| anyhow::anyhow!("an event of the seed without a seeded organizer"))?;
        let principal = Principal::User(organizer.user.clone());
        // Sizes differ a little, so that no two cards share a picture or a placeholder.
        let photo = backend::testing::pictures::jpeg_with_gps(1200 + 8 * i as u32, 800);
        let stored = backend::media::upload(
            ctx,
            &principal,
            backend::media::Upload {
                bytes: photo,
                name: format!("picture {i}"),
                alt: Some(format!("What event {i} looks like")),
                purpose: MediaPurpose::Picture,
                identity: Some(organizer.actor_id),
            },
        )
        .await?;
        backend::media::set_event_picture(ctx, &principal, event.id, Some(&stored.uuid)).await?;
        pictured += 1;
    }
    Ok(pictured)
}

/// One `uploadMedia` of a 12-megapixel JPEG, as a GraphQL multipart request.
pub async fn upload_row(server: &ChildServer, token: &str) -> anyhow::Result<Row> {
    let photo = backend::testing::pictures::jpeg_with_gps(PHOTO.0, PHOTO.1);
    let gql = Gql::new(format!("http://{}/graphql", server.host())).with_token(token);
    let pid = server.pid();
    let idle = super::server::rss_mb(pid);
    reset_peak_rss(pid);
    let cpu_before = server.cpu_seconds();
    let started = Instant::now();
    let answer = gql
        .send_file(
            "mutation($file: Upload!, $name: String!) { uploadMedia(file: $file, name: $name) { id } }",
            serde_json::json!({ "file": null, "name": "12 megapixels" }),
            "variables.file",
            "photo.jpg",
            &photo,
        )
        .await;
    let took = started.elapsed();
    let cpu = server.cpu_seconds() - cpu_before;
    let peak = peak_rss_mb(pid);
    let failed = !answer["errors"].is_null();
    let mut row = Row::background(
        &format!(
            "upload of a 12-megapixel JPEG ({} kB), all sizes stored",
            photo.len() / 1000
        ),
        1,
        took,
        Some(peak),
    )
    .with_note(format!(
        "server CPU {cpu:.2} s; peak {:.0} MB above idle",
        peak - idle
    ))
    .with_errors(u64::from(failed));
    row.rss_before_mb = Some(idle);
    row.cpu_ms_per_request = Some(cpu * 1000.0);
    if failed {
        row.note = answer["errors"][0]["message"]
            .as_str()
            .unwrap_or("failed")
            .to_owned();
    }
    Ok(row)
}

/// Starts the process's peak resident memory (`VmHWM`) again from its current size.
fn reset_peak_rss(pid: u32) {
    if let Err(err) = std::fs::write(format!("/proc/{pid}/clear_refs"), "5") {
        eprintln!("  could not reset the server's peak memory: {err}");
    }
}

/// Peak resident memory of a process since its last reset, in MB.
fn peak_rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

//! Recurring events through GraphQL, in Convive's own names: an organizer previews and
//! creates "every second Tuesday at 19:00, Europe/Paris", a member joins the third date, and a
//! change of that date and the following ones tells the member once.

use chrono::{Datelike, TimeZone, Utc};
use serde_json::json;
use tests::TestServer;
use tests::people::sign_up;

const RULE: &str = "{ frequency: MONTHLY, weekOfMonth: 2, weekdays: [TUESDAY], count: 5 }";

#[tokio::test]
async fn every_second_tuesday_is_previewed_created_joined_and_changed_from_the_third_date_on() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    // 19:00 in Paris (18:00 UTC in winter) on New Year's Day next year: the series starts on
    // the second Tuesday of January.
    let year = Utc::now().year() + 1;
    let first = Utc.with_ymd_and_hms(year, 1, 1, 18, 0, 0).unwrap();

    let preview = alice
        .gql
        .data(
            &format!(
                "query($b: DateTime!) {{ recurrencePreview(beginsOn: $b, \
                 timezone: \"Europe/Paris\", recurrence: {RULE}) }}"
            ),
            json!({ "b": first }),
        )
        .await;
    let previewed: Vec<String> = preview["recurrencePreview"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(previewed.len(), 5);

    let created = alice
        .gql
        .data(
            &format!(
                "mutation($b: DateTime!) {{
                    createEvent(title: \"Repair café\", beginsOn: $b,
                        options: {{ timezone: \"Europe/Paris\" }}, recurrence: {RULE}) {{
                        id seriesId recurrenceId beginsOn
                        recurrence {{ frequency weekOfMonth weekdays count rule timezone }}
                        occurrences(limit: 10) {{ id beginsOn seriesId }}
                    }}
                }}"
            ),
            json!({ "b": first }),
        )
        .await;
    let event = &created["createEvent"];
    assert_eq!(
        event["recurrence"],
        json!({
            "frequency": "MONTHLY", "weekOfMonth": 2, "weekdays": ["TUESDAY"], "count": 5,
            "rule": "FREQ=MONTHLY;COUNT=5;BYDAY=2TU", "timezone": "Europe/Paris"
        })
    );
    let dates = event["occurrences"].as_array().unwrap();
    let starts: Vec<String> = dates
        .iter()
        .map(|d| d["beginsOn"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(starts, previewed, "the dates shown before saving");
    assert_eq!(event["beginsOn"], json!(previewed[0]));
    assert_eq!(event["recurrenceId"], json!(previewed[0]));
    // 19:00 in Paris is 18:00 UTC in winter and 17:00 UTC in summer.
    assert!(starts[0].contains("T18:00:00"), "{starts:?}");
    assert!(starts[3].contains("T17:00:00"), "{starts:?}");

    let bob = sign_up(&server, "bob").await;
    let third = dates[2]["id"].as_str().unwrap().to_owned();
    for date in &dates[2..5] {
        bob.gql
            .data(
                "mutation($e: ID!) { joinEvent(eventId: $e) { role } }",
                json!({ "e": date["id"] }),
            )
            .await;
    }
    server.wait_for_mail(&bob.email, "take part").await;

    let changed = alice
        .gql
        .data(
            "mutation($e: ID!) {
                updateEvent(eventId: $e, title: \"Repair café, new place\",
                    applyTo: THIS_AND_FOLLOWING) {
                    title seriesId occurrences { title }
                }
            }",
            json!({ "e": third }),
        )
        .await;
    let changed = &changed["updateEvent"];
    assert_ne!(
        changed["seriesId"], event["seriesId"],
        "split at the third date"
    );
    assert_eq!(changed["occurrences"].as_array().unwrap().len(), 3);
    let mail = server
        .wait_for_mail(&bob.email, "Changed: Repair café, new place, several dates")
        .await;
    assert!(mail.mail.text.contains("3 dates"), "{}", mail.mail.text);
    let told = server
        .sent_mail()
        .into_iter()
        .filter(|m| m.mail.to == bob.email && m.mail.subject.contains("several dates"))
        .count();
    assert_eq!(told, 1, "once for three dates");

    let code = alice
        .gql
        .error_code(
            "mutation($b: DateTime!) { createEvent(title: \"Too often\", beginsOn: $b,
                recurrence: { frequency: WEEKLY, interval: 0 }) { id } }",
            json!({ "b": first }),
        )
        .await;
    assert_eq!(code, "invalid");
}

#[tokio::test]
async fn the_form_shows_the_next_dates_before_saving_and_the_page_lists_them_after() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let mut browser = tests::browser::Browser::new(&server.base_url);
    let csrf = browser.get("/login").await.csrf();
    let logged = browser
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &alice.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(logged.status, reqwest::StatusCode::SEE_OTHER);
    let year = (Utc::now().year() + 1).to_string();
    let begins = format!("{year}-01-12T19:00");
    let ends = format!("{year}-01-12T21:00");
    let csrf = browser.get("/events/new").await.csrf();
    let fields = |preview: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("title", "Repair café".to_owned()),
            ("begins", begins.clone()),
            ("ends", ends.clone()),
            ("timezone", "Europe/Paris".to_owned()),
            ("repeats", "monthly_nth".to_owned()),
            ("repeat_count", "4".to_owned()),
            ("join", "free".to_owned()),
            ("visibility", "public".to_owned()),
            ("status", "confirmed".to_owned()),
            ("preview", preview.to_owned()),
        ]
    };
    let preview_fields = fields("on");
    let preview: Vec<(&str, &str)> = preview_fields
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    let shown = browser.post("/events/new", &preview).await;
    assert_eq!(shown.status, reqwest::StatusCode::OK);
    assert!(
        shown
            .body
            .contains("the second Tuesday of each month, 4 times"),
        "{}",
        shown.body
    );
    assert!(
        shown
            .body
            .contains(&format!("Tuesday 9 February {year}, 19:00"))
    );

    let save_fields = fields("");
    let save: Vec<(&str, &str)> = save_fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = browser.post("/events/new", &save).await;
    assert_eq!(saved.status, reqwest::StatusCode::SEE_OTHER);
    let page = browser.get(saved.location.as_deref().unwrap()).await;
    assert!(page.body.contains("Next dates"), "{}", page.body);
    assert!(
        page.body
            .contains(&format!("Tuesday 9 March {year}, 19:00"))
    );
}

/// Form fields as `Browser::post` takes them.
fn as_pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn the_edit_form_of_a_date_changes_this_date_and_the_following_ones_and_says_so() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let mut browser = tests::browser::Browser::new(&server.base_url);
    let csrf = browser.get("/login").await.csrf();
    let logged = browser
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &alice.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(logged.status, reqwest::StatusCode::SEE_OTHER);
    let year = (Utc::now().year() + 1).to_string();
    let csrf = browser.get("/events/new").await.csrf();
    // The form of a weekly date in January, on `day` at `hour` for two hours.
    let form = |title: &str, day: u32, hour: u32, extra: &[(&'static str, &str)]| {
        let mut fields = vec![
            ("csrf", csrf.clone()),
            ("title", title.to_owned()),
            ("begins", format!("{year}-01-{day:02}T{hour}:00")),
            ("ends", format!("{year}-01-{day:02}T{}:00", hour + 2)),
            ("timezone", "Europe/Paris".to_owned()),
            ("join", "free".to_owned()),
            ("visibility", "public".to_owned()),
            ("status", "confirmed".to_owned()),
        ];
        fields.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
        fields
    };
    let created = form(
        "Repair café",
        12,
        19,
        &[("repeats", "weekly"), ("repeat_count", "4")],
    );
    let saved = browser.post("/events/new", &as_pairs(&created)).await;
    assert_eq!(saved.status, reqwest::StatusCode::SEE_OTHER);
    let first = saved.location.clone().unwrap();
    let first = first.split('?').next().unwrap().to_owned();
    let page = browser.get(&first).await;
    let next_dates = page.body.split("id=\"next-dates\"").nth(1).unwrap();
    let next_dates = &next_dates[..next_dates.find("</section>").unwrap()];
    let dates: Vec<String> = next_dates
        .split("<li><a href=\"/events/")
        .skip(1)
        .map(|rest| format!("/events/{}", &rest[..rest.find('"').unwrap()]))
        .collect();
    assert_eq!(dates.len(), 3, "{}", page.body);
    let second_edit = format!("{}/edit", dates[0]);

    let edit = browser.get(&second_edit).await;
    assert!(edit.body.contains("This date and the following ones"));
    assert!(
        edit.body
            .contains("name=\"apply_to\" value=\"this\" checked"),
        "{}",
        edit.body
    );

    // Moving several dates to another day is refused on the form, which keeps the choice.
    let other_day = form("Repair café", 20, 20, &[("apply_to", "following")]);
    let refused = browser.post(&second_edit, &as_pairs(&other_day)).await;
    assert_eq!(refused.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("name=\"apply_to\" value=\"following\" checked")
    );

    let later = form("Repair café, later", 19, 20, &[("apply_to", "following")]);
    let changed = browser.post(&second_edit, &as_pairs(&later)).await;
    assert_eq!(changed.status, reqwest::StatusCode::SEE_OTHER);
    let told = browser.get(changed.location.as_deref().unwrap()).await;
    assert!(
        told.body
            .contains("saved for this date and every following date of the series"),
        "{}",
        told.body
    );
    let third = browser.get(&dates[1]).await;
    assert!(third.body.contains("<h1>Repair café, later</h1>"));
    assert!(
        third.body.contains(&format!("26 January {year}, 20:00")),
        "{}",
        third.body
    );
    let before = browser.get(&first).await;
    assert!(before.body.contains("<h1>Repair café</h1>"));
    assert!(before.body.contains(&format!("12 January {year}, 19:00")));
}

#[tokio::test]
async fn the_form_takes_an_interval_and_days_to_skip_and_the_page_lists_dates_past_the_horizon() {
    // Three dates are written at a time: the rest of the rule lies past the horizon.
    let server = TestServer::builder()
        .settings(|s| s.recurrence.horizon_occurrences = 3)
        .start()
        .await;
    let alice = sign_up(&server, "alice").await;
    let mut browser = tests::browser::Browser::new(&server.base_url);
    let csrf = browser.get("/login").await.csrf();
    let logged = browser
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &alice.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(logged.status, reqwest::StatusCode::SEE_OTHER);
    let year = Utc::now().year() + 1;
    // The first Tuesday of February next year.
    let first = (1..=7)
        .filter_map(|day| chrono::NaiveDate::from_ymd_opt(year, 2, day))
        .find(|day| day.weekday() == chrono::Weekday::Tue)
        .unwrap();
    let skipped = first + chrono::Duration::days(14);
    let csrf = browser.get("/events/new").await.csrf();
    let form = |interval: &str, except: &str, preview: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("title", "Repair café".to_owned()),
            ("begins", format!("{first}T19:00")),
            ("ends", format!("{first}T21:00")),
            ("timezone", "Europe/Paris".to_owned()),
            ("repeats", "weekly".to_owned()),
            ("repeat_interval", interval.to_owned()),
            ("repeat_count", "6".to_owned()),
            ("repeat_except", except.to_owned()),
            ("join", "free".to_owned()),
            ("visibility", "public".to_owned()),
            ("status", "confirmed".to_owned()),
            ("preview", preview.to_owned()),
        ]
    };

    // Problems are told beside their fields.
    let refused = browser
        .post("/events/new", &as_pairs(&form("0", "next tuesday", "")))
        .await;
    assert_eq!(refused.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"repeat_except-error\""),
        "{}",
        refused.body
    );
    let refused = browser
        .post("/events/new", &as_pairs(&form("0", "", "")))
        .await;
    assert_eq!(refused.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"repeat_interval-error\"")
            && refused.body.contains("Give a number from 1 to 99."),
        "{}",
        refused.body
    );

    // The preview follows the rule: every other Tuesday, less the skipped one.
    let except = skipped.to_string();
    let shown = browser
        .post("/events/new", &as_pairs(&form("2", &except, "on")))
        .await;
    assert_eq!(shown.status, reqwest::StatusCode::OK);
    assert!(
        shown.body.contains(&format!(
            "every 2 weeks on Tuesday, 6 times, except {}",
            skipped.format("%-d %B %Y")
        )),
        "{}",
        shown.body
    );
    let day = |n: i64| {
        (first + chrono::Duration::days(n))
            .format("%A %-d %B %Y, 19:00")
            .to_string()
    };
    let list = shown
        .body
        .split("aria-labelledby=\"preview-title\"")
        .nth(1)
        .unwrap();
    let list = &list[..list.find("</ol>").unwrap()];
    assert_eq!(list.matches("<li>").count(), 5, "{list}");
    assert!(!list.contains(&day(14)), "the skipped day: {list}");
    for n in [0, 28, 42, 56, 70] {
        assert!(list.contains(&day(n)), "{} in {list}", day(n));
    }

    let saved = browser
        .post("/events/new", &as_pairs(&form("2", &except, "")))
        .await;
    assert_eq!(saved.status, reqwest::StatusCode::SEE_OTHER);
    let page = browser.get(saved.location.as_deref().unwrap()).await;
    let next = page.body.split("id=\"next-dates\"").nth(1).unwrap();
    let next = &next[..next.find("</section>").unwrap()];
    // Two written dates beside this one, then the rule's last two, not open yet.
    assert_eq!(next.matches("<li><a href=\"/events/").count(), 2, "{next}");
    assert_eq!(
        next.matches("not open for taking part yet").count(),
        2,
        "{next}"
    );
    for n in [28, 42, 56, 70] {
        assert!(next.contains(&day(n)), "{} in {next}", day(n));
    }
}

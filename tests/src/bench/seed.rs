//! Fills a fresh database the way people would, through backend services (accounts,
//! identities, groups, events, RSVPs, follows, feed tokens): no SQL of our own, so every row,
//! index entry and queued job is what the application itself writes.

use std::time::{Duration, Instant};

use backend::AppContext;
use backend::actors::persons::NewPerson;
use backend::addresses::AddressInput;
use backend::events::NewEvent;
use backend::groups::service::NewGroup;
use backend::i18n::Locale;
use backend::participations::JoinRequest;
use backend::principal::Principal;
use backend::users::CurrentUser;
use backend::users::service::{AdminAccountOptions, NewAccount};
use chrono::{DateTime, Duration as Span, Utc};
use futures::StreamExt;

pub const PASSWORD: &str = "bench password 1234";

/// ~50 cities with their coordinates (latitude, longitude).
pub const CITIES: &[(&str, f64, f64)] = &[
    ("Paris", 48.8566, 2.3522),
    ("Lyon", 45.7640, 4.8357),
    ("Marseille", 43.2965, 5.3698),
    ("Toulouse", 43.6047, 1.4442),
    ("Nantes", 47.2184, -1.5536),
    ("Bordeaux", 44.8378, -0.5792),
    ("Lille", 50.6292, 3.0573),
    ("Rennes", 48.1173, -1.6778),
    ("Strasbourg", 48.5734, 7.7521),
    ("Montpellier", 43.6108, 3.8767),
    ("Grenoble", 45.1885, 5.7245),
    ("Dijon", 47.3220, 5.0415),
    ("Angers", 47.4784, -0.5632),
    ("Nîmes", 43.8367, 4.3601),
    ("Brest", 48.3904, -4.4861),
    ("Tours", 47.3941, 0.6848),
    ("Limoges", 45.8336, 1.2611),
    ("Amiens", 49.8941, 2.2958),
    ("Metz", 49.1193, 6.1757),
    ("Besançon", 47.2378, 6.0241),
    ("Perpignan", 42.6887, 2.8948),
    ("Orléans", 47.9030, 1.9093),
    ("Rouen", 49.4432, 1.0999),
    ("Caen", 49.1829, -0.3707),
    ("Nancy", 48.6921, 6.1844),
    ("Poitiers", 46.5802, 0.3404),
    ("Pau", 43.2951, -0.3708),
    ("La Rochelle", 46.1603, -1.1511),
    ("Bruxelles", 50.8503, 4.3517),
    ("Liège", 50.6326, 5.5797),
    ("Namur", 50.4674, 4.8720),
    ("Genève", 46.2044, 6.1432),
    ("Lausanne", 46.5197, 6.6323),
    ("Montréal", 45.5019, -73.5674),
    ("Québec", 46.8139, -71.2080),
    ("Berlin", 52.5200, 13.4050),
    ("Hamburg", 53.5511, 9.9937),
    ("München", 48.1351, 11.5820),
    ("Köln", 50.9375, 6.9603),
    ("Amsterdam", 52.3676, 4.9041),
    ("Rotterdam", 51.9244, 4.4777),
    ("Barcelona", 41.3874, 2.1686),
    ("Madrid", 40.4168, -3.7038),
    ("Lisboa", 38.7223, -9.1393),
    ("Porto", 41.1579, -8.6291),
    ("Milano", 45.4642, 9.1900),
    ("Torino", 45.0703, 7.6869),
    ("Bologna", 44.4949, 11.3426),
    ("Wien", 48.2082, 16.3738),
    ("Praha", 50.0755, 14.4378),
];

pub const TAGS: &[&str] = &[
    "concert",
    "jazz",
    "vélo",
    "repair café",
    "climat",
    "jardin",
    "cinéma",
    "lecture",
    "danse",
    "théâtre",
    "randonnée",
    "atelier",
    "logiciel libre",
    "cuisine",
    "marché",
    "brocante",
    "conférence",
    "poésie",
    "photo",
    "enfants",
    "musique",
    "solidarité",
    "féminisme",
    "nature",
    "chorale",
    "échecs",
    "yoga",
    "bal",
    "expo",
    "débat",
];

const CATEGORIES: &[&str] = &[
    "MUSIC",
    "ARTS",
    "COMMUNITY",
    "OUTDOORS_ADVENTURE",
    "LEARNING",
    "FOOD_DRINK",
    "SPORTS",
    "MOVEMENTS_POLITICS",
    "THEATRE",
    "SCIENCE_TECH",
];

const WORDS: &[&str] = &[
    "soirée",
    "rencontre",
    "atelier",
    "fête",
    "balade",
    "discussion",
    "projection",
    "concert",
    "marche",
    "assemblée",
    "goûter",
    "répétition",
    "permanence",
    "session",
    "initiation",
    "bal",
];

/// A small deterministic generator: the same seed gives the same data on every run.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Self(
            seed.wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407),
        )
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// How much to make.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub events: usize,
    /// Events of the one big group (its feed is measured).
    pub big_group_events: usize,
    pub users: usize,
    pub groups: usize,
    /// People going to the popular event.
    pub popular_participants: usize,
    /// Events each user joins beside the popular one.
    pub joins_per_user: usize,
    /// Events the owner of the private feed goes to.
    pub feed_owner_joins: usize,
}

/// A local person, as the seed made them.
#[derive(Debug, Clone)]
pub struct Person {
    pub email: String,
    pub user: CurrentUser,
    pub actor_id: i64,
}

/// What the scenarios need to know about the seeded data.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub popular_event_uuid: String,
    pub big_group: String,
    /// One of the big group's events and who may edit it, for feeds rebuilt after a change.
    pub big_group_event: (CurrentUser, i64),
    pub feed_token: String,
    pub people: Vec<Person>,
    /// Upcoming public events, for RSVPs under load (none of them has the people above yet,
    /// except by chance of `joins_per_user`).
    pub joinable_event_ids: Vec<i64>,
    pub took: Duration,
}

pub fn city_address(city: usize, rng: &mut Lcg) -> AddressInput {
    let (name, lat, lon) = CITIES[city % CITIES.len()];
    // Spread places a few kilometres around the centre.
    let dlat = (rng.below(2000) as f64 - 1000.0) / 1000.0 * 0.05;
    let dlon = (rng.below(2000) as f64 - 1000.0) / 1000.0 * 0.07;
    AddressInput {
        description: Some(format!("Salle {}", rng.below(40) + 1)),
        street: Some(format!("{} rue de la République", rng.below(120) + 1)),
        postal_code: None,
        locality: Some(name.to_owned()),
        region: None,
        country: None,
        geom: Some(format!("{};{}", lon + dlon, lat + dlat)),
    }
}

pub fn event_description(rng: &mut Lcg) -> String {
    let mut text = String::from("<p>");
    for sentence in 0..(8 + rng.below(10)) {
        if sentence > 0 && sentence % 4 == 0 {
            text.push_str("</p><p>");
        }
        for word in 0..(8 + rng.below(8)) {
            if word > 0 {
                text.push(' ');
            }
            text.push_str(WORDS[rng.below(WORDS.len())]);
            if rng.below(6) == 0 {
                text.push(' ');
                text.push_str(TAGS[rng.below(TAGS.len())]);
            }
        }
        text.push_str(". ");
    }
    text.push_str("</p><p>Entrée libre, <strong>bienvenue à toutes et tous</strong>.</p>");
    text
}

/// A public event of `group`, starting at `begins_on`, somewhere in city number `city`.
pub fn new_event(
    rng: &mut Lcg,
    organizer_actor_id: i64,
    group_id: Option<i64>,
    begins_on: DateTime<Utc>,
    city: usize,
) -> NewEvent {
    let tags: Vec<String> = (0..(1 + rng.below(3)))
        .map(|_| TAGS[rng.below(TAGS.len())].to_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let title = format!(
        "{} {} à {}",
        WORDS[rng.below(WORDS.len())],
        tags[0],
        CITIES[city % CITIES.len()].0
    );
    NewEvent {
        organizer_actor_id: Some(organizer_actor_id),
        attributed_to_id: group_id,
        title,
        description: Some(event_description(rng)),
        begins_on: Some(begins_on),
        ends_on: Some(begins_on + Span::hours(2 + rng.below(4) as i64)),
        category: Some(CATEGORIES[rng.below(CATEGORIES.len())].to_owned()),
        tags: Some(tags),
        language: Some("fr".to_owned()),
        physical_address: Some(city_address(city, rng)),
        options: backend::events::EventOptions {
            timezone: Some("Europe/Paris".to_owned()),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// A confirmed account with its first identity, as `convive users create --confirmed
/// --username` makes it (the password is really hashed).
pub async fn person(
    ctx: &AppContext,
    username: &str,
    adjust: impl FnOnce(&mut entity::user::ActiveModel),
) -> anyhow::Result<Person> {
    use sea_orm::{ActiveModelTrait, IntoActiveModel};
    let email = format!("{username}@bench.example");
    let user = backend::users::service::create_account(
        ctx,
        NewAccount {
            email: email.clone(),
            password: PASSWORD.to_owned(),
            locale: Some("fr".to_owned()),
            timezone: None,
            invitation: None,
        },
        AdminAccountOptions {
            role: None,
            confirmed: true,
        },
    )
    .await?;
    let actor = backend::actors::persons::register(
        ctx,
        &backend::principal::Principal::System,
        &email,
        None,
        NewPerson {
            preferred_username: username.to_owned(),
            name: Some(username.to_owned()),
            summary: None,
        },
    )
    .await?;
    let mut active = user.clone().into_active_model();
    adjust(&mut active);
    let user = if active.is_changed() {
        active.update(&ctx.db).await?
    } else {
        user
    };
    Ok(Person {
        email,
        user: CurrentUser::from_model(&user, 0, Locale::Fr),
        actor_id: actor.id,
    })
}

/// Runs `make(i)` for `0..n` with at most `concurrency` at a time, printing progress.
pub async fn in_parallel<T, F, Fut>(
    label: &str,
    n: usize,
    concurrency: usize,
    make: F,
) -> anyhow::Result<Vec<T>>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    let started = Instant::now();
    let mut out = Vec::with_capacity(n);
    let mut stream = futures::stream::iter((0..n).map(&make)).buffered(concurrency.max(1));
    let mut last_report = Instant::now();
    while let Some(item) = stream.next().await {
        out.push(item?);
        if last_report.elapsed() > Duration::from_secs(10) {
            eprintln!(
                "  {label}: {}/{n} ({:.0}s)",
                out.len(),
                started.elapsed().as_secs_f64()
            );
            last_report = Instant::now();
        }
    }
    eprintln!("  {label}: {n} in {:.1}s", started.elapsed().as_secs_f64());
    Ok(out)
}

/// Seeds the database behind `ctx` (a context without workers).
pub async fn seed(ctx: &AppContext, plan: Plan) -> anyhow::Result<Seeded> {
    let started = Instant::now();
    let now = ctx.now();
    let concurrency = 4;

    let people = in_parallel("accounts", plan.users, concurrency, |i| async move {
        person(ctx, &format!("person{i}"), |_| {}).await
    })
    .await?;

    // Groups, each run by one person; the first one is big.
    let groups = in_parallel("groups", plan.groups, concurrency, |i| {
        let creator = people[i % people.len()].clone();
        async move {
            let actor = backend::actors::find(&ctx.db, creator.actor_id).await?;
            let mut rng = Lcg::new(i as u64);
            let group = backend::groups::service::create(
                ctx,
                &actor,
                NewGroup {
                    preferred_username: format!("collectif{i}"),
                    name: Some(format!("Collectif {} {i}", CITIES[i % CITIES.len()].0)),
                    summary: Some("Un collectif qui organise des choses.".to_owned()),
                    physical_address: Some(city_address(i, &mut rng)),
                    ..Default::default()
                },
            )
            .await?;
            Ok((group, creator))
        }
    })
    .await?;

    // Events spread over the next year, the soonest in a few hours.
    let year = Span::days(365);
    let total = plan.events;
    let step = year.num_seconds() / total.max(1) as i64;
    let big = plan.big_group_events.min(total);
    let events = in_parallel("events", total, concurrency, |i| {
        let (group, organizer) = if i < big {
            groups[0].clone()
        } else {
            groups[1 + i % (groups.len() - 1)].clone()
        };
        async move {
            let mut rng = Lcg::new(1000 + i as u64);
            // The big group's events are interleaved in time with the others.
            let slot = if i < big { i * (total / big.max(1)) } else { i };
            let begins = now
                + Span::hours(3)
                + Span::seconds(step * slot as i64)
                + Span::minutes(rng.below(120) as i64);
            let city = rng.below(CITIES.len());
            let new = new_event(&mut rng, organizer.actor_id, Some(group.id), begins, city);
            let event =
                backend::events::service::create(ctx, &Principal::User(organizer.user), new)
                    .await?;
            Ok(event)
        }
    })
    .await?;

    // The popular event: a big-group event a fortnight away; most people go.
    let popular = events[..big.max(1)]
        .iter()
        .find(|e| e.begins_on > now + Span::days(14))
        .unwrap_or(&events[0])
        .clone();
    let popular_id = popular.id;
    let going = plan.popular_participants.min(people.len());
    in_parallel("RSVPs to the popular event", going, concurrency, |i| {
        let person = people[i].clone();
        async move {
            // The group's creator already takes part, as the event's creator.
            match join(ctx, &person, popular_id).await {
                Ok(_) | Err(backend::Error::Conflict { .. }) => Ok(()),
                Err(err) => Err(err.into()),
            }
        }
    })
    .await?;

    // Everyone goes to a few other events and follows a few groups. RSVPs of the seed go to
    // the first half of the events; the second half is left for RSVPs under load.
    let event_ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    let n_events = (event_ids.len() / 2).max(1);
    let per_user = plan.joins_per_user;
    in_parallel("other RSVPs", people.len() * per_user, concurrency, |k| {
        let person = people[k / per_user.max(1)].clone();
        let mut rng = Lcg::new(77_000 + k as u64);
        let event_id = event_ids[rng.below(n_events)];
        async move {
            // Picking the same event twice is a conflict, and harmless.
            if event_id != popular_id {
                let _ = join(ctx, &person, event_id).await;
            }
            Ok(())
        }
    })
    .await?;
    let follows_per_user = 3.min(groups.len());
    in_parallel(
        "follows",
        people.len() * follows_per_user,
        concurrency,
        |k| {
            let person = people[k / follows_per_user].clone();
            let group_id = groups[(k * 7 + k / follows_per_user) % groups.len()].0.id;
            async move {
                let request = backend::groups::follows::FollowRequest {
                    target_id: group_id,
                    actor_id: Some(person.actor_id),
                    notify: k % 2 == 0,
                };
                let principal = Principal::User(person.user.clone());
                backend::groups::follows::follow(ctx, &principal, request).await?;
                Ok(())
            }
        },
    )
    .await?;

    // The owner of the private feed goes to many events.
    let owner = people[people.len() - 1].clone();
    let owner_joins = plan.feed_owner_joins.min(n_events);
    in_parallel("feed owner's RSVPs", owner_joins, concurrency, |k| {
        let person = owner.clone();
        let event_id = event_ids[(k * n_events) / owner_joins.max(1)];
        async move {
            if event_id != popular_id {
                let _ = join(ctx, &person, event_id).await;
            }
            Ok(())
        }
    })
    .await?;
    let token = backend::feeds::tokens::create(ctx, &owner.user, None).await?;

    // Events nobody goes to yet but their organizer, for RSVPs under load.
    let joinable_event_ids = event_ids[n_events..]
        .iter()
        .copied()
        .filter(|id| *id != popular_id)
        .collect();
    Ok(Seeded {
        popular_event_uuid: popular.uuid,
        big_group: groups[0].0.preferred_username.clone(),
        big_group_event: (groups[0].1.user.clone(), events[0].id),
        feed_token: token.token,
        people,
        joinable_event_ids,
        took: started.elapsed(),
    })
}

pub async fn join(
    ctx: &AppContext,
    person: &Person,
    event_id: i64,
) -> backend::Result<entity::participant::Model> {
    let request = JoinRequest {
        event_id,
        actor_id: Some(person.actor_id),
        ..JoinRequest::default()
    };
    backend::participations::join(
        ctx,
        &Principal::User(person.user.clone()),
        &backend::rate_limits::Client::Local,
        request,
    )
    .await
    .and_then(backend::participations::Joined::into_participation)
}

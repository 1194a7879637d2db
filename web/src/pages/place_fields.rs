//! Where an event happens, on its form: the organizer types an address and presses "Look it
//! up"; the form comes back, everything typed kept, with the places found as radio buttons;
//! the one picked carries its position in its value. Nobody types coordinates, and it all
//! works without JavaScript.

use backend::addresses::AddressInput;
use backend::geocoding::{AddressQuery, FoundPlace};
use serde::{Deserialize, Serialize};

use super::Visitor;
use super::i18n::t;

/// How many places a lookup offers.
const SUGGESTIONS: usize = 6;

/// The radio value of the address kept as typed, without a position.
const AS_TYPED: &str = "typed";

/// The place fields of the event form, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct PlaceFields {
    /// The name of the place ("Maison des associations").
    #[serde(default)]
    pub(super) place: String,
    /// The address as typed ("12 rue de Paris, Montreuil").
    #[serde(default)]
    pub(super) address: String,
    /// The place picked: a suggestion's value, [`AS_TYPED`], or nothing.
    #[serde(default)]
    pub(super) chosen: String,
    /// Set by the "Look it up" button (not the form's default button: Enter in a field saves,
    /// see `event_form.html`).
    #[serde(default)]
    pub(super) lookup: String,
    /// The places the last lookup found, offered as radio buttons.
    #[serde(skip)]
    pub(super) suggestions: Vec<Suggestion>,
    /// Whether a lookup ran and found nothing.
    #[serde(skip)]
    pub(super) nothing_found: bool,
    /// What the lookup says, in the visitor's language.
    #[serde(skip)]
    pub(super) hint: Option<String>,
}

/// A place offered on the form.
#[derive(Clone)]
pub struct Suggestion {
    /// The radio button's value: the place with its position.
    pub value: String,
    pub label: String,
}

/// What a suggestion's value holds: the address found, and the words it was found for (a
/// changed address asks for a new lookup).
#[derive(Serialize, Deserialize, Default, PartialEq, Debug)]
struct Chosen {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    street: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lon: Option<f64>,
    /// The address typed when it was found.
    q: String,
}

impl Chosen {
    fn label(&self) -> String {
        let town = [self.postal_code.as_deref(), self.locality.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        [
            self.street.as_deref(),
            Some(town.as_str()),
            self.region.as_deref(),
            self.country.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    }

    fn suggestion(&self) -> Suggestion {
        Suggestion {
            value: serde_json::to_string(self).unwrap_or_default(),
            label: self.label(),
        }
    }
}

impl PlaceFields {
    /// The fields of a stored place, offered as the place picked.
    pub(super) fn of(address: Option<&entity::address::Model>) -> Self {
        let Some(address) = address else {
            return Self::default();
        };
        let typed = [
            address.street.as_deref(),
            address.postal_code.as_deref(),
            address.locality.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        let chosen = Chosen {
            street: address.street.clone(),
            postal_code: address.postal_code.clone(),
            locality: address.locality.clone(),
            region: address.region.clone(),
            country: address.country.clone(),
            lat: address.latitude,
            lon: address.longitude,
            q: typed.trim().to_owned(),
        };
        let has_address = !chosen.label().is_empty();
        let suggestion = chosen.suggestion();
        Self {
            place: address.description.clone().unwrap_or_default(),
            address: chosen.q.clone(),
            chosen: if has_address {
                suggestion.value.clone()
            } else {
                String::new()
            },
            suggestions: if has_address {
                vec![suggestion]
            } else {
                Vec::new()
            },
            ..Self::default()
        }
    }

    fn chosen(&self) -> Option<Chosen> {
        serde_json::from_str(&self.chosen).ok()
    }

    /// Whether the form should come back with places to pick rather than be saved: the
    /// organizer asked, or typed an address and picked none of the places found for it.
    pub(super) fn wants_lookup(&self) -> bool {
        let typed = self.address.trim();
        if typed.is_empty() {
            return false;
        }
        if !self.lookup.is_empty() {
            return true;
        }
        if self.chosen == AS_TYPED {
            return false;
        }
        match self.chosen() {
            Some(chosen) => chosen.q != typed,
            None => true,
        }
    }

    /// Looks the typed address up and offers what was found.
    pub(super) async fn look_up(&mut self, ctx: &backend::AppContext, visitor: &Visitor) {
        let typed = self.address.trim().to_owned();
        let query = AddressQuery {
            text: typed.clone(),
            language: visitor.locale.code().to_owned(),
            towns_only: false,
            limit: SUGGESTIONS,
        };
        let found = match ctx
            .geocoder
            .search_address(&visitor.principal(), &query)
            .await
        {
            Ok(found) => found,
            Err(err) => {
                if err.is_internal() {
                    tracing::error!(error = %err, "looking an address up failed");
                }
                Vec::new()
            }
        };
        self.nothing_found = found.is_empty();
        self.suggestions = found
            .into_iter()
            .map(|found| chosen_of(found, &typed).suggestion())
            .collect();
        self.chosen = self
            .suggestions
            .first()
            .map(|s| s.value.clone())
            .unwrap_or_else(|| AS_TYPED.to_owned());
        self.hint = Some(t(
            visitor.locale,
            if self.nothing_found {
                "place-nothing-found"
            } else {
                "place-pick-one"
            },
        ));
    }

    /// The places to show as radio buttons: those found, or the one picked before (a form
    /// that came back for another reason).
    pub fn choices(&self) -> Vec<Suggestion> {
        if !self.suggestions.is_empty() {
            return self.suggestions.clone();
        }
        self.chosen()
            .map(|chosen| vec![chosen.suggestion()])
            .unwrap_or_default()
    }

    pub fn is_chosen(&self, value: &str) -> bool {
        self.chosen == value
    }

    pub fn as_typed(&self) -> &'static str {
        AS_TYPED
    }

    /// The address to store.
    pub(super) fn address_input(&self) -> Option<AddressInput> {
        let description = none_if_empty(&self.place);
        let input = match self.chosen() {
            Some(chosen) => AddressInput {
                description,
                street: chosen.street,
                postal_code: chosen.postal_code,
                locality: chosen.locality,
                region: chosen.region,
                country: chosen.country,
                geom: chosen
                    .lat
                    .zip(chosen.lon)
                    .map(|(lat, lon)| backend::addresses::format_geom(lat, lon)),
            },
            // Kept as typed: a job finds its position later, if a geocoder knows it.
            None => AddressInput {
                description,
                street: none_if_empty(&self.address),
                ..AddressInput::default()
            },
        };
        (input != AddressInput::default()).then_some(input)
    }
}

fn none_if_empty(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn chosen_of(found: FoundPlace, typed: &str) -> Chosen {
    let place = found.place;
    Chosen {
        street: place.street,
        postal_code: place.postal_code,
        locality: place.locality,
        region: place.region,
        country: place.country,
        lat: place.latitude,
        lon: place.longitude,
        q: typed.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picked(q: &str) -> PlaceFields {
        let chosen = Chosen {
            street: Some("12 rue de Paris".into()),
            postal_code: Some("93100".into()),
            locality: Some("Montreuil".into()),
            lat: Some(48.86),
            lon: Some(2.44),
            q: q.into(),
            ..Chosen::default()
        };
        PlaceFields {
            address: "12 rue de Paris, Montreuil".into(),
            chosen: serde_json::to_string(&chosen).expect("json"),
            ..PlaceFields::default()
        }
    }

    #[test]
    fn a_picked_place_is_stored_with_its_position_and_the_place_name() {
        let mut fields = picked("12 rue de Paris, Montreuil");
        fields.place = "Chez Lulu".into();
        assert!(!fields.wants_lookup());
        let input = fields.address_input().expect("an address");
        assert_eq!(input.description.as_deref(), Some("Chez Lulu"));
        assert_eq!(input.locality.as_deref(), Some("Montreuil"));
        assert_eq!(input.geom.as_deref(), Some("2.44;48.86"));
    }

    #[test]
    fn an_address_changed_after_picking_or_never_looked_up_asks_for_a_lookup() {
        assert!(picked("12 rue de Lyon, Montreuil").wants_lookup());
        let typed = PlaceFields {
            address: "3 rue Haute".into(),
            ..PlaceFields::default()
        };
        assert!(typed.wants_lookup());
        let kept = PlaceFields {
            chosen: AS_TYPED.into(),
            ..typed
        };
        assert!(!kept.wants_lookup());
        let asked_again = PlaceFields {
            lookup: "1".into(),
            ..picked("12 rue de Paris, Montreuil")
        };
        assert!(asked_again.wants_lookup());
        let input = kept.address_input().expect("an address");
        assert_eq!(input.street.as_deref(), Some("3 rue Haute"));
        assert_eq!(input.geom, None);
    }

    #[test]
    fn no_place_at_all_is_no_address() {
        assert!(PlaceFields::default().address_input().is_none());
        assert!(!PlaceFields::default().wants_lookup());
    }
}

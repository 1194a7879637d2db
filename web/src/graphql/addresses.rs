//! Places (Mobilizon's `Address` and `AddressInput`), with `geom` as `"lon;lat"`.

use async_graphql::{ID, InputObject, Object, SimpleObject};
use backend::addresses::AddressInput as DomainAddress;
use entity::address;

/// Who made a picture, or where it comes from.
#[derive(SimpleObject)]
pub struct PictureInfoElement {
    name: String,
    url: String,
}

/// Mobilizon's picture of a place.
#[derive(SimpleObject)]
pub struct PictureInfo {
    url: String,
    author: PictureInfoElement,
    source: PictureInfoElement,
}

/// A place: an event's venue or a group's home.
pub struct Address(pub address::Model);

#[Object]
impl Address {
    async fn id(&self) -> ID {
        ID::from(self.0.id.to_string())
    }

    /// The name of the place.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn street(&self) -> Option<&str> {
        self.0.street.as_deref()
    }

    async fn postal_code(&self) -> Option<&str> {
        self.0.postal_code.as_deref()
    }

    async fn locality(&self) -> Option<&str> {
        self.0.locality.as_deref()
    }

    async fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
    }

    async fn country(&self) -> Option<&str> {
        self.0.country.as_deref()
    }

    /// The geocoder's kind of place (house, street, city…): none is kept, places are typed
    /// by hand here.
    #[graphql(name = "type")]
    async fn kind(&self) -> Option<&str> {
        None
    }

    /// The place's page at the geocoder it came from: none is kept.
    async fn url(&self) -> Option<&str> {
        None
    }

    /// The place's id at the geocoder it came from: none is kept.
    async fn origin_id(&self) -> Option<&str> {
        None
    }

    /// The zone of the place itself is not kept; an event's zone is `options.timezone`.
    async fn timezone(&self) -> Option<&str> {
        None
    }

    /// A picture of the place, with its author and source: none is fetched (pages load
    /// nothing from elsewhere).
    async fn picture_info(&self) -> Option<PictureInfo> {
        None
    }

    /// `"longitude;latitude"`, as Mobilizon writes it.
    async fn geom(&self) -> Option<String> {
        match (self.0.latitude, self.0.longitude) {
            (Some(lat), Some(lon)) => Some(backend::addresses::format_geom(lat, lon)),
            _ => None,
        }
    }
}

#[derive(InputObject, Default, Clone)]
#[graphql(name = "AddressInput")]
pub struct AddressInput {
    pub description: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    /// `"longitude;latitude"`.
    pub geom: Option<String>,
    /// Accepted for compatibility with Mobilizon clients; places are stored per event.
    pub id: Option<ID>,
    pub origin_id: Option<String>,
    pub url: Option<String>,
    #[graphql(name = "type")]
    pub kind: Option<String>,
    pub timezone: Option<String>,
}

impl From<AddressInput> for DomainAddress {
    fn from(input: AddressInput) -> Self {
        DomainAddress {
            description: input.description,
            street: input.street,
            postal_code: input.postal_code,
            locality: input.locality,
            region: input.region,
            country: input.country,
            geom: input.geom,
        }
    }
}

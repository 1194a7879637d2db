//! Places (Mobilizon's `Address` and `AddressInput`), with `geom` as `"lon;lat"`.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use backend::addresses::{AddressInput as DomainAddress, Place};
use backend::geocoding::FoundPlace;
use entity::address;

use super::errors::{GqlResult, IntoGql};
use super::{app, principal};

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

/// A place: an event's venue or a group's home, or one an address lookup found (not stored,
/// so without an id).
pub enum Address {
    Stored(address::Model),
    Found(FoundPlace),
}

impl Address {
    fn part(
        &self,
        stored: impl Fn(&address::Model) -> &Option<String>,
        found: impl Fn(&Place) -> &Option<String>,
    ) -> Option<&str> {
        match self {
            Address::Stored(model) => stored(model).as_deref(),
            Address::Found(found_place) => found(&found_place.place).as_deref(),
        }
    }
}

#[Object]
impl Address {
    /// Stored places only; a place an address lookup found has none until it is saved.
    async fn id(&self) -> Option<ID> {
        match self {
            Address::Stored(model) => Some(ID::from(model.id.to_string())),
            Address::Found(_) => None,
        }
    }

    /// The name of the place.
    async fn description(&self) -> Option<&str> {
        self.part(|a| &a.description, |p| &p.description)
    }

    async fn street(&self) -> Option<&str> {
        self.part(|a| &a.street, |p| &p.street)
    }

    async fn postal_code(&self) -> Option<&str> {
        self.part(|a| &a.postal_code, |p| &p.postal_code)
    }

    async fn locality(&self) -> Option<&str> {
        self.part(|a| &a.locality, |p| &p.locality)
    }

    async fn region(&self) -> Option<&str> {
        self.part(|a| &a.region, |p| &p.region)
    }

    async fn country(&self) -> Option<&str> {
        self.part(|a| &a.country, |p| &p.country)
    }

    /// The kind of place a lookup found (`house`, `street`, `administrative` for a town,
    /// `zone`); none is kept for stored places.
    #[graphql(name = "type")]
    async fn kind(&self) -> Option<&str> {
        match self {
            Address::Stored(_) => None,
            Address::Found(found) => Some(found.kind.as_mobilizon()),
        }
    }

    /// The place's page at the geocoder it came from: none is kept.
    async fn url(&self) -> Option<&str> {
        None
    }

    /// The place's id at the geocoding server that found it; none is kept once stored.
    async fn origin_id(&self) -> Option<&str> {
        match self {
            Address::Stored(_) => None,
            Address::Found(found) => found.origin_id.as_deref(),
        }
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
        let position = match self {
            Address::Stored(model) => model.latitude.zip(model.longitude),
            Address::Found(found) => found.place.position(),
        };
        position.map(|(lat, lon)| backend::addresses::format_geom(lat, lon))
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

/// Mobilizon's `AddressSearchType`.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq)]
pub enum AddressSearchType {
    /// Towns, cities and villages only.
    Administrative,
}

/// Address lookup (Mobilizon's `searchAddress` and `reverseGeocode`): the instance's
/// geocoding server when its administrator set one, otherwise the towns Convive carries.
#[derive(Default)]
pub struct AddressQuery;

#[Object]
impl AddressQuery {
    /// Places matching `query`, the likeliest first.
    #[allow(clippy::too_many_arguments)]
    async fn search_address(
        &self,
        ctx: &Context<'_>,
        query: String,
        #[graphql(default = "en")] locale: String,
        #[graphql(default = 1)] page: i64,
        #[graphql(default = 10)] limit: i64,
        #[graphql(name = "type")] kind: Option<AddressSearchType>,
    ) -> GqlResult<Vec<Address>> {
        // One page: lookups answer the likeliest places, not a list to walk through.
        if page > 1 {
            return Ok(Vec::new());
        }
        let app = app(ctx)?;
        let found = app
            .geocoder
            .search_address(
                &principal(ctx),
                &backend::geocoding::AddressQuery {
                    text: query,
                    language: locale,
                    towns_only: kind == Some(AddressSearchType::Administrative),
                    limit: usize::try_from(limit).unwrap_or(1),
                },
            )
            .await
            .gql()?;
        Ok(found.into_iter().map(Address::Found).collect())
    }

    /// Places at a position, the nearest first.
    async fn reverse_geocode(
        &self,
        ctx: &Context<'_>,
        latitude: f64,
        longitude: f64,
        #[graphql(default = 15)] zoom: i64,
        #[graphql(default = "en")] locale: String,
    ) -> GqlResult<Vec<Address>> {
        let zoom = u8::try_from(zoom.clamp(0, 18)).unwrap_or(15);
        let found = app(ctx)?
            .geocoder
            .reverse_geocode(&principal(ctx), latitude, longitude, &locale, zoom)
            .await
            .gql()?;
        Ok(found.into_iter().map(Address::Found).collect())
    }
}

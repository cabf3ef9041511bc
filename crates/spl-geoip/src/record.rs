//! The part of a GeoIP2/GeoLite2 City record that `iplocation` reads, and its mapping to
//! the engine's [`Location`] (spl-semantics.md §3.3).
//!
//! We decode into our own structs rather than `maxminddb::geoip2::City` because that type
//! only knows eight languages by name, while `iplocation lang=<code>` may ask for any key
//! present in the record's `names` map.

use std::collections::BTreeMap;

use serde::Deserialize;
use spl_engine::geo::Location;

/// The `lang` value that asks for ISO codes instead of names.
pub const LANG_CODE: &str = "code";

/// The language used when a name is missing in the requested one.
pub const FALLBACK_LANG: &str = "en";

/// One City record, reduced to the keys `iplocation` uses.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub(crate) struct CityRecord<'a> {
    /// `city`: names only (cities have no ISO code).
    #[serde(borrow, default)]
    pub city: Option<Place<'a>>,
    /// `continent`: names and a two-letter `code`.
    #[serde(borrow, default)]
    pub continent: Option<Place<'a>>,
    /// `country`: where MaxMind believes the address is.
    #[serde(borrow, default)]
    pub country: Option<Place<'a>>,
    /// `registered_country`: where the block is registered; used when `country` is absent.
    #[serde(borrow, default)]
    pub registered_country: Option<Place<'a>>,
    /// `subdivisions`, largest first (`England`, then a county).
    #[serde(borrow, default)]
    pub subdivisions: Vec<Place<'a>>,
    /// `location`: coordinates, time zone, metro code.
    #[serde(borrow, default)]
    pub location: Option<Coordinates<'a>>,
}

/// A named place: city, subdivision, country or continent.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub(crate) struct Place<'a> {
    /// Names keyed by language (`en`, `de`, `pt-BR`, ...).
    #[serde(borrow, default)]
    pub names: BTreeMap<&'a str, &'a str>,
    /// ISO 3166 code of a country or subdivision (`GB`, `ENG`).
    #[serde(borrow, default)]
    pub iso_code: Option<&'a str>,
    /// Continent code (`EU`).
    #[serde(borrow, default)]
    pub code: Option<&'a str>,
}

/// The `location` map of a record.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub(crate) struct Coordinates<'a> {
    /// Latitude in degrees.
    #[serde(default)]
    pub latitude: Option<f64>,
    /// Longitude in degrees.
    #[serde(default)]
    pub longitude: Option<f64>,
    /// IANA time zone name.
    #[serde(borrow, default)]
    pub time_zone: Option<&'a str>,
    /// US metro (DMA) code; stored as a MaxMind `uint16`, and the decoder does not widen.
    #[serde(default)]
    pub metro_code: Option<u16>,
}

impl Place<'_> {
    /// The name in `lang`, else the English name, else `None`.
    pub fn name(&self, lang: &str) -> Option<String> {
        self.names
            .get(lang)
            .or_else(|| self.names.get(FALLBACK_LANG))
            .map(|name| (*name).to_string())
    }

    /// True when the map carried nothing we can show (MaxMind writes no empty maps, but a
    /// hand-made database might).
    fn is_empty(&self) -> bool {
        self.names.is_empty() && self.iso_code.is_none() && self.code.is_none()
    }
}

impl CityRecord<'_> {
    /// Maps the record to the engine's [`Location`] with names in `lang`; `lang = "code"`
    /// gives ISO codes for country and region and the continent code, and English names
    /// for the city (a city has no code).
    pub fn to_location(&self, lang: &str) -> Location {
        let wants_codes = lang.eq_ignore_ascii_case(LANG_CODE);
        let location = self.location.clone().unwrap_or_default();
        Location {
            city: self.city.as_ref().and_then(|city| city.name(lang)),
            country: self
                .effective_country()
                .and_then(|country| coded_name(country, country.iso_code, wants_codes, lang)),
            region: self
                .subdivisions
                .first()
                .and_then(|region| coded_name(region, region.iso_code, wants_codes, lang)),
            continent: self
                .continent
                .as_ref()
                .and_then(|continent| coded_name(continent, continent.code, wants_codes, lang)),
            latitude: location.latitude,
            longitude: location.longitude,
            timezone: location.time_zone.map(str::to_string),
            metro_code: location.metro_code.map(u32::from),
        }
    }

    /// `country`, or `registered_country` when the record has no country (§3.3).
    fn effective_country(&self) -> Option<&Place<'_>> {
        let country = self.country.as_ref().filter(|country| !country.is_empty());
        country.or(self.registered_country.as_ref())
    }
}

/// The code when codes are wanted, otherwise the localized name.
fn coded_name(
    place: &Place<'_>,
    code: Option<&str>,
    wants_codes: bool,
    lang: &str,
) -> Option<String> {
    if wants_codes {
        return code.map(str::to_string);
    }
    place.name(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place<'a>(names: &[(&'a str, &'a str)], iso_code: Option<&'a str>) -> Place<'a> {
        Place {
            names: names.iter().copied().collect(),
            iso_code,
            code: None,
        }
    }

    #[test]
    fn registered_country_used_when_country_absent() {
        let record = CityRecord {
            registered_country: Some(place(&[("en", "Romania"), ("de", "Rumänien")], Some("RO"))),
            ..CityRecord::default()
        };
        assert_eq!(record.to_location("en").country.as_deref(), Some("Romania"));
        assert_eq!(
            record.to_location("de").country.as_deref(),
            Some("Rumänien")
        );
        assert_eq!(record.to_location("code").country.as_deref(), Some("RO"));
    }

    #[test]
    fn country_wins_over_registered_country() {
        let record = CityRecord {
            country: Some(place(&[("en", "Bhutan")], Some("BT"))),
            registered_country: Some(place(&[("en", "Romania")], Some("RO"))),
            ..CityRecord::default()
        };
        assert_eq!(record.to_location("en").country.as_deref(), Some("Bhutan"));
    }

    #[test]
    fn missing_language_falls_back_to_english() {
        let city = place(&[("en", "Milton"), ("ru", "Мильтон")], None);
        assert_eq!(city.name("de").as_deref(), Some("Milton"));
        assert_eq!(city.name("ru").as_deref(), Some("Мильтон"));
    }

    #[test]
    fn no_english_and_no_requested_language_is_none() {
        let city = place(&[("ru", "Мильтон")], None);
        assert_eq!(city.name("de"), None);
    }

    #[test]
    fn code_without_iso_code_is_none() {
        let record = CityRecord {
            country: Some(place(&[("en", "Nowhere")], None)),
            ..CityRecord::default()
        };
        assert_eq!(record.to_location("code").country, None);
    }

    #[test]
    fn empty_record_maps_to_empty_location() {
        assert_eq!(CityRecord::default().to_location("en"), Location::default());
    }
}

//! Lookups in the embedded GeoLite2-City test database. Expected values were read from
//! MaxMind's source JSON for that database (`testdata/geoip/GeoLite2-City-Test.json`).

mod common;

use common::locate;

#[test]
fn london_in_english() {
    let location = locate("81.2.69.142", "en").expect("record");
    assert_eq!(location.city.as_deref(), Some("London"));
    assert_eq!(location.country.as_deref(), Some("United Kingdom"));
    assert_eq!(location.region.as_deref(), Some("England"));
    assert_eq!(location.continent.as_deref(), Some("Europe"));
    assert_eq!(location.latitude, Some(51.5142));
    assert_eq!(location.longitude, Some(-0.0931));
    assert_eq!(location.timezone.as_deref(), Some("Europe/London"));
    assert_eq!(location.metro_code, None);
}

#[test]
fn linkoping_sweden() {
    let location = locate("89.160.20.112", "en").expect("record");
    assert_eq!(location.city.as_deref(), Some("Linköping"));
    assert_eq!(location.country.as_deref(), Some("Sweden"));
    assert_eq!(location.region.as_deref(), Some("Östergötland County"));
    assert_eq!(location.timezone.as_deref(), Some("Europe/Stockholm"));
}

#[test]
fn private_address_has_no_record() {
    assert_eq!(locate("10.0.0.5", "en"), None);
    assert_eq!(locate("192.168.1.20", "en"), None);
    assert_eq!(locate("172.16.0.9", "en"), None);
    assert_eq!(locate("fd12:3456:789a::1", "en"), None);
}

#[test]
fn ipv6_san_diego() {
    let location = locate("2001:480::52", "en").expect("record");
    assert_eq!(location.city.as_deref(), Some("San Diego"));
    assert_eq!(location.country.as_deref(), Some("United States"));
    assert_eq!(location.region.as_deref(), Some("California"));
    assert_eq!(location.metro_code, Some(825));
}

#[test]
fn ipv6_country_only() {
    let location = locate("2001:218::1", "en").expect("record");
    assert_eq!(location.city, None);
    assert_eq!(location.country.as_deref(), Some("Japan"));
}

#[test]
fn country_without_city() {
    let location = locate("67.43.156.7", "en").expect("record");
    assert_eq!(location.city, None);
    assert_eq!(location.region, None);
    assert_eq!(location.country.as_deref(), Some("Bhutan"));
    assert_eq!(location.continent.as_deref(), Some("Asia"));
    assert_eq!(location.latitude, Some(27.5));
    assert_eq!(location.longitude, Some(90.5));
}

#[test]
fn record_without_any_country_is_found_with_country_none() {
    // 2a02:d500::/29 carries only continent and location in the source JSON.
    let location = locate("2a02:d500::1", "en").expect("record");
    assert_eq!(location.country, None);
    assert_eq!(location.continent.as_deref(), Some("Europe"));
    assert_eq!(location.timezone.as_deref(), Some("Europe/Vaduz"));
}

#[test]
fn lang_code_gives_iso_codes() {
    let location = locate("81.2.69.142", "code").expect("record");
    assert_eq!(location.country.as_deref(), Some("GB"));
    assert_eq!(location.region.as_deref(), Some("ENG"));
    assert_eq!(location.continent.as_deref(), Some("EU"));
    // A city has no code: the English name stays.
    assert_eq!(location.city.as_deref(), Some("London"));
}

#[test]
fn lang_de_with_english_fallback() {
    let location = locate("81.2.69.142", "de").expect("record");
    assert_eq!(location.city.as_deref(), Some("London"));
    assert_eq!(location.country.as_deref(), Some("Vereinigtes Königreich"));
    assert_eq!(location.continent.as_deref(), Some("Europa"));
    // The England subdivision has no German name in the database.
    assert_eq!(location.region.as_deref(), Some("England"));
}

#[test]
fn lang_de_city_missing_falls_back_to_english() {
    // Milton has only `en` and `ru` names.
    let location = locate("216.160.83.56", "de").expect("record");
    assert_eq!(location.city.as_deref(), Some("Milton"));
    assert_eq!(location.country.as_deref(), Some("USA"));
    assert_eq!(location.metro_code, Some(819));
}

#[test]
fn unknown_language_falls_back_to_english() {
    let location = locate("89.160.20.112", "xx").expect("record");
    assert_eq!(location.city.as_deref(), Some("Linköping"));
    assert_eq!(location.country.as_deref(), Some("Sweden"));
}

#[test]
fn describe_names_type_and_origin() {
    use spl_engine::geo::IpLocator;
    let locator = spl_geoip::MaxMindLocator::embedded_test().expect("opens");
    assert_eq!(locator.describe(), "GeoLite2-City (embedded test database)");
}

//! `iplocation [prefix=] [allfields=] [lang=] <field>` (§3).
//!
//! Looks up the first value of the field. When the value is missing or not an IP address,
//! or the database has no record, the record passes unchanged and `iplocation_misses` is
//! counted. Otherwise it sets, in this order, `City`, `Country`, `Region`, `lat`, `lon`
//! (and with `allfields=true` also `Continent`, `MetroCode`, `Timezone`), each name prefixed
//! with `prefix`; attributes the database lacks become `""`, and existing fields are
//! overwritten in place. Streaming; output order is input order; no record is ever removed.

use crate::geo::{IpLocator, Location};
use crate::ops::Operator;
use crate::run::{ExecContext, RunError};
use crate::value::{format_number, Record};
use spl_syntax::ast::IpLocation;
use spl_syntax::{Diagnostic, Span};
use std::net::IpAddr;
use std::sync::Arc;

/// Language of names when `lang=` is not given.
pub const DEFAULT_LANG: &str = "en";

/// The `iplocation` operator.
#[derive(Clone)]
pub struct IpLocationOperator {
    locator: Arc<dyn IpLocator>,
    field: String,
    lang: String,
    allfields: bool,
    /// Output names, prefix included, in output order (see [`OUTPUTS`]).
    names: Vec<String>,
}

/// The output fields in order; the first five are always set.
const OUTPUTS: [&str; 8] = [
    "City",
    "Country",
    "Region",
    "lat",
    "lon",
    "Continent",
    "MetroCode",
    "Timezone",
];

/// How many of [`OUTPUTS`] are set without `allfields=true`.
const BASIC_OUTPUTS: usize = 5;

impl std::fmt::Debug for IpLocationOperator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IpLocationOperator")
            .field("database", &self.locator.describe())
            .field("field", &self.field)
            .field("lang", &self.lang)
            .field("allfields", &self.allfields)
            .finish()
    }
}

/// Builds the operator for `iplocation`; without a database this is a plan error at `span`.
pub fn build(
    iplocation: &IpLocation,
    locator: Option<&Arc<dyn IpLocator>>,
    span: Span,
) -> Result<IpLocationOperator, Diagnostic> {
    let Some(locator) = locator else {
        return Err(Diagnostic::error(
            "spl::plan::no_geoip_database",
            "`iplocation` needs a GeoIP database, and none is configured",
            span,
        )
        .with_help("give the path of a GeoLite2-City .mmdb file"));
    };
    let prefix = iplocation.prefix.as_deref().unwrap_or("");
    Ok(IpLocationOperator {
        locator: Arc::clone(locator),
        field: iplocation.field.name.clone(),
        lang: iplocation
            .lang
            .clone()
            .unwrap_or_else(|| DEFAULT_LANG.to_string()),
        allfields: iplocation.allfields,
        names: OUTPUTS
            .iter()
            .map(|name| format!("{prefix}{name}"))
            .collect(),
    })
}

impl IpLocationOperator {
    /// The address to look up: the first value of the field, if it is an IP address.
    fn address(&self, record: &Record) -> Option<IpAddr> {
        record.get(&self.field)?.first().parse().ok()
    }

    /// Writes the output fields of `location` into `record`.
    fn set_fields(&self, record: &mut Record, location: Location) {
        let number = |n: Option<f64>| n.map(format_number).unwrap_or_default();
        let values = [
            location.city.unwrap_or_default(),
            location.country.unwrap_or_default(),
            location.region.unwrap_or_default(),
            number(location.latitude),
            number(location.longitude),
            location.continent.unwrap_or_default(),
            location
                .metro_code
                .map(|m| m.to_string())
                .unwrap_or_default(),
            location.timezone.unwrap_or_default(),
        ];
        let count = if self.allfields {
            OUTPUTS.len()
        } else {
            BASIC_OUTPUTS
        };
        for (name, value) in self.names.iter().zip(values).take(count) {
            record.insert(name.clone(), value);
        }
    }
}

impl Operator for IpLocationOperator {
    fn push(
        &mut self,
        mut record: Record,
        ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        let location = match self.address(&record) {
            Some(ip) => self
                .locator
                .locate(ip, &self.lang)
                .map_err(|e| RunError::Failed(e.to_string()))?,
            None => None,
        };
        match location {
            Some(location) => self.set_fields(&mut record, location),
            None => ctx.stats.iplocation_misses += 1,
        }
        out.push(record);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}

/// A fake GeoIP database for tests.
#[cfg(test)]
pub(crate) mod fake {
    use crate::geo::{IpLocator, LocateError, Location};
    use std::net::IpAddr;

    /// Knows `81.2.69.142` (London), `89.160.20.112` (Linköping), `2.125.160.216`
    /// (country only); fails on `6.6.6.6`; everything else has no record.
    #[derive(Debug)]
    pub struct FakeLocator;

    impl IpLocator for FakeLocator {
        fn locate(&self, ip: IpAddr, lang: &str) -> Result<Option<Location>, LocateError> {
            let text = ip.to_string();
            let code = lang == "code";
            match text.as_str() {
                "81.2.69.142" => Ok(Some(Location {
                    city: Some("London".into()),
                    country: Some(if code { "GB" } else { "United Kingdom" }.into()),
                    region: Some(if code { "ENG" } else { "England" }.into()),
                    continent: Some(if code { "EU" } else { "Europe" }.into()),
                    latitude: Some(51.5142),
                    longitude: Some(-0.0931),
                    timezone: Some("Europe/London".into()),
                    metro_code: None,
                })),
                "89.160.20.112" => Ok(Some(Location {
                    city: Some("Linköping".into()),
                    country: Some("Sweden".into()),
                    region: Some("Östergötland County".into()),
                    continent: Some("Europe".into()),
                    latitude: Some(58.4167),
                    longitude: Some(15.6167),
                    timezone: Some("Europe/Stockholm".into()),
                    metro_code: None,
                })),
                "2.125.160.216" => Ok(Some(Location {
                    country: Some("United Kingdom".into()),
                    latitude: Some(51.75),
                    longitude: Some(-1.25),
                    ..Location::default()
                })),
                "6.6.6.6" => Err(LocateError {
                    ip: text,
                    reason: "corrupt search tree".into(),
                }),
                _ => Ok(None),
            }
        }

        fn describe(&self) -> String {
            "fake".into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fake::FakeLocator;
    use super::*;
    use crate::ops::testing::{field, names, record, run, run_with_context, values};

    fn options(prefix: Option<&str>, allfields: bool, lang: Option<&str>) -> IpLocation {
        IpLocation {
            prefix: prefix.map(str::to_string),
            allfields,
            lang: lang.map(str::to_string),
            field: field("ip"),
        }
    }

    fn operator(iplocation: &IpLocation) -> IpLocationOperator {
        let locator: Arc<dyn IpLocator> = Arc::new(FakeLocator);
        build(iplocation, Some(&locator), Span::default()).expect("database present")
    }

    #[test]
    fn found_address_sets_five_fields() {
        let out = run(
            &operator(&options(None, false, None)),
            vec![record(&[("ip", "81.2.69.142")])],
        );
        assert_eq!(
            names(&out[0]),
            ["ip", "City", "Country", "Region", "lat", "lon"]
        );
        assert_eq!(values(&out[0], "City"), ["London"]);
        assert_eq!(values(&out[0], "Country"), ["United Kingdom"]);
        assert_eq!(values(&out[0], "Region"), ["England"]);
        assert_eq!(values(&out[0], "lat"), ["51.5142"]);
        assert_eq!(values(&out[0], "lon"), ["-0.0931"]);
    }

    #[test]
    fn allfields_prefix_and_lang() {
        let out = run(
            &operator(&options(Some("iploc_"), true, Some("code"))),
            vec![record(&[("ip", "81.2.69.142")])],
        );
        assert_eq!(
            names(&out[0])[1..],
            [
                "iploc_City",
                "iploc_Country",
                "iploc_Region",
                "iploc_lat",
                "iploc_lon",
                "iploc_Continent",
                "iploc_MetroCode",
                "iploc_Timezone"
            ]
        );
        assert_eq!(values(&out[0], "iploc_Country"), ["GB"]);
        assert_eq!(values(&out[0], "iploc_MetroCode"), [""]);
        assert_eq!(values(&out[0], "iploc_Timezone"), ["Europe/London"]);
    }

    #[test]
    fn misses_add_nothing_and_are_counted() {
        let input = vec![
            record(&[("ip", "10.0.0.5")]),
            record(&[("ip", "not-an-ip")]),
            record(&[("other", "x")]),
        ];
        let (out, ctx) =
            run_with_context(&operator(&options(None, false, None)), input.clone()).expect("ok");
        assert_eq!(out, input);
        assert_eq!(ctx.stats.iplocation_misses, 3);
    }

    #[test]
    fn unconfirmed_country_only_record_gives_empty_city() {
        let out = run(
            &operator(&options(None, false, None)),
            vec![record(&[("ip", "2.125.160.216")])],
        );
        assert_eq!(values(&out[0], "City"), [""]);
        assert_eq!(values(&out[0], "Region"), [""]);
        assert_eq!(values(&out[0], "Country"), ["United Kingdom"]);
        assert_eq!(values(&out[0], "lat"), ["51.75"]);
    }

    #[test]
    fn unconfirmed_multivalue_uses_first_value_and_overwrites() {
        let out = run(
            &operator(&options(None, false, None)),
            vec![record(&[("City", "old"), ("ip", "10.0.0.5|81.2.69.142")])],
        );
        assert_eq!(values(&out[0], "City"), ["old"]);
        let out = run(
            &operator(&options(None, false, None)),
            vec![record(&[("City", "old"), ("ip", "81.2.69.142|10.0.0.5")])],
        );
        assert_eq!(names(&out[0])[..2], ["City", "ip"]);
        assert_eq!(values(&out[0], "City"), ["London"]);
    }

    #[test]
    fn database_failure_stops_the_run() {
        let result = run_with_context(
            &operator(&options(None, false, None)),
            vec![record(&[("ip", "6.6.6.6")])],
        );
        assert!(matches!(result, Err(RunError::Failed(m)) if m.contains("6.6.6.6")));
    }

    #[test]
    fn missing_database_is_a_plan_error_at_the_command() {
        let error =
            build(&options(None, false, None), None, Span::new(3, 20)).expect_err("no database");
        assert_eq!(error.code, "spl::plan::no_geoip_database");
        assert_eq!(error.span, Some(Span::new(3, 20)));
    }
}

//! Plugs a custom GeoIP source and a custom lookup source into the engine: `iplocation`
//! asks an office-network table instead of a MaxMind database, and `lookup` finds a table
//! that lives in memory instead of in an ESCU `lookups/` folder.
//!
//! ```sh
//! cargo run -p spl --example custom_sources
//! ```

use spl::{
    record_from_json, EngineBuilder, EventMeta, IpLocator, LocateError, Location, LookupOptions,
    LookupSource, LookupTable, Record,
};
use std::net::IpAddr;
use std::process::ExitCode;
use std::sync::Arc;

const SEARCH: &str = "action=login \
    | iplocation src_ip \
    | lookup employees user OUTPUT team \
    | table user src_ip City Country team";

/// Locates the company's own networks: 10.1.0.0/16 is the Berlin office, 10.2.0.0/16 the
/// Lisbon office; other addresses are unknown.
struct OfficeNetworks;

impl IpLocator for OfficeNetworks {
    fn locate(&self, ip: IpAddr, _lang: &str) -> Result<Option<Location>, LocateError> {
        let IpAddr::V4(v4) = ip else {
            return Ok(None);
        };
        let (city, country) = match v4.octets() {
            [10, 1, _, _] => ("Berlin", "Germany"),
            [10, 2, _, _] => ("Lisbon", "Portugal"),
            _ => return Ok(None),
        };
        Ok(Some(Location {
            city: Some(city.into()),
            country: Some(country.into()),
            ..Location::default()
        }))
    }

    fn describe(&self) -> String {
        "office networks".into()
    }
}

/// One table, `employees`, kept in memory (it could come from a database or an API).
struct Directory {
    employees: Arc<LookupTable>,
}

impl Directory {
    fn new() -> Result<Directory, Box<dyn std::error::Error>> {
        let csv = "user,team\nalice,payments\nbob,platform\n";
        let table = LookupTable::from_csv("employees", "", csv, LookupOptions::default())?;
        Ok(Directory {
            employees: Arc::new(table),
        })
    }
}

impl LookupSource for Directory {
    fn table(&self, name: &str) -> Option<Arc<LookupTable>> {
        (name == "employees").then(|| self.employees.clone())
    }

    fn names(&self) -> Vec<String> {
        vec!["employees".into()]
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let engine = EngineBuilder::new()
        .ip_locator(Arc::new(OfficeNetworks))
        .lookup_source(Arc::new(Directory::new()?))
        .build()?;
    let query = spl::compile(&engine, SEARCH)?;
    let meta = EventMeta::default();
    let records = [
        r#"{"action":"login","user":"alice","src_ip":"10.1.4.7"}"#,
        r#"{"action":"login","user":"bob","src_ip":"10.2.0.9"}"#,
        r#"{"action":"login","user":"mallory","src_ip":"203.0.113.5"}"#,
        r#"{"action":"logout","user":"alice","src_ip":"10.1.4.7"}"#,
    ]
    .iter()
    .map(|text| record_from_json(text, &meta))
    .collect::<Result<Vec<Record>, _>>()?;
    let output = query.run(records)?;
    for row in &output.rows {
        let fields: Vec<String> = ["user", "src_ip", "City", "Country", "team"]
            .iter()
            .map(|name| format!("{name}={}", row.get(name).map_or("", |v| v.first())))
            .collect();
        println!("{}", fields.join(" "));
    }
    println!("{} results", output.rows.len());
    Ok(())
}

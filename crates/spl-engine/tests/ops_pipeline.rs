//! Planning and running whole pipelines built from hand-written AST nodes.

use spl_engine::geo::{IpLocator, LocateError, Location};
use spl_engine::plan::{plan, Plan, PlanContext};
use spl_engine::run::{ExecContext, RunError, RunStats, StageCount};
use spl_engine::{Record, Value};
use spl_syntax::ast::{
    Aggregation, AggregationArgument, BinaryOp, Command, CommandKind, Expr, ExprKind, Field,
    GenericCommand, IpLocation, Pipeline, RenamePair, Stats,
};
use spl_syntax::{Span, Spanned};
use std::net::IpAddr;
use std::sync::Arc;

/// A GeoIP database with the test database's London and Linköping records, one
/// country-only record, and nothing else.
struct FakeLocator;

impl IpLocator for FakeLocator {
    fn locate(&self, ip: IpAddr, _lang: &str) -> Result<Option<Location>, LocateError> {
        let location = |city: &str, country: &str, lat: f64, lon: f64| Location {
            city: (!city.is_empty()).then(|| city.to_string()),
            country: Some(country.to_string()),
            latitude: Some(lat),
            longitude: Some(lon),
            ..Location::default()
        };
        Ok(match ip.to_string().as_str() {
            "81.2.69.142" => Some(location("London", "United Kingdom", 51.5142, -0.0931)),
            "89.160.20.112" => Some(location("Linköping", "Sweden", 58.4167, 15.6167)),
            "2.125.160.216" => Some(location("", "United Kingdom", 51.75, -1.25)),
            _ => None,
        })
    }

    fn describe(&self) -> String {
        "fake".to_string()
    }
}

fn context() -> PlanContext {
    PlanContext {
        ip_locator: Some(Arc::new(FakeLocator)),
        ..PlanContext::default()
    }
}

fn field(name: &str) -> Field {
    Field {
        name: name.to_string(),
        span: Span::default(),
    }
}

fn command(name: &str, kind: CommandKind) -> Command {
    Command {
        name: Spanned::new(name.to_string(), Span::default()),
        kind,
        span: Span::default(),
    }
}

fn aggregation(function: &str, argument: Option<&str>, alias: Option<&str>) -> Aggregation {
    Aggregation {
        function: Spanned::new(function.to_string(), Span::default()),
        argument: argument.map(|a| AggregationArgument::Field(field(a))),
        alias: alias.map(field),
        span: Span::default(),
    }
}

fn pipeline(commands: Vec<Command>) -> Pipeline {
    Pipeline {
        commands,
        span: Span::default(),
    }
}

/// Runs every stage the way `Run` does: records flow through each stage as they come,
/// then each stage's held-back output flows through the stages after it.
fn run(plan: &Plan, records: Vec<Record>) -> Result<(Vec<Record>, RunStats), RunError> {
    let mut operators: Vec<_> = plan.stages.iter().map(|s| s.operator.fresh()).collect();
    let mut ctx = ExecContext {
        stats: RunStats {
            stages: vec![StageCount::default(); operators.len()],
            ..RunStats::default()
        },
        now: 0,
        ..ExecContext::default()
    };
    let mut rows = Vec::new();
    for record in records {
        let mut batch = vec![record];
        for operator in operators.iter_mut() {
            let mut out = Vec::new();
            for record in batch {
                operator.push(record, &mut ctx, &mut out)?;
            }
            batch = out;
        }
        rows.extend(batch);
    }
    for index in 0..operators.len() {
        let mut batch = Vec::new();
        operators[index].finish(&mut ctx, &mut batch)?;
        for operator in operators.iter_mut().skip(index + 1) {
            let mut out = Vec::new();
            for record in batch {
                operator.push(record, &mut ctx, &mut out)?;
            }
            batch = out;
        }
        rows.extend(batch);
    }
    Ok((rows, ctx.stats))
}

/// A Kubernetes-audit-like event.
fn event(source_ips: &[&str], user_agent: &str) -> Record {
    let mut record = Record::new();
    record.insert("source", "kubernetes");
    let ips = source_ips.iter().map(|s| s.to_string()).collect();
    if let Some(value) = Value::from_values(ips) {
        record.insert("sourceIPs{}", value);
    }
    record.insert("user.username", "system:anonymous");
    record.insert("userAgent", user_agent);
    record
}

fn values<'a>(record: &'a Record, name: &str) -> Vec<&'a str> {
    record
        .get(name)
        .map(|v| v.values().iter().map(String::as_str).collect())
        .unwrap_or_default()
}

/// `search | iplocation sourceIPs{} | stats count values(userAgent) as userAgent
/// values(user.username) as user.username BY sourceIPs{} Country City
/// | rename sourceIPs{} as src_ip, user.username as user | search`
fn flagship_without_where() -> Pipeline {
    pipeline(vec![
        command("search", CommandKind::Search(None)),
        command(
            "iplocation",
            CommandKind::IpLocation(IpLocation {
                prefix: None,
                allfields: false,
                lang: None,
                field: field("sourceIPs{}"),
            }),
        ),
        command(
            "stats",
            CommandKind::Stats(Stats {
                aggregations: vec![
                    aggregation("count", None, None),
                    aggregation("values", Some("userAgent"), Some("userAgent")),
                    aggregation("values", Some("user.username"), Some("user.username")),
                ],
                by: vec![field("sourceIPs{}"), field("Country"), field("City")],
                options: vec![],
            }),
        ),
        command(
            "rename",
            CommandKind::Rename(vec![
                RenamePair {
                    from: field("sourceIPs{}"),
                    to: field("src_ip"),
                },
                RenamePair {
                    from: field("user.username"),
                    to: field("user"),
                },
            ]),
        ),
        command("search", CommandKind::Search(None)),
    ])
}

#[test]
fn flagship_shaped_pipeline_without_where() {
    let plan = plan(&flagship_without_where(), &context()).expect("plans");
    let mut records = Vec::new();
    for _ in 0..5 {
        records.push(event(&["81.2.69.142"], "curl/7.68.0"));
    }
    records.push(event(&["81.2.69.142"], "Python-urllib/3.9"));
    // Located by its first address, then counted in both address groups.
    records.push(event(&["81.2.69.142", "10.0.0.5"], "curl/7.68.0"));
    // Private address: no location, so no Country, so dropped by stats.
    records.push(event(&["10.0.0.5"], "curl/7.68.0"));
    records.push(event(&["10.0.0.5"], "zgrab"));
    records.push(event(&["89.160.20.112"], "curl/7.68.0"));
    records.push(event(&["89.160.20.112"], "Go-http-client/1.1"));
    // Country-only record: City is "" and the event forms its own group.
    records.push(event(&["2.125.160.216"], "curl/7.68.0"));
    // No address at all: iplocation misses, stats drops it.
    records.push(event(&[], "curl/7.68.0"));

    let (rows, stats) = run(&plan, records).expect("runs");

    let columns = ["src_ip", "Country", "City", "count", "userAgent", "user"];
    for row in &rows {
        assert_eq!(row.names().collect::<Vec<_>>(), columns);
        assert_eq!(values(row, "user"), ["system:anonymous"]);
    }
    let summary: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                values(r, "src_ip")[0],
                values(r, "Country")[0],
                values(r, "City")[0],
                values(r, "count")[0],
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("2.125.160.216", "United Kingdom", "", "1"),
            ("10.0.0.5", "United Kingdom", "London", "1"),
            ("81.2.69.142", "United Kingdom", "London", "7"),
            ("89.160.20.112", "Sweden", "Linköping", "2"),
        ]
    );
    assert_eq!(
        values(&rows[2], "userAgent"),
        ["Python-urllib/3.9", "curl/7.68.0"]
    );
    assert_eq!(
        values(&rows[3], "userAgent"),
        ["Go-http-client/1.1", "curl/7.68.0"]
    );
    assert_eq!(stats.iplocation_misses, 3);
    assert_eq!(stats.dropped_missing_by_field, 3);
}

#[test]
fn plan_reports_every_problem_with_its_place() {
    let mut bad_function = aggregation("cuont", None, None);
    bad_function.function.span = Span::new(40, 45);
    let mut iplocation = command(
        "iplocation",
        CommandKind::IpLocation(IpLocation {
            prefix: None,
            allfields: false,
            lang: None,
            field: field("src"),
        }),
    );
    iplocation.span = Span::new(10, 27);
    let mut generic = command(
        "anomalydetection",
        CommandKind::Generic(GenericCommand { args: vec![] }),
    );
    generic.name.span = Span::new(60, 76);
    let pipeline = pipeline(vec![
        command("search", CommandKind::Search(None)),
        iplocation,
        command(
            "stats",
            CommandKind::Stats(Stats {
                aggregations: vec![bad_function],
                by: vec![],
                options: vec![],
            }),
        ),
        generic,
    ]);
    let errors = plan(&pipeline, &PlanContext::default()).expect_err("three problems");
    let found: Vec<(&str, Option<Span>)> = errors.iter().map(|e| (e.code, e.span)).collect();
    assert_eq!(
        found,
        [
            ("spl::plan::no_geoip_database", Some(Span::new(10, 27))),
            ("spl::plan::unknown_function", Some(Span::new(40, 45))),
            ("spl::plan::unsupported_command", Some(Span::new(60, 76))),
        ]
    );
    assert_eq!(errors[1].label.as_deref(), Some("did you mean `count`?"));
    assert_eq!(errors[2].message, "`anomalydetection` is not supported yet");
}

/// `count > 5`.
fn count_above_five() -> Expr {
    let at = |kind| Expr {
        kind,
        span: Span::default(),
    };
    at(ExprKind::Binary {
        op: BinaryOp::Gt,
        left: Box::new(at(ExprKind::Field("count".to_string()))),
        right: Box::new(at(ExprKind::Number("5".to_string()))),
    })
}

#[test]
fn flagship_shaped_pipeline_with_where() {
    let mut commands = flagship_without_where().commands;
    commands.insert(3, command("where", CommandKind::Where(count_above_five())));
    let plan = plan(&pipeline(commands), &context()).expect("plans");
    let mut records = Vec::new();
    // 10 events from London: passes `count > 5` (numeric, not "10" < "5" as text).
    for _ in 0..10 {
        records.push(event(&["81.2.69.142"], "curl/7.68.0"));
    }
    // 5 events from Linköping: removed by `count > 5`.
    for _ in 0..5 {
        records.push(event(&["89.160.20.112"], "curl/7.68.0"));
    }
    // 6 events with a country-only record: City "" and kept.
    for _ in 0..6 {
        records.push(event(&["2.125.160.216"], "zgrab"));
    }
    // 7 private-address events: dropped by stats.
    for _ in 0..7 {
        records.push(event(&["10.0.0.5"], "curl/7.68.0"));
    }
    let (rows, stats) = run(&plan, records).expect("runs");
    let summary: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                values(r, "src_ip")[0],
                values(r, "City")[0],
                values(r, "count")[0],
            )
        })
        .collect();
    assert_eq!(
        summary,
        [("2.125.160.216", "", "6"), ("81.2.69.142", "London", "10")]
    );
    assert_eq!(stats.dropped_missing_by_field, 7);
    assert_eq!(stats.iplocation_misses, 7);
}

#[test]
fn parsed_pipeline_runs_through_the_engine() {
    let engine = spl_engine::Engine::new().with_ip_locator(Arc::new(FakeLocator));
    let query = engine
        .compile(
            "* | iplocation sourceIPs{} \
             | stats count values(userAgent) as userAgent BY sourceIPs{} Country City \
             | where count > 5 \
             | rename sourceIPs{} as src_ip \
             | sort - count \
             | table src_ip count userAgent",
        )
        .expect("compiles");
    let names: Vec<&str> = query
        .plan()
        .stages
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "search",
            "iplocation",
            "stats",
            "where",
            "rename",
            "sort",
            "table"
        ]
    );
    let mut records = Vec::new();
    for _ in 0..6 {
        records.push(event(&["89.160.20.112"], "zgrab"));
    }
    for _ in 0..9 {
        records.push(event(&["81.2.69.142"], "curl/7.68.0"));
    }
    records.push(event(&["81.2.69.142"], "Wget"));
    for _ in 0..3 {
        records.push(event(&["2.125.160.216"], "curl/7.68.0"));
    }
    let output = query.run(records).expect("runs");
    let rows: Vec<(Vec<&str>, &str, Vec<&str>)> = output
        .rows
        .iter()
        .map(|r| {
            (
                r.names().collect(),
                values(r, "count")[0],
                values(r, "userAgent"),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                vec!["src_ip", "count", "userAgent"],
                "10",
                vec!["Wget", "curl/7.68.0"]
            ),
            (vec!["src_ip", "count", "userAgent"], "6", vec!["zgrab"]),
        ]
    );
    assert_eq!(values(&output.rows[0], "src_ip"), ["81.2.69.142"]);
}

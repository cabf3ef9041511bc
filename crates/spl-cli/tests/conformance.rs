//! The Splunk conformance suite: runs every case of `testdata/conformance/*.splt` through the
//! engine and checks that `testdata/conformance/README.md` lists exactly those cases with the
//! same status. The case format is described in that README.
//!
//! Each case is one test named `<file stem>::<case name>`, so `cargo test --test conformance
//! search_case` runs one file and `-- --exact search_case::values-sorted` one case.

use libtest_mimic::{Arguments, Failed, Trial};
use spl_engine::event::{record_from_json, EventMeta};
use spl_engine::lookup::{parse_match_types, LookupOptions, LookupTable, LookupTables};
use spl_engine::{Engine, Record, Value};
use spl_syntax::macros::{MacroDefinition, MacroSet};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Default fields that are left out of the comparison unless an expected row names them.
const DEFAULT_FIELDS: [&str; 4] = ["source", "sourcetype", "host", "index"];

/// The status a case declares.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Status {
    /// The engine must produce the expected output.
    Passes,
    /// A known divergence: the case is expected to fail; the text says why.
    Divergence(String),
}

impl Status {
    fn parse(text: &str) -> Result<Status, String> {
        let text = text.trim();
        if text == "passes" {
            return Ok(Status::Passes);
        }
        match text.strip_prefix("divergence:") {
            Some(reason) if !reason.trim().is_empty() => {
                Ok(Status::Divergence(reason.trim().to_string()))
            }
            _ => Err(format!(
                "status must be `passes` or `divergence: <reason>`, not `{text}`"
            )),
        }
    }

    fn label(&self) -> String {
        match self {
            Status::Passes => "passes".to_string(),
            Status::Divergence(reason) => format!("divergence: {reason}"),
        }
    }
}

/// One expected row: fields in the order written, each a single value or a multivalue.
type Row = Vec<(String, Value)>;

/// What a case expects.
#[derive(Clone, Debug)]
enum Expectation {
    /// These rows, in this order.
    Rows(Vec<Row>),
    /// Compilation fails with a diagnostic of this code.
    Error(String),
}

/// One conformance case.
#[derive(Clone, Debug)]
struct Case {
    file_stem: String,
    name: String,
    line: usize,
    rule: String,
    status: Status,
    ordered_keys: bool,
    meta: EventMeta,
    macros: Vec<MacroDefinition>,
    lookups: Vec<LookupText>,
    events: Vec<String>,
    spl: String,
    expectation: Expectation,
}

impl Case {
    fn test_name(&self) -> String {
        format!("{}::{}", self.file_stem, self.name)
    }
}

/// One table of a case's `lookups` section: the `table <name>.csv [option=value …]` line
/// and the CSV lines after it.
#[derive(Clone, Debug)]
struct LookupText {
    header: String,
    lines: Vec<String>,
}

/// The section of a case the parser is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Header,
    Events,
    Macros,
    Lookups,
    Spl,
    Expect,
}

fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/conformance")
}

fn default_meta() -> EventMeta {
    EventMeta {
        source: "conformance".to_string(),
        sourcetype: "_json".to_string(),
        host: "localhost".to_string(),
        index: "main".to_string(),
    }
}

fn new_case(file_stem: &str, name: &str, line: usize) -> Case {
    Case {
        file_stem: file_stem.to_string(),
        name: name.to_string(),
        line,
        rule: String::new(),
        status: Status::Passes,
        ordered_keys: false,
        meta: default_meta(),
        macros: Vec::new(),
        lookups: Vec::new(),
        events: Vec::new(),
        spl: String::new(),
        expectation: Expectation::Rows(Vec::new()),
    }
}

/// Parses one `.splt` file into its cases.
fn parse_file(path: &Path) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file_stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("unnamed")
        .to_string();
    let mut cases: Vec<Case> = Vec::new();
    let mut section = Section::Header;
    for (index, raw_line) in text.lines().enumerate() {
        let line_number = index + 1;
        let at = |message: String| format!("{}:{line_number}: {message}", path.display());
        let line = raw_line.trim_end();
        if let Some(name) = line.strip_prefix("# case:") {
            cases.push(new_case(&file_stem, name.trim(), line_number));
            section = Section::Header;
            continue;
        }
        let Some(case) = cases.last_mut() else {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            return Err(at("text before the first `# case:` line".to_string()));
        };
        if section == Section::Header || line.starts_with("# ") {
            if let Some(header) = line.strip_prefix("# ") {
                parse_header(case, header).map_err(at)?;
                continue;
            }
        }
        match line {
            "events" => section = Section::Events,
            "macros" => section = Section::Macros,
            "lookups" => section = Section::Lookups,
            "spl" => section = Section::Spl,
            "expect" => {
                section = Section::Expect;
                case.expectation = Expectation::Rows(Vec::new());
            }
            _ if line.starts_with("expect error ") => {
                let code = line.trim_start_matches("expect error ").trim();
                case.expectation = Expectation::Error(code.to_string());
                section = Section::Header;
            }
            _ => add_line(case, section, line).map_err(at)?,
        }
    }
    Ok(cases)
}

fn parse_header(case: &mut Case, header: &str) -> Result<(), String> {
    if let Some(rule) = header.strip_prefix("rule:") {
        case.rule = rule.trim().to_string();
    } else if let Some(status) = header.strip_prefix("status:") {
        case.status = Status::parse(status)?;
    } else if let Some(keys) = header.strip_prefix("keys:") {
        case.ordered_keys = match keys.trim() {
            "ordered" => true,
            "unordered" => false,
            other => {
                return Err(format!(
                    "keys must be `ordered` or `unordered`, not `{other}`"
                ))
            }
        };
    } else if let Some(meta) = header.strip_prefix("meta:") {
        parse_meta(&mut case.meta, meta)?;
    }
    Ok(())
}

fn parse_meta(meta: &mut EventMeta, text: &str) -> Result<(), String> {
    for pair in text.split_whitespace() {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(format!("meta entries are key=value, not `{pair}`"));
        };
        let value = value.to_string();
        match key {
            "source" => meta.source = value,
            "sourcetype" => meta.sourcetype = value,
            "host" => meta.host = value,
            "index" => meta.index = value,
            other => return Err(format!("unknown meta field `{other}`")),
        }
    }
    Ok(())
}

fn add_line(case: &mut Case, section: Section, line: &str) -> Result<(), String> {
    match section {
        Section::Header => {
            if line.trim().is_empty() {
                Ok(())
            } else {
                Err(format!("unexpected line outside a section: `{line}`"))
            }
        }
        Section::Events => {
            if !line.trim().is_empty() {
                case.events.push(line.to_string());
            }
            Ok(())
        }
        Section::Macros => {
            if !line.trim().is_empty() {
                case.macros.push(parse_macro(line)?);
            }
            Ok(())
        }
        Section::Lookups => {
            if let Some(header) = line.strip_prefix("table ") {
                case.lookups.push(LookupText {
                    header: header.trim().to_string(),
                    lines: Vec::new(),
                });
                return Ok(());
            }
            match case.lookups.last_mut() {
                Some(table) => table.lines.push(line.to_string()),
                None if line.trim().is_empty() => {}
                None => {
                    return Err(format!(
                        "a lookups section starts with `table <name>.csv`, not `{line}`"
                    ))
                }
            }
            Ok(())
        }
        Section::Spl => {
            if !case.spl.is_empty() {
                case.spl.push('\n');
            }
            case.spl.push_str(line);
            Ok(())
        }
        Section::Expect => {
            if line.trim().is_empty() {
                return Ok(());
            }
            let row = parse_row(line)?;
            if let Expectation::Rows(rows) = &mut case.expectation {
                rows.push(row);
            }
            Ok(())
        }
    }
}

/// `name = definition` or `name(a, b) = definition`.
fn parse_macro(line: &str) -> Result<MacroDefinition, String> {
    let Some((head, definition)) = line.split_once(" = ") else {
        return Err(format!(
            "a macro line is `name(args) = definition`: `{line}`"
        ));
    };
    let head = head.trim();
    let (name, arguments) = match head.split_once('(') {
        Some((name, rest)) => {
            let inner = rest.strip_suffix(')').ok_or("unclosed `(` in macro name")?;
            let arguments: Vec<String> = inner
                .split(',')
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect();
            (name.trim(), arguments)
        }
        None => (head, Vec::new()),
    };
    Ok(MacroDefinition::new(name, definition.trim(), "conformance").with_arguments(arguments))
}

/// Parses one expected row; keys keep the order in which they are written.
fn parse_row(line: &str) -> Result<Row, String> {
    let object: BTreeMap<String, serde_json::Value> = serde_json::from_str(line)
        .map_err(|e| format!("expected row is not a JSON object: {e}"))?;
    let mut row = Vec::new();
    for (key, value) in object {
        let position = key_position(line, &key).unwrap_or(usize::MAX);
        row.push((position, key, cell(&value)?));
    }
    row.sort_by_key(|(position, _, _)| *position);
    Ok(row
        .into_iter()
        .map(|(_, key, value)| (key, value))
        .collect())
}

/// Where `"key":` first occurs in the JSON text (serde_json's map does not keep order).
fn key_position(line: &str, key: &str) -> Option<usize> {
    let quoted = serde_json::to_string(key).ok()?;
    let mut start = 0;
    while let Some(found) = line.get(start..)?.find(&quoted) {
        let at = start + found;
        let after = line.get(at + quoted.len()..)?;
        if after.trim_start().starts_with(':') {
            return Some(at);
        }
        start = at + quoted.len();
    }
    None
}

fn cell(value: &serde_json::Value) -> Result<Value, String> {
    match value {
        serde_json::Value::String(s) => Ok(Value::Single(s.clone())),
        serde_json::Value::Array(items) => {
            let mut values = Vec::new();
            for item in items {
                match item {
                    serde_json::Value::String(s) => values.push(s.clone()),
                    other => return Err(format!("multivalue items must be strings: {other}")),
                }
            }
            Value::from_values(values).ok_or_else(|| "an empty array is not a value".to_string())
        }
        other => Err(format!(
            "expected values are strings or arrays of strings: {other}"
        )),
    }
}

/// The embedded MaxMind test database, opened once.
fn locator() -> Option<Arc<dyn spl_engine::IpLocator>> {
    static LOCATOR: std::sync::OnceLock<Option<Arc<dyn spl_engine::IpLocator>>> =
        std::sync::OnceLock::new();
    LOCATOR
        .get_or_init(|| {
            spl_geoip::MaxMindLocator::embedded_test()
                .ok()
                .map(|l| Arc::new(l) as Arc<dyn spl_engine::IpLocator>)
        })
        .clone()
}

/// The tables of a `lookups` section; a table's name is its file name without `.csv`.
fn lookup_tables(texts: &[LookupText]) -> Result<LookupTables, String> {
    let mut tables = LookupTables::new();
    for text in texts {
        let mut words = text.header.split_whitespace();
        let filename = words.next().unwrap_or("");
        let Some(name) = filename.strip_suffix(".csv") else {
            return Err(format!(
                "a lookup table line is `table <name>.csv …`, not `table {}`",
                text.header
            ));
        };
        let mut options = LookupOptions::default();
        for pair in words {
            let Some((key, value)) = pair.split_once('=') else {
                return Err(format!("lookup options are key=value, not `{pair}`"));
            };
            let count = || {
                value
                    .parse::<usize>()
                    .map_err(|_| format!("`{pair}` is not a count"))
            };
            match key {
                "case_sensitive_match" => options.case_sensitive = value == "true",
                "match_type" => options.match_types = parse_match_types(value)?,
                "min_matches" => options.min_matches = count()?,
                "max_matches" => options.max_matches = count()?,
                "default_match" => options.default_match = value.to_string(),
                other => return Err(format!("unknown lookup option `{other}`")),
            }
        }
        let csv = text.lines.join("\n");
        let table = LookupTable::from_csv(name, filename, &csv, options)
            .map_err(|e| format!("lookup table `{filename}`: {e}"))?;
        tables.insert(table);
    }
    Ok(tables)
}

/// Runs one case; `Ok` when the engine's behaviour equals the expectation.
fn check(case: &Case) -> Result<(), String> {
    let mut macros = MacroSet::with_builtins();
    for definition in &case.macros {
        macros.insert(definition.clone());
    }
    let mut engine = Engine::new().with_macros(macros);
    if !case.lookups.is_empty() {
        engine = engine.with_lookups(Arc::new(lookup_tables(&case.lookups)?));
    }
    if let Some(locator) = locator() {
        engine = engine.with_ip_locator(locator);
    }
    let compiled = engine.compile(&case.spl);
    let query = match (&case.expectation, compiled) {
        (Expectation::Error(code), Err(error)) => {
            let codes: Vec<&str> = error.diagnostics.iter().map(|d| d.code).collect();
            if codes.contains(&code.as_str()) {
                return Ok(());
            }
            return Err(format!("expected error `{code}`, got {codes:?}: {error}"));
        }
        (Expectation::Error(code), Ok(_)) => {
            return Err(format!("expected error `{code}`, but the search compiled"));
        }
        (Expectation::Rows(_), Err(error)) => {
            let codes: Vec<&str> = error.diagnostics.iter().map(|d| d.code).collect();
            return Err(format!("compile error {codes:?}: {error}"));
        }
        (Expectation::Rows(_), Ok(query)) => query,
    };
    let mut records = Vec::new();
    for (index, line) in case.events.iter().enumerate() {
        let record = record_from_json(line, &case.meta)
            .map_err(|e| format!("event {} is not an event: {e}", index + 1))?;
        records.push(record);
    }
    let output = query.run(records).map_err(|e| format!("run error: {e}"))?;
    let Expectation::Rows(expected) = &case.expectation else {
        return Ok(());
    };
    compare(expected, &output.rows, case.ordered_keys)
}

/// The fields of `actual` that take part in the comparison with `expected`.
fn visible(actual: &Record, expected: Option<&Row>) -> Row {
    let named = |name: &str| expected.is_some_and(|row| row.iter().any(|(k, _)| k == name));
    actual
        .iter()
        .filter(|(name, _)| {
            let hidden = name.starts_with('_') || DEFAULT_FIELDS.contains(name);
            !hidden || named(name)
        })
        .map(|(name, value)| (name.to_string(), value.clone()))
        .collect()
}

fn same_row(expected: &Row, actual: &Row, ordered_keys: bool) -> bool {
    if ordered_keys {
        return expected == actual;
    }
    let mut left = expected.clone();
    let mut right = actual.clone();
    left.sort_by(|a, b| a.0.cmp(&b.0));
    right.sort_by(|a, b| a.0.cmp(&b.0));
    left == right
}

fn compare(expected: &[Row], actual: &[Record], ordered_keys: bool) -> Result<(), String> {
    let actual_rows: Vec<Row> = actual
        .iter()
        .enumerate()
        .map(|(index, record)| visible(record, expected.get(index)))
        .collect();
    let equal = expected.len() == actual_rows.len()
        && expected
            .iter()
            .zip(&actual_rows)
            .all(|(e, a)| same_row(e, a, ordered_keys));
    if equal {
        return Ok(());
    }
    let mut message = format!(
        "rows differ (expected {}, got {}{})\n",
        expected.len(),
        actual_rows.len(),
        if ordered_keys {
            ", key order compared"
        } else {
            ""
        }
    );
    let count = expected.len().max(actual_rows.len());
    for index in 0..count {
        let left = expected.get(index);
        let right = actual_rows.get(index);
        let same = matches!((left, right), (Some(l), Some(r)) if same_row(l, r, ordered_keys));
        let marker = if same { " " } else { "!" };
        message.push_str(&format!(
            "{marker} row {}\n    expected: {}\n    actual:   {}\n",
            index + 1,
            left.map_or("(none)".to_string(), render_row),
            right.map_or("(none)".to_string(), render_row),
        ));
    }
    Err(message)
}

fn render_row(row: &Row) -> String {
    let parts: Vec<String> = row
        .iter()
        .map(|(key, value)| {
            let key = serde_json::to_string(key).unwrap_or_default();
            let value = match value {
                Value::Single(s) => serde_json::to_string(s).unwrap_or_default(),
                Value::Multi(values) => serde_json::to_string(values).unwrap_or_default(),
            };
            format!("{key}:{value}")
        })
        .collect();
    format!("{{{}}}", parts.join(","))
}

/// Turns a case into a trial; a divergence case passes when the engine does NOT conform.
fn trial(case: Case) -> Trial {
    Trial::test(case.test_name(), move || {
        let outcome = check(&case);
        match (&case.status, outcome) {
            (Status::Passes, Ok(())) => Ok(()),
            (Status::Passes, Err(message)) => Err(Failed::from(format!(
                "{}:{} (rule: {})\n{message}",
                case.file_stem, case.line, case.rule
            ))),
            (Status::Divergence(_), Err(_)) => Ok(()),
            (Status::Divergence(reason), Ok(())) => Err(Failed::from(format!(
                "{}:{}: marked `divergence: {reason}` but now conforms; \
                 set `# status: passes` here and in README.md",
                case.file_stem, case.line
            ))),
        }
    })
}

/// The `(test name, status)` pairs of the README table.
fn readme_table(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            // Name first, status last: the rule cell may hold escaped pipes (`\|`).
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
            if cells.len() < 3 {
                return None;
            }
            let (name, status) = (cells.first()?, cells.last()?);
            let name = name.trim().trim_matches('`');
            if !name.contains("::") {
                return None;
            }
            Some((name.to_string(), status.trim().to_string()))
        })
        .collect()
}

/// Checks that README.md lists every case once, with the status its file declares.
fn check_table(cases: &[Case]) -> Result<(), String> {
    let path = conformance_dir().join("README.md");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let table = readme_table(&text);
    let mut problems = Vec::new();
    let mut listed: BTreeMap<String, String> = BTreeMap::new();
    for (name, status) in table {
        if listed.insert(name.clone(), status).is_some() {
            problems.push(format!("README lists `{name}` twice"));
        }
    }
    let mut seen = BTreeMap::new();
    for case in cases {
        let name = case.test_name();
        if seen.insert(name.clone(), ()).is_some() {
            problems.push(format!("case `{name}` is defined twice"));
        }
        match listed.get(&name) {
            None => problems.push(format!("case `{name}` is missing from README.md")),
            Some(status) if *status != case.status.label() => problems.push(format!(
                "`{name}`: README says `{status}`, the case says `{}`",
                case.status.label()
            )),
            Some(_) => {}
        }
    }
    for name in listed.keys() {
        if !seen.contains_key(name) {
            problems.push(format!("README lists `{name}`, which no case file defines"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn load_cases() -> Result<Vec<Case>, String> {
    let dir = conformance_dir();
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "splt"))
        .collect();
    paths.sort();
    let mut cases = Vec::new();
    for path in paths {
        cases.extend(parse_file(&path)?);
    }
    Ok(cases)
}

fn main() {
    let arguments = Arguments::from_args();
    let mut trials = Vec::new();
    match load_cases() {
        Ok(cases) => {
            let for_table = cases.clone();
            trials.push(Trial::test("readme_table_matches_cases", move || {
                check_table(&for_table).map_err(Failed::from)
            }));
            trials.extend(cases.into_iter().map(trial));
        }
        Err(message) => {
            trials.push(Trial::test("load_cases", move || {
                Err(Failed::from(message.clone()))
            }));
        }
    }
    libtest_mimic::run(&arguments, trials).exit();
}

//! Differential tests: the scan switches (`threads`, `chunk_bytes`, `prefilter`,
//! `projection`) never change what a scan returns or reports. For every query, the rows, the
//! [`RunStats`], the malformed-event warnings (in order) and the progress calls of every
//! combination are compared with a plain reference: events read one by one with
//! [`EventReader`] and pushed through [`Query::run`]-style runs, without any optimisation.
//!
//! Queries: the shipped Kubernetes detections (`queries/kubernetes_*.yml`, with the shipped
//! macros), the flagship, a full scan, hand-written pipelines with eval/where/dedup/sort/head,
//! and randomly generated pipelines over the core operators. Events: generated Kubernetes
//! audit events with noise the readers must handle (blank lines, `\r\n`, escapes, repeated
//! keys, malformed and overlong lines, non-ASCII text).

mod random_support;

use random_support::Random;
use spl_engine::geo::{IpLocator, LocateError, Location};
use spl_engine::input::{EventReader, InputOptions, InputProblem, ReadError};
use spl_engine::scan::{Input, Progress, ScanObserver, ScanOptions};
use spl_engine::{Engine, Output, Query, RunStats};
use spl_syntax::macros::{MacroDefinition, MacroSet};
use std::cell::RefCell;
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A stand-in GeoIP database: public addresses get a country from their first octet, a city
/// for some; private ones have no record.
struct FakeLocator;

impl IpLocator for FakeLocator {
    fn locate(&self, ip: IpAddr, _lang: &str) -> Result<Option<Location>, LocateError> {
        let IpAddr::V4(v4) = ip else {
            return Ok(None);
        };
        let [first, second, ..] = v4.octets();
        if first == 10 || first == 127 || (first == 192 && second == 168) {
            return Ok(None);
        }
        let countries = ["United States", "Sweden", "China", "Brazil"];
        Ok(Some(Location {
            country: Some(countries[usize::from(first) % countries.len()].to_string()),
            city: (first % 2 == 0).then(|| format!("City{}", second % 3)),
            ..Location::default()
        }))
    }

    fn describe(&self) -> String {
        "fake".to_string()
    }
}

const USERS: [&str; 6] = [
    "system:anonymous",
    "system:kube-proxy",
    "alice@example.com",
    "system:serviceaccount:kube-system:default",
    "bob",
    "Zoë",
];
const GROUPS: [&str; 4] = [
    "system:unauthenticated",
    "system:authenticated",
    "system:masters",
    "system:serviceaccounts",
];
const VERBS: [&str; 7] = [
    "get", "list", "watch", "create", "delete", "patch", "update",
];
const RESOURCES: [&str; 6] = [
    "pods",
    "secrets",
    "clusterrolebindings",
    "configmaps",
    "pods/exec",
    "serviceaccounts",
];
const IPS: [&str; 7] = [
    "81.2.69.142",
    "89.160.20.112",
    "10.0.0.5",
    "67.43.156.7",
    "216.160.83.56",
    "192.168.1.9",
    "175.16.199.3",
];
const AGENTS: [&str; 4] = [
    "kubectl/v1.29.2 (linux/amd64)",
    "curl/8.4.0",
    "python-requests/2.31",
    "kube-scheduler/v1.29.2",
];
const CODES: [&str; 5] = ["200", "201", "403", "404", "409"];

/// One audit event (as a JSON object text), sometimes with noise.
fn audit_event(random: &mut Random, index: usize) -> String {
    let user = random.pick(&USERS);
    let group = if user == "system:anonymous" {
        "system:unauthenticated"
    } else {
        random.pick(&GROUPS)
    };
    let mut ips = vec![format!("\"{}\"", random.pick(&IPS))];
    if random.below(5) == 0 {
        ips.push(format!("\"{}\"", random.pick(&IPS)));
    }
    let verb = random.pick(&VERBS);
    let resource = random.pick(&RESOURCES);
    let code = random.pick(&CODES);
    let name = format!("obj-{}", random.below(20));
    let second = index % 60;
    let mut members = vec![
        r#""kind":"Event""#.to_string(),
        r#""apiVersion":"audit.k8s.io/v1""#.to_string(),
        format!(
            r#""stage":"{}""#,
            random.pick(&["ResponseComplete", "RequestReceived"])
        ),
        format!(
            r#""requestURI":"/api/v1/namespaces/ns{}/{resource}/{name}""#,
            random.below(3)
        ),
        format!(r#""verb":"{verb}""#),
        format!(
            r#""user":{{"username":"{}","uid":"u{}","groups":["{group}","system:authenticated"]}}"#,
            escape_some(user, random),
            random.below(4)
        ),
        format!(r#""sourceIPs":[{}]"#, ips.join(",")),
        format!(
            r#""userAgent":"{}""#,
            random.pick(&AGENTS).replace('/', "\\/")
        ),
        format!(
            r#""objectRef":{{"resource":"{resource}","namespace":"ns{}","name":"{name}"}}"#,
            random.below(3)
        ),
        format!(r#""responseStatus":{{"metadata":{{}},"code":{code}}}"#),
        format!(r#""requestReceivedTimestamp":"2024-01-10T18:22:{second:02}.{index:06}Z""#),
    ];
    if random.below(3) == 0 {
        members.push(
            r#""requestObject":{"kind":"Pod","spec":{"containers":[{"name":"c","image":"nginx:1.25","ports":[{"containerPort":80}]}],"hostPID":true},"note":"a \"quoted\" \\ value \u00e9"}"#
                .to_string(),
        );
    }
    if random.below(10) == 0 {
        // A repeated key: the last occurrence wins.
        members.push(format!(r#""verb":"{}""#, random.pick(&VERBS)));
    }
    if random.below(12) == 0 {
        members.push(format!(
            r#""annotations":{{"authorization.k8s.io/decision":"forbid","reason":"{}"}}"#,
            code
        ));
    }
    let order = random.below(members.len());
    members.rotate_left(order % 2);
    format!("{{{}}}", members.join(","))
}

/// `text`, with some characters written as `\u` escapes.
fn escape_some(text: &str, random: &mut Random) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphabetic() && random.below(8) == 0 {
                format!("\\u{:04x}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// An NDJSON file of `events` events and noise lines.
fn write_events(dir: &Path, name: &str, seed: u64, events: usize) -> PathBuf {
    let mut random = Random(seed);
    let path = dir.join(name);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    for index in 0..events {
        let line = match random.below(40) {
            0 => "{\"verb\":\"get\",\"broken\":".to_string(),
            1 => String::new(),
            2 => "   ".to_string(),
            3 => "[1,2]".to_string(),
            4 => format!("{{\"blob\":\"{}\",\"verb\":\"get\"}}", "x".repeat(700)),
            5 => "{\"verb\":\"get\",\"bad\":\"\\q\"}".to_string(),
            _ => audit_event(&mut random, index),
        };
        let ending = if random.below(7) == 0 { "\r\n" } else { "\n" };
        write!(file, "{line}{ending}").expect("write");
    }
    // A last line without a newline.
    write!(file, "{}", audit_event(&mut random, events)).expect("write");
    file.flush().expect("flush");
    path
}

/// What an observer heard.
#[derive(Default)]
struct Recorder {
    problems: RefCell<Vec<String>>,
    progress: RefCell<Vec<u64>>,
}

impl ScanObserver for Recorder {
    fn malformed(&self, problem: &InputProblem) {
        self.problems.borrow_mut().push(problem.to_string());
    }

    fn progress(&self, progress: Progress) {
        self.progress.borrow_mut().push(progress.events_read);
    }
}

/// Everything a scan gives, in comparable form.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    rows: Vec<Vec<(String, Vec<String>)>>,
    stats: RunStats,
    problems: Vec<String>,
}

impl Outcome {
    fn of(output: Output, problems: Vec<String>) -> Outcome {
        let rows = output
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|(name, value)| (name.to_string(), value.values().to_vec()))
                    .collect()
            })
            .collect();
        Outcome {
            rows,
            stats: output.stats,
            problems,
        }
    }
}

/// The `source` of the events, as the shipped `kube_audit` macro expects it.
const SOURCE: &str = "kubernetes";

/// Input options with a small line limit, so that overlong lines occur.
fn input_options() -> InputOptions {
    InputOptions {
        max_line_bytes: 640,
        source: Some(SOURCE.to_string()),
        ..InputOptions::default()
    }
}

/// The reference: every event read one by one, pushed into a run, with the prefilter or
/// without (the prefilter counts the lines it skips, and a skipped malformed line that looks
/// like an object is counted as not matched rather than as malformed: see
/// `spl_engine::prefilter`).
fn reference(query: &Query, path: &Path, prefilter: bool) -> Outcome {
    let mut reader = EventReader::new([path], input_options())
        .with_prefilter(query.prefilter().cloned().filter(|_| prefilter));
    let mut run = query.start();
    let mut problems = Vec::new();
    while let Some(item) = reader.next() {
        match item {
            Ok(record) => run.push(record).expect("runs"),
            Err(ReadError::Malformed(problem)) => {
                problems.push(problem.to_string());
                run.count_malformed();
            }
            Err(ReadError::Io(error)) => panic!("{error}"),
            Err(ReadError::Notice(notice)) => panic!("unexpected notice: {notice}"),
        }
        run.count_prefiltered(reader.take_prefiltered());
        run.count_over_truncate(reader.take_over_truncate());
    }
    run.count_prefiltered(reader.take_prefiltered());
    run.count_over_truncate(reader.take_over_truncate());
    Outcome::of(run.finish().expect("finishes"), problems)
}

/// One scan with the given switches.
fn scan(query: &Query, path: &Path, options: &ScanOptions) -> (Outcome, Vec<u64>) {
    let recorder = Recorder::default();
    let output = query
        .scan(&[Input::new(path).with_source(SOURCE)], options, &recorder)
        .expect("scans");
    let progress = recorder.progress.take();
    (Outcome::of(output, recorder.problems.take()), progress)
}

/// Every combination of switches.
fn switch_combinations() -> Vec<ScanOptions> {
    let mut all = Vec::new();
    for threads in [1, 2, 4] {
        for chunk_bytes in [1, 7, 300, 4096, 1 << 20] {
            for prefilter in [false, true] {
                for projection in [false, true] {
                    all.push(ScanOptions {
                        prefilter,
                        projection,
                        threads,
                        chunk_bytes,
                        input: input_options(),
                    });
                }
            }
        }
    }
    all
}

/// Checks every combination against the reference for `query`; the number of result rows.
fn check_query(query: &Query, spl: &str, path: &Path, combinations: &[ScanOptions]) -> usize {
    let without_prefilter = reference(query, path, false);
    let with_prefilter = reference(query, path, true);
    assert_eq!(with_prefilter.rows, without_prefilter.rows, "{spl}");
    let mut first_progress: Option<Vec<u64>> = None;
    for options in combinations {
        let (outcome, progress) = scan(query, path, options);
        let expected = if options.prefilter {
            &with_prefilter
        } else {
            &without_prefilter
        };
        assert_eq!(
            &outcome, expected,
            "query {spl}\nthreads {} chunk {} prefilter {} projection {}",
            options.threads, options.chunk_bytes, options.prefilter, options.projection
        );
        match &first_progress {
            None => first_progress = Some(progress),
            Some(first) => assert_eq!(&progress, first, "progress calls of {spl}"),
        }
    }
    without_prefilter.rows.len()
}

/// The shipped macros (`macros/*.yml`: one-line `name:` and `definition:`).
fn shipped_macros() -> MacroSet {
    let mut macros = MacroSet::with_builtins();
    let dir = repo_root().join("macros");
    for entry in std::fs::read_dir(dir).expect("macros folder") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("yml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read macro");
        let name = yaml_scalar(&text, "name").expect("macro name");
        let definition = yaml_scalar(&text, "definition").expect("macro definition");
        macros.insert(MacroDefinition::new(
            name,
            definition,
            path.display().to_string(),
        ));
    }
    macros
}

/// The value of a top-level one-line YAML key: plain, single- or double-quoted.
fn yaml_scalar(text: &str, key: &str) -> Option<String> {
    let prefix = format!("{key}: ");
    let line = text.lines().find(|line| line.starts_with(&prefix))?;
    let value = line[prefix.len()..].trim();
    if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        return Some(inner.replace("''", "'"));
    }
    if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        return Some(inner.replace("\\\"", "\"").replace("\\\\", "\\"));
    }
    Some(value.to_string())
}

/// The `search:` of a detection file: one line, or a `|-` block.
fn detection_search(text: &str) -> Option<String> {
    let value = yaml_scalar(text, "search")?;
    if value != "|-" && value != "|" {
        return Some(value);
    }
    let mut lines = text.lines().skip_while(|line| !line.starts_with("search:"));
    lines.next();
    let block: Vec<&str> = lines
        .take_while(|line| line.starts_with("    ") || line.is_empty())
        .map(str::trim)
        .collect();
    Some(block.join("\n"))
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn engine() -> Engine {
    Engine::new()
        .with_macros(shipped_macros())
        .with_ip_locator(Arc::new(FakeLocator))
}

/// The shipped Kubernetes detections, by file name.
fn kubernetes_detections() -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("queries")).expect("queries folder") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if !name.starts_with("kubernetes_")
            || !name.ends_with(".yml")
            || name.contains(".spl-tests.")
        {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read detection");
        found.push((name, detection_search(&text).expect("a search")));
    }
    found.sort();
    found
}

#[test]
fn shipped_detections_give_the_same_results_with_every_switch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_events(dir.path(), "audit.json", 7, 600);
    let engine = engine();
    let detections = kubernetes_detections();
    assert_eq!(detections.len(), 15, "the 15 shipped Kubernetes detections");
    let combinations = switch_combinations();
    let mut with_results = 0;
    for (name, spl) in &detections {
        let query = engine
            .compile(spl)
            .unwrap_or_else(|e| panic!("{name} compiles: {e}"));
        if check_query(&query, spl, &path, &combinations) > 0 {
            with_results += 1;
        }
    }
    assert!(with_results >= 5, "detections with results: {with_results}");
}

/// Hand-written pipelines: the flagship, the full scan, and streaming commands.
const PIPELINES: [&str; 14] = [
    r#"`kube_audit` "user.groups{}"="system:unauthenticated" "responseStatus.code"=403 | iplocation sourceIPs{} | stats count values(userAgent) as userAgent values(user.username) as user.username values(user.groups{}) as user.groups{} values(verb) as verb values(requestURI) as requestURI values(responseStatus.code) as responseStatus.code values(responseStatus.status) as responseStatus.status BY sourceIPs{} Country City | where count > 1 | rename sourceIPs{} as src_ip, user.username as user"#,
    "`kube_audit` | stats count values(verb) by user.username",
    "verb=get",
    "verb=get OR verb=list | eval who=upper('user.username') . \"-\" . verb | where len(who) > 5 | table who verb _time",
    "`kube_audit` 403 | dedup user.username | sort - _time | head 5",
    "objectRef.resource=secrets | eval n=mvcount('sourceIPs{}') | stats max(n) as most dc(user.uid) as uids by verb",
    "* | sort 0 user.username, - requestReceivedTimestamp | head 17 | fields user.username requestReceivedTimestamp",
    "system:anonymous | stats count by sourceIPs{} | sort - count",
    "NOT verb=get | fillnull value=none annotations.reason | stats count by annotations.reason verb",
    "\"user.username\"=\"Zoë\" OR user.username=zo* | table user.username verb",
    // `makeresults` stamps `_time` with the current second: drop it so runs compare.
    "| makeresults | eval a=1 | fields - _time",
    "verb=* | eventstats count as total by verb | dedup 2 verb | table verb total",
    "`kube_audit` | rex field=userAgent \"^(?<client>[^/]+)/\" | stats count by client",
    "responseStatus.code>=400 | streamstats count as n by user.username | where n < 3 | table user.username n",
];

#[test]
fn hand_written_pipelines_give_the_same_results_with_every_switch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_events(dir.path(), "audit.json", 11, 600);
    let engine = engine();
    let combinations = switch_combinations();
    let mut with_results = 0;
    for spl in PIPELINES {
        let query = engine
            .compile(spl)
            .unwrap_or_else(|e| panic!("{spl} compiles: {e}"));
        if check_query(&query, spl, &path, &combinations) > 0 {
            with_results += 1;
        }
    }
    assert!(
        with_results >= 11,
        "most pipelines give results: {with_results}"
    );
}

/// A random pipeline over search, where, eval, stats, dedup, sort and head.
fn random_pipeline(random: &mut Random) -> String {
    let fields = [
        "verb",
        "user.username",
        "objectRef.resource",
        "responseStatus.code",
        "sourceIPs{}",
        "user.groups{}",
    ];
    let mut stages = Vec::new();
    let first = match random.below(5) {
        0 => String::new(),
        1 => format!(
            "{}={}",
            random.pick(&fields),
            random.pick(&["get", "403", "secrets", "system:*", "10.0.0.0/8"])
        ),
        2 => format!(
            "{} {}",
            random.pick(&["system:anonymous", "pods", "403", "kubectl"]),
            random.pick(&["", "NOT verb=list", "OR verb=delete"])
        ),
        3 => format!("{}!={}", random.pick(&fields), random.pick(&["get", "200"])),
        _ => format!("{}>{}", random.pick(&fields), random.pick(&["300", "a"])),
    };
    stages.push(first);
    for _ in 0..random.below(4) {
        let field = random.pick(&fields);
        let stage = match random.below(7) {
            0 => format!("where isnotnull('{field}')"),
            1 => format!("eval x=coalesce('{field}', \"none\") . \"!\""),
            2 => format!("dedup {field}"),
            3 => format!("sort {}'{field}'", random.pick(&["", "- "])),
            4 => format!("head {}", random.below(50)),
            5 => format!("search {field}=*"),
            _ => format!("stats count dc(verb) as verbs values(user.uid) as uids by {field}"),
        };
        stages.push(stage);
    }
    if random.below(2) == 0 {
        stages.push(format!("stats count by {}", random.pick(&fields)));
    }
    stages.join(" | ")
}

#[test]
fn random_pipelines_give_the_same_results_with_every_switch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = engine();
    let mut random = Random(0x5eed_1234);
    // A smaller set of combinations per pipeline, more pipelines and files.
    let combinations: Vec<ScanOptions> = switch_combinations()
        .into_iter()
        .filter(|o| o.chunk_bytes != 7 && o.chunk_bytes != 4096)
        .collect();
    for file in 0..4 {
        let path = write_events(dir.path(), &format!("events{file}.json"), 100 + file, 300);
        for _ in 0..25 {
            let spl = random_pipeline(&mut random);
            let query = engine
                .compile(&spl)
                .unwrap_or_else(|e| panic!("{spl} compiles: {e}"));
            check_query(&query, &spl, &path, &combinations);
        }
    }
}

#[test]
fn several_files_and_folders_keep_their_order_and_line_numbers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = write_events(dir.path(), "a.json", 1, 200);
    let second = write_events(dir.path(), "b.json", 2, 200);
    let engine = engine();
    let query = engine
        .compile("verb=get | table user.username verb")
        .expect("compiles");
    let inputs = [
        Input::new(&first),
        Input::new(dir.path()),
        Input::new(&second),
    ];
    let mut expected: [Option<(Outcome, Vec<u64>)>; 2] = [None, None];
    for options in switch_combinations() {
        let recorder = Recorder::default();
        let output = query.scan(&inputs, &options, &recorder).expect("scans");
        let outcome = (
            Outcome::of(output, recorder.problems.take()),
            recorder.progress.take(),
        );
        match &expected[usize::from(options.prefilter)] {
            None => {
                // a.json, then the folder (a.json, b.json), then b.json.
                assert!(outcome.0.problems.iter().any(|p| p.contains("a.json:")));
                assert_eq!(
                    outcome.0.stats.malformed_events as usize,
                    outcome.0.problems.len()
                );
                expected[usize::from(options.prefilter)] = Some(outcome);
            }
            Some(expected) => assert_eq!(&outcome, expected),
        }
    }
}

#[test]
fn progress_is_reported_at_every_multiple_whatever_the_switches() {
    // More events than one progress interval, so the interval calls are compared too.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("many.json");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    for index in 0..70_000 {
        let line = if index % 1000 == 0 {
            "{bad"
        } else {
            r#"{"verb":"get"}"#
        };
        writeln!(file, "{line}").expect("write");
    }
    file.flush().expect("flush");
    drop(file);
    let query = Engine::new()
        .compile("verb=get | stats count")
        .expect("compiles");
    for (threads, chunk_bytes) in [(1, 1 << 20), (2, 100), (4, 1 << 16)] {
        let options = ScanOptions {
            threads,
            chunk_bytes,
            ..ScanOptions::default()
        };
        let (outcome, progress) = scan(&query, &path, &options);
        assert_eq!(
            progress,
            [65_536, 70_000],
            "threads {threads} chunk {chunk_bytes}"
        );
        assert_eq!(outcome.stats.malformed_events, 70);
        assert_eq!(outcome.stats.events_read, 69_930);
        assert_eq!(
            outcome.problems.first().map(String::as_str),
            Some(&*format!(
                "{}:1: invalid JSON event: expected a quoted object key (at byte 1)",
                path.display()
            ))
        );
    }
}

/// Events longer than Splunk's `TRUNCATE` default (10,000 bytes) are counted whether or not
/// the projection keeps their `_raw`, on every reading path.
#[test]
fn long_events_are_counted_whether_or_not_raw_is_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("long.json");
    let mut text = String::new();
    let mut long_gets = 0;
    for index in 0..40 {
        let verb = if index % 3 == 0 { "get" } else { "list" };
        let padding = if index % 4 == 0 { 10_001 } else { 10 };
        if padding > 10 && verb == "get" {
            long_gets += 1;
        }
        text.push_str(&format!(
            "{{\"verb\":\"{verb}\",\"user\":{{\"username\":\"u{}\"}},\"pad\":\"{}\"}}\n",
            index % 5,
            "x".repeat(padding)
        ));
    }
    std::fs::write(&path, &text).expect("writes");
    // The same events compressed: read by the one-by-one reader instead of the chunked one.
    let gz_path = dir.path().join("long.json.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(text.as_bytes()).expect("compresses");
    std::fs::write(&gz_path, encoder.finish().expect("compresses")).expect("writes");
    // And as one JSON array: read element by element.
    let array_path = dir.path().join("long_array.json");
    let elements: Vec<&str> = text.lines().collect();
    std::fs::write(&array_path, format!("[{}]", elements.join(",\n"))).expect("writes");
    // With search-time field definitions the readers cannot apply the first search, so
    // every event goes through `Run::push`.
    let definitions = spl_engine::FieldDefinitions::parse(
        "[_json]\nFIELDALIAS-who = user.username AS who\n",
        "test.conf",
    )
    .expect("valid definitions");
    let engines = [
        engine(),
        engine().with_field_definitions(Arc::new(definitions)),
    ];
    let options = |threads, projection| ScanOptions {
        prefilter: true,
        projection,
        threads,
        chunk_bytes: 4096,
        input: InputOptions {
            source: Some(SOURCE.to_string()),
            ..InputOptions::default()
        },
    };
    // Every event reaches the run (10 of 40 are long); only the `get` ones pass the search
    // (4 of them long: indexes 0, 12, 24, 36), and Splunk's count covers the events the
    // search reads, so both counts must come out whatever is projected.
    for (spl, expected) in [
        ("* | stats count BY user.username", 10),
        ("* | stats count BY user.username | where count > 1", 10),
        ("verb=get | stats count BY user.username", 10),
        ("verb=get", 10),
        ("* | stats count BY who", 10),
    ] {
        for (number, engine) in engines.iter().enumerate() {
            let query = engine.compile(spl).expect("compiles");
            for file in [&path, &gz_path, &array_path] {
                for threads in [1, 2] {
                    for projection in [false, true] {
                        let output = query
                            .scan(
                                &[Input::new(file).with_source(SOURCE)],
                                &options(threads, projection),
                                &Recorder::default(),
                            )
                            .expect("scans");
                        assert_eq!(
                            output.stats.events_over_truncate,
                            expected,
                            "{spl} engine {number} {} threads {threads} projection {projection}",
                            file.display()
                        );
                    }
                }
            }
        }
    }
    assert_eq!(long_gets, 4);
}

/// Chunk sizes around the smallest byte range a plain file is read in (256 bytes) and the
/// line limit, so that range ends fall on every kind of place in a line.
const BOUNDARY_CHUNK_BYTES: [usize; 10] = [1, 255, 256, 257, 300, 511, 640, 641, 1000, 1 << 20];

/// An event line of exactly `length` bytes (at least 30).
fn event_of_length(index: usize, length: usize) -> String {
    let head = format!("{{\"verb\":\"get\",\"n\":{index},\"pad\":\"");
    let pad = length.saturating_sub(head.len() + 2);
    format!("{head}{}\"}}", "p".repeat(pad))
}

/// NDJSON whose lines cross range ends in every way: leading blank lines, lengths from 30 to
/// past the 640-byte limit (with `\n` and `\r\n`), lines exactly at the limit, blank and
/// whitespace lines, malformed JSON, invalid UTF-8, and a last line without a newline.
/// Returns the bytes and, for some lines, their number and the problem expected there.
fn boundary_events() -> (Vec<u8>, Vec<(usize, String)>) {
    let mut bytes = b"\n \r\n".to_vec();
    let mut line = 2;
    let mut problems = Vec::new();
    for index in 0..400 {
        line += 1;
        // The 5000-byte line always ends in `\n` (its reported length is 5001).
        let crlf = index % 3 == 0 && index % 23 != 6;
        let text: Vec<u8> = match index % 23 {
            0 => Vec::new(),
            1 => b"   ".to_vec(),
            2 => b"{\"verb\":\"get\",\"broken\":".to_vec(),
            3 => b"{\"verb\":\"get\",\"bad\":\"\xff\"}".to_vec(),
            // Exactly at the limit: accepted.
            4 => event_of_length(index, 640).into_bytes(),
            // One byte over: reported without the terminator when the whole line is at most
            // two bytes over, with it otherwise.
            5 => {
                let length = if crlf { 643 } else { 641 };
                problems.push((line, format!("line of {length} bytes exceeds the limit")));
                event_of_length(index, 641).into_bytes()
            }
            6 => {
                problems.push((line, "line of 5001 bytes exceeds the limit".to_string()));
                event_of_length(index, 5000).into_bytes()
            }
            _ => event_of_length(index, 30 + (index * 37) % 600).into_bytes(),
        };
        bytes.extend_from_slice(&text);
        bytes.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
    }
    bytes.extend_from_slice(event_of_length(9999, 200).as_bytes());
    (bytes, problems)
}

#[test]
fn plain_files_read_in_ranges_match_reading_line_by_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("boundaries.json");
    let (bytes, expected_problems) = boundary_events();
    std::fs::write(&path, &bytes).expect("write");
    let engine = engine();
    let queries = [
        "* | eval length=len(_raw) | stats count sum(length) as bytes max(n) as last by verb",
        "verb=get | table _raw n",
        "pad=p* | stats count",
    ];
    for spl in queries {
        let query = engine.compile(spl).expect("compiles");
        let without_prefilter = reference(&query, &path, false);
        let with_prefilter = reference(&query, &path, true);
        for (line, problem) in &expected_problems {
            let wanted = format!("{}:{line}: {problem}", path.display());
            assert!(
                without_prefilter
                    .problems
                    .iter()
                    .any(|p| p.starts_with(&wanted)),
                "{wanted} in {:?}",
                without_prefilter.problems
            );
        }
        let mut progress: Option<Vec<u64>> = None;
        for threads in [1, 2, 3] {
            for chunk_bytes in BOUNDARY_CHUNK_BYTES {
                for prefilter in [false, true] {
                    let options = ScanOptions {
                        prefilter,
                        threads,
                        chunk_bytes,
                        input: input_options(),
                        ..ScanOptions::default()
                    };
                    let (outcome, calls) = scan(&query, &path, &options);
                    let expected = if prefilter {
                        &with_prefilter
                    } else {
                        &without_prefilter
                    };
                    assert_eq!(
                        &outcome, expected,
                        "{spl}: threads {threads} chunk {chunk_bytes} prefilter {prefilter}"
                    );
                    match &progress {
                        None => progress = Some(calls),
                        Some(first) => assert_eq!(&calls, first),
                    }
                }
            }
        }
    }
}

#[test]
fn plain_and_compressed_copies_of_a_file_give_the_same_results() {
    // Plain files are read in byte ranges, compressed ones through a reader in chunks.
    let dir = tempfile::tempdir().expect("tempdir");
    let (bytes, _) = boundary_events();
    let plain = dir.path().join("events.json");
    std::fs::write(&plain, &bytes).expect("write");
    let compressed = dir.path().join("events.json.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(&bytes).expect("compress");
    std::fs::write(&compressed, encoder.finish().expect("compress")).expect("write");
    let query = engine()
        .compile("* | eval length=len(_raw) | stats count sum(length) as bytes by verb")
        .expect("compiles");
    for (threads, chunk_bytes) in [(1, 1), (2, 300), (3, 1 << 20)] {
        let options = ScanOptions {
            threads,
            chunk_bytes,
            input: input_options(),
            ..ScanOptions::default()
        };
        let (from_plain, plain_progress) = scan(&query, &plain, &options);
        let (mut from_compressed, compressed_progress) = scan(&query, &compressed, &options);
        let renamed = format!("{}:", compressed.display());
        let original = format!("{}:", plain.display());
        for problem in &mut from_compressed.problems {
            *problem = problem.replace(&renamed, &original);
        }
        assert_eq!(
            from_plain, from_compressed,
            "threads {threads} chunk {chunk_bytes}"
        );
        assert_eq!(plain_progress, compressed_progress);
        assert!(from_plain.stats.malformed_events > 0);
    }
}

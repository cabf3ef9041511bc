//! A search that starts with `|` names its first command explicitly; unless that command is
//! `search`, nothing retrieves events from the inputs (they are counted as read, not used).

use spl_engine::event::{record_from_json, EventMeta};
use spl_engine::{Engine, Record};

fn events() -> Vec<Record> {
    [r#"{"user":"a"}"#, r#"{"user":"b"}"#, r#"{"user":"a"}"#]
        .iter()
        .map(|line| record_from_json(line, &EventMeta::default()).expect("valid event"))
        .collect()
}

fn counts(spl: &str) -> (Vec<String>, u64) {
    let query = Engine::new().compile(spl).expect("compiles");
    let output = query.run(events()).expect("runs");
    let rows = output
        .rows
        .iter()
        .map(|row| {
            row.get("count")
                .map_or("-".into(), |v| v.first().to_string())
        })
        .collect();
    (rows, output.stats.events_read)
}

#[test]
fn unconfirmed_leading_stats_sees_no_events() {
    assert_eq!(counts("| stats count"), (vec!["0".to_string()], 3));
}

#[test]
fn implicit_and_explicit_search_read_events() {
    assert_eq!(counts("user=a | stats count"), (vec!["2".to_string()], 3));
    assert_eq!(
        counts("| search user=a | stats count"),
        (vec!["2".to_string()], 3)
    );
    assert_eq!(counts("search * | stats count"), (vec!["3".to_string()], 3));
}

//! Properties of the generated NDJSON: determinism, shape, and exact kind shares.

use serde_json::Value;
use spl_bench::{generate, GeneratorOptions, OptionsError};

fn generate_to_string(options: &GeneratorOptions) -> String {
    let mut bytes = Vec::new();
    let result = generate(options, &mut bytes);
    assert!(result.is_ok(), "generation failed: {result:?}");
    String::from_utf8(bytes).unwrap_or_default()
}

fn options(events: u64, scan_share: f64, literal_share: f64, seed: u64) -> GeneratorOptions {
    GeneratorOptions {
        events,
        scan_share,
        literal_share,
        seed,
    }
}

/// The flagship search `"user.groups{}"="system:unauthenticated" "responseStatus.code"=403`,
/// evaluated directly on the parsed event.
fn matches_flagship(event: &Value) -> bool {
    let unauthenticated = event["user"]["groups"]
        .as_array()
        .is_some_and(|groups| groups.iter().any(|group| group == "system:unauthenticated"));
    unauthenticated && event["responseStatus"]["code"] == 403
}

#[test]
fn same_seed_gives_byte_identical_output_and_other_seeds_differ() {
    let first = generate_to_string(&options(3_000, 0.05, 0.3, 7));
    let second = generate_to_string(&options(3_000, 0.05, 0.3, 7));
    let other_seed = generate_to_string(&options(3_000, 0.05, 0.3, 8));
    assert_eq!(first, second);
    assert_ne!(first, other_seed);
}

#[test]
fn every_line_is_an_audit_event_with_the_required_fields() {
    let text = generate_to_string(&options(5_000, 0.02, 0.1, 3));
    assert_eq!(text.lines().count(), 5_000);
    assert!(text.ends_with('\n'));
    for (number, line) in text.lines().enumerate() {
        let event: Value = serde_json::from_str(line)
            .unwrap_or_else(|error| panic!("line {}: {error}: {line}", number + 1));
        assert_eq!(event["kind"], "Event", "line {}", number + 1);
        assert_eq!(event["apiVersion"], "audit.k8s.io/v1");
        for field in [
            "level",
            "auditID",
            "stage",
            "requestURI",
            "verb",
            "userAgent",
        ] {
            assert!(
                event[field].is_string(),
                "line {}: {field} missing",
                number + 1
            );
        }
        assert!(event["user"]["username"].is_string());
        assert!(event["user"]["groups"]
            .as_array()
            .is_some_and(|groups| !groups.is_empty()));
        assert!(event["sourceIPs"]
            .as_array()
            .is_some_and(|ips| !ips.is_empty()));
        assert!(event["responseStatus"]["code"].is_i64());
        let received = event["requestReceivedTimestamp"]
            .as_str()
            .unwrap_or_default();
        assert_eq!(received.len(), "2024-03-10T14:02:11.000000Z".len());
        assert!(received.starts_with("2024-03-10T"), "{received}");
    }
}

#[test]
fn scan_and_literal_shares_are_exact() {
    // 10 000 events: 1% scans = 100 matches; 30% contain both literals = 3 000 lines.
    let text = generate_to_string(&options(10_000, 0.01, 0.3, 11));
    let mut matches = 0;
    let mut with_literals = 0;
    for line in text.lines() {
        let event: Value = serde_json::from_str(line).unwrap_or(Value::Null);
        if matches_flagship(&event) {
            matches += 1;
        }
        if line.contains("system:unauthenticated") && line.contains("403") {
            with_literals += 1;
        }
    }
    // Float accumulation may land one short of the exact quota.
    assert!((99..=100).contains(&matches), "matches = {matches}");
    assert!(
        (2_999..=3_000).contains(&with_literals),
        "with literals = {with_literals}"
    );
}

#[test]
fn background_traffic_never_mentions_unauthenticated() {
    let text = generate_to_string(&options(5_000, 0.0, 0.0, 5));
    assert!(!text.contains("system:unauthenticated"));
}

#[test]
fn invalid_shares_are_rejected() {
    assert_eq!(
        options(10, 0.5, 0.1, 1).validate(),
        Err(OptionsError::LiteralBelowScan {
            literal_share: 0.1,
            scan_share: 0.5
        })
    );
    assert!(matches!(
        options(10, -0.1, 0.5, 1).validate(),
        Err(OptionsError::ShareOutOfRange("scan-share", _))
    ));
    assert!(generate(&options(10, 0.0, 1.5, 1), Vec::new()).is_err());
}

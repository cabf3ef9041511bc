//! No input may panic the parser: slices, byte mutations and pathological strings.

use spl_syntax::parse_pipeline;

/// Representative searches from ESCU detections (macros already expanded by hand).
const SEEDS: &[&str] = &[
    r#"search index=k8s sourcetype=_json objectRef.resource=pods verb=create OR verb=update requestObject.metadata.annotations.kubectl.kubernetes.io/last-applied-configuration=*\"privileged\":true* | fillnull | stats count values(user.groups{}) as user.groups{} by objectRef.name verb | iplocation sourceIPs{} | where count > 5 OR Country="United States""#,
    r#"| tstats count min(_time) as firstTime max(_time) as lastTime from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe (Processes.process=*/c* OR Processes.process="*\\temp\\*") by Processes.dest Processes.user | rename "Processes.*" as * | convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(firstTime) | eval x=case(a=1,"b", true(), "c") | rex field=x "(?<name>[^\s]+)" | lookup foo bar AS baz OUTPUT x AS y"#,
    r#"search "user.groups{}"="system:unauthenticated" NOT user IN (a, "b", *c*) [search index=x | head 1 | fields user] | dedup 2 user sortby -_time | sort 10 -count, num(x) desc | table a, b* | fields - _raw | head limit=3 | foreach * [eval <<FIELD>>=1]"#,
    r#"| eval a='x y'."z", b=if(match(s, "^\\d+\.\d"), -1.5e3, null()), c=mvindex ('f{}', 1) | where NOT x LIKE "a%" AND y IN ("1", "2") XOR z!=.25"#,
];

/// A small deterministic pseudo-random generator (xorshift).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Parses and prints; the printed form of a successful parse must parse again.
fn exercise(text: &str) {
    if let Ok(pipeline) = parse_pipeline(text) {
        let printed = pipeline.to_string();
        assert!(
            parse_pipeline(&printed).is_ok(),
            "{text:?} printed as {printed:?}, which does not parse"
        );
    }
}

#[test]
fn every_slice_of_the_seeds() {
    for seed in SEEDS {
        let bytes = seed.as_bytes();
        for start in (0..bytes.len()).step_by(3) {
            for end in (start..=bytes.len()).step_by(17) {
                exercise(&String::from_utf8_lossy(&bytes[start..end]));
            }
        }
    }
}

#[test]
fn byte_mutations_of_the_seeds() {
    let alphabet = b"\"'\\|[]()=!<>,* \taAN-.{}%";
    let mut random = Random(0x5eed_1234_abcd_9876);
    for _ in 0..4000 {
        let seed = SEEDS[random.below(SEEDS.len())];
        let mut bytes = seed.as_bytes().to_vec();
        for _ in 0..1 + random.below(6) {
            let at = random.below(bytes.len());
            match random.below(3) {
                0 => bytes[at] = alphabet[random.below(alphabet.len())],
                1 => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, alphabet[random.below(alphabet.len())]),
            }
        }
        exercise(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn pathological_strings() {
    let texts = [
        String::new(),
        "\"".to_string(),
        "'".to_string(),
        "|".to_string(),
        "||||".to_string(),
        "[".to_string(),
        "]".to_string(),
        "(".to_string(),
        ")".to_string(),
        "\\".to_string(),
        "`".to_string(),
        "a=\\".to_string(),
        "| eval".to_string(),
        "| eval x".to_string(),
        "| eval 'x".to_string(),
        "| stats".to_string(),
        "| stats count(".to_string(),
        "| stats count(eval(".to_string(),
        "| sort num(".to_string(),
        "| rename a".to_string(),
        "| rename a as".to_string(),
        "| where".to_string(),
        "| where x IN".to_string(),
        "| where x IN (".to_string(),
        "a IN (".to_string(),
        "CASE(".to_string(),
        "é=ü | eval ß='ü' | where 'é'>1".to_string(),
        "(".repeat(100_000),
        "[".repeat(100_000),
        "\"".repeat(10_001),
        "| eval x=".to_string() + &"(".repeat(100_000),
        "NOT ".repeat(20_000),
    ];
    for text in &texts {
        exercise(text);
    }
}

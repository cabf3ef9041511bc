//! A raw-line prefilter: literals every event matched by the first `search` must contain, so
//! that lines lacking them are skipped before JSON parsing.
//!
//! The literals form a conjunction of disjunctions of lower-case printable ASCII strings; a
//! line may match only if, for every disjunction, it contains one of its strings (ASCII case
//! folding). They come from the top-level `AND` conjuncts of the first search:
//!
//! * a free-text term (or phrase) requires each of its literal pieces (between `*`s);
//! * `field=value` requires the value's text, or each literal piece of a wildcard value,
//!   unless the field is a default field (`source`, `sourcetype`, `host`, `index`), starts
//!   with `_` (`_time`, `_raw` …), or has a wildcard in its name, and unless the value could
//!   be a CIDR block (a value in the block matches without containing the text). A value
//!   without wildcards is compared whole (case-insensitively), so its text counts only where
//!   it can be a whole JSON value: between two quotes, or as a bare number or keyword between
//!   JSON punctuation (`403` in `"code":403` or `"403"`, not in `pod-403-x` or a UUID);
//! * `field IN (a, b)` requires one of its values' literals;
//! * `A OR B` requires one literal of every branch (nothing when a branch requires nothing);
//! * `NOT`, `!=`, `<`, `>` and subsearches require nothing.
//!
//! A field value is the *decoded* JSON string, so its text may be escaped in the raw line.
//! A line lacking a literal is therefore skipped only when it cannot hide that literal: it
//! must be pure ASCII (a few non-ASCII characters lower-case to ASCII ones), contain no `\u`
//! escape, and no `\/`, `\"` or `\\` when a field literal contains `/`, `"` or `\`. It must
//! also look like one JSON object (starts with `{` and ends with `}`): a skipped line is not
//! validated, so a malformed object lacking the literals counts as read and not matched
//! rather than as malformed.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use spl_syntax::ast::{CommandKind, CompareOp, Pipeline, SearchExpr, SearchExprKind, SearchValue};

/// Fields that are not in the raw line.
const DEFAULT_FIELDS: [&str; 4] = ["source", "sourcetype", "host", "index"];

/// Decides, from a raw line alone, that an event cannot match the first search.
#[derive(Clone, Debug)]
pub struct Prefilter {
    /// The required literals, as given by [`required_literals`] (longest groups first).
    groups: Vec<Vec<String>>,
    /// One case-insensitive searcher per group.
    searchers: Vec<Searcher>,
    /// True when some literal comes from a field value (escapes then matter).
    has_field_literal: bool,
    /// A field literal contains `/`, `"` or `\`.
    escaped_slash: bool,
    escaped_quote: bool,
    escaped_backslash: bool,
}

/// One required literal and whether it comes from a field value.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Literal {
    text: String,
    from_field: bool,
    /// The literal is a field's whole value (`field=value` without wildcards): it counts only
    /// where it can be a whole JSON value (see [`is_whole_value`]).
    whole_value: bool,
}

impl Prefilter {
    /// The prefilter of `pipeline`'s first command when it is a search that requires
    /// literals; `None` when nothing can be skipped.
    pub fn for_pipeline(pipeline: &Pipeline) -> Option<Prefilter> {
        Prefilter::for_pipeline_except(pipeline, &|_| false)
    }

    /// Like [`Prefilter::for_pipeline`], but `field=value` and `field IN (…)` terms on a field
    /// for which `computed` is true require nothing: such fields are made at search time
    /// (calculated fields), so their values need not appear in the raw line.
    pub fn for_pipeline_except(
        pipeline: &Pipeline,
        computed: &dyn Fn(&str) -> bool,
    ) -> Option<Prefilter> {
        let first = pipeline.commands.first()?;
        let CommandKind::Search(Some(expr)) = &first.kind else {
            return None;
        };
        Prefilter::from_groups(required(expr, computed))
    }

    fn from_groups(mut groups: Vec<Vec<Literal>>) -> Option<Prefilter> {
        groups.retain(|group| !group.is_empty());
        if groups.is_empty() {
            return None;
        }
        // Groups with longer shortest literals are usually rarer: try them first.
        groups.sort_by_key(|group| {
            std::cmp::Reverse(group.iter().map(|l| l.text.len()).min().unwrap_or(0))
        });
        let field_texts = || groups.iter().flatten().filter(|l| l.from_field);
        let has_field_literal = field_texts().next().is_some();
        let escaped_slash = field_texts().any(|l| l.text.contains('/'));
        let escaped_quote = field_texts().any(|l| l.text.contains('"'));
        let escaped_backslash = field_texts().any(|l| l.text.contains('\\'));
        let mut searchers = Vec::with_capacity(groups.len());
        for group in &groups {
            searchers.push(Searcher::new(group)?);
        }
        Some(Prefilter {
            groups: groups
                .into_iter()
                .map(|g| g.into_iter().map(|l| l.text).collect())
                .collect(),
            searchers,
            has_field_literal,
            escaped_slash,
            escaped_quote,
            escaped_backslash,
        })
    }

    /// The required literals: every inner list must have one string in a matching line.
    pub fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }

    /// False only when the event whose raw text is `line` cannot match the first search.
    pub fn may_match(&self, line: &[u8]) -> bool {
        self.has_every_group(line) || !self.skippable(line)
    }

    /// True when `line` has a literal of every group.
    fn has_every_group(&self, line: &[u8]) -> bool {
        self.searchers.iter().all(|s| s.is_in(line))
    }

    /// [`Prefilter::may_match`] for the line `line` that starts at byte `start` of the block
    /// `facts` describes: the same answer, with the ASCII and escape checks of the whole
    /// block done once (see [`BlockFacts`]).
    pub fn may_match_in_block(&self, line: &[u8], start: usize, facts: &BlockFacts) -> bool {
        if self.has_every_group(line) || !looks_like_an_object(line) {
            return true;
        }
        if !facts.all_ascii && !line.is_ascii() {
            return true;
        }
        let Some(backslashes) = &facts.backslashes else {
            return self.has_hiding_escape(line);
        };
        let end = start + line.len();
        let first = backslashes.partition_point(|&at| at < start);
        backslashes.get(first).is_some_and(|&at| at < end)
    }

    /// Facts about a block of whole lines that [`Prefilter::may_match_in_block`] uses.
    pub fn block_facts(&self, block: &[u8]) -> BlockFacts {
        let backslashes = if self.has_field_literal {
            let mut positions = memchr::memchr_iter(b'\\', block)
                .filter(|&at| self.may_hide_a_literal(byte_after_in_line(block, at)));
            let listed: Vec<usize> = positions.by_ref().take(MAX_LISTED_BACKSLASHES).collect();
            positions.next().is_none().then_some(listed)
        } else {
            Some(Vec::new())
        };
        BlockFacts {
            all_ascii: block.is_ascii(),
            backslashes,
        }
    }

    /// True when `line` cannot hide a literal (see the module documentation).
    fn skippable(&self, line: &[u8]) -> bool {
        if !looks_like_an_object(line) {
            return false;
        }
        line.is_ascii() && !self.has_hiding_escape(line)
    }

    /// True when `line` has an escape that may hide a field literal (never without field
    /// literals).
    fn has_hiding_escape(&self, line: &[u8]) -> bool {
        self.has_field_literal
            && memchr::memchr_iter(b'\\', line)
                .any(|at| self.may_hide_a_literal(line.get(at + 1).copied()))
    }

    /// True when a backslash followed by `next` (`None`: the line ends) may be part of an
    /// escape that hides a field literal.
    fn may_hide_a_literal(&self, next: Option<u8>) -> bool {
        match next {
            Some(b'u') => true,
            Some(b'/') => self.escaped_slash,
            Some(b'"') => self.escaped_quote,
            Some(b'\\') => self.escaped_backslash,
            // A lone backslash at the end: malformed, let the parser report it.
            None => true,
            Some(_) => false,
        }
    }
}

/// What [`Prefilter::may_match_in_block`] needs to know about a block of lines, found in one
/// pass over the block instead of one pass per line.
#[derive(Clone, Debug, Default)]
pub struct BlockFacts {
    /// Every byte of the block is ASCII.
    all_ascii: bool,
    /// Offsets of the block's backslashes that may start an escape hiding a literal,
    /// ascending (empty when escapes do not matter); `None` when there are more than
    /// [`MAX_LISTED_BACKSLASHES`] (lines are then checked one by one).
    backslashes: Option<Vec<usize>>,
}

/// The byte after the backslash at `at` within its line, as the line is given to
/// [`Prefilter::may_match`]: `None` when the backslash ends the line (the line terminator,
/// `\n` or `\r\n`, or the end of the block follows).
fn byte_after_in_line(block: &[u8], at: usize) -> Option<u8> {
    match block.get(at + 1) {
        None | Some(b'\n') => None,
        Some(b'\r') if matches!(block.get(at + 2), None | Some(b'\n')) => None,
        next => next.copied(),
    }
}

/// The most backslash offsets [`BlockFacts`] lists, so that its memory stays small whatever
/// the block holds.
const MAX_LISTED_BACKSLASHES: usize = 4096;

/// True when `line` starts with `{` and ends with `}` (white space aside): a skipped line is
/// not validated, so only what looks like one JSON object may be skipped.
fn looks_like_an_object(line: &[u8]) -> bool {
    let trimmed = line.trim_ascii();
    trimmed.starts_with(b"{") && trimmed.ends_with(b"}")
}

/// A case-insensitive search for one of a group's literals.
#[derive(Clone, Debug)]
enum Searcher {
    /// One literal: its rarest byte is found with `memchr`, then the literal is compared.
    One(LiteralFinder),
    /// Several literals; `whole_value[i]` tells whether pattern `i` must be a whole value.
    Many {
        automaton: AhoCorasick,
        whole_value: Vec<bool>,
    },
}

impl Searcher {
    fn new(group: &[Literal]) -> Option<Searcher> {
        if let [literal] = group {
            return Some(Searcher::One(LiteralFinder::new(
                literal.text.as_bytes(),
                literal.whole_value,
            )?));
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(group.iter().map(|l| l.text.as_bytes()))
            .ok()?;
        Some(Searcher::Many {
            automaton,
            whole_value: group.iter().map(|l| l.whole_value).collect(),
        })
    }

    /// True when `haystack` contains a literal (ASCII case folding), as a whole value where
    /// the literal must be one.
    fn is_in(&self, haystack: &[u8]) -> bool {
        match self {
            Searcher::One(finder) => finder.is_in(haystack),
            Searcher::Many {
                automaton,
                whole_value,
            } => {
                if !whole_value.contains(&true) {
                    return automaton.is_match(haystack);
                }
                automaton.find_overlapping_iter(haystack).any(|found| {
                    !whole_value
                        .get(found.pattern().as_usize())
                        .copied()
                        .unwrap_or(false)
                        || is_whole_value(haystack, found.start(), found.end())
                })
            }
        }
    }
}

/// True when `haystack[start..end]` may be a whole JSON value: a whole string (a quote on
/// each side) or a whole number, `true`, `false` or `null` (after `:`, `[`, `,` or white
/// space, before `,`, `}`, `]` or white space).
///
/// A leaf whose decoded text equals a literal of printable ASCII without `"` or `\\` is
/// written in the raw line either as exactly that text between quotes, or as a number or
/// keyword (their text is kept as written), or with an escape sequence, which
/// [`Prefilter::skippable`] treats as possibly hiding the literal. So an occurrence without
/// these boundaries is never such a leaf: `403` inside `…-403-…` or in a UUID is not the
/// value of `responseStatus.code=403`.
fn is_whole_value(haystack: &[u8], start: usize, end: usize) -> bool {
    let (Some(&before), Some(&after)) = (
        start.checked_sub(1).and_then(|at| haystack.get(at)),
        haystack.get(end),
    ) else {
        return false;
    };
    let string = before == b'"' && after == b'"';
    let bare = matches!(before, b':' | b'[' | b',' | b' ' | b'\t' | b'\n' | b'\r')
        && matches!(after, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r');
    string || bare
}

/// Finds one lower-case literal by its rarest byte (both cases), then compares it whole.
#[derive(Clone, Debug)]
struct LiteralFinder {
    literal: Vec<u8>,
    /// Occurrences count only where they may be a whole JSON value.
    whole_value: bool,
    /// Offset of the rarest byte in the literal.
    anchor: usize,
    lower: u8,
    upper: u8,
}

/// Bytes of JSON audit logs from the most to the least frequent (a rough guide; bytes not
/// listed count as rare).
const BYTE_FREQUENCY: &[u8] = b"\":,e.taosinr/-1c0lu2dmp{}3kg5h4v6b879yf_wxqzj";

impl LiteralFinder {
    fn new(literal: &[u8], whole_value: bool) -> Option<LiteralFinder> {
        let rank = |byte: u8| {
            BYTE_FREQUENCY
                .iter()
                .position(|&b| b == byte)
                .unwrap_or(BYTE_FREQUENCY.len())
        };
        let (anchor, &byte) = literal
            .iter()
            .enumerate()
            .max_by_key(|&(_, &byte)| rank(byte))?;
        Some(LiteralFinder {
            literal: literal.to_vec(),
            whole_value,
            anchor,
            lower: byte.to_ascii_lowercase(),
            upper: byte.to_ascii_uppercase(),
        })
    }

    fn is_in(&self, haystack: &[u8]) -> bool {
        let first = self.literal.first().copied();
        let matches_at = |position: usize| {
            position.checked_sub(self.anchor).is_some_and(|start| {
                haystack
                    .get(start..start + self.literal.len())
                    .is_some_and(|window| {
                        // The first byte rules out most candidates before the whole compare.
                        window.first().map(u8::to_ascii_lowercase) == first
                            && window.eq_ignore_ascii_case(&self.literal)
                    })
                    && (!self.whole_value
                        || is_whole_value(haystack, start, start + self.literal.len()))
            })
        };
        if self.lower == self.upper {
            return memchr::memchr_iter(self.lower, haystack).any(matches_at);
        }
        memchr::memchr2_iter(self.lower, self.upper, haystack).any(matches_at)
    }
}

/// The conjunction of disjunctions of literals that `expr` requires.
fn required(expr: &SearchExpr, computed: &dyn Fn(&str) -> bool) -> Vec<Vec<Literal>> {
    let from_raw = |name: &str| usable_field(name) && !computed(name);
    match &expr.kind {
        SearchExprKind::And(items) => items.iter().flat_map(|i| required(i, computed)).collect(),
        SearchExprKind::Or(items) => any_of(items.iter().map(|i| required(i, computed))),
        SearchExprKind::Not(_) | SearchExprKind::Subsearch(_) => Vec::new(),
        SearchExprKind::Compare { field, op, value } => {
            if *op != CompareOp::Eq || !from_raw(&field.name) {
                return Vec::new();
            }
            value_literals(value, true)
        }
        SearchExprKind::In { field, values } => {
            if !from_raw(&field.name) {
                return Vec::new();
            }
            any_of(values.iter().map(|v| value_literals(v, true)))
        }
        SearchExprKind::Term(value) => term_literals(value),
    }
}

/// One disjunction made of the best literal of each alternative; nothing when some
/// alternative requires nothing.
fn any_of(alternatives: impl Iterator<Item = Vec<Vec<Literal>>>) -> Vec<Vec<Literal>> {
    let mut literals = Vec::new();
    for groups in alternatives {
        let best = groups
            .into_iter()
            .filter(|g| g.len() == 1)
            .flatten()
            .max_by_key(|l| l.text.len());
        match best {
            Some(literal) => literals.push(literal),
            None => return Vec::new(),
        }
    }
    if literals.is_empty() {
        return Vec::new();
    }
    vec![literals]
}

/// True when values of `field` come from the raw JSON text.
fn usable_field(field: &str) -> bool {
    !field.is_empty()
        && !field.starts_with('_')
        && !field.contains('*')
        && !DEFAULT_FIELDS.contains(&field)
}

/// Literals of a field value: its text (a whole value), or its wildcard pieces; none for
/// CIDR-like values.
fn value_literals(value: &SearchValue, from_field: bool) -> Vec<Vec<Literal>> {
    let text = value.text.as_str();
    if text.contains('*') {
        return pieces(text, from_field);
    }
    if could_be_cidr(text) {
        return Vec::new();
    }
    let mut groups = pieces(text, from_field);
    let whole = from_field && !text.contains(['"', '\\']);
    for literal in groups.iter_mut().flatten() {
        literal.whole_value = whole;
    }
    groups
}

/// Literals of a free-text term: each literal piece.
fn term_literals(value: &SearchValue) -> Vec<Vec<Literal>> {
    pieces(&value.text, false)
}

/// Non-empty printable-ASCII pieces between `*`s, lower-cased, one group each.
fn pieces(text: &str, from_field: bool) -> Vec<Vec<Literal>> {
    text.split('*')
        .filter(|piece| !piece.is_empty() && piece.bytes().all(|b| (0x20..0x7f).contains(&b)))
        .map(|piece| {
            vec![Literal {
                text: piece.to_ascii_lowercase(),
                from_field,
                whole_value: false,
            }]
        })
        .collect()
}

/// True when `text` might be parsed as a CIDR block (address characters, then `/`).
fn could_be_cidr(text: &str) -> bool {
    let Some((address, _)) = text.split_once('/') else {
        return false;
    };
    !address.is_empty()
        && address
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b':')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefilter(search: &str) -> Option<Prefilter> {
        let pipeline = spl_syntax::parse_pipeline(search).ok()?;
        Prefilter::for_pipeline(&pipeline)
    }

    fn groups(search: &str) -> Vec<Vec<String>> {
        prefilter(search).map_or(Vec::new(), |p| p.groups().to_vec())
    }

    #[test]
    fn field_values_and_terms_are_required() {
        assert_eq!(
            groups(r#""user.groups{}"="system:unauthenticated" "responseStatus.code"=403"#),
            vec![
                vec!["system:unauthenticated".to_string()],
                vec!["403".into()]
            ]
        );
        assert_eq!(groups("error"), vec![vec!["error".to_string()]]);
    }

    #[test]
    fn default_fields_negations_and_ranges_require_nothing() {
        assert!(groups(r#"source="kubernetes" host=a sourcetype=b index=c"#).is_empty());
        assert!(groups("NOT verb=get").is_empty());
        assert!(groups("code!=403 code>400").is_empty());
        assert!(groups("_time=5 _raw=x u*=y").is_empty());
        assert!(groups("src=10.0.0.0/8").is_empty());
    }

    #[test]
    fn or_and_in_give_one_disjunction() {
        assert_eq!(
            groups("verb=get OR verb=list"),
            vec![vec!["get".to_string(), "list".into()]]
        );
        assert_eq!(
            groups("verb IN (get, \"LIST\")"),
            vec![vec!["get".to_string(), "list".into()]]
        );
        assert!(groups("verb=get OR NOT code=1").is_empty());
    }

    #[test]
    fn wildcard_values_require_their_pieces() {
        assert_eq!(
            groups("uri=/api/*/pods*"),
            vec![vec!["/api/".to_string()], vec!["/pods".into()]]
        );
    }

    #[test]
    fn whole_field_values_count_only_as_whole_json_values() {
        let Some(filter) = prefilter(r#"code=403 user="system:anonymous""#) else {
            panic!("a prefilter is expected");
        };
        let user = r#""user":"system:anonymous""#;
        for kept in [
            r#""code":403"#,
            r#""code": 403 "#,
            r#""code":"403""#,
            r#""codes":[1,403]"#,
            r#""codes":[403,1]"#,
            r#""other":"403""#,
        ] {
            let line = format!("{{{user},{kept}}}");
            assert!(filter.may_match(line.as_bytes()), "{line}");
        }
        for skipped in [
            r#""name":"pod-403-x""#,
            r#""id":"69385047-d6d3-403d-9297""#,
            r#""uri":"/healthz?probe=lb-403&x=1""#,
            r#""code":4030"#,
            r#""code":1403"#,
            r#""code":"403 ""#,
        ] {
            let line = format!("{{{user},{skipped}}}");
            assert!(!filter.may_match(line.as_bytes()), "{line}");
        }
        // The anonymous user as part of a longer value does not count either.
        assert!(!filter.may_match(br#"{"user":"system:anonymousx","code":403}"#));
        // Case folds; an escape that may hide the value keeps the line.
        assert!(filter.may_match(br#"{"user":"SYSTEM:Anonymous","code":403}"#));
        assert!(filter.may_match(br#"{"user":"system:anonymous","code":"403"}"#));
    }

    #[test]
    fn wildcard_values_and_free_text_match_anywhere() {
        for search in ["code=40*", "403", "code=403 OR x=*40*"] {
            let Some(filter) = prefilter(search) else {
                panic!("a prefilter is expected for {search}");
            };
            assert!(
                filter.may_match(br#"{"name":"pod-403-x"}"#),
                "{search} must keep a line with 403 inside a value"
            );
        }
        let Some(filter) = prefilter("code IN (403, 401)") else {
            panic!("a prefilter is expected");
        };
        assert!(!filter.may_match(br#"{"name":"pod-403-x-401"}"#));
        assert!(filter.may_match(br#"{"name":"pod","code":401}"#));
    }

    #[test]
    fn block_answers_equal_line_answers() {
        let lines: [&[u8]; 11] = [
            br#"{"uri":"/apis"}"#,
            br#"{"uri":"\/api\/v1"}"#,
            br#"{"uri":"/\u0061pi/v1"}"#,
            "{\"uri\":\"/\u{212a}\"}".as_bytes(),
            br#"{"uri":"/API/V1"}"#,
            br#"not json"#,
            br#"{"other":"a \"quoted\" \\ word"}"#,
            br#"{"uri":"/api/v1"}"#,
            br#"{"uri":"x\"#,
            b"{\"uri\":\"x\\\ry\"}",
            br#"{"uri":"/api/v1\"}"#,
        ];
        let lines = lines.map(|line| line.to_vec());
        for search in ["uri=/api/v1", "/api/v1", "uri=\"a\\\\b\"", "uri=\"a\\\"b\""] {
            let Some(filter) = prefilter(search) else {
                panic!("a prefilter is expected for {search}");
            };
            // Every order of the lines, so each sits at many offsets of the block, with both
            // line terminators.
            for (rotation, terminator) in (0..lines.len()).flat_map(|r| [(r, "\n"), (r, "\r\n")]) {
                let mut order = lines.to_vec();
                order.rotate_left(rotation);
                let block = order.join(terminator.as_bytes());
                let facts = filter.block_facts(&block);
                let mut start = 0;
                for line in &order {
                    assert_eq!(
                        filter.may_match_in_block(line, start, &facts),
                        filter.may_match(line),
                        "{search}: {}",
                        String::from_utf8_lossy(line)
                    );
                    start += line.len() + terminator.len();
                }
            }
        }
    }

    #[test]
    fn blocks_with_many_backslashes_give_the_same_answers() {
        let Some(filter) = prefilter("uri=/api/v1") else {
            panic!("a prefilter is expected");
        };
        let plain = r#"{"other":"a \"quoted\" word"}"#;
        let hiding = r#"{"uri":"\/api\/v1","b":"\/\/"}"#;
        let lines: Vec<&str> = (0..3000)
            .map(|i| if i % 2 == 0 { hiding } else { plain })
            .collect();
        let block = lines.join("\n");
        let facts = filter.block_facts(block.as_bytes());
        assert!(facts.backslashes.is_none(), "too many to list");
        let mut start = 0;
        for line in &lines {
            assert_eq!(
                filter.may_match_in_block(line.as_bytes(), start, &facts),
                filter.may_match(line.as_bytes())
            );
            start += line.len() + 1;
        }
    }

    #[test]
    fn lines_that_may_hide_a_literal_are_kept() {
        let Some(filter) = prefilter("uri=/api/v1") else {
            panic!("a prefilter is expected");
        };
        assert!(!filter.may_match(br#"{"uri":"/apis"}"#));
        assert!(filter.may_match(br#"{"uri":"\/api\/v1"}"#));
        assert!(filter.may_match(br#"{"uri":"/\u0061pi/v1"}"#));
        assert!(filter.may_match("{\"uri\":\"/\u{212a}\"}".as_bytes()));
        assert!(filter.may_match(br#"{"uri":"/API/V1"}"#));
        assert!(filter.may_match(br#"not json"#));
    }
}

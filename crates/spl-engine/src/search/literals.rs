//! Literal tokens a matching event's `_raw` must contain, for a fast prefilter.
//!
//! The result is a conjunction (outer list) of disjunctions (inner lists) of lower-case ASCII
//! strings: an event can match only if, for every inner list, `_raw` contains one of its
//! strings case-insensitively (ASCII case folding).
//!
//! Only free-text terms give literals, because they are matched against `_raw` itself. Field
//! comparisons give none: a field value is the *decoded* JSON string, and any character of it
//! may be escaped in `_raw` (`\/`, `\u003c`, even `\u0061` for `a`). `NOT` gives none, and
//! neither does a term with non-ASCII text (Unicode lower-casing can change lengths and
//! letters). A wildcard term requires each of its literal pieces.
//!
//! Caveat for prefilter authors: terms are matched against the Unicode-lower-cased `_raw`, and
//! a few non-ASCII characters lower-case to ASCII ones (KELVIN SIGN `K` → `k`, `İ` → `i̇`). A
//! prefilter must therefore let through any event whose `_raw` contains non-ASCII bytes, or
//! search with the same lower-casing.

use super::Node;

/// The required literals of `node`.
pub(super) fn required(node: &Node) -> Vec<Vec<String>> {
    match node {
        Node::And(items) => items.iter().flat_map(required).collect(),
        Node::Or(items) => or_literals(items),
        Node::Term(term) => term
            .pieces()
            .iter()
            .filter(|piece| !piece.is_empty() && piece.is_ascii())
            .map(|piece| vec![piece.clone()])
            .collect(),
        Node::All
        | Node::Not(_)
        | Node::Equal { .. }
        | Node::NotEqual { .. }
        | Node::Order { .. } => Vec::new(),
    }
}

/// An OR requires one literal of some branch; every branch must contribute one, else nothing
/// is required. Each branch contributes its first required disjunction.
fn or_literals(items: &[Node]) -> Vec<Vec<String>> {
    let mut any_of = Vec::new();
    for item in items {
        let Some(first) = required(item).into_iter().next() else {
            return Vec::new();
        };
        any_of.extend(first);
    }
    if any_of.is_empty() {
        return Vec::new();
    }
    vec![any_of]
}

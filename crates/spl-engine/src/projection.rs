//! Projection: the fields a query can reference, so that JSON extraction can skip the others
//! (their text is still validated, so malformed events are reported exactly as without
//! projection).
//!
//! [`required_fields`] walks the pipeline from its first command to the first command whose
//! output is made of named fields only (`stats` without wildcards, `table` without wildcards,
//! `fields +` without wildcards). Every field name spelled in those commands is collected:
//! anything after that command sees only its output, and nothing before it can read a field
//! whose name is not written in the query. The selection is **everything** when:
//!
//! * no such command exists (whole events are output);
//! * a command before it names fields with a wildcard (`table a*`, `fields - x*`,
//!   `rename a* AS b*`, `stats values(*)`, `search user*=x`, a generic command's word with
//!   `*`);
//! * a command before it reads fields it does not name: `foreach`, `fromjson`, `spath`,
//!   `xmlkv`, `addtotals`, `inputlookup`, `fillnull` without a field list, `lookup` without
//!   `OUTPUT`/`OUTPUTNEW`, a subsearch, or any command not known here.
//!
//! Extra names are harmless (a field is extracted that nothing reads), so names are
//! collected generously: every word of a generic command's arguments, split at punctuation,
//! and every string literal of an expression.
//!
//! The fields every event carries besides its JSON (`_raw`, `_time`, `source`,
//! `sourcetype`, `host`, `index`) are selected like the others: when named, and also when a
//! command reads them without naming them. `_raw` is read by free-text search terms,
//! `searchmatch()`, `fields +` (which keeps `_raw` and `_time`) and generic commands (`rex`
//! and `regex` read `_raw` by default); `_time` by `stats` time functions (`earliest`,
//! `latest`, …), `fields +` and generic commands (`bin`, `streamstats`, …). Selecting `_time`
//! selects the fields it is computed from ([`crate::event::TIME_FIELDS`]). A query such as
//! `… | stats count BY user` thus builds neither `_raw` (a copy of the whole line) nor the
//! default fields.
//!
//! Later layers (search-time field aliases, calculated fields) add the fields they read with
//! [`FieldSelection::insert`].

use crate::event::TIME_FIELDS;
use spl_syntax::ast::{
    AggregationArgument, Command, CommandKind, Expr, ExprKind, GenericArg, Pipeline, SearchExpr,
    SearchExprKind,
};
use std::collections::BTreeSet;

/// Generic commands whose field references are all written in their arguments.
const NAMING_COMMANDS: [&str; 13] = [
    "bin",
    "bucket",
    "convert",
    "eventstats",
    "makemv",
    "mvcombine",
    "mvexpand",
    "regex",
    "replace",
    "rex",
    "streamstats",
    "tail",
    "lookup",
];

/// The fields JSON extraction must produce: every field, or a named set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSelection {
    /// `None`: every field.
    names: Option<BTreeSet<String>>,
    /// Every name and every prefix of a name that ends before a `.` or `{` (the object keys
    /// whose values must be read), by length: most keys are ruled out by their length alone,
    /// the others by comparing with the few paths of that length.
    paths: Vec<Vec<Box<str>>>,
    /// Bit `i` set: [`ADDED_FIELDS`]`[i]` is among `names`.
    added: u8,
}

/// The fields every event carries besides its JSON, in the order they are added to it.
pub const ADDED_FIELDS: [&str; 6] = ["_raw", "_time", "source", "sourcetype", "host", "index"];

impl FieldSelection {
    /// Every field.
    pub fn all() -> FieldSelection {
        FieldSelection::default()
    }

    /// Exactly `names` (with `_time`, the fields it is computed from).
    pub fn only<S: Into<String>>(names: impl IntoIterator<Item = S>) -> FieldSelection {
        let mut selection = FieldSelection {
            names: Some(BTreeSet::new()),
            paths: Vec::new(),
            added: 0,
        };
        for name in names {
            selection.insert(name);
        }
        selection
    }

    /// True when the field `name` is selected (used for the fields every event carries
    /// besides its JSON: `_raw`, `_time`, `source`, …).
    pub fn wants_field(&self, name: &str) -> bool {
        self.names.as_ref().is_none_or(|names| names.contains(name))
    }

    /// True when `_raw` is selected (the same as `wants_field("_raw")`, without a lookup).
    pub fn wants_raw(&self) -> bool {
        self.names.is_none() || self.added & 1 != 0
    }

    /// Whether each of [`ADDED_FIELDS`] is selected, in that order (answered without
    /// comparing names, for every event).
    pub fn wants_added_fields(&self) -> [bool; 6] {
        std::array::from_fn(|index| self.names.is_none() || self.added & (1 << index) != 0)
    }

    /// The number of selected names (`None`: every field).
    pub fn count(&self) -> Option<usize> {
        self.names.as_ref().map(BTreeSet::len)
    }

    /// True when every field is selected.
    pub fn is_all(&self) -> bool {
        self.names.is_none()
    }

    /// The selected names (`None`: every field).
    pub fn names(&self) -> Option<&BTreeSet<String>> {
        self.names.as_ref()
    }

    /// Adds `name` (nothing changes when every field is selected).
    pub fn insert(&mut self, name: impl Into<String>) {
        let Some(names) = &mut self.names else {
            return;
        };
        let name = name.into();
        if let Some(index) = ADDED_FIELDS.iter().position(|added| *added == name) {
            self.added |= 1 << index;
        }
        if name == "_time" {
            for time_field in TIME_FIELDS {
                if !names.contains(time_field) {
                    add_path(&mut self.paths, time_field);
                    names.insert(time_field.to_string());
                }
            }
        }
        for (index, byte) in name.bytes().enumerate() {
            if byte == b'.' || byte == b'{' {
                if let Some(prefix) = name.get(..index) {
                    add_path(&mut self.paths, prefix);
                }
            }
        }
        add_path(&mut self.paths, &name);
        names.insert(name);
    }

    /// Adds every field of `other`.
    pub fn union(&mut self, other: &FieldSelection) {
        match &other.names {
            None => *self = FieldSelection::all(),
            Some(names) => {
                for name in names {
                    self.insert(name.clone());
                }
            }
        }
    }

    /// True when the value at `path` (an object key's field name, such as `user` or
    /// `items{}.name`) can contain a selected field: `path` is a selected name or a prefix of
    /// one that continues with `.` or `{`.
    pub fn wants_path(&self, path: &str) -> bool {
        if self.names.is_none() {
            return true;
        }
        // Comparing the first bytes first rules out most keys without a call to `memcmp`.
        let first = path.as_bytes().first();
        self.paths.get(path.len()).is_some_and(|same_length| {
            same_length
                .iter()
                .any(|known| known.as_bytes().first() == first && &**known == path)
        })
    }
}

/// Adds `path` to the paths grouped by length (once).
fn add_path(paths: &mut Vec<Vec<Box<str>>>, path: &str) {
    if paths.len() <= path.len() {
        paths.resize_with(path.len() + 1, Vec::new);
    }
    if let Some(same_length) = paths.get_mut(path.len()) {
        if !same_length.iter().any(|known| &**known == path) {
            same_length.push(path.into());
        }
    }
}

/// The fields `pipeline` can reference (see the module documentation).
pub fn required_fields(pipeline: &Pipeline) -> FieldSelection {
    let mut names = BTreeSet::new();
    for command in &pipeline.commands {
        match command_fields(command, &mut names) {
            Reads::Named => continue,
            Reads::NamedThenOnlyThose => return FieldSelection::only(names),
            Reads::Everything => return FieldSelection::all(),
        }
    }
    FieldSelection::all()
}

/// What one command reads.
enum Reads {
    /// The fields it names (added to the set); the other fields pass through.
    Named,
    /// The fields it names; its output has only named fields.
    NamedThenOnlyThose,
    /// Fields it does not name.
    Everything,
}

/// Adds the fields `command` names to `names` and tells what else it reads.
fn command_fields(command: &Command, names: &mut BTreeSet<String>) -> Reads {
    let mut collector = Collector {
        names,
        everything: false,
    };
    collector.implicit_reads(command);
    let reads = match &command.kind {
        CommandKind::Search(expr) => {
            if let Some(expr) = expr {
                collector.search(expr);
            }
            Reads::Named
        }
        CommandKind::Where(expr) => {
            collector.expr(expr);
            Reads::Named
        }
        CommandKind::Eval(assignments) => {
            for assignment in assignments {
                collector.eval_target(&assignment.field.name);
                collector.expr(&assignment.expr);
            }
            Reads::Named
        }
        CommandKind::IpLocation(iplocation) => {
            collector.field(&iplocation.field.name);
            Reads::Named
        }
        CommandKind::Stats(stats) => {
            for aggregation in &stats.aggregations {
                match &aggregation.argument {
                    Some(AggregationArgument::Field(field)) => collector.field(&field.name),
                    Some(AggregationArgument::Eval(expr)) => collector.expr(expr),
                    None => {}
                }
            }
            for field in &stats.by {
                collector.field(&field.name);
            }
            Reads::NamedThenOnlyThose
        }
        CommandKind::Rename(pairs) => {
            for pair in pairs {
                collector.field(&pair.from.name);
                collector.field(&pair.to.name);
            }
            Reads::Named
        }
        CommandKind::Fillnull(fillnull) => {
            if fillnull.fields.is_empty() {
                collector.everything = true;
            }
            for field in &fillnull.fields {
                collector.field(&field.name);
            }
            Reads::Named
        }
        CommandKind::Table(fields) => {
            for field in fields {
                collector.field(&field.name);
            }
            Reads::NamedThenOnlyThose
        }
        CommandKind::Fields(fields) => {
            for field in &fields.fields {
                collector.field(&field.name);
            }
            if fields.remove {
                Reads::Named
            } else {
                Reads::NamedThenOnlyThose
            }
        }
        CommandKind::Head(_) => Reads::Named,
        CommandKind::Dedup(dedup) => {
            for field in &dedup.fields {
                collector.field(&field.name);
            }
            for key in &dedup.sortby {
                collector.field(&key.field.name);
            }
            Reads::Named
        }
        CommandKind::Sort(sort) => {
            for key in &sort.keys {
                collector.field(&key.field.name);
            }
            Reads::Named
        }
        CommandKind::Generic(generic) => {
            let name = command.name.node.to_ascii_lowercase();
            if !NAMING_COMMANDS.contains(&name.as_str()) || !names_all_outputs(&name, generic) {
                return Reads::Everything;
            }
            collector.generic_args(&generic.args);
            Reads::Named
        }
    };
    if collector.everything {
        return Reads::Everything;
    }
    reads
}

/// False for `lookup` without `OUTPUT`/`OUTPUTNEW`: it then writes every column of the
/// table, names the query does not spell.
fn names_all_outputs(name: &str, generic: &spl_syntax::ast::GenericCommand) -> bool {
    if name != "lookup" {
        return true;
    }
    generic.args.iter().any(|arg| {
        matches!(arg, GenericArg::Word(word)
            if word.node.eq_ignore_ascii_case("output") || word.node.eq_ignore_ascii_case("outputnew"))
    })
}

/// Collects field names; notes when a wildcard or an unknown reference needs every field.
struct Collector<'a> {
    names: &'a mut BTreeSet<String>,
    everything: bool,
}

/// Eval functions that read `_raw` without naming it.
const RAW_READING_FUNCTIONS: [&str; 1] = ["searchmatch"];

impl Collector<'_> {
    /// Adds `_raw` and `_time` when `command` reads them without naming them (see the module
    /// documentation).
    fn implicit_reads(&mut self, command: &Command) {
        let (raw, time) = match &command.kind {
            CommandKind::Search(Some(expr)) => (has_free_text(expr), false),
            CommandKind::Where(expr) => (calls_raw_reader(expr), false),
            CommandKind::Eval(assignments) => (
                assignments.iter().any(|a| calls_raw_reader(&a.expr)),
                false,
            ),
            CommandKind::Stats(stats) => (
                stats.aggregations.iter().any(|a| {
                    matches!(&a.argument, Some(AggregationArgument::Eval(expr)) if calls_raw_reader(expr))
                }),
                stats.aggregations.iter().any(|a| {
                    crate::ops::stats::functions::lookup(&a.function.node)
                        .is_none_or(|(_, function)| function.needs_time())
                }),
            ),
            CommandKind::Fields(fields) => (!fields.remove, !fields.remove),
            CommandKind::Generic(_) => (true, true),
            _ => (false, false),
        };
        if raw {
            self.names.insert("_raw".to_string());
        }
        if time {
            self.names.insert("_time".to_string());
        }
    }

    /// A field name as written; a wildcard needs every field.
    fn field(&mut self, name: &str) {
        if name.contains('*') {
            self.everything = true;
            return;
        }
        self.names.insert(name.to_string());
    }

    /// The target of an eval assignment; `{x}` names the field `x` (whose value is the name).
    fn eval_target(&mut self, name: &str) {
        self.field(name);
        self.pieces(name);
    }

    fn search(&mut self, expr: &SearchExpr) {
        match &expr.kind {
            SearchExprKind::And(items) | SearchExprKind::Or(items) => {
                for item in items {
                    self.search(item);
                }
            }
            SearchExprKind::Not(inner) => self.search(inner),
            SearchExprKind::Compare { field, .. } | SearchExprKind::In { field, .. } => {
                self.field(&field.name)
            }
            SearchExprKind::Term(_) => {}
            SearchExprKind::Subsearch(_) => self.everything = true,
        }
    }

    fn expr(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Field(name) => self.field(name),
            ExprKind::Str(text) => self.pieces(text),
            ExprKind::Number(_) => {}
            ExprKind::Call { args, .. } => {
                for arg in args {
                    self.expr(arg);
                }
            }
            ExprKind::Unary { expr, .. } => self.expr(expr),
            ExprKind::Binary { left, right, .. } => {
                self.expr(left);
                self.expr(right);
            }
            ExprKind::In { expr, list } => {
                self.expr(expr);
                for item in list {
                    self.expr(item);
                }
            }
        }
    }

    fn generic_args(&mut self, args: &[GenericArg]) {
        for arg in args {
            match arg {
                GenericArg::Word(word) => {
                    if word.node.contains('*') {
                        self.everything = true;
                    }
                    self.pieces(&word.node);
                }
                GenericArg::Quoted(text) | GenericArg::Template(text) => self.pieces(&text.node),
                GenericArg::Option(option) => {
                    self.pieces(&option.name.node);
                    self.pieces(&option.value.node);
                }
                GenericArg::Group(group) => self.generic_args(&group.node),
                GenericArg::Subsearch(_) => self.everything = true,
            }
        }
    }

    /// `text` itself and its pieces between punctuation, generously: any of them may be a
    /// field name (`count(eval(x>1))` → `count`, `eval`, `x`, `1`; `(?<user>\w+)` → `user`).
    fn pieces(&mut self, text: &str) {
        self.names.insert(text.to_string());
        let structural = |c: char| c.is_whitespace() || "()[],=\"'`$!<>|;".contains(c);
        let operators = |c: char| structural(c) || "+-/%?&^~\\#".contains(c);
        for split in [&structural as &dyn Fn(char) -> bool, &operators] {
            for piece in text.split(split) {
                let piece = piece.trim_matches(['{', '}']);
                if !piece.is_empty() {
                    self.names.insert(piece.to_string());
                }
            }
        }
        for piece in text.split(['{', '}']) {
            if !piece.is_empty() && piece != text {
                self.names.insert(piece.to_string());
            }
        }
    }
}

/// True when `expr` has a free-text term (matched against `_raw`).
fn has_free_text(expr: &SearchExpr) -> bool {
    match &expr.kind {
        SearchExprKind::And(items) | SearchExprKind::Or(items) => items.iter().any(has_free_text),
        SearchExprKind::Not(inner) => has_free_text(inner),
        SearchExprKind::Term(_) => true,
        SearchExprKind::Compare { .. }
        | SearchExprKind::In { .. }
        | SearchExprKind::Subsearch(_) => false,
    }
}

/// True when `expr` calls a function that reads `_raw` without naming it.
fn calls_raw_reader(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Call { name, args } => {
            RAW_READING_FUNCTIONS
                .iter()
                .any(|f| name.node.eq_ignore_ascii_case(f))
                || args.iter().any(calls_raw_reader)
        }
        ExprKind::Unary { expr, .. } => calls_raw_reader(expr),
        ExprKind::Binary { left, right, .. } => calls_raw_reader(left) || calls_raw_reader(right),
        ExprKind::In { expr, list } => calls_raw_reader(expr) || list.iter().any(calls_raw_reader),
        ExprKind::Field(_) | ExprKind::Str(_) | ExprKind::Number(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spl_syntax::parse_pipeline;

    fn selection(spl: &str) -> FieldSelection {
        required_fields(&parse_pipeline(spl).expect("parses"))
    }

    fn selected(spl: &str) -> Vec<String> {
        let selection = selection(spl);
        let names = selection.names().expect("a named selection");
        names
            .iter()
            .filter(|n| !TIME_FIELDS.contains(&n.as_str()))
            .cloned()
            .collect()
    }

    #[test]
    fn stats_selects_its_arguments_and_what_came_before() {
        assert_eq!(
            selected("verb=get \"user.groups{}\"=x | stats count values(verb) BY user.username"),
            ["user.groups{}", "user.username", "verb"]
        );
    }

    #[test]
    fn whole_events_need_every_field() {
        assert!(selection("verb=get").is_all());
        assert!(selection("verb=get | where code > 3 | head 5").is_all());
        assert!(selection("verb=get | fields - verb").is_all());
    }

    #[test]
    fn wildcards_and_unnamed_reads_need_every_field() {
        for spl in [
            "verb=get | table a*",
            "verb=get | stats values(*) BY user",
            "verb=get | rename a* AS b* | stats count BY b",
            "verb=get | fillnull | stats count BY user",
            "verb=get | spath | stats count BY user",
            "verb=get | fromjson x | stats count BY user",
            "verb=get | foreach * [eval <<FIELD>>=1] | stats count BY user",
            "verb=get | eventstats values(*) AS v | stats count BY user",
            "verb=get | lookup users user | stats count BY user",
            "us*r=get | stats count BY user",
        ] {
            assert!(selection(spl).is_all(), "{spl}");
        }
    }

    #[test]
    fn only_commands_before_the_first_projecting_one_count() {
        assert_eq!(selected("a=1 | table b c | eval d=e"), ["a", "b", "c"]);
        // `fields +` keeps `_raw` and `_time` besides the fields it lists.
        assert_eq!(
            selected("a=1 | fields b | table *"),
            ["_raw", "_time", "a", "b"]
        );
    }

    #[test]
    fn generic_arguments_and_eval_give_names() {
        let names =
            selected("x=1 | eval {f}=g+1 | streamstats count(eval(h>1)) AS c BY k | table c");
        for name in ["x", "f", "g", "h", "k", "c"] {
            assert!(names.contains(&name.to_string()), "{name} in {names:?}");
        }
        let names = selected("x=1 | rex field=msg \"(?<who>\\w+)\" | table who");
        assert!(names.contains(&"msg".to_string()) && names.contains(&"who".to_string()));
    }

    #[test]
    fn raw_and_time_are_selected_when_read_without_being_named() {
        let wants = |spl: &str, field: &str| selection(spl).wants_field(field);
        for spl in [
            "error | stats count BY user",
            "a=1 | where searchmatch(\"x\") | stats count BY user",
            "a=1 | eval m=if(searchmatch(\"x\"), 1, 0) | stats count BY m",
            "a=1 | rex \"(?<who>\\w+)\" | stats count BY who",
            "a=1 | fields user",
        ] {
            assert!(wants(spl, "_raw"), "{spl} reads _raw");
        }
        for spl in [
            "a=1 | stats latest(x) BY user",
            "a=1 | stats earliest_time(x) BY user",
            "a=1 | bin span=1h _time | stats count BY user",
            "a=1 | fields user",
        ] {
            assert!(wants(spl, "_time"), "{spl} reads _time");
        }
        for spl in [
            "a=1 | stats count values(verb) BY user",
            "a=1 | eval x=len(y) | table x",
        ] {
            for field in ["_raw", "_time", "source", "sourcetype", "host", "index"] {
                assert!(!wants(spl, field), "{spl} does not read {field}");
            }
        }
        assert!(wants("a=1 | stats count BY source", "source"));
        assert!(wants("a=1 | table _raw", "_raw"));
    }

    #[test]
    fn paths_cover_prefixes_of_names() {
        let selection = FieldSelection::only(["user.groups{}", "objectRef.resource"]);
        assert!(selection.wants_path("user"));
        assert!(selection.wants_path("user.groups"));
        assert!(selection.wants_path("objectRef"));
        assert!(!selection.wants_path("requestReceivedTimestamp"));
        let with_time = FieldSelection::only(["user.groups{}", "_time"]);
        assert!(with_time.wants_path("requestReceivedTimestamp"));
        assert!(!selection.wants_path("use"));
        assert!(!selection.wants_path("user.username"));
        assert!(!selection.wants_path("requestObject"));
        assert!(FieldSelection::all().wants_path("anything"));
    }
}

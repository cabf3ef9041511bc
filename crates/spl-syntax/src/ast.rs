//! The abstract syntax tree of an SPL pipeline.
//!
//! Every node carries the [`Span`] of the text it was parsed from. Spans are byte ranges in
//! the text given to [`crate::parse_pipeline`] (after macro expansion); see
//! [`crate::macros::SourceMap`] for mapping them back to the detection or macro file.
//!
//! Commands the engine runs have their own [`CommandKind`] variant; any other command is kept
//! as [`CommandKind::Generic`], with its arguments tokenised but not interpreted.

use crate::span::{Span, Spanned};

/// `cmd1 | cmd2 | …`: a whole search.
#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    /// The commands in order. The first one of a search that does not start with `|` is an
    /// implicit `search`.
    pub commands: Vec<Command>,
    /// The whole pipeline.
    pub span: Span,
}

/// One command of a pipeline, e.g. `stats count BY user`.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    /// The command name as written (`stats`, `STATS`); for an implicit search, `search` with
    /// an empty span at the start of the segment.
    pub name: Spanned<String>,
    /// What the command does, with its arguments.
    pub kind: CommandKind,
    /// The whole segment, from the name to the end of the arguments.
    pub span: Span,
}

/// The commands the parser models in detail, and a generic node for all others.
#[derive(Clone, Debug, PartialEq)]
pub enum CommandKind {
    /// `search <expr>`, or the implicit first segment. `None` is an empty search (all events).
    Search(Option<SearchExpr>),
    /// `where <expr>`.
    Where(Expr),
    /// `eval a=<expr>, b=<expr>`.
    Eval(Vec<Assignment>),
    /// `iplocation [prefix=] [allfields=] [lang=] <field>`.
    IpLocation(IpLocation),
    /// `stats <agg> [AS name] … [BY fields]`.
    Stats(Stats),
    /// `rename a AS b, c* AS d*`.
    Rename(Vec<RenamePair>),
    /// `fillnull [value=<v>] [fields…]`.
    Fillnull(Fillnull),
    /// `table a, b*`.
    Table(Vec<Field>),
    /// `fields [+|-] a, b*`.
    Fields(Fields),
    /// `head [N]` / `head limit=N`.
    Head(Head),
    /// `dedup [N] fields… [options] [sortby …]`.
    Dedup(Dedup),
    /// `sort [N] [+|-]field …`.
    Sort(Sort),
    /// Any other command, kept as tokens.
    Generic(GenericCommand),
}

/// A field name as written, unquoted (`user.groups{}`, `"user.groups{}"` both give
/// `user.groups{}`). May contain `*` where the command allows wildcards.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    /// The name, with quotes removed and escapes processed.
    pub name: String,
    /// Where it was written (including quotes).
    pub span: Span,
}

impl Field {
    /// True when the name contains a `*` wildcard.
    pub fn is_wildcard(&self) -> bool {
        self.name.contains('*')
    }
}

// ---------------------------------------------------------------------------------------
// search
// ---------------------------------------------------------------------------------------

/// A boolean expression of the `search` command (where OR binds tighter than AND).
#[derive(Clone, Debug, PartialEq)]
pub struct SearchExpr {
    /// The expression.
    pub kind: SearchExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The forms of a `search` expression.
#[derive(Clone, Debug, PartialEq)]
pub enum SearchExprKind {
    /// `A B` or `A AND B`: all must match.
    And(Vec<SearchExpr>),
    /// `A OR B`: any must match.
    Or(Vec<SearchExpr>),
    /// `NOT A`.
    Not(Box<SearchExpr>),
    /// `field=value`, `field!=value`, `field<value`, …
    Compare {
        /// The field compared.
        field: Field,
        /// The operator.
        op: CompareOp,
        /// The value, possibly with `*` wildcards.
        value: SearchValue,
    },
    /// `field IN (a, "b", *c*)`.
    In {
        /// The field tested.
        field: Field,
        /// The values, any of which may match.
        values: Vec<SearchValue>,
    },
    /// A free-text term or quoted phrase matched against `_raw` (`error`, `"access denied"`,
    /// `fail*`, `*`).
    Term(SearchValue),
    /// A subsearch `[ search … ]` used as a search term.
    Subsearch(Box<Pipeline>),
}

/// A literal value in a `search` expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchValue {
    /// The text with quotes removed and `\"`/`\\` escapes processed; `*` is a wildcard.
    pub text: String,
    /// True when it was written in double quotes.
    pub quoted: bool,
    /// Where it was written (including quotes).
    pub span: Span,
}

/// A comparison operator in `search` (and the comparison part of `where`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CompareOp {
    /// The operator as written in SPL.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

// ---------------------------------------------------------------------------------------
// eval / where expressions
// ---------------------------------------------------------------------------------------

/// An `eval`/`where` expression (where AND binds tighter than OR).
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// The expression.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

impl Drop for Expr {
    /// Drops the left side of an operator chain in a loop. The parser builds `a OR b OR …`
    /// as a left-deep tree whose depth is the number of terms; the compiler's recursive
    /// drop would overflow the stack on a chain of 100,000 terms. (Other nesting is bounded
    /// by the parser's depth limit.)
    fn drop(&mut self) {
        let ExprKind::Binary { left, .. } = &mut self.kind else {
            return;
        };
        let mut next = std::mem::replace(left.as_mut(), Expr::placeholder());
        loop {
            let ExprKind::Binary { left, .. } = &mut next.kind else {
                return;
            };
            let deeper = std::mem::replace(left.as_mut(), Expr::placeholder());
            next = deeper;
        }
    }
}

impl Expr {
    /// An empty number literal that owns nothing (used while dropping chains).
    fn placeholder() -> Expr {
        Expr {
            kind: ExprKind::Number(String::new()),
            span: Span::default(),
        }
    }
}

/// The forms of an `eval`/`where` expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `"text"`: a string literal, escapes processed.
    Str(String),
    /// `42`, `1.5`, `1e3`: a number literal, as written.
    Number(String),
    /// `name` or `'quoted.name{}'`: the value of a field.
    Field(String),
    /// `name(args…)`: a function call (`if`, `coalesce`, `match`, …). The name is kept as
    /// written; lookup is case-insensitive.
    Call {
        /// Function name.
        name: Spanned<String>,
        /// Arguments in order.
        args: Vec<Expr>,
    },
    /// `-x`, `NOT x`, `!x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        expr: Box<Expr>,
    },
    /// `a + b`, `a . b`, `a = b`, `a AND b`, `a LIKE b`, …
    Binary {
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        left: Box<Expr>,
        /// Right operand.
        right: Box<Expr>,
    },
    /// `x IN ("a", "b")`: the predicate form of `in()`.
    In {
        /// The value tested.
        expr: Box<Expr>,
        /// The candidates.
        list: Vec<Expr>,
    },
}

/// A unary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `NOT x` or `!x`
    Not,
}

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `+` (numbers add, strings concatenate)
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `.` string concatenation
    Concat,
    /// `=` or `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `LIKE` (SQL pattern with `%` and `_`)
    Like,
    /// `AND`
    And,
    /// `OR`
    Or,
    /// `XOR`
    Xor,
}

impl BinaryOp {
    /// The operator as printed in canonical SPL.
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Concat => ".",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Like => "LIKE",
            BinaryOp::And => "AND",
            BinaryOp::Or => "OR",
            BinaryOp::Xor => "XOR",
        }
    }
}

/// `name=<expr>` inside `eval`.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// The destination field.
    pub field: Field,
    /// The value.
    pub expr: Expr,
    /// From the field name to the end of the expression.
    pub span: Span,
}

// ---------------------------------------------------------------------------------------
// other commands
// ---------------------------------------------------------------------------------------

/// `iplocation [prefix=<s>] [allfields=<bool>] [lang=<s>] <field>`.
#[derive(Clone, Debug, PartialEq)]
pub struct IpLocation {
    /// Prepended to every output field name.
    pub prefix: Option<String>,
    /// Also add `Continent`, `MetroCode`, `Timezone`.
    pub allfields: bool,
    /// Language of the names (`en` when absent; `code` for ISO codes).
    pub lang: Option<String>,
    /// The field holding the IP address.
    pub field: Field,
}

/// `stats <agg>… [BY <fields>]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Stats {
    /// The aggregations, in the order written.
    pub aggregations: Vec<Aggregation>,
    /// The `BY` fields, in the order written (empty when there is no `BY`).
    pub by: Vec<Field>,
    /// Options such as `allnum=`, `dedup_splitvals=` (name, value).
    pub options: Vec<CommandOption>,
}

/// One aggregation of `stats`: `count`, `values(verb) AS verbs`, `count(eval(x>1))`.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregation {
    /// The function name as written (`count`, `values`, `dc`, `perc95`…).
    pub function: Spanned<String>,
    /// The argument, when there is one.
    pub argument: Option<AggregationArgument>,
    /// The `AS` name, when there is one.
    pub alias: Option<Field>,
    /// From the function name to the end of the alias.
    pub span: Span,
}

impl Aggregation {
    /// The output column name: the alias, or the aggregation as written without spaces
    /// (`count`, `values(verb)`, `dc(src)`).
    pub fn output_name(&self) -> String {
        if let Some(alias) = &self.alias {
            return alias.name.clone();
        }
        match &self.argument {
            None => self.function.node.clone(),
            Some(AggregationArgument::Field(f)) => format!("{}({})", self.function.node, f.name),
            Some(AggregationArgument::Eval(e)) => {
                let text = crate::parser::print_expr(e);
                format!("{}(eval({}))", self.function.node, text.replace(' ', ""))
            }
        }
    }
}

/// What an aggregation reads.
#[derive(Clone, Debug, PartialEq)]
pub enum AggregationArgument {
    /// A field name (may be a wildcard).
    Field(Field),
    /// `eval(<expr>)`.
    Eval(Expr),
}

/// `name=value` option of a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandOption {
    /// Option name as written.
    pub name: Spanned<String>,
    /// Value with quotes removed.
    pub value: Spanned<String>,
}

/// `old AS new` inside `rename`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenamePair {
    /// Current name (may contain `*`).
    pub from: Field,
    /// New name (same number of `*` as `from`).
    pub to: Field,
}

/// `fillnull [value=<v>] [fields…]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fillnull {
    /// The fill value; `None` means Splunk's default `0`.
    pub value: Option<String>,
    /// The fields to fill; empty means every field present in some result.
    pub fields: Vec<Field>,
}

/// `fields [+|-] <list>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fields {
    /// True for `fields - …` (remove), false for `fields [+] …` (keep).
    pub remove: bool,
    /// The fields (wildcards allowed).
    pub fields: Vec<Field>,
}

/// `head [N]` or `head limit=N`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    /// How many results to keep; `None` means the default 10.
    pub count: Option<u64>,
}

/// `dedup [N] <fields> [keepevents=] [keepempty=] [consecutive=] [sortby …]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dedup {
    /// Results kept per combination (default 1).
    pub count: Option<u64>,
    /// The fields whose values are compared.
    pub fields: Vec<Field>,
    /// Keep results with a null dedup field.
    pub keepempty: bool,
    /// Only remove adjacent duplicates.
    pub consecutive: bool,
    /// Keep duplicates but remove the dedup fields from them.
    pub keepevents: bool,
    /// Sort first.
    pub sortby: Vec<SortKey>,
}

/// `sort [N | limit=N] [+|-]field… [desc]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sort {
    /// Maximum results; `None` means the default 10 000, `Some(0)` unlimited.
    pub limit: Option<u64>,
    /// Sort keys, most significant first.
    pub keys: Vec<SortKey>,
    /// A trailing `d`/`desc` reverses the whole order.
    pub descending: bool,
}

/// One key of `sort` or `dedup … sortby`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortKey {
    /// The field.
    pub field: Field,
    /// `-field`.
    pub descending: bool,
    /// `num(f)`, `str(f)`, `ip(f)`, `auto(f)` (default).
    pub collation: Collation,
}

/// How `sort` compares values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Collation {
    /// Numeric when both are numbers, IP order when both are IPs, else lexicographic.
    #[default]
    Auto,
    /// Numeric.
    Num,
    /// Lexicographic.
    Str,
    /// IP address order.
    Ip,
}

/// A command the parser does not model in detail: the name plus its tokenised arguments.
/// Quoting, brackets, subsearches and macros inside it are still exact.
#[derive(Clone, Debug, PartialEq)]
pub struct GenericCommand {
    /// The arguments in order.
    pub args: Vec<GenericArg>,
}

/// One argument of a generic command.
#[derive(Clone, Debug, PartialEq)]
pub enum GenericArg {
    /// A bare word or operator, possibly `key=value` glued together (`span=1h`, `by`, `,`).
    Word(Spanned<String>),
    /// A double-quoted string, with quotes removed and escapes processed.
    Quoted(Spanned<String>),
    /// `key=value` where value may be quoted.
    Option(CommandOption),
    /// `( … )`: a parenthesised group, kept as tokens.
    Group(Spanned<Vec<GenericArg>>),
    /// `[ … ]`: a subsearch.
    Subsearch(Box<Pipeline>),
    /// `[ … ]` that is a template rather than a search (the body of `foreach` and `map`),
    /// kept as the text between the brackets.
    Template(Spanned<String>),
}

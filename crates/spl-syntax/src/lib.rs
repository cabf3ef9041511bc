//! SPL syntax: source spans, the abstract syntax tree, the `nom` parser, the canonical
//! printer and textual macro expansion.
//!
//! This crate knows nothing about events, files or YAML. It turns SPL text into a
//! [`ast::Pipeline`] whose every node carries a [`Span`] (a byte range into the text that
//! was parsed), and reports problems as [`Diagnostic`]s that a front end renders.
//!
//! ```text
//!  detection text ──macros::expand──▶ expanded text ──parser::parse_pipeline──▶ ast::Pipeline
//!        ▲                                 │
//!        └────────── SourceMap ◀───────────┘   (maps spans back to the original text)
//! ```
#![warn(missing_docs)]

pub mod ast;
pub mod diagnostic;
pub mod macros;
pub mod parser;
pub mod print;
pub mod span;

pub use diagnostic::{Diagnostic, Label};
pub use parser::{parse_pipeline, print_expr};
pub use span::{Span, Spanned};

//! One module per subcommand, plus what they share.

pub mod common;
pub mod explain;
pub mod macros;
pub mod parse;
pub mod run;
pub mod test;

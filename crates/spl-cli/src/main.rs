//! The `spl` command line.

fn main() {}

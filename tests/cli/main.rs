//! Integration tests of the `fmx` binary: one test binary, a module per command.

mod check;
mod corpus;
mod support;

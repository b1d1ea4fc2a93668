//! Integration tests of the `fmx` binary: one test binary, a module per command.
#![allow(clippy::disallowed_methods)] // tests write their inputs with std::fs::write

mod adversarial;
mod check;
mod comments;
mod config;
mod conformance;
mod convert;
mod corpus;
mod delimiters;
mod dist;
mod edit;
mod escaping;
mod faults;
mod init;
mod integrity;
mod meaning;
mod readme;
mod roundtrip;
mod schema;
mod support;
mod terminal;

//! fmx: check and convert the front matter of static-site posts.
//!
//! Data flows one way: bytes → [`document`] split → [`formats`] parse to one ordered
//! [`value::Node`] → [`check`] against the schema, or → emit in another format, verify, diff,
//! write. The library prints nothing; reporters write to the streams they are given.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod commands;
pub mod config;
pub mod convert;
pub mod diagnostic;
pub mod document;
pub mod edit;
pub mod edits;
pub mod epoch;
pub mod fix;
pub mod formats;
pub mod keypath;
pub mod load;
pub mod progress;
pub mod report;
pub mod rules;
pub mod schema;
pub mod server;
pub mod shown;
pub mod value;
pub mod walk;
pub mod write;

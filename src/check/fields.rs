//! Where modules outside the rules import the field rules' helpers from; the code is in
//! `rules/fields.rs` and `rules/dates.rs`.

pub use crate::rules::dates::{DEFAULT_EARLIEST, DEFAULT_LATEST, epoch_fix};
pub use crate::rules::fields::{check_table, check_values, is_absolute_url, judged, judged_items};

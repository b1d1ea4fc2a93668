//! [`Table`](crate::value::Table) → json text.

use crate::formats::{EmitError, Emitted};
use crate::value::Table;

pub fn emit(_table: &Table) -> Result<Emitted, EmitError> {
    todo!("json emitter")
}

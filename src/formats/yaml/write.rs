//! [`Table`](crate::value::Table) → yaml text.

use crate::formats::{EmitError, Emitted};
use crate::value::Table;

pub fn emit(_table: &Table) -> Result<Emitted, EmitError> {
    todo!("yaml emitter")
}

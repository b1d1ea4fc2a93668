//! Handler tests through an in-memory connection.

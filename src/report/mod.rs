//! Output formats for check results, one per file behind one trait.

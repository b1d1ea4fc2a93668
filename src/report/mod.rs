//! Output formats for check results, one per file behind one trait.

use crate::diagnostic::FileReport;

pub struct Summary {
    pub files: usize,
    pub files_with_problems: usize,
    pub errors: usize,
    pub warnings: usize,
    pub fixed: usize,
    pub elapsed: std::time::Duration,
}
pub trait Reporter {
    fn report(
        &self,
        files: &[FileReport],
        summary: &Summary,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()>;
}
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
    Github,
    Sarif,
}
pub fn reporter(_format: OutputFormat) -> Box<dyn Reporter> {
    todo!()
}
pub fn summary_line(_summary: &Summary) -> String {
    todo!()
}

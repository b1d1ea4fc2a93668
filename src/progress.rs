//! The progress bar for long runs, and Ctrl-C as a request to stop cleanly.
//!
//! The bar is drawn on stderr only when stderr is a terminal and the run is long enough to
//! want one; it is hidden in CI, in pipes, and with `--no-progress` or `--quiet`.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Fewer files than this finish before a bar would be worth drawing.
const MIN_FILES: usize = 500;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// A counter of files for a walk whose total is not known in advance, or a hidden one.
pub fn counter(enabled: bool, verb: &str) -> ProgressBar {
    if !(enabled && std::io::stderr().is_terminal()) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template(&format!("{{spinner}} {verb} {{pos}} files ({{per_sec}})"))
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// A bar over `len` files, or a hidden one.
pub fn bar(len: usize, enabled: bool, verb: &str) -> ProgressBar {
    let show = enabled && len >= MIN_FILES && std::io::stderr().is_terminal();
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(&format!(
        "{verb} {{bar:40}} {{pos}}/{{len}} files ({{per_sec}}, {{eta}} left)"
    )) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// From now on, Ctrl-C asks the run to stop: files in flight finish, no new file starts.
/// A second Ctrl-C ends the process at once (writes stay atomic either way).
pub fn stop_on_ctrl_c() {
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
}

/// Whether Ctrl-C was pressed.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

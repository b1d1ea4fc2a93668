//! The real-world corpus (`../shared/corpus/real`): about two thousand posts from public
//! sites. Nothing may panic, and every exit is 0 or 1.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::{corpus, fmx, run};

#[test]
fn check_over_the_real_corpus_never_crashes() {
    let Some(dir) = corpus() else { return };
    let out = run(fmx()
        .args(["check", "--no-config", "--output-format", "json"])
        .arg(&dir));
    assert!(
        matches!(out.code, 0 | 1),
        "exit {}: {}",
        out.code,
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).expect("valid JSON report");
    let files = doc["summary"]["files"].as_u64().unwrap();
    assert!(files > 2000, "walked only {files} files");
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    for d in doc["diagnostics"].as_array().unwrap() {
        *by_rule
            .entry(d["rule"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    eprintln!("corpus: {files} files; diagnostics by rule: {by_rule:#?}");
    // Most of these sites write calendar dates: date-not-epoch dominates.
    assert!(by_rule.get("date-not-epoch").copied().unwrap_or(0) > 300);
}

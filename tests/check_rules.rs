//! One fixture per `check` rule (tests/fixtures/check/<rule>/): the clean
//! base `clean/` with one file edited (see make.py there). Each must give
//! exactly the findings in its `expected.txt` — severity, rule id,
//! file:line:col and the whole message with its numbers — and the clean base
//! must give none.
//!
//! `NIANBAO_BLESS=1 cargo test --test check_rules` writes the current
//! findings to `expected.txt`; review every line before committing it.

use std::fs;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else if entry.path().extension().is_some_and(|e| e == "yaml") {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// The findings on a data folder, one line each, paths relative to it.
fn findings(data: &Path) -> String {
    let outcome = nianbao::check(data);
    let mut out = String::new();
    for d in &outcome.diags {
        let severity = match (d.is_error(), d.acknowledged.is_some()) {
            (true, true) => "错误(已说明)",
            (true, false) => "错误",
            (false, _) => "警告",
        };
        let file = d
            .file
            .as_deref()
            .map(|f| f.strip_prefix(data).unwrap_or(f).display().to_string())
            .unwrap_or_default();
        out += &format!(
            "{severity}[{}] {file}:{}:{} {}\n",
            d.rule_id(),
            d.pos.line,
            d.pos.col,
            d.message
        );
        if let Some(hint) = &d.hint {
            let prefix = format!("{}/", data.display());
            out += &format!("  提示: {}\n", hint.replace(&prefix, ""));
        }
    }
    out
}

#[test]
fn clean_base_gives_no_findings() {
    let clean = fixtures().join("clean");
    assert_eq!(findings(&clean), "");
}

#[test]
fn every_rule_fixture_gives_its_findings() {
    let bless = std::env::var_os("NIANBAO_BLESS").is_some();
    let mut rules = 0;
    let mut failures = Vec::new();
    let mut dirs: Vec<_> = fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.ends_with("clean"))
        .collect();
    dirs.sort();
    for dir in dirs {
        let tmp = tempfile::tempdir().unwrap();
        copy_tree(&fixtures().join("clean"), tmp.path());
        copy_tree(&dir, tmp.path());
        let got = findings(tmp.path());
        let expected_path = dir.join("expected.txt");
        if bless {
            fs::write(&expected_path, &got).unwrap();
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        if got.is_empty() {
            failures.push(format!("{name}: the rule found nothing"));
        } else if got != expected {
            failures.push(format!("{name}:\n  expected:\n{expected}  got:\n{got}"));
        }
        rules += 1;
    }
    assert!(rules >= 50, "only {rules} rule fixtures");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

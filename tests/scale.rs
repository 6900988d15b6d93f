//! Findings cost what they are, not their square (issue 28): 300,000 bad
//! citations on one line are listed in every format, the JSON one included
//! (it took 6.5 minutes in release when each finding re-read its line).

use std::process::Command;
use std::time::{Duration, Instant};

mod common;

#[test]
fn three_hundred_thousand_findings_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let line = "{{ f[\"无此指标\"] }}".repeat(300_000);
    let report = format!("theme: 脱贫攻坚\nissued: 2020-12-20\nintro: '{line}'\n");
    common::clean_in(tmp.path(), &[("2020/report.yaml", &report)]);
    for format in ["text", "json"] {
        let t0 = Instant::now();
        let o = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(["check", "--format", format, "--data"])
            .arg(tmp.path())
            .output()
            .unwrap();
        let took = t0.elapsed();
        eprintln!(
            "{format}: {took:?}, {} bytes",
            o.stdout.len() + o.stderr.len()
        );
        assert_eq!(o.status.code(), Some(1));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.ends_with("检查完毕：300000 个错误、0 个警告。\n"),
            "{format}"
        );
        if format == "json" {
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            assert_eq!(v["findings"].as_array().unwrap().len(), 300_000);
            let f = &v["findings"][299_999];
            assert_eq!(f["rule"], "citation.unknown");
            let window = f["source_line"].as_str().unwrap();
            assert!(
                window.starts_with('…') && window.chars().count() <= 163,
                "{window}"
            );
        }
        // Linear is seconds (about 1 s in release); the square was minutes.
        assert!(took < Duration::from_secs(60), "{format}: {took:?}");
    }
}

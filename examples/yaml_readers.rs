//! The YAML readers nianbao could use, on the benchmark corpus (issue 29):
//! every data file of a generated corpus read into memory, then parsed by
//! each reader, in MB/s (best of 5 rounds over all files).
//!
//!   cargo run --release --example gen_corpus -- /tmp/yaml-corpus 200 5
//!   cargo run --release --example yaml_readers -- /tmp/yaml-corpus
//!
//! Readers: the event parsers that keep line and column (granit-parser,
//! beneath serde-saphyr; saphyr-parser, which it forked; yaml-rust2), and
//! the serde readers into a value that keeps nothing (`IgnoredAny`) and
//! into a generic tree (serde-saphyr; serde_yaml_ng over libyaml, which
//! gives no positions of values).

use std::time::{Duration, Instant};

fn files(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_some_and(|x| x == "yaml") {
            out.push(std::fs::read_to_string(e.path()).unwrap());
        }
    }
    out
}

fn best(texts: &[String], mut parse: impl FnMut(&str) -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut n = 0;
    for _ in 0..5 {
        let t0 = Instant::now();
        n = texts.iter().map(|t| parse(t)).sum();
        best = best.min(t0.elapsed());
    }
    (best, n)
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/yaml-corpus".into());
    let texts = files(std::path::Path::new(&dir));
    let bytes: usize = texts.iter().map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    println!("{} files, {:.1} MB in {dir}", texts.len(), mb);
    println!("| reader | positions | MB/s | time (ms) | events or values |");
    println!("|---|---|---|---|---|");
    let row = |name: &str, positions: &str, (t, n): (Duration, usize)| {
        let s = t.as_secs_f64();
        println!(
            "| {name} | {positions} | {:.1} | {:.1} | {n} |",
            mb / s,
            s * 1e3
        );
    };
    row(
        "granit-parser 2.1 (events)",
        "line, column",
        best(&texts, |t| {
            granit_parser::Parser::new_from_str(t)
                .filter_map(Result::ok)
                .count()
        }),
    );
    row(
        "saphyr-parser 0.3 (events)",
        "line, column",
        best(&texts, |t| {
            saphyr_parser::Parser::new_from_str(t)
                .filter_map(Result::ok)
                .count()
        }),
    );
    row(
        "yaml-rust2 0.13 (events)",
        "line, column",
        best(&texts, |t| {
            let mut p = yaml_rust2::parser::Parser::new_from_str(t);
            let mut n = 0;
            while let Ok((ev, _)) = p.next_token() {
                n += 1;
                if ev == yaml_rust2::parser::Event::StreamEnd {
                    break;
                }
            }
            n
        }),
    );
    row(
        "serde-saphyr 2.1 → IgnoredAny",
        "line, column (Spanned)",
        best(&texts, |t| {
            usize::from(serde_saphyr::from_str::<serde::de::IgnoredAny>(t).is_ok())
        }),
    );
    row(
        "serde-saphyr 2.1 → serde_json::Value",
        "line, column (Spanned)",
        best(&texts, |t| {
            usize::from(serde_saphyr::from_str::<serde_json::Value>(t).is_ok())
        }),
    );
    row(
        "serde_yaml_ng 0.10 (libyaml) → IgnoredAny",
        "errors only",
        best(&texts, |t| {
            usize::from(serde_yaml_ng::from_str::<serde::de::IgnoredAny>(t).is_ok())
        }),
    );
    row(
        "serde_yaml_ng 0.10 (libyaml) → serde_json::Value",
        "errors only",
        best(&texts, |t| {
            usize::from(serde_yaml_ng::from_str::<serde_json::Value>(t).is_ok())
        }),
    );
}

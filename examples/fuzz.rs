//! A mutation fuzzer over the whole pipeline (load, check, metrics, charts,
//! render and publish), on stable Rust: cargo-fuzz needs nightly, which this
//! project's machines do not have.
//!
//! ```sh
//! cargo run --release --example fuzz -- [minutes] [seed]
//! ```
//!
//! Each iteration takes one of the sample data trees (data/ and the check
//! fixtures), mutates one to three of its YAML files (bytes, lines, numbers,
//! hostile strings, deep nesting, aliases, encodings), writes the tree to a
//! scratch folder and builds it. It fails on a panic, on an unescaped
//! script payload in the HTML, on a site published despite errors, and on a
//! previous site changed by a failed build. Crashing inputs are kept under
//! `fuzz-crashes/` to become regression tests. The tree being built is always
//! at `$TMP/nianbao-fuzz/current`, so an abort (stack overflow) leaves it there.

use std::collections::BTreeMap;
use std::fs;
use std::panic;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One of `xs` (a helper that pins the element type for `replace_range`).
fn pick_str(state: &mut u64, xs: &[&'static str]) -> &'static str {
    let mut r = Rng(*state);
    let v = xs[r.below(xs.len())];
    *state = r.0;
    v
}

/// xorshift64*: small, fast, reproducible from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const VALUES: &[&str] = &[
    "-1",
    "0",
    "-0",
    "1e308",
    "1e-308",
    ".nan",
    ".inf",
    "-.inf",
    "NaN",
    "99999999999999999999999999999999",
    "0.000000000000000000000000001",
    "79228162514264337593543950336",
    "八百三十万",
    "\"\"",
    "~",
    "null",
    "[]",
    "{}",
    "true",
    "0x1F",
    "1_000",
    "12.",
    ".5",
    "2017-02-30",
    "2017-13-01",
    "'2017-12-20'",
    "\"<script>alert(1)</script>\"",
    "\"{{ x }}\"",
    "\"{% raw %}\"",
    "\"javascript:alert(1)\"",
    "\"<img src=x onerror=alert(1)>\"",
    "\"../../etc/passwd\"",
    "*a",
    "&a 1",
    "!!binary aGk=",
    "\"\\u0000\"",
    "\"\u{feff}\"",
    "\"\u{202e}abc\"",
    "|\n  多行\n  文本",
];

const LINES: &[&str] = &[
    "unknown_key: 1",
    "- {name: x}",
    "  ",
    "\t",
    "a: &a [1, 2]\nb: [*a, *a, *a, *a]",
    "x: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "narrative: \"{{ f[\\\"未脱贫\\\"] }}<script>alert(1)</script>[a](javascript:alert(1))\"",
    "intro: \"{{ x }} {% for a in b %}\"",
    "---",
    "...",
    "%YAML 1.2",
    "? complex\n: key",
];

fn mutate(rng: &mut Rng, text: &str) -> Vec<u8> {
    let mut s = text.to_string();
    for _ in 0..=rng.below(3) {
        match rng.below(9) {
            // Replace a number with an interesting value.
            0 => {
                let digits: Vec<usize> = s
                    .char_indices()
                    .filter(|(i, c)| {
                        c.is_ascii_digit() && (*i == 0 || !s.as_bytes()[i - 1].is_ascii_digit())
                    })
                    .map(|(i, _)| i)
                    .collect();
                if !digits.is_empty() {
                    let at = *rng.pick(&digits);
                    let end = s[at..]
                        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                        .map_or(s.len(), |n| at + n);
                    s.replace_range(at..end, pick_str(&mut rng.0, VALUES));
                }
            }
            // Replace a value after a colon.
            1 => {
                let colons: Vec<usize> = s.match_indices(": ").map(|(i, _)| i + 2).collect();
                if !colons.is_empty() {
                    let at = *rng.pick(&colons);
                    let end = s[at..].find(['\n', ',', '}']).map_or(s.len(), |n| at + n);
                    s.replace_range(at..end, pick_str(&mut rng.0, VALUES));
                }
            }
            // Insert, delete, duplicate or swap lines.
            2 | 3 => {
                let mut lines: Vec<String> = s.lines().map(String::from).collect();
                if lines.is_empty() {
                    lines.push(String::new());
                }
                let i = rng.below(lines.len());
                match rng.below(4) {
                    0 => lines.insert(i, (*rng.pick(LINES)).to_string()),
                    1 => {
                        lines.remove(i);
                    }
                    2 => {
                        let l = lines[i].clone();
                        lines.insert(i, l);
                    }
                    _ => {
                        let j = rng.below(lines.len());
                        lines.swap(i, j);
                    }
                }
                s = lines.join(if rng.below(4) == 0 { "\r\n" } else { "\n" });
            }
            // Shift a line's indentation.
            4 => {
                let mut lines: Vec<String> = s.lines().map(String::from).collect();
                if !lines.is_empty() {
                    let i = rng.below(lines.len());
                    if rng.below(2) == 0 {
                        lines[i].insert_str(0, "  ");
                    } else {
                        lines[i] = lines[i].trim_start().to_string();
                    }
                }
                s = lines.join("\n");
            }
            // Truncate.
            5 => {
                let mut cut = rng.below(s.len() + 1);
                while !s.is_char_boundary(cut) {
                    cut -= 1;
                }
                s.truncate(cut);
            }
            // Insert a hostile string anywhere (on a char boundary).
            6 => {
                let mut at = rng.below(s.len() + 1);
                while !s.is_char_boundary(at) {
                    at -= 1;
                }
                s.insert_str(at, pick_str(&mut rng.0, VALUES));
            }
            // Empty the file, or make it huge.
            7 => {
                if rng.below(2) == 0 {
                    s.clear();
                } else {
                    s = format!("{s}\n# {}", "长".repeat(50_000));
                }
            }
            // Raw bytes: flip, BOM, invalid UTF-8, GBK-like, UTF-16.
            _ => {
                let mut b = s.into_bytes();
                match rng.below(4) {
                    0 if !b.is_empty() => {
                        let i = rng.below(b.len());
                        b[i] ^= 1 << rng.below(8);
                    }
                    1 => b.splice(0..0, [0xef, 0xbb, 0xbf]).for_each(drop),
                    2 => b.extend_from_slice(&[0xc4, 0xea, 0xb1, 0xa8]), // 年报 in GBK
                    _ => {
                        let wide: Vec<u8> = String::from_utf8_lossy(&b)
                            .encode_utf16()
                            .flat_map(u16::to_le_bytes)
                            .collect();
                        b = [0xff, 0xfe].into_iter().chain(wide).collect();
                    }
                }
                return b;
            }
        }
    }
    s.into_bytes()
}

/// Every file under `dir`, by relative path.
fn read_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

fn write_tree(dir: &Path, tree: &BTreeMap<PathBuf, Vec<u8>>) {
    let _ = fs::remove_dir_all(dir);
    for (rel, bytes) in tree {
        let p = dir.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let minutes: f64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1.0);
    let seed: u64 = args
        .get(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut corpus = vec![read_tree(&root.join("data"))];
    let fixtures = root.join("tests/fixtures/check/clean");
    corpus.push(read_tree(&fixtures));
    let scratch = std::env::temp_dir().join("nianbao-fuzz");
    let data = scratch.join("current");
    let out = scratch.join("output");
    let crashes = root.join("fuzz-crashes");
    let _ = fs::remove_dir_all(&out);

    // A known-good site to check that failed builds leave it alone.
    write_tree(&data, &corpus[0]);
    let good = nianbao::build(&nianbao::Options {
        templates: None,
        data: data.clone(),
        out: out.clone(),
        strict: false,
        drafts: false,
    });
    assert!(good.published, "the sample data must build");
    let snapshot = read_tree_all(&out);

    panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed | 1);
    let deadline = Instant::now() + Duration::from_secs_f64(minutes * 60.0);
    let (mut runs, mut published, mut found) = (0u64, 0u64, 0u64);
    let started = Instant::now();
    while Instant::now() < deadline {
        let mut tree = rng.pick(&corpus).clone();
        let keys: Vec<PathBuf> = tree.keys().cloned().collect();
        for _ in 0..=rng.below(3) {
            let k = rng.pick(&keys).clone();
            let text = String::from_utf8_lossy(&tree[&k]).into_owned();
            tree.insert(k, mutate(&mut rng, &text));
        }
        write_tree(&data, &tree);
        let result = panic::catch_unwind(|| {
            nianbao::build(&nianbao::Options {
                templates: None,
                data: data.clone(),
                out: out.clone(),
                strict: false,
                drafts: false,
            })
        });
        runs += 1;
        let problem = match result {
            Err(_) => Some("panic".to_string()),
            Ok(o) if o.published => {
                published += 1;
                let bad = read_tree_all(&out).into_iter().find(|(p, b)| {
                    p.extension().is_some_and(|e| e == "html") && {
                        let t = String::from_utf8_lossy(b);
                        t.contains("<script>alert")
                            || t.contains("<img src=x")
                            || t.contains("href=\"javascript:")
                    }
                });
                // Put the good site back for the next failed-build check.
                write_tree(&data, &corpus[0]);
                let _ = nianbao::build(&nianbao::Options {
                    templates: None,
                    data: data.clone(),
                    out: out.clone(),
                    strict: false,
                    drafts: false,
                });
                bad.map(|(p, _)| format!("unescaped payload in {}", p.display()))
            }
            Ok(o) if o.blocked(false) && read_tree_all(&out) != snapshot => {
                Some("a failed build changed the previous site".into())
            }
            Ok(_) => None,
        };
        if let Some(what) = problem {
            found += 1;
            let dir = crashes.join(format!("{runs:08}"));
            write_tree(&dir, &tree);
            let _ = fs::write(dir.join("WHAT.txt"), &what);
            eprintln!("run {runs}: {what} → {}", dir.display());
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "fuzz: {runs} runs in {secs:.0} s ({:.0}/s), {published} published, {found} problems, seed {seed}",
        runs as f64 / secs
    );
    if found > 0 {
        std::process::exit(1);
    }
}

/// Every file of a built site (the snapshot of a "previous site"), but the
/// build state, which records file times and so changes when the fuzzer
/// rewrites the good tree to put the good site back.
fn read_tree_all(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.path().ends_with("state.json"))
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect()
}

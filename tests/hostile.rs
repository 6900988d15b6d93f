//! Hostile and broken input, a catalogue: each case takes the clean fixture
//! tree (tests/fixtures/check/clean), publishes it, breaks it one way, runs
//! the real binary again and asserts the exit code, the Chinese message and
//! its file:line — and that the previous site did not change by a byte.
//! Cases that must simply work (a BOM, CRLF, hostile text in names) assert
//! the published output instead.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What a case does to the tree.
enum Op {
    /// Write a file (relative to the data folder).
    Write(&'static str, Vec<u8>),
    /// Replace `old` by `new` in a file.
    Edit(&'static str, &'static str, &'static str),
    Remove(&'static str),
    Mkdir(&'static str),
    /// A symlink at `link` pointing to `target` (absolute if it starts with /).
    #[cfg(unix)]
    Symlink(&'static str, &'static str),
    /// A sparse file of this many bytes.
    Huge(&'static str, u64),
}

/// What must come out.
enum Expect {
    /// Exit 1 (or the code given), stderr has every fragment, output unchanged.
    Fails(i32, &'static [&'static str]),
    /// Exit 0; the published file contains every fragment and none of the
    /// forbidden ones.
    Works(
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
    ),
}

struct Case {
    name: &'static str,
    ops: Vec<Op>,
    expect: Expect,
}

const R: &str = "office-a/2020/report.yaml";
const REG: &str = "office-a/2020/register.yaml";
const F: &str = "office-a/2020/funds.yaml";
const M: &str = "office-a/2020/measures.yaml";
const P: &str = "office-a/2020/projects.yaml";
const PLAN: &str = "office-a/2020/plan.yaml";
const O: &str = "office-a/office.yaml";

fn report(extra: &str) -> Vec<u8> {
    format!("theme: 脱贫攻坚\nissued: 2020-12-20\nintro: 现将2020年工作总结如下。\n{extra}")
        .into_bytes()
}

fn cases() -> Vec<Case> {
    use Expect::*;
    use Op::*;
    let c = |name, ops, expect| Case { name, ops, expect };
    let gbk_report: Vec<u8> = {
        // "theme: 脱贫" in GBK (脱 = CD D1, 贫 = C6 B6).
        let mut b = b"theme: ".to_vec();
        b.extend_from_slice(&[0xcd, 0xd1, 0xc6, 0xb6]);
        b.extend_from_slice(b"\nissued: 2020-12-20\nintro: x\n");
        b
    };
    let utf16 = |text: &str, be: bool| -> Vec<u8> {
        let mut out = if be {
            vec![0xfe, 0xff]
        } else {
            vec![0xff, 0xfe]
        };
        for u in text.encode_utf16() {
            out.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        out
    };
    let nested = format!(
        "theme: x\nissued: 2020-12-20\nintro: x\nyear: {}1{}\n",
        "[".repeat(200),
        "]".repeat(200)
    );
    let bomb = {
        let mut s = String::from(
            "theme: x\nissued: 2020-12-20\nintro: x\nlol0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
        );
        for i in 1..10 {
            s += &format!(
                "lol{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
                p = i - 1
            );
        }
        s
    };
    vec![
        // ---- YAML syntax ----
        c(
            "unclosed bracket",
            vec![Write(
                R,
                b"theme: [x, y\nissued: 2020-12-20\nintro: x\n".to_vec(),
            )],
            Fails(1, &["report.yaml:"]),
        ),
        c(
            "unclosed quote",
            vec![Write(
                R,
                b"theme: \"abc\nissued: 2020-12-20\nintro: x\n".to_vec(),
            )],
            Fails(1, &["report.yaml:"]),
        ),
        c(
            "bad indentation",
            vec![Write(
                R,
                b"theme: x\n  issued: 2020-12-20\nintro: x\n".to_vec(),
            )],
            Fails(1, &["report.yaml:"]),
        ),
        c(
            "tab indentation",
            vec![Write(REG, b"baseline:\n\thouseholds: 1\n".to_vec())],
            Fails(1, &["register.yaml:2"]),
        ),
        c(
            "two documents in one file",
            vec![Write(R, [report(""), b"---\ntheme: y\n".to_vec()].concat())],
            Fails(1, &["report.yaml"]),
        ),
        c(
            "a list where a mapping goes",
            vec![Write(R, b"- theme: x\n".to_vec())],
            Fails(1, &["report.yaml:1"]),
        ),
        c(
            "a scalar where a mapping goes",
            vec![Write(O, b"just text\n".to_vec())],
            Fails(1, &["office.yaml:1"]),
        ),
        c(
            "a mapping where text goes",
            vec![Write(
                R,
                b"theme: {a: 1}\nissued: 2020-12-20\nintro: x\n".to_vec(),
            )],
            Fails(1, &["report.yaml:1"]),
        ),
        // Tags are not evaluated: the value is read as plain text.
        c(
            "a python tag",
            vec![Write(
                R,
                b"theme: !!python/object:os.system rm\nissued: 2020-12-20\nintro: x\n".to_vec(),
            )],
            Works(
                "office-a/2020/summary.html",
                &["甲县2020年rm工作总结"],
                &["python"],
            ),
        ),
        c(
            "a directive",
            vec![Write(
                R,
                [b"%YAML 9.9\n---\n".to_vec(), report("")].concat(),
            )],
            Fails(1, &["report.yaml"]),
        ),
        // ---- keys ----
        c(
            "unknown key with a suggestion",
            vec![Edit(F, "stated_total:", "stated_totl:")],
            Fails(1, &["未知", "stated_totl", "stated_total", "funds.yaml:6"]),
        ),
        c(
            "misspelt key in a list item",
            vec![Edit(
                P,
                "{id: P1, name: 东村茶园, category:",
                "{id: P1, nmae: 东村茶园, category:",
            )],
            Fails(1, &["nmae", "name", "projects.yaml:2"]),
        ),
        c(
            "duplicate key",
            vec![Write(R, report("theme: 再来一次\n"))],
            Fails(1, &["重复", "theme", "report.yaml:4"]),
        ),
        c(
            "missing required key",
            vec![Write(R, b"issued: 2020-12-20\nintro: x\n".to_vec())],
            Fails(1, &["theme", "report.yaml"]),
        ),
        // A document published without a date is printed without one.
        c(
            "no issue date",
            vec![Write(R, b"theme: x\nintro: x\n".to_vec())],
            Works(
                "office-a/2020/summary.html",
                &["sign-office"],
                &["sign-date", "年月日"],
            ),
        ),
        c(
            "null for a required key",
            vec![Write(
                R,
                b"theme: ~\nissued: 2020-12-20\nintro: x\n".to_vec(),
            )],
            Fails(1, &["theme", "report.yaml:1"]),
        ),
        c(
            "unknown file name with a suggestion",
            vec![Write("office-a/2020/regsiter.yaml", b"x: 1\n".to_vec())],
            Fails(1, &["regsiter.yaml", "register.yaml"]),
        ),
        // ---- types and numbers ----
        c(
            "Chinese numerals where a number goes",
            vec![Edit(F, "stated_total: 100", "stated_total: 八百三十万")],
            Fails(1, &["八百三十万", "funds.yaml:6"]),
        ),
        c(
            "text for a count",
            vec![Edit(REG, "households: 300", "households: 三百")],
            Fails(1, &["三百", "register.yaml:4"]),
        ),
        c(
            "a list for a number",
            vec![Edit(F, "stated_total: 100", "stated_total: [100]")],
            Fails(1, &["funds.yaml:6"]),
        ),
        c(
            "boolean for a number",
            vec![Edit(F, "stated_total: 100", "stated_total: true")],
            Fails(1, &["funds.yaml:6"]),
        ),
        c(
            "huge number",
            vec![Edit(
                F,
                "stated_total: 100",
                "stated_total: 999999999999999999999999999999999999",
            )],
            Fails(1, &["funds.yaml:6"]),
        ),
        c(
            "exponent overflow",
            vec![Edit(F, "stated_total: 100", "stated_total: 1e400")],
            Fails(1, &["funds.yaml:6"]),
        ),
        c(
            "NaN",
            vec![Edit(F, "stated_total: 100", "stated_total: .nan")],
            Fails(1, &["funds.yaml:6"]),
        ),
        c(
            "infinity",
            vec![Edit(F, "stated_total: 100", "stated_total: .inf")],
            Fails(1, &["funds.yaml:6"]),
        ),
        c(
            "negative infinity",
            vec![Edit(F, "stated_total: 100", "stated_total: -.inf")],
            Fails(1, &["funds.yaml:6"]),
        ),
        c(
            "negative money",
            vec![Edit(P, "budget: 30, spent: 20", "budget: -30, spent: 20")],
            Fails(1, &["负数", "projects.yaml:5"]),
        ),
        c(
            "negative count",
            vec![Edit(REG, "households: 300", "households: -300")],
            Fails(1, &["负数", "register.yaml:4"]),
        ),
        c(
            "fractional persons",
            vec![Edit(REG, "persons: 1000", "persons: 1000.5")],
            Fails(1, &["整数", "register.yaml:5"]),
        ),
        c(
            "thousands separator",
            vec![Edit(REG, "persons: 1000", "persons: 1,000")],
            Fails(1, &["register.yaml:5"]),
        ),
        c(
            "hex number",
            vec![Edit(REG, "persons: 1000", "persons: 0x3E8")],
            Fails(1, &["register.yaml:5"]),
        ),
        c(
            "full-width digits",
            vec![Edit(REG, "persons: 1000", "persons: １０００")],
            Fails(1, &["register.yaml:5"]),
        ),
        // ---- dates ----
        c(
            "impossible date",
            vec![Edit(R, "issued: 2020-12-20", "issued: 2020-02-30")],
            Fails(1, &["2020-02-30", "report.yaml:3"]),
        ),
        c(
            "date as a number",
            vec![Edit(R, "issued: 2020-12-20", "issued: 20201220")],
            Fails(1, &["report.yaml:3"]),
        ),
        c(
            "date as words",
            vec![Edit(R, "issued: 2020-12-20", "issued: 年底")],
            Fails(1, &["年底", "report.yaml:3"]),
        ),
        // ---- empty and odd files ----
        c(
            "empty report",
            vec![Write(R, Vec::new())],
            Fails(1, &["report.yaml"]),
        ),
        c(
            "whitespace-only office.yaml",
            vec![Write(O, b"  \n\n".to_vec())],
            Fails(1, &["office.yaml"]),
        ),
        c(
            "comment-only file",
            vec![Write(F, b"# nothing here\n".to_vec())],
            Fails(1, &["funds.yaml"]),
        ),
        c(
            "missing office.yaml",
            vec![Remove(O)],
            Fails(1, &["office.yaml"]),
        ),
        c(
            "missing report.yaml and plan.yaml",
            vec![Remove(R), Remove(PLAN)],
            Fails(1, &["report.yaml"]),
        ),
        // A year of plan.yaml alone is a plan-only year: its plan, no 总结.
        c(
            "plan.yaml without report.yaml",
            vec![Remove(R)],
            Works("office-a/2020/plan.html", &["甲县2021年工作计划"], &[]),
        ),
        // ---- encodings ----
        // What Notepad, WPS and Excel save on Chinese Windows is read (with a
        // warning, tests/reliability.rs).
        c(
            "GBK file",
            vec![Write(R, gbk_report)],
            Works(
                "office-a/2020/summary.html",
                &["甲县2020年脱贫工作总结"],
                &["\u{FFFD}"],
            ),
        ),
        c(
            "UTF-16 LE with BOM",
            vec![Write(
                R,
                utf16("theme: x\nissued: 2020-12-20\nintro: x\n", false),
            )],
            Works("office-a/2020/summary.html", &["甲县2020年x工作总结"], &[]),
        ),
        c(
            "UTF-16 BE with BOM",
            vec![Write(
                R,
                utf16("theme: 脱贫\nissued: 2020-12-20\nintro: x\n", true),
            )],
            Works(
                "office-a/2020/summary.html",
                &["甲县2020年脱贫工作总结"],
                &[],
            ),
        ),
        c(
            "invalid UTF-8 bytes",
            vec![Write(
                O,
                vec![b'n', b'a', b'm', b'e', b':', b' ', 0xff, 0xfe, 0x80, b'\n'],
            )],
            Fails(1, &["office.yaml"]),
        ),
        c(
            "NUL byte",
            vec![Write(O, b"name: a\x00b\n".to_vec())],
            Fails(1, &["office.yaml"]),
        ),
        // ---- size and depth ----
        c(
            "deeply nested",
            vec![Write(R, nested.into_bytes())],
            Fails(1, &["report.yaml"]),
        ),
        c(
            "alias bomb",
            vec![Write(R, bomb.into_bytes())],
            Fails(1, &["report.yaml"]),
        ),
        c(
            "100 MB file",
            vec![Huge(M, 100 << 20)],
            Fails(1, &["measures.yaml", "100.0 MiB", "超过上限 8.0 MiB"]),
        ),
        // ---- folders and links ----
        c(
            "office folder with a space",
            vec![
                Mkdir("office b"),
                Write("office b/office.yaml", b"name: b\n".to_vec()),
            ],
            Fails(1, &["office b"]),
        ),
        c(
            "office folder in Chinese",
            vec![
                Mkdir("甲镇"),
                Write("甲镇/office.yaml", b"name: b\n".to_vec()),
            ],
            Fails(1, &["甲镇"]),
        ),
        c(
            "office folder with dots",
            vec![
                Mkdir("a..b"),
                Write("a..b/office.yaml", b"name: b\n".to_vec()),
            ],
            Fails(1, &["a..b"]),
        ),
        c(
            "year folder that is not a year",
            vec![
                Mkdir("office-a/2020年"),
                Write("office-a/2020年/report.yaml", report("")),
            ],
            Fails(1, &["2020年"]),
        ),
        c(
            "year out of range",
            vec![
                Mkdir("office-a/1900"),
                Write("office-a/1900/report.yaml", report("")),
            ],
            Fails(1, &["1900"]),
        ),
        #[cfg(unix)]
        c(
            "symlinked file pointing outside",
            vec![Remove(F), Symlink(F, "/etc/hostname")],
            Fails(1, &["funds.yaml"]),
        ),
        #[cfg(unix)]
        c(
            "symlinked office folder",
            vec![Symlink("office-z", "/tmp")],
            Fails(1, &["office-z"]),
        ),
        // ---- narrative ----
        c(
            "template syntax in narrative",
            vec![Edit(R, "intro: 现将", "intro: {% for x in y %}现将")],
            Fails(1, &["report.yaml:4"]),
        ),
        c(
            "citation of an unknown figure",
            vec![Edit(R, "f[\"本年预脱贫\"]", "f[\"本年预脱贫人数\"]")],
            Fails(1, &["本年预脱贫人数", "report.yaml:4"]),
        ),
        c(
            "full-width quotes in a citation",
            vec![Edit(R, "f[\"本年预脱贫\"]", "f[“本年预脱贫”]")],
            Fails(1, &["report.yaml:4"]),
        ),
        c(
            "unclosed citation",
            vec![Edit(R, "f[\"本年预脱贫\"] }}", "f[\"本年预脱贫\"]")],
            Fails(1, &["report.yaml:4"]),
        ),
        // ---- must simply work ----
        c(
            "UTF-8 BOM",
            vec![Write(
                O,
                [
                    vec![0xef, 0xbb, 0xbf],
                    "name: 甲县乡村振兴局\n".as_bytes().to_vec(),
                ]
                .concat(),
            )],
            Works("index.html", &["甲县乡村振兴局"], &[]),
        ),
        c(
            "CRLF line ends",
            vec![Write(
                R,
                String::from_utf8(report(""))
                    .unwrap()
                    .replace('\n', "\r\n")
                    .into_bytes(),
            )],
            Works(
                "office-a/2020/summary.html",
                &["现将2020年工作总结如下。"],
                &["\r"],
            ),
        ),
        c(
            "script in names and text",
            vec![
                Edit(P, "name: 东村茶园", "name: \"<script>alert(1)</script>\""),
                Edit(
                    O,
                    "name: 甲县乡村振兴局",
                    "name: \"<img src=x onerror=alert(1)>\"",
                ),
                Edit(
                    M,
                    "- title: 综合",
                    "- title: \"<b onmouseover=alert(1)>综合</b>\"",
                ),
            ],
            Works(
                "office-a/2020/summary.html",
                &[
                    "&lt;img src=x onerror=alert(1)&gt;",
                    "&lt;b onmouseover=alert(1)&gt;综合&lt;/b&gt;",
                ],
                &["<img src=x", "<b onmouseover", "<script>alert"],
            ),
        ),
        c(
            "script and javascript: link in narrative",
            vec![Edit(
                R,
                "intro: 现将2020年工作总结如下",
                "intro: 现将<script>alert(1)</script>[点我](javascript:alert(1))<a href=\"javascript:alert(2)\" onclick=\"alert(3)\">链接</a>总结如下",
            )],
            Works(
                "office-a/2020/summary.html",
                &["点我", "链接"],
                &["<script>alert", "javascript:", "onclick"],
            ),
        ),
        c(
            "images and outside links in narrative are dropped",
            vec![Edit(
                R,
                "intro: 现将",
                "intro: <img src=\"http://example.com/t.png\">![图](http://example.com/a.png)[外站](http://example.com/)<iframe src=\"http://example.com\"></iframe>现将",
            )],
            Works(
                "office-a/2020/summary.html",
                &["外站"],
                &["<img", "example.com", "<iframe"],
            ),
        ),
        c(
            "template syntax in a project name is printed as is",
            vec![
                Edit(P, "name: 南村道路", "name: \"{{ x }}{% if a %}\""),
                // A plan of its own (a title): its carried-over projects.
                Edit(PLAN, "tasks:", "title: 甲县2021年工作计划\ntasks:"),
            ],
            Works(
                "office-a/2020/plan.html",
                &["<th scope=\"row\">{{ x }}{% if a %}</th>"],
                &[],
            ),
        ),
        c(
            "template syntax in the office name",
            vec![Edit(
                O,
                "name: 甲县乡村振兴局",
                "name: \"{{ f[\\\"未脱贫\\\"] }}\"",
            )],
            Works(
                "index.html",
                &["{{ f[&quot;未脱贫&quot;] }}"],
                &["121户425人</a>"],
            ),
        ),
        c(
            "a very long line",
            vec![Edit(
                R,
                "intro: 现将",
                Box::leak(format!("intro: {}现将", "很长".repeat(100_000)).into_boxed_str()),
            )],
            Works("office-a/2020/summary.html", &["很长很长"], &[]),
        ),
    ]
}

fn apply(data: &Path, op: &Op) {
    match op {
        Op::Write(rel, bytes) => {
            let p = data.join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, bytes).unwrap();
        }
        Op::Edit(rel, old, new) => {
            let p = data.join(rel);
            let text = fs::read_to_string(&p).unwrap();
            assert!(text.contains(old), "{rel} lacks {old:?}");
            fs::write(p, text.replacen(old, new, 1)).unwrap();
        }
        Op::Remove(rel) => fs::remove_file(data.join(rel)).unwrap(),
        Op::Mkdir(rel) => fs::create_dir_all(data.join(rel)).unwrap(),
        #[cfg(unix)]
        Op::Symlink(rel, target) => std::os::unix::fs::symlink(target, data.join(rel)).unwrap(),
        Op::Huge(rel, len) => fs::File::create(data.join(rel))
            .unwrap()
            .set_len(*len)
            .unwrap(),
    }
}

#[test]
fn hostile_inputs_get_clear_errors_and_leave_the_site_alone() {
    let cases = cases();
    assert!(cases.len() >= 50, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        let out = tmp.path().join("output");
        common::copy_tree(&root().join("tests/fixtures/check/clean"), &data);
        let first = nianbao::build(&nianbao::Options {
            templates: None,
            data: data.clone(),
            out: out.clone(),
            strict: false,
            drafts: false,
        });
        assert!(first.published, "{}: the clean tree must build", case.name);
        let before = common::files(&out);
        for op in &case.ops {
            apply(&data, op);
        }
        let o = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(["build", "--data"])
            .arg(&data)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        let code = o.status.code();
        match &case.expect {
            Expect::Fails(want, fragments) => {
                if code != Some(*want) {
                    failures.push(format!("{}: exit {code:?}, want {want}\n{err}", case.name));
                    continue;
                }
                for f in *fragments {
                    if !err.contains(f) {
                        failures.push(format!("{}: message lacks {f:?}\n{err}", case.name));
                    }
                }
                if err.contains("panicked") {
                    failures.push(format!("{}: panicked\n{err}", case.name));
                }
                if common::files(&out) != before {
                    failures.push(format!("{}: the previous site changed", case.name));
                }
            }
            Expect::Works(file, present, absent) => {
                if code != Some(0) {
                    failures.push(format!("{}: exit {code:?}, want 0\n{err}", case.name));
                    continue;
                }
                let text = common::without_chart_images(
                    &fs::read_to_string(out.join(file)).unwrap_or_default(),
                );
                for f in *present {
                    if !text.contains(f) {
                        failures.push(format!("{}: {file} lacks {f:?}", case.name));
                    }
                }
                for f in *absent {
                    if text.contains(f) {
                        failures.push(format!("{}: {file} contains {f:?}", case.name));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

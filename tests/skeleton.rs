//! `nianbao new`'s skeletons are right (issue 30): a fresh office whose every
//! “待填” is filled mechanically, by its file and key, with a plausible value
//! checks and builds with no error, in both eras; every key its comments
//! offer (`# seal: false` …) is one the file takes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::{build, nianbao, stderr, stdout};

/// The value for a placeholder: by file, the line's first key (what the
/// line is: `baseline`, an `id` of a project …) and the placeholder's key.
fn value(file: &str, line: &str, key: &str, year: i32) -> Option<String> {
    let v = match (file, line, key) {
        ("office.yaml", _, "name") => "测试县乡村振兴局",
        ("office.yaml", _, "short_name") => "测试县",
        ("office.yaml", _, "region") => "全县",
        ("report.yaml", _, "theme") => "巩固拓展脱贫攻坚成果",
        ("report.yaml", _, "issued") => return Some(format!("{year}-12-20")),
        ("report.yaml", _, "as_of") => return Some(format!("{year}-11-30")),
        ("report.yaml", _, "intro") => "现将全年工作总结如下：",
        ("register.yaml", "baseline", "households") => "1200",
        ("register.yaml", "baseline", "persons") => "3600",
        ("register.yaml", "year", "households") => "1000",
        ("register.yaml", "year", "persons") => "3000",
        ("register.yaml", "remaining", "households") => "200",
        ("register.yaml", "remaining", "persons") => "600",
        ("funds.yaml", _, "narrative") => "'全年投入专项资金{{ f[\"专项资金\"] }}。'",
        ("funds.yaml", _, "label") => "衔接推进乡村振兴补助资金",
        ("funds.yaml", "name", "name") => "第一批",
        ("funds.yaml", "name", "projects") => "1",
        ("funds.yaml", "name", "amount") => "100",
        ("projects.yaml", "id", "name") => "罗田村产业路硬化",
        ("projects.yaml", "id", "category") => "产业发展",
        ("projects.yaml", "id", "village") => "罗田村",
        ("projects.yaml", "id", "batch") => "第一批",
        ("projects.yaml", "id", "budget") => "100",
        ("projects.yaml", "id", "spent") => "80",
        ("projects.yaml", "id", "status") => "在建",
        ("projects.yaml", "id", "start") => return Some(format!("{year}-03-01")),
        ("measures.yaml", _, "title") => "产业帮扶",
        ("measures.yaml", _, "narrative") => "'新建产业基地{{ f[\"产业基地\"] }}。'",
        ("measures.yaml", "label", "label") => "产业基地",
        ("measures.yaml", "label", "value") => "12",
        ("measures.yaml", "label", "unit") => "个",
        ("problems.yaml", "-", "-") => "个别项目进度偏慢。",
        ("plan.yaml", "label", "label") => "产业项目",
        ("plan.yaml", "label", "value") => "15",
        ("plan.yaml", "label", "unit") => "个",
        ("plan.yaml", "text", "text") => "继续抓好产业帮扶。",
        _ => return None,
    };
    Some(v.to_string())
}

/// A line's first key: `baseline`, `year` (an exit), `id` (a project) …;
/// `-` for an item that is only a value.
fn first_key(code: &str) -> &str {
    let item = code
        .trim_start()
        .trim_start_matches("- ")
        .trim_start_matches('{');
    match item.split_once(':') {
        Some((k, _)) => k.trim(),
        None => "-",
    }
}

/// Fill every placeholder of the files under `office`; panics on one it
/// has no value for, naming its file and key (a new key in a skeleton).
fn fill(office: &Path, year: i32) -> usize {
    let mut filled = 0;
    for e in walkdir::WalkDir::new(office)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !e.file_type().is_file() {
            continue;
        }
        let file = e.file_name().to_string_lossy().into_owned();
        let text = fs::read_to_string(e.path()).unwrap();
        let mut out = String::new();
        for line in text.lines() {
            let (code, comment) = match line.find(" #") {
                _ if line.trim_start().starts_with('#') => ("", line),
                Some(at) => line.split_at(at),
                None => (line, ""),
            };
            let mut code = code.to_string();
            while let Some(at) = code.find("待填") {
                let before = code[..at].trim_end();
                let key = match before.strip_suffix(':') {
                    Some(k) => k.rsplit([' ', '{', ',']).next().unwrap(),
                    None => "-",
                };
                let v = value(&file, first_key(&code), key, year)
                    .unwrap_or_else(|| panic!("no value for {file}: {key} in “{line}”"));
                code.replace_range(at..at + "待填".len(), &v);
                filled += 1;
            }
            out += &format!("{code}{comment}\n");
        }
        fs::write(e.path(), out).unwrap();
    }
    filled
}

/// `nianbao check --format json`: exit code and findings (rule, message).
fn check(data: &Path) -> (i32, Vec<(String, String)>) {
    let o = nianbao(&[
        "check",
        "--format",
        "json",
        "--data",
        data.to_str().unwrap(),
    ]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let list = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (o.status.code().unwrap(), list)
}

/// A fresh office of `year`, every placeholder filled: its data folder.
fn filled_office(tmp: &Path, year: i32) -> PathBuf {
    let data = tmp.join("data");
    fs::create_dir_all(&data).unwrap();
    let y = year.to_string();
    let o = nianbao(&["new", "--data", data.to_str().unwrap(), "ceshi-xian", &y]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let n = fill(&data.join("ceshi-xian"), year);
    assert!(n >= 30, "{n} placeholders");
    data
}

#[test]
fn a_new_office_filled_in_builds_with_no_error() {
    for year in [2019, 2024] {
        let tmp = tempfile::tempdir().unwrap();
        let data = filled_office(tmp.path(), year);
        let (code, list) = check(&data);
        assert_eq!(code, 0, "{year}: {list:#?}");
        assert!(
            !list
                .iter()
                .any(|(r, _)| r.starts_with("value.") || r.starts_with("yaml.")),
            "{year}: {list:#?}"
        );
        let out = tmp.path().join("site");
        let b = build(&data, &out);
        assert_eq!(b.status.code(), Some(0), "{year}: {}", stderr(&b));
        assert!(stderr(&b).contains("（0 个错误"), "{}", stderr(&b));
        for doc in ["summary.html", "summary.docx", "plan.html", "plan.docx"] {
            let path = out.join(format!("ceshi-xian/{year}/{doc}"));
            assert!(path.is_file(), "{}", path.display());
        }
        let html = common::without_figure_marks(
            &fs::read_to_string(out.join(format!("ceshi-xian/{year}/summary.html"))).unwrap(),
        );
        assert!(html.contains("全年投入专项资金100万元。"), "{html}");
        assert!(html.contains("<footer class=\"sign seal\">"));
    }
}

/// Every key a skeleton offers in a comment (`# seal: false   # …`) is one
/// its file takes: uncommented alone in the filled office, it gives no
/// finding about keys, types or syntax (a finding about what it says, such
/// as units that are not there, is the office's to settle).
#[test]
fn every_key_offered_in_a_comment_is_a_key() {
    let tmp = tempfile::tempdir().unwrap();
    let data = filled_office(tmp.path(), 2024);
    let office = data.join("ceshi-xian");
    let files: BTreeMap<PathBuf, String> = walkdir::WalkDir::new(&office)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_path_buf(),
                fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    let mut offered = Vec::new();
    for (path, text) in &files {
        for (i, line) in text.lines().enumerate() {
            let Some(rest) = line.strip_prefix("# ") else {
                continue;
            };
            let is_key = rest.split_once(": ").is_some_and(|(k, _)| {
                !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            });
            if !is_key {
                continue;
            }
            let mut lines: Vec<&str> = text.lines().collect();
            lines[i] = rest;
            fs::write(path, lines.join("\n") + "\n").unwrap();
            let (_, list) = check(&data);
            fs::write(path, text).unwrap();
            let bad: Vec<_> = list
                .iter()
                .filter(|(r, _)| r.starts_with("yaml.") || r == "value.blank")
                .collect();
            assert!(bad.is_empty(), "{}: “{rest}”: {bad:#?}", path.display());
            offered.push(rest.split(':').next().unwrap().to_string());
        }
    }
    offered.sort();
    assert_eq!(
        offered,
        [
            "adjustments",
            "fonts",
            "seal",
            "signature",
            "targets",
            "units"
        ],
        "the keys the skeletons offer"
    );
    // Not stamped and the GB2312 cuts: Word's 落款 and faces follow.
    let path = office.join("office.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let text = text
        .replace("# seal: false", "seal: false")
        .replace("# fonts:", "fonts:");
    fs::write(&path, text).unwrap();
    let out = tmp.path().join("site");
    let b = build(&data, &out);
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    let html = common::without_figure_marks(
        &fs::read_to_string(out.join("ceshi-xian/2024/summary.html")).unwrap(),
    );
    assert!(html.contains("<footer class=\"sign\">"));
}

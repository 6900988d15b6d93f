//! `nianbao schema` (issue 26): every sample file validates against its
//! kind's JSON Schema with no error, a wrong key or type is an error, every
//! key has a Chinese title and description, and `nianbao new` names the
//! schema on each file's first line.

mod common;

use std::fs;
use std::path::Path;

use common::{nianbao, root};
use serde_json::Value;

/// The schemas `nianbao schema` writes, by kind.
fn schemas(dir: &Path) -> Vec<(String, jsonschema::Validator, Value)> {
    let out = nianbao(&["schema", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    [
        "office", "report", "register", "funds", "projects", "measures", "problems", "plan",
    ]
    .iter()
    .map(|kind| {
        let text = fs::read_to_string(dir.join(format!("{kind}.schema.json"))).unwrap();
        let schema: Value = serde_json::from_str(&text).unwrap();
        let v = jsonschema::validator_for(&schema).expect("a valid schema");
        (kind.to_string(), v, schema)
    })
    .collect()
}

/// A YAML file as JSON.
fn json_of(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn kind_of(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn every_sample_file_validates_against_its_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let schemas = schemas(tmp.path());
    let mut files = 0;
    let mut problems = Vec::new();
    // Today's samples, and every frozen format: old files fit today's schema.
    for dir in ["data", "tests/fixtures/formats"] {
        for entry in walkdir::WalkDir::new(root().join(dir)) {
            let entry = entry.unwrap();
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let kind = kind_of(path);
            let (_, v, _) = schemas.iter().find(|(k, _, _)| *k == kind).unwrap();
            files += 1;
            for e in errors(v, &json_of(path)) {
                problems.push(format!("{}: {e}", path.display()));
            }
        }
    }
    assert!(files >= 60, "only {files} files");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_wrong_key_or_type_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let schemas = schemas(tmp.path());
    let get = |k: &str| &schemas.iter().find(|(kind, _, _)| kind == k).unwrap().1;
    let yaml = |s: &str| -> Value { serde_saphyr::from_str(s).unwrap() };

    let office = get("office");
    assert!(errors(office, &yaml("name: 甲县扶贫办\n")).is_empty());
    let wrong_key = errors(office, &yaml("name: 甲县扶贫办\nshortname: 甲县\n"));
    assert_eq!(wrong_key.len(), 1, "{wrong_key:?}");
    assert!(wrong_key[0].contains("shortname"), "{wrong_key:?}");
    assert!(!errors(office, &yaml("name: 甲\nseal: 是\n")).is_empty());
    assert!(
        !errors(office, &yaml("short_name: 甲\n")).is_empty(),
        "name is required"
    );
    assert!(errors(office, &yaml("name: 甲\nsignature: false\n")).is_empty());

    let register = get("register");
    let ok = "baseline: {households: 10, persons: 30}\nexits:\n  - {year: 2016, persons: 5}\n";
    assert!(errors(register, &yaml(ok)).is_empty());
    let wrong_type = "baseline: {households: 10, persons: [30]}\n";
    assert!(!errors(register, &yaml(wrong_type)).is_empty());
    assert!(
        !errors(register, &yaml("baseline: {}\nera: 扶贫\n")).is_empty(),
        "era's enum"
    );

    let projects = get("projects");
    let p = "projects:\n  - {id: a, name: b, category: c, budget: 1, status: 快完了}\n";
    assert!(!errors(projects, &yaml(p)).is_empty(), "status's enum");
    let measures = get("measures");
    let m = "measures:\n  - title: 产业\n    figures:\n      - {label: a, value: 一百}\n";
    assert!(!errors(measures, &yaml(m)).is_empty(), "a number in words");
    let m = "measures:\n  - title: 产业\n    figures:\n      - {label: a, value: 待填}\n";
    assert!(
        errors(measures, &yaml(m)).is_empty(),
        "the placeholder of nianbao new"
    );
}

/// Every key of every schema has a Chinese title and description.
#[test]
fn every_key_is_explained_in_chinese() {
    fn walk(v: &Value, at: &str, out: &mut Vec<String>) {
        let Some(m) = v.as_object() else { return };
        if let Some(props) = m.get("properties").and_then(Value::as_object) {
            for (k, p) in props {
                let han = |f: &str| {
                    p.get(f)
                        .and_then(Value::as_str)
                        .is_some_and(|s| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
                };
                if !han("title") || !han("description") {
                    out.push(format!("{at}.{k}"));
                }
            }
        }
        for (k, child) in m {
            match child {
                Value::Array(items) => items
                    .iter()
                    .for_each(|i| walk(i, &format!("{at}.{k}"), out)),
                _ => walk(child, &format!("{at}.{k}"), out),
            }
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut missing = Vec::new();
    let mut keys = 0;
    for (kind, _, schema) in schemas(tmp.path()) {
        keys += schema
            .to_string()
            .matches("\"markdownDescription\"")
            .count();
        walk(&schema, &kind, &mut missing);
    }
    assert!(missing.is_empty(), "{missing:?}");
    assert!(keys > 150, "{keys}");
}

#[test]
fn new_names_the_schema_on_each_first_line() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    fs::create_dir_all(&data).unwrap();
    let out = nianbao(&["new", "--data", data.to_str().unwrap(), "jia-xian", "2024"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let schemas = schemas(&data.join(".schema"));
    let mut n = 0;
    for entry in walkdir::WalkDir::new(data.join("jia-xian")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let text = fs::read_to_string(entry.path()).unwrap();
        let first = text.lines().next().unwrap();
        let target = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{}: {first}", entry.path().display()));
        let schema = entry.path().parent().unwrap().join(target);
        assert!(schema.is_file(), "{}", schema.display());
        let kind = kind_of(entry.path());
        assert!(
            target.ends_with(&format!("/{kind}.schema.json")),
            "{target}"
        );
        // The skeleton, its placeholders and all, fits its schema.
        let (_, v, _) = schemas.iter().find(|(k, _, _)| *k == kind).unwrap();
        let doc = json_of(entry.path());
        assert!(
            errors(v, &doc).is_empty(),
            "{}: {:?}",
            entry.path().display(),
            errors(v, &doc)
        );
        n += 1;
    }
    assert!(n >= 8, "{n}");
}

//! `nianbao migrate`: the spellings of past formats (`format.old`: renamed
//! citation names, office levels, a plan-only year's report.yaml) rewritten
//! into today's, in the text of the files themselves: comments, order and
//! layout stay as they are, only the old words change. Each file touched is
//! kept beside it as a numbered `.bak` (never overwritten); a data folder
//! in a git work tree with uncommitted changes is refused without
//! `--force`. A second run finds nothing to do.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diag::rule::Rule;
use crate::diag::{self, Diagnostic, Pos};
use crate::paths::Paths;

pub(crate) fn run(data: &Path, force: bool) -> ExitCode {
    if !data.is_dir() {
        eprintln!("数据目录“{}”不存在", diag::display_path(data));
        return ExitCode::from(2);
    }
    if !force && let Some(changes) = uncommitted(data) {
        eprintln!(
            "数据目录“{}”在 git 中有未提交的改动（{changes} 个文件），nianbao migrate 不改写：先提交（git commit），这样改写前后一目了然；或加 --force 照样改写（改动的文件仍各留一份 .bak）",
            diag::display_path(data)
        );
        return ExitCode::from(2);
    }
    let report = migrate(data);
    let mut out = std::io::stdout().lock();
    for line in &report.lines {
        let _ = writeln!(out, "{line}");
    }
    for note in &report.left {
        eprintln!("未改写：{note}");
    }
    for e in &report.errors {
        eprintln!("{e}");
    }
    if !report.errors.is_empty() {
        return ExitCode::from(3);
    }
    if report.files == 0 {
        eprintln!("没有需要改写的旧写法。");
    } else {
        eprintln!(
            "已改写 {} 处、{} 个文件（原文件各留一份 .bak）；改写后还有 {} 处旧写法。",
            report.lines.len(),
            report.files,
            report.remaining
        );
    }
    ExitCode::from(u8::from(!report.left.is_empty()))
}

/// What a migration did.
#[derive(Debug, Default)]
struct Migration {
    /// One line per change: `file:line：old → new`.
    lines: Vec<String>,
    /// Files written.
    files: usize,
    /// Old spellings that could not be rewritten, and why.
    left: Vec<String>,
    /// Files that could not be read or written.
    errors: Vec<String>,
    /// `format.old` findings after the rewrite.
    remaining: usize,
}

/// Rewrite every old spelling `check` finds under `data`.
fn migrate(data: &Path) -> Migration {
    let mut m = Migration::default();
    let mut by_file: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for d in old_spellings(data) {
        if let Some(file) = d.file.clone() {
            by_file.entry(file).or_default().push(d);
        }
    }
    for (file, diags) in by_file {
        let result = if diags.iter().any(is_plan_only) {
            merge_into_plan(&file, &mut m)
        } else {
            rewrite_file(&file, &diags, &mut m)
        };
        if let Err(e) = result {
            m.errors.push(e);
        }
    }
    m.remaining = old_spellings(data).len();
    m
}

/// The `format.old` findings of the data that say what to write instead.
fn old_spellings(data: &Path) -> Vec<Diagnostic> {
    crate::commands::check::check(&Paths::of_data(data))
        .diags
        .into_iter()
        .filter(|d| d.rule == Rule::FormatOld && d.rewrite.is_some())
        .collect()
}

/// The finding of a plan-only year in the shape before `kind: 工作方案`.
fn is_plan_only(d: &Diagnostic) -> bool {
    d.rewrite
        .as_ref()
        .is_some_and(|r| r.0 == "report.yaml" && r.1 == "plan.yaml")
}

/// Each old word of `file` replaced in its line, the rest of the text as
/// it is.
fn rewrite_file(file: &Path, diags: &[Diagnostic], m: &mut Migration) -> Result<(), String> {
    let text = read(file)?;
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let mut changed = Vec::new();
    // From the end, so that a rewrite never moves one still to come.
    let mut diags: Vec<&Diagnostic> = diags.iter().collect();
    diags.sort_by_key(|d| std::cmp::Reverse(d.pos));
    for d in diags {
        let Some((old, new)) = d.rewrite.as_deref() else {
            continue;
        };
        let Some(line) = (d.pos.line as usize)
            .checked_sub(1)
            .and_then(|i| lines.get_mut(i))
        else {
            m.left.push(format!("{}：找不到“{old}”", at(file, d.pos)));
            continue;
        };
        if replace_in_line(line, d.pos.col, old, new) {
            changed.push(format!("{}：{old} → {new}", at(file, d.pos)));
        } else {
            m.left.push(format!(
                "{}：这一行里找不到“{old}”，请手工改为“{new}”",
                at(file, d.pos)
            ));
        }
    }
    if changed.is_empty() {
        return Ok(());
    }
    write_keeping(file, &lines.concat())?;
    m.files += 1;
    changed.reverse();
    m.lines.extend(changed);
    Ok(())
}

/// Replace `old` in `line`: the citation `"old"` or the bare word, first
/// from the finding's column, else anywhere on the line.
fn replace_in_line(line: &mut String, col: u32, old: &str, new: &str) -> bool {
    let from = line
        .char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(0, |(i, _)| i);
    let quoted = (format!("\"{old}\""), format!("\"{new}\""));
    for (o, n) in [quoted, (old.to_string(), new.to_string())] {
        let found = line[from..]
            .find(&o)
            .map(|i| i + from)
            .or_else(|| line.find(&o));
        if let Some(i) = found {
            line.replace_range(i..i + o.len(), &n);
            return true;
        }
    }
    false
}

/// A plan-only year in the old shape: report.yaml's text goes to the top
/// of plan.yaml (its comments with it), after `kind: 工作方案` when its
/// title is a 方案; report.yaml is kept only as its `.bak`. A key both
/// files have is left for the office to decide.
fn merge_into_plan(report: &Path, m: &mut Migration) -> Result<(), String> {
    let plan = report.with_file_name("plan.yaml");
    let (rtext, ptext) = (read(report)?, read(&plan)?);
    let (rkeys, pkeys) = (top_keys(&rtext), top_keys(&ptext));
    if let Some(k) = rkeys.iter().find(|k| pkeys.contains(k) && *k != "year") {
        m.left.push(format!(
            "{}：report.yaml 和 plan.yaml 都有“{k}”，请手工把 report.yaml 的键移到 plan.yaml",
            diag::display_path(report)
        ));
        return Ok(());
    }
    let programme = rtext.lines().any(|l| {
        l.strip_prefix("title:")
            .is_some_and(|t| t.split('#').next().unwrap_or("").trim().ends_with("方案"))
    });
    let mut merged = String::new();
    if programme && !pkeys.iter().any(|k| k == "kind") {
        merged.push_str("kind: 工作方案\n");
    }
    for line in rtext.split_inclusive('\n') {
        // The report's year is the folder's; the plan's is its own.
        if !line.starts_with("year:") {
            merged.push_str(line);
        }
    }
    if !merged.ends_with('\n') {
        merged.push('\n');
    }
    merged.push_str(&ptext);
    write_keeping(&plan, &merged)?;
    let bak = backup(report)?;
    std::fs::remove_file(report)
        .map_err(|e| format!("无法删除“{}”：{e}", diag::display_path(report)))?;
    m.files += 2;
    m.lines.push(format!(
        "{}：title、theme、issued、intro 等移到 plan.yaml{}，report.yaml 留作 {}",
        diag::display_path(report),
        if programme {
            "（加 kind: 工作方案）"
        } else {
            ""
        },
        bak.file_name().unwrap_or_default().to_string_lossy()
    ));
    Ok(())
}

/// The top-level keys of a YAML text, as written at the start of a line.
fn top_keys(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim().to_string()))
        .collect()
}

fn read(file: &Path) -> Result<String, String> {
    std::fs::read_to_string(file)
        .map_err(|e| format!("无法读取“{}”（须为 UTF-8）：{e}", diag::display_path(file)))
}

/// Write `text` over `file`, its old text kept as a numbered `.bak`.
fn write_keeping(file: &Path, text: &str) -> Result<(), String> {
    backup(file)?;
    let tmp = file.with_extension("yaml.migrate");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, file))
        .map_err(|e| format!("无法写入“{}”：{e}", diag::display_path(file)))
}

/// Copy `file` to the first free of `<name>.bak`, `<name>.1.bak`, …
fn backup(file: &Path) -> Result<PathBuf, String> {
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let bak = (0..)
        .map(|n| match n {
            0 => file.with_file_name(format!("{name}.bak")),
            n => file.with_file_name(format!("{name}.{n}.bak")),
        })
        .find(|p| !p.exists())
        .unwrap_or_default();
    std::fs::copy(file, &bak)
        .map(|_| bak.clone())
        .map_err(|e| format!("无法备份“{}”：{e}", diag::display_path(file)))
}

/// `file:line`
fn at(file: &Path, pos: Pos) -> String {
    format!("{}:{}", diag::display_path(file), pos.line)
}

/// How many files under `data` git calls changed and not committed; none
/// when `data` is not in a git work tree (or git is not installed).
fn uncommitted(data: &Path) -> Option<usize> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(data)
        .args(["status", "--porcelain", "--untracked-files=all", "--", "."])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let n = String::from_utf8_lossy(&out.stdout).lines().count();
    (n > 0).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_citation_from_its_column() {
        let mut l = "  写 {{ f[\"未脱贫\"] }} 和 {{ f[\"未脱贫\"] }}\n".to_string();
        assert!(replace_in_line(&mut l, 20, "未脱贫", "未消除风险"));
        assert_eq!(l, "  写 {{ f[\"未脱贫\"] }} 和 {{ f[\"未消除风险\"] }}\n");
        let mut l = "level: 县直部门   # 注释\n".to_string();
        assert!(replace_in_line(&mut l, 8, "县直部门", "部门"));
        assert_eq!(l, "level: 部门   # 注释\n");
        assert!(!replace_in_line(&mut l, 1, "乡（镇）", "乡镇"));
    }

    #[test]
    fn top_keys_are_at_the_start_of_lines() {
        let keys = top_keys("# c\ntitle: 甲\nintro: |\n  a: b\nkind: 计划\n");
        assert_eq!(keys, ["title", "intro", "kind"]);
    }
}

//! Diagnostics: every problem nianbao finds, with the file, line, column and
//! field it concerns, rendered like a compiler error with the source line.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// Stops the build: a figure would be wrong, blank or unreadable.
    Error,
    /// Printed; the build goes on.
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// A 1-based line and column in a source file. `line == 0` means unknown.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file as the user named it (under the data folder), if any.
    pub file: Option<PathBuf>,
    pub pos: Pos,
    /// Dotted path of the field, e.g. `special.batches[1].amount`; may be empty.
    pub field: String,
    /// What is wrong, in Chinese, with the numbers involved.
    pub message: String,
    /// What to do about it.
    pub hint: Option<Box<str>>,
    /// For a stated figure that disagrees with the data: the data's own
    /// explanation (`ack:`). Still an error for `check`; `build` goes on,
    /// because documents print the computed figure, never the stated one.
    pub acknowledged: Option<Box<str>>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            pos: Pos::default(),
            field: String::new(),
            message: message.into(),
            hint: None,
            acknowledged: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, file: &Path, pos: Pos) -> Self {
        self.file = Some(file.to_path_buf());
        self.pos = pos;
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into().into_boxed_str());
        self
    }

    pub fn acknowledged(mut self, why: &str) -> Self {
        self.acknowledged = Some(why.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Whether this finding stops `build`: an error not acknowledged in the
    /// data; with `strict`, any finding.
    pub fn blocks(&self, strict: bool) -> bool {
        strict || (self.is_error() && self.acknowledged.is_none())
    }
}

/// Counts of findings, for the summary line and JSON.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    /// Errors the data acknowledges (included in `errors`).
    pub acknowledged: usize,
    pub warnings: usize,
}

impl Counts {
    pub fn of(diags: &[Diagnostic]) -> Counts {
        let mut c = Counts::default();
        for d in diags {
            match d.severity {
                Severity::Error => {
                    c.errors += 1;
                    c.acknowledged += usize::from(d.acknowledged.is_some());
                }
                Severity::Warning => c.warnings += 1,
            }
        }
        c
    }
}

/// The text of every file read, so diagnostics can show the offending line.
#[derive(Default, Debug)]
pub struct Sources {
    texts: HashMap<PathBuf, String>,
}

impl Sources {
    pub fn insert(&mut self, path: PathBuf, text: String) {
        self.texts.insert(path, text);
    }

    /// Every text, for keeping with a cached result.
    pub fn entries(&self) -> Vec<(PathBuf, String)> {
        let mut v: Vec<_> = self
            .texts
            .iter()
            .map(|(p, t)| (p.clone(), t.clone()))
            .collect();
        v.sort();
        v
    }

    pub fn extend_entries(&mut self, entries: &[(PathBuf, String)]) {
        for (p, t) in entries {
            self.texts.insert(p.clone(), t.clone());
        }
    }

    pub fn extend(&mut self, other: Sources) {
        self.texts.extend(other.texts);
    }

    /// Keep only the texts of files that some finding points at.
    pub fn retain_for(&mut self, diags: &[Diagnostic]) {
        self.texts.retain(|path, _| {
            diags
                .iter()
                .any(|d| d.file.as_deref() == Some(path.as_path()))
        });
    }

    pub fn get(&self, path: &Path) -> Option<&str> {
        self.texts.get(path).map(String::as_str)
    }

    pub fn line(&self, path: &Path, line: u32) -> Option<&str> {
        let text = self.get(path)?;
        text.lines()
            .nth(line.checked_sub(1)? as usize)
            .map(|l| l.trim_end_matches('\r'))
    }
}

/// Render one diagnostic, ripgrep/just style:
///
/// ```text
/// 错误: 未知字段“amout”
///   --> data/xx/2017/funds.yaml:12:7 (字段 special.batches[1])
///    |
/// 12 |       amout: 440.039
///    |       ^
///    = 提示: 是否想写“amount”?
/// ```
pub fn render(d: &Diagnostic, sources: &Sources) -> String {
    let label = match (&d.acknowledged, d.severity) {
        (Some(_), Severity::Error) => "错误（已说明）",
        _ => d.severity.label(),
    };
    let mut out = format!("{label}：{}\n", d.message);
    if let Some(file) = &d.file {
        let mut loc = file.display().to_string();
        if d.pos.line > 0 {
            let _ = write!(loc, ":{}:{}", d.pos.line, d.pos.col.max(1));
        }
        if d.field.is_empty() {
            let _ = writeln!(out, "  --> {loc}");
        } else {
            let _ = writeln!(out, "  --> {loc}（字段 {}）", d.field);
        }
        if let Some(src) = sources.line(file, d.pos.line) {
            let num = d.pos.line.to_string();
            let pad = " ".repeat(num.len());
            // Column counts characters; CJK characters take two cells.
            let caret_pad: usize = src
                .chars()
                .take(d.pos.col.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { 1 } else { char_cells(c) })
                .sum();
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{num} | {src}");
            let _ = writeln!(out, "{pad} | {}^", " ".repeat(caret_pad));
        }
    }
    if let Some(why) = &d.acknowledged {
        let _ = writeln!(out, "  = 已说明：{why}");
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "  = 提示：{hint}");
    }
    out
}

/// Render every finding grouped by file, each group under a heading that
/// counts its errors and warnings. `diags` must be sorted ([`sort`]).
pub fn render_grouped(diags: &[Diagnostic], sources: &Sources) -> String {
    let mut out = String::new();
    let mut start = 0;
    while start < diags.len() {
        let file = &diags[start].file;
        let end = diags[start..]
            .iter()
            .position(|d| &d.file != file)
            .map_or(diags.len(), |n| start + n);
        let group = &diags[start..end];
        let c = Counts::of(group);
        let name = file.as_ref().map_or_else(
            || "（不属于某个文件）".to_string(),
            |f| f.display().to_string(),
        );
        let _ = writeln!(out, "== {name}：{}\n", c.describe());
        for d in group {
            out += &render(d, sources);
            out.push('\n');
        }
        start = end;
    }
    out
}

impl Counts {
    /// "2 个错误(其中 1 个已说明)、1 个警告".
    pub fn describe(&self) -> String {
        let mut s = format!("{} 个错误", self.errors);
        if self.acknowledged > 0 {
            let _ = write!(s, "（其中 {} 个已说明）", self.acknowledged);
        }
        let _ = write!(s, "、{} 个警告", self.warnings);
        s
    }
}

/// Every finding as JSON, for tools: one object with a summary and a list.
pub fn to_json(diags: &[Diagnostic], sources: &Sources) -> String {
    let c = Counts::of(diags);
    let findings: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            serde_json::json!({
                "severity": match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                "acknowledged": d.acknowledged,
                "file": d.file.as_ref().map(|f| f.display().to_string()),
                "line": (d.pos.line > 0).then_some(d.pos.line),
                "column": (d.pos.line > 0).then_some(d.pos.col.max(1)),
                "field": (!d.field.is_empty()).then_some(&d.field),
                "message": d.message,
                "hint": d.hint,
                "source_line": d.file.as_ref().and_then(|f| sources.line(f, d.pos.line)),
            })
        })
        .collect();
    let doc = serde_json::json!({
        "errors": c.errors,
        "acknowledged": c.acknowledged,
        "warnings": c.warnings,
        "findings": findings,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

fn char_cells(c: char) -> usize {
    if c.is_ascii() { 1 } else { 2 }
}

/// Sort findings by file, then line, errors before warnings at one place.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.pos, a.severity, &a.message).cmp(&(&b.file, b.pos, b.severity, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_source_line_and_caret() {
        let mut sources = Sources::default();
        let path = PathBuf::from("data/x/2017/funds.yaml");
        sources.insert(path.clone(), "unit: 万元\n  amout: 1\n".into());
        let d = Diagnostic::error("未知字段“amout”")
            .at(&path, Pos { line: 2, col: 3 })
            .field("amout")
            .hint("是否想写“amount”？");
        let text = render(&d, &sources);
        assert_eq!(
            text,
            "错误：未知字段“amout”\n  --> data/x/2017/funds.yaml:2:3（字段 amout）\n  |\n2 |   amout: 1\n  |   ^\n  = 提示：是否想写“amount”？\n"
        );
    }
}

//! Diagnostics: every problem nianbao finds, with the file, line, column and
//! field it concerns, rendered like a compiler error with the source line.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    pub hint: Option<String>,
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
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
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

    pub fn get(&self, path: &Path) -> Option<&str> {
        self.texts.get(path).map(String::as_str)
    }

    fn line(&self, path: &Path, line: u32) -> Option<&str> {
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
    let mut out = format!("{}: {}\n", d.severity.label(), d.message);
    if let Some(file) = &d.file {
        let mut loc = file.display().to_string();
        if d.pos.line > 0 {
            let _ = write!(loc, ":{}:{}", d.pos.line, d.pos.col.max(1));
        }
        if d.field.is_empty() {
            let _ = writeln!(out, "  --> {loc}");
        } else {
            let _ = writeln!(out, "  --> {loc} (字段 {})", d.field);
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
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "  = 提示: {hint}");
    }
    out
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
            .hint("是否想写“amount”?");
        let text = render(&d, &sources);
        assert_eq!(
            text,
            "错误: 未知字段“amout”\n  --> data/x/2017/funds.yaml:2:3 (字段 amout)\n  |\n2 |   amout: 1\n  |   ^\n  = 提示: 是否想写“amount”?\n"
        );
    }
}

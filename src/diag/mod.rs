//! Diagnostics: every problem nianbao finds in the data, with the rule it
//! breaks and the file, line, column and field it concerns, rendered like a
//! compiler error with the source line; and the two other kinds of failure
//! (the output could not be written; nianbao itself is wrong).

pub(crate) mod failure;
pub(crate) mod rule;

pub use failure::Failure;
pub(crate) use failure::{Internal, Op, Overlap, Refusal, TemplateFailure, Usage};

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub(crate) use crate::diag::rule::Rule;

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

/// One finding in the data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub(crate) rule: Rule,
    pub severity: Severity,
    /// The file as the user named it (under the data folder), if any.
    pub file: Option<PathBuf>,
    pub pos: Pos,
    /// Dotted path of the field, e.g. `special.batches[1].amount`; may be empty.
    pub field: Box<str>,
    /// What is wrong, in Chinese, with the numbers involved.
    pub message: String,
    /// What to do about it.
    pub hint: Option<Box<str>>,
    /// For a stated figure that disagrees with the data: the data's own
    /// explanation (`ack:`). Still an error for `check`; `build` goes on,
    /// because documents print the computed figure, never the stated one.
    pub acknowledged: Option<Box<str>>,
    /// In a year marked as a draft (or with no data yet): reported, never
    /// blocking; the year is not published (unless `build --drafts` and
    /// nothing else is wrong with it).
    #[serde(default)]
    pub draft: bool,
    /// For a spelling of a past format (`format.old`): the text as written
    /// at `pos` and today's, for `nianbao migrate` to put in its place.
    #[serde(skip)]
    pub(crate) rewrite: Option<Box<(String, String)>>,
}

impl Diagnostic {
    pub(crate) fn error(rule: Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: Severity::Error,
            file: None,
            pos: Pos::default(),
            field: Box::default(),
            message: message.into(),
            hint: None,
            acknowledged: None,
            draft: false,
            rewrite: None,
        }
    }

    pub(crate) fn warning(rule: Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(rule, message)
        }
    }

    /// The rule's id, e.g. `register.gap`.
    pub fn rule_id(&self) -> &'static str {
        self.rule.id()
    }

    pub(crate) fn at(mut self, file: &Path, pos: Pos) -> Self {
        self.file = Some(file.to_path_buf());
        self.pos = pos;
        self
    }

    pub(crate) fn field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into().into_boxed_str();
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into().into_boxed_str());
        self
    }

    /// `old` at the finding's position is spelt `new` today.
    pub(crate) fn rewrite(mut self, old: &str, new: &str) -> Self {
        self.rewrite = Some(Box::new((old.into(), new.into())));
        self
    }

    pub(crate) fn acknowledged(mut self, why: &str) -> Self {
        self.acknowledged = Some(why.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Whether this finding stops `build`: an error not acknowledged in the
    /// data; with `strict`, any finding.
    pub(crate) fn blocks(&self, strict: bool) -> bool {
        !self.draft && self.blocks_year(strict)
    }

    /// Whether this finding stops its own year from publishing: as
    /// [`Diagnostic::blocks`], but for a draft too (a draft with a blank
    /// is never published, with `--drafts` or not).
    pub(crate) fn blocks_year(&self, strict: bool) -> bool {
        strict || (self.is_error() && self.acknowledged.is_none())
    }
}

/// Counts of findings, for the summary line and JSON.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub errors: usize,
    /// Errors the data acknowledges (included in `errors`).
    pub acknowledged: usize,
    pub warnings: usize,
    /// Findings in draft years (included in the counts above).
    pub drafts: usize,
}

impl Counts {
    pub fn of(diags: &[Diagnostic]) -> Counts {
        let mut c = Counts::default();
        for d in diags {
            c.drafts += usize::from(d.draft);
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
pub(crate) struct Sources {
    texts: HashMap<PathBuf, SourceText>,
}

/// A file's text and where its lines start, so that a finding's line is
/// found at once however many findings there are.
#[derive(Debug)]
struct SourceText {
    text: String,
    starts: Vec<usize>,
}

impl SourceText {
    fn new(text: String) -> SourceText {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        SourceText { text, starts }
    }
}

impl Sources {
    pub(crate) fn insert(&mut self, path: PathBuf, text: String) {
        self.texts.insert(path, SourceText::new(text));
    }

    /// Every text, for keeping with a cached result.
    pub(crate) fn entries(&self) -> Vec<(PathBuf, String)> {
        let mut v: Vec<_> = self
            .texts
            .iter()
            .map(|(p, t)| (p.clone(), t.text.clone()))
            .collect();
        v.sort();
        v
    }

    pub(crate) fn extend_entries(&mut self, entries: &[(PathBuf, String)]) {
        for (p, t) in entries {
            self.insert(p.clone(), t.clone());
        }
    }

    pub(crate) fn extend(&mut self, other: Sources) {
        self.texts.extend(other.texts);
    }

    /// Keep only the texts of files that some finding points at.
    pub(crate) fn retain_for(&mut self, diags: &[Diagnostic]) {
        let wanted: std::collections::HashSet<&Path> =
            diags.iter().filter_map(|d| d.file.as_deref()).collect();
        self.texts.retain(|path, _| wanted.contains(path.as_path()));
    }

    pub(crate) fn get(&self, path: &Path) -> Option<&str> {
        self.texts.get(path).map(|t| t.text.as_str())
    }

    /// Line `line` (1-based) of a file, without its line break.
    pub(crate) fn line(&self, path: &Path, line: u32) -> Option<&str> {
        let t = self.texts.get(path)?;
        let i = line.checked_sub(1)? as usize;
        let start = *t.starts.get(i)?;
        let end = t.starts.get(i + 1).map_or(t.text.len(), |e| e - 1);
        Some(t.text[start..end].trim_end_matches('\r'))
    }
}

/// How findings are drawn on a terminal.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    /// ANSI colours (only on a terminal, never with `NO_COLOR`).
    pub(crate) color: bool,
    /// Columns a source line may take; longer lines show a window around
    /// the column (CJK characters count two).
    pub(crate) width: usize,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: 100,
        }
    }
}

/// Render one finding, rustc style (annotate-snippets does the layout:
/// display width, a window around the column of a long line, tabs):
///
/// ```text
/// 错误[yaml.key]: 未知的键“amout”
///   --> data/x/2017/funds.yaml:2:3
///    |
///  2 |   amout: 1
///    |   ^
///    = 字段: amout
///    = 提示: 是否想写“amount”？
/// ```
pub(crate) fn render(d: &Diagnostic, sources: &Sources, style: Style, with_source: bool) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
    let level = match (&d.acknowledged, d.severity, d.draft) {
        (Some(_), Severity::Error, _) => Level::ERROR.with_name("错误（已说明）"),
        (None, Severity::Error, true) => Level::ERROR.with_name("错误（草稿）"),
        (None, Severity::Error, false) => Level::ERROR.with_name("错误"),
        (_, Severity::Warning, true) => Level::WARNING.with_name("警告（草稿）"),
        (_, Severity::Warning, false) => Level::WARNING.with_name("警告"),
    };
    let message = escape_controls(&d.message);
    let title = level.primary_title(message).id(d.rule.id());
    let mut group = Group::with_title(title);
    let path = d.file.as_deref().map(display_path);
    // Control characters in the line are shown as one replacement
    // character each, so the column still points at the right place.
    let line: Option<String> = d
        .file
        .as_ref()
        .filter(|_| with_source)
        .and_then(|f| sources.line(f, d.pos.line))
        .map(|l| {
            l.chars()
                .map(|c| {
                    if c.is_control() && c != '\t' {
                        '\u{FFFD}'
                    } else {
                        c
                    }
                })
                .collect()
        });
    match (&path, line) {
        (Some(path), Some(src)) => {
            let at = byte_of_column(&src, d.pos.col);
            let end = src[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            group = group.element(
                Snippet::source(src)
                    .line_start(d.pos.line as usize)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(at..end)),
            );
        }
        (Some(path), None) => {
            let mut origin = Origin::path(path.as_str());
            if d.pos.line > 0 {
                origin = origin
                    .line(d.pos.line as usize)
                    .char_column(d.pos.col.max(1) as usize);
            }
            group = group.element(origin);
        }
        (None, _) => {}
    }
    if !d.field.is_empty() {
        group = group.element(Level::NOTE.with_name("字段").message(&*d.field));
    }
    if let Some(why) = &d.acknowledged {
        group = group.element(
            Level::NOTE
                .with_name("已说明")
                .message(escape_controls(why)),
        );
    }
    if let Some(hint) = &d.hint {
        group = group.element(Level::HELP.with_name("提示").message(escape_controls(hint)));
    }
    let renderer = if style.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = full_width_colons(&renderer.term_width(style.width).render(&[group]));
    out.push('\n');
    out
}

/// The level names nianbao gives annotate-snippets.
const LEVEL_NAMES: [&str; 8] = [
    "错误（已说明）",
    "错误（草稿）",
    "错误",
    "警告（草稿）",
    "警告",
    "提示",
    "字段",
    "已说明",
];

/// annotate-snippets writes `错误[rule]: …` and `= 提示: …` with an ASCII
/// colon; Chinese text takes the full-width one. Only the colon right after
/// a level name (and its rule id, and any colour codes) changes.
fn full_width_colons(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let Some(at) = line.find(": ") else {
            out.push_str(line);
            continue;
        };
        let head = strip_ansi(&line[..at]);
        let head = head.trim_start().trim_start_matches("= ");
        let name = head.split('[').next().unwrap_or(head);
        let is_level = LEVEL_NAMES.contains(&name) && (name == head || head.ends_with(']'));
        if is_level {
            out.push_str(&line[..at]);
            out.push('：');
            out.push_str(&line[at + 2..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Text without ANSI colour codes (`ESC [ … m`).
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The byte offset of a 1-based character column (clamped to the line).
fn byte_of_column(line: &str, col: u32) -> usize {
    line.char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i)
}

/// At most this many findings of one rule in one file are printed; the
/// rest are counted (JSON lists them all).
const SHOWN_PER_RULE: usize = 20;

/// Write every finding grouped by file, each group under a heading that
/// counts its errors and warnings. `diags` must be sorted ([`sort`]).
/// Several findings on one line show the line once; past
/// [`SHOWN_PER_RULE`] findings of a rule in a file, only a count.
pub(crate) fn write_grouped(
    out: &mut dyn std::io::Write,
    diags: &[Diagnostic],
    sources: &Sources,
    style: Style,
) -> std::io::Result<()> {
    for group in diags.chunk_by(|a, b| a.file == b.file) {
        let c = Counts::of(group);
        let name = group[0]
            .file
            .as_ref()
            .map_or_else(|| "（不属于某个文件）".to_string(), |f| display_path(f));
        writeln!(out, "== {name}：{}\n", c.describe())?;
        let mut shown: HashMap<Rule, usize> = HashMap::new();
        let mut last_line = None;
        for d in group {
            let n = shown.entry(d.rule).or_default();
            *n += 1;
            if *n > SHOWN_PER_RULE {
                continue;
            }
            let with_source = last_line != Some(d.pos.line) || d.pos.line == 0;
            last_line = Some(d.pos.line);
            out.write_all(render(d, sources, style, with_source).as_bytes())?;
            out.write_all(b"\n")?;
        }
        let mut hidden: Vec<(Rule, usize)> = shown
            .into_iter()
            .filter(|(_, n)| *n > SHOWN_PER_RULE)
            .map(|(r, n)| (r, n - SHOWN_PER_RULE))
            .collect();
        hidden.sort();
        for (rule, n) in hidden {
            writeln!(
                out,
                "……另有 {n} 条 [{}] 发现未列出（--format json 列出全部）\n",
                rule.id()
            )?;
        }
    }
    Ok(())
}

/// A path for the terminal: control characters shown as escapes, so a file
/// name cannot move the cursor or change colours.
pub(crate) fn display_path(p: &Path) -> String {
    escape_controls(&p.display().to_string())
}

/// Control characters (other than tab and line feed) as `\u{…}` escapes.
pub(crate) fn escape_controls(s: &str) -> String {
    let hidden = |c: char| c.is_control() && c != '\t' && c != '\n';
    if !s.chars().any(hidden) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if hidden(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

impl Counts {
    /// "2 个错误(其中 1 个已说明)、1 个警告".
    pub fn describe(&self) -> String {
        let mut s = format!("{} 个错误", self.errors);
        if self.acknowledged > 0 {
            let _ = write!(s, "（其中 {} 个已说明）", self.acknowledged);
        }
        let _ = write!(s, "、{} 个警告", self.warnings);
        if self.drafts > 0 {
            let _ = write!(s, "（草稿中 {} 个，不影响发布）", self.drafts);
        }
        s
    }
}

/// Every finding as JSON, for tools: one object with a summary and a list,
/// streamed to `out` (300,000 findings are 200 MB).
pub(crate) fn write_json(
    out: &mut dyn std::io::Write,
    diags: &[Diagnostic],
    sources: &Sources,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &JsonReport::of(diags, sources, usize::MAX))?;
    out.write_all(b"\n")
}

/// The findings as JSON: the counts, and the first `limit` findings.
#[derive(serde::Serialize)]
pub(crate) struct JsonReport<'a> {
    errors: usize,
    acknowledged: usize,
    warnings: usize,
    drafts: usize,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(serde::Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    severity: &'static str,
    acknowledged: Option<&'a str>,
    draft: bool,
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    field: Option<&'a str>,
    message: &'a str,
    hint: Option<&'a str>,
    source_line: Option<String>,
}

impl<'a> JsonReport<'a> {
    pub(crate) fn of(diags: &'a [Diagnostic], sources: &'a Sources, limit: usize) -> Self {
        let c = Counts::of(diags);
        let mut lines = LineWindows::default();
        let findings = diags
            .iter()
            .take(limit)
            .map(|d| JsonFinding {
                rule: d.rule.id(),
                severity: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                acknowledged: d.acknowledged.as_deref(),
                draft: d.draft,
                file: d.file.as_ref().map(|f| f.display().to_string()),
                line: (d.pos.line > 0).then_some(d.pos.line),
                column: (d.pos.line > 0).then_some(d.pos.col.max(1)),
                field: (!d.field.is_empty()).then_some(&*d.field),
                message: &d.message,
                hint: d.hint.as_deref(),
                source_line: d
                    .file
                    .as_ref()
                    .and_then(|f| lines.window(sources, f, d.pos.line, d.pos.col)),
            })
            .collect();
        JsonReport {
            errors: c.errors,
            acknowledged: c.acknowledged,
            warnings: c.warnings,
            drafts: c.drafts,
            findings,
        }
    }
}

/// Windows of source lines around findings' columns. Findings come sorted,
/// so the many on one long line share one index of its characters: a line
/// of 40,000 citations costs its length once, not once per finding.
#[derive(Default)]
struct LineWindows<'a> {
    at: Option<(&'a Path, u32)>,
    line: &'a str,
    /// Byte offset of every character of the line, and the line's length.
    chars: Vec<usize>,
}

impl<'a> LineWindows<'a> {
    fn window(
        &mut self,
        sources: &'a Sources,
        file: &'a Path,
        line: u32,
        col: u32,
    ) -> Option<String> {
        if self.at != Some((file, line)) {
            self.line = sources.line(file, line)?;
            self.chars = self.line.char_indices().map(|(i, _)| i).collect();
            self.chars.push(self.line.len());
            self.at = Some((file, line));
        }
        const REACH: usize = 80;
        let n = self.chars.len() - 1;
        if n <= 2 * REACH + 1 {
            return Some(self.line.to_string());
        }
        let at = (col.max(1) as usize - 1).min(n);
        let from = at.saturating_sub(REACH);
        let to = (at + REACH + 1).min(n);
        let mut out = String::new();
        if from > 0 {
            out.push('…');
        }
        out += &self.line[self.chars[from]..self.chars[to]];
        if to < n {
            out.push('…');
        }
        Some(out)
    }
}

/// Sort findings by file, then line, errors before warnings at one place.
pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.pos, a.severity, &a.message).cmp(&(&b.file, b.pos, b.severity, &b.message))
    });
}

/// A short Chinese reason for an I/O error (never the system's English).
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let reason = match e.kind() {
        NotFound => "不存在",
        PermissionDenied => "没有权限",
        AlreadyExists => "已存在",
        StorageFull => "磁盘已满",
        QuotaExceeded => "超出磁盘配额",
        ReadOnlyFilesystem => "文件系统只读",
        NotADirectory => "路径中有一项不是文件夹",
        IsADirectory => "是一个文件夹",
        DirectoryNotEmpty => "文件夹不是空的",
        ResourceBusy => "正被其他程序占用",
        FileTooLarge => "文件过大",
        CrossesDevices => "不能跨磁盘移动",
        InvalidFilename => "文件名不可用",
        TooManyLinks => "链接过多",
        Interrupted => "操作被中断",
        TimedOut => "操作超时",
        WouldBlock => "暂时无法完成",
        UnexpectedEof => "文件意外结束",
        InvalidData => "数据无效",
        Unsupported => "该文件系统不支持此操作",
        OutOfMemory => "内存不足",
        AddrInUse => "地址已被占用（也许另一个 nianbao serve 正在运行；换一个 --port）",
        AddrNotAvailable => "本机没有这个地址",
        ConnectionRefused => "连接被拒绝",
        ConnectionReset => "连接被重置",
        _ => {
            return match e.raw_os_error() {
                Some(code) => format!("系统错误（错误码 {code}）"),
                None => "系统错误".into(),
            };
        }
    };
    reason.into()
}

/// The closest candidate, if it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str, pos: Pos) -> String {
        let mut sources = Sources::default();
        let path = PathBuf::from("data/x/2017/funds.yaml");
        sources.insert(path.clone(), format!("unit: 万元\n{line}\n"));
        let d = Diagnostic::error(Rule::YamlKey, "未知的键“amout”")
            .at(&path, pos)
            .field("amout")
            .hint("是否想写“amount”？");
        render(&d, &sources, Style::default(), true)
    }

    #[test]
    fn renders_rule_source_line_and_caret() {
        assert_eq!(
            one("  amout: 1", Pos { line: 2, col: 3 }),
            "错误[yaml.key]：未知的键“amout”\n --> data/x/2017/funds.yaml:2:3\n  |\n2 |   amout: 1\n  |   ^\n  |\n  = 字段：amout\n  = 提示：是否想写“amount”？\n"
        );
    }

    #[test]
    fn a_long_cjk_line_shows_a_window_around_the_column() {
        let line = format!(
            "intro: {}引用{{{{ f[\"培训次数\"] }}}}结束。",
            "投入资金大量文字描述，".repeat(40)
        );
        let col = line[..line.find("{{").unwrap()].chars().count() as u32 + 1;
        let text = one(&line, Pos { line: 2, col });
        let lines: Vec<&str> = text.lines().collect();
        let source = lines.iter().find(|l| l.starts_with("2 |")).unwrap();
        let caret = lines.iter().find(|l| l.contains('^')).unwrap();
        assert!(source.starts_with("2 | ..."), "{text}");
        assert!(source.contains("{{ f[\"培训次数\"] }}"), "{text}");
        // Display width: CJK characters take two columns, so the caret must
        // sit under the `{` by width, not by character count.
        let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
        let brace = source.find("{{").unwrap();
        assert_eq!(
            width(&caret[..caret.find('^').unwrap()]),
            width(&source[..brace])
        );
        assert!(width(source) <= 100, "{}", width(source));
        assert!(text.contains(":2:"), "{text}");
    }

    #[test]
    fn a_tab_is_shown_as_spaces_with_the_caret_under_it() {
        let text = one("\tamout: 1", Pos { line: 2, col: 1 });
        assert!(text.contains("2 |     amout: 1"), "{text}");
        assert!(text.contains("  | ^^^^"), "{text}");
    }

    #[test]
    fn many_findings_of_a_rule_are_counted_not_printed() {
        let mut sources = Sources::default();
        let path = PathBuf::from("a.yaml");
        sources.insert(path.clone(), "a: 1\n".into());
        let diags: Vec<Diagnostic> = (0..25)
            .map(|i| {
                Diagnostic::error(Rule::CitationUnknown, format!("第{i}个"))
                    .at(&path, Pos { line: 1, col: 1 })
            })
            .collect();
        let mut out = Vec::new();
        write_grouped(&mut out, &diags, &sources, Style::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text.matches("错误[citation.unknown]").count(),
            SHOWN_PER_RULE,
            "{text}"
        );
        assert_eq!(text.matches("1 | a: 1").count(), 1, "{text}");
        assert!(
            text.contains("另有 5 条 [citation.unknown] 发现未列出"),
            "{text}"
        );
        assert!(text.starts_with("== a.yaml：25 个错误、0 个警告"), "{text}");
    }

    #[test]
    fn colour_only_when_asked() {
        let mut sources = Sources::default();
        let path = PathBuf::from("a.yaml");
        sources.insert(path.clone(), "a: 1\n".into());
        let d = Diagnostic::error(Rule::YamlKey, "x").at(&path, Pos { line: 1, col: 1 });
        assert!(!render(&d, &sources, Style::default(), true).contains('\x1b'));
        let color = Style {
            color: true,
            width: 100,
        };
        assert!(render(&d, &sources, color, true).contains('\x1b'));
    }
}

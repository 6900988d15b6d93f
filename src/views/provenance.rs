//! A printed figure's provenance as the reader sees it: the web page's
//! panel beside a cited figure (the page's JSON, which static/figures.js
//! turns into the panel), a row of the 核对表 (figures.html and
//! figures.xlsx) and `nianbao explain`, all made from one [`FigureView`] of
//! the citation table's derivation.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::Year;
use std::sync::Arc;

use crate::analysis::provenance::made::Made;
use crate::model::cite::{CiteTable, Found};
use crate::model::num;
use crate::model::provenance::{Ack, Derivation, Op, Operand, Role, Source, Status};

/// One figure's provenance, ready to show: borrowed from the table.
#[derive(Clone, Debug)]
pub(crate) struct FigureView<'a> {
    /// The name the text cites it by.
    pub(crate) name: &'a str,
    /// As printed.
    pub(crate) printed: &'a str,
    pub(crate) how: &'a Derivation,
    /// How it is made: `1645万元 ÷ 1010万元 ≈ 162.871% → 162.9%`.
    pub(crate) formula: String,
    /// The stated figure first (a stated rate, a total), then those it is
    /// made of, each with where the office's text cites it.
    pub(crate) operands: Vec<(&'a Operand, &'a [Source])>,
    /// Where the office's text cites it.
    pub(crate) cited: &'a [Source],
}

/// A printed text's numbers, for the spreadsheet's numeric cells: 户 and
/// 人, and the other number (the last, with the words after it up to the
/// next number: `24.28万元` of `292人24.28万元`, `0.5` `%` of `下降0.5%`, which
/// counts as −0.5).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Numbers {
    pub(crate) households: Option<Decimal>,
    pub(crate) persons: Option<Decimal>,
    pub(crate) value: Option<(Decimal, String)>,
}

impl Numbers {
    pub(crate) fn of(text: &str) -> Numbers {
        let mut out = Numbers::default();
        let negative = ["下降", "降低", "减少"].iter().any(|w| text.starts_with(w));
        let mut rest = text;
        while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
            let tail = &rest[start..];
            let end = tail
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(tail.len());
            let after = &tail[end..];
            let unit_end = after
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(after.len());
            let unit = after[..unit_end].trim_end_matches(['，', '、', '～', '-']);
            if let Ok(mut v) = tail[..end].trim_end_matches('.').parse::<Decimal>() {
                if negative {
                    v = -v;
                }
                match unit {
                    "户" if out.households.is_none() => out.households = Some(v),
                    "人" if out.persons.is_none() => out.persons = Some(v),
                    _ => out.value = Some((v, unit.to_string())),
                }
            }
            rest = after;
        }
        out
    }
}

/// The view of a figure made with a view.
fn made_view(m: &Made) -> FigureView<'_> {
    let d = &m.how;
    FigureView {
        name: &m.label,
        printed: &m.printed,
        how: d,
        formula: formula(d, &m.printed),
        operands: d
            .stated
            .iter()
            .chain(&d.operands)
            .map(|o| (o, &[][..]))
            .collect(),
        cited: &[],
    }
}

/// The view of a name with a derivation.
pub(crate) fn figure_view<'a>(
    key: &'a str,
    found: Found<'a>,
    table: &'a CiteTable,
) -> Option<FigureView<'a>> {
    let d = found.how?;
    let operands = d
        .stated
        .iter()
        .chain(&d.operands)
        .map(|o| {
            let cited = o
                .cited_as
                .as_deref()
                .and_then(|k| table.find(k))
                .map_or(&[][..], |f| f.cited);
            (o, cited)
        })
        .collect();
    Some(FigureView {
        name: key,
        printed: found.text,
        how: d,
        formula: formula(d, found.text),
        operands,
        cited: found.cited,
    })
}

impl FigureView<'_> {
    pub(crate) fn status(&self) -> Status {
        self.how.status()
    }

    /// A number as the data writes it (its formula says no more).
    pub(crate) fn datum(&self) -> bool {
        self.how.op == Op::Datum
    }

    pub(crate) fn ack(&self) -> Option<&Ack> {
        self.how.ack.as_ref()
    }

    /// `2016年数字` for a `上年.…` name, else empty.
    pub(crate) fn year_note(&self) -> String {
        if self.name.starts_with("上年.") {
            format!("{}年数字", self.how.year)
        } else {
            String::new()
        }
    }

    /// The formula with its rounding and note, on one line.
    pub(crate) fn formula_line(&self) -> String {
        let mut out = self.formula.clone();
        if let Some(dp) = self.how.precision {
            out += &format!("（{}）", rounding(dp));
        }
        if let Some(note) = &self.how.note {
            out += &format!("；{note}");
        }
        out
    }

    /// Where the data writes its numbers, one file at a time:
    /// `2019/funds.yaml:12、13、14、15`; the year's own folder left out
    /// when `own` is given (`2019/`).
    pub(crate) fn sources(&self, own: Option<&str>) -> String {
        let mut files: Vec<(&str, Vec<String>)> = Vec::new();
        for (o, _) in &self.operands {
            let Some(at) = &o.at else { continue };
            let file = own
                .and_then(|p| at.file.strip_prefix(p))
                .unwrap_or(&at.file);
            let lines = at.lines();
            let i = match files.iter().position(|(f, _)| *f == file) {
                Some(i) => i,
                None => {
                    files.push((file, Vec::new()));
                    files.len() - 1
                }
            };
            if !lines.is_empty() && !files[i].1.contains(&lines) {
                files[i].1.push(lines);
            }
        }
        let mut out = String::new();
        for (i, (f, lines)) in files.iter().enumerate() {
            if i > 0 {
                out.push('；');
            }
            out.push_str(f);
            for (j, l) in lines.iter().enumerate() {
                let _ = write!(out, "{}{l}", if j == 0 { ":" } else { "、" });
            }
        }
        out
    }

    /// What the status needs said: an acknowledged figure's two values and
    /// the office's words, or last year's data.
    pub(crate) fn remark(&self) -> String {
        let mut out = self.year_note();
        if let Some(a) = self.ack() {
            if !out.is_empty() {
                out.push('；');
            }
            out += &ack_text(a);
        }
        out
    }

    /// The checks as one line: `figure.rate（已说明）、figure.zero`.
    pub(crate) fn checks_line(&self) -> String {
        let d = self.how;
        let mut out = String::new();
        for (i, r) in d.checks.iter().enumerate() {
            if i > 0 {
                out.push('、');
            }
            out.push_str(r.id());
            if d.ack.as_ref().is_some_and(|a| a.rule == *r) {
                out.push_str("（已说明）");
            } else if d.warned.contains(r) {
                out.push_str("（警告）");
            }
        }
        out
    }
}

/// `原文为 162.8%，按数据计算为 162.9%。单位说明：…`
fn ack_text(a: &Ack) -> String {
    format!(
        "原文为 {}，按数据计算为 {}。单位说明：{}",
        a.published, a.computed, a.reason
    )
}

/// The rounding: the result after `→` shows how many decimals.
fn rounding(dp: u32) -> &'static str {
    if dp == 0 {
        "四舍五入取整"
    } else {
        "四舍五入"
    }
}

/// Places, joined: `2017/measures.yaml:60、2017/report.yaml:7`.
fn places(at: &[Source], own: Option<&str>) -> String {
    let mut out = String::new();
    for (i, s) in at.iter().enumerate() {
        if i > 0 {
            out.push('、');
        }
        out.push_str(own.and_then(|p| s.file.strip_prefix(p)).unwrap_or(&s.file));
        if s.line > 0 {
            let _ = write!(out, ":{}", s.lines());
        }
    }
    out
}

/// At most this many terms of a sum are written out.
const TERMS: usize = 12;

/// The formula: operands with their values, the result and its rounding.
fn formula(d: &Derivation, printed: &str) -> String {
    let computed = d.ack.as_ref().map_or(printed, |a| a.computed.as_str());
    match d.op {
        Op::Datum => "录自数据".into(),
        Op::Stated => "原文所填，没有可据以核对的分子、分母".into(),
        Op::Count => format!("计数：{computed}"),
        Op::Sum => {
            if d.operands.is_empty() {
                return format!("合计：{computed}");
            }
            format!("{} = {computed}", terms(&d.operands))
        }
        Op::Ratio => {
            let top = grouped(d.operands.iter().filter(|o| o.role != Role::Over));
            let bottom = grouped(d.operands.iter().filter(|o| o.role == Role::Over));
            let r = d.result.first().copied().unwrap_or_default();
            format!("{top} ÷ {bottom} {}% → {computed}", near(r, d.precision))
        }
        Op::Average { scale } => {
            let top = grouped(d.operands.iter().filter(|o| o.role != Role::Over));
            let bottom = grouped(d.operands.iter().filter(|o| o.role == Role::Over));
            let r = d.result.first().copied().unwrap_or_default();
            let times = if scale == Decimal::ONE {
                String::new()
            } else {
                format!(" × {}", scale.normalize())
            };
            format!(
                "{top}{times} ÷ {bottom} {} → {computed}",
                near(r, d.precision)
            )
        }
        Op::Change { points } => change(d, points, computed),
    }
}

/// `= 162.87` or `≈ 162.87`: the result two decimals finer than printed.
fn near(r: Decimal, dp: Option<u32>) -> String {
    let fine = dp.unwrap_or(0) + 2;
    let shown = num::round(r, fine);
    let sign = if shown == r { "=" } else { "≈" };
    format!("{sign} {}", num::fixed(r, fine))
}

/// `a + b − c`, at most [`TERMS`] of them.
fn terms(ops: &[Operand]) -> String {
    let mut out = String::new();
    for (i, o) in ops.iter().take(TERMS).enumerate() {
        match (i, o.role) {
            (0, Role::Minus) => out.push_str("− "),
            (0, _) => {}
            (_, Role::Minus) => out.push_str(" − "),
            (_, _) => out.push_str(" + "),
        }
        out.push_str(&o.text);
    }
    if ops.len() > TERMS {
        out.push_str(&format!(" + …（共{}项）", ops.len()));
    }
    out
}

/// Terms in brackets when there are several.
fn grouped<'a>(ops: impl Iterator<Item = &'a Operand>) -> String {
    let ops: Vec<Operand> = ops.cloned().collect();
    if ops.len() == 1 {
        ops[0].text.clone()
    } else {
        format!("（{}）", terms(&ops))
    }
}

/// `2016年 1721人 → 2017年 1595人：(1595 − 1721) ÷ 1721 ≈ −7.32% → 下降7.3%`.
fn change(d: &Derivation, points: bool, printed: &str) -> String {
    let (Some(a), Some(b)) = (d.operands.first(), d.operands.get(1)) else {
        return printed.to_string();
    };
    let (x, y) = (a.values[0].normalize(), b.values[0].normalize());
    let r = d.result.first().copied().unwrap_or_default();
    let how = if points {
        format!("{y} − {x} {} 个百分点", near(r, Some(0)))
    } else {
        format!("（{y} − {x}）÷ {x} {}%", near(r, d.precision))
    };
    format!(
        "{} {} → {} {}：{how} → {printed}",
        a.label, a.text, b.label, b.text
    )
}

/// The figures a document page cites, for its panels: a script element of
/// JSON (`{"own": "2017/", "rows": {"行": record, …}}`) that
/// static/figures.js reads, for the rows the page's `data-f` name; none
/// when it names none. A record is `[formula (empty for a number as the
/// data writes it), [operand, …], checks, status class, [published,
/// computed, office's words] or 0, year note, note]`, what is left empty at
/// its end left out; an operand `[text, label, file:line, cited at]` (cited
/// at left out when empty), or only its `file:line` for a number as the
/// data writes it; the year's own folder left out of each file
/// (`measures.yaml:7`).
pub(crate) fn page_data(year: i32, rows: &[FigureView], html: &[u8]) -> Option<String> {
    let mut wanted = rows_named(html);
    if wanted.is_empty() {
        return None;
    }
    wanted.sort_unstable();
    wanted.dedup();
    let own = format!("{year}/");
    let mut out = String::with_capacity(wanted.len() * 160 + 128);
    out.push_str("<script type=\"application/json\" id=\"nianbao-figures\">{\"own\":");
    json_str(&mut out, &own);
    out.push_str(",\"rows\":{");
    let mut first = true;
    for i in wanted {
        let Some(v) = rows.get(i) else { continue };
        if !first {
            out.push(',');
        }
        first = false;
        let _ = write!(out, "\"{i}\":");
        record(&mut out, v, &own);
    }
    // Not `}}`: a page never shows what looks like an unfilled citation.
    out.push_str("}\n}</script>\n");
    Some(out)
}

/// The rows a page's figures name: `<span data-f=行>`, which only
/// [`crate::views::narrative`] writes (the office's own markup is
/// sanitized before).
fn rows_named(html: &[u8]) -> Vec<usize> {
    const MARK: &[u8] = b"<span data-f=";
    memchr::memmem::find_iter(html, MARK)
        .filter_map(|at| {
            let rest = &html[at + MARK.len()..];
            let len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            std::str::from_utf8(&rest[..len])
                .ok()?
                .parse::<usize>()
                .ok()
        })
        .collect()
}

/// One figure as the page's script reads it (see [`page_data`]).
fn record(out: &mut String, v: &FigureView, own: &str) {
    let datum = v.datum();
    out.push('[');
    json_str(out, if datum { "" } else { &v.formula });
    out.push_str(",[");
    for (i, (o, cited)) in v.operands.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        operand(out, (o, cited), datum, own);
    }
    out.push_str("],");
    json_str(out, &v.checks_line());
    out.push(',');
    json_str(out, v.status().class());
    let note = v.year_note();
    let extra = match &v.how.note {
        Some(n) if !datum => n.as_str(),
        _ => "",
    };
    let notes = !note.is_empty() || !extra.is_empty();
    match v.ack() {
        Some(a) => {
            out.push_str(",[");
            json_str(out, &a.published);
            out.push(',');
            json_str(out, &a.computed);
            out.push(',');
            json_str(out, &a.reason);
            out.push(']');
        }
        None if notes => out.push_str(",0"),
        None => {}
    }
    if notes {
        out.push(',');
        json_str(out, &note);
        out.push(',');
        json_str(out, extra);
    }
    out.push(']');
}

/// One operand of a record: `[text, label, file:line, cited at]`, or its
/// `file:line` alone for a number as the data writes it.
fn operand(out: &mut String, (o, cited): (&Operand, &[Source]), datum: bool, own: &str) {
    let at = places(o.at.as_slice(), Some(own));
    if datum {
        json_str(out, &at);
        return;
    }
    out.push('[');
    json_str(out, &o.text);
    out.push(',');
    json_str(out, &o.label);
    out.push(',');
    json_str(out, &at);
    if !cited.is_empty() {
        out.push(',');
        json_str(out, &places(cited, Some(own)));
    }
    out.push(']');
}

/// A JSON string inside a script element: quotes, backslashes and control
/// characters escaped, and `<` too (nothing can end the element early).
fn json_str(out: &mut String, s: &str) {
    out.push('"');
    // Most texts need nothing escaped: copied whole.
    if !s
        .bytes()
        .any(|b| matches!(b, b'"' | b'\\' | b'<') || b < 0x20)
    {
        out.push_str(s);
        out.push('"');
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\u003c"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The provenance as plain text, for the terminal (`nianbao explain`).
pub(crate) fn text(v: &FigureView) -> String {
    let mut out = format!("{}：{}", v.name, v.printed);
    let note = v.year_note();
    if !note.is_empty() {
        let _ = write!(out, "（{note}）");
    }
    out.push('\n');
    let _ = write!(out, "  算式：{}", v.formula);
    if let Some(dp) = v.how.precision {
        let _ = write!(out, "（{}，{dp}位小数）", rounding(dp));
    }
    out.push('\n');
    if let Some(n) = &v.how.note {
        let _ = writeln!(out, "  说明：{n}");
    }
    for (o, cited) in &v.operands {
        let _ = write!(out, "  {}　{}", o.text, o.label);
        if let Some(at) = &o.at {
            let _ = write!(out, "　{at}");
        }
        if !cited.is_empty() {
            let _ = write!(out, "　文中：{}", places(cited, None));
        }
        out.push('\n');
    }
    if !v.cited.is_empty() {
        let _ = writeln!(out, "  文中引用：{}", places(v.cited, None));
    }
    let checks = v.checks_line();
    let checks = if checks.is_empty() {
        "无".to_string()
    } else {
        checks
    };
    let _ = writeln!(out, "  核对：{checks}；{}", v.status().label());
    if let Some(a) = v.ack() {
        let _ = writeln!(out, "  原文如此：{}", ack_text(a));
    }
    out
}

/// The 核对表 of a year (`figures.html`): every figure its documents print
/// that nianbao computed or checked.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct FiguresPage {
    pub(crate) title: String,
    pub(crate) office: String,
    pub(crate) year: i32,
    pub(crate) root: String,
    pub(crate) draft: bool,
    /// The year's documents, by name and file.
    pub(crate) docs: Vec<PageLink>,
    pub(crate) rows: Vec<RowView>,
}

/// A row of the 核对表 page, its cells as they print.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct RowView {
    pub(crate) name: String,
    pub(crate) printed: String,
    /// The formula, or `—` for a number as the data writes it.
    pub(crate) formula: String,
    /// Where the data writes its numbers, the year's own folder left out.
    pub(crate) sources: String,
    pub(crate) checks: String,
    pub(crate) status: &'static str,
    pub(crate) status_class: &'static str,
    /// An acknowledged figure's two values and the office's words.
    pub(crate) ack: String,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct PageLink {
    pub(crate) name: String,
    pub(crate) href: String,
}

/// The 核对表 of one office-year.
pub(crate) fn figures_page(
    office: &str,
    year: &Year,
    figures: &[FigureView],
    docs: Vec<PageLink>,
) -> FiguresPage {
    let own = format!("{}/", year.year);
    let rows = figures
        .iter()
        .map(|v| {
            let note = v.year_note();
            let name = if note.is_empty() {
                v.name.to_string()
            } else {
                format!("{}（{note}）", v.name)
            };
            let status = v.status();
            RowView {
                name,
                printed: v.printed.to_string(),
                formula: if v.datum() {
                    "—".into()
                } else {
                    v.formula_line()
                },
                sources: v.sources(Some(&own)),
                checks: v.checks_line(),
                status: status.label(),
                status_class: status.class(),
                ack: v
                    .ack()
                    .map_or_else(String::new, |a| format!("：{}", ack_text(a))),
            }
        })
        .collect();
    FiguresPage {
        title: format!("{office}{}年核对表", year.year),
        office: office.to_string(),
        year: year.year,
        root: "../../".into(),
        draft: year.draft,
        docs,
        rows,
    }
}

/// Where a year's 核对表 goes in the site (`xx-qu/2017/figures.html`):
/// beside its documents, if it has one (a 总结 or a 计划 document).
pub(crate) fn checklist(slug: &str, year: &Year) -> Option<std::path::PathBuf> {
    let documents = year.has_report || crate::views::plan::has_document(year);
    documents.then(|| {
        std::path::Path::new(slug)
            .join(year.year.to_string())
            .join("figures.html")
    })
}

/// Whether a text shows only numbers the figure's printed text has
/// (`2373` of `2373户4800人`; not `2373户，占45.2%`).
pub(crate) fn agrees(shown: &str, printed: &str) -> bool {
    fn numbers(s: &str) -> impl Iterator<Item = &str> + Clone {
        s.split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map(|n| n.trim_matches('.'))
            .filter(|n| !n.is_empty())
    }
    let have = numbers(printed);
    numbers(shown).all(|n| have.clone().any(|h| h == n))
}

/// The rows of a year's 核对表, as its documents number their figures:
/// first every name the office's texts cite that has a derivation (the
/// table numbered them, in the order of their first citation, by file and
/// line); then each other figure a table, a chart or a sentence of
/// nianbao's shows, in the order the documents first show it. One per
/// office-year, shared by its documents: a figure is one row in all of them.
pub(crate) struct Shown<'a> {
    cite: &'a CiteTable,
    cited: u32,
    more: std::cell::RefCell<Vec<More<'a>>>,
}

/// A row after the cited ones: a name of the table, or a figure made with
/// a view.
enum More<'a> {
    Name(&'a str),
    Made(Arc<Made>),
}

impl<'a> Shown<'a> {
    pub(crate) fn new(cite: &'a CiteTable) -> Self {
        let cited = cite.rows().len() as u32;
        Shown {
            cite,
            cited,
            more: Default::default(),
        }
    }

    pub(crate) fn cite(&self) -> &'a CiteTable {
        self.cite
    }

    /// The row of the figure named `key`, numbered now if no text cites
    /// it; `None` when it has no derivation to open.
    pub(crate) fn row_of(&self, key: &str) -> Option<u32> {
        let (key, found) = self.cite.find_key(key)?;
        if found.row.is_some() {
            return found.row;
        }
        found.how?;
        let at = |m: &More| matches!(m, More::Name(k) if *k == key);
        Some(self.push(at, || More::Name(key)))
    }

    /// The row of a figure made with a view: one row for the same figure
    /// made by two views (a table and a chart, a table and a sentence).
    pub(crate) fn row_made(&self, made: &Arc<Made>) -> u32 {
        let same = |x: &Made| x.label == made.label && x.printed == made.printed;
        let at = |m: &More| matches!(m, More::Made(x) if same(x));
        self.push(at, || More::Made(made.clone()))
    }

    /// The row of the first of `more` that is `at`, or of a new one.
    fn push(&self, at: impl Fn(&More) -> bool, new: impl FnOnce() -> More<'a>) -> u32 {
        let mut more = self.more.borrow_mut();
        let i = match more.iter().position(at) {
            Some(i) => i,
            None => {
                more.push(new());
                more.len() - 1
            }
        };
        self.cited + i as u32
    }

    /// The figures made with the views, each shown at its row; keep them
    /// while the rows ([`Shown::rows`]) are used.
    pub(crate) fn made(&self) -> Vec<Arc<Made>> {
        self.more
            .borrow()
            .iter()
            .filter_map(|m| match m {
                More::Made(m) => Some(m.clone()),
                More::Name(_) => None,
            })
            .collect()
    }

    /// Every row, in order; `made`: [`Shown::made`].
    pub(crate) fn rows<'s>(&self, made: &'s [Arc<Made>]) -> Vec<FigureView<'s>>
    where
        'a: 's,
    {
        let cite = self.cite;
        let mut out: Vec<FigureView<'s>> = cite
            .rows()
            .into_iter()
            .filter_map(|(k, f)| figure_view(k, f, cite))
            .collect();
        let mut made = made.iter();
        for m in self.more.borrow().iter() {
            let view = match m {
                More::Name(k) => cite.find_key(k).and_then(|(k, f)| figure_view(k, f, cite)),
                More::Made(_) => made.next().map(|m| made_view(m)),
            };
            out.extend(view);
        }
        out
    }
}

#[cfg(test)]
mod agreement {
    use super::{agrees, json_str};

    #[test]
    fn json_strings_escape_what_would_end_them_or_the_script() {
        let mut out = String::new();
        json_str(&mut out, "专项资金");
        json_str(&mut out, "a\"b\\c</script>\n");
        assert_eq!(out, "\"专项资金\"\"a\\\"b\\\\c\\u003c/script>\\u000a\"");
    }

    #[test]
    fn a_cell_opens_a_figure_only_when_it_shows_that_figures_numbers() {
        assert!(agrees("2373", "2373户4800人"));
        assert!(agrees("4800", "2373户4800人"));
        assert!(agrees("75.8%", "75.8%"));
        assert!(!agrees("2373户，占45.2%", "2373户4800人"));
        assert!(!agrees("3.10%", "3.1%"));
        assert!(agrees("—", "12个"));
    }
}

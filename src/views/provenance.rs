//! A printed figure's provenance as the reader sees it: the web page's
//! panel beside a cited figure, a row of the 核对表 (figures.html and
//! figures.xlsx) and `nianbao explain`, all made from one [`FigureView`] of
//! the citation table's derivation.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::analysis::metrics::YearMetrics;
use crate::model::Year;
use crate::model::cite::{CiteTable, Found};
use crate::model::num;
use crate::model::provenance::{Derivation, Op, Operand, Role};

/// One figure's provenance, ready to show.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct FigureView {
    /// The name the text cites it by.
    pub(crate) name: String,
    /// As printed.
    pub(crate) printed: String,
    /// Whose data: `2016年数字` for a `上年.…` name, else empty.
    pub(crate) year_note: String,
    /// How it is made: `1645万元 ÷ 1010万元 ≈ 162.87% → 162.9%`.
    pub(crate) formula: String,
    /// A number as the data writes it (its formula says no more).
    pub(crate) datum: bool,
    /// `保留1位小数，四舍五入`, or empty.
    pub(crate) rounding: String,
    pub(crate) note: String,
    pub(crate) operands: Vec<OperandView>,
    /// Where the data writes its numbers, file by file.
    pub(crate) sources: String,
    /// The same, the year's own folder left out (the 核对表 is the year's).
    pub(crate) sources_here: String,
    /// The rule ids that checked it.
    pub(crate) checks: Vec<CheckView>,
    pub(crate) status: &'static str,
    pub(crate) status_class: &'static str,
    pub(crate) ack: Option<AckView>,
    /// Where the office's text cites it.
    pub(crate) cited: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct OperandView {
    pub(crate) text: String,
    pub(crate) label: String,
    /// Where the data writes it (`2017/measures.yaml:63`), or empty.
    pub(crate) at: String,
    /// Where the office's text cites it.
    pub(crate) cited: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct CheckView {
    pub(crate) rule: &'static str,
    /// `已说明` (acknowledged), `警告` (it warned), or empty (passed).
    pub(crate) mark: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct AckView {
    pub(crate) published: String,
    pub(crate) computed: String,
    pub(crate) reason: String,
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

/// The view of a name with a derivation.
pub(crate) fn figure_view(key: &str, found: Found, table: &CiteTable) -> Option<FigureView> {
    let d = found.how?;
    let status = d.status();
    let checks = d
        .checks
        .iter()
        .map(|r| CheckView {
            rule: r.id(),
            mark: if d.ack.as_ref().is_some_and(|a| a.rule == *r) {
                "已说明"
            } else if d.warned.contains(r) {
                "警告"
            } else {
                ""
            },
        })
        .collect();
    let mut v = FigureView {
        name: key.to_string(),
        printed: found.text.to_string(),
        year_note: if key.starts_with("上年.") {
            format!("{}年数字", d.year)
        } else {
            String::new()
        },
        formula: formula(d, found.text),
        datum: d.op == Op::Datum,
        rounding: d.precision.map_or_else(String::new, rounding),
        note: d.note.clone().unwrap_or_default(),
        operands: operands(d, table),
        sources: String::new(),
        sources_here: String::new(),
        checks,
        status: status.label(),
        status_class: status.class(),
        ack: d.ack.as_ref().map(|a| AckView {
            published: a.published.clone(),
            computed: a.computed.clone(),
            reason: a.reason.clone(),
        }),
        cited: found.cited.iter().map(ToString::to_string).collect(),
    };
    v.sources = v.sources_short();
    Some(v)
}

impl FigureView {
    /// The formula with its rounding and note, on one line.
    pub(crate) fn formula_line(&self) -> String {
        let mut out = self.formula.clone();
        if !self.rounding.is_empty() {
            out += &format!("（{}）", self.rounding);
        }
        if !self.note.is_empty() {
            out += &format!("；{}", self.note);
        }
        out
    }

    /// Where the data writes its numbers, one file at a time:
    /// `2019/funds.yaml:12、13、14、15`.
    pub(crate) fn sources_short(&self) -> String {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for o in &self.operands {
            if o.at.is_empty() {
                continue;
            }
            let (file, line) = o.at.rsplit_once(':').unwrap_or((o.at.as_str(), ""));
            match out.iter_mut().find(|(f, _)| f == file) {
                Some((_, lines)) if !line.is_empty() => {
                    if !lines.iter().any(|l| l == line) {
                        lines.push(line.to_string());
                    }
                }
                Some(_) => {}
                None => out.push((file.to_string(), line_list(line))),
            }
        }
        out.iter()
            .map(|(f, lines)| {
                if lines.is_empty() {
                    f.clone()
                } else {
                    format!("{f}:{}", lines.join("、"))
                }
            })
            .collect::<Vec<_>>()
            .join("；")
    }

    /// What the status needs said: an acknowledged figure's two values and
    /// the office's words, or last year's data.
    pub(crate) fn remark(&self) -> String {
        let mut out = self.year_note.clone();
        if let Some(a) = &self.ack {
            if !out.is_empty() {
                out.push('；');
            }
            out += &format!(
                "原文为 {}，按数据计算为 {}。单位说明：{}",
                a.published, a.computed, a.reason
            );
        }
        out
    }

    /// The checks as one line: `figure.rate（已说明）、figure.zero`.
    pub(crate) fn checks_line(&self) -> String {
        self.checks
            .iter()
            .map(|c| {
                if c.mark.is_empty() {
                    c.rule.to_string()
                } else {
                    format!("{}（{}）", c.rule, c.mark)
                }
            })
            .collect::<Vec<_>>()
            .join("、")
    }
}

fn line_list(line: &str) -> Vec<String> {
    if line.is_empty() {
        Vec::new()
    } else {
        vec![line.to_string()]
    }
}

/// The rounding: the result after `→` shows how many decimals.
fn rounding(dp: u32) -> String {
    if dp == 0 {
        "四舍五入取整".into()
    } else {
        "四舍五入".into()
    }
}

/// Operands as shown: the stated figure first (a stated rate, a total),
/// then those it is made of.
fn operands(d: &Derivation, table: &CiteTable) -> Vec<OperandView> {
    d.stated
        .iter()
        .chain(&d.operands)
        .map(|o| OperandView {
            text: o.text.clone(),
            label: o.label.clone(),
            at: o.at.as_ref().map(ToString::to_string).unwrap_or_default(),
            cited: o
                .cited_as
                .as_deref()
                .and_then(|k| table.find(k))
                .map(|f| f.cited.iter().map(ToString::to_string).collect())
                .unwrap_or_default(),
        })
        .collect()
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

/// The year's figures for the web page's panels (`figures-data.js`): one
/// record per row of the 核对表, as static/figures.js reads them (the
/// year's own folder left out of each file: `measures.yaml:7`) —
/// `[formula (empty for a number as the data writes it), [[text, label,
/// file:line, cited at], …], checks, status class, [published, computed,
/// office's words] or 0, year note]`; a number as the data writes it has
/// one operand with its place only.
pub(crate) fn data_js(year: i32, rows: &[FigureView]) -> String {
    let own = format!("{year}/");
    let here = |s: &str| s.strip_prefix(&own).unwrap_or(s).to_string();
    #[derive(Serialize)]
    struct Record<'a>(
        String,
        Vec<(&'a str, &'a str, String, String)>,
        String,
        &'a str,
        serde_json::Value,
        &'a str,
    );
    let records: Vec<Record> = rows
        .iter()
        .map(|v| {
            let datum = v.datum;
            Record(
                if datum { String::new() } else { v.formula_line() },
                v.operands
                    .iter()
                    .map(|o| {
                        let (text, label) = if datum {
                            ("", "")
                        } else {
                            (o.text.as_str(), o.label.as_str())
                        };
                        let cited: Vec<String> = o.cited.iter().map(|c| here(c)).collect();
                        (text, label, here(&o.at), cited.join("、"))
                    })
                    .collect(),
                v.checks_line(),
                v.status_class,
                v.ack.as_ref().map_or(serde_json::Value::from(0), |a| {
                    serde_json::json!([a.published, a.computed, a.reason])
                }),
                &v.year_note,
            )
        })
        .collect();
    let json = serde_json::to_string(&records).unwrap_or_else(|_| "[]".into());
    // Inside a script: no `</script>` or `<!--` can end it early.
    format!(
        "nianbaoFigures(\"{own}\",{});\n",
        json.replace('<', "\\u003c")
    )
}

/// The provenance as plain text, for the terminal (`nianbao explain`).
pub(crate) fn text(v: &FigureView) -> String {
    use std::fmt::Write as _;
    let mut out = format!("{}：{}", v.name, v.printed);
    if !v.year_note.is_empty() {
        let _ = write!(out, "（{}）", v.year_note);
    }
    out.push('\n');
    let _ = write!(out, "  算式：{}", v.formula);
    if !v.rounding.is_empty() {
        let _ = write!(out, "（{}）", v.rounding);
    }
    out.push('\n');
    if !v.note.is_empty() {
        let _ = writeln!(out, "  说明：{}", v.note);
    }
    for o in &v.operands {
        let _ = write!(out, "  {}　{}", o.text, o.label);
        if !o.at.is_empty() {
            let _ = write!(out, "　{}", o.at);
        }
        if !o.cited.is_empty() {
            let _ = write!(out, "　文中：{}", o.cited.join("、"));
        }
        out.push('\n');
    }
    if !v.cited.is_empty() {
        let _ = writeln!(out, "  文中引用：{}", v.cited.join("、"));
    }
    let checks = if v.checks.is_empty() {
        "无".to_string()
    } else {
        v.checks_line()
    };
    let _ = writeln!(out, "  核对：{checks}；{}", v.status);
    if let Some(a) = &v.ack {
        let _ = writeln!(
            out,
            "  原文如此：原文为 {}，按数据计算为 {}。单位说明：{}",
            a.published, a.computed, a.reason
        );
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
    pub(crate) rows: Vec<FigureView>,
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
    m: &YearMetrics,
    docs: Vec<PageLink>,
) -> FiguresPage {
    let mut rows = rows(&m.cite);
    let own = format!("{}/", year.year);
    for r in &mut rows {
        r.sources_here = r.sources.replace(&own, "");
    }
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

/// The rows of the year's 核对表: every name its texts cite that has a
/// derivation, in the order of its first citation (by file and line).
pub(crate) fn rows(cite: &CiteTable) -> Vec<FigureView> {
    cite.rows()
        .into_iter()
        .filter_map(|(k, f)| figure_view(k, f, cite))
        .collect()
}

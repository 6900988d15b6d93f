//! Where a printed figure comes from: its derivation, kept beside its text
//! in the citation table ([`crate::model::cite::CiteTable`]) so that the
//! web page's panels, the 核对表 and `nianbao explain` all read the one
//! record the documents are rendered from. The printed text itself is never
//! taken from here: Markdown and Word are made from the table's texts alone.

use std::path::Path;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::diag::rule::Rule;

/// A place in a data file, as the reader should look it up: the year
/// folder and the file (`2017/measures.yaml`), or for a township's figure
/// its folder too (`shili-dongxi/2023/register.yaml`), and the line (0:
/// the file as a whole), or the lines from `line` to `last` (the entries
/// a count counts: `2017/projects.yaml:7-87`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Source {
    /// Shared by every number of the file.
    pub(crate) file: Arc<str>,
    pub(crate) line: u32,
    /// The last line of a range; 0 for one line.
    pub(crate) last: u32,
}

impl Source {
    /// `file` shown by its last `depth` components (2: `2017/measures.yaml`).
    pub(crate) fn at(file: &Path, line: u32, depth: usize) -> Source {
        thread_local! {
            /// The last file asked for: numbers come a file at a time.
            static LAST: std::cell::RefCell<Option<(std::path::PathBuf, usize, Arc<str>)>> =
                const { std::cell::RefCell::new(None) };
        }
        let file = LAST.with_borrow_mut(|last| match last {
            Some((p, d, shown)) if p == file && *d == depth => shown.clone(),
            _ => {
                let shown = shown(file, depth);
                *last = Some((file.to_path_buf(), depth, shown.clone()));
                shown
            }
        });
        Source {
            file,
            line,
            last: 0,
        }
    }

    /// The lines from its own to `last`.
    pub(crate) fn through(mut self, last: u32) -> Source {
        if self.line > 0 && last > self.line {
            self.last = last;
        }
        self
    }

    /// The lines of `lines` in `file`, first to last (the file alone when
    /// there are none).
    pub(crate) fn spanning(file: &Path, lines: impl IntoIterator<Item = u32>) -> Source {
        let (first, last) = lines
            .into_iter()
            .filter(|&l| l > 0)
            .fold((u32::MAX, 0), |(a, b), l| (a.min(l), b.max(l)));
        if last == 0 {
            return Source::at(file, 0, 2);
        }
        Source::at(file, first, 2).through(last)
    }

    /// The lines of `all` in the file of the first, first to last.
    pub(crate) fn span<'a>(mut all: impl Iterator<Item = &'a Source>) -> Option<Source> {
        let first: &Source = all.next()?;
        let file = first.file.clone();
        let (line, last) = std::iter::once(first)
            .chain(all.filter(|s| s.file == file))
            .filter(|s| s.line > 0)
            .fold((u32::MAX, 0), |(a, b), s| {
                (a.min(s.line), b.max(s.line).max(s.last))
            });
        if last == 0 {
            return Some(first.clone());
        }
        Some(
            Source {
                file,
                line,
                last: 0,
            }
            .through(last),
        )
    }

    /// Its line (`63`) or lines (`7-87`); empty for the file as a whole.
    pub(crate) fn lines(&self) -> String {
        match (self.line, self.last) {
            (0, _) => String::new(),
            (l, 0) => l.to_string(),
            (l, last) => format!("{l}-{last}"),
        }
    }

    /// Whether `line` is one of its lines.
    pub(crate) fn covers(&self, line: u32) -> bool {
        self.line == line || self.line < line && line <= self.last
    }
}

/// The last `depth` components of a path, joined with `/`.
fn shown(file: &Path, depth: usize) -> Arc<str> {
    let parts: Vec<String> = file
        .components()
        .rev()
        .take(depth)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/").into()
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            f.write_str(&self.file)
        } else {
            write!(f, "{}:{}", self.file, self.lines())
        }
    }
}

/// What an operand does in its derivation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// Added (a part of a sum, the numerator of a rate, a datum).
    Plus,
    /// Taken away (removed by dynamic management, 应 − 已).
    Minus,
    /// Divided by (the denominator of a rate or an average).
    Over,
}

/// One number a figure is made of.
#[derive(Clone, Debug)]
pub(crate) struct Operand {
    /// What it is: `新增扶贫小额信贷（计划）`, `2016年脱贫`, a township's name.
    pub(crate) label: String,
    /// As printed: `1010万元`, `724户1595人`.
    pub(crate) text: String,
    /// Its numbers, one per dimension, in the order the text shows them
    /// (户 before 人; an amount after a count).
    pub(crate) values: Vec<Decimal>,
    pub(crate) role: Role,
    /// Where the data writes it (none for a count made from a list).
    pub(crate) at: Option<Source>,
    /// The name the narrative may cite it by, if it has one.
    pub(crate) cited_as: Option<String>,
}

/// How a figure is made from its operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    /// A number as the data writes it.
    Datum,
    /// The sum of its operands (Minus ones taken away), per dimension.
    Sum,
    /// (Plus − Minus operands) ÷ the Over operand × 100, in %.
    Ratio,
    /// (Plus operands) × scale ÷ the Over operand.
    Average { scale: Decimal },
    /// This year against last year's (operands: last year's, this year's);
    /// in 个百分点 for rates, else in % of last year's.
    Change { points: bool },
    /// How many entries of a list.
    Count,
    /// A rate the office states with nothing to compute it from.
    Stated,
}

/// An acknowledged mismatch (`ack`: 原文如此): what the office published,
/// what the data gives, and the office's own words.
#[derive(Clone, Debug)]
pub(crate) struct Ack {
    pub(crate) published: String,
    pub(crate) computed: String,
    pub(crate) reason: String,
    pub(crate) rule: Rule,
}

/// A printed figure's derivation.
#[derive(Clone, Debug)]
pub(crate) struct Derivation {
    pub(crate) op: Op,
    pub(crate) operands: Vec<Operand>,
    /// The figure as the data states it, where it is also computed (a
    /// stated rate, a total with parts): checked against the result.
    pub(crate) stated: Option<Operand>,
    /// The result, unrounded, one per dimension (for a change: the change
    /// in % or 个百分点, signed).
    pub(crate) result: Vec<Decimal>,
    /// Decimals it prints with (half up), where it is rounded.
    pub(crate) precision: Option<u32>,
    /// The rules that checked it (or the numbers it is made of).
    pub(crate) checks: Vec<Rule>,
    /// Those of its checks that warned (a warning is no pass).
    pub(crate) warned: Vec<Rule>,
    pub(crate) ack: Option<Ack>,
    /// The year whose data it comes from (a `上年.…` name shows last year's).
    pub(crate) year: i32,
    /// A word on how it was made, where the operands do not say it all
    /// (`按项目清单统计`).
    pub(crate) note: Option<String>,
}

/// How a figure stands, as the 核对表 lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Status {
    /// Computed by nianbao, or checked against the other figures it goes with.
    Checked,
    /// A number as the data writes it, which no rule concerns: a source
    /// value, nothing to check.
    Source,
    /// Published as the office stated it, though the data gives another value.
    AsPublished,
    /// Printed as written, with nothing to check it against (or a check warned).
    Unchecked,
}

impl Status {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Status::Checked => "核对通过",
            Status::Source => "数据原值",
            Status::AsPublished => "原文如此",
            Status::Unchecked => "无法核对",
        }
    }

    /// A class name for the page's style.
    pub(crate) fn class(self) -> &'static str {
        match self {
            Status::Checked => "ok",
            Status::Source => "src",
            Status::AsPublished => "ack",
            Status::Unchecked => "un",
        }
    }
}

impl Derivation {
    /// A figure as the data writes it.
    pub(crate) fn datum(year: i32, operand: Operand) -> Derivation {
        Derivation {
            op: Op::Datum,
            result: operand.values.clone(),
            operands: vec![operand],
            stated: None,
            precision: None,
            checks: Vec::new(),
            warned: Vec::new(),
            ack: None,
            year,
            note: None,
        }
    }

    /// A derivation of `op` over `operands` with its `result`.
    pub(crate) fn of(
        year: i32,
        op: Op,
        operands: Vec<Operand>,
        result: Vec<Decimal>,
    ) -> Derivation {
        Derivation {
            op,
            operands,
            stated: None,
            result,
            precision: None,
            checks: Vec::new(),
            warned: Vec::new(),
            ack: None,
            year,
            note: None,
        }
    }

    pub(crate) fn checked_by(mut self, rules: &[Rule]) -> Derivation {
        for r in rules {
            if !self.checks.contains(r) {
                self.checks.push(*r);
            }
        }
        self
    }

    pub(crate) fn rounded(mut self, dp: u32) -> Derivation {
        self.precision = Some(dp);
        self
    }

    pub(crate) fn noted(mut self, note: impl Into<String>) -> Derivation {
        self.note = Some(note.into());
        self
    }

    pub(crate) fn acknowledged(mut self, ack: Option<Ack>) -> Derivation {
        self.ack = ack;
        self
    }

    /// Its status: as published when acknowledged; unchecked when it is a
    /// rate stated with nothing to compute it from, or when a check warned;
    /// a source value when it is a number as the data writes it that no
    /// rule concerns.
    pub(crate) fn status(&self) -> Status {
        if self.ack.is_some() {
            Status::AsPublished
        } else if self.op == Op::Stated || !self.warned.is_empty() {
            Status::Unchecked
        } else if self.checks.is_empty() && self.op == Op::Datum {
            Status::Source
        } else {
            Status::Checked
        }
    }

    /// Every place the data writes one of its numbers.
    pub(crate) fn sources(&self) -> impl Iterator<Item = &Source> {
        self.stated
            .iter()
            .chain(&self.operands)
            .filter_map(|o| o.at.as_ref())
    }
}

impl Operand {
    /// An operand worth `values`, printed as `text`.
    pub(crate) fn new(label: impl Into<String>, text: String, values: Vec<Decimal>) -> Operand {
        Operand {
            label: label.into(),
            text,
            values,
            role: Role::Plus,
            at: None,
            cited_as: None,
        }
    }

    pub(crate) fn role(mut self, role: Role) -> Operand {
        self.role = role;
        self
    }

    pub(crate) fn at(mut self, at: Source) -> Operand {
        self.at = Some(at);
        self
    }

    pub(crate) fn cited_as(mut self, key: String) -> Operand {
        self.cited_as = Some(key);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_show_the_year_folder_and_file() {
        let s = Source::at(Path::new("data/xx-qu/2017/measures.yaml"), 62, 2);
        assert_eq!(s.to_string(), "2017/measures.yaml:62");
        let s = Source::at(Path::new("/abs/data/shili-dongxi/2023/register.yaml"), 0, 3);
        assert_eq!(s.to_string(), "shili-dongxi/2023/register.yaml");
        let list = Path::new("data/xx-qu/2017/projects.yaml");
        let s = Source::spanning(list, [12, 7, 0, 87]);
        assert_eq!(s.to_string(), "2017/projects.yaml:7-87");
        assert!(s.covers(7) && s.covers(40) && s.covers(87) && !s.covers(88));
        assert_eq!(
            Source::spanning(list, [9]).to_string(),
            "2017/projects.yaml:9"
        );
        assert_eq!(Source::spanning(list, []).to_string(), "2017/projects.yaml");
    }

    #[test]
    fn a_number_as_the_data_writes_it_is_a_source_value_unless_a_rule_concerns_it() {
        let n = |v: i64| Operand::new("分子", format!("{v}万元"), vec![Decimal::from(v)]);
        let datum = Derivation::datum(2017, n(1529));
        assert_eq!(datum.status(), Status::Source);
        assert_eq!(datum.status().label(), "数据原值");
        let checked = Derivation::datum(2017, n(1529)).checked_by(&[Rule::BreakdownSum]);
        assert_eq!(checked.status(), Status::Checked);
        let mut warned = checked.clone();
        warned.warned.push(Rule::BreakdownSum);
        assert_eq!(warned.status(), Status::Unchecked);
        let stated = Derivation::of(2017, Op::Stated, vec![n(7)], vec![Decimal::from(7)])
            .checked_by(&[Rule::FigureUnchecked]);
        assert_eq!(stated.status().label(), "无法核对");
    }
}

//! Figures (funds.yaml, measures.yaml, plan.yaml's targets): each of one
//! kind, decided once by the keys it has, with its options; labels unique.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Rule};
use crate::model::num;
use crate::model::raw::{self, N};
use crate::model::*;
use crate::validate::Checker;
use crate::validate::breakdowns::Whole;
use crate::validate::findings::At;

/// The kind a raw figure's keys say it is: each kind has its group of keys
/// (`numerator`/`denominator`, …); a figure with `stated` alone is a stated
/// rate.
#[derive(Clone, Copy)]
enum Keys {
    Ratio,
    Triple,
    Change,
    Total,
    Value,
    Average,
    Stated,
}

impl Keys {
    /// The groups of keys, in the order a message names them.
    const GROUPS: [Keys; 6] = [
        Keys::Ratio,
        Keys::Triple,
        Keys::Change,
        Keys::Total,
        Keys::Value,
        Keys::Average,
    ];

    /// The group's keys, as a message names them.
    fn names(self) -> &'static str {
        match self {
            Keys::Ratio => "numerator/denominator",
            Keys::Triple => "should/done/undone",
            Keys::Change => "from/to",
            Keys::Total => "total/breakdowns",
            Keys::Value => "value/plan",
            Keys::Average => "sum/count",
            Keys::Stated => "stated",
        }
    }

    /// Whether the figure writes any key of the group.
    fn written(self, r: &raw::Figure) -> bool {
        match self {
            Keys::Ratio => r.numerator.is_some() || r.denominator.is_some(),
            Keys::Triple => r.should.is_some() || r.done.is_some() || r.undone.is_some(),
            Keys::Change => r.from.is_some() || r.to.is_some(),
            Keys::Total => r.total.is_some() || !r.breakdowns.is_empty(),
            Keys::Value => r.value.is_some() || r.plan.is_some(),
            Keys::Average => r.sum.is_some() || r.count.is_some() || r.scale.is_some(),
            Keys::Stated => r.stated.is_some(),
        }
    }

    /// Every group the figure writes keys of: one, unless its shape is wrong.
    fn of(r: &raw::Figure) -> Vec<Keys> {
        let groups: Vec<Keys> = Keys::GROUPS.into_iter().filter(|k| k.written(r)).collect();
        // Only a stated rate: printed as stated, not checkable.
        if groups.is_empty() && Keys::Stated.written(r) {
            vec![Keys::Stated]
        } else {
            groups
        }
    }
}

/// A raw figure being checked: what it says, where, and its label.
#[derive(Clone, Copy)]
struct Raw<'a> {
    r: &'a raw::Figure,
    at: At<'a>,
    label: &'a str,
}

impl Checker<'_> {
    pub(crate) fn figures(&mut self, file: &Path, field: &str, raw: &[raw::Figure]) -> Vec<Figure> {
        raw.iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let fig = self.figure(file, &format!("{field}[{i}]"), r);
                if fig.is_none() && !r.label.s.trim().is_empty() {
                    self.rejected.insert(r.label.s.trim().to_string());
                }
                fig
            })
            .collect()
    }

    fn figure(&mut self, file: &Path, field: &str, r: &raw::Figure) -> Option<Figure> {
        let at = At { file, field };
        let label = self.nonblank(
            At {
                file,
                field: &format!("{field}.label"),
            },
            &r.label,
        )?;
        let ack = r.ack.as_ref().map(|t| t.s.trim().to_string());
        let keys = self.keys(at, &label, r)?;
        let unit = r.unit.as_ref().map(|t| t.s.trim().to_string());
        let raw = Raw {
            r,
            at,
            label: &label,
        };
        let kind = match keys {
            Keys::Stated => self.stated_figure(raw)?,
            Keys::Average => self.average_figure(raw)?,
            Keys::Ratio => self.ratio_figure(raw)?,
            Keys::Triple => self.triple_figure(raw, unit.as_deref(), ack.as_deref())?,
            Keys::Change => self.change_figure(raw)?,
            Keys::Total => self.total_figure(raw, unit.as_deref(), ack.as_deref())?,
            Keys::Value => self.value_figure(raw)?,
        };
        let precision = self.precision(at, r, &kind);
        let approx = self.approx(at, r, &kind);
        let compare = self.compare(at, r);
        let max = self.range_max(at, &label, &kind, r.max);
        Some(Figure {
            label,
            unit,
            note: r.note.as_ref().map(|t| t.s.trim().to_string()),
            at_least: r.at_least,
            at_most: r.at_most,
            max,
            kind,
            stated: r.stated,
            precision,
            ack,
            compare,
            loc: Loc {
                file: file.to_path_buf(),
                pos: r.label.at,
            },
            field: field.to_string(),
            approx,
        })
    }

    /// The one kind the figure's keys say it is; none, or keys of several
    /// kinds, is an error.
    fn keys(&mut self, at: At, label: &str, r: &raw::Figure) -> Option<Keys> {
        let groups = Keys::of(r);
        if let [one] = groups[..] {
            return Some(one);
        }
        let msg = if groups.is_empty() {
            format!("指标“{label}”没有数值")
        } else {
            let names: Vec<&str> = groups.iter().map(|k| k.names()).collect();
            format!("指标“{label}”同时写了 {}，无法判断类型", names.join(" 和 "))
        };
        self.error(
            Rule::FigureShape,
            at,
            r.label.at,
            msg,
            Some("每个指标只写一类：value（数值）、value+plan（计划完成）、numerator+denominator（比率）、should+done（应/已）、from+to（变化）、total+breakdowns（合计与分项）"),
        );
        None
    }

    /// A key the figure's kind needs is not there.
    fn missing_key(&mut self, raw: Raw, name: &str) {
        self.error(
            Rule::FigureShape,
            raw.at,
            raw.r.label.at,
            format!("指标“{}”缺少 {name}", raw.label),
            Some("比率要同时写 numerator 和 denominator；变化要同时写 from 和 to"),
        );
    }

    /// `stated` alone: a rate printed as stated, which nothing can check.
    fn stated_figure(&mut self, raw: Raw) -> Option<FigureKind> {
        let stated = raw.r.stated?;
        self.warn(
            Rule::FigureUnchecked,
            raw.at,
            stated.at,
            format!("指标“{}”只有所填比率 {}%，无法核对", raw.label, stated.v),
            Some("原文有分子、分母时写 numerator 和 denominator，nianbao 会算出并核对比率"),
        );
        Some(FigureKind::StatedRate { stated })
    }

    /// `sum`, `count` and `scale`: an average, sum × scale ÷ count.
    fn average_figure(&mut self, raw: Raw) -> Option<FigureKind> {
        let Raw { r, at, label } = raw;
        let (Some(sum), Some(count)) = (r.sum, r.count) else {
            self.missing_key(raw, if r.sum.is_none() { "sum" } else { "count" });
            return None;
        };
        let sum = self.amount(at, Some(sum), "合计")?;
        let count = self.amount(at, Some(count), "户数或人数")?;
        if count.v.is_zero() {
            self.error(
                Rule::FigureZero,
                at,
                count.at,
                format!("指标“{label}”的 count 为 0"),
                None,
            );
            return None;
        }
        let scale = match r.scale {
            Some(s) if s.v > Decimal::ZERO => s.v,
            Some(s) => {
                self.error(
                    Rule::FigureOption,
                    at,
                    s.at,
                    "scale 应为正数（如 10000：万元换算为元）",
                    None,
                );
                return None;
            }
            None => Decimal::ONE,
        };
        Some(FigureKind::Average { sum, count, scale })
    }

    /// `numerator` and `denominator`: a rate, a part of a whole.
    fn ratio_figure(&mut self, raw: Raw) -> Option<FigureKind> {
        let Raw { r, at, label } = raw;
        let (Some(n), Some(d)) = (r.numerator, r.denominator) else {
            let name = if r.numerator.is_none() {
                "numerator"
            } else {
                "denominator"
            };
            self.missing_key(raw, name);
            return None;
        };
        let n = self.amount(at, Some(n), "分子")?;
        let d = self.amount(at, Some(d), "分母")?;
        if d.v.is_zero() {
            self.error(
                Rule::FigureZero,
                at,
                d.at,
                format!("指标“{label}”的分母为 0"),
                None,
            );
            return None;
        }
        if n.v > d.v {
            self.error(
                Rule::FigureOver,
                at,
                n.at,
                format!("指标“{label}”的分子 {} 大于分母 {}，比率超过 100%", n.v, d.v),
                Some("比率是部分占整体，不能超过 100%；计划完成情况请写 value 与 plan，增减请写 from 与 to"),
            );
        }
        Some(FigureKind::Ratio {
            numerator: n,
            denominator: d,
            numerator_label: r.numerator_label.as_ref().map(|t| t.s.trim().to_string()),
            denominator_label: r.denominator_label.as_ref().map(|t| t.s.trim().to_string()),
        })
    }

    /// `should`, `done`, `undone` (应/已/未): 已 at most 应, 应 − 已 = 未.
    fn triple_figure(
        &mut self,
        raw: Raw,
        unit: Option<&str>,
        ack: Option<&str>,
    ) -> Option<FigureKind> {
        let Raw { r, at, label } = raw;
        let Some(s) = r.should else {
            self.missing_key(raw, "should");
            return None;
        };
        let s = self.amount(at, Some(s), "应")?;
        let u = self.amount(at, r.undone, "未");
        let d = self.done(raw, s, u)?;
        if d.v > s.v {
            self.error(
                Rule::FigureOver,
                at,
                d.at,
                format!("指标“{label}”已完成 {} 大于应完成 {}", d.v, s.v),
                Some("应/已/未指标的已完成数不能超过应完成数"),
            );
        }
        if let (Some(u), Some(_)) = (u, r.done)
            && s.v - d.v != u.v
        {
            let unit = unit.unwrap_or("");
            self.f.mismatch(
                Rule::FigureTriple,
                at,
                u.at,
                format!(
                    "指标“{label}”应 {} 减已 {} 为 {}，与所填未完成 {}不符（差 {}）",
                    s.v,
                    d.v,
                    s.v - d.v,
                    num::with_unit(u.v, unit),
                    num::with_unit((u.v - (s.v - d.v)).abs(), unit)
                ),
                ack,
            );
        }
        if s.v.is_zero() {
            self.error(
                Rule::FigureZero,
                at,
                s.at,
                format!("指标“{label}”的应完成数为 0"),
                None,
            );
            return None;
        }
        Some(FigureKind::Triple {
            should: s,
            done: d,
            undone: u,
        })
    }

    /// 已 of an 应/已/未 figure: as written, or, left out where 未 is
    /// given, 应 − 未.
    fn done(&mut self, raw: Raw, should: N, undone: Option<N>) -> Option<N> {
        let Raw { r, at, label } = raw;
        match (r.done, undone) {
            (Some(d), _) => self.amount(at, Some(d), "已"),
            (None, Some(u)) if u.v <= should.v => Some(N {
                v: should.v - u.v,
                at: u.at,
            }),
            (None, Some(u)) => {
                self.error(
                    Rule::FigureOver,
                    at,
                    u.at,
                    format!("指标“{label}”未完成 {} 大于应完成 {}", u.v, should.v),
                    None,
                );
                None
            }
            (None, None) => {
                self.missing_key(raw, "done 或 undone");
                None
            }
        }
    }

    /// `from` and `to`: a change.
    fn change_figure(&mut self, raw: Raw) -> Option<FigureKind> {
        let r = raw.r;
        let (Some(a), Some(b)) = (r.from, r.to) else {
            self.missing_key(raw, if r.from.is_none() { "from" } else { "to" });
            return None;
        };
        Some(FigureKind::Change { from: a, to: b })
    }

    /// `total` and `breakdowns`: each breakdown against the total, and what
    /// of them prints.
    fn total_figure(
        &mut self,
        raw: Raw,
        unit: Option<&str>,
        ack: Option<&str>,
    ) -> Option<FigureKind> {
        let Raw { r, at, label } = raw;
        let Some(t) = &r.total else {
            self.missing_key(raw, "total");
            return None;
        };
        let total = self.tally(at, t);
        let breakdowns = self.breakdowns(
            Whole {
                file: at.file,
                field: at.field,
                name: &format!("指标“{label}”"),
                units: Units::of(unit, ""),
            },
            &r.breakdowns,
            &total,
            ack,
        );
        // Acknowledged or not, the total and its parts print as stated.
        Some(FigureKind::Total { total, breakdowns })
    }

    /// `value`, and `plan` with it: a value, or a value against its plan.
    fn value_figure(&mut self, raw: Raw) -> Option<FigureKind> {
        let Raw { r, at, label } = raw;
        match (r.value, r.plan) {
            (Some(v), None) => Some(FigureKind::Value { value: v }),
            (Some(v), Some(p)) => {
                if p.v.is_zero() {
                    self.error(
                        Rule::FigureZero,
                        at,
                        p.at,
                        format!("指标“{label}”的计划数为 0"),
                        None,
                    );
                    return None;
                }
                Some(FigureKind::Plan { value: v, plan: p })
            }
            (None, _) => {
                self.missing_key(raw, "value");
                None
            }
        }
    }

    /// Decimals printed: `precision` (0 to 4), or as the office wrote it.
    fn precision(&mut self, at: At, r: &raw::Figure, kind: &FigureKind) -> u32 {
        match r.precision {
            Some(p) if num::is_whole(p.v) && p.v >= Decimal::ZERO && p.v <= Decimal::from(4) => {
                p.v.try_into().unwrap_or(1)
            }
            Some(p) => {
                self.error(
                    Rule::FigureOption,
                    at,
                    p.at,
                    "precision 应为 0 到 4 的整数",
                    None,
                );
                1
            }
            // An average prints as the office wrote it (587元, 4.19万元); a
            // rate with at least one decimal.
            None if matches!(kind, FigureKind::Average { .. }) => {
                r.stated.map_or(2, |s| num::scale(s.v))
            }
            // As the office wrote it (21% stays 21%, 100% stays 100%); one
            // decimal when nothing was stated.
            None => r.stated.map_or(1, |s| num::scale(s.v)),
        }
    }

    /// `approx` (约, 多, 以上 …): a word the office's value is printed with,
    /// for a single value only.
    fn approx(&mut self, at: At, r: &raw::Figure, kind: &FigureKind) -> Option<Approx> {
        let t = r.approx.as_ref()?;
        let word = t.s.trim();
        let approx = Approx::of(word);
        let value = match kind {
            FigureKind::Value { .. } => true,
            // A total with parts: 3050万元以上, 约3171户1.33亿元; 多 and 余
            // only where the total is one quantity.
            FigureKind::Total { total, .. } => {
                let quantities = [
                    total.households,
                    total.persons,
                    total.amount,
                    total.count,
                    total.value,
                ]
                .iter()
                .flatten()
                .count();
                !matches!(approx, Some(Approx::Between(_))) || quantities == 1
            }
            _ => false,
        };
        if approx.is_none() || !value {
            self.error(
                Rule::FigureOption,
                at,
                t.at,
                format!("approx 写的是“{word}”，无法使用"),
                Some("approx 用于单个数值（value）或合计（total，只有一项时才可写 多、余），写 约、大约、近、接近、将近、超过、超、突破、高达、累计达、不低于、不少于、不高于、不超过、至少、最多、达到、逾、多、余、左右、上下、以上、以下 或 以内"),
            );
        }
        approx.filter(|_| value)
    }

    /// `compare` (人, 户, 村): a plan target's register figure to set
    /// beside it; plan.yaml's targets only.
    fn compare(&mut self, at: At, r: &raw::Figure) -> Option<Compare> {
        let t = r.compare.as_ref()?;
        let value = match t.s.trim() {
            "人" | "人数" | "persons" => Some(Compare::Persons),
            "户" | "户数" | "households" => Some(Compare::Households),
            "村" | "村数" | "villages" => Some(Compare::Villages),
            _ => None,
        };
        if !at.field.starts_with("targets[") {
            self.error(
                Rule::FigureOption,
                at,
                t.at,
                "compare 只用于 plan.yaml 的 targets",
                Some("删掉 compare"),
            );
            return None;
        }
        if value.is_none() {
            self.error(
                Rule::FigureOption,
                at,
                t.at,
                format!("compare 写的是“{}”，无法识别", t.s.trim()),
                Some("compare 写 人、户 或 村，表示与本年度建档立卡的减贫人数、户数或出列村数对照"),
            );
        }
        value
    }

    /// The upper end of a range (`value: 1, max: 2` → 1～2个): a plain value
    /// only, and not below it.
    fn range_max(&mut self, at: At, label: &str, kind: &FigureKind, max: Option<N>) -> Option<N> {
        let max = max?;
        let FigureKind::Value { value } = kind else {
            self.error(
                Rule::FigureOption,
                at,
                max.at,
                format!("指标“{label}”不是单个数值，不能写 max"),
                Some("max 与 value 一起写出范围，如 value: 1, max: 2 印为 1～2个"),
            );
            return None;
        };
        if max.v < value.v {
            self.error(
                Rule::FigureOption,
                at,
                max.at,
                format!("指标“{label}”的范围 {}～{} 上限小于下限", value.v, max.v),
                None,
            );
            return None;
        }
        Some(max)
    }

    /// Figure labels are citation names: two figures of one year may not
    /// share one.
    pub(crate) fn unique_labels(&mut self, year: &Year) {
        let mut seen: BTreeMap<&str, &Loc> = BTreeMap::new();
        let funds = year.funds.iter().flat_map(|f| f.figures.iter());
        let measures = year.measures.iter().flat_map(|m| m.figures.iter());
        for fig in funds.chain(measures) {
            if let Some(first) = seen.get(fig.label.as_str()) {
                self.push(
                    Diagnostic::error(
                        Rule::LabelDuplicate,
                        format!("指标名“{}”在本年度重复", fig.label),
                    )
                    .at(&fig.loc.file, fig.loc.pos)
                    .field("label")
                    .hint(format!(
                        "指标名用于在文字中引用，须唯一；另一处在 {}：{}",
                        first.file.display(),
                        first.pos.line
                    )),
                );
            } else {
                seen.insert(&fig.label, &fig.loc);
            }
        }
    }
}

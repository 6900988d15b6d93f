//! Stage 4, reconcile: the rules that need computed values, run once the
//! metrics are there. The register closes (基数 − 累计 + 调整 = 未); stated
//! rates and totals agree with what the data gives; the office's figures do
//! not take a built-in name; and every citation in every text of the year
//! (report, funds, measures, problems, plan) names a figure that exists.
//! It runs on whatever check could understand, even when check found
//! errors, so that one `nianbao check` lists every finding of every kind.

use std::path::Path;

use rust_decimal::Decimal;

use crate::analysis::metrics::{self, RegisterMetrics, SpecialTotals, Sum2, YearMetrics};
use crate::diag::{Diagnostic, Pos, Rule};
use crate::model::num;
use crate::model::*;
use crate::validate::findings::{At, Findings};
use crate::validate::prose;

/// Reconcile every year of an office against its metrics. `checked` are
/// check's findings: a year whose data has errors already does not get a
/// second finding for a citation of a figure that the errors took away.
pub(crate) fn reconcile(
    office: &Office,
    metrics: &[YearMetrics],
    checked: &[Diagnostic],
) -> Vec<Diagnostic> {
    let mut r = Reconciler {
        f: Findings::default(),
    };
    for (year, m) in office.years.iter().zip(metrics) {
        let damaged = checked
            .iter()
            .any(|d| d.blocks(false) && d.file.as_ref().is_some_and(|f| f.starts_with(&year.dir)));
        r.year(year, m, damaged);
    }
    r.f.list
}

struct Reconciler {
    f: Findings,
}

impl Reconciler {
    fn year(&mut self, year: &Year, m: &YearMetrics, damaged: bool) {
        if let (Some(reg), Some(rm)) = (&year.register, &m.register) {
            self.register_arithmetic(reg, rm, year.year);
        }
        let targets = year.plan.iter().flat_map(|p| p.targets.iter());
        for fig in year.figures().chain(targets) {
            self.figure_stated(fig);
            self.figure_bounds(fig);
        }
        if let (Some(funds), Some(totals)) = (&year.funds, &m.special)
            && let Some(sp) = &funds.special
        {
            self.special_arithmetic(&funds.file, sp, year.projects.as_ref(), &funds.unit, totals);
        }
        self.shadowed_names(year, m);
        self.citations(year, m, damaged);
    }

    /// An office figure may not take a fixed built-in name: the narrative
    /// and the tables would not know which one is meant. One that shares a
    /// name made from a funds category is the one the narrative cites, and
    /// the office is told.
    fn shadowed_names(&mut self, year: &Year, m: &YearMetrics) {
        for fig in year.figures() {
            let at = |d: Diagnostic| {
                d.at(&fig.loc.file, fig.loc.pos)
                    .field(format!("{}.label", fig.field))
            };
            if m.cite.shadows_builtin(&fig.label) {
                self.f.push(at(Diagnostic::error(
                    Rule::LabelShadows,
                    format!("指标名“{}”与内置指标同名", fig.label),
                ))
                .hint("内置指标由数据计算得出（见 nianbao names）；给这个指标换一个名称，如加上范围或口径"));
            } else if m.cite.shares_category_name(&fig.label) {
                self.f.push(at(Diagnostic::warning(
                    Rule::LabelShadows,
                    format!(
                        "指标名“{}”与按资金类别生成的名称相同，文字中的 {{{{ f[\"{}\"] }}}} 指这个指标",
                        fig.label, fig.label
                    ),
                ))
                .hint("要引用该类别的项目数时，给这个指标换一个名称"));
            }
        }
    }

    /// Every citation of every text of the year, against the table, and
    /// every number left out of them.
    fn citations(&mut self, year: &Year, m: &YearMetrics, damaged: bool) {
        // A rejected figure, or one of its parts (`名称.计划`), or its
        // change on last year (`同比.名称`), was reported where it stands.
        let under = |key: &str, label: &str| {
            key.strip_prefix(label)
                .is_some_and(|r| r.is_empty() || r.starts_with('.'))
        };
        let rejected = |key: &str| {
            let key = key.strip_prefix("同比.").unwrap_or(key);
            let key = key.strip_prefix("目标.").unwrap_or(key);
            year.rejected.iter().any(|l| under(key, l))
        };
        // A figure written with its values left blank is there, with no
        // text: its blanks are the findings, not every citation of it.
        let written = |key: &str| {
            let of = |key: &str, label: &str| key == label || (damaged && under(key, label));
            year.figures().any(|f| of(key, &f.label))
                || key.strip_prefix("目标.").is_some_and(|k| {
                    year.plan
                        .iter()
                        .flat_map(|p| &p.targets)
                        .any(|t| of(k, &t.label))
                })
        };
        let skip =
            |key: &str| rejected(key) || written(key) || (damaged && m.cite.shadows_builtin(key));
        // A file that could not be read took its figures with it: one
        // word for it, not one for each citation of them.
        let mut unchecked = 0;
        for prose in year.proses() {
            let found = prose::check_citations(prose, &m.cite, &skip);
            for d in found {
                if !year.unread.is_empty() && d.rule == Rule::CitationUnknown {
                    unchecked += 1;
                } else {
                    self.f.push(d);
                }
            }
            self.f.list.extend(prose::check_blanks(prose));
        }
        if unchecked > 0 {
            let file = year.dir.join(&year.unread[0]);
            self.f.push(
                Diagnostic::warning(
                    Rule::CitationUnknown,
                    format!(
                        "{} 没能读出来（见它的错误），其中的指标都无法引用：本年度文字中 {unchecked} 处找不到的引用暂不报告",
                        year.unread.join("、")
                    ),
                )
                .at(&file, Pos::default())
                .hint("改正这个文件的错误后再运行 nianbao check，引用会逐一核对"),
            );
        }
        let proses: Vec<&Prose> = year.proses().collect();
        self.f.list.extend(prose::check_repeated(&proses));
    }

    /// Villages: the register's count − those that exited = those left.
    fn remaining_villages(&mut self, reg: &Register, rem: &Remaining) {
        let (Some(base), Some(left)) = (reg.villages, rem.villages) else {
            return;
        };
        // A rejected exit or a count that disagrees with its names is the
        // finding already.
        if !reg.exits_complete || !reg.villages_consistent {
            return;
        }
        let exited: usize = reg.exits.iter().map(|e| e.villages.count).sum();
        let expected = base.v - Decimal::from(exited);
        if expected == left.v {
            return;
        }
        let l = &reg.labels;
        self.f.warn(
            Rule::RegisterVillages,
            At {
                file: &reg.file,
                field: "remaining.villages",
            },
            left.at,
            format!(
                "{village}数不闭合：{base_villages} {} 个 − 已{out} {exited} 个 = {expected} 个，填报尚有 {} 个（差 {} 个）",
                base.v,
                left.v,
                (expected - left.v).abs(),
                village = l.village,
                base_villages = l.baseline_villages,
                out = l.village_exit,
            ),
            Some("检查历年出列的村是否都已列出：exits 的 villages 可写村名列表，也可只写村数（如 villages: 3）"),
        );
    }

    /// Baseline − exits + adjustments against the stated remaining, and the
    /// exits against the register.
    fn register_arithmetic(&mut self, reg: &Register, rm: &RegisterMetrics, year: i32) {
        // No exit recorded yet is none: the register must still close.
        let none_yet =
            |d: Option<Decimal>| d.or_else(|| reg.exits.is_empty().then_some(Decimal::ZERO));
        let cum = Sum2 {
            households: none_yet(rm.cumulative.households),
            persons: none_yet(rm.cumulative.persons),
        };
        self.register_totals(reg, rm);
        let over = self.exits_over_baseline(reg, cum);
        let Some(rem) = &reg.remaining else { return };
        self.register_remaining(reg, rem);
        let dims = Dim::of(reg, cum, rm.net, rem);
        // Exits beyond the baseline are reported above; a gap would only
        // repeat them.
        if !reg.exits_complete || over || dims.iter().all(|d| d.adjusted_gap.is_zero()) {
            return;
        }
        self.register_gap(reg, rem, &dims, year);
    }

    /// What the register states as a whole against what its parts give:
    /// 现有 and every object monitored against 基数 + 动态调整, the stated
    /// exits to date against the exits by year. A warning with the
    /// difference (published registers do not always close).
    fn register_totals(&mut self, reg: &Register, rm: &RegisterMetrics) {
        let l = &reg.labels;
        // A dimension the adjustments leave out (persons only) is not
        // known after them.
        let with_net = |b: Option<crate::model::raw::N>, net: Option<Decimal>| match net {
            Some(n) => b.map(|b| b.v + n),
            None if reg.adjustments.is_empty() => b.map(|b| b.v),
            None => None,
        };
        let expected = Sum2 {
            households: with_net(reg.baseline.households, rm.net.households),
            persons: with_net(reg.baseline.persons, rm.net.persons),
        };
        let adjusted = if reg.adjustments.is_empty() {
            l.baseline.clone()
        } else {
            format!("{} + 动态调整 {}", l.baseline, metrics::pair_text(rm.net))
        };
        let by_year = metrics::exits_by_year(reg);
        let checks = [
            (
                reg.current.as_ref(),
                "current",
                l.current.clone(),
                expected,
                adjusted.clone(),
            ),
            (
                reg.monitored.as_ref().map(|m| &m.pair),
                "monitored",
                format!("累计纳入{}", l.population),
                expected,
                adjusted,
            ),
            (
                reg.cumulative.as_ref().filter(|_| !reg.exits.is_empty()),
                "cumulative",
                format!("所填累计{}", l.exit),
                by_year,
                format!("历年{}之和", l.exit),
            ),
        ];
        for (stated, field, what, expected, from) in checks {
            let Some(stated) = stated else { continue };
            // Households above persons is the finding there already.
            if let (Some(h), Some(p)) = (stated.households, stated.persons)
                && h.v > p.v
            {
                continue;
            }
            let mut diff = String::new();
            let mut pos = None;
            for (unit, s, e) in [
                ("户", stated.households, expected.households),
                ("人", stated.persons, expected.persons),
            ] {
                if let (Some(s), Some(e)) = (s, e)
                    && s.v != e
                {
                    diff += &format!("{}{unit}", (s.v - e).normalize());
                    pos.get_or_insert(s.at);
                }
            }
            let Some(pos) = pos else { continue };
            self.f.warn(
                Rule::RegisterTotals,
                At {
                    file: &reg.file,
                    field,
                },
                pos,
                format!(
                    "{what} {} 与{from} = {} 不符，差 {diff}",
                    metrics::pair_text(Sum2::of(stated)),
                    metrics::pair_text(expected),
                ),
                Some("核对所填数字，或补上漏填的动态调整（adjustments）、历年退出（exits）；台账确实如此时可保留，文档照实印出所填数字"),
            );
        }
    }

    /// The cumulative exits (`cum`) beyond the baseline and those added by
    /// adjustments: whether there are any.
    fn exits_over_baseline(&mut self, reg: &Register, cum: Sum2) -> bool {
        let exit = &reg.labels.exit;
        // Those added by dynamic management (新识别, 返贫 …) can exit too: a
        // monitored population grows every year.
        let added = metrics::added_by_adjustments(reg);
        let mut over = false;
        for (what, base, done, more) in [
            (
                "户",
                reg.baseline.households,
                cum.households,
                added.households,
            ),
            ("人", reg.baseline.persons, cum.persons, added.persons),
        ] {
            let more = more.unwrap_or_default();
            if let (Some(b), Some(d)) = (base, done)
                && d > b.v + more
            {
                let with = if more.is_zero() {
                    String::new()
                } else {
                    format!("与动态调整新增 {more}{what} 之和")
                };
                self.f.error(
                    Rule::RegisterOverBaseline,
                    At {
                        file: &reg.file,
                        field: "exits",
                    },
                    b.at,
                    format!(
                        "累计{exit} {d}{what} 超过{} {}{what}{with}",
                        reg.labels.baseline, b.v
                    ),
                    None,
                );
                over = true;
            }
        }
        over
    }

    /// A register that does not close: the gap in each dimension, the
    /// adjustments that do not explain it, and the likeliest cause.
    fn register_gap(&mut self, reg: &Register, rem: &Remaining, dims: &[Dim], year: i32) {
        let exit = &reg.labels.exit;
        let join = |f: fn(&Dim) -> Decimal| {
            dims.iter()
                .map(|d| format!("{}{}", f(d), d.unit))
                .collect::<String>()
        };
        let mut msg = format!(
            "{}台账不闭合：基数 {} − 累计{exit} {} = {}，填报{} {}，差 {}",
            reg.labels.population.trim_end_matches("人口"),
            join(|d| d.base),
            join(|d| d.done),
            join(|d| d.base - d.done),
            reg.labels.remaining,
            join(|d| d.stated),
            join(|d| d.gap),
        );
        let adjusted: Vec<_> = dims
            .iter()
            .filter(|d| d.net.is_some_and(|n| !n.is_zero()))
            .collect();
        if !adjusted.is_empty() {
            let adj: String = adjusted
                .iter()
                .map(|d| format!("{:+}{}", d.net.unwrap_or_default(), d.unit))
                .collect();
            msg += &format!(
                "；已填动态调整 {adj} 不能解释这一差额（计入后差 {}）",
                join(|d| d.adjusted_gap)
            );
        }
        let missing = missing_exit_years(reg, year);
        let mut hint = if missing.is_empty() {
            format!("可能缺少某一年的{exit}数")
        } else {
            let years: Vec<String> = missing.iter().map(i32::to_string).collect();
            format!("exits 中没有 {} 年的{exit}数，可能漏填", years.join("、"))
        };
        hint += if reg.adjustments.is_empty() {
            "，或缺少动态管理（新识别、清理）的调整数；请在 exits 或 adjustments 中补齐。台账确实如此时可保留，生成的文档照实列出所填数字"
        } else {
            "，或缺少更早的动态管理调整；请在 exits 或 adjustments 中补齐。台账确实如此时可保留，生成的文档照实列出所填数字"
        };
        self.f.warn(
            Rule::RegisterGap,
            At {
                file: &reg.file,
                field: "remaining",
            },
            rem.pos,
            msg,
            Some(&hint),
        );
    }

    /// The villages left, the year's planned exits against the remaining,
    /// and the stated incidence (before and after the planned exits)
    /// against the register.
    fn register_remaining(&mut self, reg: &Register, rem: &Remaining) {
        self.remaining_villages(reg, rem);
        self.planned_within_remaining(reg, rem);
        self.incidence(reg, rem);
    }

    /// The year's planned exits: not more than remain.
    fn planned_within_remaining(&mut self, reg: &Register, rem: &Remaining) {
        if let Some(p) = &reg.planned {
            for (what, plan, left) in [
                ("户", p.pair.households, rem.pair.households),
                ("人", p.pair.persons, rem.pair.persons),
            ] {
                if let (Some(p), Some(l)) = (plan, left)
                    && p.v > l.v
                {
                    self.f.error(
                        Rule::RegisterPlanned,
                        At {
                            file: &reg.file,
                            field: "planned",
                        },
                        p.at,
                        format!(
                            "计划{}{} {}{what}，超过未{} {}{what}（多 {}{what}）",
                            reg.labels.exit,
                            if what == "户" { "户数" } else { "人数" },
                            p.v,
                            reg.labels.exit,
                            l.v,
                            p.v - l.v
                        ),
                        None,
                    );
                }
            }
        }
    }

    /// The stated incidence, before and after the planned exits, against
    /// the remaining.
    fn incidence(&mut self, reg: &Register, rem: &Remaining) {
        let file = reg.file.as_path();
        let at = |field| At { file, field };
        let (Some(inc), Some(left)) = (&reg.incidence, rem.pair.persons) else {
            return;
        };
        let den = inc.denominator.v;
        self.f.stated_rate(
            Rule::RegisterIncidence,
            at("incidence.stated"),
            inc.stated,
            num::percent(left.v, den),
            &format!(
                "{}（{} {} 人 ÷ {} {den} 人）",
                reg.labels.incidence, reg.labels.remaining, left.v, inc.denominator_label
            ),
            None,
        );
        let after = reg.planned.as_ref().and_then(|p| p.pair.persons);
        if let Some(s) = inc.stated_after {
            match after {
                // Already reported above.
                Some(p) if p.v > left.v => {}
                Some(p) => self.f.stated_rate(
                    Rule::RegisterIncidence,
                    at("incidence.stated_after"),
                    Some(s),
                    num::percent(left.v - p.v, den),
                    &format!(
                        "计划{}后{}（（{} − {}） 人 ÷ {den} 人）",
                        reg.labels.exit, reg.labels.incidence, left.v, p.v
                    ),
                    None,
                ),
                None => self.f.error(
                    Rule::RegisterIncidence,
                    at("incidence.stated_after"),
                    s.at,
                    "填了计划后的贫困发生率，但没有计划人数（planned.persons）可供核对",
                    Some("在 planned 下写明 persons"),
                ),
            }
        }
    }

    /// A figure against its thresholds (不低于 / 不高于), at the printed
    /// precision: what prints is what is compared.
    fn figure_bounds(&mut self, fig: &Figure) {
        if fig.at_least.is_none() && fig.at_most.is_none() {
            return;
        }
        let at = At {
            file: &fig.loc.file,
            field: &fig.field,
        };
        let Some((value, rate)) = metrics::figure_value(&fig.kind) else {
            let pos = fig
                .at_least
                .or(fig.at_most)
                .map(|b| b.at)
                .unwrap_or_default();
            self.f.error(
                Rule::FigureOption,
                at,
                pos,
                format!("指标“{}”没有单个数值或比率，不能写 at_least、at_most", fig.label),
                Some("界限用于数值、比率、平均数、应/已等指标；合计与分项请给总数或某一项单独写一个指标"),
            );
            return;
        };
        let (value, unit) = if rate {
            (num::round(value, fig.precision), "%")
        } else {
            (value, fig.unit.as_deref().unwrap_or(""))
        };
        // A range (1～2个) reaches a threshold with its lower end and stays
        // under a ceiling with its upper end.
        let top = fig.max.map_or(value, |m| m.v);
        let low = fig
            .at_least
            .filter(|b| value < b.v)
            .map(|b| (b, value, "低于"));
        let high = fig.at_most.filter(|b| top > b.v).map(|b| (b, top, "高于"));
        for (b, v, what) in low.into_iter().chain(high) {
            self.f.error(
                Rule::FigureBound,
                at,
                b.at,
                format!(
                    "指标“{}”为 {}{unit}，{what}所写界限 {}{unit}",
                    fig.label,
                    num::written(v),
                    b.v
                ),
                Some("核对数字；确实未达到时，在文字中如实写明，并删掉 at_least 或 at_most"),
            );
        }
    }

    /// A stated rate against the computed one, at the stated precision.
    fn figure_stated(&mut self, fig: &Figure) {
        let at = At {
            file: &fig.loc.file,
            field: &fig.field,
        };
        let Some(stated) = fig.stated else { return };
        match &fig.kind {
            // Nothing to check it against (listed by check as such).
            FigureKind::StatedRate { .. } => return,
            FigureKind::Average { sum, count, scale } => {
                let Some(avg) = metrics::average(&fig.kind) else {
                    return;
                };
                if !num::agrees(stated.v, avg) {
                    let unit = fig.unit.as_deref().unwrap_or("");
                    let dp = num::scale(stated.v);
                    let how = if *scale == Decimal::ONE {
                        format!("{} ÷ {}", sum.v, count.v)
                    } else {
                        format!("{} × {} ÷ {}", sum.v, scale.normalize(), count.v)
                    };
                    self.f.mismatch(
                        Rule::FigureRate,
                        at,
                        stated.at,
                        format!(
                            "指标“{}”填报 {}{unit}，按数据计算为 {}{unit}（{how} = {}，四舍五入）",
                            fig.label,
                            stated.v,
                            num::fixed(avg, dp),
                            num::fixed(avg, dp + 2),
                        ),
                        fig.ack.as_deref(),
                    );
                }
                return;
            }
            _ => {}
        }
        let Some(computed) = metrics::figure_rate(&fig.kind) else {
            self.f.error(
                Rule::FigureNoRate,
                at,
                stated.at,
                format!("指标“{}”没有可核对的比率，不应填写 stated", fig.label),
                Some("stated 用于比率、计划完成率和应/已指标"),
            );
            return;
        };
        self.f.stated_rate(
            Rule::FigureRate,
            at,
            Some(stated),
            Some(computed),
            &format!("指标“{}”", fig.label),
            fig.ack.as_deref(),
        );
    }

    /// The special funds' lists against their totals, against each other
    /// and against the project list, and the rates they state.
    fn special_arithmetic(
        &mut self,
        file: &Path,
        sp: &Special,
        projects: Option<&Projects>,
        money: &str,
        m: &SpecialTotals,
    ) {
        // Each list of parts that claims to cover the whole against the total.
        for (field, parts) in [("batches", &sp.batches), ("by_source", &sp.by_source)] {
            if !parts.is_empty() {
                self.parts_against_total(At { file, field }, sp, parts, money);
            }
        }
        self.sources_against_batches(file, sp, money);
        self.categories_within_total(file, sp, money, m);
        if let Some(p) = projects.filter(|p| !p.list.is_empty() && !p.incomplete) {
            self.projects_against_parts(file, sp, p, money);
            let at = At {
                file,
                field: "special",
            };
            for (stated, computed, what) in [
                (sp.stated_start_rate, m.start_rate, "开工率"),
                (sp.stated_completion_rate, m.completion_rate, "竣工率"),
                (sp.stated_spending_rate, m.spending_rate, "支出进度"),
            ] {
                self.f
                    .stated_rate(Rule::FundsRate, at, stated, computed, what, None);
            }
        }
        if let Some(share) = m.industry_share {
            self.industry_share(file, sp, share);
        }
    }

    /// A list of parts (batches, sources) against the stated total and the
    /// stated number of projects.
    fn parts_against_total(&mut self, at: At, sp: &Special, parts: &[FundPart], money: &str) {
        let m_ = |d: Decimal| num::with_unit(d, money);
        let sum: Decimal = parts.iter().map(|p| p.amount.v).sum();
        if let Some(t) = sp.stated_total
            && !num::agrees(t.v, sum)
        {
            self.f.mismatch(
                Rule::FundsTotal,
                at,
                t.at,
                format!(
                    "{}合计 {}，与填报总额 {}不符（差 {}）",
                    part_name(at.field),
                    m_(sum),
                    m_(t.v),
                    m_((num::round(sum, num::scale(t.v)) - t.v).abs())
                ),
                None,
            );
        }
        let counts: Vec<Decimal> = parts
            .iter()
            .filter_map(|p| p.projects.map(|n| n.v))
            .collect();
        if let Some(t) = sp.stated_projects
            && counts.len() == parts.len()
        {
            let n: Decimal = counts.iter().sum();
            if n != t.v {
                self.f.mismatch(
                    Rule::FundsTotal,
                    at,
                    t.at,
                    format!(
                        "{}项目合计 {} 个，与填报 {} 个不符（差 {} 个）",
                        part_name(at.field),
                        n,
                        t.v,
                        (n - t.v).abs()
                    ),
                    None,
                );
            }
        }
    }

    /// Without a stated total, the two lists are checked against each other.
    fn sources_against_batches(&mut self, file: &Path, sp: &Special, money: &str) {
        if sp.stated_total.is_some() || sp.batches.is_empty() || sp.by_source.is_empty() {
            return;
        }
        let m_ = |d: Decimal| num::with_unit(d, money);
        let a: Decimal = sp.batches.iter().map(|p| p.amount.v).sum();
        let b: Decimal = sp.by_source.iter().map(|p| p.amount.v).sum();
        if a != b {
            self.f.error(
                Rule::FundsTotal,
                At {
                    file,
                    field: "by_source",
                },
                sp.by_source[0].amount.at,
                format!(
                    "按来源合计 {}，与按批次合计 {}不符（差 {}）",
                    m_(b),
                    m_(a),
                    m_((b - a).abs())
                ),
                None,
            );
        }
    }

    /// Category amounts cannot exceed the whole.
    fn categories_within_total(
        &mut self,
        file: &Path,
        sp: &Special,
        money: &str,
        m: &SpecialTotals,
    ) {
        let m_ = |d: Decimal| num::with_unit(d, money);
        let cat_sum: Decimal = sp.by_category.iter().map(|p| p.amount.v).sum();
        if let Some(total) = m.total
            && cat_sum > total
        {
            self.f.error(
                Rule::FundsCategories,
                At {
                    file,
                    field: "by_category",
                },
                sp.by_category[0].amount.at,
                format!(
                    "按类别合计 {}，超过资金总额 {}（多 {}）",
                    m_(cat_sum),
                    m_(total),
                    m_(cat_sum - total)
                ),
                None,
            );
        }
    }

    /// The project list against the batch and category amounts and counts.
    fn projects_against_parts(&mut self, file: &Path, sp: &Special, p: &Projects, money: &str) {
        let m_ = |d: Decimal| num::with_unit(d, money);
        let batch_pairs = sp.batches.iter().map(|b| (b, "batches", "批次"));
        let cat_pairs = sp.by_category.iter().map(|b| (b, "by_category", "类别"));
        for (part, field, kind) in batch_pairs.chain(cat_pairs) {
            let at = At { file, field };
            let of: Vec<&Project> = p
                .list
                .iter()
                .filter(|x| {
                    if kind == "批次" {
                        x.batch.as_deref() == Some(part.name.as_str())
                    } else {
                        x.category == part.name
                    }
                })
                .collect();
            let sum: Decimal = of.iter().map(|x| x.budget.v).sum();
            if sum != part.amount.v {
                self.f.error(
                    Rule::FundsProjects,
                    at,
                    part.amount.at,
                    format!(
                        "项目清单中{kind}“{}”的项目资金合计 {}，与此处 {}不符（差 {}）",
                        part.name,
                        m_(sum),
                        m_(part.amount.v),
                        m_((sum - part.amount.v).abs())
                    ),
                    Some("项目清单（projects.yaml）与资金表应出自同一套数据"),
                );
            }
            if let Some(n) = part.projects
                && Decimal::from(of.len()) != n.v
            {
                self.f.error(
                    Rule::FundsProjects,
                    at,
                    n.at,
                    format!(
                        "项目清单中{kind}“{}”有 {} 个项目，此处写 {} 个（差 {} 个）",
                        part.name,
                        of.len(),
                        n.v,
                        (Decimal::from(of.len()) - n.v).abs()
                    ),
                    None,
                );
            }
        }
    }

    /// The industry category's share of the funds: as stated, and not below
    /// the share required.
    fn industry_share(&mut self, file: &Path, sp: &Special, share: Decimal) {
        let at = At {
            file,
            field: "special",
        };
        self.f.stated_rate(
            Rule::FundsRate,
            at,
            sp.stated_industry_share,
            Some(share),
            "产业项目资金占比",
            None,
        );
        if share < sp.industry_min_share {
            let pos = sp
                .stated_industry_share
                .map(|n| n.at)
                .or_else(|| sp.by_category.first().map(|p| p.amount.at))
                .unwrap_or_default();
            self.f.warn(
                Rule::FundsIndustryShare,
                at,
                pos,
                format!(
                    "{}资金占比 {}%，低于要求的 {}%",
                    sp.industry_category,
                    num::fixed(share, 1),
                    sp.industry_min_share
                ),
                Some("产业发展资金占比应达到上级规定的比例"),
            );
        }
    }
}

/// Years between the first recorded exit and the report year (exclusive)
/// that have no exits: the likeliest cause of a register that does not close.
fn missing_exit_years(reg: &Register, year: i32) -> Vec<i32> {
    let Some(first) = reg.exits.iter().map(|e| e.from.unwrap_or(e.year)).min() else {
        return Vec::new();
    };
    (first..year)
        .filter(|y| !reg.exits.iter().any(|e| e.covers(*y)))
        .collect()
}

fn part_name(field: &str) -> &'static str {
    match field {
        "batches" => "各批次",
        "by_source" => "各来源",
        _ => "各分项",
    }
}

/// One dimension (户 or 人) of the register reconciliation.
struct Dim {
    unit: &'static str,
    base: Decimal,
    done: Decimal,
    stated: Decimal,
    gap: Decimal,
    adjusted_gap: Decimal,
    net: Option<Decimal>,
}

impl Dim {
    /// Per dimension the register gives in full: baseline, cumulative
    /// exits (`cum`), stated remaining, the gap before adjustments (`net`)
    /// and the gap after them.
    fn of(reg: &Register, cum: Sum2, net: Sum2, rem: &Remaining) -> Vec<Dim> {
        let mut dims = Vec::new();
        for (unit, base, done, net, stated) in [
            (
                "户",
                reg.baseline.households,
                cum.households,
                net.households,
                rem.pair.households,
            ),
            (
                "人",
                reg.baseline.persons,
                cum.persons,
                net.persons,
                rem.pair.persons,
            ),
        ] {
            if let (Some(b), Some(d), Some(s)) = (base, done, stated) {
                let gap = b.v - d - s.v;
                dims.push(Dim {
                    unit,
                    base: b.v,
                    done: d,
                    stated: s.v,
                    gap,
                    adjusted_gap: gap + net.unwrap_or_default(),
                    net,
                });
            }
        }
        dims
    }
}

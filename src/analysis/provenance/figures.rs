//! The office's own figures (measures.yaml, funds.yaml, plan.yaml's
//! targets) and their parts, and the year-on-year changes (同比).

use rust_decimal::Decimal;

use super::{cited, put, ratio};
use crate::analysis::metrics::{self, YearMetrics, Yoy};
use crate::diag::rule::Rule;
use crate::model::cite::{Builtin, CiteTable, Headline, Name, Part};
use crate::model::provenance::{Ack, Derivation, Op, Operand, Role, Source};
use crate::model::raw::N;
use crate::model::{Figure, FigureKind, Units, Year, num};

/// One figure's derivation under `main` (its label, or `目标.<label>`), and
/// with `main` its label, those of its parts.
pub(super) fn annotate(c: &mut CiteTable, y: i32, fig: &Figure, money_unit: &str, main: Name) {
    let parts = matches!(main, Name::Figure(_));
    let f = Fig { fig, y, parts };
    let mut checks = Vec::new();
    if fig.at_least.is_some() || fig.at_most.is_some() {
        checks.push(Rule::FigureBound);
    }
    let d = match &fig.kind {
        FigureKind::Value { value } => {
            let mut values = vec![value.v];
            values.extend(fig.max.map(|m| m.v));
            let o = Operand::new(c.key(main), printed(c, main), values).at(f.at(*value));
            Some(Derivation::datum(y, o))
        }
        FigureKind::Plan { value, plan } => {
            f.plan(c, *value, *plan);
            let o = f.number(c.key(main), *value);
            Some(Derivation::datum(y, o))
        }
        FigureKind::Ratio {
            numerator,
            denominator,
            numerator_label,
            denominator_label,
        } => {
            f.part(c, Part::Numerator, *numerator);
            f.part(c, Part::Denominator, *denominator);
            let top = f.operand(c, numerator_label.as_deref(), Part::Numerator, *numerator);
            let bottom = f.operand(
                c,
                denominator_label.as_deref(),
                Part::Denominator,
                *denominator,
            );
            checks.extend([Rule::FigureZero, Rule::FigureOver]);
            f.rate(vec![top, bottom.role(Role::Over)])
        }
        FigureKind::Triple {
            should,
            done,
            undone,
        } => {
            f.triple(c, *should, *done, *undone);
            let top = f.operand(c, None, Part::Done, *done);
            let bottom = f.operand(c, None, Part::Should, *should);
            checks.extend([Rule::FigureZero, Rule::FigureOver]);
            f.rate(vec![top, bottom.role(Role::Over)])
        }
        FigureKind::Change { from, to } => {
            f.part(c, Part::From, *from);
            f.part(c, Part::To, *to);
            let o = Operand::new(c.key(main), printed(c, main), vec![from.v, to.v]).at(f.at(*from));
            Some(Derivation::datum(y, o))
        }
        FigureKind::Average { sum, count, scale } => {
            checks.push(Rule::FigureZero);
            f.average(*sum, *count, *scale)
        }
        FigureKind::StatedRate { stated } => {
            let o = Operand::new(c.key(main), printed(c, main), vec![stated.v]).at(f.at(*stated));
            let d = Derivation::of(y, Op::Stated, vec![o], vec![stated.v]);
            Some(d.checked_by(&[Rule::FigureUnchecked]))
        }
        FigureKind::Total { total, breakdowns } => {
            Some(f.total(c, main, total, breakdowns, money_unit))
        }
    };
    if let Some(d) = d {
        put(c, main, d.checked_by(&checks));
    }
    if parts {
        for (p, bound) in [(Part::AtLeast, fig.at_least), (Part::AtMost, fig.at_most)] {
            if let Some(n) = bound {
                let name = Name::FigurePart(&fig.label, p);
                let o = Operand::new(c.key(name), printed(c, name), vec![n.v]).at(f.at(n));
                put(
                    c,
                    name,
                    Derivation::datum(y, o).checked_by(&[Rule::FigureBound]),
                );
            }
        }
    }
}

/// A name's text as it prints.
fn printed(c: &CiteTable, name: Name) -> String {
    c.get(name).unwrap_or_default().to_string()
}

struct Fig<'a> {
    fig: &'a Figure,
    y: i32,
    /// Whether its parts are names of the table (not for a plan target).
    parts: bool,
}

impl Fig<'_> {
    fn at(&self, n: N) -> Source {
        Source::at(&self.fig.loc.file, n.at.line, 2)
    }

    fn unit(&self) -> &str {
        self.fig.unit.as_deref().unwrap_or("")
    }

    /// A number of the figure as an operand.
    fn number(&self, label: String, n: N) -> Operand {
        Operand::new(label, format!("{}{}", n.v, self.unit()), vec![n.v]).at(self.at(n))
    }

    /// One of its parts as an operand: `label` (the data's own name for
    /// it) or the part's name in the table.
    fn operand(&self, c: &CiteTable, label: Option<&str>, p: Part, n: N) -> Operand {
        let name = Name::FigurePart(&self.fig.label, p);
        let label = label.map_or_else(|| c.key(name), str::to_string);
        let o = self.number(label, n);
        if self.parts { cited(c, o, name) } else { o }
    }

    /// A part as written, into the table.
    fn part(&self, c: &mut CiteTable, p: Part, n: N) {
        self.part_with(c, p, n, &[]);
    }

    fn part_with(&self, c: &mut CiteTable, p: Part, n: N, checks: &[Rule]) {
        if !self.parts {
            return;
        }
        let name = Name::FigurePart(&self.fig.label, p);
        let o = self.number(c.key(name), n);
        put(c, name, Derivation::datum(self.y, o).checked_by(checks));
    }

    /// The figure's rate from its operands, checked against what the
    /// office states, acknowledged where it says so.
    fn rate(&self, operands: Vec<Operand>) -> Option<Derivation> {
        let fig = self.fig;
        let d = ratio(self.y, operands, fig.precision)?;
        let Some(stated) = fig.stated else {
            return Some(d);
        };
        let mut d = d;
        let mut written = self.number("所填比率".into(), stated);
        written.text = format!("{}%", stated.v);
        d.stated = Some(written);
        let computed = d.result[0];
        let ack = (!num::agrees(stated.v, computed))
            .then_some(fig.ack.as_ref())
            .flatten();
        let ack = ack.map(|why| Ack {
            published: format!("{}%", stated.v),
            computed: metrics::pct(computed, fig.precision),
            reason: why.clone(),
            rule: Rule::FigureRate,
        });
        Some(d.checked_by(&[Rule::FigureRate]).acknowledged(ack))
    }

    /// 计划 and 完成率 of a figure against its plan.
    fn plan(&self, c: &mut CiteTable, value: N, plan: N) {
        self.part(c, Part::Plan, plan);
        if !self.parts {
            return;
        }
        let top = cited(
            c,
            self.number(self.fig.label.clone(), value),
            Name::Figure(&self.fig.label),
        );
        let bottom = self.operand(c, None, Part::Plan, plan).role(Role::Over);
        if let Some(d) = self.rate(vec![top, bottom]) {
            let name = Name::FigurePart(&self.fig.label, Part::Rate);
            put(c, name, d.checked_by(&[Rule::FigureZero]));
        }
    }

    /// 应, 已 and 未 = 应 − 已.
    /// 应 − 已 = 未; a stated 未 is checked against it (and prints as
    /// stated: with `ack`, even where it is another number).
    fn triple(&self, c: &mut CiteTable, should: N, done: N, undone: Option<N>) {
        self.part_with(c, Part::Should, should, &[Rule::FigureTriple]);
        self.part_with(c, Part::Done, done, &[Rule::FigureTriple, Rule::FigureOver]);
        if !self.parts {
            return;
        }
        let ops = vec![
            self.operand(c, None, Part::Should, should),
            self.operand(c, None, Part::Done, done).role(Role::Minus),
        ];
        let computed = should.v - done.v;
        let mut d = Derivation::of(self.y, Op::Sum, ops, vec![computed]);
        if let Some(u) = undone {
            d.stated = Some(self.number("所填数".into(), u));
            if u.v != computed
                && let Some(why) = &self.fig.ack
            {
                d.ack = Some(Ack {
                    published: format!("{}{}", u.v, self.unit()),
                    computed: format!("{computed}{}", self.unit()),
                    reason: why.clone(),
                    rule: Rule::FigureTriple,
                });
            }
        }
        let name = Name::FigurePart(&self.fig.label, Part::Undone);
        put(c, name, d.checked_by(&[Rule::FigureTriple]));
    }

    /// sum × scale ÷ count.
    fn average(&self, sum: N, count: N, scale: Decimal) -> Option<Derivation> {
        let fig = self.fig;
        let avg = metrics::average(&fig.kind)?;
        let ops = vec![
            Operand::new("合计", sum.v.to_string(), vec![sum.v]).at(self.at(sum)),
            Operand::new("户数或人数", count.v.to_string(), vec![count.v])
                .at(self.at(count))
                .role(Role::Over),
        ];
        let d =
            Derivation::of(self.y, Op::Average { scale }, ops, vec![avg]).rounded(fig.precision);
        let Some(stated) = fig.stated else {
            return Some(d);
        };
        let mut d = d;
        d.stated = Some(self.number("所填数".into(), stated));
        let dp = num::scale(stated.v);
        let ack = (!num::agrees(stated.v, avg))
            .then_some(fig.ack.as_ref())
            .flatten();
        let ack = ack.map(|why| Ack {
            published: format!("{}{}", stated.v, self.unit()),
            computed: format!("{}{}", num::fixed(avg, dp), self.unit()),
            reason: why.clone(),
            rule: Rule::FigureRate,
        });
        Some(d.checked_by(&[Rule::FigureRate]).acknowledged(ack))
    }

    /// A total: the sum of its first full breakdown's parts (each
    /// breakdown is checked to add up to it); its parts into the table.
    fn total(
        &self,
        c: &mut CiteTable,
        main: Name,
        total: &crate::model::Tally,
        breakdowns: &[crate::model::Breakdown],
        money_unit: &str,
    ) -> Derivation {
        let fig = self.fig;
        let whole = Units::of(fig.unit.as_deref(), money_unit);
        let file = &fig.loc.file;
        let mut whole_op = super::tally(c.key(main), total, whole, file);
        whole_op.text = printed(c, main);
        if self.parts {
            for p in breakdowns.iter().flat_map(|b| &b.parts) {
                let name = Name::FigureBreakdown(&fig.label, &p.name);
                let mut o = super::tally(c.key(name), &p.tally, p.units(whole), file);
                o.text = printed(c, name);
                put(
                    c,
                    name,
                    Derivation::datum(self.y, o).checked_by(&[Rule::BreakdownSum]),
                );
            }
        }
        let Some(first) = breakdowns.iter().find(|b| !b.subset) else {
            return Derivation::datum(self.y, whole_op);
        };
        let ops: Vec<Operand> = first
            .parts
            .iter()
            .map(|p| {
                let mut o = super::tally(&p.name, &p.in_units_of(whole), p.units(whole), file);
                o.text = metrics::tally_text(&p.tally, p.units(whole));
                if self.parts {
                    o = cited(c, o, Name::FigureBreakdown(&fig.label, &p.name));
                }
                o
            })
            .collect();
        let others: Vec<&str> = breakdowns
            .iter()
            .filter(|b| !std::ptr::eq(*b, first))
            .map(|b| b.by.as_str())
            .collect();
        let mut d = Derivation::of(self.y, Op::Sum, ops, whole_op.values.clone())
            .checked_by(&[Rule::BreakdownSum])
            .noted(note(&first.by, &others));
        if let Some(why) = &fig.ack {
            // The parts' own sum: the total prints as stated beside it.
            if d.operands.iter().all(|o| o.values.len() == d.result.len()) {
                d.result = (0..d.result.len())
                    .map(|i| d.operands.iter().map(|o| o.values[i]).sum())
                    .collect();
            }
            d.ack = Some(Ack {
                published: whole_op.text.clone(),
                computed: parts_sum(first, whole),
                reason: why.clone(),
                rule: Rule::BreakdownSum,
            });
        }
        d.stated = Some(whole_op);
        d
    }
}

/// How a total is checked: by which breakdown it is shown, and which others
/// were checked too.
fn note(by: &str, others: &[&str]) -> String {
    let by = if by.is_empty() { "分项" } else { by };
    if others.is_empty() {
        format!("总数与按{by}的分项之和核对")
    } else {
        format!(
            "总数与按{by}的分项之和核对；按{}的分项也核对相符",
            others.join("、")
        )
    }
}

/// The parts' sum, as a tally's text.
fn parts_sum(b: &crate::model::Breakdown, whole: Units) -> String {
    let mut sum = crate::model::Tally::default();
    let add = |a: &mut Option<N>, n: Option<N>| {
        if let Some(n) = n {
            let v = a.map_or(Decimal::ZERO, |x| x.v) + n.v;
            *a = Some(N { v, at: n.at });
        }
    };
    for p in &b.parts {
        let t = p.in_units_of(whole);
        add(&mut sum.households, t.households);
        add(&mut sum.persons, t.persons);
        add(&mut sum.count, t.count);
        add(&mut sum.value, t.value);
        add(&mut sum.amount, t.amount);
    }
    metrics::tally_text(&sum, whole)
}

/// `同比.<headline>`: this year's against last year's, each at the lines
/// of its own derivation in its year's table.
pub(super) fn headline_change(
    c: &mut CiteTable,
    (year, prev): (&Year, Option<(&Year, &YearMetrics)>),
    yoy: &Yoy,
) {
    let (pv, cv) = yoy.values;
    let y = year.year;
    let what = yoy.label.strip_prefix("本年").unwrap_or(&yoy.label);
    let cur = headline_source(c, year, yoy.which);
    let last = prev.and_then(|(p, pm)| headline_source(&pm.cite, p, yoy.which));
    let with = |o: Operand, at: Option<Source>| match at {
        Some(at) => o.at(at),
        None => o,
    };
    let ops = vec![
        with(
            Operand::new(format!("{}年{what}", y - 1), yoy.prev.clone(), vec![pv]),
            last,
        ),
        with(
            Operand::new(format!("{y}年{what}"), yoy.cur.clone(), vec![cv]),
            cur,
        ),
    ];
    if let Some(d) = change(y, ops, pv, cv, yoy.is_rate) {
        put(
            c,
            Name::Change(yoy.which),
            d.noted("两年的数字各见当年的核对表"),
        );
    }
}

/// The names a headline figure is cited by (本年脱贫 when confirmed, or
/// as planned).
pub(crate) fn headline_names(which: Headline) -> impl Iterator<Item = Name<'static>> {
    let names: &[Builtin] = match which {
        Headline::ReducedPersons => &[Builtin::ThisYear, Builtin::ThisYearPlanned],
        Headline::RemainingPersons => &[Builtin::Remaining],
        Headline::Incidence => &[Builtin::Incidence],
        Headline::SpecialFunds => &[Builtin::SpecialFunds],
        Headline::Projects => &[Builtin::Projects],
    };
    names.iter().map(|b| Name::Builtin(*b))
}

/// Where a year's headline figure is written: the lines of its derivation
/// in the year's table, or the file it is made from.
fn headline_source(c: &CiteTable, year: &Year, which: Headline) -> Option<Source> {
    let how = headline_names(which)
        .filter_map(|n| c.find(&c.key(n)))
        .find_map(|f| f.how);
    how.and_then(|d| Source::span(d.sources()))
        .or_else(|| headline_file(year, which).map(|f| Source::at(f, 0, 2)))
}

/// The file a year's headline figure is made from: the register, or the
/// funds.
fn headline_file(year: &Year, which: Headline) -> Option<&std::path::Path> {
    match which {
        Headline::ReducedPersons | Headline::RemainingPersons | Headline::Incidence => {
            year.register.as_ref().map(|r| r.file.as_path())
        }
        Headline::SpecialFunds | Headline::Projects => {
            year.funds.as_ref().map(|f| f.file.as_path())
        }
    }
}

/// `同比.<指标名>`: an office figure against last year's of the same name.
pub(super) fn figure_changes(c: &mut CiteTable, year: &Year, prev: &Year, last: &CiteTable) {
    let y = year.year;
    for fig in year.figures() {
        let Some(old) = prev
            .figures()
            .find(|f| f.label == fig.label && f.unit == fig.unit)
        else {
            continue;
        };
        let (Some((a, ra)), Some((b, rb))) = (
            metrics::figure_value(&old.kind),
            metrics::figure_value(&fig.kind),
        ) else {
            continue;
        };
        if ra != rb {
            continue;
        }
        let text = |t: &CiteTable, f: &Figure| printed(t, Name::Figure(&f.label));
        let at = |f: &Figure| Source::at(&f.loc.file, f.loc.pos.line, 2);
        let ops = vec![
            Operand::new(
                format!("{}年{}", prev.year, old.label),
                text(last, old),
                vec![a],
            )
            .at(at(old))
            .cited_as(format!("上年.{}", fig.label)),
            cited(
                c,
                Operand::new(format!("{y}年{}", fig.label), text(c, fig), vec![b]).at(at(fig)),
                Name::Figure(&fig.label),
            ),
        ];
        if let Some(d) = change(y, ops, a, b, ra) {
            put(c, Name::FigureChange(&fig.label), d);
        }
    }
}

/// A change from `a` (last year's) to `b`: in 个百分点 for rates, else in
/// % of last year's; none when last year's is 0.
fn change(y: i32, ops: Vec<Operand>, a: Decimal, b: Decimal, points: bool) -> Option<Derivation> {
    let r = if points {
        b - a
    } else {
        num::percent(b - a, a)?
    };
    Some(Derivation::of(y, Op::Change { points }, ops, vec![r]).rounded(1))
}

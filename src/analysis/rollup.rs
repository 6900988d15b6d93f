//! Roll-up: a county (or city) office that lists its townships (`units:` in
//! office.yaml) gets their sums as citable names (`下辖合计.…`), and where it
//! states the same figure itself, the figure is checked against the sum,
//! the finding naming each township's figure at its file and line. Pure:
//! the townships come checked, as models with their metrics.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::analysis::metrics::{Sum2, YearMetrics, pair_text};
use crate::diag::rule::Rule;
use crate::diag::{Diagnostic, Pos};
use crate::model::cite::{Labels, Name};
use crate::model::provenance::{Derivation, Op, Operand, Source};
use crate::model::{Office, Pair, Year, money_factor};

/// A township as the county sums it.
pub(crate) struct Unit<'a> {
    pub(crate) office: &'a Office,
    pub(crate) metrics: &'a [YearMetrics],
}

/// One township's share of a sum: its name, value and where it is.
struct Share {
    name: String,
    text: String,
    file: PathBuf,
    pos: Pos,
}

/// An office as the roll-up orders it: where it is among the offices
/// found, and the units its office.yaml lists.
pub(crate) struct Listed<'a> {
    pub(crate) index: usize,
    pub(crate) slug: &'a str,
    pub(crate) file: PathBuf,
    pub(crate) units: &'a [(String, Pos)],
}

/// The order of the roll-up: levels of offices (by index), each summing
/// only offices of earlier levels; each office's units that can be summed
/// (by index); and the findings about the lists, per office.
#[derive(Default)]
pub(crate) struct Order {
    pub(crate) levels: Vec<Vec<usize>>,
    pub(crate) units: BTreeMap<usize, Vec<usize>>,
    pub(crate) findings: Vec<(usize, Vec<Diagnostic>)>,
}

/// Check every list of units (each there, not the office itself, listed
/// once, no cycle at any depth: the chain is named) and order the offices
/// so that townships come before the counties that sum them. `all` are the
/// folder names of every office found.
pub(crate) fn order(listed: &[Listed], all: &[&str]) -> Order {
    let mut order = Order::default();
    let at: BTreeMap<&str, usize> = listed.iter().map(|l| (l.slug, l.index)).collect();
    let mut edges: BTreeMap<usize, Vec<(usize, Pos)>> = BTreeMap::new();
    for l in listed {
        let mut found = Vec::new();
        let mut seen = Vec::new();
        for (slug, pos) in l.units {
            let problem = if slug == l.slug {
                Some(format!("下辖单位“{slug}”就是本单位"))
            } else if seen.contains(&slug) {
                Some(format!("下辖单位“{slug}”列了两次"))
            } else if !all.contains(&slug.as_str()) {
                Some(format!("下辖单位“{slug}”在数据目录中没有"))
            } else {
                None
            };
            seen.push(slug);
            match (problem, at.get(slug.as_str())) {
                (Some(message), _) => found.push(unit_finding(message, &l.file, *pos)),
                (None, Some(&j)) => edges.entry(l.index).or_default().push((j, *pos)),
                (None, None) => {}
            }
        }
        order.findings.push((l.index, found));
    }
    let cycles = cycles(&edges);
    for l in listed {
        let Some(out) = edges.get(&l.index) else {
            continue;
        };
        let mut ok = Vec::new();
        for &(j, pos) in out {
            match cycles.get(&(l.index, j)) {
                Some(chain) => {
                    let names: Vec<&str> = chain.iter().map(|&k| slug_of(listed, k)).collect();
                    let message = format!("下辖单位形成循环：{}", names.join(" → "));
                    if let Some((_, f)) = order.findings.iter_mut().find(|(i, _)| *i == l.index) {
                        f.push(unit_finding(message, &l.file, pos));
                    }
                }
                None => ok.push(j),
            }
        }
        order.units.insert(l.index, ok);
    }
    order.levels = levels(listed, &order.units);
    order
}

/// A finding about a list of units, at the entry.
fn unit_finding(message: String, file: &Path, pos: Pos) -> Diagnostic {
    Diagnostic::error(Rule::RollupUnit, message)
        .at(file, pos)
        .field("units")
        .hint("units 里写 data 下其他单位的文件夹名，如 [dong-zhen, xi-xiang]；下辖单位不能再（直接或间接）把本单位列为下辖单位")
}

fn slug_of<'a>(listed: &[Listed<'a>], index: usize) -> &'a str {
    listed
        .iter()
        .find(|l| l.index == index)
        .map_or("", |l| l.slug)
}

/// Every edge that lies on a cycle, with the cycle as a chain that starts
/// and ends at the edge's source (`a → b → c → a`). An edge is on a cycle
/// when both its ends are in one strongly connected component.
fn cycles(edges: &BTreeMap<usize, Vec<(usize, Pos)>>) -> BTreeMap<(usize, usize), Vec<usize>> {
    let component = components(edges);
    let mut on_cycle = BTreeMap::new();
    for (&from, out) in edges {
        for &(to, _) in out {
            if component.get(&from) != component.get(&to) {
                continue;
            }
            if let Some(mut path) = path_back(edges, to, from) {
                path.insert(0, from);
                on_cycle.insert((from, to), path);
            }
        }
    }
    on_cycle
}

/// The strongly connected component of every node (Tarjan's algorithm,
/// without recursion: a long chain of units cannot overflow the stack).
fn components(edges: &BTreeMap<usize, Vec<(usize, Pos)>>) -> BTreeMap<usize, usize> {
    #[derive(Default)]
    struct Tarjan {
        index: BTreeMap<usize, usize>,
        low: BTreeMap<usize, usize>,
        stack: Vec<usize>,
        on_stack: std::collections::BTreeSet<usize>,
        component: BTreeMap<usize, usize>,
    }
    let mut t = Tarjan::default();
    for &root in edges.keys() {
        if t.index.contains_key(&root) {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(root, 0usize)];
        while let Some((v, k)) = work.pop() {
            if k == 0 {
                let n = t.index.len();
                t.index.insert(v, n);
                t.low.insert(v, n);
                t.stack.push(v);
                t.on_stack.insert(v);
            }
            let out = edges.get(&v).map_or(&[][..], Vec::as_slice);
            if let Some(&(w, _)) = out.get(k) {
                work.push((v, k + 1));
                if !t.index.contains_key(&w) {
                    work.push((w, 0));
                } else if t.on_stack.contains(&w) {
                    let low = t.low[&v].min(t.index[&w]);
                    t.low.insert(v, low);
                }
                continue;
            }
            // Every edge of v done: close its component, pass its low up.
            if t.low[&v] == t.index[&v] {
                while let Some(w) = t.stack.pop() {
                    t.on_stack.remove(&w);
                    t.component.insert(w, v);
                    if w == v {
                        break;
                    }
                }
            }
            if let Some(&(parent, _)) = work.last() {
                let low = t.low[&parent].min(t.low[&v]);
                t.low.insert(parent, low);
            }
        }
    }
    t.component
}

/// A path from `start` to `goal` (both included), breadth first.
fn path_back(
    edges: &BTreeMap<usize, Vec<(usize, Pos)>>,
    start: usize,
    goal: usize,
) -> Option<Vec<usize>> {
    let mut came_from: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    let mut seen = std::collections::BTreeSet::from([start]);
    while let Some(n) = queue.pop_front() {
        if n == goal {
            let mut path = vec![n];
            let mut at = n;
            while let Some(&p) = came_from.get(&at) {
                path.push(p);
                at = p;
            }
            path.reverse();
            return Some(path);
        }
        for &(m, _) in edges.get(&n).into_iter().flatten() {
            if seen.insert(m) {
                came_from.insert(m, n);
                queue.push_back(m);
            }
        }
    }
    None
}

/// Offices by level: an office with no units to sum is level 0, any other
/// one more than the highest of its units (no cycle is left to sum).
fn levels(listed: &[Listed], units: &BTreeMap<usize, Vec<usize>>) -> Vec<Vec<usize>> {
    let mut placed: BTreeMap<usize, usize> = BTreeMap::new();
    let mut pending: Vec<usize> = listed.iter().map(|l| l.index).collect();
    let mut out: Vec<Vec<usize>> = Vec::new();
    while !pending.is_empty() {
        let n = out.len();
        let (ready, rest): (Vec<usize>, Vec<usize>) = pending.into_iter().partition(|i| {
            units
                .get(i)
                .into_iter()
                .flatten()
                .all(|j| placed.get(j).is_some_and(|&l| l < n))
        });
        if ready.is_empty() {
            // Only possible with a cycle, which has no edges left here.
            out.push(rest);
            break;
        }
        for &i in &ready {
            placed.insert(i, n);
        }
        out.push(ready);
        pending = rest;
    }
    out
}

/// A 户/人 figure of a register, read off a year, and its label.
type PairOf = fn(&Year) -> Option<(Pair, PathBuf)>;
type LabelOf = fn(&Labels) -> String;

/// The register figures that add up over townships, by their label.
fn pairs() -> [(LabelOf, PairOf); 3] {
    [
        (
            |l| l.baseline.clone(),
            |y| y.register.as_ref().map(|r| (r.baseline, r.file.clone())),
        ),
        (
            |l| l.remaining.clone(),
            |y| {
                let r = y.register.as_ref()?;
                r.remaining.as_ref().map(|x| (x.pair, r.file.clone()))
            },
        ),
        (
            |l| l.current.clone(),
            |y| {
                let r = y.register.as_ref()?;
                r.current.map(|c| (c, r.file.clone()))
            },
        ),
    ]
}

/// Put the townships' sums into each year's table, and check the
/// county's own figures against them.
pub(crate) fn roll_up(
    county: &Office,
    metrics: &mut [YearMetrics],
    units: &[Unit],
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (year, m) in county.years.iter().zip(metrics.iter_mut()) {
        let theirs: Vec<(&Office, &Year, &YearMetrics)> = units
            .iter()
            .filter_map(|u| {
                let i = u.office.years.iter().position(|y| y.year == year.year)?;
                Some((u.office, &u.office.years[i], u.metrics.get(i)?))
            })
            .collect();
        // Summed only over every township: a sum of some is no total.
        if theirs.is_empty() || theirs.len() != units.len() {
            continue;
        }
        let labels = m.cite.labels().clone();
        for (label, get) in pairs() {
            let label = label(&labels);
            let Some(parts) = theirs
                .iter()
                .map(|(o, y, _)| get(y).map(|(p, f)| (*o, p, f)))
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            let sum = add(parts.iter().map(|(_, p, _)| Sum2::of(p)));
            m.cite.put(Name::Rollup(&label), pair_text(sum));
            let values: Vec<Vec<Decimal>> = parts
                .iter()
                .map(|(_, p, _)| dims(Sum2::of(p), sum))
                .collect();
            let shares: Vec<Share> = parts
                .iter()
                .map(|(o, p, f)| Share {
                    name: o.short_name.clone(),
                    text: pair_text(Sum2::of(p)),
                    file: f.clone(),
                    pos: p.persons.or(p.households).map_or(Pos::default(), |n| n.at),
                })
                .collect();
            let name = Name::Rollup(&label);
            explain(m, (year.year, name), &shares, &values, dims(sum, sum));
            if let Some((own, file)) = get(year) {
                let stated = Sum2::of(&own);
                if differs(stated, sum) {
                    let at = own
                        .persons
                        .or(own.households)
                        .map_or(Pos::default(), |n| n.at);
                    found.push(mismatch(
                        &label,
                        &pair_text(stated),
                        &pair_text(sum),
                        &shares,
                        &file,
                        at,
                    ));
                }
            }
        }
        let years: Vec<(&Office, &Year)> = theirs.iter().map(|(o, y, _)| (*o, *y)).collect();
        projects(year, m, &years, &mut found);
        funds(year, m, &theirs, &mut found);
    }
    found
}

/// The special funds (专项资金, 衔接资金 …) over the townships' batches.
fn funds(
    year: &Year,
    m: &mut YearMetrics,
    theirs: &[(&Office, &Year, &YearMetrics)],
    found: &mut Vec<Diagnostic>,
) {
    let unit = year.money_unit().to_string();
    let Some(to) = money_factor(&unit) else {
        return;
    };
    let mut sum = Decimal::ZERO;
    let mut shares = Vec::new();
    let mut values = Vec::new();
    for (o, y, their) in theirs {
        let Some(total) = their.special.as_ref().and_then(|s| s.total) else {
            return;
        };
        let amount = total * money_factor(y.money_unit()).unwrap_or(Decimal::ONE) / to;
        sum += amount;
        values.push(vec![amount]);
        shares.push(Share {
            name: o.short_name.clone(),
            text: format!("{}{unit}", amount.normalize()),
            file: y.dir.join("funds.yaml"),
            pos: Pos::default(),
        });
    }
    m.cite.put(
        Name::Rollup("专项资金"),
        format!("{}{unit}", sum.normalize()),
    );
    let name = Name::Rollup("专项资金");
    explain(m, (year.year, name), &shares, &values, vec![sum]);
    if let Some(own) = m.special.as_ref().and_then(|s| s.total)
        && own != sum
    {
        let file = year.dir.join("funds.yaml");
        let stated = format!("{}{unit}", own.normalize());
        let total = format!("{}{unit}", sum.normalize());
        found.push(mismatch(
            "专项资金",
            &stated,
            &total,
            &shares,
            &file,
            Pos::default(),
        ));
    }
}

/// Project counts and money over the townships' lists.
fn projects(
    year: &Year,
    m: &mut YearMetrics,
    theirs: &[(&Office, &Year)],
    found: &mut Vec<Diagnostic>,
) {
    let unit = year.money_unit().to_string();
    let Some(to) = money_factor(&unit) else {
        return;
    };
    let mut count = 0usize;
    let mut budget = Decimal::ZERO;
    let mut shares = Vec::new();
    let mut each = Vec::new();
    for (o, y) in theirs {
        let Some(p) = y.projects.as_ref().filter(|p| !p.incomplete) else {
            return;
        };
        let factor = money_factor(y.money_unit()).unwrap_or(Decimal::ONE) / to;
        let b: Decimal = p.list.iter().map(|x| x.budget.v * factor).sum();
        count += p.list.len();
        budget += b;
        each.push((p.list.len(), b));
        shares.push(Share {
            name: o.short_name.clone(),
            text: format!("{}个、{}{unit}", p.list.len(), b.normalize()),
            file: y.dir.join("projects.yaml"),
            pos: Pos::default(),
        });
    }
    m.cite.put(Name::Rollup("项目个数"), format!("{count}个"));
    m.cite.put(
        Name::Rollup("项目资金"),
        format!("{}{unit}", budget.normalize()),
    );
    explain_projects(m, year.year, &shares, &each, &unit);
    if let Some(own) = year.projects.as_ref().filter(|p| !p.incomplete) {
        let own_budget: Decimal = own.list.iter().map(|x| x.budget.v).sum();
        if own.list.len() != count || own_budget != budget {
            let file = year.dir.join("projects.yaml");
            let stated = format!("{}个、{}{unit}", own.list.len(), own_budget.normalize());
            let sum = format!("{count}个、{}{unit}", budget.normalize());
            found.push(mismatch(
                "项目",
                &stated,
                &sum,
                &shares,
                &file,
                Pos::default(),
            ));
        }
    }
}

/// A 户/人 figure's numbers in the dimensions `of` gives (a sum gives
/// those every part gives).
fn dims(s: Sum2, of: Sum2) -> Vec<Decimal> {
    [(s.households, of.households), (s.persons, of.persons)]
        .into_iter()
        .filter_map(|(v, d)| d.map(|_| v.unwrap_or_default()))
        .collect()
}

/// How a `下辖合计.…` name is made: each unit's figure, at its file and
/// line, summed (its panel and its row of the 核对表).
fn explain(
    m: &mut YearMetrics,
    (y, name): (i32, Name),
    shares: &[Share],
    values: &[Vec<Decimal>],
    result: Vec<Decimal>,
) {
    let ops = shares
        .iter()
        .zip(values)
        .map(|(s, v)| {
            Operand::new(s.name.clone(), s.text.clone(), v.clone())
                .at(Source::at(&s.file, s.pos.line, 3))
        })
        .collect();
    let d = Derivation::of(y, Op::Sum, ops, result)
        .checked_by(&[Rule::RollupSum])
        .noted("下辖各单位之和");
    m.cite.explain(name, std::sync::Arc::new(d));
}

/// How `下辖合计.项目个数` and `.项目资金` are made, list by list.
fn explain_projects(
    m: &mut YearMetrics,
    y: i32,
    shares: &[Share],
    each: &[(usize, Decimal)],
    unit: &str,
) {
    let part = |s: &Share, text: String| Share {
        name: s.name.clone(),
        text,
        file: s.file.clone(),
        pos: s.pos,
    };
    let counts: Vec<Share> = shares
        .iter()
        .zip(each)
        .map(|(s, (n, _))| part(s, format!("{n}个")))
        .collect();
    let money: Vec<Share> = shares
        .iter()
        .zip(each)
        .map(|(s, (_, b))| part(s, format!("{}{unit}", b.normalize())))
        .collect();
    let n: Vec<Vec<Decimal>> = each.iter().map(|(n, _)| vec![Decimal::from(*n)]).collect();
    let b: Vec<Vec<Decimal>> = each.iter().map(|(_, b)| vec![*b]).collect();
    let sum = |v: &[Vec<Decimal>]| vec![v.iter().map(|x| x[0]).sum()];
    explain(m, (y, Name::Rollup("项目个数")), &counts, &n, sum(&n));
    explain(m, (y, Name::Rollup("项目资金")), &money, &b, sum(&b));
}

fn add(parts: impl Iterator<Item = Sum2>) -> Sum2 {
    let mut s = Sum2 {
        households: Some(Decimal::ZERO),
        persons: Some(Decimal::ZERO),
    };
    for p in parts {
        s.households = s.households.zip(p.households).map(|(a, b)| a + b);
        s.persons = s.persons.zip(p.persons).map(|(a, b)| a + b);
    }
    s
}

/// Whether two 户/人 figures disagree in a dimension both give.
fn differs(a: Sum2, b: Sum2) -> bool {
    let d = |x: Option<Decimal>, y: Option<Decimal>| x.zip(y).is_some_and(|(x, y)| x != y);
    d(a.households, b.households) || d(a.persons, b.persons)
}

fn mismatch(
    what: &str,
    stated: &str,
    sum: &str,
    shares: &[Share],
    file: &Path,
    at: Pos,
) -> Diagnostic {
    let each: Vec<String> = shares
        .iter()
        .map(|s| {
            let line = if s.pos.line > 0 {
                format!(":{}", s.pos.line)
            } else {
                String::new()
            };
            format!(
                "{} {}（{}{line}）",
                s.name,
                s.text,
                crate::diag::display_path(&s.file)
            )
        })
        .collect();
    Diagnostic::error(
        Rule::RollupSum,
        format!("{what}填的是 {stated}，下辖单位合计 {sum}：{}", each.join("；")),
    )
    .at(file, at)
    .hint("改正这里或某个下辖单位的数字；若本级数字本就不是下辖单位之和，删去 office.yaml 中 units 里的相应单位")
}

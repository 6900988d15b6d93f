//! The pipeline, top to bottom. An office goes through the stages on its
//! own ([`analyse`]: read → validate → compute), then counties are rolled up
//! from their checked townships and every office is reconciled
//! ([`check_offices`]), then each is rendered ([`render`]); [`publish::build`]
//! lists the steps of a site build.

pub(crate) mod publish;

pub(crate) use publish::{Request, build};

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::analysis::{consistency, metrics, reconcile, rollup};
use crate::diag::{Diagnostic, Failure, Internal, Sources};
use crate::input::{self, FoundOffice};
use crate::model::Office;
use crate::output;
use crate::views::pages::{self, UnitLink};
use crate::{charts, validate};

/// One office after the analysis: its model (if it could be understood),
/// its metrics and every finding.
pub(crate) struct Analysed {
    pub(crate) office: Option<Office>,
    pub(crate) metrics: Vec<metrics::YearMetrics>,
    pub(crate) diags: Vec<Diagnostic>,
    pub(crate) sources: Sources,
    /// The contents of the office's inputs, as read.
    pub(crate) fingerprint: String,
    /// Every office it sums, at any depth, with its fingerprint: a change
    /// in one of them rebuilds it too.
    pub(crate) units: Vec<(String, String)>,
    /// Its townships' entries for its page.
    pub(crate) unit_links: Vec<UnitLink>,
    /// Its draft years' folders: their findings never stop the others.
    draft_dirs: Vec<PathBuf>,
}

/// Read → validate → compute, for one office on its own.
fn analyse(found: &FoundOffice) -> Analysed {
    let mut diags = Vec::new();
    let loaded = input::load_office(found, &mut diags);
    let (office, validated) = validate::validate_office(&loaded);
    diags.extend(without_follow_ons(validated, &diags));
    let metrics = office
        .as_ref()
        .map(metrics::office_metrics)
        .unwrap_or_default();
    let marked = office.iter().flat_map(|o| &o.years).filter(|y| y.draft);
    let draft_dirs = loaded
        .years
        .iter()
        .filter(|y| y.files.is_draft())
        .map(|y| y.dir.clone())
        .chain(marked.map(|y| y.dir.clone()))
        .collect();
    Analysed {
        office,
        metrics,
        diags,
        sources: loaded.sources,
        fingerprint: loaded.fingerprint,
        units: Vec::new(),
        unit_links: Vec::new(),
        draft_dirs,
    }
}

/// An empty value is reported once, as a blank, not again as the missing
/// value its absence made of the figure on that line; anything else on the
/// line is still reported.
fn without_follow_ons(validated: Vec<Diagnostic>, read: &[Diagnostic]) -> Vec<Diagnostic> {
    use crate::diag::rule::Rule;
    let blank_lines: HashSet<(Option<&Path>, u32)> = read
        .iter()
        .filter(|d| d.rule == Rule::Blank)
        .map(|d| (d.file.as_deref(), d.pos.line))
        .collect();
    validated
        .into_iter()
        .filter(|d| {
            !(matches!(d.rule, Rule::FigureShape | Rule::BreakdownMissing)
                && blank_lines.contains(&(d.file.as_deref(), d.pos.line)))
        })
        .collect()
}

/// Every office `wanted` (by index into `all`) checked, each handed to
/// `each` with its findings and what rendering needs; what `each` gives
/// back, in folder order. Each office is analysed once. An office in no
/// roll-up is read, validated, computed, reconciled and handed over on its
/// own, so only the offices in progress are held (memory does not grow with
/// the data). The offices of a roll-up (wanted counties and every office
/// they sum, at any depth) are held until their level is done: townships
/// first, each county rolled up from its reconciled units (a cycle refused,
/// its chain named), then reconciled itself.
pub(crate) fn check_offices<T: Send>(
    all: &[FoundOffice],
    wanted: &[bool],
    each: impl Fn(usize, Analysed) -> T + Sync,
) -> Vec<Option<T>> {
    let rolled = in_roll_ups(all, wanted);
    let mut out: Vec<Option<T>> = (0..all.len())
        .into_par_iter()
        .map(|i| {
            (wanted[i] && !rolled[i]).then(|| {
                let mut a = analyse(&all[i]);
                reconcile_office(&mut a);
                each(i, a)
            })
        })
        .collect();
    let mut held: Vec<Option<Analysed>> = (0..all.len())
        .into_par_iter()
        .map(|i| rolled[i].then(|| analyse(&all[i])))
        .collect();
    roll_up_and_reconcile(all, &mut held);
    let handed: Vec<(usize, T)> = held
        .into_par_iter()
        .enumerate()
        .filter_map(|(i, a)| Some((i, each(i, a.filter(|_| wanted[i])?))))
        .collect();
    for (i, t) in handed {
        out[i] = Some(t);
    }
    out
}

/// The offices of a roll-up: every wanted office that lists units, and
/// every office those list, at any depth (from each office.yaml's `units`
/// alone).
fn in_roll_ups(all: &[FoundOffice], wanted: &[bool]) -> Vec<bool> {
    let listed: Vec<Vec<String>> = all
        .par_iter()
        .zip(wanted)
        .map(|(f, w)| {
            if *w {
                input::listed_units(f)
            } else {
                Vec::new()
            }
        })
        .collect();
    let at: std::collections::HashMap<&str, usize> = all
        .iter()
        .enumerate()
        .map(|(i, f)| (f.slug.as_str(), i))
        .collect();
    let mut rolled = vec![false; all.len()];
    let mut next: Vec<(usize, Vec<String>)> = listed
        .into_iter()
        .enumerate()
        .filter(|(_, units)| !units.is_empty())
        .collect();
    while let Some((i, units)) = next.pop() {
        rolled[i] = true;
        for unit in units {
            if let Some(&j) = at.get(unit.as_str())
                && !rolled[j]
            {
                rolled[j] = true;
                next.push((j, input::listed_units(&all[j])));
            }
        }
    }
    rolled
}

/// The roll-up phase: the units of every analysed office checked (each
/// there, not itself, listed once, no cycle), then level by level from the
/// townships up, each office rolled up from its units (already reconciled)
/// and reconciled itself.
fn roll_up_and_reconcile(all: &[FoundOffice], done: &mut [Option<Analysed>]) {
    let lists: Vec<rollup::Listed> = done
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let office = a.as_ref()?.office.as_ref()?;
            Some(rollup::Listed {
                index: i,
                slug: &all[i].slug,
                file: all[i].dir.join("office.yaml"),
                units: &office.units,
            })
        })
        .collect();
    let slugs: Vec<&str> = all.iter().map(|f| f.slug.as_str()).collect();
    let order = rollup::order(&lists, &slugs);
    for (i, found) in order.findings {
        if let Some(a) = done[i].as_mut() {
            a.diags.extend(found);
        }
    }
    // Offices whose office.yaml could not be read list nothing: level 0.
    let mut levels = order.levels;
    let placed: HashSet<usize> = levels.iter().flatten().copied().collect();
    let rest = (0..done.len()).filter(|i| done[*i].is_some() && !placed.contains(i));
    match levels.first_mut() {
        Some(first) => first.extend(rest),
        None => levels.push(rest.collect()),
    }
    for level in levels {
        let mut taken: Vec<(usize, Analysed)> = level
            .iter()
            .filter_map(|&i| Some((i, done[i].take()?)))
            .collect();
        let units = &order.units;
        let view: &[Option<Analysed>] = done;
        taken.par_iter_mut().for_each(|(i, a)| {
            let listed = units.get(i).map_or(&[][..], Vec::as_slice);
            let theirs: Vec<(&str, &Analysed)> = listed
                .iter()
                .filter_map(|&j| Some((slugs[j], view[j].as_ref()?)))
                .collect();
            roll_up(a, &theirs, listed.len() == listed_count(a));
            reconcile_office(a);
        });
        for (i, a) in taken {
            done[i] = Some(a);
        }
    }
}

/// How many units an office lists.
fn listed_count(a: &Analysed) -> usize {
    a.office.as_ref().map_or(0, |o| o.units.len())
}

/// A county's townships summed into its tables and checked against its
/// figures (see [`rollup`]), when every one it lists could be taken and
/// none has an error of its own (reported there).
fn roll_up(county: &mut Analysed, theirs: &[(&str, &Analysed)], all_taken: bool) {
    county.units = theirs
        .iter()
        .flat_map(|(slug, u)| {
            std::iter::once((slug.to_string(), u.fingerprint.clone())).chain(u.units.clone())
        })
        .collect();
    county.units.sort();
    county.units.dedup();
    county.unit_links = theirs
        .iter()
        .filter_map(|(_, u)| pages::unit_link(u.office.as_ref()?, &u.metrics))
        .collect();
    let sound = theirs
        .iter()
        .all(|(_, u)| u.office.is_some() && !u.diags.iter().any(|d| d.blocks(false)));
    let Some(office) = county.office.as_ref() else {
        return;
    };
    if theirs.is_empty() || !sound || !all_taken {
        return;
    }
    let units: Vec<rollup::Unit> = theirs
        .iter()
        .filter_map(|(_, u)| {
            Some(rollup::Unit {
                office: u.office.as_ref()?,
                metrics: &u.metrics,
            })
        })
        .collect();
    let found = rollup::roll_up(office, &mut county.metrics, &units);
    county.diags.extend(found);
}

/// The rules that need computed values and the citations of every text;
/// then every finding in a draft year's folder is marked the draft's.
fn reconcile_office(a: &mut Analysed) {
    if let Some(office) = &a.office {
        let reconciled = reconcile::reconcile(office, &a.metrics, &a.diags);
        a.diags.extend(reconciled);
    }
    for d in &mut a.diags {
        d.draft = d
            .file
            .as_deref()
            .is_some_and(|f| a.draft_dirs.iter().any(|dir| f.starts_with(dir)));
    }
    a.sources.retain_for(&a.diags);
}

/// The draft years out of the office (and their metrics), but with
/// `--drafts` those with nothing wrong.
fn leave_out_drafts(a: &mut Analysed, drafts: bool, strict: bool) {
    let Some(office) = a.office.as_mut() else {
        return;
    };
    let diags = &a.diags;
    let keep: Vec<bool> = office
        .years
        .iter()
        .map(|y| {
            !y.draft
                || (drafts
                    && !diags.iter().any(|d| {
                        d.blocks_year(strict)
                            && d.file.as_deref().is_some_and(|f| f.starts_with(&y.dir))
                    }))
        })
        .collect();
    if keep.iter().all(|&k| k) {
        return;
    }
    // The other years keep their metrics as checked (a later year's 上年
    // and 同比 are what reconcile checked its citations against).
    let mut flags = keep.iter();
    office.years.retain(|_| *flags.next().unwrap_or(&true));
    let mut flags = keep.iter();
    a.metrics.retain(|_| *flags.next().unwrap_or(&true));
}

/// One checked office rendered: no two printed figures contradict each
/// other, then its charts, then its documents in every format (strings).
/// `None` when a finding stops it.
pub(crate) fn render(
    a: &mut Analysed,
    templates: &output::Templates,
    strict: bool,
    drafts: bool,
) -> Result<Option<output::OfficeDocs>, Failure> {
    if a.diags.iter().any(|d| d.blocks(strict)) {
        return Ok(None);
    }
    // A year's 同比 opens last year's figure, a draft's too: derived before
    // the drafts leave.
    if let Some(office) = a.office.as_ref() {
        crate::analysis::provenance::annotate_office(office, &mut a.metrics);
    }
    leave_out_drafts(a, drafts, strict);
    let Some(office) = a.office.as_ref() else {
        return Ok(None);
    };
    crate::analysis::provenance::note_findings(&mut a.metrics, &a.diags);
    let contradictions = consistency::contradictions(office, &a.metrics);
    if !contradictions.is_empty() {
        return Err(Failure::Internal(Internal::Contradiction(contradictions)));
    }
    let charts = charts::office_charts(office, &a.metrics);
    output::office_documents(templates, office, &a.metrics, &charts, &a.unit_links).map(Some)
}

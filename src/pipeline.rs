//! The pipeline, top to bottom. An office goes through the stages on its
//! own ([`analyse`]: read → validate → compute), then counties are rolled up
//! from their checked townships and every office is reconciled
//! ([`check_offices`]), then each is rendered ([`render`]) and the site is
//! published ([`build`], whose body lists its steps, as zola's
//! `Site::build` does).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::analysis::{consistency, metrics, reconcile, rollup};
use crate::diag::{self, Diagnostic, Failure, Internal, Sources};
use crate::input::{self, FoundOffice};
use crate::model::Office;
use crate::output::{self, search};
use crate::paths::Paths;
use crate::site::state::{self, OfficeState, Plan, SearchState};
use crate::site::{self, Publisher};
use crate::views::pages::{self, IndexOffice, UnitLink};
use crate::{Outcome, charts, validate};

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

/// Every finding of the offices `wanted` (by index into `all`), and what
/// rendering needs. Each office is analysed once, the townships that
/// wanted counties sum included; counties are rolled up from their
/// analysed townships, townships first at any depth (a cycle is refused,
/// its chain named); then every office is reconciled. The offices not
/// wanted and summed by none are `None`.
pub(crate) fn check_offices(all: &[FoundOffice], wanted: &[bool]) -> Vec<Option<Analysed>> {
    let mut done: Vec<Option<Analysed>> = all.iter().map(|_| None).collect();
    let mut next: Vec<usize> = (0..all.len()).filter(|&i| wanted[i]).collect();
    while !next.is_empty() {
        let results: Vec<(usize, Analysed)> =
            next.par_iter().map(|&i| (i, analyse(&all[i]))).collect();
        let mut more = Vec::new();
        for (i, a) in results {
            for (slug, _) in a.office.iter().flat_map(|o| &o.units) {
                if let Some(j) = all.iter().position(|f| f.slug == *slug)
                    && done[j].is_none()
                    && !next.contains(&j)
                    && !more.contains(&j)
                {
                    more.push(j);
                }
            }
            done[i] = Some(a);
        }
        next = more;
    }
    roll_up_and_reconcile(all, &mut done);
    done
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
fn render(
    a: &mut Analysed,
    templates: &output::Templates,
    strict: bool,
    drafts: bool,
) -> Result<Option<output::OfficeDocs>, Failure> {
    if a.diags.iter().any(|d| d.blocks(strict)) {
        return Ok(None);
    }
    leave_out_drafts(a, drafts, strict);
    let Some(office) = a.office.as_ref() else {
        return Ok(None);
    };
    let contradictions = consistency::contradictions(office, &a.metrics);
    if !contradictions.is_empty() {
        return Err(Failure::Internal(Internal::Contradiction(contradictions)));
    }
    let charts = charts::office_charts(office, &a.metrics);
    output::office_documents(templates, office, &a.metrics, &charts, &a.unit_links).map(Some)
}

/// What a build is asked, resolved.
pub(crate) struct Request<'a> {
    pub(crate) paths: &'a Paths,
    pub(crate) strict: bool,
    pub(crate) drafts: bool,
}

/// Build the site: check every office, render the changed ones and publish
/// the new site in one step. Errors in the data stop the build before
/// anything is published; the previous site then stays as it was.
pub(crate) fn build(req: &Request) -> Outcome {
    let found = input::discover(&req.paths.data);
    let mut outcome = Outcome::with(found.diags);
    let own = match input::templates(req.paths.templates.as_deref()) {
        Ok(t) => t,
        Err(e) => return Outcome::failed(e),
    };
    let variant = format!("{}{}", own.hash, if req.drafts { "+drafts" } else { "" });
    let mut plan = state::plan(req.paths, &found.offices, &variant);
    if plan.nothing_changed(&req.paths.out) && !outcome.blocked(req.strict) {
        outcome.notes = site::tidy(&req.paths.out);
        return unchanged(outcome, &plan, req.strict);
    }
    let step = (|| {
        let templates = output::Templates::new(&own)?;
        let publisher = open_site(req, &plan, outcome.blocked(req.strict))?;
        Ok((templates, publisher))
    })();
    let (templates, publisher) = match step {
        Ok(t) => t,
        Err(e) => {
            outcome.fail(e);
            return outcome;
        }
    };
    let all = &found.offices;
    let carried = carry_over(all, &plan, publisher.as_ref());
    let wanted: Vec<bool> = carried.iter().map(Option::is_none).collect();
    let checked = check_offices(all, &wanted);
    let offices = publish_offices(
        all,
        checked,
        carried,
        &plan,
        &templates,
        publisher.as_ref(),
        req,
    );
    let removed = plan.removed();
    let (mut state, index, rebuilt) = gather(&mut outcome, offices, &mut plan);
    diag::sort(&mut outcome.diags);
    let Some(p) = publisher.filter(|_| outcome.failure.is_none() && !outcome.blocked(req.strict))
    else {
        outcome.documents = 0;
        return outcome;
    };
    let search = (&rebuilt, plan.previous_search(), removed);
    let state = (&mut state, req.paths.state.as_path());
    match finish_site(p, &templates, index, outcome.documents, state, search) {
        Ok(notes) => {
            outcome.published = true;
            outcome.notes = notes;
        }
        Err(e) => {
            outcome.fail(e);
            outcome.documents = 0;
        }
    }
    outcome
}

/// The new site, begun beside the old one; `None` when the build already
/// cannot publish (check and render, but write nothing).
fn open_site(req: &Request, plan: &Plan, blocked: bool) -> Result<Option<Publisher>, Failure> {
    if blocked {
        return Ok(None);
    }
    let p = Publisher::begin(
        &req.paths.out,
        plan.previous_bytes(),
        plan.mostly_unchanged(),
    )?;
    Ok(Some(p))
}

/// Nothing changed: report what the last build found, touch nothing.
fn unchanged(mut outcome: Outcome, plan: &Plan, strict: bool) -> Outcome {
    for o in plan.previous_offices() {
        outcome.diags.extend(o.diags.iter().cloned());
        outcome.sources.extend_entries(&o.sources);
        outcome.documents += o.documents;
    }
    outcome.reused = plan.fingerprints.len();
    outcome.unchanged = !outcome.blocked(strict);
    if !outcome.unchanged {
        outcome.documents = 0;
    }
    diag::sort(&mut outcome.diags);
    outcome
}

/// An office as the new site has it.
struct Published {
    slug: String,
    reused: bool,
    /// The office's new state; `None` when it was carried over, with the
    /// inputs' new stamps and (in a new site) its folders' new times.
    state: Option<OfficeState>,
    stamps: Vec<state::Stamp>,
    dirs: Option<Vec<(PathBuf, u128)>>,
    failure: Option<Failure>,
}

/// The offices whose inputs (and units) are as at the last build and whose
/// published files are all there, carried into the new site as they are.
fn carry_over(
    all: &[FoundOffice],
    plan: &Plan,
    publisher: Option<&Publisher>,
) -> Vec<Option<Published>> {
    all.par_iter()
        .enumerate()
        .map(|(i, found)| {
            let p = publisher?;
            let fingerprint = plan.fingerprints[i].as_deref()?;
            let last = plan.reusable(&found.slug, fingerprint)?;
            let intact = last.intact(&found.slug, &p.published(Path::new("")))
                && last.files.iter().all(|(f, _)| p.reuse(f).is_ok());
            // The state itself is moved over from the plan in `gather`.
            intact.then(|| Published {
                slug: found.slug.clone(),
                reused: true,
                state: None,
                stamps: plan.stamps(i),
                dirs: (!p.in_place()).then(|| staged_dirs(p, last, &found.slug)),
                failure: None,
            })
        })
        .collect()
}

/// Render every checked office and write its files into the new site (if
/// there is one); the carried-over ones as they are.
fn publish_offices(
    all: &[FoundOffice],
    checked: Vec<Option<Analysed>>,
    carried: Vec<Option<Published>>,
    plan: &Plan,
    templates: &output::Templates,
    publisher: Option<&Publisher>,
    req: &Request,
) -> Vec<Published> {
    checked
        .into_par_iter()
        .zip(carried)
        .enumerate()
        .filter_map(|(i, (a, carried))| match carried {
            Some(p) => Some(p),
            None => {
                let mut a = a?;
                let docs = render(&mut a, templates, req.strict, req.drafts);
                Some(written(&all[i].slug, a, docs, plan.stamps(i), publisher))
            }
        })
        .collect()
}

/// An office's rendered files written into the new site, and its state.
fn written(
    slug: &str,
    a: Analysed,
    docs: Result<Option<output::OfficeDocs>, Failure>,
    stamps: Vec<state::Stamp>,
    publisher: Option<&Publisher>,
) -> Published {
    let mut state = OfficeState {
        fingerprint: a.fingerprint,
        stamps,
        files: Vec::new(),
        index: None,
        documents: 0,
        diags: a.diags,
        sources: a.sources.entries(),
        units: a.units,
        search_years: Vec::new(),
        dirs: Vec::new(),
    };
    let failure = match docs {
        Ok(Some(docs)) => {
            state.index = docs.index;
            state.documents = docs.documents;
            state.search_years = docs.search_years;
            let failure = write_files(publisher, docs.files, &mut state.files).err();
            if let Some(p) = publisher {
                state.dirs = staged_dirs(p, &state, slug);
            }
            failure
        }
        Ok(None) => None,
        Err(e) => Some(e),
    };
    Published {
        slug: slug.to_string(),
        reused: false,
        state: Some(state),
        stamps: Vec::new(),
        dirs: None,
        failure,
    }
}

/// An office's folders as staged, with their modification times (all its
/// files are in them by now).
fn staged_dirs(p: &Publisher, state: &OfficeState, slug: &str) -> Vec<(PathBuf, u128)> {
    state
        .own_dirs(slug)
        .into_iter()
        .filter_map(|d| state::modified(&p.staged(&d)).map(|t| (d, t)))
        .collect()
}

/// Stream an office's files into the new site (if there is one).
fn write_files(
    publisher: Option<&Publisher>,
    files: Vec<output::SiteFile>,
    written: &mut Vec<(PathBuf, u64)>,
) -> Result<(), Failure> {
    for f in files {
        if let Some(p) = publisher {
            p.write(&f.path, &f.bytes)?;
        }
        written.push((f.path, f.bytes.len() as u64));
    }
    Ok(())
}

/// The offices' findings and counts into the outcome; their states and
/// index entries, in folder order, for the site.
fn gather(
    outcome: &mut Outcome,
    offices: Vec<Published>,
    plan: &mut Plan,
) -> (state::State, Vec<IndexOffice>, HashSet<String>) {
    let mut state = plan.next_state();
    let mut index = Vec::new();
    let mut rebuilt = HashSet::new();
    for o in offices {
        if !o.reused {
            rebuilt.insert(o.slug.clone());
        }
        let Some(office) = o.state.or_else(|| {
            let mut last = plan.take_previous(&o.slug)?;
            last.stamps = o.stamps;
            if let Some(dirs) = o.dirs {
                last.dirs = dirs;
            }
            Some(last)
        }) else {
            continue;
        };
        outcome.rebuilt += usize::from(!o.reused);
        outcome.reused += usize::from(o.reused);
        outcome.diags.extend(office.diags.iter().cloned());
        outcome.sources.extend_entries(&office.sources);
        outcome.documents += office.documents;
        if let Some(f) = o.failure {
            outcome.fail(f);
        }
        if let Some(entry) = &office.index {
            index.push(entry.clone());
        }
        state.offices.insert(o.slug, office);
    }
    (state, index, rebuilt)
}

/// The pages over all offices, the shared static files and the search
/// index; then the swap, and the build state beside the new site.
fn finish_site(
    p: Publisher,
    templates: &output::Templates,
    offices: Vec<IndexOffice>,
    documents: usize,
    (state, path): (&mut state::State, &Path),
    (rebuilt, previous_search, removed): (&HashSet<String>, Option<&SearchState>, Vec<String>),
) -> Result<Vec<String>, Failure> {
    write_pages(&p, templates, offices, documents, state)?;
    write_search(&p, state, rebuilt, previous_search)?;
    state.site_bytes = p.site_bytes();
    // What the site no longer has: removed offices, and partitions past a
    // smaller layout's.
    let mut gone: Vec<PathBuf> = removed
        .iter()
        .flat_map(|s| [PathBuf::from(s), search::keys_file(s)])
        .collect();
    let now = state.search.as_ref().and_then(|s| s.layout);
    if let (Some(was), Some(now)) = (previous_search.and_then(|s| s.layout), now) {
        gone.extend(
            (now.partitions..was.partitions).map(|p| Path::new("search").join(p.to_string())),
        );
    }
    state.id = state.id_of();
    let staged = state::stage(path, state)?;
    p.mark(&state.id)?;
    let notes = p.commit(&gone)?;
    staged.install()?;
    Ok(notes)
}

/// The index page, the search page and the static files.
fn write_pages(
    p: &Publisher,
    templates: &output::Templates,
    offices: Vec<IndexOffice>,
    documents: usize,
    state: &mut state::State,
) -> Result<(), Failure> {
    let index = pages::IndexView { offices, documents };
    let pages = [
        ("index.html", templates.render_index(&index)?),
        ("search.html", templates.render_search()?),
        ("static/style.css", templates.style_css.clone()),
        ("static/search.js", templates.search_js.clone()),
    ];
    for (rel, text) in pages {
        p.write(Path::new(rel), text.as_bytes())?;
        state.site_files.push((rel.into(), text.len() as u64));
    }
    Ok(())
}

/// The search index (`search`): each partition's bucket scripts, merged
/// from its offices' counted keys as just written (or carried over), then
/// the manifest. A partition whose offices are the same as last time, none
/// rebuilt, keeps its scripts.
fn write_search(
    p: &Publisher,
    state: &mut state::State,
    rebuilt: &HashSet<String>,
    previous: Option<&SearchState>,
) -> Result<(), Failure> {
    let offices: Vec<(String, Vec<i32>)> = state
        .offices
        .iter()
        .filter(|(_, o)| !o.search_years.is_empty())
        .map(|(s, o)| (s.clone(), o.search_years.clone()))
        .collect();
    let layout = search::layout(offices.len());
    let mut parts: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (slug, _) in &offices {
        parts
            .entry(search::partition_of(slug, layout))
            .or_default()
            .push(slug.clone());
    }
    let kept = |pid: u32, slugs: &Vec<String>| {
        previous.is_some_and(|s| s.layout == Some(layout) && s.partitions.get(&pid) == Some(slugs))
            && !slugs.iter().any(|s| rebuilt.contains(s))
    };
    (0..layout.partitions).into_par_iter().try_for_each(|pid| {
        let slugs = parts.get(&pid).cloned().unwrap_or_default();
        // Kept only if its scripts are all still there (or carried over).
        let dir = Path::new("search").join(pid.to_string());
        if kept(pid, &slugs)
            && p.published(&dir).is_dir()
            && (0..layout.buckets).all(|b| p.reuse(&search::shard_file(pid, b)).is_ok())
        {
            return Ok(());
        }
        write_partition(p, state, pid, slugs, layout)
    })?;
    let manifest = search::manifest_js(layout, &offices);
    p.write(Path::new(search::MANIFEST), manifest.as_bytes())?;
    state
        .site_files
        .push((search::MANIFEST.into(), manifest.len() as u64));
    state.search = Some(SearchState {
        layout: Some(layout),
        partitions: parts,
    });
    Ok(())
}

/// One partition of the search index, merged from its offices' keys.
fn write_partition(
    p: &Publisher,
    state: &state::State,
    pid: u32,
    slugs: Vec<String>,
    layout: search::Layout,
) -> Result<(), Failure> {
    let mut part = search::Partition::default();
    for slug in slugs {
        let rel = search::keys_file(&slug);
        let keys = search::parse_office_keys(&p.read_back(&rel)?)
            .ok_or_else(|| Failure::Internal(Internal::SearchFragment(rel.clone())))?;
        let count = state.offices.get(&slug).map_or(0, |o| o.search_years.len());
        part.add(count, &keys);
    }
    for (path, js) in part.files(pid, layout) {
        p.write(&path, js.as_bytes())?;
    }
    Ok(())
}

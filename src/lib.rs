//! nianbao (年报): year-end reports of poverty-alleviation offices, from
//! YAML data to a static site.
//!
//! Offices are independent, so each goes through the stages on its own
//! ([`build_office`], in parallel), one module per stage:
//!
//! 1. [`load`]: read and parse the office's files (positions kept);
//! 2. [`check`]: validate into [`model`] types, collecting every problem;
//! 3. [`metrics`]: pure arithmetic — totals, rates, changes, and the
//!    citation table ([`cite`]);
//! 4. [`reconcile`]: the rules that need computed values, and every
//!    citation of every text;
//! 5. [`charts`]: SVG from the metrics;
//! 6. [`render`]: views → HTML and Markdown strings;
//!
//! and [`site`] writes what the offices hand back into the new site, which
//! replaces `output/` in one step at the end.

mod analysis;
mod authoring;
mod charts;
pub mod commands;
mod diag;
mod input;
mod model;
mod output;
mod site;
mod validate;
mod views;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use diag::Sources;
pub use diag::{Diagnostic, Failure, Pos, Severity};
use input::FoundOffice;

/// Where to read and write.
#[derive(Clone, Debug)]
pub struct Options {
    pub data: PathBuf,
    pub out: PathBuf,
    /// The office's own templates (default: `templates/` beside the data
    /// folder, when there is one).
    pub templates: Option<PathBuf>,
    /// Warnings and acknowledged errors stop the build too.
    pub strict: bool,
    /// Publish draft years too (marked 草稿), those with nothing wrong.
    pub drafts: bool,
}

/// What a run found and did. `diags` holds every finding, warnings too.
#[derive(Debug, Default)]
pub struct Outcome {
    pub diags: Vec<Diagnostic>,
    sources: Sources,
    /// Documents written (0 when the build stopped).
    pub documents: usize,
    /// Whether `output/` was replaced.
    pub published: bool,
    /// Nothing changed since the last build: `output/` was left as it is.
    pub unchanged: bool,
    /// Offices rebuilt and offices carried over from the last build.
    pub rebuilt: usize,
    pub reused: usize,
    /// The output could not be written, or nianbao itself failed.
    pub failure: Option<Failure>,
    /// What the user should know that is neither a finding nor a failure
    /// (a leftover that could not be removed).
    pub notes: Vec<String>,
    /// Files written into the data folder (`new`, `import`).
    pub created: Vec<PathBuf>,
}

impl Outcome {
    /// Whether anything stops a build (see [`Diagnostic::blocks`]).
    pub fn blocked(&self, strict: bool) -> bool {
        self.diags.iter().any(|d| d.blocks(strict))
    }

    fn fail(&mut self, failure: Failure) {
        self.failure.get_or_insert(failure);
    }
}

/// Load and check the data without writing anything (`nianbao check`):
/// every stage up to reconcile, for every office; nothing is rendered.
pub fn check(data: &Path) -> Outcome {
    let found = input::discover(data);
    let mut outcome = Outcome {
        diags: found.diags,
        ..Outcome::default()
    };
    use rayon::prelude::*;
    let all = &found.offices;
    let checked: Vec<Checked> = all.par_iter().map(|o| check_office(o, all)).collect();
    for c in checked {
        outcome.diags.extend(c.diags);
        outcome.sources.extend(c.sources);
    }
    diag::sort(&mut outcome.diags);
    outcome
}

/// Write the built-in templates into `dir` (`nianbao templates export`), to
/// start an office's own from; a file already there is never replaced.
pub fn export_templates(dir: &Path) -> Outcome {
    match site::export(dir, &output::builtin_files()) {
        Ok(n) => Outcome {
            documents: n,
            ..Outcome::default()
        },
        Err(e) => Outcome {
            failure: Some(e),
            ..Outcome::default()
        },
    }
}

/// Start an office, or a year of one (`nianbao new`): commented files with
/// every figure still to fill as a placeholder. A new year starts from the
/// year before it. Nothing is replaced: where a file is there already,
/// nothing is written.
pub fn new(data: &Path, slug: &str, year: Option<i32>, draft: bool) -> Outcome {
    let mut outcome = Outcome::default();
    if let Err(why) = input::check_slug(slug) {
        outcome.fail(Failure::Usage(format!("单位文件夹名“{slug}”不可用：{why}")));
        return outcome;
    }
    let found = input::discover(data);
    let existing = found.offices.iter().find(|o| o.slug == slug);
    let files = match (existing, year) {
        (None, year) => authoring::scaffold::office(slug, year.unwrap_or_else(this_year)),
        (Some(_), None) => {
            outcome.fail(Failure::Usage(format!(
                "单位“{slug}”已经有了；开始新的年度用 nianbao new {slug} <年度>"
            )));
            return outcome;
        }
        (Some(found), Some(year)) => {
            let loaded = input::load_office(found, &mut outcome.diags);
            authoring::scaffold::next_year(&loaded, year, draft)
        }
    };
    // What the year before could not give (a file that does not parse) is
    // reported; the new files start from what could be read.
    outcome.diags.retain(|d| d.is_error());
    match site::create_new(data, &files, "文件") {
        Ok(_) => outcome.created = files.iter().map(|(p, _)| data.join(p)).collect(),
        Err(e) => outcome.fail(e),
    }
    outcome
}

/// What `nianbao import` is asked.
pub(crate) struct ImportOptions {
    pub(crate) kind: authoring::import::Kind,
    pub(crate) file: PathBuf,
    /// The year folder, `data/<office>/<year>`.
    pub(crate) to: PathBuf,
    pub(crate) sheet: Option<String>,
    pub(crate) map: Vec<(String, String)>,
    /// Write the rows that read, report the others.
    pub(crate) partial: bool,
    /// Replace a projects.yaml already there (kept as projects.yaml.bak).
    pub(crate) replace: bool,
}

/// Import a sheet into a year folder (`nianbao import`): every bad cell
/// reported at once and nothing written (unless `partial`); then the
/// office is checked like typed data.
pub(crate) fn import_sheet(o: &ImportOptions) -> Outcome {
    let mut outcome = Outcome::default();
    let year =
        o.to.file_name()
            .and_then(|n| n.to_str())
            .and_then(input::parse_year);
    let Some(year) = year else {
        outcome.fail(Failure::Usage(format!(
            "--to 应为年度文件夹，如 data/<单位>/2023（写的是“{}”）",
            o.to.display()
        )));
        return outcome;
    };
    let keys = o.kind.keys();
    if let Some((h, f)) = o.map.iter().find(|(_, f)| !keys.contains(&f.as_str())) {
        outcome.fail(Failure::Usage(format!(
            "--map {h}={f}：没有字段“{f}”；可用的字段：{}",
            keys.join("、")
        )));
        return outcome;
    }
    let grid = match input::read_grid(&o.file, o.sheet.as_deref()) {
        Ok(g) => g,
        Err(e) => {
            outcome.fail(e);
            return outcome;
        }
    };
    let name = o
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unit = input::funds_unit(&o.to);
    let req = authoring::import::Request {
        kind: o.kind,
        file: &name,
        map: &o.map,
        unit: &unit,
        year,
    };
    let got = authoring::import::import(&grid, &req);
    for e in &got.errors {
        outcome
            .diags
            .push(Diagnostic::error(diag::rule::Rule::ImportCell, e.clone()));
    }
    if (!got.errors.is_empty() && !o.partial) || got.items.is_empty() {
        return outcome;
    }
    let target = o.to.join(o.kind.file());
    let before = input::existing_text(&target);
    let text = match (o.kind, &before) {
        (authoring::import::Kind::Projects, Some(_)) if !o.replace => {
            outcome.fail(Failure::Usage(format!(
                "“{}”已经有了；要用导入的项目替换它，加 --replace（原文件留作 projects.yaml.bak）",
                target.display()
            )));
            return outcome;
        }
        (authoring::import::Kind::Projects, _) => {
            authoring::import::projects_file(&got.items, &name, got.rows)
        }
        (authoring::import::Kind::Batches, Some(t)) => {
            authoring::import::with_block(t, Some("special"), "batches", &got.items)
        }
        (authoring::import::Kind::Batches, None) => authoring::import::with_block(
            &format!("unit: {unit}\nspecial:\n  label: {}\n", input::PLACEHOLDER),
            Some("special"),
            "batches",
            &got.items,
        ),
        (authoring::import::Kind::Exits, Some(t)) => {
            authoring::import::with_block(t, None, "exits", &got.items)
        }
        (authoring::import::Kind::Exits, None) => authoring::import::with_block(
            &format!(
                "baseline: {{households: {p}, persons: {p}}}\n",
                p = input::PLACEHOLDER
            ),
            None,
            "exits",
            &got.items,
        ),
    };
    if let Err(e) = site::replace_keeping(&target, &text) {
        outcome.fail(e);
        return outcome;
    }
    outcome.created.push(target);
    outcome.documents = got.items.len();
    // What was written is checked as typed data is: its office alone (and
    // the townships it sums), not the whole data folder.
    if let Some(data) = o.to.parent().and_then(Path::parent) {
        let found = input::discover(data);
        if let Some(office) = found.offices.iter().find(|f| o.to.starts_with(&f.dir)) {
            let checked = check_office(office, &found.offices);
            let year_dir = o.to.as_path();
            outcome.diags.extend(
                checked
                    .diags
                    .into_iter()
                    .filter(|d| d.file.as_deref().is_some_and(|f| f.starts_with(year_dir))),
            );
            outcome.sources = checked.sources;
        }
    }
    outcome
}

/// The calendar year now (UTC): the year a new office starts with.
fn this_year() -> i32 {
    use chrono::Datelike;
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(secs, 0).map_or(2026, |t| t.year())
}

/// Run the whole pipeline and publish the site. Errors in the data stop the
/// build before the new site is swapped in; the previous `output/` then
/// stays as it was.
pub fn build(opts: &Options) -> Outcome {
    // Before any work: an output folder that would hold or replace the data
    // is refused, and a link is followed to the folder it names.
    if let Err(e) = site::check_paths(&opts.data, &opts.out) {
        return Outcome {
            failure: Some(e),
            ..Outcome::default()
        };
    }
    let out = site::resolve(&opts.out);
    let own = match input::templates(&opts.data, opts.templates.as_deref()) {
        Ok(t) => t,
        Err(e) => {
            return Outcome {
                failure: Some(e),
                ..Outcome::default()
            };
        }
    };
    let found = input::discover(&opts.data);
    let mut outcome = Outcome {
        diags: found.diags,
        ..Outcome::default()
    };
    // Drafts in or out is a different site, as other templates are.
    let variant = format!("{}{}", own.hash, if opts.drafts { "+drafts" } else { "" });
    let mut plan = site::state::plan(&opts.data, &out, &found.offices, &variant);
    if plan.nothing_changed(&out) && !outcome.blocked(opts.strict) {
        outcome.notes = site::tidy(&out);
        return unchanged(outcome, &plan, opts.strict);
    }
    // Compiled only now: the nothing-changed path needs no templates.
    let templates = match output::Templates::new(&own) {
        Ok(t) => t,
        Err(e) => {
            outcome.fail(e);
            return outcome;
        }
    };
    let publisher = if outcome.blocked(opts.strict) {
        None
    } else {
        match site::Publisher::begin(&out, plan.previous_bytes(), plan.mostly_unchanged()) {
            Ok(p) => Some(p),
            Err(e) => {
                outcome.fail(e);
                return outcome;
            }
        }
    };
    let ctx = Context {
        templates: &templates,
        publisher: publisher.as_ref(),
        strict: opts.strict,
        drafts: opts.drafts,
        plan: &plan,
        all: &found.offices,
    };
    use rayon::prelude::*;
    let offices: Vec<Published> = found
        .offices
        .par_iter()
        .enumerate()
        .map(|(i, o)| publish_office(o, i, &ctx))
        .collect();
    // Before the last build's office states are moved into the new one.
    let removed = plan.removed();
    let (mut state, index, rebuilt) = gather(&mut outcome, offices, &mut plan);
    diag::sort(&mut outcome.diags);
    if let Some(p) =
        publisher.filter(|_| outcome.failure.is_none() && !outcome.blocked(opts.strict))
    {
        let search = (&rebuilt, plan.previous_search(), removed);
        match finish_site(p, &templates, index, outcome.documents, &mut state, search) {
            Ok(notes) => {
                outcome.published = true;
                outcome.notes = notes;
            }
            Err(e) => outcome.fail(e),
        }
    }
    if !outcome.published {
        outcome.documents = 0;
    }
    outcome
}

/// The offices' findings and counts into the outcome; their states and
/// index entries, in folder order, for the site.
fn gather(
    outcome: &mut Outcome,
    offices: Vec<Published>,
    plan: &mut site::state::Plan,
) -> (
    site::state::State,
    Vec<(String, views::pages::IndexOffice)>,
    HashSet<String>,
) {
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
            index.push((o.slug.clone(), entry.clone()));
        }
        state.offices.insert(o.slug, office);
    }
    (state, index, rebuilt)
}

/// Nothing changed: report what the last build found, touch nothing.
fn unchanged(mut outcome: Outcome, plan: &site::state::Plan, strict: bool) -> Outcome {
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

/// What every office's pipeline shares in a build.
struct Context<'a> {
    templates: &'a output::Templates,
    /// `None` when the build already cannot publish: check and render, but
    /// write nothing.
    publisher: Option<&'a site::Publisher>,
    strict: bool,
    drafts: bool,
    plan: &'a site::state::Plan,
    /// Every office found, for those that sum others.
    all: &'a [FoundOffice],
}

/// One office after check: its model (if it could be understood), its
/// metrics and every finding.
struct Checked {
    office: Option<model::Office>,
    metrics: Vec<analysis::metrics::YearMetrics>,
    diags: Vec<Diagnostic>,
    sources: Sources,
    /// The contents of the office's inputs, as read.
    fingerprint: String,
    /// The offices it sums, with their fingerprints and their entries for
    /// its page.
    units: Vec<(String, String)>,
    unit_links: Vec<views::pages::UnitLink>,
}

/// Load → check → metrics → reconcile: every finding of one office, and
/// what rendering needs.
fn check_office(found: &FoundOffice, all: &[FoundOffice]) -> Checked {
    check_with(found, |checked| {
        let units = match checked.office.as_ref() {
            Some(o) if !o.units.is_empty() => o.units.clone(),
            _ => return,
        };
        roll_up(checked, &units, all);
    })
}

/// The townships of an office, checked on their own, summed into its
/// tables and against its figures (see [`rollup`]).
fn roll_up(checked: &mut Checked, units: &[(String, Pos)], all: &[FoundOffice]) {
    let Some(office) = checked.office.as_ref() else {
        return;
    };
    let file = office_file(office, all);
    let mut theirs = Vec::new();
    for (slug, at) in units {
        let problem = if *slug == office.slug {
            Some(format!("下辖单位“{slug}”就是本单位"))
        } else {
            match all.iter().find(|f| f.slug == *slug) {
                None => Some(format!("下辖单位“{slug}”在数据目录中没有")),
                Some(f) => {
                    let unit = check_alone(f);
                    let lists_us = unit
                        .office
                        .as_ref()
                        .is_some_and(|u| u.units.iter().any(|(s, _)| *s == office.slug));
                    if lists_us {
                        Some(format!("下辖单位“{slug}”又把本单位列为它的下辖单位"))
                    } else {
                        theirs.push((slug.clone(), unit));
                        None
                    }
                }
            }
        };
        if let Some(message) = problem {
            checked.diags.push(
                Diagnostic::error(diag::rule::Rule::RollupUnit, message)
                    .at(&file, *at)
                    .field("units")
                    .hint("units 里写 data 下其他单位的文件夹名，如 [dong-zhen, xi-xiang]"),
            );
        }
    }
    checked.units = theirs
        .iter()
        .map(|(s, u)| (s.clone(), u.fingerprint.clone()))
        .collect();
    checked.unit_links = theirs
        .iter()
        .filter_map(|(_, u)| views::pages::unit_link(u.office.as_ref()?, &u.metrics))
        .collect();
    // A township with errors of its own is reported there; its figures are
    // not summed.
    let sound = theirs
        .iter()
        .all(|(_, u)| u.office.is_some() && !u.diags.iter().any(|d| d.blocks(false)));
    if !sound || theirs.len() != units.len() {
        return;
    }
    let units: Vec<analysis::rollup::Unit> = theirs
        .iter()
        .filter_map(|(_, u)| {
            Some(analysis::rollup::Unit {
                office: u.office.as_ref()?,
                metrics: &u.metrics,
            })
        })
        .collect();
    let found = analysis::rollup::roll_up(office, &mut checked.metrics, &units);
    checked.diags.extend(found);
}

/// Where an office's office.yaml is.
fn office_file(office: &model::Office, all: &[FoundOffice]) -> PathBuf {
    all.iter()
        .find(|f| f.slug == office.slug)
        .map_or_else(PathBuf::new, |f| f.dir.join("office.yaml"))
}

/// Load → check → metrics → reconcile for one office alone.
fn check_alone(found: &FoundOffice) -> Checked {
    check_with(found, |_| {})
}

/// Load → check → metrics, then `between` (the roll-up, which puts names
/// into the tables), then reconcile.
fn check_with(found: &FoundOffice, between: impl FnOnce(&mut Checked)) -> Checked {
    let mut diags = Vec::new();
    let loaded = input::load_office(found, &mut diags);
    let (office, checked) = validate::validate_office(&loaded);
    // An empty value is reported once, as a blank, not again as the
    // missing value its absence made of the figure on that line; anything
    // else on the line is still reported.
    let blank_lines: std::collections::HashSet<(Option<&Path>, u32)> = diags
        .iter()
        .filter(|d| d.rule == diag::rule::Rule::Blank)
        .map(|d| (d.file.as_deref(), d.pos.line))
        .collect();
    let from_absence = |d: &Diagnostic| {
        matches!(
            d.rule,
            diag::rule::Rule::FigureShape | diag::rule::Rule::BreakdownMissing
        ) && blank_lines.contains(&(d.file.as_deref(), d.pos.line))
    };
    let checked: Vec<Diagnostic> = checked.into_iter().filter(|d| !from_absence(d)).collect();
    diags.extend(checked);
    let metrics = office
        .as_ref()
        .map(analysis::metrics::office_metrics)
        .unwrap_or_default();
    let mut c = Checked {
        office,
        metrics,
        diags,
        sources: Sources::default(),
        fingerprint: loaded.fingerprint.clone(),
        units: Vec::new(),
        unit_links: Vec::new(),
    };
    between(&mut c);
    if let Some(office) = &c.office {
        let reconciled = analysis::reconcile::reconcile(office, &c.metrics, &c.diags);
        c.diags.extend(reconciled);
    }
    mark_drafts(&loaded, c.office.as_ref(), &mut c.diags);
    c.sources = loaded.sources;
    c.sources.retain_for(&c.diags);
    c
}

/// A finding in a draft year's folder is the draft's: it never stops
/// the other years (or offices) from publishing.
fn mark_drafts(
    loaded: &input::LoadedOffice,
    office: Option<&model::Office>,
    diags: &mut [Diagnostic],
) {
    let marked = office
        .into_iter()
        .flat_map(|o| &o.years)
        .filter(|y| y.draft);
    let dirs: Vec<&Path> = loaded
        .years
        .iter()
        .filter(|y| y.files.is_draft())
        .map(|y| y.dir.as_path())
        .chain(marked.map(|y| y.dir.as_path()))
        .collect();
    for d in diags {
        d.draft = d
            .file
            .as_deref()
            .is_some_and(|f| dirs.iter().any(|dir| f.starts_with(dir)));
    }
}

/// The draft years out of the office (and their metrics), but with
/// `--drafts` those with nothing wrong.
fn leave_out_drafts(checked: &mut Checked, drafts: bool, strict: bool) {
    let Some(office) = checked.office.as_mut() else {
        return;
    };
    let diags = &checked.diags;
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
    checked.metrics.retain(|_| *flags.next().unwrap_or(&true));
}

/// One office through every stage: its findings and, when nothing stops
/// it, its files as strings.
fn build_office(
    found: &FoundOffice,
    all: &[FoundOffice],
    templates: &output::Templates,
    strict: bool,
    drafts: bool,
) -> (Checked, Result<Option<output::OfficeDocs>, Failure>) {
    let mut checked = check_office(found, all);
    let blocked = checked.diags.iter().any(|d| d.blocks(strict));
    if !blocked {
        leave_out_drafts(&mut checked, drafts, strict);
    }
    let Some(office) = checked.office.as_ref().filter(|_| !blocked) else {
        return (checked, Ok(None));
    };
    // No two printed figures may contradict each other (nianbao's own
    // arithmetic: the data's mismatches stopped the office above).
    let contradictions = analysis::consistency::contradictions(office, &checked.metrics);
    if !contradictions.is_empty() {
        let e = Failure::Internal(format!("印出的数字相互矛盾：{}", contradictions.join("；")));
        return (checked, Err(e));
    }
    let charts = charts::office_charts(office, &checked.metrics);
    let docs = output::office_documents(
        templates,
        office,
        &checked.metrics,
        &charts,
        &checked.unit_links,
    );
    (checked, docs.map(Some))
}

/// An office as the new site has it.
struct Published {
    slug: String,
    reused: bool,
    /// The office's new state; `None` when it was carried over, with the
    /// inputs' new stamps and (in a new site) its folders' new times.
    state: Option<site::state::OfficeState>,
    stamps: Vec<site::state::Stamp>,
    dirs: Option<Vec<(PathBuf, u128)>>,
    failure: Option<Failure>,
}

/// Carry an unchanged office over from the last build, or build it, and
/// write its files into the new site.
fn publish_office(found: &FoundOffice, i: usize, ctx: &Context) -> Published {
    let fingerprint = ctx.plan.fingerprints[i].as_deref();
    let last = fingerprint.and_then(|fp| ctx.plan.reusable(&found.slug, fp));
    if let (Some(p), Some(state)) = (ctx.publisher, last)
        && state.intact(&found.slug, &p.published(Path::new("")))
        && state.files.iter().all(|(f, _)| p.reuse(f).is_ok())
    {
        // The state itself is moved over from the plan in `gather`.
        return Published {
            slug: found.slug.clone(),
            reused: true,
            state: None,
            stamps: ctx.plan.stamps(i),
            dirs: (!p.in_place()).then(|| staged_dirs(p, state, &found.slug)),
            failure: None,
        };
    }
    let (checked, docs) = build_office(found, ctx.all, ctx.templates, ctx.strict, ctx.drafts);
    let mut state = site::state::OfficeState {
        fingerprint: checked.fingerprint.clone(),
        stamps: ctx.plan.stamps(i),
        files: Vec::new(),
        index: None,
        documents: 0,
        diags: checked.diags,
        sources: checked.sources.entries(),
        units: checked.units,
        search_years: Vec::new(),
        dirs: Vec::new(),
    };
    let failure = match docs {
        Ok(Some(docs)) => {
            state.index = docs.index;
            state.documents = docs.documents;
            state.search_years = docs.search_years;
            let failure = write_files(ctx.publisher, docs.files, &mut state.files).err();
            if let Some(p) = ctx.publisher {
                state.dirs = staged_dirs(p, &state, &found.slug);
            }
            failure
        }
        Ok(None) => None,
        Err(e) => Some(e),
    };
    Published {
        slug: found.slug.clone(),
        reused: false,
        state: Some(state),
        stamps: Vec::new(),
        dirs: None,
        failure,
    }
}

/// An office's folders as staged, with their modification times (all its
/// files are in them by now).
fn staged_dirs(
    p: &site::Publisher,
    state: &site::state::OfficeState,
    slug: &str,
) -> Vec<(PathBuf, u128)> {
    state
        .own_dirs(slug)
        .into_iter()
        .filter_map(|d| site::state::modified(&p.staged(&d)).map(|t| (d, t)))
        .collect()
}

/// Stream an office's files into the new site (if there is one).
fn write_files(
    publisher: Option<&site::Publisher>,
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

/// The pages over all offices, the shared static files and the search
/// index (the offices' fragments joined in order), then the swap.
fn finish_site(
    p: site::Publisher,
    templates: &output::Templates,
    offices: Vec<(String, views::pages::IndexOffice)>,
    documents: usize,
    state: &mut site::state::State,
    (rebuilt, previous_search, removed): (
        &HashSet<String>,
        Option<&site::state::SearchState>,
        Vec<String>,
    ),
) -> Result<Vec<String>, Failure> {
    let index = views::pages::IndexView {
        offices: offices.into_iter().map(|(_, o)| o).collect(),
        documents,
    };
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
    write_search(&p, state, rebuilt, previous_search)?;
    state.site_bytes = p.site_bytes();
    let now = state.search.as_ref().and_then(|s| s.layout);
    // Streamed: at 10,000 reports the state is about 18 MB.
    let rel = Path::new(site::state::STATE);
    let mut file = std::io::BufWriter::new(p.create(rel)?);
    serde_json::to_writer(&mut file, state)
        .map_err(|e| Failure::Internal(format!("无法保存构建状态：{e}")))?;
    let file = file
        .into_inner()
        .map_err(|e| Failure::io("写入", &p.staged(rel), e.error()))?;
    p.count(file.metadata().map_or(0, |m| m.len()));
    // Closed before the swap: Windows neither renames nor removes a folder
    // with a file open in it.
    drop(file);
    // What the site no longer has: removed offices, and partitions past a
    // smaller layout's.
    let mut gone: Vec<PathBuf> = removed
        .iter()
        .flat_map(|s| [PathBuf::from(s), output::search::keys_file(s)])
        .collect();
    if let (Some(was), Some(now)) = (previous_search.and_then(|s| s.layout), now) {
        gone.extend(
            (now.partitions..was.partitions).map(|p| Path::new("search").join(p.to_string())),
        );
    }
    p.commit(&gone)
}

/// The search index (`search`): each partition's bucket scripts, merged
/// from its offices' counted keys as just written (or carried over), then
/// the manifest. A partition whose offices are the same as last time, none
/// rebuilt, keeps its scripts.
fn write_search(
    p: &site::Publisher,
    state: &mut site::state::State,
    rebuilt: &HashSet<String>,
    previous: Option<&site::state::SearchState>,
) -> Result<(), Failure> {
    use rayon::prelude::*;
    let offices: Vec<(String, Vec<i32>)> = state
        .offices
        .iter()
        .filter(|(_, o)| !o.search_years.is_empty())
        .map(|(s, o)| (s.clone(), o.search_years.clone()))
        .collect();
    let layout = output::search::layout(offices.len());
    let mut parts: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (slug, _) in &offices {
        parts
            .entry(output::search::partition_of(slug, layout))
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
            && (0..layout.buckets).all(|b| p.reuse(&output::search::shard_file(pid, b)).is_ok())
        {
            return Ok(());
        }
        let mut part = output::search::Partition::default();
        for slug in slugs {
            let rel = output::search::keys_file(&slug);
            let keys = output::search::parse_office_keys(&p.read_back(&rel)?).ok_or_else(|| {
                Failure::Internal(format!("搜索索引片段“{}”无法读取", rel.display()))
            })?;
            let count = state.offices.get(&slug).map_or(0, |o| o.search_years.len());
            part.add(count, &keys);
        }
        for (path, js) in part.files(pid, layout) {
            p.write(&path, js.as_bytes())?;
        }
        Ok(())
    })?;
    let manifest = output::search::manifest_js(layout, &offices);
    p.write(Path::new(output::search::MANIFEST), manifest.as_bytes())?;
    state
        .site_files
        .push((output::search::MANIFEST.into(), manifest.len() as u64));
    state.search = Some(site::state::SearchState {
        layout: Some(layout),
        partitions: parts,
    });
    Ok(())
}

/// Every name the narrative of one office-year can cite, with its text as
/// it would print, grouped (`nianbao names`). `office` and `year` narrow
/// the listing; without them every office-year is listed.
pub fn names(data: &Path, office: Option<&str>, year: Option<i32>) -> (String, Outcome) {
    let found = input::discover(data);
    let mut outcome = Outcome {
        diags: found.diags,
        ..Outcome::default()
    };
    let mut out = String::new();
    let mut matched = false;
    for f in found
        .offices
        .iter()
        .filter(|o| office.is_none_or(|s| o.slug == s))
    {
        let c = check_office(f, &found.offices);
        outcome.diags.extend(c.diags);
        outcome.sources.extend(c.sources);
        let Some(model) = &c.office else { continue };
        for (y, m) in model.years.iter().zip(&c.metrics) {
            if year.is_some_and(|want| want != y.year) {
                continue;
            }
            matched = true;
            out += &model::cite::listing(&model.name, &model.slug, y.year, &m.cite);
        }
    }
    if !matched {
        let what = match (office, year) {
            (Some(o), Some(y)) => format!("单位“{o}”的 {y} 年度"),
            (Some(o), None) => format!("单位“{o}”"),
            (None, Some(y)) => format!("{y} 年度"),
            (None, None) => "任何单位".into(),
        };
        outcome.diags.push(
            Diagnostic::error(diag::rule::Rule::DataFolder, format!("数据中没有{what}"))
                .hint("单位写文件夹名（如 xx-qu），年度写四位年份"),
        );
    }
    diag::sort(&mut outcome.diags);
    (out, outcome)
}

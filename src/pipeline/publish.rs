//! The site build, step by step (as zola's `Site::build`): find the
//! offices, compare with the last build, carry the unchanged ones over,
//! check and render the rest, then publish the pages, the search index and
//! the state, and swap the new site in.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::Outcome;
use crate::diag::{self, Failure, Internal};
use crate::input::{self, FoundOffice};
use crate::output::{self, search};
use crate::paths::Paths;
use crate::pipeline::{Analysed, check_offices, render};
use crate::site::state::{self, OfficeState, Plan, SearchState};
use crate::site::{self, Publisher};
use crate::views::pages::{self, IndexOffice};

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
    // The templates and the last build first: an office whose folders are
    // as the last build left them is not walked again.
    let prepared = input::templates(req.paths.templates.as_deref()).map(|own| {
        let variant = format!("{}{}", own.hash, if req.drafts { "+drafts" } else { "" });
        let last = state::last_build(req.paths, &variant);
        (own, last)
    });
    let found = {
        let seen = prepared.as_ref().ok().and_then(|(_, last)| last.seen());
        input::discover_since(&req.paths.data, seen.as_ref())
    };
    let mut outcome = Outcome::with(found.diags);
    let (own, last) = match prepared {
        Ok(prepared) => prepared,
        Err(e) => {
            outcome.fail(e);
            return outcome;
        }
    };
    let Some(mut site) = SiteBuild::start(req, &own, last, &found.offices, &mut outcome) else {
        return outcome;
    };
    let carried = site.carry_over(&found.offices);
    let built = site.check_render_and_write(&found.offices, &carried);
    let gathered = site.gather(&mut outcome, carried, built);
    // The offices' inputs are done with: their memory goes to the pages
    // and the search index (the walk's list of them and their files was
    // about 19 MB at 10,000 reports).
    drop(found.offices);
    site.publish(&mut outcome, gathered);
    outcome
}

/// A build under way: what the last build left, the templates, and the new
/// site (`None` when the build already cannot publish: then it checks and
/// renders, but writes nothing).
struct SiteBuild<'a> {
    req: &'a Request<'a>,
    plan: Plan,
    templates: output::Templates,
    publisher: Option<Publisher>,
}

/// The offices as gathered for the site: the new state, the index entries
/// in folder order, and the offices rebuilt (with their number of searchable
/// documents at the last build, if it had them).
struct Gathered {
    state: state::State,
    index: Vec<IndexOffice>,
    rebuilt: Rebuilt,
}

/// The offices rebuilt, with their number of searchable documents at the
/// last build (if it had them).
type Rebuilt = HashMap<String, Option<usize>>;

impl<'a> SiteBuild<'a> {
    /// The plan against the last build, the office's templates compiled
    /// and the new site begun. `None` when the build is over already:
    /// nothing changed (the last findings are in `outcome`), or a failure
    /// (in `outcome`).
    fn start(
        req: &'a Request<'a>,
        own: &input::TemplateFiles,
        last: state::Last,
        found: &[FoundOffice],
        outcome: &mut Outcome,
    ) -> Option<SiteBuild<'a>> {
        let plan = state::plan(req.paths, last, found);
        let blocked = outcome.blocked(req.strict);
        if plan.nothing_changed(&req.paths.out) && !blocked {
            outcome.notes = site::tidy(&req.paths.out);
            unchanged(outcome, &plan, req.strict);
            match plan.into_refreshed() {
                Ok(state) => {
                    // Only spares the next build some reading: not saved,
                    // it reads them again.
                    let _ = state::stage(&req.paths.state, &state).and_then(state::Staged::install);
                    drop_later(state);
                }
                Err(plan) => drop_later(plan),
            }
            return None;
        }
        let started = output::Templates::new(own).and_then(|templates| {
            let publisher = match blocked {
                true => None,
                false => Some(Publisher::begin(
                    &req.paths.out,
                    plan.previous_bytes(),
                    plan.mostly_unchanged(),
                )?),
            };
            Ok((templates, publisher))
        });
        let (templates, publisher) = started.map_err(|e| outcome.fail(e)).ok()?;
        Some(SiteBuild {
            req,
            plan,
            templates,
            publisher,
        })
    }

    /// The offices whose inputs (and units) are as at the last build and
    /// whose published files are all there, carried into the new site as
    /// they are.
    fn carry_over(&self, all: &[FoundOffice]) -> Vec<Option<Published>> {
        carry_over(all, &self.plan, self.publisher.as_ref())
    }

    /// Every office not carried over checked, rendered and written into
    /// the new site as soon as it is checked (an office is not held past
    /// its writing unless a county sums it).
    fn check_render_and_write(
        &self,
        all: &[FoundOffice],
        carried: &[Option<Published>],
    ) -> Vec<Option<Published>> {
        let (plan, publisher) = (&self.plan, self.publisher.as_ref());
        let wanted: Vec<bool> = carried.iter().map(Option::is_none).collect();
        check_offices(all, &wanted, |i, mut a: Analysed| {
            let docs = render(&mut a, &self.templates, self.req.strict, self.req.drafts);
            written(&all[i].slug, a, docs, plan.stamps(i), publisher)
        })
    }

    /// The offices' findings and counts into the outcome; their states and
    /// index entries, in folder order, for the site.
    fn gather(
        &mut self,
        outcome: &mut Outcome,
        carried: Vec<Option<Published>>,
        built: Vec<Option<Published>>,
    ) -> Gathered {
        let offices = carried.into_iter().zip(built).filter_map(|(c, b)| c.or(b));
        let gathered = gather(outcome, offices, &mut self.plan);
        diag::sort(&mut outcome.diags);
        gathered
    }

    /// The pages over all offices, the search index and the state; then the
    /// swap. Nothing is published when anything stops the build.
    fn publish(self, outcome: &mut Outcome, mut g: Gathered) {
        let strict = self.req.strict;
        let Some(p) = self
            .publisher
            .filter(|_| outcome.failure.is_none() && !outcome.blocked(strict))
        else {
            outcome.documents = 0;
            return;
        };
        let search = (&g.rebuilt, self.plan.previous_search(), self.plan.removed());
        let state = (&mut g.state, self.req.paths.state.as_path());
        match finish_site(
            p,
            &self.templates,
            g.index,
            outcome.documents,
            state,
            search,
        ) {
            Ok(notes) => {
                outcome.published = true;
                outcome.notes = notes;
            }
            Err(e) => {
                outcome.fail(e);
                outcome.documents = 0;
            }
        }
    }
}

/// Nothing changed: report what the last build found, touch nothing.
/// Free what the last build knew on another thread: at 10,000 reports its
/// few hundred thousand allocations took a tenth of a rebuild with nothing
/// to do, and the answer need not wait for them. (If no thread can be
/// started, they are freed here.)
fn drop_later<T: Send + 'static>(t: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(t));
}

fn unchanged(outcome: &mut Outcome, plan: &Plan, strict: bool) {
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
}

/// An office as the new site has it.
struct Published {
    slug: String,
    reused: bool,
    /// The office's new state; `None` when it was carried over, with the
    /// inputs' new stamps and (in a new site) its folders' new times.
    state: Option<OfficeState>,
    stamps: input::Stamps,
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
    let published = publisher.map(|p| p.published(Path::new("")));
    let site = published.as_deref().map(input::Folder::open);
    all.par_iter()
        .enumerate()
        .map(|(i, found)| {
            let p = publisher?;
            let fingerprint = plan.fingerprints[i].as_deref()?;
            let last = plan.reusable(&found.slug, fingerprint)?;
            let intact = last.intact(&found.slug, site.as_ref()?)
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

/// An office's rendered files written into the new site, and its state.
fn written(
    slug: &str,
    a: Analysed,
    docs: Result<Option<output::OfficeDocs>, Failure>,
    stamps: input::Stamps,
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
            let mut files = docs.files;
            files.extend(still_linked(publisher, docs.moved));
            let failure = write_files(publisher, files, &mut state.files).err();
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
        stamps: input::Stamps::default(),
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

/// The stubs at the old paths of moved files that the published site has
/// (a site first built since the move has none of them, and never will).
fn still_linked(
    publisher: Option<&Publisher>,
    moved: Vec<output::SiteFile>,
) -> impl Iterator<Item = output::SiteFile> {
    moved
        .into_iter()
        .filter(move |m| publisher.is_some_and(|p| p.published(&m.path).is_file()))
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
    offices: impl Iterator<Item = Published>,
    plan: &mut Plan,
) -> Gathered {
    let mut state = plan.next_state();
    let mut index = Vec::new();
    let mut rebuilt = Rebuilt::new();
    for o in offices {
        if !o.reused {
            rebuilt.insert(o.slug.clone(), plan.previous_documents(&o.slug));
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
    Gathered {
        state,
        index,
        rebuilt,
    }
}

/// The pages over all offices, the shared static files and the search
/// index; then the swap, and the build state beside the new site.
fn finish_site(
    p: Publisher,
    templates: &output::Templates,
    offices: Vec<IndexOffice>,
    documents: usize,
    (state, path): (&mut state::State, &Path),
    (rebuilt, previous_search, removed): (&Rebuilt, Option<&SearchState>, Vec<String>),
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
        ("static/figures.js", templates.figures_js.clone()),
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
    rebuilt: &Rebuilt,
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
    let same = |pid: u32, slugs: &Vec<String>| {
        previous.is_some_and(|s| s.layout == Some(layout) && s.partitions.get(&pid) == Some(slugs))
            && p.published(&Path::new("search").join(pid.to_string()))
                .is_dir()
    };
    // One partition at a time: one is merged in memory (about 8 MB of
    // postings at 10,000 reports, 20 MB as held), and two at once made the
    // build's peak memory; in turn they take 0.2 s longer there.
    (0..layout.partitions).try_for_each(|pid| {
        let slugs = parts.get(&pid).cloned().unwrap_or_default();
        let mut only = None;
        if same(pid, &slugs) {
            let changed: Vec<&String> = slugs.iter().filter(|s| rebuilt.contains_key(*s)).collect();
            // Kept only if its scripts are all still there (or carried over).
            if changed.is_empty()
                && (0..layout.buckets).all(|b| p.reuse(&search::shard_file(pid, b)).is_ok())
            {
                return Ok(());
            }
            only = changed_buckets(p, state, &changed, rebuilt, layout);
        }
        write_partition(p, state, (pid, slugs), layout, only.as_ref())
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

/// The buckets of a partition that its rebuilt offices change, when each
/// has as many documents as at the last build and its keys as then are
/// still there (published in place); `None` when all must be made again.
fn changed_buckets(
    p: &Publisher,
    state: &state::State,
    changed: &[&String],
    rebuilt: &Rebuilt,
    layout: search::Layout,
) -> Option<search::Buckets> {
    if !p.in_place() {
        return None;
    }
    let mut all: Option<search::Buckets> = None;
    for slug in changed {
        let docs = state.offices.get(*slug)?.search_years.len();
        if rebuilt.get(*slug).copied().flatten() != Some(docs) {
            return None;
        }
        let rel = search::keys_file(slug);
        let old = p.read_published(&rel)?;
        let new = p.read_back(&rel).ok()?;
        let these = search::Buckets::changed(&old, &new, layout)?;
        all = Some(match all {
            Some(a) => a.join(these),
            None => these,
        });
    }
    all
}

/// One partition of the search index, merged from its offices' keys; only
/// the buckets in `only`, if given (the others are kept as they are).
fn write_partition(
    p: &Publisher,
    state: &state::State,
    (pid, slugs): (u32, Vec<String>),
    layout: search::Layout,
    only: Option<&search::Buckets>,
) -> Result<(), Failure> {
    let mut part = search::Partition::default();
    let docs = |slug: &str| state.offices.get(slug).map_or(0, |o| o.search_years.len());
    let broken = |rel: PathBuf| Failure::Internal(Internal::SearchFragment(rel));
    match only {
        // All its keys, one office at a time (a partition's keys are about
        // 13 MB at 10,000 reports: not all read at once).
        None => {
            for slug in slugs {
                let rel = search::keys_file(&slug);
                let keys = p.read_back(&rel)?;
                part.add(docs(&slug), &keys).ok_or_else(|| broken(rel))?;
            }
        }
        // The keys of a few buckets: each office's picked out on any core.
        Some(only) => {
            let picked: Vec<Result<String, Failure>> = slugs
                .par_iter()
                .map(|slug| {
                    let rel = search::keys_file(slug);
                    let keys = p.read_back(&rel)?;
                    only.keep(&keys).ok_or_else(|| broken(rel))
                })
                .collect();
            for (slug, keys) in slugs.iter().zip(picked) {
                let rel = search::keys_file(slug);
                part.add(docs(slug), &keys?).ok_or_else(|| broken(rel))?;
            }
        }
    }
    // A bucket that no changed key falls in is as it was: linked, so that
    // one office rebuilt makes a few new files in its partition, not all.
    for (path, js) in part.files(pid, layout, only) {
        if !p.keep_if_same(&path, js.as_bytes()) {
            p.write(&path, js.as_bytes())?;
        }
    }
    // The others as they are (the partition's folder is staged whole).
    if let Some(only) = only {
        for b in (0..layout.buckets).filter(|b| !only.contains(*b)) {
            p.link(&search::shard_file(pid, b))?;
        }
    }
    Ok(())
}

//! nianbao (年报): year-end reports of poverty-alleviation offices, from
//! YAML data to a static site.
//!
//! [`build`] runs the pipeline, one module per stage:
//!
//! 1. [`load`]: walk `data/`, parse each YAML file (positions kept);
//! 2. [`check`]: validate into [`model`] types, collecting every problem;
//! 3. [`metrics`]: pure arithmetic — totals, shares, rates, changes;
//! 4. [`render`]: view structs → HTML and Markdown strings via Tera;
//! 5. [`site`]: write `output/` atomically.

pub mod charts;
pub mod check;
pub mod diag;
pub mod incremental;
pub mod load;
pub mod metrics;
pub mod model;
pub mod narrative;
pub mod num;
pub mod pages;
pub mod plan;
pub mod raw;
pub mod render;
pub mod site;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use diag::{Diagnostic, Sources};
use render::Renderer;

/// Where to read and write.
#[derive(Clone, Debug)]
pub struct Options {
    pub data: PathBuf,
    pub out: PathBuf,
    /// Warnings and acknowledged errors stop the build too.
    pub strict: bool,
}

/// What a run found and did. `diags` holds every finding, warnings too.
#[derive(Debug, Default)]
pub struct Outcome {
    pub diags: Vec<Diagnostic>,
    pub sources: Sources,
    /// Documents written (0 when the build stopped).
    pub documents: usize,
    /// Whether `output/` was replaced.
    pub published: bool,
    /// Nothing changed since the last build: `output/` was left as it is.
    pub unchanged: bool,
    /// Offices rebuilt and offices carried over from the last build.
    pub rebuilt: usize,
    pub reused: usize,
    /// Whether the failure was in writing the output (not in the data).
    pub output_failed: bool,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }

    /// Whether anything stops a build (see [`Diagnostic::blocks`]).
    pub fn blocked(&self, strict: bool) -> bool {
        self.diags.iter().any(|d| d.blocks(strict))
    }
}

/// Load and check the data without writing anything (`nianbao check`).
/// Narrative citations are part of the data, so documents are rendered
/// (and thrown away) too.
pub fn check(data: &Path) -> Outcome {
    run(data, None, false)
}

/// Run the whole pipeline. Offices are independent, so each goes through
/// load → check → metrics → charts → render on its own (in parallel), and
/// its files are streamed into the new site as they are rendered; nothing
/// is held for the whole site but one index entry per office. Errors in
/// the data stop the build before the new site is swapped in; the previous
/// `output/` then stays as it was.
pub fn build(opts: &Options) -> Outcome {
    run(&opts.data, Some(&opts.out), opts.strict)
}

fn run(data: &Path, out: Option<&Path>, strict: bool) -> Outcome {
    let discovered = load::discover(data); // 1. load (the walk)
    let mut outcome = Outcome {
        diags: discovered.diags,
        ..Outcome::default()
    };
    // What the last build left, and what each office's inputs are now.
    let tool = incremental::tool_id();
    let data_key = incremental::data_key(data);
    let previous = out.and_then(|dir| incremental::previous(dir, &data_key, &tool));
    let fingerprints: Vec<String> = discovered
        .offices
        .iter()
        .map(incremental::fingerprint)
        .collect();
    let reusable = |slug: &str, fp: &str| {
        previous
            .as_ref()
            .and_then(|s| s.offices.get(slug))
            .filter(|o| o.fingerprint == fp)
    };
    let site_intact = out.is_some_and(|dir| dir.join("index.html").is_file());
    if let Some(prev) = previous.as_ref().filter(|_| site_intact)
        && prev.offices.len() == discovered.offices.len()
        && discovered
            .offices
            .iter()
            .zip(&fingerprints)
            .all(|(o, fp)| reusable(&o.slug, fp).is_some())
        && !outcome.blocked(strict)
    {
        // Nothing changed: report what the last build found, touch nothing.
        for o in prev.offices.values() {
            outcome.diags.extend(o.diags.iter().cloned());
            outcome.sources.extend_entries(&o.sources);
            outcome.documents += o.documents;
        }
        outcome.reused = prev.offices.len();
        outcome.unchanged = !outcome.blocked(strict);
        if !outcome.unchanged {
            outcome.documents = 0;
        }
        diag::sort(&mut outcome.diags);
        return outcome;
    }
    // Compiled only now: the nothing-changed path above needs no templates.
    let templates = match render::Templates::new() {
        Ok(t) => t,
        Err(e) => {
            outcome.diags.push(e);
            return outcome;
        }
    };
    let publisher = match out {
        Some(dir) if !outcome.blocked(strict) => match site::Publisher::begin(dir) {
            Ok(p) => Some(p),
            Err(e) => {
                outcome.output_failed = true;
                outcome.diags.push(e);
                return outcome;
            }
        },
        _ => None,
    };
    let ctx = OfficeContext {
        templates: &templates,
        publisher: publisher.as_ref(),
        strict,
    };
    // 2.–5. per office, in parallel; results come back in folder order.
    use rayon::prelude::*;
    let results: Vec<OfficeResult> = discovered
        .offices
        .into_par_iter()
        .zip(fingerprints.into_par_iter())
        .map(|(o, fp)| {
            // Carried over if the last build has it and its files are all
            // still there; otherwise rebuilt.
            let reused = match (ctx.publisher, reusable(&o.slug, &fp)) {
                (Some(p), Some(state)) => reuse_office(&o.slug, &fp, state, p),
                _ => None,
            };
            reused.unwrap_or_else(|| {
                let mut r = process_office(o, &ctx);
                r.fingerprint = fp;
                r
            })
        })
        .collect();
    let mut state = incremental::State {
        tool,
        data: data_key,
        offices: Default::default(),
    };
    let mut index = Vec::new();
    let mut slugs = Vec::new();
    let mut failed = false;
    for r in results {
        if r.reused {
            outcome.reused += 1;
        } else {
            outcome.rebuilt += 1;
        }
        state.offices.insert(
            r.slug.clone(),
            incremental::OfficeState {
                fingerprint: r.fingerprint,
                files: r.files.into_inner(),
                index: r.index.clone(),
                documents: r.documents,
                diags: r.diags.clone(),
                sources: r.sources.entries(),
            },
        );
        outcome.diags.extend(r.diags);
        outcome.sources.extend(r.sources);
        outcome.documents += r.documents;
        failed |= r.failed;
        if let Some(entry) = r.index {
            index.push(entry);
            slugs.push(r.slug);
        }
    }
    if let Some(p) = publisher.filter(|_| !failed && !outcome.blocked(strict)) {
        match finish_site(p, &templates, index, &slugs, outcome.documents, &state) {
            Ok(()) => outcome.published = true,
            Err(e) => {
                outcome.output_failed = true;
                outcome.diags.push(e);
            }
        }
    }
    if !outcome.published {
        outcome.documents = 0;
    }
    diag::sort(&mut outcome.diags);
    outcome
}

/// What every office's pipeline shares.
struct OfficeContext<'a> {
    templates: &'a render::Templates,
    /// `None` for `check`: render, but write nothing.
    publisher: Option<&'a site::Publisher>,
    strict: bool,
}

/// What one office's pipeline hands back.
#[derive(Default)]
struct OfficeResult {
    slug: String,
    fingerprint: String,
    /// Carried over from the last build rather than rebuilt.
    reused: bool,
    /// Every file written for the office, relative to the site.
    files: std::cell::RefCell<Vec<PathBuf>>,
    diags: Vec<Diagnostic>,
    /// Texts of the files the findings point at.
    sources: Sources,
    index: Option<pages::IndexOffice>,
    documents: usize,
    /// Rendering or writing failed (the reason is in `diags`).
    failed: bool,
}

/// Where an office's search entries wait for the site's search index.
fn search_fragment(slug: &str) -> PathBuf {
    PathBuf::from(".nianbao/search").join(format!("{slug}.json"))
}

/// An unchanged office: its files linked into the new site, the rest from
/// the state; `None` if a file of the previous site is gone.
fn reuse_office(
    slug: &str,
    fingerprint: &str,
    state: &incremental::OfficeState,
    p: &site::Publisher,
) -> Option<OfficeResult> {
    let mut r = OfficeResult {
        slug: slug.to_string(),
        fingerprint: fingerprint.to_string(),
        reused: true,
        index: state.index.clone(),
        documents: state.documents,
        diags: state.diags.clone(),
        ..OfficeResult::default()
    };
    r.sources.extend_entries(&state.sources);
    for f in &state.files {
        p.reuse(f).ok()?;
    }
    r.files = std::cell::RefCell::new(state.files.clone());
    Some(r)
}

fn process_office(mut src: load::OfficeSrc, ctx: &OfficeContext) -> OfficeResult {
    let mut r = OfficeResult {
        slug: src.slug.clone(),
        ..OfficeResult::default()
    };
    let (mut sources, mut diags) = load::parse_office(&mut src); // 1. load
    let (office, mut found) = check::check_office(&src, &sources); // 2. check
    diags.append(&mut found);
    drop(src);
    let blocked = diags.iter().any(|d| d.blocks(ctx.strict));
    if let (Some(office), false) = (office, blocked) {
        render_office(&office, ctx, &mut r, &mut diags);
    }
    sources.retain_for(&diags);
    r.diags = diags;
    r.sources = sources;
    r
}

/// Metrics, charts and documents of every year of an office, its page and
/// its search entries; files go straight to the publisher.
fn render_office(
    office: &model::Office,
    ctx: &OfficeContext,
    r: &mut OfficeResult,
    diags: &mut Vec<Diagnostic>,
) {
    let renderers: [&dyn Renderer; 2] = [
        &render::Html(ctx.templates),
        &render::Markdown(ctx.templates),
    ];
    let files = &r.files;
    let put = |rel: &Path, content: &[u8], diags: &mut Vec<Diagnostic>| -> bool {
        files.borrow_mut().push(rel.to_path_buf());
        match ctx.publisher.map(|p| p.write(rel, content)) {
            Some(Err(e)) => {
                diags.push(e);
                false
            }
            _ => true,
        }
    };
    let mut ok = true;
    let mut search = Vec::new();
    let mut years = Vec::new();
    let mut all_metrics = Vec::with_capacity(office.years.len());
    for (i, year) in office.years.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| &office.years[j]);
        let m = metrics::year_metrics(year, prev); // 3. metrics
        let dir = PathBuf::from(&office.slug).join(year.year.to_string());
        let year_charts = charts::year_charts(year, &m); // 4a. charts
        let mut docs = Vec::new();
        // 4b. render, 5. write
        let mut emit = |stem: &str,
                        title: &str,
                        render: &dyn Fn(&dyn Renderer) -> Result<String, Diagnostic>,
                        diags: &mut Vec<Diagnostic>|
         -> bool {
            for renderer in renderers {
                match render(renderer) {
                    Ok(text) => {
                        if renderer.extension() == "md" {
                            search.push(pages::SearchEntry {
                                title: title.to_string(),
                                office: office.name.clone(),
                                year: year.year,
                                url: format!("{}/{}/{stem}.html", office.slug, year.year),
                                text: pages::plain_text(&text),
                            });
                        }
                        let rel = dir.join(format!("{stem}.{}", renderer.extension()));
                        if !put(&rel, text.as_bytes(), diags) {
                            return false;
                        }
                        r.documents += 1;
                    }
                    Err(e) => {
                        diags.push(e);
                        return false;
                    }
                }
            }
            docs.push(pages::DocLink {
                name: title.to_string(),
                href: format!("{}/{stem}.html", year.year),
                md_href: format!("{}/{stem}.md", year.year),
            });
            true
        };
        match render::summary_view(office, year, &m, &year_charts) {
            Ok(view) => {
                for c in view.charts() {
                    ok &= put(&dir.join(&c.file), c.document.as_bytes(), diags);
                }
                ok &= emit("summary", &view.title, &|r| r.render_summary(&view), diags);
            }
            Err(mut e) => {
                diags.append(&mut e);
                ok = false;
            }
        }
        if let Some(plan) = &year.plan {
            match plan::plan_view(office, year, plan, &m) {
                Ok(view) => ok &= emit("plan", &view.title, &|r| r.render_plan(&view), diags),
                Err(mut e) => {
                    diags.append(&mut e);
                    ok = false;
                }
            }
        }
        years.push(pages::OfficeYear {
            year: year.year,
            title: year.title.clone(),
            headlines: pages::headlines(year, &m),
            docs,
        });
        all_metrics.push(m);
    }
    years.reverse();
    let trend = charts::trend_chart(office, &all_metrics).map(|c| render::chart_view_at(&c, ""));
    if let Some(t) = &trend {
        ok &= put(
            &PathBuf::from(&office.slug).join(&t.file),
            t.document.as_bytes(),
            diags,
        );
    }
    if let (Some(latest), Some(y)) = (office.years.last(), years.first()) {
        r.index = Some(pages::IndexOffice {
            name: office.name.clone(),
            href: pages::office_href(office),
            latest_year: latest.year,
            latest_title: latest.title.clone(),
            latest_href: format!("{}/{}/summary.html", office.slug, latest.year),
            headlines: y.headlines.clone(),
            years: years.len(),
        });
    }
    let view = pages::OfficeView {
        name: office.name.clone(),
        root: "../".into(),
        years,
        trend,
    };
    match ctx.templates.render_office(&view) {
        Ok(html) => {
            ok &= put(
                Path::new(&pages::office_href(office)),
                html.as_bytes(),
                diags,
            )
        }
        Err(e) => {
            diags.push(e);
            ok = false;
        }
    }
    ok &= put(
        &search_fragment(&office.slug),
        pages::search_entries_json(&search).as_bytes(),
        diags,
    );
    r.failed = !ok;
}

/// The pages over all offices, the shared static files and the search
/// index (the offices' fragments joined in order), then the swap.
fn finish_site(
    p: site::Publisher,
    templates: &render::Templates,
    offices: Vec<pages::IndexOffice>,
    slugs: &[String],
    documents: usize,
    state: &incremental::State,
) -> Result<(), Diagnostic> {
    let index = pages::IndexView { offices, documents };
    p.write(
        Path::new("index.html"),
        templates.render_index(&index)?.as_bytes(),
    )?;
    p.write(
        Path::new("search.html"),
        templates.render_search()?.as_bytes(),
    )?;
    p.write(Path::new("static/style.css"), render::STYLE_CSS.as_bytes())?;
    p.write(Path::new("static/search.js"), render::SEARCH_JS.as_bytes())?;
    // A script that sets one global, so that search works from disk
    // (`file://`) too, where a page may not fetch JSON. Joined straight into
    // the file: the index is the largest thing the site has, so it is never
    // held whole in memory.
    let mut js = std::io::BufWriter::new(p.create(Path::new("static/search-index.js"))?);
    let io =
        |e: std::io::Error| Diagnostic::error(format!("写入搜索索引失败：{}", load::io_reason(&e)));
    js.write_all(b"window.NIANBAO_SEARCH = [").map_err(io)?;
    let mut first = true;
    for slug in slugs {
        let path = p.staging().join(search_fragment(slug));
        let mut part = std::fs::File::open(&path).map_err(|e| {
            Diagnostic::error(format!(
                "读取搜索索引片段“{}”失败：{}",
                path.display(),
                load::io_reason(&e)
            ))
        })?;
        if part.metadata().map(|m| m.len()).unwrap_or(0) > 0 {
            if !first {
                js.write_all(b",").map_err(io)?;
            }
            first = false;
            std::io::copy(&mut part, &mut js).map_err(io)?;
        }
    }
    js.write_all(b"];\n").map_err(io)?;
    js.flush().map_err(io)?;
    drop(js);
    let state = serde_json::to_vec(state)
        .map_err(|e| Diagnostic::error(format!("无法保存构建状态：{e}")))?;
    p.write(Path::new(incremental::STATE), &state)?;
    p.commit()
}

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
pub fn check(data: &Path) -> Outcome {
    let loaded = load::load(data);
    let checked = check::check(&loaded);
    let mut out = Outcome {
        diags: checked.diags,
        ..Outcome::default()
    };
    // Narrative citations are part of the data: check them too.
    if !out.blocked(false) {
        let _ = render_documents(&checked.offices, &mut out.diags);
    }
    diag::sort(&mut out.diags);
    out.sources = loaded.sources;
    out
}

/// Run the whole pipeline. Errors in the data stop it before anything is
/// written; the previous `output/` then stays as it was.
pub fn build(opts: &Options) -> Outcome {
    let loaded = load::load(&opts.data); // 1. load
    let checked = check::check(&loaded); // 2. check
    let mut out = Outcome {
        diags: checked.diags,
        ..Outcome::default()
    };
    if !out.blocked(opts.strict) {
        // 3. metrics and 4. render
        let site = render_documents(&checked.offices, &mut out.diags);
        if let Some((site, documents)) = site.filter(|_| !out.blocked(opts.strict)) {
            // 5. site
            match site::publish(&opts.out, &site) {
                Ok(()) => {
                    out.published = true;
                    out.documents = documents;
                }
                Err(e) => {
                    out.output_failed = true;
                    out.diags.push(e);
                }
            }
        }
    }
    diag::sort(&mut out.diags);
    out.sources = loaded.sources;
    out
}

/// Metrics and rendering of every office-year, then the pages around them;
/// `None` if anything failed (the reasons are pushed to `diags`).
fn render_documents(
    offices: &[model::Office],
    diags: &mut Vec<Diagnostic>,
) -> Option<(site::SiteFiles, usize)> {
    let templates = match render::Templates::new() {
        Ok(t) => t,
        Err(e) => {
            diags.push(e);
            return None;
        }
    };
    let renderers: [&dyn Renderer; 2] = [&render::Html(&templates), &render::Markdown(&templates)];
    let mut site = site::SiteFiles::default();
    let mut documents = 0;
    let mut index = Vec::new();
    let mut search = Vec::new();
    let mut ok = true;
    // Render one document in every format; keep the Markdown for search.
    let mut emit = |site: &mut site::SiteFiles,
                    diags: &mut Vec<Diagnostic>,
                    dir: &Path,
                    stem: &str,
                    render: &dyn Fn(&dyn Renderer) -> Result<String, Diagnostic>|
     -> Option<String> {
        let mut md = None;
        for r in renderers {
            match render(r) {
                Ok(text) => {
                    if r.extension() == "md" {
                        md = Some(pages::plain_text(&text));
                    }
                    site.add(dir.join(format!("{stem}.{}", r.extension())), text);
                    documents += 1;
                }
                Err(e) => {
                    diags.push(e);
                    return None;
                }
            }
        }
        md
    };
    for office in offices {
        let mut years = Vec::new();
        let mut all_metrics = Vec::with_capacity(office.years.len());
        for (i, year) in office.years.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| &office.years[j]);
            let m = metrics::year_metrics(year, prev);
            let dir = PathBuf::from(&office.slug).join(year.year.to_string());
            let year_charts = charts::year_charts(year, &m);
            let mut docs = Vec::new();
            match render::summary_view(office, year, &m, &year_charts) {
                Ok(view) => {
                    for c in view.charts() {
                        site.add(dir.join(&c.file), c.document.as_str());
                    }
                    match emit(&mut site, diags, &dir, "summary", &|r| {
                        r.render_summary(&view)
                    }) {
                        Some(text) => search.push(pages::SearchEntry {
                            title: view.title.clone(),
                            office: office.name.clone(),
                            year: year.year,
                            url: format!("{}/{}/summary.html", office.slug, year.year),
                            text,
                        }),
                        None => ok = false,
                    }
                    docs.push(pages::DocLink {
                        name: view.title.clone(),
                        href: format!("{}/summary.html", year.year),
                        md_href: format!("{}/summary.md", year.year),
                    });
                }
                Err(mut e) => {
                    diags.append(&mut e);
                    ok = false;
                }
            }
            if let Some(plan) = &year.plan {
                match plan::plan_view(office, year, plan, &m) {
                    Ok(view) => {
                        match emit(&mut site, diags, &dir, "plan", &|r| r.render_plan(&view)) {
                            Some(text) => search.push(pages::SearchEntry {
                                title: view.title.clone(),
                                office: office.name.clone(),
                                year: year.year,
                                url: format!("{}/{}/plan.html", office.slug, year.year),
                                text,
                            }),
                            None => ok = false,
                        }
                        docs.push(pages::DocLink {
                            name: view.title.clone(),
                            href: format!("{}/plan.html", year.year),
                            md_href: format!("{}/plan.md", year.year),
                        });
                    }
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
        let trend =
            charts::trend_chart(office, &all_metrics).map(|c| render::chart_view_at(&c, ""));
        if let Some(t) = &trend {
            site.add(
                PathBuf::from(&office.slug).join(&t.file),
                t.document.as_str(),
            );
        }
        if let (Some(latest), Some(y)) = (office.years.last(), years.first()) {
            index.push(pages::IndexOffice {
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
        match templates.render_office(&view) {
            Ok(html) => site.add(pages::office_href(office), html),
            Err(e) => {
                diags.push(e);
                ok = false;
            }
        }
    }
    let index = pages::IndexView {
        offices: index,
        documents,
    };
    for (path, page) in [
        ("index.html", templates.render_index(&index)),
        ("search.html", templates.render_search()),
    ] {
        match page {
            Ok(html) => site.add(path, html),
            Err(e) => {
                diags.push(e);
                ok = false;
            }
        }
    }
    site.add("static/style.css", render::STYLE_CSS);
    site.add("static/search.js", render::SEARCH_JS);
    site.add("static/search-index.js", pages::search_index_js(&search));
    ok.then_some((site, documents))
}

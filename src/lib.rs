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

/// Metrics and rendering of every office-year; `None` if anything failed
/// (the reasons are pushed to `diags`).
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
    let mut index = render::IndexView {
        offices: Vec::new(),
    };
    let mut ok = true;
    for office in offices {
        let mut years = Vec::new();
        let mut all_metrics = Vec::with_capacity(office.years.len());
        for (i, year) in office.years.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| &office.years[j]);
            let m = metrics::year_metrics(year, prev);
            let dir = PathBuf::from(&office.slug).join(year.year.to_string());
            let year_charts = charts::year_charts(year, &m);
            let view = render::summary_view(office, year, &m, &year_charts);
            all_metrics.push(m);
            let view = match view {
                Ok(v) => v,
                Err(mut e) => {
                    diags.append(&mut e);
                    ok = false;
                    continue;
                }
            };
            for c in view.charts() {
                site.add(dir.join(&c.file), c.document.as_str());
            }
            for r in renderers {
                match r.render_summary(&view) {
                    Ok(text) => {
                        site.add(dir.join(format!("summary.{}", r.extension())), text);
                        documents += 1;
                    }
                    Err(e) => {
                        diags.push(e);
                        ok = false;
                    }
                }
            }
            years.push(render::IndexYear {
                year: year.year,
                title: year.title.clone(),
                href: format!("{}/{}/summary.html", office.slug, year.year),
                md_href: format!("{}/{}/summary.md", office.slug, year.year),
            });
        }
        years.reverse();
        let trend = charts::trend_chart(office, &all_metrics)
            .map(|c| render::chart_view_at(&c, &format!("{}/", office.slug)));
        if let Some(t) = &trend {
            site.add(&t.file, t.document.as_str());
        }
        index.offices.push(render::IndexOffice {
            name: office.name.clone(),
            years,
            trend,
        });
    }
    match templates.render_index(&index) {
        Ok(html) => site.add("index.html", html),
        Err(e) => {
            diags.push(e);
            ok = false;
        }
    }
    site.add("static/style.css", render::STYLE_CSS);
    ok.then_some((site, documents))
}

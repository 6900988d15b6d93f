//! Stage 6, render: view structs → HTML and Markdown strings with Tera.
//! Writes nothing. One renderer per output format, behind [`Renderer`].

pub(crate) mod docx;
pub(crate) mod search;

use std::path::PathBuf;

use serde::Serialize;

use crate::analysis::metrics::YearMetrics;
use crate::charts::OfficeCharts;
use crate::diag::{Failure, Internal, TemplateFailure};
use crate::model::Office;
use crate::views::chart_view_at;
use crate::views::escape::md_escape;
use crate::views::pages::{self, IndexOffice, IndexView, OfficeView};
use crate::views::plan::{self, PlanView};
use crate::views::summary::{self, SummaryView};

/// The templates, compiled into the binary from `templates/`.
const TEMPLATES: [(&str, &str); 16] = [
    ("summary.html", include_str!("../../templates/summary.html")),
    ("summary.md", include_str!("../../templates/summary.md")),
    ("table.html", include_str!("../../templates/table.html")),
    ("table.md", include_str!("../../templates/table.md")),
    ("chart.html", include_str!("../../templates/chart.html")),
    ("plan.html", include_str!("../../templates/plan.html")),
    ("plan.md", include_str!("../../templates/plan.md")),
    ("crumbs.html", include_str!("../../templates/crumbs.html")),
    ("head.html", include_str!("../../templates/head.html")),
    ("office.html", include_str!("../../templates/office.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("chart.md", include_str!("../../templates/chart.md")),
    ("index.html", include_str!("../../templates/index.html")),
    ("item.html", include_str!("../../templates/item.html")),
    ("item.md", include_str!("../../templates/item.md")),
    ("sign.md", include_str!("../../templates/sign.md")),
];

/// The stylesheet, written once to `static/style.css`.
pub(crate) const STYLE_CSS: &str = include_str!("../../templates/style.css");
/// The search script, written once to `static/search.js`.
pub(crate) const SEARCH_JS: &str = include_str!("../../templates/search.js");

/// A Tera message in Chinese: the ones an office's template meets most
/// (a variable or a field that is not there), with Tera's own words kept
/// after the general message for the rest.
///
/// Tera gives these only as text: its `ReportError` has a message, a file
/// and a span, but no kind. So the two messages are read by the exact form
/// tera 2.4 writes them in (vm/interpreter.rs: "Variable `x` is not
/// defined. Available variables: a, b" and "Field `x` is not defined[.
/// Available fields: …]"), and nothing else of its text is looked into.
fn template_message(msg: &str) -> String {
    if let Some((name, names)) = undefined(msg, "Variable", "variables") {
        let mut m = format!("变量“{name}”不存在");
        if let Some(names) = names {
            m += &format!("（可用的变量：{names}）");
        }
        m
    } else if let Some((name, names)) = undefined(msg, "Field", "fields") {
        let mut m = format!("字段“{name}”不存在");
        if let Some(names) = names {
            m += &format!("（可用的字段：{names}）");
        }
        m
    } else {
        format!("模板语法或用法有误（Tera：{msg}）")
    }
}

/// The name in Tera's "<What> `name` is not defined." and the names of its
/// " Available <whats>: a, b" after it (joined with 、), if it is that.
fn undefined<'a>(msg: &'a str, what: &str, whats: &str) -> Option<(&'a str, Option<String>)> {
    let rest = msg.strip_prefix(what)?.strip_prefix(" `")?;
    let (name, tail) = rest.split_once("` is not defined")?;
    let names = tail
        .strip_prefix('.')
        .and_then(|t| t.strip_prefix(&format!(" Available {whats}:")))
        .map(|names| names.trim().trim_end_matches('.').replace(", ", "、"));
    Some((name, names))
}

/// One output format of a document.
pub(crate) trait Renderer {
    /// File extension of the output, e.g. `html`.
    fn extension(&self) -> &'static str;
    fn render_summary(&self, view: &SummaryView) -> Result<String, Failure>;
    fn render_plan(&self, view: &PlanView) -> Result<String, Failure>;
}

/// Compiled templates shared by the renderers: the built-ins, with the
/// office's own (`templates/`) in their place where it has them.
pub(crate) struct Templates {
    tera: tera::Tera,
    /// The office's templates by name, for errors that point at them.
    own: std::collections::BTreeMap<String, PathBuf>,
    pub(crate) style_css: String,
    pub(crate) search_js: String,
}

/// Every built-in template and static file by name, as `nianbao templates
/// export` writes them out.
pub(crate) fn builtin_files() -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<(&str, &str)> = TEMPLATES.to_vec();
    all.push(("style.css", STYLE_CSS));
    all.push(("search.js", SEARCH_JS));
    all.sort();
    all
}

impl Templates {
    pub(crate) fn new(own: &crate::input::TemplateFiles) -> Result<Templates, Failure> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on([".html"]);
        tera.register_filter("md", |s: &str, _: tera::Kwargs, _: &tera::State| {
            md_escape(s)
        });
        tera.register_filter("cell", |s: &str, _: tera::Kwargs, _: &tera::State| {
            md_escape(s).replace('|', "\\|").replace('\n', " ")
        });
        tera.add_raw_templates(TEMPLATES)
            .map_err(|e| Failure::Internal(Internal::BuiltinTemplate(e.to_string())))?;
        let mut t = Templates {
            tera,
            own: Default::default(),
            style_css: STYLE_CSS.to_string(),
            search_js: SEARCH_JS.to_string(),
        };
        let mut pages = Vec::new();
        for (name, path, text) in &own.files {
            t.own.insert(name.clone(), path.clone());
            match name.as_str() {
                "style.css" => t.style_css = text.clone(),
                "search.js" => t.search_js = text.clone(),
                _ => pages.push((name.as_str(), text.as_str())),
            }
        }
        if !pages.is_empty() {
            t.tera.add_raw_templates(pages).map_err(|e| t.failure(&e))?;
        }
        Ok(t)
    }

    /// A template error: in the office's own template, a finding at its
    /// file and line; in a built-in one, nianbao's own bug.
    fn failure(&self, e: &tera::Error) -> Failure {
        let report = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
            _ => None,
        };
        let own = report.and_then(|r| self.own.get(r.filename()).map(|p| (r, p)));
        match own {
            Some((r, path)) => {
                let span = r.span();
                Failure::Template(TemplateFailure {
                    file: path.clone(),
                    line: span.start_line,
                    column: span.start_col + 1,
                    what: template_message(r.message()),
                })
            }
            None => Failure::Internal(Internal::Template(e.to_string())),
        }
    }

    fn render(&self, name: &str, view: &impl Serialize) -> Result<String, Failure> {
        let ctx = tera::Context::from_serialize(view)
            .map_err(|e| Failure::Internal(Internal::Serialize(e.to_string())))?;
        self.tera.render(name, &ctx).map_err(|e| self.failure(&e))
    }

    pub(crate) fn render_index(&self, view: &IndexView) -> Result<String, Failure> {
        self.render("index.html", view)
    }

    pub(crate) fn render_office(&self, view: &OfficeView) -> Result<String, Failure> {
        self.render("office.html", view)
    }

    pub(crate) fn render_search(&self) -> Result<String, Failure> {
        self.render("search.html", &serde_json::json!({}))
    }
}

pub(crate) struct Html<'a>(pub(crate) &'a Templates);
pub(crate) struct Markdown<'a>(pub(crate) &'a Templates);

impl Renderer for Html<'_> {
    fn extension(&self) -> &'static str {
        "html"
    }
    fn render_summary(&self, view: &SummaryView) -> Result<String, Failure> {
        self.0.render("summary.html", view)
    }
    fn render_plan(&self, view: &PlanView) -> Result<String, Failure> {
        self.0.render("plan.html", view)
    }
}

impl Renderer for Markdown<'_> {
    fn extension(&self) -> &'static str {
        "md"
    }
    fn render_summary(&self, view: &SummaryView) -> Result<String, Failure> {
        let text = self.0.render("summary.md", view)?;
        Ok(tidy_markdown(&text))
    }
    fn render_plan(&self, view: &PlanView) -> Result<String, Failure> {
        let text = self.0.render("plan.md", view)?;
        Ok(tidy_markdown(&text))
    }
}

/// Collapse the blank-line runs templates leave behind.
fn tidy_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blanks = 0;
    for line in s.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blanks += 1;
            continue;
        }
        if blanks > 0 && !out.is_empty() {
            out.push('\n');
        }
        blanks = 0;
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A file of the site: its path relative to the site and its content.
pub(crate) struct SiteFile {
    pub(crate) path: PathBuf,
    pub(crate) bytes: Vec<u8>,
}

/// Everything an office puts into the site, rendered.
pub(crate) struct OfficeDocs {
    pub(crate) files: Vec<SiteFile>,
    pub(crate) index: Option<IndexOffice>,
    /// Documents (总结, 计划 …) in every format.
    pub(crate) documents: usize,
    /// The years of its searchable documents, in the order of its search
    /// script (the search manifest lists them).
    pub(crate) search_years: Vec<i32>,
}

/// Render an office: every year's documents in every format with their
/// charts, the office page with its trend chart, and its search entries.
pub(crate) fn office_documents(
    t: &Templates,
    office: &Office,
    metrics: &[YearMetrics],
    charts: &OfficeCharts,
    units: &[pages::UnitLink],
) -> Result<OfficeDocs, Failure> {
    let renderers: [&dyn Renderer; 2] = [&Html(t), &Markdown(t)];
    let mut out = OfficeDocs {
        files: Vec::new(),
        index: None,
        documents: 0,
        search_years: Vec::new(),
    };
    let mut search = Vec::new();
    let mut years = Vec::new();
    for ((year, m), year_charts) in office.years.iter().zip(metrics).zip(&charts.years) {
        let dir = PathBuf::from(&office.slug).join(year.year.to_string());
        let mut docs = Vec::new();
        let summary = year
            .has_report
            .then(|| summary::summary_view(office, year, m, year_charts));
        for c in summary.iter().flat_map(|s| s.charts()) {
            out.files.push(SiteFile {
                path: dir.join(&c.file),
                bytes: c.document.clone().into_bytes(),
            });
        }
        let plan = year
            .plan
            .as_ref()
            .map(|p| plan::plan_view(office, year, p, m));
        let views: [Option<(&str, &str, &dyn Document)>; 2] = [
            summary
                .as_ref()
                .map(|v| ("summary", v.title.as_str(), v as &dyn Document)),
            plan.as_ref()
                .map(|v| ("plan", v.title.as_str(), v as &dyn Document)),
        ];
        for (stem, title, view) in views.into_iter().flatten() {
            for r in renderers {
                let text = view.render_with(r)?;
                if r.extension() == "md" {
                    search.push(crate::output::search::SearchEntry {
                        title: title.to_string(),
                        office: office.name.clone(),
                        year: year.year,
                        url: format!("{}/{}/{stem}.html", office.slug, year.year),
                        text: view.search_text(),
                    });
                }
                out.files.push(SiteFile {
                    path: dir.join(format!("{stem}.{}", r.extension())),
                    bytes: text.into_bytes(),
                });
                out.documents += 1;
            }
            out.files.push(SiteFile {
                path: dir.join(format!("{stem}.docx")),
                bytes: view.docx()?,
            });
            out.documents += 1;
            docs.push(pages::DocLink {
                name: title.to_string(),
                href: format!("{}/{stem}.html", year.year),
                md_href: format!("{}/{stem}.md", year.year),
                docx_href: format!("{}/{stem}.docx", year.year),
            });
        }
        // A year is known by its first document (the 总结, or the plan of a
        // year that has no report).
        let title = docs.first().map(|d| d.name.clone()).unwrap_or_default();
        years.push(pages::OfficeYear {
            year: year.year,
            title,
            headlines: pages::headlines(year, m),
            docs,
            draft: year.draft,
        });
    }
    years.reverse();
    let trend = charts.trend.as_ref().map(|c| chart_view_at(c, ""));
    if let Some(t) = &trend {
        out.files.push(SiteFile {
            path: PathBuf::from(&office.slug).join(&t.file),
            bytes: t.document.clone().into_bytes(),
        });
    }
    // The latest year is the latest finished one: a draft never is.
    if let Some(y) = years.iter().find(|y| !y.draft)
        && let Some(doc) = y.docs.first()
    {
        out.index = Some(IndexOffice {
            name: office.name.clone(),
            href: pages::office_href(office),
            latest_year: y.year,
            latest_title: doc.name.clone(),
            latest_href: format!("{}/{}", office.slug, doc.href),
            headlines: y.headlines.clone(),
            years: years.iter().filter(|y| !y.draft).count(),
        });
    }
    let view = OfficeView {
        name: office.name.clone(),
        root: "../".into(),
        years,
        trend,
        units: units.to_vec(),
    };
    out.files.push(SiteFile {
        path: PathBuf::from(pages::office_href(office)),
        bytes: t.render_office(&view)?.into_bytes(),
    });
    out.search_years = search.iter().map(|e| e.year).collect();
    let mut years = out.search_years.clone();
    years.dedup();
    for y in years {
        out.files.push(SiteFile {
            path: crate::output::search::year_file(&office.slug, y),
            bytes: crate::output::search::year_js(&office.slug, y, &search).into_bytes(),
        });
    }
    out.files.push(SiteFile {
        path: crate::output::search::keys_file(&office.slug),
        bytes: crate::output::search::office_keys(&search).into_bytes(),
    });
    Ok(out)
}

/// A document view that every renderer can turn into text.
trait Document {
    fn render_with(&self, r: &dyn Renderer) -> Result<String, Failure>;
    /// The document as Word (.docx) bytes.
    fn docx(&self) -> Result<Vec<u8>, Failure>;
    fn search_text(&self) -> String;
}

impl Document for SummaryView {
    fn render_with(&self, r: &dyn Renderer) -> Result<String, Failure> {
        r.render_summary(self)
    }
    fn docx(&self) -> Result<Vec<u8>, Failure> {
        crate::output::docx::summary(self)
    }
    fn search_text(&self) -> String {
        SummaryView::search_text(self)
    }
}

impl Document for PlanView {
    fn render_with(&self, r: &dyn Renderer) -> Result<String, Failure> {
        r.render_plan(self)
    }
    fn docx(&self) -> Result<Vec<u8>, Failure> {
        crate::output::docx::plan(self)
    }
    fn search_text(&self) -> String {
        PlanView::search_text(self)
    }
}

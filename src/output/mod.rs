//! Stage 6, render: view structs → HTML and Markdown with Tera, Word with
//! [`docx`]. Writes nothing. One renderer per output format, behind
//! [`Renderer`].

mod blame;
mod budget;
pub(crate) mod docx;
pub(crate) mod search;
pub(crate) mod xlsx;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analysis::metrics::YearMetrics;
use crate::charts::{OfficeCharts, YearCharts};
use crate::diag::{Failure, Internal, TemplateFailure};
use crate::model::{Office, Year};
use crate::views::escape::md_escape;
use crate::views::pages::{self, IndexOffice, IndexView, OfficeView};
use crate::views::plan::{self, PlanView};
use crate::views::provenance::{FigureView, FiguresPage, PageLink, Shown, figures_page, page_data};
use crate::views::summary::{self, SummaryView};
use crate::views::{ChartView, chart_view_at};
use search::SearchEntry;

/// The templates, compiled into the binary from `templates/`.
const TEMPLATES: [(&str, &str); 17] = [
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
    ("figures.html", include_str!("../../templates/figures.html")),
];

/// The stylesheet, written once to `static/style.css`.
const STYLE_CSS: &str = include_str!("../../templates/style.css");
/// The search script, written once to `static/search.js`.
const SEARCH_JS: &str = include_str!("../../templates/search.js");
/// The figures' panels and the 核对表's sorting, written once to
/// `static/figures.js`.
const FIGURES_JS: &str = include_str!("../../templates/figures.js");

/// One output format of a document.
trait Renderer {
    /// File extension of the output, e.g. `html`.
    fn extension(&self) -> &'static str;
    fn render(&self, doc: &Shared) -> Result<Vec<u8>, Failure>;
}

/// A document being rendered, and its template context: made from the
/// view once, for every format that uses templates (HTML and Markdown).
struct Shared<'d> {
    doc: &'d dyn Document,
    context: std::cell::OnceCell<tera::Context>,
}

impl<'d> Shared<'d> {
    fn new(doc: &'d dyn Document) -> Self {
        Shared {
            doc,
            context: std::cell::OnceCell::new(),
        }
    }

    fn context(&self) -> Result<&tera::Context, Failure> {
        if let Some(c) = self.context.get() {
            return Ok(c);
        }
        let c = self.doc.context()?;
        Ok(self.context.get_or_init(|| c))
    }
}

/// Compiled templates shared by the renderers: the built-ins, with the
/// office's own (`templates/`) in their place where it has them.
pub(crate) struct Templates {
    tera: tera::Tera,
    /// The office's templates by name, with their text, for errors that
    /// point at them.
    own: std::collections::BTreeMap<String, (PathBuf, String)>,
    pub(crate) style_css: String,
    pub(crate) search_js: String,
    pub(crate) figures_js: String,
}

/// Every built-in template and static file by name, as `nianbao templates
/// export` writes them out.
pub(crate) fn builtin_files() -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<(&str, &str)> = TEMPLATES.to_vec();
    all.push(("style.css", STYLE_CSS));
    all.push(("search.js", SEARCH_JS));
    all.push(("figures.js", FIGURES_JS));
    all.sort();
    all
}

impl Templates {
    pub(crate) fn new(own: &crate::input::TemplateFiles) -> Result<Templates, Failure> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on([".html"]);
        tera.set_escape_fn(crate::views::escape::tera_html_escape);
        tera.register_filter("md", |s: &str, _: tera::Kwargs, _: &tera::State| {
            budget::check().map(|()| md_escape(s))
        });
        tera.register_filter("cell", |s: &str, _: tera::Kwargs, _: &tera::State| {
            budget::check().map(|()| md_escape(s).replace('|', "\\|").replace('\n', " "))
        });
        // Tera's own, counted against the document's budget.
        tera.register_function("range", budget::range);
        tera.add_raw_templates(TEMPLATES)
            .map_err(|e| Failure::Internal(Internal::BuiltinTemplate(e.to_string())))?;
        let mut t = Templates {
            tera,
            own: Default::default(),
            style_css: STYLE_CSS.to_string(),
            search_js: SEARCH_JS.to_string(),
            figures_js: FIGURES_JS.to_string(),
        };
        let mut pages = Vec::new();
        for (name, path, text) in &own.files {
            t.own.insert(name.clone(), (path.clone(), text.clone()));
            match name.as_str() {
                "style.css" => t.style_css = text.clone(),
                "search.js" => t.search_js = text.clone(),
                "figures.js" => t.figures_js = text.clone(),
                _ => pages.push((name.as_str(), text.as_str())),
            }
        }
        if !pages.is_empty() {
            t.tera
                .add_raw_templates(pages)
                .map_err(|e| t.failure(&e, None))?;
        }
        Ok(t)
    }

    /// A template error: in the office's own template, a finding at its
    /// file, line and column; in a built-in one, nianbao's own bug.
    /// `rendering` is the template being rendered, blamed for what Tera
    /// gives no place for (the document too long, the budget spent).
    fn failure(&self, e: &tera::Error, rendering: Option<&str>) -> Failure {
        match blame::blame(e, &self.own, rendering) {
            Some(b) => Failure::Template(TemplateFailure {
                file: b.file,
                line: b.line,
                column: b.column,
                what: b.what,
            }),
            None => Failure::Internal(Internal::Template(e.to_string())),
        }
    }

    /// Render a template within the budget ([`budget`]): its time, the
    /// process's memory, the size of what it writes.
    fn render(&self, name: &str, view: &impl Serialize) -> Result<String, Failure> {
        self.render_context(name, &context(view)?)
    }

    /// [`Templates::render`] of a context made already.
    fn render_context(&self, name: &str, ctx: &tera::Context) -> Result<String, Failure> {
        String::from_utf8(self.render_bytes(name, ctx)?)
            .map_err(|e| Failure::Internal(Internal::Template(e.to_string())))
    }

    /// The rendered bytes, for a page written as it is: Tera writes only
    /// `str`s, so they are UTF-8, and checking it again cost 1 % of a build.
    fn render_bytes(&self, name: &str, ctx: &tera::Context) -> Result<Vec<u8>, Failure> {
        let shown = match self.own.get(name) {
            Some((path, _)) => path.display().to_string(),
            None => name.to_string(),
        };
        let _guard = budget::Guard::begin(shown);
        let mut out = budget::Capped::default();
        self.tera
            .render_to(name, ctx, &mut out)
            .map_err(|e| self.failure(&e, Some(name)))?;
        Ok(out.0)
    }

    pub(crate) fn render_index(&self, view: &IndexView) -> Result<String, Failure> {
        self.render("index.html", view)
    }

    fn render_office(&self, view: &OfficeView) -> Result<Vec<u8>, Failure> {
        self.render_bytes("office.html", &context(view)?)
    }

    pub(crate) fn render_search(&self) -> Result<String, Failure> {
        self.render("search.html", &serde_json::json!({}))
    }

    fn render_figures(&self, view: &FiguresPage) -> Result<Vec<u8>, Failure> {
        self.render_bytes("figures.html", &context(view)?)
    }
}

/// HTML, from the Tera templates.
struct Html<'a>(&'a Templates);
/// Markdown, from the Tera templates, blank-line runs collapsed.
struct Markdown<'a>(&'a Templates);
/// Word: the OOXML package [`docx`] writes by hand (no templates).
struct Word;

impl Renderer for Html<'_> {
    fn extension(&self) -> &'static str {
        "html"
    }
    fn render(&self, d: &Shared) -> Result<Vec<u8>, Failure> {
        let name = format!("{}.html", d.doc.stem());
        self.0.render_bytes(&name, d.context()?)
    }
}

impl Renderer for Markdown<'_> {
    fn extension(&self) -> &'static str {
        "md"
    }
    fn render(&self, d: &Shared) -> Result<Vec<u8>, Failure> {
        let name = format!("{}.md", d.doc.stem());
        let text = self.0.render_context(&name, d.context()?)?;
        Ok(tidy_markdown(&text).into_bytes())
    }
}

impl Renderer for Word {
    fn extension(&self) -> &'static str {
        "docx"
    }
    fn render(&self, d: &Shared) -> Result<Vec<u8>, Failure> {
        d.doc.docx()
    }
}

/// A view as a template context.
fn context(view: &impl Serialize) -> Result<tera::Context, Failure> {
    tera::Context::from_serialize(view)
        .map_err(|e| Failure::Internal(Internal::Serialize(e.to_string())))
}

/// Collapse the blank-line runs templates leave behind, and set the bold
/// lead-ins that end in Chinese punctuation where every CommonMark reader
/// sees them ([`crate::views::emphasis`]).
fn tidy_markdown(s: &str) -> String {
    let out = collapse_blank_lines(s);
    crate::views::emphasis::normalise(&out, crate::views::narrative::options()).into_owned()
}

/// Blank-line runs as one blank line, trailing spaces dropped.
fn collapse_blank_lines(s: &str) -> String {
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
    /// Stubs for where earlier versions put some of `files`: the site
    /// keeps one only where its published site has the old path.
    pub(crate) moved: Vec<SiteFile>,
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
    let (html, markdown) = (Html(t), Markdown(t));
    let mut r = OfficeRender {
        office,
        templates: t,
        renderers: [&html, &markdown, &Word],
        files: Vec::new(),
        moved: Vec::new(),
        documents: 0,
        search: Vec::new(),
    };
    let mut years = Vec::new();
    for ((year, m), year_charts) in office.years.iter().zip(metrics).zip(&charts.years) {
        let docs = r.year_documents(year, m, year_charts)?;
        years.push(office_year(year, m, docs));
    }
    years.reverse();
    let trend = charts.trend.as_ref().map(chart_view_at);
    if let Some(c) = &trend {
        r.chart_file(Path::new(&office.slug), c);
    }
    let index = index_entry(office, &years);
    let view = OfficeView {
        name: office.name.clone(),
        root: "../".into(),
        years,
        trend,
        units: units.to_vec(),
    };
    r.files.push(SiteFile {
        path: PathBuf::from(pages::office_href(office)),
        bytes: t.render_office(&view)?,
    });
    r.files.extend(search_files(office, &r.search));
    Ok(OfficeDocs {
        files: r.files,
        moved: r.moved,
        index,
        documents: r.documents,
        search_years: r.search.iter().map(|e| e.year).collect(),
    })
}

/// An office's documents being rendered: the files so far, how many
/// documents, and their search entries.
struct OfficeRender<'a> {
    office: &'a Office,
    templates: &'a Templates,
    /// Every output format, in the order their files are listed.
    renderers: [&'a dyn Renderer; 3],
    files: Vec<SiteFile>,
    moved: Vec<SiteFile>,
    documents: usize,
    search: Vec<SearchEntry>,
}

impl OfficeRender<'_> {
    /// A year's documents, the 总结 (with its charts' files) and the 计划,
    /// in every format; the links to them, for the office page.
    fn year_documents(
        &mut self,
        year: &Year,
        m: &YearMetrics,
        charts: &YearCharts,
    ) -> Result<Vec<pages::DocLink>, Failure> {
        let office = self.office;
        let dir = PathBuf::from(&office.slug).join(year.year.to_string());
        // The figures the year's documents show, numbered in order.
        let shown = Shown::new(&m.cite);
        let summary = year.has_report.then(|| {
            let mut v = summary::summary_view(office, (year, m), charts);
            crate::views::number_figures(&mut v.chapters, &shown);
            v
        });
        for c in summary.iter().flat_map(|s| s.charts()) {
            self.chart_file(&dir, c);
        }
        let plan = year
            .plan
            .as_ref()
            .filter(|_| plan::has_document(year))
            .map(|p| {
                let mut v = plan::plan_view(office, (year, p), m);
                crate::views::number_figures(&mut v.chapters, &shown);
                v
            });
        let made = shown.made();
        let rows = shown.rows(&made);
        let mut links = Vec::new();
        if let Some(v) = &summary {
            links.push(self.document(&dir, (year.year, &rows), &v.title, v)?);
        }
        if let Some(v) = &plan {
            links.push(self.document(&dir, (year.year, &rows), &v.title, v)?);
        }
        // Where `check` says it will be: one rule for both.
        if let Some(page) = crate::views::provenance::checklist(&office.slug, year) {
            self.checklist(page, year, &links, &rows)?;
        }
        Ok(links)
    }

    /// The year's 核对表, as a page (at `path`) and as a spreadsheet beside
    /// it.
    fn checklist(
        &mut self,
        path: PathBuf,
        year: &Year,
        links: &[pages::DocLink],
        rows: &[FigureView],
    ) -> Result<(), Failure> {
        let docs = links
            .iter()
            .map(|l| PageLink {
                name: l.name.clone(),
                href: l.href.rsplit('/').next().unwrap_or_default().to_string(),
            })
            .collect();
        let page = figures_page(&self.office.name, year, rows, docs);
        let sheet = path.with_file_name("figures.xlsx");
        self.files.push(SiteFile {
            path,
            bytes: self.templates.render_figures(&page)?,
        });
        self.files.push(SiteFile {
            path: sheet,
            bytes: xlsx::figures(rows)?,
        });
        Ok(())
    }

    /// One document in every format, as `<stem>.<extension>` in `dir`, and
    /// its search entry; its link. `rows`: the year's 核对表, whose figures
    /// the HTML's panels show.
    fn document(
        &mut self,
        dir: &Path,
        (year, rows): (i32, &[FigureView]),
        title: &str,
        view: &dyn Document,
    ) -> Result<pages::DocLink, Failure> {
        let stem = view.stem();
        let shared = Shared::new(view);
        for r in self.renderers {
            let mut bytes = r.render(&shared)?;
            if r.extension() == "html" {
                bytes = with_figures(bytes, year, rows);
            }
            self.files.push(SiteFile {
                path: dir.join(format!("{stem}.{}", r.extension())),
                bytes,
            });
            self.documents += 1;
        }
        self.search.push(SearchEntry {
            title: title.to_string(),
            office: self.office.name.clone(),
            year,
            url: format!("{}/{year}/{stem}.html", self.office.slug),
            text: view.search_text(),
        });
        Ok(pages::DocLink {
            name: title.to_string(),
            href: format!("{year}/{stem}.html"),
            md_href: format!("{year}/{stem}.md"),
            docx_href: format!("{year}/{stem}.docx"),
        })
    }
}

/// A document page with the figures it cites for its panels, before
/// `</body>` (see [`page_data`]).
fn with_figures(html: Vec<u8>, year: i32, rows: &[FigureView]) -> Vec<u8> {
    let Some(data) = page_data(year, rows, &html) else {
        return html;
    };
    let at = memchr::memmem::rfind(&html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + data.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(data.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Where versions before 2026-12 put a chart: in a `charts` folder beside
/// its page, now gone (a folder fewer for every report).
const OLD_CHARTS: &str = "charts";

impl OfficeRender<'_> {
    /// A chart's SVG file beside the page in `dir`, and a stub at its old
    /// path, `dir/charts/`, that shows it from there.
    fn chart_file(&mut self, dir: &Path, c: &ChartView) {
        self.files.push(SiteFile {
            path: dir.join(&c.file),
            bytes: c.document.clone().into_bytes(),
        });
        self.moved.push(SiteFile {
            path: dir.join(OLD_CHARTS).join(&c.file),
            bytes: moved_chart(c).into_bytes(),
        });
    }
}

/// The SVG for the old path of chart `c`, one folder below its file: it
/// shows the file (a link or bookmark to the old path still opens the
/// chart).
fn moved_chart(c: &ChartView) -> String {
    let (w, h, file) = (c.width, c.height, crate::views::escape::xml_text(&c.file));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" \
         xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\"><title>{}</title><image href=\"../{file}\" \
         xlink:href=\"../{file}\" width=\"{w}\" height=\"{h}\"/></svg>\n",
        crate::views::escape::xml_text(&c.caption)
    )
}

/// A year on the office page: known by its first document (the 总结, or
/// the plan of a year that has no report), with its headline figures.
fn office_year(year: &Year, m: &YearMetrics, docs: Vec<pages::DocLink>) -> pages::OfficeYear {
    let title = docs.first().map(|d| d.name.clone()).unwrap_or_default();
    pages::OfficeYear {
        year: year.year,
        title,
        headlines: pages::headlines(year, m),
        docs,
        draft: year.draft,
    }
}

/// The office on the site's index, by its latest year (newest first in
/// `years`): the latest finished one, as a draft never is.
fn index_entry(office: &Office, years: &[pages::OfficeYear]) -> Option<IndexOffice> {
    let y = years.iter().find(|y| !y.draft)?;
    let doc = y.docs.first()?;
    Some(IndexOffice {
        name: office.name.clone(),
        href: pages::office_href(office),
        latest_year: y.year,
        latest_title: doc.name.clone(),
        latest_href: format!("{}/{}", office.slug, doc.href),
        headlines: y.headlines.clone(),
        years: years.iter().filter(|y| !y.draft).count(),
    })
}

/// The office's search files: one script of texts per year, and its keys.
fn search_files(office: &Office, search: &[SearchEntry]) -> Vec<SiteFile> {
    let mut years: Vec<i32> = search.iter().map(|e| e.year).collect();
    years.dedup();
    let mut files: Vec<SiteFile> = years
        .into_iter()
        .map(|y| SiteFile {
            path: search::year_file(&office.slug, y),
            bytes: search::year_js(&office.slug, y, search).into_bytes(),
        })
        .collect();
    files.push(SiteFile {
        path: search::keys_file(&office.slug),
        bytes: search::office_keys(search).into_bytes(),
    });
    files
}

/// A document view that every renderer can turn into bytes.
trait Document {
    /// Its templates' and files' name: `summary`, `plan`.
    fn stem(&self) -> &'static str;
    fn context(&self) -> Result<tera::Context, Failure>;
    fn docx(&self) -> Result<Vec<u8>, Failure>;
    fn search_text(&self) -> String;
}

impl Document for SummaryView {
    fn stem(&self) -> &'static str {
        "summary"
    }
    fn context(&self) -> Result<tera::Context, Failure> {
        context(self)
    }
    fn docx(&self) -> Result<Vec<u8>, Failure> {
        docx::summary(self)
    }
    fn search_text(&self) -> String {
        SummaryView::search_text(self)
    }
}

impl Document for PlanView {
    fn stem(&self) -> &'static str {
        "plan"
    }
    fn context(&self) -> Result<tera::Context, Failure> {
        context(self)
    }
    fn docx(&self) -> Result<Vec<u8>, Failure> {
        docx::plan(self)
    }
    fn search_text(&self) -> String {
        PlanView::search_text(self)
    }
}

/// How the parts of a Word or Excel file are zipped: the same bytes from
/// every build on every system.
pub(crate) fn zip_options() -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        // Fastest deflate: the parts are small XML; the default level costs
        // twice the time for a few percent.
        .compression_level(Some(1))
        .last_modified_time(zip::DateTime::default())
        // "Made by" Unix wherever it is built: the zip crate would write DOS
        // on Windows, and the same document would differ by a byte.
        .system(zip::System::Unix)
}

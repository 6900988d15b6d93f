//! `nianbao check` (every finding of the data tree at once, nothing
//! written) and `nianbao names` (what the prose can cite).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::commands::args::Report;
use crate::commands::report::{Kind, finish};
use crate::diag::rule::Rule;
use crate::diag::{self, Diagnostic, Style};
use crate::model::cite;
use crate::paths::Paths;
use crate::{Outcome, input, pipeline};

pub(crate) fn run(data: &Path, report: &Report, style: Style) -> ExitCode {
    let outcome = check(&Paths::of_data(data));
    finish(&outcome, report, style, Kind::Check, |summary| {
        format!("检查完毕：{summary}。{}", checklists(&outcome.checklists))
    })
}

/// The site folder a build writes by default, as the summary names it.
const SITE: &str = "output";

/// At most this many 核对表 are named one by one.
const NAMED: usize = 3;

/// Where the summary line sends the reader to check the figures: the
/// 核对表 a build writes (`核对表（nianbao build 生成）：output/xx-qu/2017/figures.html。`),
/// or with many the pattern and the first; nothing when there is none.
fn checklists(lists: &[PathBuf]) -> String {
    let site = Path::new(SITE);
    let shown = |p: &PathBuf| site.join(p).display().to_string();
    match lists {
        [] => String::new(),
        few if few.len() <= NAMED => {
            let names: Vec<String> = few.iter().map(shown).collect();
            format!("核对表（nianbao build 生成）：{}。", names.join("、"))
        }
        [first, ..] => {
            let pattern = site.join("<单位>").join("<年度>").join("figures.html");
            format!(
                "核对表（nianbao build 生成）：每个年度一份，共 {} 份，在 {}，如 {}。",
                lists.len(),
                pattern.display(),
                shown(first)
            )
        }
    }
}

/// Load and check the data without writing anything: every stage up to
/// reconcile, for every office; nothing is rendered.
pub(crate) fn check(paths: &Paths) -> Outcome {
    let found = input::discover(&paths.data);
    let mut outcome = Outcome::with(found.diags);
    let every = vec![true; found.offices.len()];
    // Only the findings, the lines they show and the 核对表 a build would
    // write are kept of each office.
    let checked = pipeline::check_offices(&found.offices, &every, |_, a| {
        let lists = published_checklists(&a);
        (a.diags, a.sources, lists)
    });
    for (diags, sources, lists) in checked.into_iter().flatten() {
        outcome.diags.extend(diags);
        outcome.sources.extend(sources);
        outcome.checklists.extend(lists);
    }
    diag::sort(&mut outcome.diags);
    outcome.checklists.sort();
    outcome
}

/// The 核对表 a build writes for an office: one per year with a document,
/// drafts left out; none when a finding stops the office.
fn published_checklists(a: &pipeline::Analysed) -> Vec<PathBuf> {
    let Some(office) = a.office.as_ref() else {
        return Vec::new();
    };
    if a.diags.iter().any(|d| d.blocks(false)) {
        return Vec::new();
    }
    office
        .years
        .iter()
        .filter(|y| !y.draft)
        .filter_map(|y| crate::views::provenance::checklist(&office.slug, y))
        .collect()
}

pub(crate) fn run_names(
    data: &Path,
    office: Option<&str>,
    year: Option<i32>,
    style: Style,
) -> ExitCode {
    let (listing, outcome) = names(&Paths::of_data(data), office, year);
    let _ = std::io::stdout().write_all(listing.as_bytes());
    finish(&outcome, &Report::text(), style, Kind::Names, |summary| {
        format!("（数据检查：{summary}）")
    })
}

/// Every name the narrative of one office-year can cite, with its text as
/// it would print, grouped. `office` and `year` narrow the listing; without
/// them every office-year is listed.
pub(crate) fn names(paths: &Paths, office: Option<&str>, year: Option<i32>) -> (String, Outcome) {
    let found = input::discover(&paths.data);
    let mut outcome = Outcome::with(found.diags);
    let wanted: Vec<bool> = found
        .offices
        .iter()
        .map(|o| office.is_none_or(|s| o.slug == s))
        .collect();
    let mut out = String::new();
    let mut matched = false;
    // Each office's listing as it is checked: only the listing is kept.
    let checked = pipeline::check_offices(&found.offices, &wanted, |_, a| {
        let mut listing = String::new();
        for (y, m) in a.office.iter().flat_map(|o| o.years.iter().zip(&a.metrics)) {
            if year.is_none_or(|want| want == y.year) {
                let o = a.office.as_ref().map(|o| (&o.name, &o.slug));
                if let Some((name, slug)) = o {
                    listing += &cite::listing(name, slug, y.year, &m.cite);
                }
            }
        }
        (a.diags, a.sources, listing)
    });
    for (diags, sources, listing) in checked.into_iter().flatten() {
        outcome.diags.extend(diags);
        outcome.sources.extend(sources);
        matched |= !listing.is_empty();
        out += &listing;
    }
    if !matched {
        outcome.diags.push(nothing_matched(office, year));
    }
    diag::sort(&mut outcome.diags);
    (out, outcome)
}

fn nothing_matched(office: Option<&str>, year: Option<i32>) -> Diagnostic {
    let what = match (office, year) {
        (Some(o), Some(y)) => format!("单位“{o}”的 {y} 年度"),
        (Some(o), None) => format!("单位“{o}”"),
        (None, Some(y)) => format!("{y} 年度"),
        (None, None) => "任何单位".into(),
    };
    Diagnostic::error(Rule::DataFolder, format!("数据中没有{what}"))
        .hint("单位写文件夹名（如 xx-qu），年度写四位年份")
}

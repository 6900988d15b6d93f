//! `nianbao check` (every finding of the data tree at once, nothing
//! written) and `nianbao names` (what the prose can cite).

use std::io::Write;
use std::path::Path;
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
        format!("检查完毕：{summary}。")
    })
}

/// Load and check the data without writing anything: every stage up to
/// reconcile, for every office; nothing is rendered.
pub(crate) fn check(paths: &Paths) -> Outcome {
    let found = input::discover(&paths.data);
    let mut outcome = Outcome::with(found.diags);
    let every = vec![true; found.offices.len()];
    for a in pipeline::check_offices(&found.offices, &every)
        .into_iter()
        .flatten()
    {
        outcome.diags.extend(a.diags);
        outcome.sources.extend(a.sources);
    }
    diag::sort(&mut outcome.diags);
    outcome
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
    let checked = pipeline::check_offices(&found.offices, &wanted);
    for (a, _) in checked.into_iter().zip(&wanted).filter(|(_, w)| **w) {
        let Some(a) = a else { continue };
        outcome.diags.extend(a.diags);
        outcome.sources.extend(a.sources);
        let Some(model) = &a.office else { continue };
        for (y, m) in model.years.iter().zip(&a.metrics) {
            if year.is_some_and(|want| want != y.year) {
                continue;
            }
            matched = true;
            out += &cite::listing(&model.name, &model.slug, y.year, &m.cite);
        }
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

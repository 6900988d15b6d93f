//! `nianbao explain <单位> <年度> <名称>`: where one printed figure comes
//! from, as the web page's panel and the 核对表 show it (the same view of
//! the same citation table), in the terminal.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::commands::args::Report;
use crate::commands::report::{Kind, finish};
use crate::diag::rule::Rule;
use crate::diag::{self, Diagnostic, Style};
use crate::paths::Paths;
use crate::views::provenance;
use crate::{Outcome, input, pipeline};

pub(crate) fn run(data: &Path, office: &str, year: i32, name: &str, style: Style) -> ExitCode {
    let (text, outcome) = explain(&Paths::of_data(data), office, year, name);
    let _ = std::io::stdout().write_all(text.as_bytes());
    finish(&outcome, &Report::text(), style, Kind::Names, |summary| {
        format!("（数据检查：{summary}）")
    })
}

/// The provenance of `name` in `office`'s `year`, as text, and the
/// findings of the office (with one of its own when there is no such name).
pub(crate) fn explain(paths: &Paths, office: &str, year: i32, name: &str) -> (String, Outcome) {
    let found = input::discover(&paths.data);
    let mut outcome = Outcome::with(found.diags);
    let wanted: Vec<bool> = found.offices.iter().map(|o| o.slug == office).collect();
    let mut text = String::new();
    let mut missing = Some(format!("数据中没有单位“{office}”"));
    for (a, _) in pipeline::check_offices(&found.offices, &wanted, |_, a| a)
        .into_iter()
        .zip(&wanted)
        .filter(|(_, w)| **w)
    {
        let Some(mut a) = a else { continue };
        if let Some(model) = &a.office {
            crate::analysis::provenance::annotate_office(model, &mut a.metrics);
        }
        crate::analysis::provenance::note_findings(&mut a.metrics, &a.diags);
        if let Some(model) = &a.office {
            missing = Some(format!("单位“{office}”没有 {year} 年度"));
            if let Some(i) = model.years.iter().position(|y| y.year == year) {
                let table = &a.metrics[i].cite;
                match shown(table, year, name) {
                    Ok((t, files)) => {
                        text = t;
                        missing = None;
                        outcome.diags.extend(concerning(&a.diags, &files));
                    }
                    Err(why) => missing = Some(why),
                }
            }
        }
        if missing.is_some() {
            outcome
                .diags
                .extend(a.diags.iter().filter(|d| d.blocks(false)).cloned());
        }
        outcome.sources.extend(a.sources);
    }
    if let Some(why) = missing {
        outcome.diags.push(
            Diagnostic::error(Rule::CitationUnknown, why)
                .hint("单位写文件夹名（如 xx-qu），年度写四位年份，名称见 nianbao names"),
        );
    }
    diag::sort(&mut outcome.diags);
    (text, outcome)
}

/// The findings in the files a figure's numbers come from, and those that
/// stop the build.
fn concerning(all: &[Diagnostic], files: &[String]) -> Vec<Diagnostic> {
    all.iter()
        .filter(|d| {
            d.blocks(false)
                || d.file.as_deref().is_some_and(|f| {
                    files
                        .iter()
                        .any(|x| **x == *crate::model::provenance::Source::at(f, 0, 2).file)
                })
        })
        .cloned()
        .collect()
}

/// The text `nianbao explain` prints for one name and the files of its
/// numbers, or why it cannot.
fn shown(
    table: &crate::model::cite::CiteTable,
    year: i32,
    name: &str,
) -> Result<(String, Vec<String>), String> {
    let Some(found) = table.find(name) else {
        let mut why = format!("{year} 年度没有名称“{name}”");
        if let Some(near) = diag::did_you_mean(name, table.keys()) {
            why += &format!("（是不是“{near}”？）");
        }
        return Err(why);
    };
    let (Some(how), Some(view)) = (found.how, provenance::figure_view(name, found, table)) else {
        return Ok((
            format!("{name}：{}（不是计算或核对的数字）\n", found.text),
            Vec::new(),
        ));
    };
    let files = how.sources().map(|s| s.file.to_string()).collect();
    Ok((provenance::text(&view), files))
}

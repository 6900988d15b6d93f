//! `nianbao build`: check the data and publish the site.

use std::path::Path;
use std::process::ExitCode;

use crate::commands::args::{Report, SiteArgs};
use crate::commands::report::{Kind, finish};
use crate::diag::{self, Style};
use crate::paths::Paths;
use crate::pipeline::{self, Request};
use crate::{Options, Outcome};

pub(crate) fn run(site: SiteArgs, report: &Report, style: Style) -> ExitCode {
    let opts = site.options(report.strict);
    let outcome = build(&opts);
    finish(&outcome, report, style, Kind::Build, |summary| {
        built_line(&outcome, &opts.out, summary)
    })
}

/// Resolve the paths (refusing an output folder that would hold or replace
/// the data), then run the pipeline.
pub(crate) fn build(opts: &Options) -> Outcome {
    match Paths::of_site(&opts.data, &opts.out, opts.templates.as_deref()) {
        Ok(paths) => build_at(&paths, opts),
        Err(e) => Outcome::failed(e),
    }
}

/// Run the pipeline on paths already resolved (`serve` resolves them once
/// for all its builds).
pub(crate) fn build_at(paths: &Paths, opts: &Options) -> Outcome {
    pipeline::build(&Request {
        paths,
        strict: opts.strict,
        drafts: opts.drafts,
    })
}

/// The closing line of a build.
pub(crate) fn built_line(outcome: &Outcome, out: &Path, summary: &str) -> String {
    let dir = diag::display_path(out);
    if outcome.unchanged {
        return format!(
            "数据没有变化，{dir} 保持不变（{} 份文档；{summary}）",
            outcome.documents
        );
    }
    if outcome.published {
        let reused = if outcome.reused > 0 {
            format!(
                "；重建 {} 个单位，沿用 {} 个未变的单位",
                outcome.rebuilt, outcome.reused
            )
        } else {
            String::new()
        };
        return format!(
            "已生成 {} 份文档到 {dir}（{summary}{reused}）",
            outcome.documents
        );
    }
    let why = if outcome.diags.iter().any(|d| d.blocks(false)) {
        "请先改正错误"
    } else {
        "严格模式下警告也算失败"
    };
    format!("发现 {summary}；{why}，未生成任何文件。")
}

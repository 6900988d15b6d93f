//! The `nianbao` command: a thin layer over the library that prints
//! findings and maps the outcome to an exit code.
//!
//! Exit codes:
//! - 0: success (`build`: the site was written; `check`: no errors);
//!   warnings are allowed unless `--strict`;
//! - 1: the data has errors (`build`: errors not acknowledged in the data;
//!   `check`: any error, acknowledged or not); with `--strict`, warnings too;
//! - 2: wrong command-line usage;
//! - 3: the output could not be written (the previous site is untouched).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use nianbao::diag::{self, Counts};

#[derive(Parser)]
#[command(
    name = "nianbao",
    version,
    about = "年报：由年度数据生成工作总结与计划（HTML 与 Markdown）",
    after_help = "退出码：0 成功；1 数据有错误（--strict 时警告也算）；2 命令用法错误；3 输出目录无法写入"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 检查数据并生成站点到输出目录(有未说明的错误时不生成)
    Build {
        /// 数据目录
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// 输出目录(整体替换,仅限 nianbao 生成的目录)
        #[arg(long, default_value = "output")]
        out: PathBuf,
        #[command(flatten)]
        report: Report,
    },
    /// 只检查数据,报告全部错误和警告,不生成文件
    Check {
        /// 数据目录
        #[arg(long, default_value = "data")]
        data: PathBuf,
        #[command(flatten)]
        report: Report,
    },
}

#[derive(clap::Args)]
struct Report {
    /// 严格模式:警告和已说明的错误也算失败
    #[arg(long)]
    strict: bool,
    /// 结果格式:text(按文件分组,供人阅读)或 json(写到标准输出,供工具使用)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (outcome, out_dir, report) = match &cli.command {
        Command::Build { data, out, report } => (
            nianbao::build(&nianbao::Options {
                data: data.clone(),
                out: out.clone(),
                strict: report.strict,
            }),
            Some(out),
            report,
        ),
        Command::Check { data, report } => (nianbao::check(data), None, report),
    };
    let counts = Counts::of(&outcome.diags);
    if report.format == Format::Json {
        let _ =
            std::io::stdout().write_all(diag::to_json(&outcome.diags, &outcome.sources).as_bytes());
    }
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    if report.format == Format::Text {
        let _ = write!(
            err,
            "{}",
            diag::render_grouped(&outcome.diags, &outcome.sources)
        );
    }
    let summary = counts.describe();
    if outcome.output_failed {
        let _ = writeln!(err, "输出失败，原有站点未改动。");
        return ExitCode::from(3);
    }
    match out_dir {
        Some(dir) if outcome.unchanged => {
            let _ = writeln!(
                err,
                "数据没有变化，{}/ 保持不变（{} 份文档；{summary}）",
                dir.display(),
                outcome.documents
            );
            ExitCode::SUCCESS
        }
        Some(dir) if outcome.published => {
            let reused = if outcome.reused > 0 {
                format!(
                    "；重建 {} 个单位，沿用 {} 个未变的单位",
                    outcome.rebuilt, outcome.reused
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                err,
                "已生成 {} 份文档到 {}/（{summary}{reused}）",
                outcome.documents,
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Some(_) => {
            let why = if report.strict && !outcome.blocked(false) {
                "严格模式下警告也算失败"
            } else {
                "请先改正错误"
            };
            let _ = writeln!(err, "发现 {summary}；{why}，未生成任何文件。");
            ExitCode::from(1)
        }
        None => {
            let _ = writeln!(err, "检查完毕：{summary}。");
            let failed = counts.errors > 0 || (report.strict && counts.warnings > 0);
            if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

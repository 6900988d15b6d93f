//! The `nianbao` command: a thin layer over the library that prints
//! findings and maps the outcome to an exit code.
//!
//! Exit codes: 0 success (warnings allowed); 1 the data has errors;
//! 2 wrong command-line usage; 3 the output could not be written.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use nianbao::diag::{self, Severity};

#[derive(Parser)]
#[command(
    name = "nianbao",
    version,
    about = "年报:由年度数据生成工作总结与计划(HTML 与 Markdown)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 检查数据并生成站点到输出目录
    Build {
        /// 数据目录
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// 输出目录(整体替换,仅限 nianbao 生成的目录)
        #[arg(long, default_value = "output")]
        out: PathBuf,
    },
    /// 只检查数据,不生成文件
    Check {
        /// 数据目录
        #[arg(long, default_value = "data")]
        data: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (outcome, out_dir) = match &cli.command {
        Command::Build { data, out } => (
            nianbao::build(&nianbao::Options {
                data: data.clone(),
                out: out.clone(),
            }),
            Some(out.clone()),
        ),
        Command::Check { data } => (nianbao::check(data), None),
    };
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for d in &outcome.diags {
        let _ = writeln!(err, "{}", diag::render(d, &outcome.sources));
    }
    let errors = outcome
        .diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = outcome.diags.len() - errors;
    if outcome.output_failed {
        let _ = writeln!(err, "输出失败,原有站点未改动。");
        return ExitCode::from(3);
    }
    if errors > 0 {
        let _ = writeln!(
            err,
            "发现 {errors} 个错误、{warnings} 个警告;未生成任何文件。"
        );
        return ExitCode::from(1);
    }
    match out_dir {
        Some(dir) => {
            let _ = writeln!(
                err,
                "已生成 {} 份文档到 {}/({warnings} 个警告)",
                outcome.documents,
                dir.display()
            );
        }
        None => {
            let _ = writeln!(err, "检查完毕:0 个错误,{warnings} 个警告。");
        }
    }
    ExitCode::SUCCESS
}

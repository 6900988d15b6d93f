//! The `nianbao` command, one file per command (as zola's `src/cmd/`):
//! arguments are parsed once (`args`), each command resolves its paths
//! (`crate::paths`), runs, and hands its outcome to `report`, which prints
//! it and decides the exit code:
//!
//! - 0: success (`build`: the site was written; `check`: no errors);
//!   warnings are allowed unless `--strict`;
//! - 1: the data has errors (`build`: errors not acknowledged in the data;
//!   `check`: any error, acknowledged or not); with `--strict`, warnings too;
//! - 2: wrong command-line usage;
//! - 3: the output could not be written (the previous site is untouched);
//! - 4: an internal error: nianbao itself is wrong (never the data).

pub(crate) mod args;
pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod explain;
pub(crate) mod import;
pub(crate) mod migrate;
pub(crate) mod new;
pub(crate) mod report;
pub(crate) mod schema;
pub(crate) mod serve;

use std::process::ExitCode;

use args::{Command, TemplatesAction};

/// Run the command line; the exit code says how it went.
pub fn main() -> ExitCode {
    let cli = match args::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let style = report::terminal_style();
    match cli.command {
        Command::Build { site, report } => build::run(site, &report, style),
        Command::Serve { site, port, bind } => serve::run(site, port, bind, style),
        Command::Check { data, report } => check::run(&data, &report, style),
        Command::Names { data, office, year } => {
            check::run_names(&data, office.as_deref(), year, style)
        }
        Command::Explain {
            data,
            office,
            year,
            name,
        } => explain::run(&data, &office, year, &name, style),
        Command::New {
            data,
            office,
            year,
            draft,
        } => new::run(&data, &office, year, draft, style),
        Command::Import(args) => import::run(args, style),
        Command::Migrate { data, force } => migrate::run(&data, force),
        Command::Schema { dir } => schema::run(&dir),
        Command::Templates {
            action: TemplatesAction::Export { dir },
        } => new::run_export(&dir, style),
    }
}

//! The command line's arguments (clap, with every string of its own in
//! Chinese): what each command takes, parsed once into these types, and
//! clap's help and usage errors put into Chinese.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::Options;

const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
{usage-heading} {usage}

{all-args}{after-help}";

#[derive(Parser)]
#[command(
    name = "nianbao",
    version,
    about = "年报：由年度数据生成工作总结与计划（HTML、Markdown 与 Word）",
    after_help = "在存放 data 文件夹的目录里运行（Windows：在该文件夹的地址栏输入 cmd 回车，再输入 nianbao.exe build）：\n  nianbao build   生成站点到 output，打开 output\\index.html 查看\n  nianbao check   只检查数据\n\n退出码：0 成功；1 数据有错误（--strict 时警告也算）；2 命令用法错误；3 输出目录无法写入；4 nianbao 内部错误",
    bin_name = "nianbao",
    subcommand_value_name = "命令",
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "命令",
    next_help_heading = "选项",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
    /// 显示帮助
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,
    /// 显示版本
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Subcommand)]
#[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
pub(crate) enum Command {
    /// 检查数据并生成站点到输出目录（有未说明的错误时不生成）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Build {
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        report: Report,
    },
    /// 生成并在本机预览站点：数据或模板一改动就重新生成，打开的页面自动刷新并显示检查结果
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// 端口（0：任选一个空闲端口）
        #[arg(long, default_value_t = 8000, value_name = "端口")]
        port: u16,
        /// 监听的地址（默认只许本机访问；要让局域网访问写 0.0.0.0）
        #[arg(long, default_value = "127.0.0.1", value_name = "地址")]
        bind: std::net::IpAddr,
    },
    /// 只检查数据，一次报告全部错误和警告，不生成文件
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Check {
        /// 数据目录
        #[arg(long, default_value = "data", value_name = "目录")]
        data: PathBuf,
        #[command(flatten)]
        report: Report,
    },
    /// 列出文字中可以引用的全部名称及其数值（{{ f["名称"] }}）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Names {
        /// 数据目录
        #[arg(long, default_value = "data", value_name = "目录")]
        data: PathBuf,
        /// 单位文件夹名，如 xx-qu（不写则列出全部单位）
        #[arg(value_name = "单位")]
        office: Option<String>,
        /// 年度，如 2017（不写则列出全部年度）
        #[arg(value_name = "年度")]
        year: Option<i32>,
    },
    /// 说明一个印出的数字从哪里来：算式、各项数字所在的文件和行、经过的核对
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Explain {
        /// 数据目录
        #[arg(long, default_value = "data", value_name = "目录")]
        data: PathBuf,
        /// 单位文件夹名，如 xx-qu
        #[arg(value_name = "单位")]
        office: String,
        /// 年度，如 2017
        #[arg(value_name = "年度")]
        year: i32,
        /// 文字中引用的名称，如 新增扶贫小额信贷.完成率（见 nianbao names）
        #[arg(value_name = "名称")]
        name: String,
    },
    /// 新建单位（office.yaml 和当年各文件），或从上一年度开始新的年度
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    New {
        /// 数据目录
        #[arg(long, default_value = "data", value_name = "目录")]
        data: PathBuf,
        /// 单位文件夹名，如 xx-xian（只用小写字母、数字、-、_）
        #[arg(value_name = "单位")]
        office: String,
        /// 年度，如 2018（已有单位时必写：从上一年度结转；新单位默认今年）
        #[arg(value_name = "年度")]
        year: Option<i32>,
        /// 标为草稿（只检查，不发布，直到删掉 draft: true）
        #[arg(long)]
        draft: bool,
    },
    /// 从 Excel（.xlsx）或 CSV 导入项目库、资金批次或历年退出，写成 YAML
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Import(ImportArgs),
    /// 把旧格式的写法（改了名的引用名称、键和值）改写为现在的写法，注释和排版不变，原文件留作 .bak
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Migrate {
        /// 数据目录
        #[arg(long, default_value = "data", value_name = "目录")]
        data: PathBuf,
        /// 数据目录在 git 中有未提交的改动时也照样改写
        #[arg(long)]
        force: bool,
    },
    /// 为每种数据文件写出 JSON Schema（供 VS Code 等编辑器补全、悬停说明和标红）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Schema {
        /// 写到哪个目录（如 data/.schema）
        #[arg(value_name = "目录")]
        dir: PathBuf,
    },
    /// 模板：把内置模板写到一个目录，作为单位自己修改的起点
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", subcommand_value_name = "操作", subcommand_help_heading = "操作")]
    Templates {
        #[command(subcommand)]
        action: TemplatesAction,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ImportWhat {
    /// 项目库 → projects.yaml
    #[value(alias = "项目")]
    Projects,
    /// 资金批次 → funds.yaml 的 special.batches
    #[value(alias = "批次")]
    Batches,
    /// 历年退出 → register.yaml 的 exits
    #[value(alias = "退出")]
    Exits,
}

#[derive(Subcommand)]
pub(crate) enum TemplatesAction {
    /// 写出全部内置模板（已有的同名文件不覆盖，会报错）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Export {
        /// 目标目录，如 templates（放在 data 旁边即自动使用）
        #[arg(value_name = "目录")]
        dir: PathBuf,
    },
}

/// What `import` reads and where it writes.
#[derive(clap::Args)]
pub(crate) struct ImportArgs {
    /// 导入什么：projects（项目库）、batches（资金批次）或 exits（历年退出）
    #[arg(value_enum, value_name = "内容")]
    pub(crate) what: ImportWhat,
    /// 表格文件：.xlsx、.xls、.ods 或 .csv（UTF-8 或 GBK）
    #[arg(value_name = "文件")]
    pub(crate) file: PathBuf,
    /// 写到哪个年度文件夹，如 data/xx-xian/2023
    #[arg(long, value_name = "目录")]
    pub(crate) to: PathBuf,
    /// 工作表名称（默认第一个）
    #[arg(long, value_name = "名称")]
    pub(crate) sheet: Option<String>,
    /// 表头与字段的对应，可写多次，如 --map 投资额=budget
    #[arg(long, value_name = "表头=字段")]
    pub(crate) map: Vec<String>,
    /// 有错的行报告出来，其余照样写入（默认：有一处错就什么也不写）
    #[arg(long)]
    pub(crate) partial: bool,
    /// 替换已有的 projects.yaml（原文件留作 projects.yaml.bak）
    #[arg(long)]
    pub(crate) replace: bool,
}

/// What `build` and `serve` build: from where, to where, with what.
#[derive(clap::Args)]
pub(crate) struct SiteArgs {
    /// 数据目录
    #[arg(long, default_value = "data", value_name = "目录")]
    pub(crate) data: PathBuf,
    /// 输出目录（整体替换，仅限 nianbao 生成的目录）
    #[arg(long, default_value = "output", value_name = "目录")]
    pub(crate) out: PathBuf,
    /// 单位自己的模板目录（默认：数据目录旁的 templates 文件夹，有则使用）
    #[arg(long, value_name = "目录")]
    pub(crate) templates: Option<PathBuf>,
    /// 也发布草稿年度（标“草稿”，不作为最新；有错误的草稿仍不发布）
    #[arg(long)]
    pub(crate) drafts: bool,
}

impl SiteArgs {
    pub(crate) fn options(self, strict: bool) -> Options {
        Options {
            data: self.data,
            out: self.out,
            templates: self.templates,
            strict,
            drafts: self.drafts,
        }
    }
}

#[derive(clap::Args)]
pub(crate) struct Report {
    /// 严格模式：警告和已说明的错误也算失败
    #[arg(long)]
    pub(crate) strict: bool,
    /// 结果格式：text（按文件分组，供人阅读）或 json（写到标准输出，供工具使用）
    #[arg(long, value_enum, default_value_t = Format::Text, value_name = "格式")]
    pub(crate) format: Format,
}

impl Report {
    /// Findings as text, warnings allowed: what the commands without
    /// `--strict` and `--format` print.
    pub(crate) fn text() -> Report {
        Report {
            strict: false,
            format: Format::Text,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

/// Parse the arguments; on a usage error or a request for help, print it
/// in Chinese and give the exit code.
pub(crate) fn parse() -> Result<Cli, ExitCode> {
    let matches = Cli::command()
        .help_template(HELP_TEMPLATE)
        .try_get_matches();
    let result = matches.and_then(|m| Cli::from_arg_matches(&m));
    result.map_err(|e| match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let text = chinese_help(&e.render().to_string());
            let _ = std::io::stdout().write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let text = chinese_help(&e.render().to_string());
            let _ = std::io::stderr().write_all(text.as_bytes());
            ExitCode::from(2)
        }
        _ => {
            let _ = writeln!(std::io::stderr(), "{}", usage_error(&e));
            ExitCode::from(2)
        }
    })
}

/// clap's help with its few fixed English words and ASCII colons in Chinese.
fn chinese_help(text: &str) -> String {
    text.replace("Usage: ", "用法：")
        .replace("Usage:", "用法：")
        .replace("命令:\n", "命令：\n")
        .replace("选项:\n", "选项：\n")
        .replace("[OPTIONS]", "[选项]")
        .replace("Arguments:\n", "参数：\n")
        .replace("[default: ", "[默认：")
        .replace("[possible values: ", "[可选：")
}

/// A clap usage error in Chinese, with its suggestion.
fn usage_error(e: &clap::Error) -> String {
    let value = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let invalid_arg = value(ContextKind::InvalidArg);
    let invalid_value = value(ContextKind::InvalidValue);
    let message = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            format!("不认识的命令“{}”", value(ContextKind::InvalidSubcommand))
        }
        ErrorKind::UnknownArgument => format!("不认识的选项“{invalid_arg}”"),
        ErrorKind::InvalidValue => {
            format!("选项 {invalid_arg} 的值“{invalid_value}”不可用")
        }
        ErrorKind::ValueValidation => {
            format!("“{invalid_value}”不是 {invalid_arg} 可用的值")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必填的参数 {invalid_arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".into(),
        ErrorKind::ArgumentConflict => format!("选项 {invalid_arg} 不能与其他选项同时使用"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {invalid_arg} 的个数不对（多余的值：{invalid_value}）")
        }
        ErrorKind::NoEquals => format!("选项 {invalid_arg} 的值要用“=”连接"),
        _ => "命令行参数有误".into(),
    };
    let mut out = format!("错误：{message}");
    let suggested = [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .map(value)
    .find(|s| !s.is_empty());
    if let Some(s) = suggested {
        out += &format!("\n提示：是否想写“{s}”？");
    }
    let valid = value(ContextKind::ValidValue);
    if !valid.is_empty() {
        out += &format!("\n可用的值：{valid}");
    }
    let valid = value(ContextKind::ValidSubcommand);
    if !valid.is_empty() {
        out += &format!("\n可用的命令：{valid}");
    }
    out + "\n用法：nianbao <命令> [选项]；nianbao --help 列出全部命令和选项"
}

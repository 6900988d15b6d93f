//! Failures: what stops a command that is not a finding in the data. One
//! enum per kind of failure, with what it concerns and its source kept; the
//! Chinese message of every kind is written in this file and nowhere else
//! (as just's `compile_error_kind.rs` does), and the exit code follows the
//! kind (`commands::report::exit_code`).

use std::fmt::{self, Display};
use std::path::PathBuf;

use crate::diag::io_reason;

/// Why a command stopped.
#[derive(Debug)]
pub enum Failure {
    /// The command line asks for something that cannot be done (exit 2).
    Usage(Usage),
    /// A file or folder could not be read or written (exit 3; the previous
    /// site is untouched).
    Io(IoFailure),
    /// The output folder cannot be used as it is (exit 3).
    Refused(Refusal),
    /// An error in the office's own template (exit 1), at its file:line.
    Template(TemplateFailure),
    /// nianbao itself is wrong, never the data (exit 4).
    Internal(Internal),
}

/// A command-line request that cannot be done.
#[derive(Debug)]
pub enum Usage {
    /// `--templates` names no folder.
    TemplatesDir(PathBuf),
    /// An office's own template is not UTF-8.
    TemplateEncoding(PathBuf),
    /// A sheet to import could not be read.
    Sheet { path: PathBuf, why: String },
    /// `nianbao new` with a folder name nianbao cannot use.
    Slug { slug: String, why: String },
    /// `nianbao new` with a year nianbao does not read as a year folder.
    Year(i32),
    /// `nianbao new` for an office there already, without a year.
    OfficeExists(String),
    /// `import --to` is not a year folder.
    ImportTo(PathBuf),
    /// `import --map` names a field the kind has not.
    ImportField {
        heading: String,
        field: String,
        known: Vec<&'static str>,
    },
    /// `import projects` where a projects.yaml is, without `--replace`.
    ImportTargetExists(PathBuf),
    /// `import` would write a file nianbao could not read back (or cannot
    /// edit the one there): nothing is written.
    ImportRefused { path: PathBuf, why: String },
    /// The output folder is, holds or lies inside the data folder.
    OutOverlapsData {
        out: PathBuf,
        data: PathBuf,
        clash: Overlap,
    },
    /// Files to create are there already (`new`, `templates export`).
    NamesTaken {
        dir: PathBuf,
        what: &'static str,
        names: Vec<String>,
    },
    /// `serve` cannot listen where asked.
    Bind { addr: String, why: String },
}

/// How an output folder overlaps the data folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlap {
    Same,
    HoldsData,
    InsideData,
}

/// What nianbao was doing with a file when the system said no.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Read,
    ReadTemplates,
    ReadTemplate,
    Write,
    WriteFile,
    Create,
    CreateDir,
    CreateLock,
    Lock,
    Remove,
    CleanUp,
    RestoreOldSite,
    Reuse,
    Backup,
    Publish,
    Watch,
}

/// A file operation that failed, with the system's error.
#[derive(Debug)]
pub struct IoFailure {
    pub(crate) op: Op,
    pub(crate) path: PathBuf,
    pub(crate) source: std::io::Error,
}

/// Why the output folder cannot be used; each with what to do.
#[derive(Debug)]
pub enum Refusal {
    /// Another build holds the lock.
    Locked(PathBuf),
    /// The output path has no parent folder (a root, say).
    Unusable(PathBuf),
    /// A folder there that nianbao did not make.
    NotOurs(PathBuf),
    MountPoint(PathBuf),
    NoSpace {
        dir: PathBuf,
        free: u64,
        need: u64,
    },
    /// A file of the site is held open by another program.
    Busy {
        out: PathBuf,
        source: std::io::Error,
    },
}

/// An error in the office's own template.
#[derive(Debug)]
pub struct TemplateFailure {
    pub(crate) file: PathBuf,
    pub(crate) line: usize,
    pub(crate) column: usize,
    /// What Tera says is wrong, in Chinese (`output` translates it).
    pub(crate) what: String,
}

/// nianbao itself is wrong.
#[derive(Debug)]
pub enum Internal {
    /// Two printed figures contradict each other.
    Contradiction(Vec<String>),
    /// A built-in template does not compile.
    BuiltinTemplate(String),
    /// A template fails where the office's own file is not to blame.
    Template(String),
    /// A view could not be handed to the templates.
    Serialize(String),
    /// The Word package could not be written.
    Word(String),
    /// The 核对表's spreadsheet could not be written.
    Sheet(String),
    /// The build state could not be saved.
    State(String),
    /// A search index fragment of the last build could not be read.
    SearchFragment(PathBuf),
    /// A path to write that could climb out of its folder.
    UnsafePath(PathBuf),
    /// File watching (`serve`) could not start.
    Watch(String),
}

impl Failure {
    pub(crate) fn io(op: Op, path: &std::path::Path, source: std::io::Error) -> Failure {
        Failure::Io(IoFailure {
            op,
            path: path.to_path_buf(),
            source,
        })
    }

    /// The whole message, as the terminal prints it.
    pub(crate) fn message(&self) -> String {
        match self {
            Failure::Usage(u) => format!("用法错误：{u}"),
            Failure::Io(e) => format!("输出错误：{e}"),
            Failure::Refused(r) => format!("输出错误：{r}"),
            Failure::Template(t) => format!("模板错误：{t}"),
            Failure::Internal(i) => format!(
                "内部错误（nianbao 自身的问题，不是数据的问题）：{i}\n请把这条信息和所用的 nianbao 版本报告给维护者。"
            ),
        }
    }
}

impl Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Failure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Failure::Io(e) => Some(&e.source),
            Failure::Refused(Refusal::Busy { source, .. }) => Some(source),
            _ => None,
        }
    }
}

impl Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Usage::TemplatesDir(d) => write!(f, "模板目录“{}”不存在或不是文件夹", d.display()),
            Usage::TemplateEncoding(p) => {
                write!(f, "模板“{}”不是 UTF-8 编码，请另存为 UTF-8", p.display())
            }
            Usage::Sheet { path, why } => write!(f, "无法读取“{}”：{why}", path.display()),
            Usage::Slug { slug, why } => write!(f, "单位文件夹名“{slug}”不可用：{why}"),
            Usage::Year(y) => write!(
                f,
                "年度“{y}”不可用：年度写四位数的年份，1978 到 2100 之间，如 2024"
            ),
            Usage::OfficeExists(slug) => write!(
                f,
                "单位“{slug}”已经有了；开始新的年度用 nianbao new {slug} <年度>"
            ),
            Usage::ImportTo(p) => write!(
                f,
                "--to 应为年度文件夹，如 data/<单位>/2023（写的是“{}”）",
                p.display()
            ),
            Usage::ImportField {
                heading,
                field,
                known,
            } => write!(
                f,
                "--map {heading}={field}：没有字段“{field}”；可用的字段：{}",
                known.join("、")
            ),
            Usage::ImportTargetExists(p) => write!(
                f,
                "“{}”已经有了；要用导入的项目替换它，加 --replace（原文件留作备份 projects.yaml.bak，已有时为 .bak.1、.bak.2 …）",
                p.display()
            ),
            Usage::ImportRefused { path, why } => {
                write!(f, "未导入，“{}”没有改动：{why}", path.display())
            }
            Usage::OutOverlapsData { out, data, clash } => {
                let why = match clash {
                    Overlap::Same => "与数据目录是同一个文件夹",
                    Overlap::HoldsData => "包含数据目录，替换它会删除数据",
                    Overlap::InsideData => "位于数据目录之内",
                };
                write!(
                    f,
                    "输出目录“{}”{why}（数据目录“{}”）\n提示：用 --out 指定数据目录以外的一个专用文件夹，如 output",
                    out.display(),
                    data.display()
                )
            }
            Usage::NamesTaken { dir, what, names } => write!(
                f,
                "“{}”中已有同名文件，未写入任何{what}（不覆盖已有文件）：{}",
                dir.display(),
                names.join("、")
            ),
            Usage::Bind { addr, why } => write!(f, "无法在 {addr} 上启动预览：{why}"),
        }
    }
}

impl Op {
    fn verb(self) -> &'static str {
        match self {
            Op::Read => "读取",
            Op::ReadTemplates => "读取模板目录",
            Op::ReadTemplate => "读取模板",
            Op::Write => "写入",
            Op::WriteFile => "写入文件",
            Op::Create => "创建",
            Op::CreateDir => "创建目录",
            Op::CreateLock => "创建锁文件",
            Op::Lock => "锁定",
            Op::Remove => "删除",
            Op::CleanUp => "清理临时目录",
            Op::RestoreOldSite => "恢复旧站点",
            Op::Reuse => "复用",
            Op::Backup => "备份",
            Op::Publish => "发布站点到",
            Op::Watch => "监视",
        }
    }
}

impl Display for IoFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}“{}”失败：{}",
            self.op.verb(),
            self.path.display(),
            io_reason(&self.source)
        )
    }
}

impl Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (message, hint) = match self {
            Refusal::Locked(p) => (
                format!("另一个 nianbao 正在写入“{}”", p.display()),
                "等它结束后再试",
            ),
            Refusal::Unusable(p) => (
                format!("输出目录“{}”不可用", p.display()),
                "用 --out 指定一个专用的输出文件夹，如 output",
            ),
            Refusal::NotOurs(p) => (
                format!("“{}”已存在且不是 nianbao 生成的站点，不会覆盖", p.display()),
                "换一个输出目录（--out），或先把这个文件夹移走",
            ),
            Refusal::MountPoint(p) => (
                format!("输出目录“{}”是一个挂载点，无法整体替换", p.display()),
                "用 --out 指定挂载点下面的一个子文件夹，如 site/output",
            ),
            Refusal::NoSpace { dir, free, need } => (
                format!(
                    "“{}”所在的磁盘只剩 {}，生成站点约需 {}",
                    dir.display(),
                    mib(*free),
                    mib(*need)
                ),
                "清理磁盘，或用 --out 把站点写到别的磁盘",
            ),
            Refusal::Busy { out, source } => (
                format!(
                    "无法替换“{}”：其中的文件正被其他程序打开或没有权限（{}）",
                    out.display(),
                    io_reason(source)
                ),
                "关闭正在使用站点的程序（如 IIS、浏览器、资源管理器窗口、杀毒软件）后重新构建",
            ),
        };
        write!(f, "{message}\n提示：{hint}")
    }
}

/// Bytes in MiB with one decimal (a message, not a figure of the data).
fn mib(bytes: u64) -> String {
    let tenths = (u128::from(bytes) * 10 + 524_288) / 1_048_576;
    format!("{}.{} MiB", tenths / 10, tenths % 10)
}

impl Display for TemplateFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}：{}",
            self.file.display(),
            self.line,
            self.column,
            self.what
        )
    }
}

impl Display for Internal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Internal::Contradiction(list) => write!(f, "印出的数字相互矛盾：{}", list.join("；")),
            Internal::BuiltinTemplate(e) => write!(f, "内置模板有误：{e}"),
            Internal::Template(e) => write!(f, "模板有误：{e}"),
            Internal::Serialize(e) => write!(f, "模板数据无法序列化：{e}"),
            Internal::Word(e) => write!(f, "写 Word 文件失败：{e}"),
            Internal::Sheet(e) => write!(f, "写核对表（figures.xlsx）失败：{e}"),
            Internal::State(e) => write!(f, "无法保存构建状态：{e}"),
            Internal::SearchFragment(p) => write!(f, "搜索索引片段“{}”无法读取", p.display()),
            Internal::UnsafePath(p) => write!(f, "拒绝写入不安全的路径“{}”", p.display()),
            Internal::Watch(e) => write!(f, "无法监视文件变化：{e}"),
        }
    }
}

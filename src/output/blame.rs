//! Tera's errors, blamed on the office's own template at its file, line
//! and column, in Chinese.
//!
//! Tera gives most of them only as text: its `ReportError` has a message,
//! a file and a span but no kind, and what it finds when templates are
//! added (an unknown template, function or filter) comes as one message
//! of reports in the form tera 2.4 writes them (reporting.rs:
//! "error: <message>\n<pad>--> <file>:<line>:<col>\n…"). So those forms are
//! read exactly, the messages below by the exact words tera 2.4 writes
//! (vm/interpreter.rs, tera.rs), and nothing else of its text is looked
//! into: anything else keeps Tera's words after a general Chinese message.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::budget;

/// Where an error is, and what it is.
pub(super) struct Blame {
    pub(super) file: PathBuf,
    pub(super) line: usize,
    pub(super) column: usize,
    pub(super) what: String,
}

/// The office's templates: name → (path, text).
type Own = BTreeMap<String, (PathBuf, String)>;

/// The error blamed on one of the office's own templates, if it lies in
/// one (else it is nianbao's own bug).
pub(super) fn blame(e: &tera::Error, own: &Own, rendering: Option<&str>) -> Option<Blame> {
    use tera::ErrorKind as K;
    let at = |name: &str, line: usize, column: usize, what: String| {
        own.get(name).map(|(path, _)| Blame {
            file: path.clone(),
            line,
            column,
            what,
        })
    };
    // Where `needle` first stands in a template's text, 1-based.
    let find = |name: &str, needle: &str| -> (usize, usize) {
        let text = own.get(name).map_or("", |(_, t)| t.as_str());
        text.lines()
            .enumerate()
            .find_map(|(i, l)| l.find(needle).map(|c| (i + 1, l[..c].chars().count() + 1)))
            .unwrap_or((1, 1))
    };
    match e.kind() {
        K::SyntaxError(r) | K::RenderingError(r) => {
            let span = r.span();
            at(
                r.filename(),
                span.start_line,
                span.start_col + 1,
                message(r.message()),
            )
        }
        K::Msg(text) => {
            let (name, line, column, msg) = first_report(text)?;
            at(name, line, column, message(msg))
        }
        K::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            let (line, col) = find(tpl, "extends");
            let chain = inheritance_chain.join(" → ");
            let what = format!("模板的 extends 绕成了圈（{chain} → {tpl}）");
            at(tpl, line, col, what)
        }
        K::CircularInclude { tpl, include_chain } => {
            let (line, col) = find(tpl, "include");
            let what = format!("模板的 include 绕成了圈（{}）", include_chain.join(" → "));
            at(tpl, line, col, what)
        }
        K::MissingParent { current, parent } => {
            let (line, col) = find(current, parent);
            at(current, line, col, missing_template(parent))
        }
        K::TemplateNotFound(name) => {
            let who = rendering.filter(|r| own.contains_key(*r))?;
            let (line, col) = find(who, name);
            at(who, line, col, missing_template(name))
        }
        K::Io(_) => {
            let who = rendering?;
            let what = budget::cancelled_why().unwrap_or_else(|| {
                format!(
                    "生成的文档超过 {} MiB（循环太多？）",
                    budget::MAX_OUTPUT / (1024 * 1024)
                )
            });
            // The document as a whole: its first line.
            match own.get(who) {
                Some(_) => at(who, 1, 1, what),
                None => own.keys().next().and_then(|n| at(n, 1, 1, what)),
            }
        }
        _ => None,
    }
}

/// The first report of a message of reports: its file, line, column and
/// message.
fn first_report(text: &str) -> Option<(&str, usize, usize, &str)> {
    let mut lines = text.lines();
    let msg = lines.next()?.strip_prefix("error: ")?;
    let place = lines.next()?.trim_start().strip_prefix("--> ")?;
    let (rest, col) = place.rsplit_once(':')?;
    let (name, line) = rest.rsplit_once(':')?;
    Some((name, line.parse().ok()?, col.parse().ok()?, msg))
}

/// "<Kind> `name`" at the start of a Tera message: the name.
fn named<'a>(msg: &'a str, what: &str) -> Option<&'a str> {
    msg.strip_prefix(what)?
        .strip_prefix(" `")?
        .split_once('`')
        .map(|(n, _)| n)
}

/// An include, extends or import of a template that is not there.
fn missing_template(name: &str) -> String {
    if name.contains(['/', '\\']) || name.contains("..") {
        format!(
            "模板“{name}”在模板目录之外：include、extends、import 只能用模板目录里的文件和内置模板，只写文件名"
        )
    } else {
        format!("模板“{name}”不存在：include、extends、import 只能用模板目录里的文件和内置模板")
    }
}

/// A Tera message in Chinese.
pub(super) fn message(msg: &str) -> String {
    if let Some(own) = msg.strip_prefix(budget::OWN) {
        return own.to_string();
    }
    if let Some((name, names)) = undefined(msg, "Variable", "variables") {
        let mut m = format!("变量“{name}”不存在");
        if let Some(names) = names {
            m += &format!("（可用的变量：{names}）");
        }
        return m;
    }
    if let Some((name, names)) = undefined(msg, "Field", "fields") {
        let mut m = format!("字段“{name}”不存在");
        if let Some(names) = names {
            m += &format!("（可用的字段：{names}）");
        }
        return m;
    }
    if let Some(name) = named(msg, "Unknown function") {
        return match name {
            "get_env" | "now" | "get_random" => format!(
                "模板不能用函数“{name}”：同样的数据须生成同样的文件，模板不读取环境变量、时间或随机数"
            ),
            _ => format!("函数“{name}”不存在（模板可用的函数：range、throw）"),
        };
    }
    if let Some(name) = named(msg, "Unknown template") {
        return missing_template(name);
    }
    if let Some(name) = named(msg, "Unknown filter") {
        return format!("过滤器“{name}”不存在");
    }
    format!("模板语法或用法有误（Tera：{msg}）")
}

/// The name in Tera's "<What> `name` is not defined." and the names of its
/// " Available <whats>: a, b" after it (joined with 、), if it is that.
fn undefined<'a>(msg: &'a str, what: &str, whats: &str) -> Option<(&'a str, Option<String>)> {
    let rest = msg.strip_prefix(what)?.strip_prefix(" `")?;
    let (name, tail) = rest.split_once("` is not defined")?;
    let names = tail
        .strip_prefix('.')
        .and_then(|t| t.strip_prefix(&format!(" Available {whats}:")))
        .map(|names| names.trim().trim_end_matches('.').replace(", ", "、"));
    Some((name, names))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_read_by_their_form() {
        let text = "error: Unknown function `get_env`\n --> summary.html:3:4\n  |\n3 | {{ get_env() }}\n  |    ^^^";
        assert_eq!(
            first_report(text),
            Some(("summary.html", 3, 4, "Unknown function `get_env`"))
        );
        assert!(message("Unknown function `now`").contains("不能用函数“now”"));
        assert!(message("Unknown template `../x.html`").contains("模板目录之外"));
        assert_eq!(
            message("Variable `x` is not defined. Available variables: a, b"),
            "变量“x”不存在（可用的变量：a、b）"
        );
    }
}

//! Narrative prose: Markdown written by the office that cites computed
//! figures as `{{ f["名称"] }}`. Only citations are allowed as template
//! syntax; each is checked against the year's figures before Tera renders
//! the prose, so a missing figure stops the build with file, line and name.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diag::Diagnostic;
use crate::load::did_you_mean;
use crate::model::Prose;

/// Prose with its citations filled in, as Markdown and as safe HTML.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Rendered {
    pub md: String,
    pub html: String,
}

/// Fill in the citations of `prose` and render it. `inline` drops the
/// paragraph wrapper for one-paragraph prose (list items, problems).
pub fn render(
    prose: &Prose,
    cite: &BTreeMap<String, String>,
    inline: bool,
) -> Result<Rendered, Vec<Diagnostic>> {
    let md = fill(prose, cite)?;
    let html = to_html(&md, inline);
    Ok(Rendered {
        md: md.trim().to_string(),
        html,
    })
}

/// Check every `{{ … }}` in the prose and fill in the citations. Only
/// `{{ f["指标名"] }}` is allowed, so filling in is a substitution; a Tera
/// template per paragraph would cost a compilation each and add nothing.
pub fn fill(prose: &Prose, cite: &BTreeMap<String, String>) -> Result<String, Vec<Diagnostic>> {
    let text = &prose.text;
    let mut errors = Vec::new();
    let err = |off: usize, msg: String, hint: String| {
        let (line, col) = line_col(text, off);
        Diagnostic::error(msg)
            .at(&prose.file, prose.map(line, col))
            .hint(hint)
    };
    let syntax_hint =
        || "引用指标请写成 {{ f[\"指标名\"] }}，引号用半角；文字中不能使用其他模板语法".to_string();
    let mut out = String::with_capacity(text.len() + 64);
    let mut copied = 0;
    let mut i = 0;
    while let Some(rel) = text[i..].find(['{', '}']) {
        let at = i + rel;
        let rest = &text[at..];
        if rest.starts_with("{%") || rest.starts_with("{#") {
            errors.push(err(
                at,
                "文字中出现了不支持的模板语法".into(),
                syntax_hint(),
            ));
            i = at + 2;
            continue;
        }
        if !rest.starts_with("{{") {
            i = at + 1;
            continue;
        }
        let Some(end) = rest.find("}}") else {
            errors.push(err(at, "引用没有结束：缺少“}}”".into(), syntax_hint()));
            break;
        };
        let inner = rest[2..end].trim();
        match citation_key(inner) {
            Ok(key) => {
                if let Some(value) = cite.get(key) {
                    out.push_str(&text[copied..at]);
                    out.push_str(value);
                    copied = at + end + 2;
                } else {
                    let hint = match did_you_mean(key, cite.keys().map(String::as_str)) {
                        Some(best) => format!(
                            "是否想引用“{best}”？指标名须与数据中的 label 或内置指标名完全一致"
                        ),
                        None => {
                            "指标名须与数据中的 label 或内置指标名完全一致（见 docs/数据格式.md）"
                                .into()
                        }
                    };
                    errors.push(err(at, format!("引用的指标“{key}”不存在"), hint));
                }
            }
            Err(msg) => errors.push(err(at, msg, syntax_hint())),
        }
        i = at + end + 2;
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

/// The key of `f["key"]` / `f['key']`, or why the expression is not one.
fn citation_key(inner: &str) -> Result<&str, String> {
    if inner.contains(['“', '”', '‘', '’']) {
        return Err(format!("引用“{inner}”用了全角引号"));
    }
    let body = inner
        .strip_prefix("f[")
        .and_then(|s| s.strip_suffix(']'))
        .map(str::trim);
    let key = body.and_then(|b| {
        b.strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .or_else(|| b.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
    });
    match key {
        Some(k) if !k.is_empty() && !k.contains(['"', '\'', '\\']) => Ok(k),
        _ => Err(format!("无法识别的引用“{{{{ {inner} }}}}”")),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, off: usize) -> (u32, u32) {
    let before = &text[..off];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..off].chars().count() as u32 + 1;
    (line, col)
}

/// Markdown → sanitized HTML. Headings are pushed below the document's own
/// (to h4 and lower); soft line breaks vanish, as Chinese has no spaces.
pub fn to_html(md: &str, inline: bool) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let events = Parser::new_ext(md, opts).map(|ev| match ev {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
        Event::SoftBreak => Event::Text("".into()),
        other => other,
    });
    let mut raw = String::with_capacity(md.len() * 2);
    pulldown_cmark::html::push_html(&mut raw, events);
    let mut clean = sanitizer().clean(&raw).to_string();
    if inline {
        let t = clean.trim();
        if let Some(s) = t.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>"))
            && !s.contains("<p>")
        {
            clean = s.to_string();
        }
    }
    clean.trim().to_string()
}

/// Ammonia's defaults, tightened for an intranet page that must not make a
/// request of its own: no images, media or frames, and links only to
/// relative addresses (no scheme at all, so no `javascript:` and no outside
/// site either).
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.rm_tags(["img", "map", "area"])
            .url_schemes(std::collections::HashSet::new())
            .url_relative(ammonia::UrlRelative::PassThrough);
        b
    })
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3 | HeadingLevel::H4 => {
            HeadingLevel::H4
        }
        HeadingLevel::H5 => HeadingLevel::H5,
        HeadingLevel::H6 => HeadingLevel::H6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    fn prose(text: &str) -> Prose {
        Prose {
            text: text.into(),
            file: "x.yaml".into(),
            first: Pos { line: 10, col: 5 },
            block: true,
            indent: 4,
        }
    }

    fn cite() -> BTreeMap<String, String> {
        [("未脱贫".to_string(), "724户1595人".to_string())].into()
    }

    #[test]
    fn fills_citations() {
        let r = render(&prose("尚有{{ f[\"未脱贫\"] }}。"), &cite(), true).unwrap();
        assert_eq!(r.md, "尚有724户1595人。");
        assert_eq!(r.html, "尚有724户1595人。");
    }

    #[test]
    fn missing_citation_names_line_and_key() {
        let errs = fill(&prose("第一行\n尚有{{ f[\"未脱贫人口\"] }}"), &cite()).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].message, "引用的指标“未脱贫人口”不存在");
        assert_eq!(errs[0].pos, Pos { line: 11, col: 7 });
        assert!(errs[0].hint.as_deref().unwrap().contains("未脱贫"));
    }

    #[test]
    fn rejects_other_template_syntax() {
        for bad in [
            "{% for x in y %}",
            "{{ f[“未脱贫”] }}",
            "{{ nope }}",
            "{{ f[\"未脱贫\"]",
        ] {
            assert!(fill(&prose(bad), &cite()).is_err(), "{bad}");
        }
    }

    #[test]
    fn sanitizes_html() {
        let html = to_html(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onclick=\"x\">b</b>",
            false,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(html.contains("<b>b</b>"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
    }
}

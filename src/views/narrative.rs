//! Narrative prose: Markdown written by the office that cites computed
//! figures as `{{ f["名称"] }}`. Only citations are allowed as template
//! syntax; each is checked against the year's figures before Tera renders
//! the prose, so a missing figure stops the build with file, line and name.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::model::Prose;
use crate::model::cite::CiteTable;
use crate::model::prose::tokens;

/// Prose with its citations filled in, as Markdown and as safe HTML.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub(crate) struct Rendered {
    pub(crate) md: String,
    pub(crate) html: String,
}

/// Acknowledged figures (`ack`: 原文如此) by citation key, with the note the
/// web page marks them with.
pub(crate) type Marks = std::collections::BTreeMap<String, String>;

/// Fill in the citations of `prose` and render it. `inline` drops the
/// paragraph wrapper for one-paragraph prose (list items, problems). In
/// the HTML, a figure nianbao computed or checked opens its provenance
/// ([`figures`]) and an acknowledged figure is marked (`<mark
/// title="原文如此…">`); the Markdown and Word print the bare figures as the
/// office did.
pub(crate) fn render(prose: &Prose, cite: &CiteTable, marks: &Marks, inline: bool) -> Rendered {
    let normalise = |s: String| crate::views::emphasis::normalise(&s, options()).into_owned();
    let md = normalise(fill(prose, cite, None));
    let html = match figures::mark(prose, cite, marks) {
        Some(marked) => figures::wrap(&to_html(&normalise(marked), inline)),
        None => to_html(&md, inline),
    };
    Rendered {
        md: safe_markdown(md.trim()),
        html,
    }
}

/// The prose with its citations filled in, each acknowledged one in a
/// `<mark>` when `marks` are given (for HTML). Reconcile has checked them;
/// a name the table lacks (only possible in a build that goes on despite
/// acknowledged findings) is left as written.
fn fill(prose: &Prose, cite: &CiteTable, marks: Option<&Marks>) -> String {
    let text = &prose.text;
    let mut out = String::with_capacity(text.len() + 64);
    let mut copied = 0;
    for t in tokens(text) {
        let Ok(key) = t.key else { continue };
        if let Some(value) = cite.lookup(key) {
            out.push_str(&text[copied..t.at]);
            // A figure's text is data (a unit may hold anything): shown
            // literally, never read as Markdown.
            let value = crate::views::escape::md_escape(value);
            match marks.and_then(|m| m.get(key)) {
                Some(note) => {
                    let note = crate::views::escape::html_escape(note);
                    out.push_str(&format!("<mark title=\"{note}\">{value}</mark>"));
                }
                None => out.push_str(&value),
            }
            copied = t.end;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The Markdown extensions the office's prose may use.
pub(crate) fn options() -> Options {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts
}

/// The cited figures of the HTML: each one nianbao computed or checked is
/// marked with its row of the year's 核对表, whose script opens its
/// provenance there (static/figures.js, with the rows the page carries),
/// and each acknowledged one is in a `<mark>`.
/// The prose is filled with the figures between markers (noncharacters,
/// which Markdown and the sanitizer pass through as text), rendered and
/// sanitized as usual; then each marked figure becomes
/// `<span data-f=行>…</span>`. A figure inside a link stays
/// plain text.
mod figures {
    use crate::model::Prose;
    use crate::model::cite::CiteTable;
    use crate::model::prose::tokens;

    const OPEN: char = '\u{FDD0}';
    const MID: char = '\u{FDD1}';
    const CLOSE: char = '\u{FDD2}';

    /// The prose filled with marked figures; none when no citation has a
    /// row.
    pub(super) fn mark(prose: &Prose, cite: &CiteTable, marks: &super::Marks) -> Option<String> {
        let text = &prose.text;
        let mut out = String::with_capacity(text.len() + 64);
        let mut copied = 0;
        let mut any = false;
        let own = |s: &str| s.replace([OPEN, MID, CLOSE], "");
        for t in tokens(text) {
            let Some((key, found)) = t.key.ok().and_then(|k| Some((k, cite.find(k)?))) else {
                continue;
            };
            out.push_str(&own(&text[copied..t.at]));
            let mut value = crate::views::escape::md_escape(found.text);
            if let Some(note) = marks.get(key) {
                any = true;
                let note = crate::views::escape::html_escape(note);
                value = format!("<mark title=\"{note}\">{value}</mark>");
            }
            match found.row {
                Some(row) => {
                    any = true;
                    out.push(OPEN);
                    out.push_str(&row.to_string());
                    out.push(MID);
                    out.push_str(&value);
                    out.push(CLOSE);
                }
                None => out.push_str(&value),
            }
            copied = t.end;
        }
        out.push_str(&own(&text[copied..]));
        any.then_some(out)
    }

    /// The sanitized HTML with each marked figure in its span.
    pub(super) fn wrap(html: &str) -> String {
        let mut out = String::with_capacity(html.len() + html.len() / 4);
        let mut links = 0usize;
        let mut rest = html;
        while let Some(i) = rest.find(OPEN) {
            let before = &rest[..i];
            links += before.matches("<a ").count();
            links = links.saturating_sub(before.matches("</a>").count());
            out.push_str(before);
            let after = &rest[i + OPEN.len_utf8()..];
            let (Some(m), Some(c)) = (after.find(MID), after.find(CLOSE)) else {
                rest = after;
                continue;
            };
            let row = after[..m].parse::<u32>().ok().filter(|_| m < c);
            let value = if m < c {
                &after[m + MID.len_utf8()..c]
            } else {
                &after[..c]
            };
            match row {
                Some(row) if links == 0 => {
                    out.push_str(&format!("<span data-f={row}>{value}</span>"));
                }
                _ => out.push_str(value),
            }
            rest = &after[c + CLOSE.len_utf8()..];
        }
        out.push_str(rest);
        if out.contains([OPEN, MID, CLOSE]) {
            out = out.replace([OPEN, MID, CLOSE], "");
        }
        out
    }
}

/// Markdown → sanitized HTML. Headings are pushed below the document's own
/// (to h4 and lower); soft line breaks vanish, as Chinese has no spaces;
/// links that leave the site are turned into their text.
pub(crate) fn to_html(md: &str, inline: bool) -> String {
    html_of(md, inline, true)
}

/// [`to_html`], which may skip the sanitizer (`may_skip`) where it would
/// change nothing.
fn html_of(md: &str, inline: bool, may_skip: bool) -> String {
    let mut unsafe_link = 0usize;
    let mut plain = may_skip;
    let events = Parser::new_ext(md, options()).inspect(|ev| plain = plain && is_plain(ev));
    let events = events.filter_map(|ev| match ev {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(demote(level)))),
        Event::SoftBreak => Some(Event::Text("".into())),
        Event::Start(Tag::Link { ref dest_url, .. }) if !is_site_link(dest_url) => {
            unsafe_link += 1;
            None
        }
        Event::End(TagEnd::Link) if unsafe_link > 0 => {
            unsafe_link -= 1;
            None
        }
        other => Some(other),
    });
    let mut raw = String::with_capacity(md.len() * 2);
    pulldown_cmark::html::push_html(&mut raw, events);
    // Prose of only paragraphs, emphasis, headings, lists and quotes is
    // already what the sanitizer would write (pulldown-cmark escapes text
    // as html5ever serializes it): most of it, and the sanitizer's parse
    // was 1.5 % of a full build.
    let mut clean = match plain {
        true => raw,
        false => sanitizer().clean(&raw).to_string(),
    };
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

/// Whether an event renders as the sanitizer would write it again: no
/// raw HTML, link, image, rule, line break, code block or table (whose
/// markup it rewrites or removes), and text without the characters its
/// parser changes (NUL, carriage return) or its serializer spells as an
/// entity (no-break space).
fn is_plain(ev: &Event) -> bool {
    match ev {
        Event::Text(t) | Event::Code(t) => !t.contains(['\0', '\r', '\u{a0}']),
        Event::SoftBreak => true,
        Event::Start(tag) => match tag {
            Tag::Heading {
                id, classes, attrs, ..
            } => id.is_none() && classes.is_empty() && attrs.is_empty(),
            Tag::BlockQuote(kind) => kind.is_none(),
            Tag::List(_)
            | Tag::Item
            | Tag::Paragraph
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough => true,
            _ => false,
        },
        Event::End(tag) => matches!(
            tag,
            TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::Paragraph
                | TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
        ),
        _ => false,
    }
}

/// Whether a link stays inside the site: a relative address with no scheme
/// and no `//` (a protocol-relative address, or a UNC path `\\host`, which
/// leaks the Windows user's credentials when opened from disk). Checked as
/// a browser reads it: whitespace and control characters dropped, `\` as `/`.
/// Entities are already decoded (by the Markdown parser or html5ever).
fn is_site_link(url: &str) -> bool {
    let u: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    if u.starts_with("//") {
        return false;
    }
    let scheme_end = u.find([':', '/', '?', '#']);
    !matches!(scheme_end, Some(i) if u[i..].starts_with(':'))
}

/// Ammonia's defaults, tightened for an intranet page that must not make a
/// request of its own: no images, media or frames, and links only to
/// addresses inside the site ([`is_site_link`]).
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.rm_tags(["img", "map", "area"])
            .url_schemes(std::collections::HashSet::new())
            .url_relative(ammonia::UrlRelative::Custom(Box::new(SiteLinks)));
        b
    })
}

/// Ammonia's judge of relative links: only those inside the site stay.
struct SiteLinks;

impl<'a> ammonia::UrlRelativeEvaluate<'a> for SiteLinks {
    fn evaluate<'u>(&self, url: &'u str) -> Option<std::borrow::Cow<'u, str>> {
        is_site_link(url).then_some(std::borrow::Cow::Borrowed(url))
    }
}

/// The office's prose made safe for the Markdown files, which GitHub, pandoc
/// or a Markdown viewer may render with its own rules: raw HTML shown as
/// text, images reduced to their description, links that leave the site to
/// their text. Everything else is kept byte for byte.
fn safe_markdown(md: &str) -> String {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    // (range of the link or image, its text so far, nesting inside it)
    let mut open: Option<(std::ops::Range<usize>, String, usize)> = None;
    let mut in_code = false;
    for (event, range) in Parser::new_ext(md, options()).into_offset_iter() {
        if let Some((_, text, depth)) = open.as_mut() {
            match &event {
                Event::Start(_) => *depth += 1,
                Event::End(_) if *depth > 0 => *depth -= 1,
                Event::End(_) => {
                    if let Some((r, text, _)) = open.take() {
                        edits.push((r, crate::views::escape::md_escape(&text)));
                    }
                }
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Image { .. }) => open = Some((range, String::new(), 0)),
            Event::Start(Tag::Link { ref dest_url, .. }) if !is_site_link(dest_url) => {
                open = Some((range, String::new(), 0));
            }
            Event::Start(Tag::CodeBlock(ref kind)) => {
                in_code = true;
                if let Some(edit) = raw_fence(md, range.clone(), kind) {
                    edits.push(edit);
                }
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Html(h) | Event::InlineHtml(h) => {
                edits.push((range, h.replace('&', "&amp;").replace('<', "&lt;")));
            }
            // A bare address in the text: not linked by a GitHub-style
            // renderer either.
            Event::Text(_) if !in_code => {
                let source = &md[range.clone()];
                let safe = no_markup(md, range.clone());
                let safe = crate::views::escape::no_autolinks(&safe);
                if safe != source {
                    edits.push((range, safe));
                }
            }
            _ => {}
        }
    }
    let mut out = md.to_string();
    let mut last = usize::MAX;
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    for (r, text) in edits {
        if r.end <= last {
            out.replace_range(r.clone(), &text);
            last = r.start;
        }
    }
    out
}

/// The text of `md[range]` with every `<` and `{` that is not escaped
/// escaped: no reader finds a tag in it (pandoc takes `<svg/onload=…>`,
/// which CommonMark leaves as text, for HTML), nor pandoc an attribute
/// list (`[x]{onclick=…}`, `` `…`{=html} ``, `::: {…}`).
fn no_markup(md: &str, range: std::ops::Range<usize>) -> String {
    let mut out = String::with_capacity(range.len() + 4);
    for (i, c) in md[range.clone()].char_indices() {
        let at = range.start + i;
        let backslashes = md.as_bytes()[..at]
            .iter()
            .rev()
            .take_while(|b| **b == b'\\')
            .count();
        if matches!(c, '<' | '{') && backslashes % 2 == 0 {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A fenced code block whose info string pandoc reads as raw output
/// (```` ```{=html} ````) or attributes: the info string dropped.
fn raw_fence(
    md: &str,
    range: std::ops::Range<usize>,
    kind: &pulldown_cmark::CodeBlockKind,
) -> Option<(std::ops::Range<usize>, String)> {
    let pulldown_cmark::CodeBlockKind::Fenced(info) = kind else {
        return None;
    };
    if !info.contains(['{', '=']) {
        return None;
    }
    let line_end = md[range.clone()]
        .find('\n')
        .map_or(range.end, |i| range.start + i);
    let line = &md[range.start..line_end];
    let fence_len = line
        .trim_start()
        .chars()
        .take_while(|c| matches!(c, '`' | '~'))
        .count();
    let indent = line.len() - line.trim_start().len();
    let keep = &line[..indent + fence_len];
    Some((range.start..line_end, keep.to_string()))
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

    fn cite() -> CiteTable {
        use crate::model::cite::{Builtin, Name};
        let mut t = CiteTable::new(crate::model::Labels::default());
        t.put(Name::Builtin(Builtin::Remaining), "724户1595人".into());
        t
    }

    #[test]
    fn fills_citations() {
        let r = render(
            &prose("尚有{{ f[\"未脱贫\"] }}。"),
            &cite(),
            &Marks::new(),
            true,
        );
        assert_eq!(r.md, "尚有724户1595人。");
        assert_eq!(r.html, "尚有724户1595人。");
    }

    /// An acknowledged figure is marked on the web page with its note, and
    /// printed as it is everywhere else.
    #[test]
    fn acknowledged_figures_are_marked_in_html_only() {
        let marks = Marks::from([(
            "未脱贫".to_string(),
            "原文如此：按数据计算为\"725户\"".to_string(),
        )]);
        let r = render(&prose("尚有{{ f[\"未脱贫\"] }}。"), &cite(), &marks, true);
        assert_eq!(r.md, "尚有724户1595人。");
        assert_eq!(
            r.html,
            "尚有<mark title=\"原文如此：按数据计算为&quot;725户&quot;\">724户1595人</mark>。"
        );
    }

    #[test]
    fn links_that_leave_the_site_are_text_in_html_and_markdown() {
        for bad in [
            "[a](//evil.example/x)",
            "[a][r]\n\n[r]: //evil.example",
            "<a href=\"&#47;&#47;evil.example\">a</a>",
            "<a href=\"\\\\evil.example\\x\">a</a>",
            "<a href=\" /\\evil.example\">a</a>",
            "[a](http://evil.example)",
            "<http://evil.example>",
            "[a](javascript:alert(1))",
            "[a](JaVa\tScRiPt:alert(1))",
        ] {
            let html = to_html(bad, false);
            assert!(!html.contains("href"), "{bad} → {html}");
            let md = safe_markdown(bad);
            let again = pulldown_cmark::Parser::new(&md).any(|e| matches!(e, Event::Start(Tag::Link { ref dest_url, .. }) if !is_site_link(dest_url)));
            assert!(!again, "{bad} → {md}");
        }
        assert!(
            to_html("[表](../2017/summary.html)", false).contains("href=\"../2017/summary.html\"")
        );
        assert_eq!(
            safe_markdown("见[上年](../2016/summary.html)。"),
            "见[上年](../2016/summary.html)。"
        );
    }

    #[test]
    fn markdown_output_carries_no_live_html_or_images() {
        let md = safe_markdown(
            "<script>alert(1)</script>\n\n正文<img src=x onerror=alert(1)>，<iframe src=\"//e\"></iframe>\n\n![图](http://evil/a.png)",
        );
        assert!(!md.contains("<script"), "{md}");
        assert!(!md.contains("<img"), "{md}");
        assert!(!md.contains("<iframe"), "{md}");
        assert!(!md.contains("http://evil/a.png"), "{md}");
        assert!(md.contains("&lt;script>"), "{md}");
        assert!(md.contains("图"), "{md}");
        let html = to_html(&md, false);
        assert!(
            !html.contains("<script") && !html.contains("<img") && !html.contains("<iframe"),
            "{html}"
        );
    }

    /// Tags spelled with a slash for the space (which CommonMark leaves as
    /// text and pandoc takes for HTML) and pandoc's attribute lists and raw
    /// blocks: all text in the Markdown file.
    #[test]
    fn markdown_output_carries_no_html_in_any_spelling() {
        let md = safe_markdown(
            "甲<svg/onload=alert(1)>乙<img/src=//e/x.png>丙<iframe/src=//e>丁<object/data=x>戊<embed/src=x>\n\n[字]{onclick=alert(1)}，`x`{=html}\n\n::: {onclick=x}\n内容\n:::\n\n```{=html}\n<script>alert(1)</script>\n```\n\n已转义\\<b>",
        );
        for tag in ["<svg", "<img", "<iframe", "<object", "<embed"] {
            assert!(md.contains(&format!("\\{tag}")), "{tag}: {md}");
        }
        assert!(md.contains("]\\{onclick"), "{md}");
        assert!(md.contains("`\\{=html}"), "{md}");
        assert!(md.contains("::: \\{onclick"), "{md}");
        assert!(md.contains("```\n<script>"), "{md}");
        assert!(md.contains("已转义\\<b>"), "{md}");
        assert!(!md.contains("\\\\<"), "{md}");
    }

    /// Where the sanitizer is skipped, it would have written the same:
    /// every mix of three pieces of prose of many kinds, with the markup
    /// and characters it rewrites among them.
    #[test]
    fn plain_prose_skips_the_sanitizer_for_the_same_html() {
        let pieces = [
            "产业扶贫项目9个，投资资金120万元。",
            "**一、总体情况**",
            "*强调*与~~删除~~、`代码<&>`",
            "a < b > c & d \"引号\" '单引号'",
            "\n\n#### 小标题\n\n",
            "\n\n- 一项\n- 二项\n\n",
            "\n\n3. 第三\n4. 第四\n\n",
            "\n\n> 引文\n> 第二行\n\n",
            "\n\n- 松散\n\n- 列表\n\n",
            "第一行\n第二行",
            "\u{fdd0}12\u{fdd1}f\u{fdd2}",
            "&amp; &nbsp; &#160; &lt;",
            "\u{a0}与\t制表\u{c}换页",
            "[站内](../index.html)与<b>粗</b>",
            "行尾两空格  \n换行",
            "\n\n---\n\n",
            "\n\n    缩进代码\n\n",
            "\n\n| 甲 | 乙 |\n|---|:-:|\n| 1 | 2 |\n\n",
            "\r\n回车",
            "\u{0}空",
        ];
        let mut skipped = 0;
        for md in crate::views::tests::mixes(&pieces, 3) {
            for inline in [false, true] {
                let fast = html_of(&md, inline, true);
                assert_eq!(fast, html_of(&md, inline, false), "{md:?}");
            }
            let mut plain = true;
            for ev in Parser::new_ext(&md, options()) {
                plain &= is_plain(&ev);
            }
            skipped += usize::from(plain);
        }
        // About one mix in six takes the fast path; the rest are sanitized.
        assert!((1_000..2_000).contains(&skipped), "{skipped}");
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

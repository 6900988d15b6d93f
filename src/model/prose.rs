//! The office's prose as text: where its citations (`{{ f["名称"] }}`)
//! are and what they name. Shared by the checks (validate) and the
//! filling in (views), so both read a citation the same way.

use crate::diag::Rule;

/// One `{{ … }}` (or a stray `{%`/`{#`) in a text: where it is and what
/// it cites, or why it is not a citation.
pub(crate) struct Token<'a> {
    pub(crate) at: usize,
    /// Just past the closing `}}`.
    pub(crate) end: usize,
    pub(crate) key: Result<&'a str, (Rule, String)>,
}

/// Every template token of a text, in order. Only `{{ f["指标名"] }}` is
/// allowed, so filling in is a substitution; a Tera template per paragraph
/// would cost a compilation each and add nothing.
pub(crate) fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(rel) = text[i..].find('{') {
        let at = i + rel;
        let rest = &text[at..];
        if rest.starts_with("{%") || rest.starts_with("{#") {
            let msg = "文字中出现了不支持的模板语法".to_string();
            out.push(Token {
                at,
                end: at + 2,
                key: Err((Rule::CitationSyntax, msg)),
            });
            i = at + 2;
            continue;
        }
        if !rest.starts_with("{{") {
            i = at + 1;
            continue;
        }
        let Some(close) = rest.find("}}") else {
            let msg = "引用没有结束：缺少“}}”".to_string();
            out.push(Token {
                at,
                end: text.len(),
                key: Err((Rule::CitationSyntax, msg)),
            });
            break;
        };
        let key = citation_key(rest[2..close].trim()).map_err(|m| (Rule::CitationSyntax, m));
        out.push(Token {
            at,
            end: at + close + 2,
            key,
        });
        i = at + close + 2;
    }
    out
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

/// A position in a text, moved forward from one offset to the next.
#[derive(Default)]
pub(crate) struct Cursor {
    off: usize,
    line: u32,
    col: u32,
}

impl Cursor {
    /// 1-based line and column (in characters) of byte offset `to`, which
    /// is not before the last one asked for.
    pub(crate) fn advance(&mut self, text: &str, to: usize) -> (u32, u32) {
        for c in text[self.off..to].chars() {
            if c == '\n' {
                self.line += 1;
                self.col = 0;
            } else {
                self.col += 1;
            }
        }
        self.off = to;
        (self.line + 1, self.col + 1)
    }
}

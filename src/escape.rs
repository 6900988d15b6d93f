//! Escaping data strings for the outputs that Tera does not escape itself.

/// Escape text so Markdown shows it literally (names, labels from data).
pub(crate) fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '{' | '}' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escape() {
        assert_eq!(md_escape("a|b<c>"), "a\\|b\\<c\\>");
        assert_eq!(md_escape("[x](http://e)"), "\\[x\\](http://e)");
    }
}

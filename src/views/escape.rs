//! Escaping data strings for the outputs that Tera does not escape itself.

/// Escape text for HTML (names and notes from data placed into rendered
/// prose).
pub(crate) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    html_escape_into(&mut out, s);
    out
}

/// [`html_escape`] onto the end of `out`.
pub(crate) fn html_escape_into(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(at) = rest.find(['&', '<', '>', '"']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&quot;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

/// Tera's autoescape for `.html` templates: the same five characters as
/// `tera::escape_html` (`&`, `<`, `>`, `"`, `'`), written in runs between
/// them. Tera's own writes each byte of a value through `dyn Write`,
/// which was 4 % of a full build's CPU.
pub(crate) fn tera_html_escape(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = s.as_bytes();
    let mut from = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[from..i])?;
        out.write_all(entity)?;
        from = i + 1;
    }
    out.write_all(&bytes[from..])
}

/// Text for XML content and attributes: `&`, `<`, `>` and `"` escaped, control
/// characters (not allowed in XML 1.0) dropped.
pub(crate) fn xml_text(s: &str) -> String {
    // Most texts need nothing done: copied whole.
    let plain = |b: &u8| {
        !matches!(b, b'&' | b'<' | b'>' | b'"') && (*b >= 0x20 || *b == b'\t' || *b == b'\n')
    };
    if s.as_bytes().iter().all(plain) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// Escape text so Markdown shows it literally (names, labels from data):
/// no markup, and no address that a GitHub-style renderer would turn into
/// a link by itself ([`no_autolinks`]).
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
    no_autolinks(&out)
}

/// GitHub's Markdown links bare addresses in text (`http://…`, `www.…`).
/// A backslash before the `:` of `://` and the `.` after `www` stops that
/// and prints nothing: the text reads the same, without a link.
pub(crate) fn no_autolinks(s: &str) -> String {
    if !s.contains("://") && !s.to_ascii_lowercase().contains("www.") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let bytes = s.as_bytes();
    for (i, c) in s.char_indices() {
        let rest = &bytes[i..];
        let before = &bytes[..i];
        let scheme_colon = c == ':'
            && rest.starts_with(b"://")
            && before.last().is_some_and(u8::is_ascii_alphabetic)
            && !before.ends_with(b"\\");
        let www_dot = c == '.'
            && before.len() >= 3
            && before[before.len() - 3..].eq_ignore_ascii_case(b"www")
            && !before.ends_with(b"\\");
        if scheme_colon || www_dot {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Byte for byte what Tera's own autoescape writes, on every mix of
    /// the five characters, Chinese and plain text.
    #[test]
    fn tera_escape_is_teras() {
        let parts = ["&", "<", ">", "\"", "'", "专项", "a", "", "&amp;", "\u{a0}"];
        let texts = crate::views::tests::mixes(&parts, 4);
        for t in &texts {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            tera_html_escape(t, &mut ours).unwrap();
            tera::escape_html(t, &mut teras).unwrap();
            assert_eq!(ours, teras, "{t}");
        }
        assert_eq!(texts.len(), 10_000);
    }

    #[test]
    fn xml_and_html_escaping() {
        assert_eq!(xml_text("专项资金2531.2万元"), "专项资金2531.2万元");
        assert_eq!(xml_text("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
        assert_eq!(xml_text("行\u{1}一\t二\n"), "行一\t二\n");
        assert_eq!(
            html_escape("甲<乙>&\"丙\""),
            "甲&lt;乙&gt;&amp;&quot;丙&quot;"
        );
        assert_eq!(html_escape("无须转义"), "无须转义");
    }

    #[test]
    fn markdown_escape() {
        assert_eq!(md_escape("a|b<c>"), "a\\|b\\<c\\>");
        assert_eq!(md_escape("[x](http://e)"), "\\[x\\](http\\://e)");
    }

    #[test]
    fn bare_addresses_are_not_linked() {
        assert_eq!(
            no_autolinks("访问 http://e.x 或 WWW.e.x"),
            "访问 http\\://e.x 或 WWW\\.e.x"
        );
        assert_eq!(
            no_autolinks("比例为 3:1，时间 9:30"),
            "比例为 3:1，时间 9:30"
        );
        assert_eq!(no_autolinks("http\\://e"), "http\\://e");
    }
}

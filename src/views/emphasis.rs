//! Bold and italic in Chinese prose, read the same by every CommonMark
//! parser.
//!
//! County documents write a bold run-in heading that ends with Chinese
//! punctuation and go straight on: `**5.有安全饮水。**全镇农户……`. CommonMark's
//! flanking rule does not close `**` there (a delimiter run preceded by
//! punctuation must be followed by whitespace or punctuation:
//! commonmark-spec issue 650), so pulldown-cmark, cmark-gfm and GitHub
//! print the asterisks; pandoc's own Markdown reads it as bold. The
//! CJK-friendly amendment (pulldown-cmark's unreleased
//! `ENABLE_CJK_FRIENDLY_EMPHASIS`, comrak's `cjk_friendly_emphasis`) lets
//! Chinese characters on the other side of the run count as whitespace.
//!
//! [`normalise`] finds the emphasis a CJK-friendly reader sees and moves the
//! punctuation at its edges outside the delimiters (`**5.有安全饮水**。全镇`),
//! where every CommonMark reader (pulldown-cmark for HTML and Word, cmark-gfm,
//! pandoc, GitHub) agrees on it. Nothing else changes: the characters and
//! their order in the text are the same, only the weight of the punctuation
//! mark at the edge.
//!
//! To see what a CJK-friendly reader sees without one, each punctuation
//! mark next to a delimiter run with a CJK character on the run's other side
//! (or a CJK punctuation mark next to a run) is replaced, in a copy of the
//! same length, by a letter of the same UTF-8
//! length; pulldown-cmark reads the copy, and its emphasis spans are the
//! CJK-friendly ones, at the same offsets as in the text.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// The text with the edges of its CJK emphasis normalised; the text itself
/// when there is nothing to do, or when the result would not read as the
/// CJK-friendly reading does (never worse than the text).
pub(crate) fn normalise(md: &str, opts: Options) -> Cow<'_, str> {
    if !md.contains(['*', '_']) {
        return Cow::Borrowed(md);
    }
    let probe = probe(md);
    if probe == md {
        return Cow::Borrowed(md);
    }
    let wanted = spans(&probe, opts);
    let have = spans(md, opts);
    let mut edits: Vec<(usize, usize, usize)> = Vec::new();
    for (r, k) in wanted.iter().filter(|s| !have.contains(s)) {
        if let Some(e) = edges(md, r.clone(), *k) {
            edits.extend(e);
        }
    }
    if edits.is_empty() {
        return Cow::Borrowed(md);
    }
    let out = apply(md, edits);
    // The normalised text must give every span the CJK-friendly reading gives.
    if spans(&out, opts).len() == wanted.len() {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(md)
    }
}

/// Emphasis and strong spans (whole, with their delimiters) and the length
/// of their delimiters.
fn spans(md: &str, opts: Options) -> Vec<(Range<usize>, usize)> {
    Parser::new_ext(md, opts)
        .into_offset_iter()
        .filter_map(|(e, r)| match e {
            Event::Start(Tag::Emphasis) => Some((r, 1)),
            Event::Start(Tag::Strong) => Some((r, 2)),
            _ => None,
        })
        .collect()
}

/// A character of the CJK scripts or their punctuation: Han, kana, Hangul,
/// Bopomofo, CJK symbols and punctuation, full-width forms.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF
        | 0x2E80..=0x2FDF
        | 0x2FF0..=0x31FF
        | 0x3200..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7FF
        | 0xF900..=0xFAFF
        | 0xFE10..=0xFE1F
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF)
}

/// Punctuation that may stand next to a delimiter run and be moved across
/// it: any non-ASCII punctuation (。，、“”（）《》…), and the ASCII marks that
/// mean nothing to Markdown there. Brackets, `!`, `<`, `` ` ``, `\`, `*`, `_`
/// and the like are never touched.
fn movable(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, '.' | ',' | ':' | ';' | '?' | '%' | '"' | '\'')
    } else {
        is_punctuation(c)
    }
}

/// Unicode punctuation (the general categories P*) of the ranges Chinese
/// text uses, and the symbols CommonMark counts with them.
fn is_punctuation(c: char) -> bool {
    matches!(c as u32,
        0x00A1..=0x00BF
        | 0x2010..=0x2027
        | 0x2030..=0x205E
        | 0x3001..=0x3003
        | 0x3008..=0x3011
        | 0x3014..=0x301F
        | 0x30FB
        | 0xFE10..=0xFE19
        | 0xFE30..=0xFE4F
        | 0xFF01..=0xFF0F
        | 0xFF1A..=0xFF20
        | 0xFF3B..=0xFF40
        | 0xFF5B..=0xFF65)
}

/// Whether the byte at `at` is escaped by an odd run of backslashes.
fn escaped(md: &str, at: usize) -> bool {
    md.as_bytes()[..at]
        .iter()
        .rev()
        .take_while(|b| **b == b'\\')
        .count()
        % 2
        == 1
}

/// The text with each movable mark next to a delimiter run, whose other side
/// is a CJK character, replaced by a letter of the same length in bytes.
fn probe(md: &str) -> String {
    let mut out = md.to_string();
    let mut replace: Vec<(usize, char)> = Vec::new();
    let mut i = 0;
    while let Some(off) = md[i..].find(['*', '_']) {
        let start = i + off;
        let d = md.as_bytes()[start];
        let end = start + md[start..].bytes().take_while(|b| *b == d).count();
        i = end;
        if escaped(md, start) {
            continue;
        }
        let before = md[..start].chars().next_back();
        let after = md[end..].chars().next();
        // A CJK punctuation mark, or one with a CJK character on the run's
        // other side (`。**9个`, `文**“两不愁”`): what the CJK-friendly rule
        // lets open or close.
        if let (Some(b), Some(a)) = (before, after) {
            if movable(a) && (is_cjk(b) || is_cjk(a)) && !movable(b) && !b.is_whitespace() {
                replace.push((end, a));
            }
            if movable(b) && (is_cjk(a) || is_cjk(b)) && !movable(a) && !a.is_whitespace() {
                replace.push((start - b.len_utf8(), b));
            }
        }
    }
    for (at, c) in replace {
        let letter = match c.len_utf8() {
            1 => "a",
            2 => "é",
            3 => "一",
            _ => "𠀀",
        };
        out.replace_range(at..at + c.len_utf8(), letter);
    }
    out
}

/// Moves of one span's edge marks: (where the marks start, where they end,
/// where they go). The opening's leading marks go before it, the closing's
/// trailing marks after it; `None` when the span is not a plain one.
fn edges(md: &str, r: Range<usize>, k: usize) -> Option<Vec<(usize, usize, usize)>> {
    let d = *md.as_bytes().get(r.start)?;
    let delims = |at: usize| {
        md.get(at..at + k)
            .is_some_and(|s| s.bytes().all(|b| b == d))
    };
    if r.end < r.start + 2 * k || !delims(r.start) || !delims(r.end - k) {
        return None;
    }
    let inner = &md[r.start + k..r.end - k];
    let lead: usize = inner
        .chars()
        .take_while(|c| movable(*c))
        .map(char::len_utf8)
        .sum();
    let trail: usize = inner
        .chars()
        .rev()
        .take_while(|c| movable(*c))
        .map(char::len_utf8)
        .sum();
    if lead + trail >= inner.len() {
        return None;
    }
    let mut moves = Vec::new();
    let opens = md[..r.start]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || movable(c) || !c.is_alphanumeric());
    if lead > 0 && !opens {
        moves.push((r.start + k, r.start + k + lead, r.start));
    }
    let closes = md[r.end..]
        .chars()
        .next()
        .is_none_or(|c| c.is_whitespace() || movable(c) || !c.is_alphanumeric());
    if trail > 0 && !closes {
        moves.push((r.end - k - trail, r.end - k, r.end));
    }
    Some(moves)
}

/// The text with each run of marks moved where it goes.
fn apply(md: &str, mut moves: Vec<(usize, usize, usize)>) -> String {
    moves.sort_unstable();
    moves.dedup();
    // Each move is of marks next to a delimiter run to its other side: as
    // insertions at `to` and removals of `from..till`, in one pass.
    let mut cuts: Vec<(usize, usize, Option<&str>)> = Vec::new();
    for &(from, till, to) in &moves {
        cuts.push((from, till, None));
        cuts.push((to, to, Some(&md[from..till])));
    }
    cuts.sort_by_key(|c| (c.0, c.1));
    let mut out = String::with_capacity(md.len());
    let mut at = 0;
    for (from, till, insert) in cuts {
        if from < at {
            return md.to_string();
        }
        out.push_str(&md[at..from]);
        if let Some(s) = insert {
            out.push_str(s);
        }
        at = till;
    }
    out.push_str(&md[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(md: &str) -> String {
        normalise(md, Options::empty()).into_owned()
    }

    fn strong_texts(md: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut depth = 0;
        for e in Parser::new(md) {
            match e {
                Event::Start(Tag::Strong) => {
                    depth += 1;
                    out.push(String::new());
                }
                Event::End(pulldown_cmark::TagEnd::Strong) => depth -= 1,
                Event::Text(t) if depth > 0 => out.last_mut().unwrap().push_str(&t),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn run_in_headings_ending_in_chinese_punctuation() {
        assert_eq!(
            n("**5.有安全饮水。**全镇农户通过打井"),
            "**5.有安全饮水**。全镇农户通过打井"
        );
        assert_eq!(strong_texts(&n("**5.有安全饮水。**全镇")), ["5.有安全饮水"]);
        assert_eq!(
            n("正文**（一）贫困人口脱贫。**全镇"),
            "正文（**一）贫困人口脱贫**。全镇"
        );
        assert_eq!(n("文**“两不愁”**和"), "文“**两不愁**”和");
        assert_eq!(n("*强调。*正文"), "*强调*。正文");
        assert_eq!(
            n("**6.有路通村屯。**9个行政村"),
            "**6.有路通村屯**。9个行政村"
        );
    }

    #[test]
    fn what_commonmark_reads_already_is_left_alone() {
        for md in [
            "**加粗**。正文",
            "第一段**加粗**。\n\n第二段",
            "**（一）标题**\n\n正文",
            "a **b** c",
            "乘号 2*3*4 不是强调",
            "转义\\*的星号。*正文",
            "",
        ] {
            assert_eq!(n(md), md, "{md}");
        }
    }

    #[test]
    fn unmatched_runs_stay_as_written() {
        for md in ["单个星号。*正文", "**未闭合。正文", "一。**二"] {
            assert_eq!(n(md), md, "{md}");
        }
    }

    #[test]
    fn several_on_a_line_and_across_paragraphs() {
        let md = "**1.有特色产业。**全镇……。**2.有住房保障。**全镇……\n\n**3.有医疗。**正文";
        let out = n(md);
        assert_eq!(
            strong_texts(&out),
            ["1.有特色产业", "2.有住房保障", "3.有医疗"]
        );
        let plain = |s: &str| s.replace('*', "");
        assert_eq!(plain(&out), plain(md));
    }

    /// The bold a CJK-friendly reader (comrak's `cjk_friendly_emphasis`)
    /// sees, edge punctuation aside, is the bold pulldown-cmark sees in the
    /// normalised text: on comrak's own cases and on every text of the sample
    /// transcribed from seed 001.
    #[test]
    fn agrees_with_a_cjk_friendly_reader() {
        let mut opts = comrak::Options::default();
        opts.extension.cjk_friendly_emphasis = true;
        let edge = |s: &str| s.trim_matches(movable).to_string();
        let strongs_html = |html: &str| -> Vec<String> {
            html.split("<strong>")
                .skip(1)
                .filter_map(|x| x.split_once("</strong>").map(|(t, _)| edge(t)))
                .collect()
        };
        let report = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("data/tongxin-zhen/2020/report.yaml"),
        )
        .unwrap();
        let mut cases: Vec<String> = report
            .lines()
            .filter(|l| l.contains("**"))
            .map(|l| l.trim().to_string())
            .collect();
        assert!(cases.len() >= 33, "{}", cases.len());
        cases.extend(
            [
                "これは**私のやりたかったこと。**だからするの。",
                "太郎は**「こんにちわ」**といった",
                "**5.有安全饮水。**全镇农户通过打井",
                "正文**（一）贫困人口脱贫。**全镇",
                "文**“两不愁”**和**“三保障”**全面实现",
                "**6.有路通村屯。**9个行政村",
                "a **b** c",
            ]
            .map(String::from),
        );
        for md in &cases {
            let theirs = strongs_html(&comrak::markdown_to_html(md, &opts));
            let ours: Vec<String> = strong_texts(&n(md)).iter().map(|t| edge(t)).collect();
            assert_eq!(ours, theirs, "{md}");
        }
    }

    #[test]
    fn links_and_code_are_not_touched() {
        for md in ["见**[上年](../2016/summary.html)**正文", "代码`**a。**b`里"] {
            let out = n(md);
            assert_eq!(
                out.replace('*', "").len(),
                md.replace('*', "").len(),
                "{md}"
            );
            assert!(out.contains("](../2016/summary.html)") || !md.contains("]("));
        }
    }
}

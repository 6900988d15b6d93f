//! Empty values in a YAML text: every one of them, found before the typed
//! parse (which stops at the first), and the placeholder a skeleton writes.

use crate::diag::Pos;

/// Whether a YAML text may hold an empty value, by a look at its lines: a
/// key with nothing after it and nothing nested under it, `: ,`, `: }`,
/// `, ,`, a lone `-`, `~` or `null`. Most files have none, and are spared
/// a second parse; a "maybe" is settled by [`blank_values`].
pub(super) fn might_have_blanks(text: &str) -> bool {
    if memchr::memmem::find(text.as_bytes(), PLACEHOLDER.as_bytes()).is_some() {
        return true;
    }
    let lines: Vec<&str> = text.lines().map(code).collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if t == "-" || t.ends_with(" ~") || flow_blank(line) {
            return true;
        }
        if !line.ends_with(':') {
            continue;
        }
        let next = lines[i + 1..].iter().find(|l| !l.trim().is_empty());
        let nested = next.is_some_and(|n| {
            indent(n) > indent(line)
                || (indent(n) == indent(line) && n.trim_start().starts_with("- "))
        });
        if !nested {
            return true;
        }
    }
    false
}

/// A line without its comment and trailing spaces.
fn code(l: &str) -> &str {
    // The first " #", found by its `#` (`str::find` of the pair was half
    // of this look at a file).
    let bytes = l.as_bytes();
    let comment = memchr::memchr_iter(b'#', bytes).find(|&i| i > 0 && bytes[i - 1] == b' ');
    let l = match comment.map(|i| i - 1) {
        Some(i) => &l[..i],
        None if l.trim_start().starts_with('#') => "",
        None => l,
    };
    l.trim_end()
}

/// Whether a line has an empty value in a flow collection or after a key:
/// `: ,` `:,` `: }` `:}` `, ,` `,,` `[,` `, ]` `: ~` and `: null` (also
/// `Null`, `NULL`). One pass over the line's punctuation (a search for each
/// of the twelve was over 1 % of a build).
fn flow_blank(line: &str) -> bool {
    let b = line.as_bytes();
    memchr::memchr3_iter(b':', b',', b'[', b).any(|i| {
        let rest = &b[i + 1..];
        let (spaced, after) = match rest.split_first() {
            Some((b' ', after)) => (true, after),
            _ => (false, rest),
        };
        let next = after.first().copied();
        match b[i] {
            b':' => {
                matches!(next, Some(b',' | b'}'))
                    || (spaced
                        && (next == Some(b'~')
                            || [&b"null"[..], b"Null", b"NULL"]
                                .iter()
                                .any(|n| after.starts_with(n))))
            }
            b',' => next == Some(b',') || (spaced && next == Some(b']')),
            _ => rest.first() == Some(&b','),
        }
    })
}

/// An empty value in a YAML text: its key, the `label` or `name` of the
/// mapping it is in (if written before it), and where it is.
pub(super) struct BlankValue {
    pub(super) key: String,
    pub(super) owner: Option<String>,
    pub(super) pos: Pos,
    /// Where the value is, when it is the placeholder [`PLACEHOLDER`].
    pub(super) placeholder: Option<Pos>,
}

/// What a skeleton (`nianbao new`) writes where a value is still to be
/// filled: a blank, reported as one, never published.
pub(crate) const PLACEHOLDER: &str = "待填";

/// Every value left empty in a YAML text (`amount:`, `{count: , amount: }`,
/// `- `, `~`): all of them, before the typed parse stops at the first.
/// Nothing when the text does not parse (the parser's own error says why).
pub(super) fn blank_values(text: &str) -> Vec<BlankValue> {
    let mut walk = Walk::default();
    for event in granit_parser::Parser::new_from_str(text) {
        let Ok((event, span)) = event else {
            return Vec::new();
        };
        walk.event(event, pos(&span.start));
    }
    walk.out
}

fn pos(m: &granit_parser::Marker) -> Pos {
    Pos {
        line: m.line() as u32,
        col: m.col() as u32 + 1,
    }
}

/// A mapping (the key waiting for its value, the mapping's name so far)
/// or a sequence.
enum Frame {
    Map {
        key: Option<(String, Pos)>,
        owner: Option<String>,
    },
    Seq,
}

/// The walk of [`blank_values`] through the parser's events.
#[derive(Default)]
struct Walk {
    stack: Vec<Frame>,
    out: Vec<BlankValue>,
}

impl Walk {
    fn event(&mut self, event: granit_parser::Event<'_>, at: Pos) {
        use granit_parser::{Event, ScalarStyle};
        match event {
            Event::Scalar(value, style, _, tag) => {
                if let Some(Frame::Map {
                    key: key @ None, ..
                }) = self.stack.last_mut()
                {
                    *key = Some((value.into_owned(), at));
                } else {
                    let plain = style == ScalarStyle::Plain && tag.is_none();
                    let placeholder = (plain && value == PLACEHOLDER).then_some(at);
                    let blank = plain
                        && (placeholder.is_some()
                            || matches!(value.as_ref(), "" | "~" | "null" | "Null" | "NULL"));
                    self.node(Some(value.as_ref()), blank, placeholder, at);
                }
            }
            Event::MappingStart(..) => {
                // A mapping inside a named one (`total: {…}` of a figure)
                // is named after it until it names itself.
                let inherited = match self.stack.last() {
                    Some(Frame::Map { owner, .. }) => owner.clone(),
                    _ => None,
                };
                self.node(None, false, None, at);
                self.stack.push(Frame::Map {
                    key: None,
                    owner: inherited,
                });
            }
            Event::SequenceStart(..) => {
                self.node(None, false, None, at);
                self.stack.push(Frame::Seq);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Alias(_) => self.node(None, false, None, at),
            _ => {}
        }
    }

    /// A node at `at` in a value or item position: reported if empty.
    fn node(&mut self, value: Option<&str>, blank: bool, placeholder: Option<Pos>, at: Pos) {
        match self.stack.last_mut() {
            Some(Frame::Map { key, owner }) => match key.take() {
                // A node in the key position (a complex key): no value yet.
                None => *key = Some((String::new(), Pos::default())),
                Some((k, key_at)) => {
                    if blank {
                        self.out.push(BlankValue {
                            key: k,
                            owner: owner.clone(),
                            pos: key_at,
                            placeholder,
                        });
                    } else if matches!(k.as_str(), "label" | "name") {
                        *owner = value.map(str::to_string);
                    }
                }
            },
            Some(Frame::Seq) if blank => self.out.push(BlankValue {
                key: "列表项".into(),
                owner: None,
                pos: at,
                placeholder,
            }),
            _ => {}
        }
    }
}

/// The text with each placeholder at `at` (1-based line, column) made an
/// empty value of the same width (`~` and a space), so that every other
/// position stays where it was.
pub(super) fn empty_placeholders(text: &str, at: &[Pos]) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let mut line = line.to_string();
        for p in at.iter().filter(|p| p.line as usize == i + 1) {
            let start: usize = line
                .char_indices()
                .nth(p.col.saturating_sub(1) as usize)
                .map_or(line.len(), |(b, _)| b);
            if line[start..].starts_with(PLACEHOLDER) {
                line.replace_range(start..start + PLACEHOLDER.len(), "~ ");
            }
        }
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn flow_blank_finds_exactly_the_twelve_forms() {
        let forms = [
            ": ,", ":,", ": }", ":}", ", ,", ",,", "[,", ", ]", ": ~", ": null", ": Null", ": NULL",
        ];
        let pieces = [
            "a", ":", ",", " ", "[", "]", "{", "}", "~", "null", "Null", "NULL", "nul", "：", "，",
        ];
        // Every line of up to four pieces: the one pass agrees with a
        // search for each form.
        let mut lines = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = lines
                .iter()
                .flat_map(|l| pieces.iter().map(move |p| format!("{l}{p}")))
                .collect();
            lines.extend(longer);
        }
        for line in &lines {
            let by_search = forms.iter().any(|f| line.contains(f));
            assert_eq!(flow_blank(line), by_search, "{line:?}");
        }
    }

    use super::*;

    #[test]
    fn the_quick_look_misses_no_blank_the_parser_finds() {
        let blank = [
            "a: 1\nb:\nc: 2\n",
            "a:\n  b:\nc: 1\n",
            "x: {count: , amount: }\n",
            "x: {count: 1, amount:}\n",
            "l:\n  -\n  - 2\n",
            "a: ~\n",
            "a: null # 空\n",
            "last:\n",
            "a:   # 注释\nb: 1\n",
        ];
        for text in blank {
            assert!(!blank_values(text).is_empty(), "parser: {text:?}");
            assert!(might_have_blanks(text), "quick look: {text:?}");
        }
        let full = [
            "a: 1\nb:\n  c: 2\n",
            "l:\n- 1\n- 2\n",
            "t: \"a: ,\"\n",
            "n: |\n  text\n",
        ];
        for text in full {
            assert!(blank_values(text).is_empty(), "{text:?}");
        }
        assert!(!might_have_blanks(full[0]) && !might_have_blanks(full[1]));
    }
}

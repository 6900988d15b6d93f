//! `measures.yaml` as offices keep it and the samples write it, read
//! without the YAML parser: the fields of work as block mappings, a
//! narrative as a literal block (`|`), each figure one line of a flow
//! mapping, or a block mapping whose total is a flow mapping and whose
//! breakdowns list their parts one per line.
//!
//! With the project lists read by [`super::flow`], serde-saphyr spent about
//! a tenth of a full build's CPU on these files. Like that reader, this one
//! takes only a narrow form and gives `None` for anything else: a quote, a
//! comment after a value, a folded or chomped block (`>`, `|-`, `|+`), a
//! block that starts with a blank line, a key it does not know or one given
//! twice, a value YAML could read as other than its text, a tab, a
//! document marker, a value over several lines. serde-saphyr then reads the
//! file as before, with every diagnostic it gives. What this returns is what
//! serde-saphyr returns for the same text, positions included: the tests
//! read every sample and fixture, and edited variants, both ways.

use super::flow::{Cursor, number, plain, set, text_value};
use crate::diag::Pos;
use crate::model::raw::{
    Breakdown, Figure, Measure, MeasuresFile, N, Part, Tally, Text, is_hidden_control,
};

/// Past this size the parser reads the file. Within it no file comes near
/// the parser's limits of nodes and events (each node takes two bytes or
/// more), nor of depth (the form has six levels).
const MAX_LEN: usize = 1 << 20;

/// The fields of work, or `None` if the file is not in the form read here.
pub(super) fn measures(text: &str) -> Option<MeasuresFile> {
    // What YAML treats as a line break or refuses, and what the parser
    // tells of (a tab, a carriage return, a byte-order mark).
    let unusual = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(
                c,
                '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}'
            )
    };
    if text.len() > MAX_LEN || text.chars().any(unusual) {
        return None;
    }
    let mut r = Reader::new(text)?;
    r.skip();
    (r.lines.get(r.i)?.text == "measures:").then_some(())?;
    r.i += 1;
    let measures = r.seq(0, Reader::measure)?;
    r.skip();
    (r.i == r.lines.len()).then_some(MeasuresFile { measures })
}

/// A line and its number (from 1), with its indentation in spaces.
struct Line<'a> {
    text: &'a str,
    no: u32,
    indent: usize,
}

impl Line<'_> {
    /// Neither blank nor a comment.
    fn significant(&self) -> bool {
        self.indent < self.text.len() && !self.text[self.indent..].starts_with('#')
    }
}

/// A value after its key's colon.
enum Value<'a> {
    /// A plain scalar to the line's end, and where it starts.
    Scalar(&'a str, Pos),
    /// A literal block (`|`): its lines follow.
    Literal,
    /// A flow mapping, the cursor at its `{`.
    Flow(Cursor<'a>),
    /// `true` or `false`.
    Truth(bool),
    /// Nothing after the colon: a block collection follows.
    Nested,
}

/// The file's lines and the next one to read.
struct Reader<'a> {
    lines: Vec<Line<'a>>,
    i: usize,
}

impl<'a> Reader<'a> {
    /// The lines, or `None` if one is a document marker.
    fn new(text: &'a str) -> Option<Self> {
        let mut lines = Vec::new();
        for (i, text) in text.split('\n').enumerate() {
            if text.starts_with("---") || text.starts_with("...") {
                return None;
            }
            lines.push(Line {
                text,
                no: u32::try_from(i + 1).ok()?,
                indent: text.len() - text.trim_start_matches(' ').len(),
            });
        }
        Some(Reader { lines, i: 0 })
    }

    /// Past blank lines and comments.
    fn skip(&mut self) {
        while self.lines.get(self.i).is_some_and(|l| !l.significant()) {
            self.i += 1;
        }
    }

    /// A block sequence whose items start with `- ` at one indentation, at
    /// least `min`; `item` reads each from a cursor after its `- `, and
    /// every line of it.
    fn seq<T>(
        &mut self,
        min: usize,
        item: impl Fn(&mut Self, Cursor<'a>) -> Option<T>,
    ) -> Option<Vec<T>> {
        self.skip();
        let indent = self.lines.get(self.i)?.indent;
        (indent >= min).then_some(())?;
        let mut items = Vec::new();
        loop {
            self.skip();
            let Some(l) = self.lines.get(self.i) else {
                break;
            };
            if l.indent > indent {
                return None;
            }
            if l.indent < indent || !l.text[indent..].starts_with("- ") {
                break;
            }
            let mut c = cursor(l, indent + 2);
            c.spaces();
            items.push(item(self, c)?);
        }
        (!items.is_empty()).then_some(items)
    }

    /// A block mapping whose first key is at `c`, the others in its column
    /// on the lines below: `each` reads each key's value, given the column.
    fn mapping(
        &mut self,
        mut c: Cursor<'a>,
        mut each: impl FnMut(&mut Self, &'a str, Value<'a>, usize) -> Option<()>,
    ) -> Option<()> {
        // Only spaces and `- ` come before the first key: bytes are columns.
        let column = c.at;
        loop {
            let (key, value) = self.entry(&mut c)?;
            each(self, key, value, column)?;
            self.skip();
            let Some(l) = self.lines.get(self.i) else {
                return Some(());
            };
            if l.indent < column {
                return Some(());
            }
            (l.indent == column).then_some(())?;
            c = cursor(l, column);
        }
    }

    /// `key:` and what follows it on the line; the line is read.
    fn entry(&mut self, c: &mut Cursor<'a>) -> Option<(&'a str, Value<'a>)> {
        let rest = c.rest();
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
            .count();
        let key = &rest[..len];
        c.at += len;
        (len > 0).then_some(())?;
        c.eat(":")?;
        self.i += 1;
        if c.rest().is_empty() {
            return Some((key, Value::Nested));
        }
        c.eat(" ")?;
        c.spaces();
        let value = match c.rest() {
            "|" => Value::Literal,
            "true" => Value::Truth(true),
            "false" => Value::Truth(false),
            v if v.starts_with('{') => Value::Flow(c.clone()),
            v => {
                let at = c.pos()?;
                block_plain(v).then_some(Value::Scalar(v, at))?
            }
        };
        Some((key, value))
    }

    /// A literal block (`|`) below a key in `column`: its lines, less their
    /// indentation, each ending in a line break, the blank lines after the
    /// last left out (clip; serde-saphyr gives the last line its break at
    /// the file's end too). Its place is its text's start, as serde-saphyr
    /// gives it.
    fn literal(&mut self, column: usize) -> Option<Text> {
        let first = self.lines.get(self.i)?;
        let indent = first.indent;
        (indent > column && first.significant()).then_some(())?;
        let at = Pos {
            line: first.no,
            col: u32::try_from(indent + 1).ok()?,
        };
        let (mut end, mut last) = (self.i, self.i);
        while let Some(l) = self.lines.get(end) {
            if l.indent == l.text.len() {
                // A blank line is a line break; spaces past the block's
                // indentation would be text, left to the parser.
                (l.indent <= indent).then_some(())?;
            } else if l.indent < indent {
                break;
            } else {
                last = end;
            }
            end += 1;
        }
        let mut s = String::new();
        for (k, l) in self.lines[self.i..=last].iter().enumerate() {
            if k > 0 {
                s.push('\n');
            }
            s.push_str(l.text.get(indent..).unwrap_or_default());
        }
        s.push('\n');
        self.i = last + 1;
        (!s.chars().any(is_hidden_control)).then_some(Text { s, at })
    }

    /// A field of work: a block mapping.
    fn measure(&mut self, c: Cursor<'a>) -> Option<Measure> {
        let (mut title, mut heading, mut narrative, mut figures) = (None, None, None, None);
        self.mapping(c, |r, key, value, column| match (key, value) {
            ("title", Value::Scalar(v, at)) => set(&mut title, text_value(v, at)?),
            ("heading", Value::Scalar(v, at)) => set(&mut heading, text_value(v, at)?),
            ("narrative", Value::Scalar(v, at)) => set(&mut narrative, text_value(v, at)?),
            ("narrative", Value::Literal) => set(&mut narrative, r.literal(column)?),
            ("figures", Value::Nested) => set(&mut figures, r.seq(column, Reader::figure)?),
            _ => None,
        })?;
        Some(Measure {
            title: title?,
            heading,
            narrative,
            figures: figures.unwrap_or_default(),
        })
    }

    /// A figure: one line of a flow mapping, or a block mapping.
    fn figure(&mut self, mut c: Cursor<'a>) -> Option<Figure> {
        let mut f = Fields::default();
        if c.eat("{").is_some() {
            c.mapping(|c, key| f.flow(c, key))?;
            self.line_read(&c)?;
        } else {
            self.mapping(c, |r, key, value, column| match (key, value) {
                ("total", Value::Flow(mut c)) => {
                    c.eat("{")?;
                    set(&mut f.total, tally(&mut c)?)?;
                    (c.at == c.line.len()).then_some(())
                }
                ("breakdowns", Value::Nested) => {
                    set(&mut f.breakdowns, r.seq(column, Reader::breakdown)?)
                }
                (_, Value::Scalar(v, at)) => f.scalar(key, v, at),
                _ => None,
            })?;
        }
        f.figure()
    }

    /// A breakdown: a block mapping whose parts are one line each.
    fn breakdown(&mut self, c: Cursor<'a>) -> Option<Breakdown> {
        let (mut by, mut subset, mut parts, mut ack) = (None, None, None, None);
        self.mapping(c, |r, key, value, column| match (key, value) {
            ("by", Value::Scalar(v, at)) => set(&mut by, text_value(v, at)?),
            ("ack", Value::Scalar(v, at)) => set(&mut ack, text_value(v, at)?),
            ("subset", Value::Truth(t)) => set(&mut subset, t),
            ("parts", Value::Nested) => set(&mut parts, r.seq(column, Reader::part)?),
            _ => None,
        })?;
        Some(Breakdown {
            by: by?,
            subset,
            parts: parts?,
            ack,
        })
    }

    /// A part of a breakdown: one line of a flow mapping.
    fn part(&mut self, mut c: Cursor<'a>) -> Option<Part> {
        c.eat("{")?;
        let (mut name, mut unit, mut t) = (None, None, Tally::default());
        c.mapping(|c, key| {
            let (v, at) = c.scalar(b",}")?;
            match key {
                "name" => set(&mut name, text_value(v, at)?),
                "unit" => set(&mut unit, text_value(v, at)?),
                _ => set(tally_slot(&mut t, key)?, number(v, at)?),
            }
        })?;
        self.line_read(&c)?;
        Some(Part {
            name: name?,
            households: t.households,
            persons: t.persons,
            amount: t.amount,
            count: t.count,
            value: t.value,
            unit,
        })
    }

    /// The item's line read to its end (after a flow mapping).
    fn line_read(&mut self, c: &Cursor<'a>) -> Option<()> {
        (c.at == c.line.len()).then_some(())?;
        self.i += 1;
        Some(())
    }
}

/// A cursor at byte `at` of a line.
fn cursor<'a>(l: &Line<'a>, at: usize) -> Cursor<'a> {
    Cursor {
        line: l.text,
        at,
        no: l.no,
        nodes: 0,
    }
}

/// A plain scalar as a block mapping's value: as [`plain`], but what is
/// text after its first character outside a flow collection may be there:
/// brackets, braces, commas, quotes, backslashes, a colon before anything
/// but a space, a `#` after anything but a space.
fn block_plain(v: &str) -> bool {
    let Some(first) = v.chars().next() else {
        return false;
    };
    let rest = &v[first.len_utf8()..];
    if !rest.contains([',', '[', ']', '{', '}', '"', '\'', '\\', ':', '#']) {
        return plain(v);
    }
    let mut neutral = String::with_capacity(v.len());
    neutral.push(first);
    let mut prev = first;
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        let text = match c {
            ',' | '[' | ']' | '{' | '}' | '"' | '\'' | '\\' => true,
            ':' => chars.peek().is_some_and(|n| *n != ' '),
            '#' => prev != ' ',
            _ => false,
        };
        neutral.push(if text { 'x' } else { c });
        prev = c;
    }
    plain(&neutral)
}

/// `{households: …, persons: …, amount: …, count: …, value: …}` after its
/// `{`, through its `}`.
fn tally(c: &mut Cursor) -> Option<Tally> {
    let mut t = Tally::default();
    c.mapping(|c, key| {
        let (v, at) = c.scalar(b",}")?;
        set(tally_slot(&mut t, key)?, number(v, at)?)
    })?;
    Some(t)
}

fn tally_slot<'t>(t: &'t mut Tally, key: &str) -> Option<&'t mut Option<N>> {
    Some(match key {
        "households" => &mut t.households,
        "persons" => &mut t.persons,
        "amount" => &mut t.amount,
        "count" => &mut t.count,
        "value" => &mut t.value,
        _ => return None,
    })
}

/// The fields of a figure as they are read.
#[derive(Default)]
struct Fields {
    label: Option<Text>,
    unit: Option<Text>,
    note: Option<Text>,
    numerator_label: Option<Text>,
    denominator_label: Option<Text>,
    approx: Option<Text>,
    ack: Option<Text>,
    compare: Option<Text>,
    value: Option<N>,
    plan: Option<N>,
    numerator: Option<N>,
    denominator: Option<N>,
    should: Option<N>,
    done: Option<N>,
    undone: Option<N>,
    from: Option<N>,
    to: Option<N>,
    sum: Option<N>,
    count: Option<N>,
    scale: Option<N>,
    stated: Option<N>,
    precision: Option<N>,
    at_least: Option<N>,
    at_most: Option<N>,
    max: Option<N>,
    total: Option<Tally>,
    breakdowns: Option<Vec<Breakdown>>,
}

impl Fields {
    /// A key and its value in a flow mapping (no breakdowns there).
    fn flow(&mut self, c: &mut Cursor, key: &str) -> Option<()> {
        if key == "total" {
            c.eat("{")?;
            return set(&mut self.total, tally(c)?);
        }
        let (v, at) = c.scalar(b",}")?;
        self.scalar(key, v, at)
    }

    /// A key whose value is a text or a number.
    fn scalar(&mut self, key: &str, v: &str, at: Pos) -> Option<()> {
        let text = match key {
            "label" => &mut self.label,
            "unit" => &mut self.unit,
            "note" => &mut self.note,
            "numerator_label" => &mut self.numerator_label,
            "denominator_label" => &mut self.denominator_label,
            "approx" => &mut self.approx,
            "ack" => &mut self.ack,
            "compare" => &mut self.compare,
            _ => return set(self.number_slot(key)?, number(v, at)?),
        };
        set(text, text_value(v, at)?)
    }

    fn number_slot(&mut self, key: &str) -> Option<&mut Option<N>> {
        Some(match key {
            "value" => &mut self.value,
            "plan" => &mut self.plan,
            "numerator" => &mut self.numerator,
            "denominator" => &mut self.denominator,
            "should" => &mut self.should,
            "done" => &mut self.done,
            "undone" => &mut self.undone,
            "from" => &mut self.from,
            "to" => &mut self.to,
            "sum" => &mut self.sum,
            "count" => &mut self.count,
            "scale" => &mut self.scale,
            "stated" => &mut self.stated,
            "precision" => &mut self.precision,
            "at_least" => &mut self.at_least,
            "at_most" => &mut self.at_most,
            "max" => &mut self.max,
            _ => return None,
        })
    }

    /// The figure, if it has its label.
    fn figure(self) -> Option<Figure> {
        Some(Figure {
            label: self.label?,
            unit: self.unit,
            note: self.note,
            value: self.value,
            plan: self.plan,
            numerator: self.numerator,
            denominator: self.denominator,
            numerator_label: self.numerator_label,
            denominator_label: self.denominator_label,
            should: self.should,
            done: self.done,
            undone: self.undone,
            from: self.from,
            to: self.to,
            approx: self.approx,
            sum: self.sum,
            count: self.count,
            scale: self.scale,
            total: self.total,
            breakdowns: self.breakdowns.unwrap_or_default(),
            stated: self.stated,
            precision: self.precision,
            ack: self.ack,
            compare: self.compare,
            at_least: self.at_least,
            at_most: self.at_most,
            max: self.max,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde-saphyr makes of the text with the build's options (`None`
    /// on an error).
    fn slow(text: &str) -> Option<String> {
        serde_saphyr::from_str_with_options::<MeasuresFile>(text, crate::input::yaml::options())
            .ok()
            .map(|f| format!("{f:?}"))
    }

    /// Read both ways: the same fields of work whenever this reads them.
    fn same(text: &str) -> bool {
        let fast = measures(text).map(|f| format!("{f:?}"));
        if fast.is_some() {
            assert_eq!(fast, slow(text), "{text}");
        }
        fast.is_some()
    }

    fn yaml_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() == "measures.yaml")
            .map(|e| e.into_path())
            .collect()
    }

    #[test]
    fn every_sample_and_fixture_reads_as_serde_saphyr_reads_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut read, mut all) = (0, 0);
        for path in yaml_files(&root.join("data"))
            .into_iter()
            .chain(yaml_files(&root.join("tests")))
        {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            all += 1;
            read += usize::from(same(&text));
        }
        // The samples are in the form read here; hostile fixtures are not.
        assert!(all >= 10 && read * 2 > all, "{read} of {all}");
        for path in yaml_files(&root.join("data")) {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(measures(&text).is_some(), "{}", path.display());
        }
    }
    const BASE: &str = "# 说明
measures:
  - title: 组织领导
    heading: 思想高度重视,形成合力
    narrative: |
      坚持把脱贫攻坚{{ f[\"覆盖\"] }}，共计。

      第二段：继续。  
        缩进的一行。
    figures:
      - {label: 覆盖, value: 664, unit: 户}
      - {label: 比例, numerator: 213, denominator: 381, unit: 户, stated: 55.9}
      # 一个分项
      - label: 资助
        unit: 人
        ack: 原文如此:见表#1
        total: {persons: 255, amount: 1.5}
        breakdowns:
          - by: 类别
            subset: true
            parts:
              - {name: 甲类, persons: 58}
              - {name: 乙类, persons: 197, amount: 0.5}
  - title: 产业扶贫
    narrative: 培训{{ f[\"覆盖\"] }},完成。
    figures:
    - {label: 产业, value: 12.5, unit: 万元}
";

    #[test]
    fn a_file_in_the_usual_form_is_read_with_its_positions() {
        assert!(same(BASE));
        let f = measures(BASE).unwrap();
        assert_eq!(f.measures.len(), 2);
        let m = &f.measures[0];
        let narrative = m.narrative.as_ref().unwrap();
        assert_eq!(
            narrative.s,
            "坚持把脱贫攻坚{{ f[\"覆盖\"] }}，共计。\n\n第二段：继续。  \n  缩进的一行。\n"
        );
        assert_eq!(narrative.at, Pos { line: 6, col: 7 });
        let b = &m.figures[2].breakdowns[0];
        assert_eq!((b.subset, b.parts.len()), (Some(true), 2));
        assert_eq!(m.figures[2].ack.as_ref().unwrap().s, "原文如此:见表#1");
        assert_eq!(
            f.measures[1].figures[0].value.as_ref().unwrap().at,
            Pos { line: 27, col: 26 }
        );
    }

    #[test]
    fn variants_read_alike_or_are_left_to_the_parser() {
        let read = [
            ("      第二段：继续。  \n", ""),
            ("\n      第二段", "\n\n\n      第二段"),
            ("\n      第二段", "\n   \n      第二段"),
            (
                "    figures:\n      - {label: 覆盖",
                "\n\n    figures:\n      - {label: 覆盖",
            ),
            ("subset: true", "subset: false"),
            ("            subset: true\n", ""),
            ("heading: 思想高度重视,形成合力", "heading: 思想[高度]重视"),
            ("heading: 思想高度重视,形成合力", "heading: a:b"),
            ("heading: 思想高度重视,形成合力", "heading: a#b"),
            ("heading: 思想高度重视,形成合力", "heading: 他说\"好\""),
            ("heading: 思想高度重视,形成合力", "heading:    多个空格"),
            ("value: 664", "value: 0.5"),
            ("      - {label: 覆盖, value: 664, unit: 户}\n", ""),
            ("    narrative: 培训{{ f[\"覆盖\"] }},完成。\n", ""),
        ];
        for (from, to) in read {
            assert!(BASE.contains(from), "{from}");
            assert!(same(&BASE.replacen(from, to, 1)), "{from} → {to}");
        }
        // The block at the file's end, with and without a last line break.
        let end = "measures:\n  - title: 甲\n    narrative: |\n      一行。\n      两行。";
        assert!(same(end));
        assert!(same(&format!("{end}\n")));
        assert!(same(&format!("{end}\n\n\n")));
        let left = [
            ("narrative: |", "narrative: |-"),
            ("narrative: |", "narrative: |+"),
            ("narrative: |", "narrative: >"),
            ("narrative: |", "narrative: |2"),
            ("narrative: |", "narrative: | # 注"),
            ("narrative: |\n", "narrative: |\n\n"),
            ("\n      第二段", "\n         \n      第二段"),
            ("subset: true", "subset: yes"),
            ("subset: true", "subset: True"),
            ("heading: 思想高度重视,形成合力", "heading: a: b"),
            ("heading: 思想高度重视,形成合力", "heading: a #b"),
            ("heading: 思想高度重视,形成合力", "heading: \"引号\""),
            (
                "heading: 思想高度重视,形成合力",
                "heading: 续行\n      第二行",
            ),
            ("heading: 思想高度重视,形成合力", "heading:"),
            ("heading: 思想高度重视,形成合力", "heading: null"),
            ("heading: 思想高度重视,形成合力", "heading: 思想 # 注"),
            (
                "heading: 思想高度重视,形成合力",
                "heading: 一\n    heading: 二",
            ),
            ("heading: 思想高度重视,形成合力", "headline: 思想"),
            ("value: 664", "value: ~"),
            ("value: 664", "value: -1"),
            (
                "total: {persons: 255, amount: 1.5}",
                "total:\n          persons: 255",
            ),
            (
                "total: {persons: 255, amount: 1.5}",
                "total: {persons: 255, villages: 1}",
            ),
            (
                "              - {name: 甲类, persons: 58}",
                "              - name: 甲类",
            ),
            ("          - by: 类别", "          - {by: 类别}"),
            ("    - {label: 产业", "    -  - {label: 产业"),
            ("  - title: 产业扶贫", "---\n  - title: 产业扶贫"),
            ("  - title: 产业扶贫", "   - title: 产业扶贫"),
            ("# 说明\n", "other: 1\n"),
        ];
        for (from, to) in left {
            assert!(BASE.contains(from), "{from}");
            assert!(!same(&BASE.replacen(from, to, 1)), "{from} → {to}");
        }
    }

    /// Many files made by small edits of the usual form (a character
    /// inserted, removed or replaced by one YAML treats specially): each is
    /// read as serde-saphyr reads it, or left to it.
    #[test]
    fn edited_files_read_alike_or_are_left_to_the_parser() {
        const CHARS: &[char] = &[
            ' ', ' ', ' ', '\n', '\n', ',', ':', '{', '}', '[', ']', '#', '-', '.', '0', '1', 'e',
            '_', '+', '\'', '"', '&', '*', '!', '|', '>', '%', '@', '`', '~', '?', '\t', '，',
            '：', '　', '村', 'n', 'y', '\r', '\u{0}', '\u{85}', '\u{a0}', '\u{202e}', '\u{2028}',
            '\u{feff}',
        ];
        let base: Vec<char> = BASE.chars().collect();
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut read = 0;
        for _ in 0..20_000 {
            let mut t = base.clone();
            for _ in 0..1 + next(3) {
                let (at, c) = (next(t.len()), CHARS[next(CHARS.len())]);
                match next(3) {
                    0 => t.insert(at, c),
                    1 => drop(t.remove(at)),
                    _ => t[at] = c,
                }
            }
            read += usize::from(same(&t.iter().collect::<String>()));
        }
        assert!(read > 1_000, "{read}");
    }

    /// Values YAML treats specially, or that only look like what the form
    /// allows, in each kind of place: read as serde-saphyr reads them, or
    /// left to it.
    #[test]
    fn hostile_values_read_alike_or_are_left_to_the_parser() {
        use crate::input::flow::tests::{NUMS, TEXTS};
        let mut read = 0;
        let mut try_ = |from: &str, to: String| {
            assert!(BASE.contains(from), "{from}");
            read += usize::from(same(&BASE.replacen(from, &to, 1)));
        };
        for v in TEXTS {
            try_("heading: 思想高度重视,形成合力", format!("heading: {v}"));
            try_("ack: 原文如此:见表#1", format!("ack: {v}"));
            try_("label: 覆盖", format!("label: {v}"));
            try_("name: 甲类", format!("name: {v}"));
            try_("第二段：继续。", format!("第二段{v}"));
            try_("      第二段：继续。", format!("      {v}"));
        }
        for v in NUMS.iter().chain(TEXTS) {
            try_("value: 664", format!("value: {v}"));
            try_("persons: 58", format!("persons: {v}"));
            try_("persons: 255", format!("persons: {v}"));
        }
        assert!(read > 600, "{read}");
    }
}

//! `measures.yaml`, `funds.yaml` and `plan.yaml` as offices keep them and
//! the samples write them, read without the YAML parser: block mappings
//! and sequences, texts as plain words or literal blocks (`|`), each
//! figure, part, batch, task or phase one line of a flow mapping (or a
//! figure a block mapping whose total is a flow mapping), comments on their
//! own lines or after a value.
//!
//! With the project lists read by [`super::flow`], serde-saphyr spent about
//! a sixth of a full build's CPU on these files. Like that reader, this one
//! takes only a narrow form and gives `None` for anything else: a quote
//! around a value, a folded or chomped block (`>`, `|-`, `|+`), a block
//! that starts with a blank line, a key it does not know or one given
//! twice, a value YAML could read as other than its text, a tab, a document
//! marker, a value over several lines, an anchor or a tag. serde-saphyr then
//! reads the file as before, with every diagnostic it gives. What this
//! returns is what serde-saphyr returns for the same text, positions
//! included: the tests read every sample and fixture, variants and edited
//! files both ways.

use super::flow::{Cursor, number, plain, set, text_value};
use crate::diag::Pos;
use crate::model::raw::{
    Breakdown, Figure, FundPart, FundsFile, Measure, MeasuresFile, N, Part, Phase, PlanFile,
    SpecialFunds, Tally, Task, Text, is_hidden_control,
};

/// Past this size the parser reads the file. Within it no file comes near
/// the parser's limits of nodes and events (each node takes two bytes or
/// more), nor of depth (the form has six levels).
const MAX_LEN: usize = 1 << 20;

/// The fields of work, or `None` if the file is not in the form read here.
pub(super) fn measures(text: &str) -> Option<MeasuresFile> {
    let mut r = Reader::open(text)?;
    r.skip();
    (r.lines.get(r.i)?.text == "measures:").then_some(())?;
    r.i += 1;
    let measures = r.seq(0, Reader::measure)?;
    r.finished()?;
    Some(MeasuresFile { measures })
}

/// `funds.yaml`, or `None` if it is not in the form read here: its figures
/// as in `measures.yaml`, the special funds a block mapping whose batches
/// and categories are one line each.
pub(super) fn funds(text: &str) -> Option<FundsFile> {
    let mut r = Reader::open(text)?;
    let c = r.top()?;
    let (mut unit, mut precision, mut title, mut narrative) = (None, None, None, None);
    let (mut figures, mut special) = (None, None);
    r.mapping(c, |r, key, value, column| match (key, value) {
        ("unit", Value::Scalar(v, at)) => set(&mut unit, text_value(v, at)?),
        ("precision", Value::Scalar(v, at)) => set(&mut precision, number(v, at)?),
        ("title", Value::Scalar(v, at)) => set(&mut title, text_value(v, at)?),
        ("narrative", value) => set(&mut narrative, r.prose(value, column)?),
        ("figures", Value::Nested) => set(&mut figures, r.seq(column, Reader::figure)?),
        ("special", Value::Nested) => set(&mut special, r.special(column)?),
        _ => None,
    })?;
    r.finished()?;
    Some(FundsFile {
        unit,
        precision,
        title,
        narrative,
        figures: figures.unwrap_or_default(),
        special,
    })
}

/// `plan.yaml`, or `None` if it is not in the form read here: texts, its
/// targets as figures, tasks and phases one line each, safeguards one text
/// each (no chapters or title lines: those are left to the parser).
pub(super) fn plan(text: &str) -> Option<PlanFile> {
    let mut r = Reader::open(text)?;
    let c = r.top()?;
    let mut p = PlanFields::default();
    r.mapping(c, |r, key, value, column| p.entry(r, key, value, column))?;
    r.finished()?;
    Some(p.plan())
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
    /// The text's lines, or `None` if it holds what the parser is to tell
    /// of (a tab, a carriage return, a byte-order mark, a line break other
    /// than `\n`), is past [`MAX_LEN`] or has a document marker.
    fn open(text: &'a str) -> Option<Self> {
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

    /// The document's mapping: a cursor at its first key, at the margin.
    fn top(&mut self) -> Option<Cursor<'a>> {
        self.skip();
        let l = self.lines.get(self.i)?;
        (l.indent == 0).then(|| cursor(l, 0))
    }

    /// Nothing but blank lines and comments left.
    fn finished(&mut self) -> Option<()> {
        self.skip();
        (self.i == self.lines.len()).then_some(())
    }

    /// A block mapping nested below a key in `column`: a cursor at its
    /// first key.
    fn below(&mut self, column: usize) -> Option<Cursor<'a>> {
        self.skip();
        let l = self.lines.get(self.i)?;
        (l.indent > column && !l.text[l.indent..].starts_with("- ")).then(|| cursor(l, l.indent))
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
        let code = without_comment(c.rest());
        if code.is_empty() {
            return Some((key, Value::Nested));
        }
        c.eat(" ")?;
        c.spaces();
        let value = match without_comment(c.rest()) {
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

    /// A text as a key's value: a plain scalar or a literal block.
    fn prose(&mut self, value: Value<'a>, column: usize) -> Option<Text> {
        match value {
            Value::Scalar(v, at) => text_value(v, at),
            Value::Literal => self.literal(column),
            _ => None,
        }
    }

    /// A text as a sequence's item: a plain scalar to the line's end.
    fn text_item(&mut self, c: Cursor<'a>) -> Option<Text> {
        let v = without_comment(c.rest());
        block_plain(v).then_some(())?;
        let at = c.pos()?;
        self.i += 1;
        text_value(v, at)
    }

    /// The special funds, a block mapping below `special:` in `column`.
    fn special(&mut self, column: usize) -> Option<SpecialFunds> {
        let c = self.below(column)?;
        let mut f = SpecialFields::default();
        self.mapping(c, |r, key, value, column| match (key, value) {
            ("label", Value::Scalar(v, at)) => set(&mut f.label, text_value(v, at)?),
            ("industry_category", Value::Scalar(v, at)) => {
                set(&mut f.industry_category, text_value(v, at)?)
            }
            (_, Value::Scalar(v, at)) => set(f.number_slot(key)?, number(v, at)?),
            (_, Value::Nested) => set(f.parts_slot(key)?, r.seq(column, Reader::fund_part)?),
            _ => None,
        })?;
        f.special()
    }

    /// A batch, category or source of the special funds: one line of a
    /// flow mapping.
    fn fund_part(&mut self, mut c: Cursor<'a>) -> Option<FundPart> {
        c.eat("{")?;
        let (mut name, mut projects, mut amount) = (None, None, None);
        c.mapping(|c, key| {
            let (v, at) = c.scalar(b",}")?;
            match key {
                "name" => set(&mut name, text_value(v, at)?),
                "projects" => set(&mut projects, number(v, at)?),
                "amount" => set(&mut amount, number(v, at)?),
                _ => None,
            }
        })?;
        self.line_read(&c)?;
        Some(FundPart {
            name: name?,
            projects,
            amount: amount?,
        })
    }

    /// A task of the plan: one line of a flow mapping, or a block mapping.
    fn task(&mut self, c: Cursor<'a>) -> Option<Task> {
        let mut t: [Option<Text>; 6] = Default::default();
        self.record(
            c,
            &["text", "group", "lead", "deputy", "unit", "deadline"],
            &mut t,
        )?;
        let [text, group, lead, deputy, unit, deadline] = t;
        Some(Task {
            text: text?,
            group,
            lead,
            deputy,
            unit,
            deadline,
        })
    }

    /// A phase of the plan: one line of a flow mapping, or a block mapping.
    fn phase(&mut self, c: Cursor<'a>) -> Option<Phase> {
        let mut t: [Option<Text>; 3] = Default::default();
        self.record(c, &["name", "text", "deadline"], &mut t)?;
        let [name, text, deadline] = t;
        Some(Phase {
            name: name?,
            text,
            deadline: deadline?,
        })
    }

    /// A mapping of texts under `keys` into `slots`: one line of a flow
    /// mapping, or a block mapping (its texts plain or literal blocks).
    fn record(
        &mut self,
        mut c: Cursor<'a>,
        keys: &[&str],
        slots: &mut [Option<Text>],
    ) -> Option<()> {
        let slot = |key: &str| keys.iter().position(|k| *k == key);
        if c.eat("{").is_some() {
            c.mapping(|c, key| {
                let (v, at) = c.scalar(b",}")?;
                set(&mut slots[slot(key)?], text_value(v, at)?)
            })?;
            return self.line_read(&c);
        }
        self.mapping(c, |r, key, value, column| {
            let text = r.prose(value, column)?;
            set(&mut slots[slot(key)?], text)
        })
    }

    /// A field of work: a block mapping.
    fn measure(&mut self, c: Cursor<'a>) -> Option<Measure> {
        let (mut title, mut heading, mut narrative, mut figures) = (None, None, None, None);
        self.mapping(c, |r, key, value, column| match (key, value) {
            ("title", Value::Scalar(v, at)) => set(&mut title, text_value(v, at)?),
            ("heading", Value::Scalar(v, at)) => set(&mut heading, text_value(v, at)?),
            ("narrative", value) => set(&mut narrative, r.prose(value, column)?),
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
                    ends(&c).then_some(())
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
        ends(c).then_some(())?;
        self.i += 1;
        Some(())
    }
}

/// A line's rest without its comment (a `#` after a space) and the spaces
/// before it.
fn without_comment(rest: &str) -> &str {
    let code = rest
        .match_indices(" #")
        .next()
        .map_or(rest, |(i, _)| &rest[..i]);
    code.trim_end_matches(' ')
}

/// Whether only spaces, or spaces and a comment, follow the cursor.
fn ends(c: &Cursor) -> bool {
    without_comment(c.rest()).is_empty()
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

/// The fields of the special funds as they are read.
#[derive(Default)]
struct SpecialFields {
    label: Option<Text>,
    industry_category: Option<Text>,
    stated_total: Option<N>,
    stated_projects: Option<N>,
    stated_start_rate: Option<N>,
    stated_completion_rate: Option<N>,
    stated_spending_rate: Option<N>,
    stated_industry_share: Option<N>,
    industry_min_share: Option<N>,
    batches: Option<Vec<FundPart>>,
    by_category: Option<Vec<FundPart>>,
    by_source: Option<Vec<FundPart>>,
}

impl SpecialFields {
    fn number_slot(&mut self, key: &str) -> Option<&mut Option<N>> {
        Some(match key {
            "stated_total" => &mut self.stated_total,
            "stated_projects" => &mut self.stated_projects,
            "stated_start_rate" => &mut self.stated_start_rate,
            "stated_completion_rate" => &mut self.stated_completion_rate,
            "stated_spending_rate" => &mut self.stated_spending_rate,
            "stated_industry_share" => &mut self.stated_industry_share,
            "industry_min_share" => &mut self.industry_min_share,
            _ => return None,
        })
    }

    fn parts_slot(&mut self, key: &str) -> Option<&mut Option<Vec<FundPart>>> {
        Some(match key {
            "batches" => &mut self.batches,
            "by_category" => &mut self.by_category,
            "by_source" => &mut self.by_source,
            _ => return None,
        })
    }

    /// The special funds, if they have their label.
    fn special(self) -> Option<SpecialFunds> {
        Some(SpecialFunds {
            label: self.label?,
            stated_total: self.stated_total,
            stated_projects: self.stated_projects,
            batches: self.batches.unwrap_or_default(),
            by_category: self.by_category.unwrap_or_default(),
            by_source: self.by_source.unwrap_or_default(),
            stated_start_rate: self.stated_start_rate,
            stated_completion_rate: self.stated_completion_rate,
            stated_spending_rate: self.stated_spending_rate,
            industry_category: self.industry_category,
            stated_industry_share: self.stated_industry_share,
            industry_min_share: self.industry_min_share,
        })
    }
}

/// The fields of a plan as they are read.
#[derive(Default)]
struct PlanFields {
    year: Option<N>,
    title: Option<Text>,
    kind: Option<Text>,
    theme: Option<Text>,
    issued: Option<Text>,
    closing: Option<Text>,
    intro: Option<Text>,
    guiding: Option<Text>,
    tables: Option<bool>,
    draft: Option<bool>,
    targets: Option<Vec<Figure>>,
    tasks: Option<Vec<Task>>,
    phases: Option<Vec<Phase>>,
    safeguards: Option<Vec<Text>>,
}

impl PlanFields {
    /// A key of the plan and its value.
    fn entry<'a>(
        &mut self,
        r: &mut Reader<'a>,
        key: &str,
        value: Value<'a>,
        column: usize,
    ) -> Option<()> {
        let text = match key {
            "title" => &mut self.title,
            "kind" => &mut self.kind,
            "theme" => &mut self.theme,
            "issued" => &mut self.issued,
            "closing" => &mut self.closing,
            "intro" => &mut self.intro,
            "guiding" => &mut self.guiding,
            _ => return self.other(r, key, value, column),
        };
        set(text, r.prose(value, column)?)
    }

    /// A key whose value is not a text.
    fn other<'a>(
        &mut self,
        r: &mut Reader<'a>,
        key: &str,
        value: Value<'a>,
        column: usize,
    ) -> Option<()> {
        match (key, value) {
            ("year", Value::Scalar(v, at)) => set(&mut self.year, number(v, at)?),
            ("tables", Value::Truth(t)) => set(&mut self.tables, t),
            ("draft", Value::Truth(t)) => set(&mut self.draft, t),
            ("targets", Value::Nested) => set(&mut self.targets, r.seq(column, Reader::figure)?),
            ("tasks", Value::Nested) => set(&mut self.tasks, r.seq(column, Reader::task)?),
            ("phases", Value::Nested) => set(&mut self.phases, r.seq(column, Reader::phase)?),
            ("safeguards", Value::Nested) => {
                set(&mut self.safeguards, r.seq(column, Reader::text_item)?)
            }
            _ => None,
        }
    }

    fn plan(self) -> PlanFile {
        PlanFile {
            year: self.year,
            title: self.title,
            title_lines: None,
            kind: self.kind,
            theme: self.theme,
            issued: self.issued,
            chapters: None,
            closing: self.closing,
            tables: self.tables,
            draft: self.draft,
            intro: self.intro,
            guiding: self.guiding,
            targets: self.targets.unwrap_or_default(),
            tasks: self.tasks.unwrap_or_default(),
            phases: self.phases.unwrap_or_default(),
            safeguards: self.safeguards.unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde-saphyr makes of the text with the build's options (`None`
    /// on an error).
    fn slow<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> Option<String> {
        serde_saphyr::from_str_with_options::<T>(text, crate::input::yaml::options())
            .ok()
            .map(|f| format!("{f:?}"))
    }

    /// Read both ways with `fast`: the same whenever it reads the text.
    fn same_as<T: serde::de::DeserializeOwned + std::fmt::Debug>(
        fast: fn(&str) -> Option<T>,
        text: &str,
    ) -> bool {
        let read = fast(text).map(|f| format!("{f:?}"));
        if read.is_some() {
            assert_eq!(read, slow::<T>(text), "{text}");
        }
        read.is_some()
    }

    /// Fields of work read both ways.
    fn same(text: &str) -> bool {
        same_as(measures, text)
    }

    fn yaml_files(dir: &std::path::Path, name: &str) -> Vec<std::path::PathBuf> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() == name)
            .map(|e| e.into_path())
            .collect()
    }

    /// Every sample and fixture file called `name` read both ways: how many
    /// were read here, of how many.
    fn samples_and_fixtures<T: serde::de::DeserializeOwned + std::fmt::Debug>(
        name: &str,
        fast: fn(&str) -> Option<T>,
    ) -> (usize, usize) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut read, mut all) = (0, 0);
        for path in yaml_files(&root.join("data"), name)
            .into_iter()
            .chain(yaml_files(&root.join("tests"), name))
        {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            all += 1;
            read += usize::from(same_as(fast, &text));
        }
        assert!(all >= 10, "{name}: {all}");
        (read, all)
    }

    #[test]
    fn every_sample_and_fixture_reads_as_serde_saphyr_reads_it() {
        // Most are in the form read here; hostile fixtures are not, nor
        // plans with chapters of their own.
        let (read, all) = samples_and_fixtures("measures.yaml", measures);
        assert!(read * 2 > all, "{read} of {all}");
        let (read, all) = samples_and_fixtures("funds.yaml", funds);
        assert!(read * 2 > all, "{read} of {all}");
        let (read, _) = samples_and_fixtures("plan.yaml", plan);
        assert!(read >= 5, "{read}");
        // The samples' fields of work and funds are all in the form.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        for path in yaml_files(&root, "measures.yaml")
            .into_iter()
            .chain(yaml_files(&root, "funds.yaml"))
        {
            let text = std::fs::read_to_string(&path).unwrap();
            let read = measures(&text).is_some() || funds(&text).is_some();
            assert!(read, "{}", path.display());
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
            ("narrative: |", "narrative: | # 注"),
            ("subset: true", "subset: true  # 其中"),
            ("figures:", "figures:   # 指标"),
            ("unit: 户}", "unit: 户}  # 注"),
            ("            subset: true\n", ""),
            ("heading: 思想高度重视,形成合力", "heading: 思想[高度]重视"),
            ("heading: 思想高度重视,形成合力", "heading: a:b"),
            ("heading: 思想高度重视,形成合力", "heading: a#b"),
            ("heading: 思想高度重视,形成合力", "heading: a #b"),
            ("heading: 思想高度重视,形成合力", "heading: 思想  # 注"),
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
            ("narrative: |\n", "narrative: |\n\n"),
            ("\n      第二段", "\n         \n      第二段"),
            ("subset: true", "subset: yes"),
            ("subset: true", "subset: True"),
            ("heading: 思想高度重视,形成合力", "heading: a: b"),
            ("heading: 思想高度重视,形成合力", "heading: \"引号\""),
            (
                "heading: 思想高度重视,形成合力",
                "heading: 续行\n      第二行",
            ),
            ("heading: 思想高度重视,形成合力", "heading:"),
            ("heading: 思想高度重视,形成合力", "heading: null"),
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

    const FUNDS: &str = "# 资金
unit: 万元
title: 资金保障有力
narrative: |
  统筹整合{{ f[\"专项资金\"] }}。

  第二段。
figures:
  - {label: 统筹使用比例, numerator: 1500, denominator: 2900, unit: 万元}
  - label: 存量资金
    numerator: 320
    denominator: 631
    stated: 50.7
special:
  label: 财政专项扶贫资金
  stated_total: 1293.8   # 原文
  batches:
    - {name: 第一批, projects: 20, amount: 674.2}
    - {name: 第二批, amount: 619.6}
  by_category:  # 只列产业
    - {name: 产业发展, projects: 56, amount: 1764.6}
  industry_category: 产业发展
";

    const PLAN: &str = "year: 2021
kind: 工作方案
intro: 根据《意见》，制定本方案。
targets:
  - {label: 减贫人口, value: 500, unit: 人, compare: 人}
tasks:
  - {text: 发展产业，带动就业。, lead: 副县长, unit: 县扶贫办, deadline: 2021年3月底前}
  - text: |
      继续巩固成效；
      提高质量。
    group: 扶贫专项
tables: true   # 续建项目表
phases:
  - {name: 调查摸底阶段, deadline: 1月底前}
safeguards:
  - 出台意见，落实政策。
  - 统筹资金 # 注
";

    /// Many files made by small edits of `base` (a character inserted,
    /// removed or replaced by one YAML treats specially,
    /// [`crate::input::flow::tests::edits`]): each is read by `fast` as
    /// serde-saphyr reads it, or left to it. How many were read.
    fn edited<T: serde::de::DeserializeOwned + std::fmt::Debug>(
        base: &str,
        fast: fn(&str) -> Option<T>,
    ) -> usize {
        const CHARS: &[char] = &[
            ' ', ' ', ' ', '\n', '\n', ',', ':', '{', '}', '[', ']', '#', '-', '.', '0', '1', 'e',
            '_', '+', '\'', '"', '&', '*', '!', '|', '>', '%', '@', '`', '~', '?', '\t', '，',
            '：', '　', '村', 'n', 'y', '\r', '\u{0}', '\u{85}', '\u{a0}', '\u{202e}', '\u{2028}',
            '\u{feff}',
        ];
        assert!(same_as(fast, base), "{base}");
        crate::input::flow::tests::edits(base, CHARS, 0x9e37_79b9_7f4a_7c15, |t| same_as(fast, t))
    }

    #[test]
    fn edited_files_read_alike_or_are_left_to_the_parser() {
        let read = edited(BASE, measures);
        assert!(read > 1_000, "{read}");
        let read = edited(FUNDS, funds);
        assert!(read > 1_000, "{read}");
        let read = edited(PLAN, plan);
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

    /// The same values in the funds' and the plan's own fields.
    #[test]
    fn hostile_values_in_funds_and_plans_read_alike_or_are_left_to_the_parser() {
        use crate::input::flow::tests::{NUMS, TEXTS};
        let mut read = 0;
        let mut try_funds = |from: &str, to: String| {
            assert!(FUNDS.contains(from), "{from}");
            read += usize::from(same_as(funds, &FUNDS.replacen(from, &to, 1)));
        };
        for v in TEXTS {
            try_funds("title: 资金保障有力", format!("title: {v}"));
            try_funds("label: 财政专项扶贫资金", format!("label: {v}"));
            try_funds("name: 第二批", format!("name: {v}"));
            try_funds(
                "industry_category: 产业发展",
                format!("industry_category: {v}"),
            );
        }
        for v in NUMS.iter().chain(TEXTS) {
            try_funds("stated_total: 1293.8", format!("stated_total: {v}"));
            try_funds("amount: 619.6", format!("amount: {v}"));
        }
        let mut try_plan = |from: &str, to: String| {
            assert!(PLAN.contains(from), "{from}");
            read += usize::from(same_as(plan, &PLAN.replacen(from, &to, 1)));
        };
        for v in TEXTS {
            try_plan("kind: 工作方案", format!("kind: {v}"));
            try_plan("lead: 副县长", format!("lead: {v}"));
            try_plan("group: 扶贫专项", format!("group: {v}"));
            try_plan("  - 出台意见，落实政策。", format!("  - {v}"));
            try_plan("deadline: 1月底前", format!("deadline: {v}"));
        }
        for v in NUMS.iter().chain(TEXTS) {
            try_plan("year: 2021", format!("year: {v}"));
        }
        assert!(read > 600, "{read}");
    }
}

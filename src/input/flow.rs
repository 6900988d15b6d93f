//! `projects.yaml` as offices keep it and `nianbao import` writes it, read
//! without the YAML parser: one project per line, a flow mapping of plain
//! words and numbers (`  - {id: 2017-001, name: …, budget: 19.0, …}`).
//!
//! serde-saphyr took about a sixth of a full build's CPU on these lists
//! alone (every scalar goes through its event stream and `Spanned`); this
//! reads the same list in a small part of that. It takes only a narrow form
//! and gives `None` for anything else: a quote, a comment after a project,
//! a project over several lines, a key it does not know or one given twice,
//! a value YAML could read as other than the text (`null`, `~`, `yes`, a
//! number with a sign or a leading zero …), a tab, a blank. serde-saphyr
//! then reads the file as before, with every diagnostic it gives. What this
//! returns is what serde-saphyr returns for the same text, positions
//! included: the tests read every sample and fixture list, and variants of
//! each form, both ways.

use crate::diag::Pos;
use crate::model::num;
use crate::model::raw::{Count, N, Project, ProjectsFile, Text, is_hidden_control};

/// The list, or `None` if it is not in the form read here.
pub(super) fn projects(text: &str) -> Option<ProjectsFile> {
    projects_within(text, (super::yaml::MAX_NODES, super::yaml::MAX_EVENTS))
}

/// The list, if also within the parser's limits of nodes and events (a list
/// past them is the parser's to refuse).
fn projects_within(text: &str, (max_nodes, max_events): (usize, usize)) -> Option<ProjectsFile> {
    // Tabs, carriage returns, a byte-order mark and what YAML does not
    // allow in a file at all (even in a comment) are the parser's to tell.
    let unusual = |c: char| {
        (c.is_control() && c != '\n') || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}')
    };
    if text.chars().any(unusual) {
        return None;
    }
    let mut illustrative = None;
    let mut projects: Option<Vec<Project>> = None;
    // The items' indentation (all alike), while in the list.
    let mut item_indent: Option<usize> = None;
    let mut in_list = false;
    // The parser's count, or a little over: the document's mapping, each key
    // and value, each project's mapping.
    let mut nodes = 1;
    for (i, line) in text.split('\n').enumerate() {
        let no = u32::try_from(i + 1).ok()?;
        let body = line.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let mut c = Cursor {
            line,
            at: 0,
            no,
            nodes: 0,
        };
        if body.len() == line.len() {
            in_list = false;
            if body == "projects:" {
                set(&mut projects, Vec::new())?;
                in_list = true;
            } else {
                c.eat("illustrative: ")?;
                let (v, at) = c.scalar(b"\n")?;
                set(&mut illustrative, text_value(v, at)?)?;
            }
            nodes += 2;
            continue;
        }
        let indent = line.len() - body.len();
        if !in_list || *item_indent.get_or_insert(indent) != indent {
            return None;
        }
        c.at = indent;
        c.eat("- {")?;
        let p = c.project()?;
        (c.at == line.len()).then_some(())?;
        nodes += c.nodes;
        projects.as_mut()?.push(p);
    }
    // Each node is one event or two (a mapping's start and end), with the
    // stream's and the document's.
    (nodes <= max_nodes && 2 * nodes + 4 <= max_events).then_some(())?;
    // `projects:` with no item is a null to the parser, not an empty list.
    Some(ProjectsFile {
        illustrative,
        projects: projects.filter(|p| !p.is_empty())?,
    })
}

/// Fill a field once; a second time is `None` (serde-saphyr tells of it).
pub(super) fn set<T>(slot: &mut Option<T>, v: T) -> Option<()> {
    slot.is_none().then(|| *slot = Some(v))
}

#[derive(Clone)]
pub(super) struct Cursor<'a> {
    pub(super) line: &'a str,
    pub(super) at: usize,
    pub(super) no: u32,
    /// The nodes of the mappings read, as [`projects_within`] counts them
    /// (a nested mapping is also counted as its key's value).
    pub(super) nodes: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn rest(&self) -> &'a str {
        &self.line[self.at..]
    }

    pub(super) fn eat(&mut self, s: &str) -> Option<()> {
        self.rest().starts_with(s).then(|| self.at += s.len())
    }

    pub(super) fn spaces(&mut self) {
        self.at += self.rest().len() - self.rest().trim_start_matches(' ').len();
    }

    /// Where the cursor is, as serde-saphyr counts: line and character,
    /// both from 1.
    pub(super) fn pos(&self) -> Option<Pos> {
        let col = self.line[..self.at].chars().count() + 1;
        Some(Pos {
            line: self.no,
            col: u32::try_from(col).ok()?,
        })
    }

    /// `key: `: lower-case ASCII letters and `_`, a colon, spaces.
    fn key(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
            .count();
        let key = &rest[..len];
        self.at += len;
        self.eat(": ")?;
        self.spaces();
        (!key.is_empty()).then_some(key)
    }

    /// A plain scalar up to one of `ends` (or the line's end), with where
    /// it starts; `None` if YAML could read it as other than its text.
    pub(super) fn scalar(&mut self, ends: &[u8]) -> Option<(&'a str, Pos)> {
        let at = self.pos()?;
        let rest = self.rest();
        let len = rest
            .bytes()
            .position(|b| ends.contains(&b))
            .unwrap_or(rest.len());
        let v = &rest[..len];
        self.at += len;
        plain(v).then_some((v, at))
    }

    /// A project's mapping, after its `{`, through its `}`.
    fn project(&mut self) -> Option<Project> {
        let mut f = Fields::default();
        self.mapping(|c, key| {
            if key == "beneficiaries" {
                c.eat("{")?;
                let count = c.count()?;
                return set(&mut f.beneficiaries, count);
            }
            let (v, at) = c.scalar(b",}")?;
            match key {
                "budget" => set(&mut f.budget, number(v, at)?),
                "spent" => set(&mut f.spent, number(v, at)?),
                _ => set(f.text_slot(key)?, text_value(v, at)?),
            }
        })?;
        f.project()
    }

    /// `{households: …, persons: …}`, after its `{`, through its `}`.
    fn count(&mut self) -> Option<Count> {
        let (mut households, mut persons) = (None, None);
        self.mapping(|c, key| {
            let (v, at) = c.scalar(b",}")?;
            let slot = match key {
                "households" => &mut households,
                "persons" => &mut persons,
                _ => return None,
            };
            set(slot, number(v, at)?)
        })?;
        Some(Count {
            households,
            persons,
        })
    }

    /// `key: value, …}`: each key and its value (read by `each`), through
    /// the closing brace.
    pub(super) fn mapping(
        &mut self,
        mut each: impl FnMut(&mut Self, &str) -> Option<()>,
    ) -> Option<()> {
        self.nodes += 1;
        loop {
            let key = self.key()?;
            self.nodes += 2;
            each(self, key)?;
            if self.eat("}").is_some() {
                return Some(());
            }
            self.eat(",")?;
            self.spaces();
        }
    }
}

/// The fields of a project as they are read.
#[derive(Default)]
struct Fields {
    id: Option<Text>,
    name: Option<Text>,
    category: Option<Text>,
    town: Option<Text>,
    village: Option<Text>,
    batch: Option<Text>,
    source: Option<Text>,
    status: Option<Text>,
    start: Option<Text>,
    end: Option<Text>,
    budget: Option<N>,
    spent: Option<N>,
    beneficiaries: Option<Count>,
}

impl Fields {
    fn text_slot(&mut self, key: &str) -> Option<&mut Option<Text>> {
        Some(match key {
            "id" => &mut self.id,
            "name" => &mut self.name,
            "category" => &mut self.category,
            "town" => &mut self.town,
            "village" => &mut self.village,
            "batch" => &mut self.batch,
            "source" => &mut self.source,
            "status" => &mut self.status,
            "start" => &mut self.start,
            "end" => &mut self.end,
            _ => return None,
        })
    }

    /// The project, if every required field is there.
    fn project(self) -> Option<Project> {
        Some(Project {
            id: self.id?,
            name: self.name?,
            category: self.category?,
            town: self.town,
            village: self.village,
            batch: self.batch,
            _source: self.source,
            budget: self.budget?,
            spent: self.spent,
            status: self.status?,
            start: self.start,
            end: self.end,
            beneficiaries: self.beneficiaries,
        })
    }
}

/// A plain scalar YAML reads as its own text, in the form taken here: no
/// indicator, quote, colon, comment sign, bracket, brace or comma in it, no
/// space at either end, nothing hidden, and not a word YAML takes for null
/// or a truth value.
pub(super) fn plain(v: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n",
    ];
    let Some(first) = v.chars().next() else {
        return false;
    };
    !"-?:,[]{}#&*!|>'\"%@`. ".contains(first)
        && !v.ends_with(' ')
        && !v.contains([',', '[', ']', '{', '}', ':', '#', '"', '\'', '\\'])
        && !v.chars().any(is_hidden_control)
        && !SPECIAL.iter().any(|s| v.eq_ignore_ascii_case(s))
}

pub(super) fn text_value(v: &str, at: Pos) -> Option<Text> {
    Some(Text {
        s: v.to_string(),
        at,
    })
}

/// A number as a project list writes it: digits with at most one point, no
/// sign, no leading zero, no exponent.
pub(super) fn number(v: &str, at: Pos) -> Option<N> {
    let (whole, frac) = v.split_once('.').unwrap_or((v, "1"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let leading_zero = whole.len() > 1 && whole.starts_with('0');
    (digits(whole) && digits(frac) && !leading_zero).then_some(())?;
    Some(N {
        v: num::parse(v).ok()?,
        at,
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// What serde-saphyr makes of the text with the build's options (`None`
    /// on an error).
    fn slow(text: &str) -> Option<String> {
        serde_saphyr::from_str_with_options::<ProjectsFile>(text, crate::input::yaml::options())
            .ok()
            .map(|f| format!("{f:?}"))
    }

    /// Read both ways: the same list whenever this reads it.
    fn same(text: &str) -> bool {
        let fast = projects(text).map(|f| format!("{f:?}"));
        if fast.is_some() {
            assert_eq!(fast, slow(text), "{text}");
        }
        fast.is_some()
    }

    fn yaml_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() == "projects.yaml")
            .map(|e| e.into_path())
            .collect()
    }

    #[test]
    fn every_sample_and_fixture_list_reads_as_serde_saphyr_reads_it() {
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
            assert!(projects(&text).is_some(), "{}", path.display());
        }
    }

    const ONE: &str = "  - {id: 2017-001, name: 竦塘村中蜂养殖项目, category: 产业发展, village: 竦塘村, batch: 第一批, budget: 19.0, spent: 19.0, status: 已完工, start: 2017-05-12, end: 2017-07-26, beneficiaries: {households: 52, persons: 156}}";

    #[test]
    fn a_list_in_the_usual_form_is_read_with_its_positions() {
        let text = format!("# 说明\nillustrative: 示意清单。\nprojects:\n{ONE}\n\n{ONE}\n");
        assert!(same(&text));
        let f = projects(&text).unwrap();
        assert_eq!(f.projects.len(), 2);
        let p = &f.projects[1];
        assert_eq!(p.budget.at, Pos { line: 6, col: 87 });
        assert_eq!(p.name.s, "竦塘村中蜂养殖项目");
    }

    #[test]
    fn variants_read_alike_or_are_left_to_the_parser() {
        let variants = [
            ("budget: 19.0", "budget: 19.50"),
            ("budget: 19.0", "budget: 0.5"),
            ("budget: 19.0", "budget: 20"),
            ("id: 2017-001", "id: 12"),
            ("id: 2017-001", "id: A-1"),
            ("id: 2017-001", "id:   2017-001"),
            (", name", ",name"),
            (", name", ",   name"),
            ("{households: 52, persons: 156}", "{households: 52}"),
            ("{households: 52, persons: 156}", "{persons: 156}"),
            (", end: 2017-07-26", ""),
            ("village: 竦塘村", "town: 某镇"),
            ("batch: 第一批", "source: 财政专项"),
            ("status: 已完工", "status: 已完工　"),
            (
                "name: 竦塘村中蜂养殖项目",
                "name: 竦塘村中蜂养殖（二期）项目",
            ),
        ];
        for (from, to) in variants {
            let text = format!("projects:\n{}\n", ONE.replace(from, to));
            assert!(same(&text), "{to}");
        }
        let left = [
            ("budget: 19.0", "budget: 019"),
            ("budget: 19.0", "budget: +19"),
            ("budget: 19.0", "budget: -19"),
            ("budget: 19.0", "budget: 1e3"),
            ("budget: 19.0", "budget: .5"),
            ("budget: 19.0", "budget: 19.0 "),
            ("budget: 19.0", "budget: 1_000"),
            ("budget: 19.0", "budget: 0x1F"),
            ("budget: 19.0", "budget: 十九"),
            ("id: 2017-001", "id: null"),
            ("id: 2017-001", "id: ~"),
            ("id: 2017-001", "id: Yes"),
            ("id: 2017-001", "id: \"2017-001\""),
            ("id: 2017-001", "id: '2017-001'"),
            ("id: 2017-001", "id: &a 2017-001"),
            ("id: 2017-001", "id: !!str 2017-001"),
            ("id: 2017-001", "id:"),
            ("id: 2017-001", "id: 2017-001, id: 2017-002"),
            ("id: 2017-001", "code: 2017-001"),
            ("id: 2017-001, ", ""),
            ("name: 竦塘村中蜂养殖项目", "name: 竦塘村#中蜂"),
            ("name: 竦塘村中蜂养殖项目", "name: 竦塘村: 中蜂"),
            ("name: 竦塘村中蜂养殖项目", "name: 竦塘\u{202E}村"),
            (
                "{households: 52, persons: 156}",
                "{households: 52, households: 1}",
            ),
            ("{households: 52, persons: 156}", "{villages: 1}"),
            ("}}", "}} # 备注"),
            ("}}", "}} "),
            ("}}", "},}"),
            ("  - {", "- {"),
            ("  - {", "  -  {"),
        ];
        for (from, to) in left {
            let text = format!("projects:\n{}\n", ONE.replace(from, to));
            assert!(!same(&text), "{to}");
        }
    }

    /// Many lists made by small edits of the usual form (a character
    /// inserted, removed or replaced by one YAML treats specially): each is
    /// read as serde-saphyr reads it, or left to it.
    #[test]
    fn edited_lists_read_alike_or_are_left_to_the_parser() {
        const CHARS: &[char] = &[
            ' ', ',', ':', '{', '}', '[', ']', '#', '-', '.', '0', '1', '9', 'e', 'x', '_', '+',
            '\'', '"', '&', '*', '!', '|', '>', '%', '@', '`', '~', '?', '\n', '\t', '，', '：',
            '　', '村', 'n', 'u', 'l', 'y', 'Y', 'o', '=', '<', '/', '\r', '\u{0}', '\u{7f}',
            '\u{85}', '\u{a0}', '\u{202e}', '\u{fffe}', '\u{feff}',
        ];
        let base = format!("illustrative: 示意\nprojects:\n{ONE}\n{ONE}\n");
        let read = edits(&base, CHARS, 0x2545_f491_4f6c_dd1d, same);
        // Most edits leave the form; enough stay in it to matter.
        assert!(read > 1_000, "{read}");
    }

    /// 20,000 texts made by one to three small edits of `base` each (a
    /// character of `chars` inserted or put in place of one, or one
    /// removed), the same every run for a `seed`: how many `read` read.
    pub(in crate::input) fn edits(
        base: &str,
        chars: &[char],
        mut seed: u64,
        mut read: impl FnMut(&str) -> bool,
    ) -> usize {
        let base: Vec<char> = base.chars().collect();
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut count = 0;
        for _ in 0..20_000 {
            let mut t = base.clone();
            for _ in 0..1 + next(3) {
                let (at, c) = (next(t.len()), chars[next(chars.len())]);
                match next(3) {
                    0 => t.insert(at, c),
                    1 => drop(t.remove(at)),
                    _ => t[at] = c,
                }
            }
            count += usize::from(read(&t.iter().collect::<String>()));
        }
        count
    }

    /// Values YAML treats specially, or that only look like what the form
    /// allows (collected by an attack on this reader), in every kind of
    /// field: each file is read as serde-saphyr reads it, or left to it.
    pub(in crate::input) const TEXTS: &[&str] = &[
        "=",
        "<<",
        "<",
        "a=b",
        "1_000",
        "0o7",
        "0x1F",
        "1e3",
        "1E3",
        "1.0e+3",
        "+1",
        "inf",
        "nan",
        "NaN",
        "Inf",
        "INF",
        "infinity",
        "0b101",
        "2017-05-12",
        "2017-05-12T10:00:00Z",
        "2017-05-12 10",
        "True1",
        "TRUE ",
        "nul",
        "none",
        "None",
        "nil",
        "NIL",
        "a ~",
        "a - b",
        "a -",
        "a ?",
        "a ? b",
        "a!b",
        "a&b",
        "a*b",
        "a|b",
        "a>b",
        "a%b",
        "a@b",
        "a`b",
        "a...",
        "a---",
        "a\u{2028}b",
        "a\u{2029}b",
        "a\u{2028}",
        "a\u{2029}",
        "\u{2028}a",
        "a\u{a0}",
        "\u{a0}a",
        "\u{3000}a",
        "a\u{3000}",
        "\u{200b}",
        "a\u{200b}",
        "\u{e000}",
        "\u{f8ff}",
        "\u{fdd0}",
        "\u{fffd}",
        "\u{1fffe}",
        "\u{10ffff}",
        "\u{10fffe}",
        "😀",
        "𠀀𠀀",
        "a\u{301}",
        "\u{301}",
        "\u{200d}",
        "\u{2060}",
        "\u{180e}",
        "\u{1680}a",
        "a\u{1680}",
        "\u{2000}",
        "\u{205f}",
        "a b",
        "a  b",
        "a\u{3000}\u{3000}b",
        "１２",
        "ｙｅｓ",
        "a/b",
        "a;b",
        "a$b",
        "${a}",
        "$",
        "a=",
        "a< b",
        "a <b",
        "0",
        "00",
        "007",
        "a-",
        "a -b",
        "a !b",
        "a &b",
        "a *b",
        "a |",
        "a >",
        "a ?b",
        "<<x",
        "=x",
        "Yes1",
        "y2",
        "nO",
        "ON1",
        "0.",
        "1.2.3",
        "0x",
        "0o",
        "+",
        "+.inf",
        "--",
        "a\u{85}b",
        "a\u{2028}\u{2028}",
        "\u{a0}",
        "\u{3000}",
        "a\u{d7ff}",
        "\u{e0001}",
        "\u{e007f}",
        "a \u{a0}",
        "a\u{a0} ",
        "\u{feff}x",
        "x\u{fff9}",
        "\u{fffc}",
        "a\u{2028} ",
        "🏳️‍🌈",
        "a<<",
        "1:",
        "a:",
        ":a",
        "a::b",
        "a?",
        "?",
        "-a",
        "a\u{ff1a} b",
        "a\u{ff03}b",
        "a\u{ff0c}b",
        "a，b",
        "a：b",
        "a　#b",
        "a\u{a0}#b",
        "a\u{2028}#b",
        "a\u{3000}-",
        "x y z w",
        "true\u{a0}",
        "null\u{3000}",
        "~\u{a0}",
        "Ｎull",
        "ｎｕｌｌ",
        "NULL\u{200b}",
        "0.5",
        "1000000000000000",
        "1_0",
        "١٢",
        "१२",
        "²",
        "½",
    ];
    pub(in crate::input) const NUMS: &[&str] = &[
        "0",
        "0.0",
        "0.00000001",
        "1.00000000",
        "1.000000000",
        "1000000000000000",
        "1000000000000001",
        "999999999999999.9",
        "9999999999999999",
        "12345678901234567890",
        "1.5",
        "10.",
        "0.",
        "1",
        "12",
        "0000000000000000000001",
        "000",
        "3.14159265",
        "999999999999999",
        "1000000000000000.0",
        "1000000000000000.00000001",
        "100000000000000.99999999",
        "18446744073709551616",
        "١",
        "9223372036854775807",
        "9223372036854775808",
        "340282366920938463463374607431768211456",
        "79228162514264337593543950335",
        "79228162514264337593543950336",
        "0.000000000000000000000000001",
        "1.0000000000000000000000000001",
    ];

    #[test]
    fn hostile_values_read_alike_or_are_left_to_the_parser() {
        let mut read = 0;
        let mut try_ = |t: String| read += usize::from(same(&t));
        for v in TEXTS {
            for (from, to) in [
                ("name: 竦塘村中蜂养殖项目", format!("name: {v}")),
                ("id: 2017-001", format!("id: {v}")),
                ("village: 竦塘村", format!("village: {v}")),
                ("end: 2017-07-26", format!("end:  {v}")),
            ] {
                try_(format!("projects:\n{}\n", ONE.replace(from, &to)));
            }
            try_(format!("illustrative: {v}\nprojects:\n{ONE}\n"));
            try_(format!("projects:\n{ONE}\nillustrative: {v}"));
        }
        for v in NUMS.iter().chain(TEXTS) {
            for (from, to) in [
                ("budget: 19.0", format!("budget: {v}")),
                ("persons: 156", format!("persons: {v}")),
            ] {
                try_(format!("projects:\n{}\n", ONE.replace(from, &to)));
            }
        }
        assert!(read > 800, "{read}");
    }

    /// A list past the parser's default limit of 250,000 nodes reads as the
    /// build's parser reads it (limits raised); past the limits, it is the
    /// parser's to refuse.
    #[test]
    fn long_lists_keep_to_the_parsers_limits() {
        let text = format!("projects:\n{}", format!("{ONE}\n").repeat(9_300));
        assert!(same(&text));
        let nodes = 1 + 2 + 9_300 * (1 + 2 * 10 + 3 + 2 * 2);
        let limits = |n: usize, e: usize| projects_within(&text, (n, e)).is_some();
        assert!(limits(nodes, 2 * nodes + 4));
        assert!(!limits(nodes - 1, usize::MAX));
        assert!(!limits(usize::MAX, 2 * nodes + 3));
    }

    #[test]
    fn files_outside_the_form_are_left_to_the_parser() {
        for text in [
            format!("projects:\n{ONE}\n    {}\n", ONE.trim_start()),
            format!("projects:\n{ONE}\nprojects:\n{ONE}\n"),
            format!("projects:\r\n{ONE}\r\n"),
            format!("projects:\n\t{ONE}\n"),
            format!("\u{feff}projects:\n{ONE}\n"),
            format!("illustrative: 示意\nillustrative: 又一\nprojects:\n{ONE}\n"),
            format!("illustrative: \nprojects:\n{ONE}\n"),
            format!("illustrative: \"示意\"\nprojects:\n{ONE}\n"),
            format!("projects: []\n{ONE}\n"),
            "projects:\n  - id: 1\n    name: 甲\n".to_string(),
            format!("{ONE}\n"),
            "illustrative: 示意\n".to_string(),
            format!("extra: 1\nprojects:\n{ONE}\n"),
            "projects:\n".to_string(),
            "# 空\nillustrative: 示意\nprojects:\n\n".to_string(),
        ] {
            assert!(!same(&text), "{text}");
        }
    }
}

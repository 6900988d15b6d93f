//! The search index, sharded so that a query loads only what it needs.
//!
//! Chinese has no spaces, and segmenting it into words (as pagefind and
//! tinysearch do for the languages they stem) either needs a dictionary or
//! cuts a place name or a policy phrase where a reader would not. Instead
//! every character and every pair of adjacent characters (bigram) is a key:
//! any substring of two or more characters is found by the bigrams it
//! contains, a single character by itself, with no dictionary at all.
//!
//! Offices fall into partitions (by a hash of their folder name) of about
//! 512, and each partition's keys into buckets (by a hash of the key): one
//! script per partition and bucket, `search/<p>/<b>.js`. A query loads, for
//! each of its keys, that key's bucket in every partition (from a server
//! each is a request, so there are few partitions: one up to 512 offices,
//! four at 2,000); an office's change rewrites only its partition. A key's
//! postings are the partition's documents that contain it with how often
//! (in the title ten times), as variable-length numbers in 64 URL-safe
//! characters, one character for most (`push_posting`). Each office's keys
//! are counted and encoded when it is rendered
//! (`.nianbao/search/<office>.keys`), so merging a partition copies them,
//! re-encoding only each key's first posting. The documents' texts (for
//! checking a longer term and for snippets) are one script per office-year,
//! `<office>/<year>/search.js`, loaded only for the results shown, each
//! shown as soon as its text is in; the manifest `search/index.js` lists
//! the partitions' offices and their documents' years. Everything is a
//! script (the manifest sets a global, the others call one), so it works
//! from `file://` as well as from a server. Writes nothing itself.

use rustc_hash::FxHashMap as HashMap;
use std::fmt::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// One searchable document.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct SearchEntry {
    pub(crate) title: String,
    pub(crate) office: String,
    pub(crate) year: i32,
    /// Relative to the site root.
    pub(crate) url: String,
    /// Plain text, whitespace collapsed.
    pub(crate) text: String,
}

/// How the index is cut: partitions of offices, buckets of keys. Both are
/// powers of two, from the number of offices (so they change rarely, and a
/// change rebuilds every partition).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Layout {
    pub(crate) partitions: u32,
    pub(crate) buckets: u32,
}

/// About 512 offices to a partition: a query loads one script per
/// partition and key, and a rebuild rewrites the partitions of the offices
/// that changed (about 8 MB at 500 offices of the bench corpus). Buckets of
/// about 16 KB: an office's documents give about 16 KB of postings.
pub(crate) fn layout(offices: usize) -> Layout {
    let offices = offices.max(1) as u32;
    let partitions = offices.div_ceil(512).next_power_of_two();
    let per = offices.div_ceil(partitions);
    let buckets = per.next_power_of_two().clamp(8, 1024);
    Layout {
        partitions,
        buckets,
    }
}

/// Characters that end a run of text: no key spans them. Whitespace too.
const SEPARATORS: &str =
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』—…·～－／｜　";

fn is_separator(c: char) -> bool {
    // The ASCII ones are exactly ASCII punctuation; a match for the rest
    // (a search of SEPARATORS for every character was 1.5 % of a build).
    if c.is_ascii() {
        return c.is_ascii_punctuation() || c.is_whitespace();
    }
    c.is_whitespace()
        || matches!(
            c,
            '，' | '。'
                | '、'
                | '；'
                | '：'
                | '？'
                | '！'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '（'
                | '）'
                | '《'
                | '》'
                | '〈'
                | '〉'
                | '【'
                | '】'
                | '〔'
                | '〕'
                | '「'
                | '」'
                | '『'
                | '』'
                | '—'
                | '…'
                | '·'
                | '～'
                | '－'
                | '／'
                | '｜'
                | '　'
        )
}

/// FNV-1a over code points, as search.js computes it.
fn fnv(chars: &[char]) -> u32 {
    let mut h: u32 = 2_166_136_261;
    for c in chars {
        h ^= *c as u32;
        h = h.wrapping_mul(16_777_619);
    }
    h
}

pub(crate) fn partition_of(slug: &str, l: Layout) -> u32 {
    fnv(&slug.chars().collect::<Vec<_>>()) % l.partitions
}

/// A key: one character, or two (the second `'\0'` for one).
type Key = (char, char);

fn bucket_of(k: Key, l: Layout) -> u32 {
    let h = if k.1 == '\0' {
        fnv(&[k.0])
    } else {
        fnv(&[k.0, k.1])
    };
    h % l.buckets
}

/// Every key of `text` (lowercased ASCII), `weight` times each.
fn count_keys(text: &str, weight: u32, into: &mut HashMap<Key, u32>) {
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if is_separator(c) {
            prev = None;
            continue;
        }
        let c = c.to_ascii_lowercase();
        *into.entry((c, '\0')).or_default() += weight;
        if let Some(p) = prev {
            *into.entry((p, c)).or_default() += weight;
        }
        prev = Some(c);
    }
}

const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A number as base-32 digits, low first, all but the last marked.
fn push_number(out: &mut String, mut n: u32) {
    while n >= 32 {
        out.push(DIGITS[32 + (n & 31) as usize] as char);
        n >>= 5;
    }
    out.push(DIGITS[n as usize] as char);
}

/// The value of one of [`DIGITS`].
fn digit(b: u8) -> Option<u32> {
    let d = match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(d))
}

/// A number back from `s` (as [`push_number`] wrote it), and what follows.
fn read_number(s: &str) -> Option<(u32, &str)> {
    let mut n: u64 = 0;
    for (i, b) in s.bytes().enumerate().take(7) {
        let d = digit(b)?;
        n |= u64::from(d & 31) << (5 * i);
        if d < 32 {
            return Some((u32::try_from(n).ok()?, &s[i + 1..]));
        }
    }
    None
}

/// A posting: the document's gap from the one after the last posting's,
/// and the key's count in it. Most documents of a partition have the
/// common keys, so a gap of 0 costs nothing: the count doubled (plus one
/// when a gap follows), then the gap less one if there is one. A count
/// under 16 with no gap is one character.
fn push_posting(out: &mut String, gap: u32, count: u32) {
    push_number(out, count * 2 + u32::from(gap > 0));
    if gap > 0 {
        push_number(out, gap - 1);
    }
}

/// The first posting of `s` (as [`push_posting`] wrote it): its gap, its
/// count and the postings that follow.
fn first_posting(s: &str) -> Option<(u32, u32, &str)> {
    let (head, rest) = read_number(s)?;
    if head & 1 == 0 {
        return Some((0, head / 2, rest));
    }
    let (gap, rest) = read_number(rest)?;
    Some((gap.checked_add(1)?, head / 2, rest))
}

/// JSON text safe inside a script (no `</`, no line separators that old
/// engines end a line at).
fn json<T: Serialize + ?Sized>(v: &T) -> String {
    let text = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    // Most texts have none of them: not copied three times over.
    if !text.contains("</") && !text.contains(['\u{2028}', '\u{2029}']) {
        return text;
    }
    text.replace("</", "<\\/")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Where an office-year's texts go, in the year's folder.
pub(crate) fn year_file(slug: &str, year: i32) -> PathBuf {
    PathBuf::from(slug).join(year.to_string()).join("search.js")
}

/// Where an office's counted keys wait for its partition.
pub(crate) fn keys_file(slug: &str) -> PathBuf {
    PathBuf::from(".nianbao/search").join(format!("{slug}.keys"))
}

#[derive(Serialize)]
struct YearTexts<'a> {
    office: &'a str,
    year: i32,
    docs: Vec<&'a SearchEntry>,
}

/// An office-year's documents as a script:
/// `nianbaoText({"office": …, "year": …, "docs": […]});`.
pub(crate) fn year_js(slug: &str, year: i32, entries: &[SearchEntry]) -> String {
    let t = YearTexts {
        office: slug,
        year,
        docs: entries.iter().filter(|e| e.year == year).collect(),
    };
    format!("nianbaoText({});\n", json(&t))
}

/// An office's keys, one line each in key order: the key, the office's
/// last document that has it, and its postings over the office's documents
/// (numbered from 0 in the order of `entries`) as [`push_posting`] writes
/// them. A key holds no whitespace, so a tab ends it. Merging a partition
/// then only re-encodes each key's first posting (`Partition::add`).
pub(crate) fn office_keys(entries: &[SearchEntry]) -> String {
    let mut all: HashMap<Key, (String, u32)> = HashMap::default();
    let mut counts = HashMap::default();
    for (doc, e) in entries.iter().enumerate() {
        counts.clear();
        count_keys(&e.title, 10, &mut counts);
        count_keys(&e.text, 1, &mut counts);
        let doc = doc as u32;
        for (k, n) in &counts {
            let (s, next) = all.entry(*k).or_default();
            push_posting(s, doc - *next, (*n).min(1000));
            *next = doc + 1;
        }
    }
    let mut keys: Vec<(Key, String, u32)> = all.into_iter().map(|(k, (s, n))| (k, s, n)).collect();
    keys.sort_unstable_by_key(|(k, ..)| *k);
    let mut out = String::new();
    for (k, s, next) in keys {
        let _ = writeln!(out, "{}\t{}\t{s}", key_text(k), next - 1);
    }
    out
}

fn key_text((c1, c2): Key) -> String {
    if c2 == '\0' {
        c1.to_string()
    } else {
        [c1, c2].iter().collect()
    }
}

fn key_of(text: &str) -> Option<Key> {
    let mut c = text.chars();
    let k = (c.next()?, c.next().unwrap_or('\0'));
    c.next().is_none().then_some(k)
}

/// One partition's postings, merged one office at a time (in the
/// manifest's order), then cut into its bucket scripts.
#[derive(Default)]
pub(crate) struct Partition {
    postings: HashMap<Key, (String, u32)>,
    docs: u32,
}

impl Partition {
    /// An office's keys (as [`office_keys`] wrote them) and its number of
    /// documents; `None` if the keys are not in that form. Its documents
    /// follow the partition's so far: each key's first posting is
    /// re-encoded with its gap from the partition's last document that
    /// has the key, the rest copied as they are.
    pub(crate) fn add(&mut self, docs: usize, keys: &str) -> Option<()> {
        for line in keys.lines() {
            let mut fields = line.split('\t');
            let k = key_of(fields.next()?)?;
            let last: u32 = fields.next()?.parse().ok()?;
            let local = fields.next()?;
            let (first, count, rest) = first_posting(local)?;
            let (s, next) = self.postings.entry(k).or_default();
            let doc = self.docs.checked_add(first)?;
            push_posting(s, doc.checked_sub(*next)?, count);
            s.push_str(rest);
            *next = self.docs.checked_add(last)?.checked_add(1)?;
        }
        self.docs = self.docs.checked_add(u32::try_from(docs).ok()?)?;
        Some(())
    }

    /// Its bucket scripts: `search/<p>/<b>.js`, every bucket (an empty
    /// one too, so that a query never asks for a missing script), each
    /// made when asked for (a partition holds about 8 MB at 10,000 reports:
    /// not twice).
    /// With `only`, those of its buckets only.
    pub(crate) fn files(
        self,
        p: u32,
        l: Layout,
        only: Option<&Buckets>,
    ) -> impl Iterator<Item = (PathBuf, String)> {
        let mut buckets: Vec<Vec<(Key, String)>> = vec![Vec::new(); l.buckets as usize];
        for (k, (s, _)) in self.postings {
            buckets[bucket_of(k, l) as usize].push((k, s));
        }
        let wanted: Vec<bool> = (0..l.buckets)
            .map(|b| only.is_none_or(|o| o.set.contains(&b)))
            .collect();
        let buckets = buckets
            .into_iter()
            .enumerate()
            .filter(move |(b, _)| wanted[*b]);
        buckets.map(move |(b, mut keys)| {
            keys.sort_unstable_by_key(|(k, _)| *k);
            let mut js = format!("nianbaoShard({p},{b},{{");
            for (i, (k, s)) in keys.iter().enumerate() {
                if i > 0 {
                    js.push(',');
                }
                let _ = write!(js, "{}:\"{s}\"", json(&key_text(*k)));
            }
            js += "});\n";
            (shard_file(p, b as u32), js)
        })
    }
}

/// Some of a partition's buckets: those whose scripts an office rebuilt
/// changes.
pub(crate) struct Buckets {
    set: rustc_hash::FxHashSet<u32>,
    layout: Layout,
}

impl Buckets {
    /// The buckets an office's keys as written now (`new`) change against
    /// its keys as last written (`old`), when its documents are as many as
    /// then: those of each key whose line is not the same in both. (Its
    /// documents keep their numbers, and so do all the partition's; any
    /// other key's postings are as they were.)
    pub(crate) fn changed(old: &str, new: &str, l: Layout) -> Option<Buckets> {
        let lines = |t| -> rustc_hash::FxHashSet<&str> { str::lines(t).collect() };
        let (was, is) = (lines(old), lines(new));
        let mut set = rustc_hash::FxHashSet::default();
        for line in was.symmetric_difference(&is) {
            let key = key_of(line.split('\t').next()?)?;
            set.insert(bucket_of(key, l));
        }
        Some(Buckets { set, layout: l })
    }

    /// Both sets of buckets.
    pub(crate) fn join(mut self, other: Buckets) -> Buckets {
        self.set.extend(other.set);
        self
    }

    /// The lines of an office's keys whose key falls in these buckets
    /// (the others' postings do not depend on them); `None` if the keys are
    /// not in the form [`office_keys`] writes.
    pub(crate) fn keep(&self, keys: &str) -> Option<String> {
        let mut kept = String::new();
        for line in keys.lines() {
            let key = key_of(line.split('\t').next()?)?;
            if self.set.contains(&bucket_of(key, self.layout)) {
                kept.push_str(line);
                kept.push('\n');
            }
        }
        Some(kept)
    }

    /// Whether bucket `b` is one of them.
    pub(crate) fn contains(&self, b: u32) -> bool {
        self.set.contains(&b)
    }
}

pub(crate) fn shard_file(p: u32, b: u32) -> PathBuf {
    PathBuf::from("search")
        .join(p.to_string())
        .join(format!("{b}.js"))
}

pub(crate) const MANIFEST: &str = "search/index.js";

/// The manifest: the layout, the separators, and each office with its
/// partition and its documents' years, in the order that numbers the
/// documents of a partition.
pub(crate) fn manifest_js(l: Layout, offices: &[(String, Vec<i32>)]) -> String {
    let list: Vec<(&str, u32, &[i32])> = offices
        .iter()
        .map(|(s, y)| (s.as_str(), partition_of(s, l), y.as_slice()))
        .collect();
    format!(
        "window.NIANBAO_INDEX = {{\"partitions\":{},\"buckets\":{},\"separators\":{},\"offices\":{}}};\n",
        l.partitions,
        l.buckets,
        json(SEPARATORS),
        json(&list)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn separators_are_the_list_search_js_gets() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let listed = c.is_whitespace() || SEPARATORS.contains(c);
            assert_eq!(is_separator(c), listed, "{c:?} U+{:04X}", c as u32);
        }
    }

    fn entry(title: &str, text: &str) -> SearchEntry {
        SearchEntry {
            title: title.into(),
            office: "某县".into(),
            year: 2017,
            url: "a/2017/summary.html".into(),
            text: text.into(),
        }
    }

    #[test]
    fn layout_grows_with_the_offices() {
        let l = |partitions, buckets| Layout {
            partitions,
            buckets,
        };
        assert_eq!(layout(11), l(1, 16));
        assert_eq!(layout(200), l(1, 256));
        assert_eq!(layout(2000), l(4, 512));
        assert_eq!(layout(20000), l(64, 512));
    }

    #[test]
    fn keys_are_characters_and_pairs_within_runs() {
        let mut k = HashMap::default();
        count_keys("脱贫，攻坚 AB", 1, &mut k);
        assert_eq!(k.get(&('脱', '贫')), Some(&1));
        assert_eq!(k.get(&('贫', '攻')), None, "no pair across a separator");
        assert_eq!(k.get(&('a', 'b')), Some(&1), "ASCII lowercased");
        assert_eq!(k.get(&('坚', '\0')), Some(&1));
        assert_eq!(k.len(), 3 + 3 + 3);
    }

    #[test]
    fn postings_number_documents_and_count_titles_tenfold() {
        let a = vec![entry("产业", "脱贫脱贫"), entry("计划", "无关")];
        let b = vec![entry("x", "脱贫")];
        let (ka, kb) = (office_keys(&a), office_keys(&b));
        // Key, last document, postings: doc 0 twice (4 = 2·2, no gap).
        assert!(ka.contains("脱贫\t0\tE\n"), "{ka}");
        let mut part = Partition::default();
        part.add(a.len(), &ka).unwrap();
        part.add(b.len(), &kb).unwrap();
        let l = Layout {
            partitions: 1,
            buckets: 1,
        };
        let files: Vec<_> = part.files(0, l, None).collect();
        assert_eq!(files.len(), 1);
        let js = &files[0].1;
        // Doc 0 twice, then doc 2 (the second office's first: a gap of 1)
        // once: E = 2·2, D = 1·2 + 1 (a gap follows), A = the gap less 1.
        assert!(js.contains("\"脱贫\":\"EDA\""), "{js}");
        // A title counts ten times: U = 10·2.
        assert!(js.contains("\"产业\":\"U\""), "{js}");
        // Only in the second office: doc 2, a gap of 2 from the start.
        assert!(js.contains("\"x\":\"VB\""), "{js}");
        assert!(js.starts_with("nianbaoShard(0,0,{") && js.ends_with("});\n"));
    }

    /// The bucket scripts of offices' keys merged whole, with their texts.
    fn merged(offices: &[(usize, &str)], l: Layout) -> BTreeMap<PathBuf, String> {
        let mut part = Partition::default();
        for (docs, keys) in offices {
            part.add(*docs, keys).unwrap();
        }
        part.files(0, l, None).collect()
    }

    #[test]
    fn an_office_rebuilt_remakes_only_the_buckets_its_changed_keys_fall_in() {
        let l = Layout {
            partitions: 1,
            buckets: 16,
        };
        let texts = |changed: &str| {
            [
                vec![
                    entry("总结", "产业扶贫项目12个，投资资金340万元"),
                    entry("计划", "就业培训"),
                ],
                vec![entry("总结", changed), entry("计划", "易地搬迁安置")],
                vec![
                    entry("总结", "产业扶贫项目7个，危房改造"),
                    entry("计划", "教育资助"),
                ],
            ]
            .map(|docs| office_keys(&docs))
        };
        let old = texts("产业扶贫项目9个，投资资金120万元");
        let new = texts("产业扶贫项目9个，投资资金125万元，新增光伏");
        let whole = |k: &[String; 3]| merged(&[(2, &k[0]), (2, &k[1]), (2, &k[2])], l);
        let (before, after) = (whole(&old), whole(&new));
        let only = Buckets::changed(&old[1], &new[1], l).unwrap();
        assert!((1..16).any(|b| !only.contains(b)), "some buckets kept");
        let mut part = Partition::default();
        for keys in &new {
            part.add(2, &only.keep(keys).unwrap()).unwrap();
        }
        let remade: BTreeMap<PathBuf, String> = part.files(0, l, Some(&only)).collect();
        for b in 0..l.buckets {
            let path = shard_file(0, b);
            match only.contains(b) {
                true => assert_eq!(remade.get(&path), after.get(&path), "bucket {b} remade"),
                false => assert_eq!(before.get(&path), after.get(&path), "bucket {b} kept"),
            }
        }
        assert!(remade.len() < before.len());
    }

    #[test]
    fn numbers_and_postings_read_back() {
        let mut big = String::new();
        push_number(&mut big, 1000);
        assert_eq!(big, "of", "1000 = 8 + 31·32, low digits first");
        for n in [0, 31, 32, 1000, 2001, u32::MAX] {
            let mut s = String::new();
            push_number(&mut s, n);
            s.push('Z');
            assert_eq!(read_number(&s), Some((n, "Z")));
        }
        for (gap, count) in [(0, 1), (0, 1000), (1, 3), (70_000, 15)] {
            let mut s = String::new();
            push_posting(&mut s, gap, count);
            assert_eq!(first_posting(&s), Some((gap, count, "")));
        }
        assert_eq!(read_number("g"), None, "a marked digit must be followed");
        assert_eq!(read_number("!"), None);
        let mut part = Partition::default();
        assert_eq!(part.add(1, "脱贫\tx\tE\n"), None);
        assert_eq!(part.add(1, "脱贫\t0\n"), None);
        assert_eq!(part.add(1, "长长的\t0\tE\n"), None);
    }

    #[test]
    fn year_scripts_hold_that_year_and_cannot_close_a_script() {
        let mut e = vec![entry("标题</script>", "正文\u{2028}"), entry("旧", "")];
        e[1].year = 2016;
        let js = year_js("x-qu", 2017, &e);
        assert!(
            !js.contains("</script>") && !js.contains('\u{2028}'),
            "{js}"
        );
        assert!(js.contains("\"year\":2017") && !js.contains("旧"), "{js}");
    }
}

//! The search index, sharded so that a query loads only what it needs.
//!
//! Chinese has no spaces, and segmenting it into words (as pagefind and
//! tinysearch do for the languages they stem) either needs a dictionary or
//! cuts a place name or a policy phrase where a reader would not. Instead
//! every character and every pair of adjacent characters (bigram) is a key:
//! any substring of two or more characters is found by the bigrams it
//! contains, a single character by itself, with no dictionary at all.
//!
//! Offices fall into partitions (by a hash of their folder name), and each
//! partition's keys into buckets (by a hash of the key): one script per
//! partition and bucket, `search/<p>/<b>.js`. A query loads, for each of
//! its keys, that key's bucket in every partition; an office's change
//! rewrites only its partition. A key's postings are the partition's
//! documents that contain it with how often (in the title ten times), as
//! variable-length numbers in 64 URL-safe characters. Each office's keys are
//! counted when it is rendered (`.nianbao/search/<office>.json`), so a
//! partition is only merged, never read again. The documents' texts (for
//! checking a longer term and for snippets) are one script per office-year,
//! `<office>/<year>/search.js`, loaded only for the results shown; the
//! manifest `search/index.js` lists the partitions' offices and their
//! documents' years. Everything is a script (the manifest sets a global, the
//! others call one), so it works from `file://` as well as from a server.
//! Writes nothing itself.

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

/// About 128 offices to a partition (a rebuild rewrites one), and buckets
/// of about 16 KB (an office's documents give about 64 KB of postings).
pub(crate) fn layout(offices: usize) -> Layout {
    let offices = offices.max(1) as u32;
    let partitions = offices.div_ceil(128).next_power_of_two();
    let per = offices.div_ceil(partitions);
    let buckets = (per * 4).next_power_of_two().clamp(8, 1024);
    Layout {
        partitions,
        buckets,
    }
}

/// Characters that end a run of text: no key spans them. Whitespace too.
const SEPARATORS: &str =
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』—…·～－／｜　";

fn is_separator(c: char) -> bool {
    c.is_whitespace() || SEPARATORS.contains(c)
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

/// JSON text safe inside a script (no `</`, no line separators that old
/// engines end a line at).
fn json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v)
        .unwrap_or_else(|_| "null".into())
        .replace("</", "<\\/")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Where an office-year's texts go, in the year's folder.
pub(crate) fn year_file(slug: &str, year: i32) -> PathBuf {
    PathBuf::from(slug).join(year.to_string()).join("search.js")
}

/// Where an office's counted keys wait for its partition.
pub(crate) fn keys_file(slug: &str) -> PathBuf {
    PathBuf::from(".nianbao/search").join(format!("{slug}.json"))
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

/// An office's keys: each with its documents (numbered in the office, in
/// the order of `entries`) and counts, as `[key, [doc, count, …]]`.
pub(crate) fn office_keys(entries: &[SearchEntry]) -> String {
    let mut all: HashMap<Key, Vec<u32>> = HashMap::default();
    let mut counts = HashMap::default();
    for (doc, e) in entries.iter().enumerate() {
        counts.clear();
        count_keys(&e.title, 10, &mut counts);
        count_keys(&e.text, 1, &mut counts);
        for (k, n) in &counts {
            all.entry(*k)
                .or_default()
                .extend([doc as u32, (*n).min(1000)]);
        }
    }
    let mut keys: Vec<(String, Vec<u32>)> =
        all.into_iter().map(|(k, v)| (key_text(k), v)).collect();
    keys.sort_unstable();
    serde_json::to_string(&keys).unwrap_or_else(|_| "[]".into())
}

/// An office's keys: each with its documents and counts, flattened.
pub(crate) type OfficeKeys = Vec<(String, Vec<u32>)>;

/// An office's keys back (see [`office_keys`]).
pub(crate) fn parse_office_keys(text: &str) -> Option<OfficeKeys> {
    serde_json::from_str(text).ok()
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
    /// An office's keys (`office_keys`) and its number of documents.
    pub(crate) fn add(&mut self, docs: usize, keys: &OfficeKeys) {
        for (text, pairs) in keys {
            let Some(k) = key_of(text) else { continue };
            let (s, next) = self.postings.entry(k).or_default();
            for pair in pairs.chunks_exact(2) {
                let doc = self.docs + pair[0];
                if doc < *next {
                    continue;
                }
                push_number(s, doc - *next);
                push_number(s, pair[1]);
                *next = doc + 1;
            }
        }
        self.docs += docs as u32;
    }

    /// Its bucket scripts: `search/<p>/<b>.js`, every bucket (an empty
    /// one too, so that a query never asks for a missing script).
    pub(crate) fn files(self, p: u32, l: Layout) -> Vec<(PathBuf, String)> {
        let mut buckets: Vec<Vec<(Key, String)>> = vec![Vec::new(); l.buckets as usize];
        for (k, (s, _)) in self.postings {
            buckets[bucket_of(k, l) as usize].push((k, s));
        }
        buckets
            .into_iter()
            .enumerate()
            .map(|(b, mut keys)| {
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
            .collect()
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
        assert_eq!(
            layout(11),
            Layout {
                partitions: 1,
                buckets: 64
            }
        );
        assert_eq!(
            layout(200),
            Layout {
                partitions: 2,
                buckets: 512
            }
        );
        assert_eq!(
            layout(2000),
            Layout {
                partitions: 16,
                buckets: 512
            }
        );
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
        let keys = |e: &[SearchEntry]| parse_office_keys(&office_keys(e)).unwrap();
        let mut part = Partition::default();
        part.add(a.len(), &keys(&a));
        part.add(b.len(), &keys(&b));
        let l = Layout {
            partitions: 1,
            buckets: 1,
        };
        let files = part.files(0, l);
        assert_eq!(files.len(), 1);
        let js = &files[0].1;
        // Doc 0 twice, then doc 2 (the second office's first; a gap of 1)
        // once: A=0, C=2, B=1.
        assert!(js.contains("\"脱贫\":\"ACBB\""), "{js}");
        // A title counts ten times: K = 10.
        assert!(js.contains("\"产业\":\"AK\""), "{js}");
        assert!(js.starts_with("nianbaoShard(0,0,{") && js.ends_with("});\n"));
        let mut big = String::new();
        push_number(&mut big, 1000);
        assert_eq!(big, "of", "1000 = 8 + 31·32, low digits first");
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

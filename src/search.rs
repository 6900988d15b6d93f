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
//! variable-length numbers in 64 URL-safe characters. The documents' texts
//! (for checking a longer term and for snippets) are one script per office,
//! `<office>/search.js`, loaded only for the results shown; the manifest
//! `search/index.js` lists the partitions' offices and their documents'
//! years. Everything is a script calling a global function, so it works
//! from `file://` as well as from a server. Writes nothing itself.

use std::collections::HashMap;
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
pub(crate) const SEPARATORS: &str =
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

/// Where an office's texts go, in the office's folder.
pub(crate) fn office_file(slug: &str) -> PathBuf {
    PathBuf::from(slug).join("search.js")
}

const TEXT_CALL: &str = "nianbaoText(";

#[derive(Serialize, Deserialize)]
struct OfficeTexts<'a> {
    office: std::borrow::Cow<'a, str>,
    docs: std::borrow::Cow<'a, [SearchEntry]>,
}

/// An office's documents as a script: `nianbaoText({"office": …, "docs": […]});`.
pub(crate) fn office_js(slug: &str, entries: &[SearchEntry]) -> String {
    let t = OfficeTexts {
        office: slug.into(),
        docs: entries.into(),
    };
    format!("{TEXT_CALL}{});\n", json(&t))
}

/// The documents back from an office's script (for its partition).
pub(crate) fn parse_office_js(text: &str) -> Option<Vec<SearchEntry>> {
    let inner = text
        .strip_prefix(TEXT_CALL)?
        .trim_end()
        .strip_suffix(");")?;
    let t: OfficeTexts = serde_json::from_str(inner).ok()?;
    Some(t.docs.into_owned())
}

/// One partition's bucket scripts: `search/<p>/<b>.js`, every bucket (an
/// empty one too, so that a query never asks for a missing script).
/// `offices` in the manifest's order.
pub(crate) fn partition_files(
    p: u32,
    l: Layout,
    offices: &[(String, Vec<SearchEntry>)],
) -> Vec<(PathBuf, String)> {
    let mut postings: HashMap<Key, String> = HashMap::new();
    let mut last: HashMap<Key, u32> = HashMap::new();
    let mut counts = HashMap::new();
    let docs = offices.iter().flat_map(|(_, e)| e);
    for (doc, e) in docs.enumerate() {
        let doc = doc as u32;
        counts.clear();
        count_keys(&e.title, 10, &mut counts);
        count_keys(&e.text, 1, &mut counts);
        for (k, n) in &counts {
            let prev = last.insert(*k, doc);
            let s = postings.entry(*k).or_default();
            push_number(s, prev.map_or(doc, |p| doc - p - 1));
            push_number(s, (*n).min(1000));
        }
    }
    let mut buckets: Vec<Vec<(Key, String)>> = vec![Vec::new(); l.buckets as usize];
    for (k, s) in postings {
        buckets[bucket_of(k, l) as usize].push((k, s));
    }
    buckets
        .into_iter()
        .enumerate()
        .map(|(b, mut keys)| {
            keys.sort_unstable_by_key(|(k, _)| *k);
            let mut js = format!("nianbaoShard({p},{b},{{");
            for (i, ((c1, c2), s)) in keys.iter().enumerate() {
                let key: String = if *c2 == '\0' {
                    c1.to_string()
                } else {
                    [*c1, *c2].iter().collect()
                };
                if i > 0 {
                    js.push(',');
                }
                let _ = write!(js, "{}:\"{s}\"", json(&key));
            }
            js += "});\n";
            (shard_file(p, b as u32), js)
        })
        .collect()
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
        let mut k = HashMap::new();
        count_keys("脱贫，攻坚 AB", 1, &mut k);
        assert_eq!(k.get(&('脱', '贫')), Some(&1));
        assert_eq!(k.get(&('贫', '攻')), None, "no pair across a separator");
        assert_eq!(k.get(&('a', 'b')), Some(&1), "ASCII lowercased");
        assert_eq!(k.get(&('坚', '\0')), Some(&1));
        assert_eq!(k.len(), 3 + 3 + 3);
    }

    #[test]
    fn postings_number_documents_and_count_titles_tenfold() {
        let offices = vec![(
            "a".to_string(),
            vec![
                entry("产业", "脱贫脱贫"),
                entry("计划", "无关"),
                entry("x", "脱贫"),
            ],
        )];
        let l = Layout {
            partitions: 1,
            buckets: 1,
        };
        let files = partition_files(0, l, &offices);
        assert_eq!(files.len(), 1);
        let js = &files[0].1;
        // Doc 0 twice, then doc 2 (a gap of 1) once: A=0, C=2, B=1.
        assert!(js.contains("\"脱贫\":\"ACBB\""), "{js}");
        // A title counts ten times: K = 10.
        assert!(js.contains("\"产业\":\"AK\""), "{js}");
        assert!(js.starts_with("nianbaoShard(0,0,{") && js.ends_with("});\n"));
        let mut big = String::new();
        push_number(&mut big, 1000);
        assert_eq!(big, "of", "1000 = 8 + 31·32, low digits first");
    }

    #[test]
    fn office_scripts_round_trip_and_cannot_close_a_script() {
        let e = vec![entry("标题</script>", "正文\u{2028}")];
        let js = office_js("x-qu", &e);
        assert!(!js.contains("</script>") && !js.contains('\u{2028}'));
        let back = parse_office_js(&js).unwrap();
        assert_eq!(back[0].title, "标题</script>");
        assert_eq!(back[0].text, "正文\u{2028}");
        assert!(parse_office_js("alert(1)").is_none());
    }
}

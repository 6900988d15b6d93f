//! Rebuilds that redo only what changed. Offices are independent: an
//! office whose files (names, sizes, modification times) and whose nianbao
//! binary are the same as at the last build is not read again; its pages
//! are carried into the new site as hard links and its index entry, search
//! entries and findings come from the state the last build left in
//! `output/.nianbao/state.json`. When nothing at all changed, the site is
//! left untouched. The result is byte for byte what a full build writes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::load::FoundOffice;
use crate::pages::IndexOffice;

/// Where the state lives inside the output folder.
pub(crate) const STATE: &str = ".nianbao/state.json";

/// What the last build knew.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct State {
    /// The binary that built the site (a new binary rebuilds everything).
    pub(crate) tool: String,
    /// The data folder it was built from.
    pub(crate) data: String,
    pub(crate) offices: BTreeMap<String, OfficeState>,
    /// Bytes the site took: the next build needs about as much room.
    #[serde(default)]
    pub(crate) site_bytes: u64,
}

/// One office as last built.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct OfficeState {
    pub(crate) fingerprint: String,
    /// Every file the office put in the site, relative to it.
    pub(crate) files: Vec<PathBuf>,
    pub(crate) index: Option<IndexOffice>,
    pub(crate) documents: usize,
    pub(crate) diags: Vec<Diagnostic>,
    /// Texts of the files its findings point at.
    pub(crate) sources: Vec<(PathBuf, String)>,
}

/// FNV-1a, 64 bit: stable across runs and Rust versions.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn add(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        self.0 = (self.0 ^ 0xff).wrapping_mul(0x0000_0100_0000_01b3);
    }
}

fn stamp(h: &mut Fnv, path: &Path) {
    h.add(path.as_os_str().as_encoded_bytes());
    match fs::metadata(path) {
        Ok(m) => {
            h.add(&m.len().to_le_bytes());
            let t = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            h.add(&t.to_le_bytes());
        }
        Err(_) => h.add(b"missing"),
    }
}

/// The binary itself: its path, size and modification time.
fn tool_id() -> String {
    let mut h = Fnv::new();
    h.add(env!("CARGO_PKG_VERSION").as_bytes());
    if let Ok(exe) = std::env::current_exe() {
        stamp(&mut h, &exe);
    }
    format!("{:016x}", h.0)
}

/// An office's inputs as they stand: every file found for it (office.yaml
/// and the year files) and its year folders, by name, size and time.
fn fingerprint(office: &FoundOffice) -> String {
    let mut h = Fnv::new();
    h.add(office.slug.as_bytes());
    for (year, _) in &office.years {
        h.add(&year.to_le_bytes());
    }
    for (path, _) in &office.files {
        stamp(&mut h, path);
    }
    format!("{:016x}", h.0)
}

/// The state of the site in `out`, if it was built by this binary from
/// this data folder.
fn previous(out: &Path, data: &str, tool: &str) -> Option<State> {
    let text = fs::read_to_string(out.join(STATE)).ok()?;
    let state: State = serde_json::from_str(&text).ok()?;
    (state.tool == tool && state.data == data).then_some(state)
}

/// The data folder as recorded in the state.
fn data_key(data: &Path) -> String {
    fs::canonicalize(data)
        .unwrap_or_else(|_| data.to_path_buf())
        .display()
        .to_string()
}

/// What this build can take from the last one.
pub(crate) struct Plan {
    tool: String,
    data: String,
    previous: Option<State>,
    /// Whether the last build's site is there to be kept.
    site_intact: bool,
    /// Each office's fingerprint, in the order found.
    pub(crate) fingerprints: Vec<String>,
    slugs: Vec<String>,
}

/// Compare the offices found with what the last build into `out` left.
pub(crate) fn plan(data: &Path, out: &Path, offices: &[FoundOffice]) -> Plan {
    let tool = tool_id();
    let data = data_key(data);
    Plan {
        previous: previous(out, &data, &tool),
        site_intact: out.join("index.html").is_file(),
        fingerprints: offices.iter().map(fingerprint).collect(),
        slugs: offices.iter().map(|o| o.slug.clone()).collect(),
        tool,
        data,
    }
}

impl Plan {
    /// The last build's state of an office whose inputs have not changed.
    pub(crate) fn reusable(&self, slug: &str, fingerprint: &str) -> Option<&OfficeState> {
        self.previous
            .as_ref()
            .and_then(|s| s.offices.get(slug))
            .filter(|o| o.fingerprint == fingerprint)
    }

    /// The same offices with the same inputs, and the site still there.
    pub(crate) fn nothing_changed(&self) -> bool {
        self.site_intact
            && self
                .previous
                .as_ref()
                .is_some_and(|p| p.offices.len() == self.slugs.len())
            && self
                .slugs
                .iter()
                .zip(&self.fingerprints)
                .all(|(s, fp)| self.reusable(s, fp).is_some())
    }

    /// The size of the last site, if known.
    pub(crate) fn previous_bytes(&self) -> u64 {
        self.previous.as_ref().map_or(0, |s| s.site_bytes)
    }

    pub(crate) fn previous_offices(&self) -> impl Iterator<Item = &OfficeState> {
        self.previous.iter().flat_map(|s| s.offices.values())
    }

    /// An empty state for this build to fill.
    pub(crate) fn next_state(&self) -> State {
        State {
            tool: self.tool.clone(),
            data: self.data.clone(),
            offices: BTreeMap::new(),
            site_bytes: 0,
        }
    }
}

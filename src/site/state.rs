//! Rebuilds that redo only what changed. Offices are independent: an
//! office whose inputs (the contents of its files) and whose nianbao binary
//! are the same as at the last build is not checked again; its pages are
//! carried into the new site as hard links and its index entry, search
//! entries and findings come from the state the last build left beside the
//! site (`.output.state`, outside the published folder: it holds the
//! texts of data files with findings). When nothing at all changed and every
//! published file is still there, the site is left untouched. The result
//! is byte for byte what a full build writes.
//!
//! Inputs are compared by content (xxh3 of every file). A file is read for
//! that only when its stamp (size, modification and change times, inode)
//! differs from the last build's, or when it was touched so close to the
//! last build that a coarse clock (FAT and network shares keep two
//! seconds) could hide an edit — git's "racily clean" rule.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Failure, Internal, Op};
use crate::input::{Folder, FoundOffice, InputHash, Seen, Stamp, Stamps, since_epoch, trusted};
use crate::paths::Paths;
use crate::views::pages::IndexOffice;

/// What the last build knew.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct State {
    /// Names the site this state describes: the site's marker file holds
    /// the same id (see [`State::id_of`]).
    #[serde(default)]
    pub(crate) id: String,
    /// The binary that built the site (a new binary rebuilds everything).
    pub(crate) tool: String,
    /// The data folder it was built from.
    pub(crate) data: String,
    pub(crate) offices: BTreeMap<String, OfficeState>,
    /// Bytes the site took: the next build needs about as much room.
    pub(crate) site_bytes: u64,
    /// When the build started, in nanoseconds since 1970.
    pub(crate) built_at: u128,
    /// The site's own files (index, search, static) with their sizes.
    pub(crate) site_files: Vec<(PathBuf, u64)>,
    /// How the search index was cut, and each partition's offices in
    /// order: a partition whose offices are the same and unchanged keeps
    /// its scripts.
    #[serde(default)]
    pub(crate) search: Option<SearchState>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct SearchState {
    pub(crate) layout: Option<crate::output::search::Layout>,
    pub(crate) partitions: BTreeMap<u32, Vec<String>>,
}

/// One office as last built.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct OfficeState {
    /// The contents of the office's inputs.
    pub(crate) fingerprint: String,
    /// Their stamps and their folders', to tell without reading them that
    /// they did not change.
    pub(crate) stamps: Stamps,
    /// Every file the office put in the site, relative to it, with its size.
    pub(crate) files: Vec<(PathBuf, u64)>,
    pub(crate) index: Option<IndexOffice>,
    pub(crate) documents: usize,
    pub(crate) diags: Vec<Diagnostic>,
    /// Texts of the files its findings point at.
    pub(crate) sources: Vec<(PathBuf, String)>,
    /// The offices it sums (`units:`), with their fingerprints then: a
    /// change in one of them rebuilds it too.
    #[serde(default)]
    pub(crate) units: Vec<(String, String)>,
    /// The years of its searchable documents (`render::OfficeDocs`).
    #[serde(default)]
    pub(crate) search_years: Vec<i32>,
    /// The folders of the office in the site with their modification
    /// times: a file added to or deleted from one changes its time, so the
    /// office's files are known to be there without a look at each.
    #[serde(default)]
    pub(crate) dirs: Vec<(PathBuf, u128)>,
}

impl OfficeState {
    /// The office's folders (under `slug/`), from its files.
    pub(crate) fn own_dirs(&self, slug: &str) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = self
            .files
            .iter()
            .filter(|(f, _)| crate::paths::under(f, Path::new(slug)).is_some())
            .filter_map(|(f, _)| f.parent().map(Path::to_path_buf))
            .collect();
        dirs.sort();
        dirs.dedup();
        dirs
    }

    /// Every file it published is still there: its folders as they were
    /// left, and its files outside them (search keys) the size written.
    /// A state without folder times looks at every file.
    pub(crate) fn intact(&self, slug: &str, site: &Folder) -> bool {
        let out = site.path();
        if self.dirs.is_empty() {
            return self
                .files
                .iter()
                .all(|(f, len)| size_is(&out.join(f), *len));
        }
        self.dirs.iter().all(|(d, t)| site.modified(d) == Some(*t))
            && self
                .files
                .iter()
                .filter(|(f, _)| crate::paths::under(f, Path::new(slug)).is_none())
                .all(|(f, len)| size_is(&out.join(f), *len))
    }
}

/// A path's modification time in nanoseconds.
pub(crate) fn modified(path: &Path) -> Option<u128> {
    since_epoch(fs::metadata(path).ok()?.modified().ok()?)
}

fn now_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// The binary itself (its version, size and modification time) and the
/// office's own templates: a change of either rebuilds everything.
fn tool_id(templates: &str) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(templates.as_bytes());
    if let Ok(exe) = std::env::current_exe() {
        let meta = fs::metadata(&exe).ok();
        let modified = meta.as_ref().and_then(|m| since_epoch(m.modified().ok()?));
        h.update(&meta.map_or(u64::MAX, |m| m.len()).to_le_bytes());
        h.update(&modified.unwrap_or(0).to_le_bytes());
    }
    format!("{:032x}", h.digest128())
}

/// The state of the site in `out`, if it was built by this binary from
/// this data folder: the saved state, or the one a build killed after its
/// swap left unsaved, whichever the site's marker names.
fn previous(path: &Path, out: &Path, data: &str, tool: &str) -> Option<State> {
    let marker = fs::read_to_string(out.join(crate::site::MARKER)).ok()?;
    let id = marker.lines().nth(1)?;
    [path.to_path_buf(), beside(path, ".new")]
        .iter()
        .filter_map(|p| postcard::from_bytes::<State>(&fs::read(p).ok()?).ok())
        .find(|s| s.id == id && s.tool == tool && s.data == data)
}

impl State {
    /// The id of the site this state describes: a hash of what decides its
    /// files (the binary, the data folder, each office's inputs and the
    /// files it wrote). Two builds of the same inputs give the same id, as
    /// they give the same site.
    pub(crate) fn id_of(&self) -> String {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for part in [&self.tool, &self.data] {
            h.update(part.as_bytes());
            h.update(&[0]);
        }
        for (slug, o) in &self.offices {
            h.update(slug.as_bytes());
            h.update(o.fingerprint.as_bytes());
            for (f, len) in &o.files {
                h.update(f.to_string_lossy().as_bytes());
                h.update(&len.to_le_bytes());
            }
            h.update(&[0]);
        }
        for (f, len) in &self.site_files {
            h.update(f.to_string_lossy().as_bytes());
            h.update(&len.to_le_bytes());
        }
        format!("{:032x}", h.digest128())
    }
}

/// What the last build into the site left, read before the walk of the
/// data: its state, if this binary built it from this data folder.
pub(crate) struct Last {
    /// When this build started (before the walk: a folder or file changed
    /// during it is newer than this).
    built_at: u128,
    tool: String,
    data: String,
    previous: Option<State>,
}

/// The last build into `out`, with these templates (`templates`: their
/// hash and the build's variant).
pub(crate) fn last_build(paths: &Paths, templates: &str) -> Last {
    let built_at = now_nanos();
    let tool = tool_id(templates);
    let data = paths.data_real.display().to_string();
    let previous = previous(&paths.state, &paths.out, &data, &tool);
    Last {
        built_at,
        tool,
        data,
        previous,
    }
}

impl Last {
    /// What the last build saw of the offices' folders, for the walk.
    pub(crate) fn seen(&self) -> Option<Seen<'_>> {
        let p = self.previous.as_ref()?;
        Some(Seen {
            built_at: p.built_at,
            offices: p
                .offices
                .iter()
                .map(|(slug, o)| {
                    let st = &o.stamps;
                    (slug.as_str(), (st.folders.as_slice(), st.files.as_slice()))
                })
                .collect(),
        })
    }
}

/// What this build can take from the last one.
pub(crate) struct Plan {
    /// When this build started, and what the last one left.
    last: Last,
    /// Each office's stamps, in the order found.
    stamps: Vec<Stamps>,
    /// Whether the last build's site is there to be kept.
    site_intact: bool,
    /// Each office's fingerprint, in the order found; `None` for an office
    /// the last build did not have (nothing to compare it with: load hashes
    /// it from the bytes it reads, so it is read once).
    pub(crate) fingerprints: Vec<Option<String>>,
    slugs: Vec<String>,
}

/// Compare the offices found with what the last build into `out` left.
pub(crate) fn plan(paths: &Paths, last: Last, offices: &[FoundOffice]) -> Plan {
    let previous = &last.previous;
    let out = paths.out.as_path();
    use rayon::prelude::*;
    let stamps: Vec<Stamps> = offices
        .par_iter()
        .map(|o| Stamps {
            folders: o.folders.clone(),
            files: {
                let folder = Folder::open(&o.dir);
                let stamp = |p: &PathBuf| match crate::paths::under(p, &o.dir) {
                    Some(rel) => folder.stamp(rel),
                    None => Stamp::of(p, &o.dir),
                };
                o.files.iter().map(|(p, _)| stamp(p)).collect()
            },
        })
        .collect();
    // An office whose stamps are as last time, none of them racy, keeps its
    // fingerprint unread; any other the last build had is read and hashed.
    let fingerprints = offices
        .par_iter()
        .zip(&stamps)
        .map(|(o, st)| {
            let p = previous.as_ref()?;
            let office = p.offices.get(&o.slug)?;
            // Without a change time (Windows), size and modification time
            // alone can be kept by an edit (`touch -r`, a restored backup):
            // the contents are compared there, always.
            Some(if trusted(&office.stamps.files, &st.files, p.built_at) {
                office.fingerprint.clone()
            } else {
                InputHash::of_files(o)
            })
        })
        .collect();
    let site_intact = previous.as_ref().is_some_and(|p| {
        p.site_files
            .iter()
            .all(|(f, len)| size_is(&out.join(f), *len))
    });
    Plan {
        last,
        stamps,
        site_intact,
        fingerprints,
        slugs: offices.iter().map(|o| o.slug.clone()).collect(),
    }
}

/// `path` with `suffix` after its name.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// The new state written beside the old one (`<state>.new`), to take its
/// place once the site it describes is in.
pub(crate) struct Staged {
    path: PathBuf,
    new: PathBuf,
}

/// Write the new state (streamed: at 10,000 reports it is about 9 MB) and
/// close it. It is postcard, a compact binary form of the same fields:
/// read by every rebuild, its 13.8 MB of JSON took 0.05–0.1 s to parse at
/// 10,000 reports, a third of a rebuild with nothing to do.
pub(crate) fn stage(path: &Path, state: &State) -> Result<Staged, Failure> {
    let new = beside(path, ".new");
    let file = fs::File::create(&new).map_err(|e| Failure::io(Op::Create, &new, e))?;
    let mut out = std::io::BufWriter::new(file);
    postcard::to_io(state, &mut out)
        .map_err(|e| Failure::Internal(Internal::State(e.to_string())))?;
    out.into_inner()
        .map_err(|e| Failure::io(Op::Write, &new, e.into_error()))?
        .sync_all()
        .map_err(|e| Failure::io(Op::Write, &new, e))?;
    Ok(Staged {
        path: path.to_path_buf(),
        new,
    })
}

impl Staged {
    /// Once the new site is in: its state takes the old one's place. (A
    /// build killed before this finds the new state by the site's marker.)
    pub(crate) fn install(self) -> Result<(), Failure> {
        fs::rename(&self.new, &self.path).map_err(|e| Failure::io(Op::Write, &self.path, e))?;
        // The state as JSON, as earlier versions wrote it: read by none now.
        let _ = fs::remove_file(beside(&self.path, ".json"));
        Ok(())
    }
}

/// Whether a published file is still there with the size it was written.
fn size_is(path: &Path, len: u64) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == len)
}

impl Plan {
    /// The last build's state of an office whose inputs have not changed.
    pub(crate) fn reusable(&self, slug: &str, fingerprint: &str) -> Option<&OfficeState> {
        self.last
            .previous
            .as_ref()
            .and_then(|s| s.offices.get(slug))
            .filter(|o| o.fingerprint == fingerprint)
            .filter(|o| {
                o.units
                    .iter()
                    .all(|(u, fp)| self.fingerprint_of(u) == Some(fp.as_str()))
            })
    }

    /// More than half the offices can be carried over: the rebuild is
    /// published in place (`journal`) rather than as a whole new site.
    pub(crate) fn mostly_unchanged(&self) -> bool {
        let kept = self
            .slugs
            .iter()
            .zip(&self.fingerprints)
            .filter(|(s, fp)| fp.as_deref().and_then(|fp| self.reusable(s, fp)).is_some())
            .count();
        self.last.previous.is_some() && kept * 2 > self.slugs.len()
    }

    /// Move an office's state out of the last build's (for the new one).
    pub(crate) fn take_previous(&mut self, slug: &str) -> Option<OfficeState> {
        self.last.previous.as_mut()?.offices.remove(slug)
    }

    /// Offices the last build published that are no longer in the data.
    pub(crate) fn removed(&self) -> Vec<String> {
        self.last
            .previous
            .iter()
            .flat_map(|p| p.offices.keys())
            .filter(|s| !self.slugs.contains(s))
            .cloned()
            .collect()
    }

    /// An office's fingerprint as this build knows it (not for one the
    /// last build did not have).
    fn fingerprint_of(&self, slug: &str) -> Option<&str> {
        let i = self.slugs.iter().position(|s| s == slug)?;
        self.fingerprints[i].as_deref()
    }

    /// The same offices with the same inputs, and every published file
    /// still there (one that was deleted or changed is repaired by a build).
    pub(crate) fn nothing_changed(&self, out: &Path) -> bool {
        let same =
            |(s, fp): (&String, &Option<String>)| fp.as_deref().and_then(|fp| self.reusable(s, fp));
        // Every office's inputs first (in memory), then their published
        // folders (a stat each): one office changed needs no look at them.
        let unchanged = self.site_intact
            && self
                .last
                .previous
                .as_ref()
                .is_some_and(|p| p.offices.len() == self.slugs.len())
            && self
                .slugs
                .iter()
                .zip(&self.fingerprints)
                .all(|o| same(o).is_some());
        unchanged && {
            use rayon::prelude::*;
            let site = Folder::open(out);
            self.slugs
                .par_iter()
                .zip(&self.fingerprints)
                .all(|o| same(o).is_some_and(|last| last.intact(o.0, &site)))
        }
    }

    /// After a build that found nothing changed: the last state with this
    /// build's stamps and time, when that spares the next build reading
    /// files this one read (racy ones, written just before the last build,
    /// or touched without a change: a no-change build read them again and
    /// again, 86,000 files at 10,000 reports). The plan itself back when
    /// nothing is gained.
    pub(crate) fn into_refreshed(mut self) -> Result<State, Box<Plan>> {
        if !self.refresh_gains() {
            return Err(Box::new(self));
        }
        let Some(mut state) = self.last.previous.take() else {
            return Err(Box::new(self));
        };
        for (slug, now) in self.slugs.iter().zip(self.stamps) {
            if let Some(o) = state.offices.get_mut(slug) {
                o.stamps = now;
            }
        }
        state.built_at = self.last.built_at;
        Ok(state)
    }

    /// Whether this build's stamps would spare the next build reading files
    /// the last build's did not ([`Plan::into_refreshed`]).
    fn refresh_gains(&self) -> bool {
        let Some(state) = &self.last.previous else {
            return false;
        };
        let gains = |then: &[Stamp], now: &[Stamp]| {
            !trusted(then, now, state.built_at) && trusted(now, now, self.last.built_at)
        };
        self.slugs.iter().zip(&self.stamps).any(|(slug, now)| {
            state.offices.get(slug).is_some_and(|o| {
                gains(&o.stamps.files, &now.files) || gains(&o.stamps.folders, &now.folders)
            })
        })
    }

    /// The input stamps of the office found `i`-th, for the state.
    pub(crate) fn stamps(&self, i: usize) -> Stamps {
        self.stamps.get(i).cloned().unwrap_or_default()
    }

    /// The size of the last site, if known.
    pub(crate) fn previous_bytes(&self) -> u64 {
        self.last.previous.as_ref().map_or(0, |s| s.site_bytes)
    }

    /// How many searchable documents the last build gave an office.
    pub(crate) fn previous_documents(&self, slug: &str) -> Option<usize> {
        let o = self.last.previous.as_ref()?.offices.get(slug)?;
        Some(o.search_years.len())
    }

    /// How the last build cut its search index.
    pub(crate) fn previous_search(&self) -> Option<&SearchState> {
        self.last.previous.as_ref().and_then(|s| s.search.as_ref())
    }

    pub(crate) fn previous_offices(&self) -> impl Iterator<Item = &OfficeState> {
        self.last.previous.iter().flat_map(|s| s.offices.values())
    }

    /// An empty state for this build to fill.
    pub(crate) fn next_state(&self) -> State {
        State {
            id: String::new(),
            tool: self.last.tool.clone(),
            data: self.last.data.clone(),
            offices: BTreeMap::new(),
            site_bytes: 0,
            built_at: self.last.built_at,
            site_files: Vec::new(),
            search: None,
        }
    }
}

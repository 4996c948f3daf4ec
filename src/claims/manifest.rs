//! The theorem map as data: the single source of every check's id, kind, source and statement.
//!
//! The built-in map is `theorems/claims.toml` (compiled in); a user's crate may keep its own entries in its own
//! TOML file of the same format and add them to a [`super::Suite`]. Each `[[claim]]` entry has `id`, `kind`
//! ("claim" | "control" — a control's id is its claim's id, a colon and a short name, and its expected verdict is
//! Refuted), `source` (the paper's numbering in every version), `statement` (one sentence, our words), `uses` (ids
//! it depends on: the edges of the dependency graph), for a control its `strength` ("near-miss": a false twin a
//! careful reader could believe, differing from the truth by a theorem-relevant small amount; "sanity": a mistake any
//! working code refutes, kept as a smoke test but not counted as evidence), optionally `tests` (`path::function` of
//! further tests that check it besides the generated one-per-entry test), `post_hoc` (rule changes made after
//! seeing results) and `thresholds` — every numerical threshold of the entry's rules, each `name = { value = …,
//! why = "one-line derivation" }` in a `[claim.thresholds]` table after the entry. The checks read them through
//! [`super::Context::threshold`] (a control inherits its claim's thresholds and may override them), so the manifest
//! is the only copy of a threshold.

use super::Kind;
use crate::{Error, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The manifest shipped with the crate (compiled in, so the binary can draw the graph anywhere).
pub const MANIFEST_TOML: &str = crate::registry::MANIFEST_TOML;

/// One entry of the manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Claim or control id.
    pub id: String,
    /// "claim" or "control".
    pub kind: Kind,
    /// The paper's numbering.
    pub source: String,
    /// The statement in one sentence.
    pub statement: String,
    /// Ids this entry depends on.
    #[serde(default)]
    pub uses: Vec<String>,
    /// Further tests that check it, as `tests/file.rs::function`.
    #[serde(default)]
    pub tests: Vec<String>,
    /// For a control: how close a twin of the truth it is (required for controls, absent for claims).
    #[serde(default)]
    pub strength: Option<Strength>,
    /// Rule changes made after seeing results (post hoc), each with what changed, when and why. Empty when every
    /// threshold and rule form was fixed before the check first ran.
    #[serde(default)]
    pub post_hoc: Vec<String>,
    /// The numerical thresholds of the entry's rules, by name (see the module docs).
    #[serde(default)]
    pub thresholds: BTreeMap<String, Threshold>,
}

pub use crate::registry::{Threshold, registered};

/// How close a falsification control is to the truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    /// A false twin a careful reader could believe: it differs from the claim by a theorem-relevant small amount (an
    /// exponent off by ½, a constant just below the observed value, a limit at 0.95 of the true one). Refuting it
    /// shows the rule can tell the theorem from a plausible mistake.
    NearMiss,
    /// A mistake any working code refutes (a factor 2, a degree off by one on a large defect). A smoke test of the
    /// machinery; not counted as evidence for the claim.
    Sanity,
}

impl Strength {
    /// The manifest spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::NearMiss => "near-miss",
            Strength::Sanity => "sanity",
        }
    }
}

/// The parsed manifest.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// All entries, in file order.
    #[serde(rename = "claim", default)]
    pub entries: Vec<Entry>,
}

impl Manifest {
    /// Parses manifest TOML.
    pub fn parse(text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|e| Error::Format(format!("claim manifest: {e}")))
    }

    /// The manifest compiled into the crate.
    pub fn builtin() -> Result<Self> {
        Self::parse(MANIFEST_TOML)
    }

    /// Looks up an entry by id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// Appends the entries of `other`; an id present in both is an error.
    pub fn extend(&mut self, other: Manifest) -> Result<()> {
        for e in &other.entries {
            if self.get(&e.id).is_some() {
                return Err(Error::Manifest(format!("manifest entry {} is defined twice", e.id)));
            }
        }
        self.entries.extend(other.entries);
        Ok(())
    }

    /// Structural problems of the manifest on its own: duplicate ids, a kind that contradicts the id form, a control
    /// without its parent claim, a `uses` edge to an unknown id.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let ids: BTreeSet<&str> = self.entries.iter().map(|e| e.id.as_str()).collect();
        if ids.len() != self.entries.len() {
            problems.push("duplicate ids in the manifest".to_string());
        }
        for e in &self.entries {
            if Kind::of_id(&e.id) != e.kind {
                problems.push(format!("{}: kind {:?} contradicts the id form", e.id, e.kind));
            }
            if e.kind == Kind::Control {
                let parent = e.id.split(':').next().unwrap_or_default();
                if !ids.contains(parent) {
                    problems.push(format!("control {} has no parent claim {parent}", e.id));
                }
                if e.strength.is_none() {
                    problems.push(format!("control {} has no strength (\"near-miss\" or \"sanity\")", e.id));
                }
            } else if e.strength.is_some() {
                problems.push(format!("{}: a claim has no strength (only controls do)", e.id));
            }
            for (name, t) in &e.thresholds {
                if let Some(p) = t.problem() {
                    problems.push(format!("{}: threshold {name} {p}", e.id));
                }
            }
            for u in &e.uses {
                if !ids.contains(u.as_str()) {
                    problems.push(format!("{}: uses unknown id {u}", e.id));
                }
            }
        }
        problems
    }

    /// The thresholds a check reads: its claim's (for a control, the part of the id before ':'), overridden by its own.
    pub fn thresholds_for(&self, id: &str) -> BTreeMap<String, Threshold> {
        let table: Vec<(String, BTreeMap<String, Threshold>)> =
            self.entries.iter().map(|e| (e.id.clone(), e.thresholds.clone())).collect();
        crate::registry::inherited(&table, id)
    }

    /// The claims that have no near-miss control (only sanity controls, or none).
    pub fn claims_without_near_miss(&self) -> Vec<&str> {
        self.entries
            .iter()
            .filter(|c| c.kind == Kind::Claim)
            .filter(|c| {
                !self
                    .entries
                    .iter()
                    .any(|e| e.strength == Some(Strength::NearMiss) && e.id.split(':').next() == Some(c.id.as_str()))
            })
            .map(|c| c.id.as_str())
            .collect()
    }

    /// Every further test an entry names exists as `fn name(` in the named file under `root` (the crate directory).
    pub fn check_tests_exist(&self, root: &Path) -> Result<()> {
        let problems: Vec<String> = self
            .entries
            .iter()
            .flat_map(|e| {
                e.tests.iter().filter_map(move |t| test_exists(root, t).err().map(|m| format!("{}: {m}", e.id)))
            })
            .collect();
        if problems.is_empty() { Ok(()) } else { Err(Error::Manifest(problems.join("\n"))) }
    }
}

/// Checks that `spec` = `path::function` names a function defined in that file.
fn test_exists(root: &Path, spec: &str) -> std::result::Result<(), String> {
    let (file, func) =
        spec.split_once("::").ok_or_else(|| format!("test {spec:?} is not of the form path::function"))?;
    let text = std::fs::read_to_string(root.join(file)).map_err(|e| format!("test file {file}: {e}"))?;
    let needle = format!("fn {func}(");
    if text.contains(&needle) { Ok(()) } else { Err(format!("no `fn {func}(` in {file}")) }
}

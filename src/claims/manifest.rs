//! The theorem map as data: `theorems/claims.toml`, the single source of truth for every claim and control.
//!
//! Each `[[claim]]` entry has `id`, `kind` ("claim" | "control"), `source` (the paper's numbering in every version),
//! `statement` (one sentence, our words), `uses` (ids of the claims, lemmas and oracles it depends on: the edges of the
//! dependency graph) and `tests` (`path::function` of the tests that check it). [`Manifest::check_against`] fails when
//! the registry and the manifest disagree, or when a named test does not exist.

use super::{Claim, Kind};
use crate::{Error, Result};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

/// The manifest shipped with the crate (compiled in, so the binary can draw the graph anywhere).
pub const MANIFEST_TOML: &str = include_str!("../../theorems/claims.toml");

/// One entry of the manifest.
#[derive(Debug, Clone, Deserialize)]
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
    /// Tests that check it, as `tests/file.rs::function`.
    #[serde(default)]
    pub tests: Vec<String>,
}

/// The parsed manifest.
#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    /// All entries, in file order.
    #[serde(rename = "claim", default)]
    pub entries: Vec<Entry>,
}

impl Manifest {
    /// Parses manifest TOML.
    pub fn parse(text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|e| Error::Format(format!("theorems/claims.toml: {e}")))
    }

    /// The manifest compiled into the crate.
    pub fn builtin() -> Result<Self> {
        Self::parse(MANIFEST_TOML)
    }

    /// Looks up an entry by id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// Checks the manifest against the registry and the source tree rooted at `root` (the crate directory):
    /// every registered id has an entry of the same kind and source; every entry is registered; every `uses` edge
    /// points to an entry; every control has a parent claim; every named test exists as `fn name(` in the named file.
    pub fn check_against(&self, registry: &[Box<dyn Claim>], root: &Path) -> Result<()> {
        let mut problems = Vec::new();
        let ids: BTreeSet<&str> = self.entries.iter().map(|e| e.id.as_str()).collect();
        if ids.len() != self.entries.len() {
            problems.push("duplicate ids in the manifest".to_string());
        }
        for c in registry {
            match self.get(c.id()) {
                None => problems.push(format!("registered check {} has no manifest entry", c.id())),
                Some(e) => {
                    if e.kind != c.kind() {
                        problems.push(format!(
                            "{}: manifest kind {:?} but registry kind {:?}",
                            c.id(),
                            e.kind,
                            c.kind()
                        ));
                    }
                    if e.source != c.source() {
                        problems.push(format!(
                            "{}: manifest source {:?} but code says {:?}",
                            c.id(),
                            e.source,
                            c.source()
                        ));
                    }
                }
            }
        }
        let registered: BTreeSet<&str> = registry.iter().map(|c| c.id()).collect();
        for e in &self.entries {
            if !registered.contains(e.id.as_str()) {
                problems.push(format!("manifest entry {} has no registered check", e.id));
            }
            if Kind::of_id(&e.id) != e.kind {
                problems.push(format!("{}: kind {:?} contradicts the id form", e.id, e.kind));
            }
            if e.kind == Kind::Control {
                let parent = e.id.split(':').next().unwrap_or_default();
                if !ids.contains(parent) {
                    problems.push(format!("control {} has no parent claim {parent}", e.id));
                }
            }
            for u in &e.uses {
                if !ids.contains(u.as_str()) {
                    problems.push(format!("{}: uses unknown id {u}", e.id));
                }
            }
            if e.tests.is_empty() {
                problems.push(format!("{}: no test named", e.id));
            }
            for t in &e.tests {
                if let Err(msg) = test_exists(root, t) {
                    problems.push(format!("{}: {msg}", e.id));
                }
            }
        }
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

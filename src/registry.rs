//! The pre-registered thresholds of `theorems/claims.toml`, readable from every layer: a threshold of a claim's rule
//! is also what a figure's finding or an experiment's parameter uses, and there must be one copy of it.
//!
//! This module parses only the `[claim.thresholds]` tables of the compiled-in manifest (the rest of the manifest —
//! statements, kinds, dependencies — is the business of [`crate::claims::manifest`], which uses [`Threshold`]).

use crate::tier::Tier;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The manifest shipped with the crate (compiled in).
pub const MANIFEST_TOML: &str = include_str!("../theorems/claims.toml");

/// One pre-registered threshold: its value (one for both tiers, or one per tier) and the one-line derivation that
/// fixed it.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// The value the rule compares against, at both tiers.
    #[serde(default)]
    pub value: Option<f64>,
    /// The quick tier's value (with `full`, instead of `value`).
    #[serde(default)]
    pub quick: Option<f64>,
    /// The full tier's value.
    #[serde(default)]
    pub full: Option<f64>,
    /// Why this value: the derivation, in one line.
    pub why: String,
}

impl Threshold {
    /// The value at `tier` (xl takes the full value; `None` when the entry is malformed: see [`Threshold::problem`]).
    pub fn at(&self, tier: Tier) -> Option<f64> {
        self.value.or(tier.pick(self.quick, self.full))
    }

    /// What is wrong with the entry, if anything: not exactly one of `value` / (`quick`, `full`), a non-finite value,
    /// or an empty derivation.
    pub fn problem(&self) -> Option<String> {
        let vals = [self.value, self.quick, self.full];
        let shape_ok = match self.value {
            Some(_) => self.quick.is_none() && self.full.is_none(),
            None => self.quick.is_some() && self.full.is_some(),
        };
        if !shape_ok {
            Some("needs either `value` or both `quick` and `full`".into())
        } else if vals.iter().flatten().any(|v| !v.is_finite()) {
            Some("is not finite".into())
        } else if self.why.trim().is_empty() {
            Some("has no derivation (`why`)".into())
        } else {
            None
        }
    }
}

#[derive(Deserialize)]
struct Entries {
    #[serde(rename = "claim", default)]
    entries: Vec<EntryThresholds>,
}

#[derive(Deserialize)]
struct EntryThresholds {
    id: String,
    #[serde(default)]
    thresholds: BTreeMap<String, Threshold>,
}

/// The thresholds of entry `id` in a manifest's entries: its claim's (the part of the id before ':'), overridden by
/// its own for a control.
pub fn inherited(entries: &[(String, BTreeMap<String, Threshold>)], id: &str) -> BTreeMap<String, Threshold> {
    let parent = id.split(':').next().unwrap_or(id);
    let own = |key: &str| entries.iter().find(|(k, _)| k == key).map(|(_, t)| t.clone());
    let mut map = own(parent).unwrap_or_default();
    if parent != id
        && let Some(t) = own(id)
    {
        map.extend(t);
    }
    map
}

/// The value of threshold `name` of entry `id` (with a control's inheritance) in the built-in manifest at `tier`;
/// NaN when it is not registered, so that a parameter struct built from it fails its own validation with a typed
/// error instead of running on an unregistered number.
pub fn registered(id: &str, name: &str, tier: Tier) -> f64 {
    type Table = Vec<(String, BTreeMap<String, Threshold>)>;
    static BUILTIN: std::sync::OnceLock<Option<Table>> = std::sync::OnceLock::new();
    BUILTIN
        .get_or_init(|| {
            toml::from_str::<Entries>(MANIFEST_TOML)
                .ok()
                .map(|e| e.entries.into_iter().map(|x| (x.id, x.thresholds)).collect())
        })
        .as_ref()
        .and_then(|t| inherited(t, id).get(name).and_then(|th| th.at(tier)))
        .unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_values_match_their_tier_and_unknown_names_are_nan() {
        assert_eq!(registered("ntk.lower_bound", "slope_threshold", Tier::Quick), 1.5);
        let q = registered("margin.limit", "final_gap", Tier::Quick);
        let f = registered("margin.limit", "final_gap", Tier::Full);
        assert!(q.is_finite() && f.is_finite() && f <= q, "{q} {f}");
        // a control inherits its claim's thresholds
        assert_eq!(registered("ntk.lower_bound:degree-one-label", "slope_threshold", Tier::Quick), 1.5);
        assert!(registered("ntk.lower_bound", "no_such", Tier::Quick).is_nan());
        assert!(registered("no.such", "slope_threshold", Tier::Quick).is_nan());
    }
}

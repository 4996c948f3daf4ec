//! The record a check leaves behind: verdict, decision rule, the numbers it decided on, artifacts.

use crate::stats::{Decision, Margin, Verdict};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One record per check, printed the same whether the check passes or fails.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// What the check concluded.
    pub verdict: Verdict,
    /// The decision rule in words.
    pub rule: String,
    /// One line of key numbers for the report table.
    pub summary: String,
    /// Named numbers the rule decided on (and any others worth recording).
    pub metrics: BTreeMap<String, Value>,
    /// How far the numbers sit inside the rule's support and refutation regions (see [`Margin`]).
    pub margin: Option<Margin>,
    /// The chance that the rules wrongly refute this statement if it is true: the summed one-sided refutation α of
    /// its randomized parts (0 for deterministic checks) — see [`crate::stats::levels`].
    pub refute_alpha: f64,
    /// Free-text notes: reconstructed details, choices made where the paper is silent.
    pub notes: Vec<String>,
    /// Files written (CSV, SVG).
    pub artifacts: Vec<PathBuf>,
}

impl Evidence {
    /// Evidence carrying a decision's verdict, rule and metrics.
    pub fn from_decision(decision: Decision) -> Self {
        Evidence {
            verdict: decision.verdict,
            rule: decision.rule,
            summary: String::new(),
            metrics: decision.metrics,
            margin: decision.margin,
            refute_alpha: decision.refute_alpha,
            notes: Vec::new(),
            artifacts: Vec::new(),
        }
    }

    /// Sets the one-line summary.
    pub fn summary(mut self, s: impl Into<String>) -> Self {
        self.summary = s.into();
        self
    }

    /// Adds a named metric.
    pub fn metric(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.metrics.insert(name.to_string(), value.into());
        self
    }

    /// Adds a note.
    pub fn note(mut self, n: impl Into<String>) -> Self {
        self.notes.push(n.into());
        self
    }

    /// Records an artifact path.
    pub fn artifact(mut self, p: impl Into<PathBuf>) -> Self {
        self.artifacts.push(p.into());
        self
    }
}

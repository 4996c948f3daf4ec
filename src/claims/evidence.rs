//! The record a check leaves behind: verdict, decision rule, the numbers it decided on, artifacts.

use super::verdict::Verdict;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The outcome of one decision rule (see [`crate::stats`]): its verdict, the rule in words, and its inputs.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    /// What the rule concluded.
    pub verdict: Verdict,
    /// The rule in words, with its thresholds, e.g. "Supported when lo − tol ≤ x ≤ hi + tol".
    pub rule: String,
    /// The numbers the rule decided on, so a reader can recompute the verdict.
    pub metrics: BTreeMap<String, Value>,
}

impl Decision {
    /// A decision with no metrics yet.
    pub fn new(verdict: Verdict, rule: impl Into<String>) -> Self {
        Decision { verdict, rule: rule.into(), metrics: BTreeMap::new() }
    }

    /// Adds a named number.
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.metrics.insert(name.to_string(), value.into());
        self
    }

    /// Prefixes every metric name with `prefix.` (to combine several decisions in one evidence record).
    pub fn prefixed(mut self, prefix: &str) -> Self {
        self.metrics = self.metrics.into_iter().map(|(k, v)| (format!("{prefix}.{k}"), v)).collect();
        self.rule = format!("[{prefix}] {}", self.rule);
        self
    }

    /// Conjunction of several decisions: verdict by [`Verdict::all`], rules joined with "; AND ", metrics merged.
    pub fn all(parts: Vec<Decision>) -> Decision {
        let verdict = Verdict::all(parts.iter().map(|d| d.verdict));
        let rule = parts.iter().map(|d| d.rule.as_str()).collect::<Vec<_>>().join("; AND ");
        let mut metrics = BTreeMap::new();
        for p in parts {
            metrics.extend(p.metrics);
        }
        Decision { verdict, rule, metrics }
    }
}

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
    /// Type-I error budget spent by randomized rules (0 for deterministic checks).
    pub alpha: f64,
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
            alpha: 0.0,
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

    /// Sets the α spent.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
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

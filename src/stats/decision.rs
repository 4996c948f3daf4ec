//! The outcome of one decision rule: its verdict, the rule in words, and the numbers it decided on.

use super::Verdict;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The outcome of one decision rule (see the rules of [`crate::stats`]): its verdict, the rule in words, and its inputs.
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

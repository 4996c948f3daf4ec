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
    /// How far the rule's numbers sit inside its support and refutation regions (None for rules that do not
    /// report one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<Margin>,
    /// The chance, if the statement is true, that this decision wrongly refutes it: the one-sided α of the
    /// refutation bound for a randomized rule ([`super::levels`]), summed over the parts of a conjunction
    /// (Bonferroni); 0 for deterministic rules.
    pub refute_alpha: f64,
}

/// Signed distances, in the rule's own units (the quantity the rule thresholds: a CI end, a slope, a gap), from the
/// rule's numbers to the boundaries of its two regions: `support` > 0 means the support region holds with that much
/// to spare (< 0: missed by that much); `refute` > 0 means the refutation region holds by that much. A robust
/// Supported verdict has a large positive `support`; a robust Refuted one a large positive `refute`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Margin {
    /// Distance into the support region (negative: outside it).
    pub support: f64,
    /// Distance into the refutation region (negative: outside it).
    pub refute: f64,
    /// The part of a conjunction that binds `support` (its smallest) — empty for a single rule.
    pub part: String,
    /// The part of a conjunction that binds `refute` (its largest: one refuted part refutes the whole) — empty for a
    /// single rule.
    pub refute_part: String,
}

impl Margin {
    /// A margin for a rule that is refuted exactly when it is not supported: refute = −support.
    pub fn two_way(support: f64) -> Self {
        Margin { support, refute: -support, part: String::new(), refute_part: String::new() }
    }
}

impl Decision {
    /// A decision with no metrics yet.
    pub fn new(verdict: Verdict, rule: impl Into<String>) -> Self {
        Decision { verdict, rule: rule.into(), metrics: BTreeMap::new(), margin: None, refute_alpha: 0.0 }
    }

    /// Records the rule's margin (see [`Margin`]); NaN margins (from non-finite inputs) are not recorded.
    pub fn with_margin(mut self, support: f64, refute: f64) -> Self {
        if support.is_finite() || refute.is_finite() {
            self.margin = Some(Margin { support, refute, part: String::new(), refute_part: String::new() });
        }
        self
    }

    /// [`Self::with_margin`] for a part of a conjunction, naming it as the part that binds either side.
    pub fn with_part_margin(mut self, part: &str, support: f64, refute: f64) -> Self {
        self = self.with_margin(support, refute);
        if let Some(m) = &mut self.margin {
            m.part = part.to_string();
            m.refute_part = part.to_string();
        }
        self
    }

    /// The decision as a reported-only part of a conjunction: its verdict forced to Supported (it does not decide),
    /// its rule marked "(reported only: why)", no margin and no refutation α; its numbers are kept.
    pub fn reported_only(mut self, why: &str) -> Self {
        self.verdict = Verdict::Supported;
        self.rule = format!("(reported only: {why}) {}", self.rule);
        self.margin = None;
        self.refute_alpha = 0.0;
        self
    }

    /// Records the refutation α this decision spends (see [`Decision::refute_alpha`]).
    pub fn spending(mut self, refute_alpha: f64) -> Self {
        self.refute_alpha = refute_alpha;
        self
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
        if let Some(m) = &mut self.margin {
            let prefix_part = |p: &str| if p.is_empty() { prefix.to_string() } else { format!("{prefix}.{p}") };
            m.part = prefix_part(&m.part);
            m.refute_part = prefix_part(&m.refute_part);
        }
        self
    }

    /// Conjunction of several decisions: verdict by [`Verdict::all`], rules joined with "; AND ", metrics merged.
    /// The margin of the conjunction: support = the smallest part's support (every part must hold), refute = the
    /// largest part's refute (one refuted part refutes), over the parts that report a margin. The refutation α is the
    /// parts' sum (one refuted part refutes the whole, so the chances add).
    pub fn all(parts: Vec<Decision>) -> Decision {
        let refute_alpha = parts.iter().map(|d| d.refute_alpha).sum();
        let verdict = Verdict::all(parts.iter().map(|d| d.verdict));
        let rule = parts.iter().map(|d| d.rule.as_str()).collect::<Vec<_>>().join("; AND ");
        let margins: Vec<&Margin> = parts.iter().filter_map(|p| p.margin.as_ref()).collect();
        let most_refuted = margins.iter().max_by(|a, b| a.refute.total_cmp(&b.refute));
        let margin = margins.iter().min_by(|a, b| a.support.total_cmp(&b.support)).map(|m| Margin {
            support: m.support,
            refute: most_refuted.map_or(f64::NEG_INFINITY, |r| r.refute),
            part: m.part.clone(),
            refute_part: most_refuted.map(|r| r.refute_part.clone()).unwrap_or_default(),
        });
        let mut metrics = BTreeMap::new();
        for p in parts {
            metrics.extend(p.metrics);
        }
        Decision { verdict, rule, metrics, margin, refute_alpha }
    }
}

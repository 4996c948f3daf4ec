//! A figure's qualitative statement ("the regularized net generalizes better") as a checked finding: the statement,
//! the decision of a rule of [`crate::stats`] over the figure's trials, and whether our run reproduces it.

use crate::stats::{Decision, Levels, Verdict, paired_greater};
use serde::Serialize;

/// Error levels of the findings' rules: the suite's (support at a one-sided 95% bound, refutation at α_r).
pub const FINDING_LEVELS: Levels = Levels::SUITE;

/// One finding of a figure.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The paper's statement, in our words.
    pub statement: String,
    /// Supported (our run reproduces the finding), Refuted (it shows the opposite) or Inconclusive.
    pub reproduced: bool,
    /// The rule, its verdict and the numbers it decided on.
    #[serde(flatten)]
    pub decision: Decision,
}

impl Finding {
    /// A finding from a decision.
    pub fn new(statement: &str, decision: Decision) -> Self {
        Finding { statement: statement.to_string(), reproduced: decision.verdict == Verdict::Supported, decision }
    }

    /// "A > B" over paired trials ([`paired_greater`] at [`FINDING_LEVELS`]).
    pub fn paired_greater(statement: &str, a_name: &str, a: &[f64], b_name: &str, b: &[f64]) -> Self {
        Finding::new(statement, paired_greater(a_name, a, b_name, b, FINDING_LEVELS))
    }

    /// The verdict.
    pub fn verdict(&self) -> Verdict {
        self.decision.verdict
    }
}

//! The result of running one check: its [`Evidence`] plus what the suite knows about it (kind, source) and
//! bookkeeping (wall time, error).

use super::{Evidence, Kind};
use crate::stats::Verdict;
use serde::Serialize;

/// One check's outcome. Serialized flat: the evidence's fields sit beside `id`, `kind`, `source`.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The check's id.
    pub id: String,
    /// The paper's numbering (from the manifest).
    pub source: String,
    /// Claim or control (from the manifest).
    pub kind: Kind,
    /// What the check recorded (an error is reported as `Inconclusive` evidence with the error in `error`).
    #[serde(flatten)]
    pub evidence: Evidence,
    /// Wall time in seconds.
    pub seconds: f64,
    /// The error message, if the check failed to run.
    pub error: Option<String>,
    /// Parameters run at a non-default value (`verify --set`), key → value; empty for the tier's defaults.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub parameters: std::collections::BTreeMap<String, String>,
    /// Whether a threshold or rule of this check was changed after the check first ran (`post_hoc` in
    /// `theorems/claims.toml`; the reasons are among the notes). Reports mark such checks with †.
    #[serde(default)]
    pub post_hoc: bool,
    /// The pre-registered thresholds (`theorems/claims.toml`) the check's rules read, name → value.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub thresholds: std::collections::BTreeMap<String, f64>,
}

impl Outcome {
    /// The verdict of the check.
    pub fn verdict(&self) -> Verdict {
        self.evidence.verdict
    }

    /// Did the check come out the way a healthy suite expects (claim Supported, control Refuted)?
    pub fn as_expected(&self) -> bool {
        self.evidence.verdict == self.kind.expected()
    }
}

//! The JSON report of `regmatters verify --json`:
//! `{"seed", "tier", "version", "passed", "claims": [{"id", "source", "kind", "verdict", "rule", "metrics", "seconds", …}]}`.

use crate::claims::{Outcome, Run, Tier};
use serde::Serialize;

/// The whole report.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// Master seed.
    pub seed: u64,
    /// Tier.
    pub tier: Tier,
    /// Crate version that produced the report.
    pub version: &'static str,
    /// Every claim Supported and every control Refuted.
    pub passed: bool,
    /// One record per check, in suite order.
    pub claims: &'a [Outcome],
}

/// Serializes the report (pretty-printed, keys of metrics sorted, so equal runs give equal bytes up to `seconds`).
pub fn to_json(run: &Run) -> crate::Result<String> {
    let r = Report {
        seed: run.seed,
        tier: run.tier,
        version: env!("CARGO_PKG_VERSION"),
        passed: run.passed(),
        claims: &run.outcomes,
    };
    serde_json::to_string_pretty(&r).map_err(|e| crate::Error::Format(e.to_string()))
}

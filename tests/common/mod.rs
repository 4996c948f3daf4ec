//! Shared helpers for the theorem tests: run one registered check at the quick tier and assert its verdict.
#![allow(dead_code)]

use regmatters::claims::{Context, Outcome, Tier, Verdict, find, run_one};

/// Runs the registered check `id` at `tier` with the default master seed.
pub fn run_at(id: &str, tier: Tier) -> Outcome {
    let claim = find(id).unwrap_or_else(|| panic!("no registered check {id}"));
    let mut ctx = Context::new(tier, regmatters::seed::DEFAULT_SEED);
    run_one(claim.as_ref(), &mut ctx)
}

/// Runs `id` at the quick tier and asserts the verdict, printing the whole outcome when it differs.
pub fn assert_verdict(id: &str, expected: Verdict) -> Outcome {
    assert_verdict_at(id, expected, Tier::Quick)
}

/// Runs `id` at `tier` and asserts the verdict, printing the whole outcome when it differs.
pub fn assert_verdict_at(id: &str, expected: Verdict, tier: Tier) -> Outcome {
    let o = run_at(id, tier);
    assert_eq!(
        o.verdict,
        expected,
        "{id}: expected {expected:?}, got {:?}\n{}",
        o.verdict,
        serde_json::to_string_pretty(&o).unwrap_or_default()
    );
    o
}

/// A claim must come out Supported.
pub fn assert_supported(id: &str) -> Outcome {
    assert_verdict(id, Verdict::Supported)
}

/// A falsification control must come out Refuted.
pub fn assert_refuted(id: &str) -> Outcome {
    assert_verdict(id, Verdict::Refuted)
}

//! Shared helpers for the integration tests: run one built-in check and assert its verdict.
#![allow(dead_code)]

use regmatters::claims::{Context, Outcome, Suite, Tier, Verdict};

/// Runs the built-in check `id` at `tier` with the default master seed.
pub fn run_at(id: &str, tier: Tier) -> Outcome {
    let suite = Suite::builtin().expect("built-in suite");
    suite.run_id(id, &mut Context::new(tier, regmatters::seed::DEFAULT_SEED)).expect("registered check")
}

/// Runs `id` at the quick tier and asserts the verdict, printing the whole outcome when it differs.
pub fn assert_verdict(id: &str, expected: Verdict) -> Outcome {
    let o = run_at(id, Tier::Quick);
    assert_eq!(
        o.verdict(),
        expected,
        "{id}: expected {expected:?}, got {:?}\n{}",
        o.verdict(),
        serde_json::to_string_pretty(&o).unwrap_or_default()
    );
    o
}

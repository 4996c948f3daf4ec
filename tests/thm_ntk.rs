//! `ntk.*`: the NTK needs Ω(d²) samples on XOR while the regularized net needs O(d); the kernel cannot focus.

mod common;
use common::{assert_refuted, assert_supported, assert_verdict_at};
use regmatters::claims::{Tier, Verdict};

#[test]
fn lower_bound_is_supported() {
    let o = assert_supported("ntk.lower_bound");
    for m in ["ridge_loo", "ridgeless", "svm", "oracle", "net"] {
        assert!(o.metrics.contains_key(&format!("{m}.slope")), "missing slope of {m}: {:?}", o.metrics.keys());
    }
}

#[test]
fn degree_one_label_is_refuted() {
    assert_refuted("ntk.lower_bound:degree-one-label");
}

#[test]
fn linear_samples_is_refuted() {
    assert_refuted("ntk.lower_bound:linear-samples");
}

#[test]
fn non_focus_is_supported() {
    assert_supported("ntk.non_focus");
}

#[test]
fn non_focus_degree_one_is_refuted() {
    let o = assert_refuted("ntk.non_focus:degree-one-label");
    let frac = o.metrics["captured_top_1_plus_d"].as_f64().unwrap_or(0.0);
    assert!(frac >= 0.9, "a degree-one label is captured by the top 1 + d eigenvectors: {frac}");
}

#[test]
#[ignore = "full tier (paper scale, minutes)"]
fn ntk_full_tier() {
    assert_verdict_at("ntk.lower_bound", Verdict::Supported, Tier::Full);
    assert_verdict_at("ntk.lower_bound:linear-samples", Verdict::Refuted, Tier::Full);
    assert_verdict_at("ntk.non_focus", Verdict::Supported, Tier::Full);
}

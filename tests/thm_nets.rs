//! Foundation claims: homogeneity of ReLU nets and the four-neuron XOR certificate, with their controls.

mod common;
use common::{assert_refuted, assert_supported, assert_verdict_at};
use regmatters::claims::{Tier, Verdict};

#[test]
fn homogeneity_is_supported() {
    assert_supported("nets.homogeneity");
}

#[test]
fn unscaled_bias_is_refuted() {
    assert_refuted("nets.homogeneity:unscaled-bias");
}

#[test]
fn wrong_degree_is_refuted() {
    assert_refuted("nets.homogeneity:wrong-degree");
}

#[test]
fn four_neuron_margin_is_supported() {
    let o = assert_supported("margin.four_neuron");
    assert!(o.metrics.contains_key("d256.gamma(d=256)"), "{:?}", o.metrics.keys());
}

#[test]
fn linear_separator_is_refuted() {
    assert_refuted("margin.four_neuron:linear-separator");
}

#[test]
#[ignore = "full tier"]
fn foundation_full_tier() {
    assert_verdict_at("nets.homogeneity", Verdict::Supported, Tier::Full);
    assert_verdict_at("margin.four_neuron", Verdict::Supported, Tier::Full);
    assert_verdict_at("margin.four_neuron:linear-separator", Verdict::Refuted, Tier::Full);
}

//! Theorem checks of the `margin` group (limit, approx, generalization): claims Supported, controls Refuted.

mod common;
use common::*;
use regmatters::claims::{Tier, Verdict};

#[test]
fn margin_limit_is_supported() {
    let o = assert_supported("margin.limit");
    eprintln!("{}: {} ({:.1} s)", o.id, o.summary, o.seconds);
}

#[test]
fn margin_limit_wrong_degree_is_refuted() {
    assert_refuted("margin.limit:wrong-degree");
}

#[test]
fn margin_limit_free_bias_is_refuted() {
    assert_refuted("margin.limit:free-bias");
}

#[test]
fn margin_approx_is_supported() {
    let o = assert_supported("margin.approx");
    eprintln!("{}: {} ({:.1} s)", o.id, o.summary, o.seconds);
}

#[test]
fn margin_approx_large_lambda_is_refuted() {
    assert_refuted("margin.approx:large-lambda");
}

#[test]
fn margin_generalization_is_supported() {
    let o = assert_supported("margin.generalization");
    eprintln!("{}: {} ({:.1} s)", o.id, o.summary, o.seconds);
}

#[test]
fn margin_generalization_raw_margin_is_refuted() {
    assert_refuted("margin.generalization:raw-margin");
}

#[test]
#[ignore = "full tier"]
fn margin_full_tier() {
    assert_verdict_at("margin.limit", Verdict::Supported, Tier::Full);
    assert_verdict_at("margin.limit:wrong-degree", Verdict::Refuted, Tier::Full);
    assert_verdict_at("margin.limit:free-bias", Verdict::Refuted, Tier::Full);
    assert_verdict_at("margin.approx", Verdict::Supported, Tier::Full);
    assert_verdict_at("margin.approx:large-lambda", Verdict::Refuted, Tier::Full);
    assert_verdict_at("margin.generalization", Verdict::Supported, Tier::Full);
    assert_verdict_at("margin.generalization:raw-margin", Verdict::Refuted, Tier::Full);
}

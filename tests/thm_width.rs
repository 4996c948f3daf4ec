//! Theorem checks of the `width` group (ℓ1-SVM equivalence, saturation): claims Supported, controls Refuted.

mod common;
use common::*;
use regmatters::claims::{Tier, Verdict};

#[test]
fn width_l1_svm_is_supported() {
    let o = assert_supported("width.l1_svm");
    eprintln!("{}: {} ({:.1} s)", o.id, o.summary, o.seconds);
}

#[test]
fn width_l1_svm_no_half_is_refuted() {
    assert_refuted("width.l1_svm:no-half");
}

#[test]
fn width_monotone_is_supported() {
    let o = assert_supported("width.monotone");
    eprintln!("{}: {} ({:.1} s)", o.id, o.summary, o.seconds);
}

#[test]
fn width_monotone_saturate_at_one_is_refuted() {
    assert_refuted("width.monotone:saturate-at-one");
}

#[test]
#[ignore = "full tier"]
fn width_full_tier() {
    assert_verdict_at("width.l1_svm", Verdict::Supported, Tier::Full);
    assert_verdict_at("width.l1_svm:no-half", Verdict::Refuted, Tier::Full);
    assert_verdict_at("width.monotone", Verdict::Supported, Tier::Full);
    assert_verdict_at("width.monotone:saturate-at-one", Verdict::Refuted, Tier::Full);
}

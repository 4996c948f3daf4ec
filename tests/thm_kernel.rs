//! Kernel claims (the ℓ2 SVM over ReLU features sees less): each claim Supported, each control Refuted, plus the
//! property test of Lemma 3.6 over arbitrary datasets.

mod common;
use common::{assert_refuted, assert_supported, assert_verdict_at};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;
use regmatters::Error;
use regmatters::claims::kernel::common::{SVM_TOL, l2_margin, margin_ceiling, sphere_gram};
use regmatters::claims::{Tier, Verdict};

#[test]
fn margin_tool_is_supported() {
    assert_supported("kernel.margin_tool");
}

#[test]
fn margin_tool_with_l1_margin_is_refuted() {
    assert_refuted("kernel.margin_tool:l1-margin");
}

#[test]
fn l2_margin_small_is_supported() {
    assert_supported("kernel.l2_margin_small");
}

#[test]
fn l1_margin_decaying_is_refuted() {
    assert_refuted("kernel.l2_margin_small:l1-decays");
}

#[test]
fn l2_bound_is_supported() {
    assert_supported("kernel.l2_bound");
}

#[test]
fn l2_bound_without_complexity_term_is_refuted() {
    assert_refuted("kernel.l2_bound:no-complexity-term");
}

#[test]
fn feature_mean_is_supported() {
    assert_supported("kernel.feature_mean");
}

#[test]
fn feature_mean_of_degree_one_label_is_refuted() {
    assert_refuted("kernel.feature_mean:degree-one-label");
}

#[test]
fn regression_gap_is_supported() {
    assert_supported("kernel.regression_gap");
}

#[test]
fn regression_identity_at_half_n_is_refuted() {
    assert_refuted("kernel.regression_gap:half-n");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Lemma 3.6 on arbitrary data: the certified lower end of γ_ℓ2 never exceeds √(yᵀK̃y)/n (beyond the solver's
    /// tolerance). Points may repeat (with consistent labels), be tiny or large; non-separable draws are skipped.
    #[test]
    fn margin_ceiling_holds_on_arbitrary_data(
        n in 1usize..14,
        d in 1usize..6,
        vals in proptest::collection::vec(-3.0f64..3.0, 14 * 6),
        signs in proptest::collection::vec(any::<bool>(), 14),
        scale_exp in -3i32..4,
        dup in any::<bool>(),
    ) {
        let scale = 10f64.powi(scale_exp);
        let base = DMatrix::from_fn(n, d, |i, j| vals[i * 6 + j] * scale);
        let (x, y) = if dup {
            (DMatrix::from_fn(2 * n, d, |i, j| base[(i % n, j)]),
             DVector::from_fn(2 * n, |i, _| if signs[i % n] { 1.0 } else { -1.0 }))
        } else {
            (base, DVector::from_fn(n, |i, _| if signs[i] { 1.0 } else { -1.0 }))
        };
        let k = sphere_gram(&x).unwrap();
        let ceiling = margin_ceiling(&k, &y).unwrap();
        match l2_margin(&k, &y) {
            Ok(s) => prop_assert!(s.margin_lower <= ceiling * (1.0 + 2.0 * SVM_TOL), "{} > {}", s.margin_lower, ceiling),
            Err(Error::NotSeparable(_)) | Err(Error::Numerical(_)) => {}
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }
}

#[test]
#[ignore = "full tier"]
fn kernel_full_tier() {
    for id in [
        "kernel.margin_tool",
        "kernel.l2_margin_small",
        "kernel.l2_bound",
        "kernel.feature_mean",
        "kernel.regression_gap",
    ] {
        assert_verdict_at(id, Verdict::Supported, Tier::Full);
    }
    for id in [
        "kernel.margin_tool:l1-margin",
        "kernel.l2_margin_small:l1-decays",
        "kernel.l2_bound:no-complexity-term",
        "kernel.feature_mean:degree-one-label",
        "kernel.regression_gap:half-n",
    ] {
        assert_verdict_at(id, Verdict::Refuted, Tier::Full);
    }
}

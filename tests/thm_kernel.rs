//! Lemma 3.6 (`kernel.margin_tool`) as a property over arbitrary datasets: the certified lower end of the kernel
//! SVM margin never exceeds √(yᵀK̃y)/n.

use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;
use regmatters::Error;
use regmatters::kernels::predict::{Svm, SvmOptions};
use regmatters::kernels::{Kind, gram, margin_ceiling};

/// Relative bracket gap asked of the SVM solver.
const SVM_TOL: f64 = 1e-9;

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
        let k = gram(Kind::ReluSphere, &x).unwrap();
        let ceiling = margin_ceiling(&k, &y).unwrap();
        match Svm::fit(&k, &y, SvmOptions { tol: SVM_TOL, ..SvmOptions::default() }) {
            Ok(s) => prop_assert!(s.margin_lower <= ceiling * (1.0 + 2.0 * SVM_TOL), "{} > {}", s.margin_lower, ceiling),
            Err(Error::NotSeparable(_)) | Err(Error::Numerical(_)) => {}
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }
}

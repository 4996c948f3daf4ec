//! Property tests of the certificates (proptest and quickcheck): LP primal ≤ dual bound, the dual bound dominates
//! every ℓ1-normalized ReLU combination, balanced conversion α ↔ Θ, the lifted optimum's dual bound never exceeds the
//! loss of a random network, and bad dictionaries are typed errors.

use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;
use quickcheck::{QuickCheck, TestResult};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use regmatters::Error;
use regmatters::convex::l1_logistic::{LogisticOptions, dual_bound, l1_logistic};
use regmatters::convex::l1_svm::{L1SvmOptions, l1_margin, l1_svm, normalize_dictionary, relu_features};
use regmatters::data::Dataset;
use regmatters::data::sphere;
use regmatters::nets::{Model, Objective, Reduction, TwoLayer};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(12)
}

/// n random points in [−1, 1]^(dim−1) with a bias coordinate, random labels (both signs present).
fn dataset(seed: u64, n: usize, dim: usize) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = DMatrix::from_fn(n, dim, |_, c| if c + 1 == dim { 1.0 } else { rng.random_range(-1.0..1.0) });
    let mut y = DVector::from_fn(n, |_, _| if rng.random::<bool>() { 1.0 } else { -1.0 });
    y[0] = 1.0;
    y[1] = -1.0;
    Dataset::binary(x, y).unwrap()
}

fn dictionary(dim: usize, k: usize, seed: u64) -> DMatrix<f64> {
    match dim {
        2 => sphere::circle(k).unwrap(),
        _ => sphere::uniform(dim, k, &mut ChaCha8Rng::seed_from_u64(seed)).unwrap(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn lp_primal_below_dual_bound_and_every_combination(seed in 0u64..10_000, n in 3usize..8, dim in 2usize..4) {
        let ds = dataset(seed, n, dim);
        let opts = L1SvmOptions { max_rounds: 5, ..Default::default() };
        match l1_svm(&ds, &dictionary(dim, 64, seed), &opts) {
            Err(Error::NotSeparable(_)) => {}
            Err(e) => prop_assert!(false, "unexpected error {e}"),
            Ok(sol) => {
                prop_assert!(sol.lower <= sol.upper * (1.0 + 1e-9), "primal {} > dual {}", sol.lower, sol.upper);
                // any ℓ1-normalized combination on any directions has margin ≤ the certified upper bound
                let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xABCD);
                for _ in 0..20 {
                    let k = rng.random_range(1..10);
                    let dirs = sphere::uniform(dim, k, &mut rng).unwrap();
                    let alpha = DVector::from_fn(k, |_, _| rng.random_range(-1.0..1.0));
                    let m = l1_margin(&ds, &dirs, &alpha).unwrap();
                    prop_assert!(m <= sol.upper + 1e-12, "combination margin {m} > upper {}", sol.upper);
                }
            }
        }
    }

    #[test]
    fn balanced_conversion_preserves_f_and_norm(seed in 0u64..10_000, k in 1usize..10, dim in 2usize..5) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let dirs = sphere::uniform(dim, k, &mut rng).unwrap();
        let alpha: Vec<f64> = (0..k).map(|_| rng.random_range(-2.0..2.0)).collect();
        let net = TwoLayer::from_lifted(&dirs, &alpha).unwrap();
        let x = DMatrix::from_fn(7, dim, |_, _| rng.random_range(-1.0..1.0));
        let f_lift = relu_features(&x, &dirs) * DVector::from_vec(alpha.clone());
        let f_net = net.eval(&x).unwrap();
        prop_assert!((f_lift - f_net).amax() < 1e-12);
        let l1: f64 = alpha.iter().map(|a| a.abs()).sum();
        prop_assert!((net.param_norm().powi(2) - 2.0 * l1).abs() < 1e-10 * (1.0 + l1));
        let (d2, a2) = net.to_lifted();
        let f_back = relu_features(&x, &d2) * a2;
        prop_assert!((f_back - net.eval(&x).unwrap()).amax() < 1e-12);
    }

    #[test]
    fn lifted_optimum_below_random_networks(seed in 0u64..10_000, m in 1usize..12) {
        let ds = dataset(seed, 5, 2);
        let lambda = 1e-2;
        let sol = l1_logistic(&ds, &sphere::circle(64).unwrap(), lambda, None, &LogisticOptions::default()).unwrap();
        prop_assert!(sol.dual <= sol.primal + 1e-15);
        let obj = Objective::new(lambda, 2.0, Reduction::Mean).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        for _ in 0..10 {
            let scale = 10f64.powf(rng.random_range(-2.0..1.0));
            let net = TwoLayer::gaussian(m, 2, scale, &mut rng).unwrap();
            let l = obj.value(&net, &ds).unwrap();
            prop_assert!(sol.dual <= l + 1e-15, "certified lower bound {} above a random net's loss {l}", sol.dual);
            // and the dual bound built from this net's own margins is below its loss (weak duality)
            let z: Vec<f64> = regmatters::nets::margin::margins(&net, &ds).unwrap().iter().copied().collect();
            let (d, _) = dual_bound(&ds, &z, lambda, &Default::default()).unwrap();
            prop_assert!(d <= l + 1e-15);
        }
    }
}

#[test]
fn bad_dictionaries_are_typed_errors() {
    fn prop(k: u8, bad: u8, nan: bool) -> TestResult {
        let k = (k % 10) as usize + 1;
        let bad = bad as usize % k;
        let mut d = sphere::circle(k).unwrap();
        d[(bad, 0)] = if nan { f64::NAN } else { 0.0 };
        if !nan {
            d[(bad, 1)] = 0.0;
        }
        match normalize_dictionary(&d, 2) {
            Err(Error::NonFinite { .. }) if nan => TestResult::passed(),
            Err(Error::InvalidParameter { .. }) if !nan => TestResult::passed(),
            other => TestResult::error(format!("{other:?}")),
        }
    }
    QuickCheck::new().tests(50).quickcheck(prop as fn(u8, u8, bool) -> TestResult);
}

#[test]
fn non_separable_data_asked_for_a_margin_is_an_error() {
    // the same point with both labels
    let x = DMatrix::from_row_slice(2, 2, &[0.3, 1.0, 0.3, 1.0]);
    let ds = Dataset::binary(x, DVector::from_vec(vec![1.0, -1.0])).unwrap();
    let r = l1_svm(&ds, &sphere::circle(32).unwrap(), &L1SvmOptions::default());
    assert!(matches!(r, Err(Error::NotSeparable(_))), "{r:?}");
}

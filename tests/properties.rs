//! Property tests of the networks (proptest and quickcheck): homogeneity, exact gradients, balanced rescaling,
//! loss stability at huge margins, and margin invariance under Θ → cΘ.

use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;
use quickcheck::{QuickCheck, TestResult};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use regmatters::data::{Dataset, MultiDataset};
use regmatters::nets::margin::normalized_margin;
use regmatters::nets::{Deep, Model, Objective, Reduction, TwoLayer, loss};

fn inputs(seed: u64, n: usize, d: usize) -> DMatrix<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    DMatrix::from_fn(n, d, |_, _| rand::Rng::random_range(&mut rng, -1.0..1.0))
}

fn two_layer(seed: u64, m: usize, d: usize) -> TwoLayer {
    TwoLayer::gaussian(m, d, 1.0, &mut ChaCha8Rng::seed_from_u64(seed)).unwrap()
}

fn deep(seed: u64, d: usize, depth: usize) -> Deep {
    let mut widths = vec![d];
    widths.extend(std::iter::repeat_n(6, depth - 1));
    widths.push(1);
    Deep::gaussian(&widths, &mut ChaCha8Rng::seed_from_u64(seed)).unwrap()
}

/// Labels of the sign of a fixed linear function, as a valid binary dataset.
fn labelled(x: DMatrix<f64>) -> Dataset {
    let y = DVector::from_fn(x.nrows(), |i, _| if x[(i, 0)] + 0.3 * x[(i, 1)] >= 0.0 { 1.0 } else { -1.0 });
    Dataset::binary(x, y).unwrap()
}

/// Central finite differences of `f` at `p`, skipping coordinates whose perturbation crosses a ReLU kink
/// (detected by a mismatch of one-sided differences).
fn check_gradient(f: impl Fn(&DVector<f64>) -> f64, p: &DVector<f64>, grad: &DVector<f64>) -> Result<(), String> {
    let h = 1e-6;
    let mut checked = 0;
    for k in 0..p.len() {
        let mut plus = p.clone();
        plus[k] += h;
        let mut minus = p.clone();
        minus[k] -= h;
        let (fp, f0, fm) = (f(&plus), f(p), f(&minus));
        let right = (fp - f0) / h;
        let left = (f0 - fm) / h;
        if (right - left).abs() > 1e-3 * (1.0 + right.abs()) {
            continue; // a kink lies within h: the derivative is one-sided there
        }
        let fd = (fp - fm) / (2.0 * h);
        let err = (fd - grad[k]).abs() / (1.0 + grad[k].abs());
        if err > 1e-6 {
            return Err(format!("coordinate {k}: analytic {} vs central difference {fd} (rel {err:.2e})", grad[k]));
        }
        checked += 1;
    }
    // The check must not pass by skipping: most coordinates are away from kinks.
    if 2 * checked < p.len() {
        Err(format!("only {checked} of {} coordinates away from kinks", p.len()))
    } else {
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn homogeneity_holds_for_random_nets(seed in 0u64..10_000, c in 0.05f64..20.0, depth in 2usize..5) {
        let x = inputs(seed ^ 1, 7, 4);
        let two = two_layer(seed, 5, 4);
        let f = two.forward(&x).unwrap();
        let fc = two.scaled(c).unwrap().forward(&x).unwrap();
        prop_assert!((fc - &f * c * c).amax() <= 1e-12 * (1.0 + f.amax() * c * c));
        let net = deep(seed, 4, depth);
        let g = net.forward(&x).unwrap();
        let gc = net.scaled(c).unwrap().forward(&x).unwrap();
        let ca = c.powi(depth as i32);
        prop_assert!((gc - &g * ca).amax() <= 1e-12 * (1.0 + g.amax() * ca));
    }

    #[test]
    fn objective_gradients_match_central_differences(seed in 0u64..10_000, lambda in 1e-4f64..1e-1, r in 1.0f64..3.0) {
        let data = labelled(inputs(seed ^ 2, 9, 3));
        let obj = Objective::new(lambda, r, Reduction::Mean).unwrap();
        let net = two_layer(seed, 4, 3);
        let (_, grad) = obj.value_grad(&net, &data).unwrap();
        let f = |p: &DVector<f64>| { let mut m = net.clone(); m.set_params(p.as_slice()).unwrap(); obj.value(&m, &data).unwrap() };
        prop_assert_eq!(check_gradient(f, &net.params(), &grad), Ok(()));
        let d3 = deep(seed, 3, 3);
        let (_, g3) = obj.value_grad(&d3, &data).unwrap();
        let f3 = |p: &DVector<f64>| { let mut m = d3.clone(); m.set_params(p.as_slice()).unwrap(); obj.value(&m, &data).unwrap() };
        prop_assert_eq!(check_gradient(f3, &d3.params(), &g3), Ok(()));
    }

    #[test]
    fn multiclass_gradients_match_central_differences(seed in 0u64..10_000) {
        let x = inputs(seed ^ 3, 9, 3);
        let labels = (0..9).map(|i| i % 3).collect();
        let data = MultiDataset::new(x, labels, 3).unwrap();
        let obj = Objective::new(1e-2, 2.0, Reduction::Sum).unwrap();
        let net = Deep::gaussian(&[3, 5, 3], &mut ChaCha8Rng::seed_from_u64(seed)).unwrap();
        let (_, grad) = obj.value_grad(&net, &data).unwrap();
        let f = |p: &DVector<f64>| { let mut m = net.clone(); m.set_params(p.as_slice()).unwrap(); obj.value(&m, &data).unwrap() };
        prop_assert_eq!(check_gradient(f, &net.params(), &grad), Ok(()));
    }

    #[test]
    fn balanced_rescaling_keeps_f_and_does_not_increase_the_norm(seed in 0u64..10_000) {
        let x = inputs(seed ^ 4, 8, 3);
        let net = two_layer(seed, 6, 3);
        let b = net.balanced();
        prop_assert!((net.eval(&x).unwrap() - b.eval(&x).unwrap()).amax() <= 1e-12 * (1.0 + net.eval(&x).unwrap().amax()));
        prop_assert!(b.param_norm() <= net.param_norm() * (1.0 + 1e-12));
        for j in 0..b.width() {
            prop_assert!((b.w[j].abs() - b.u.row(j).norm()).abs() <= 1e-12 * (1.0 + b.w[j].abs()));
        }
    }
}

#[test]
fn losses_stay_finite_at_huge_margins() {
    fn prop(scale: i16) -> TestResult {
        let z = 1e4 * (scale as f64 / i16::MAX as f64).clamp(-1.0, 1.0);
        let l = loss::logistic(z);
        let dl = loss::logistic_derivative(z);
        let (ce, g) = loss::cross_entropy(&[z, -z, 0.5 * z], 0);
        TestResult::from_bool(
            l.is_finite()
                && l >= 0.0
                && dl.is_finite()
                && ce.is_finite()
                && ce >= 0.0
                && g.iter().all(|v| v.is_finite()),
        )
    }
    QuickCheck::new().tests(500).quickcheck(prop as fn(i16) -> TestResult);
    // |f| = 1e4 exactly, through the objective: no NaN or infinity in value or gradient.
    let x = DMatrix::from_row_slice(2, 1, &[1.0, -1.0]);
    let data = Dataset::binary(x, DVector::from_row_slice(&[1.0, 1.0])).unwrap();
    let net =
        TwoLayer::new(DMatrix::from_row_slice(2, 1, &[100.0, -100.0]), DVector::from_row_slice(&[1.0, -1.0])).unwrap();
    let (v, g) = Objective::new(1e-3, 2.0, Reduction::Mean).unwrap().value_grad(&net, &data).unwrap();
    assert!(v.is_finite() && g.iter().all(|x| x.is_finite()), "value {v}, gradient {g}");
}

#[test]
fn margin_is_invariant_under_scaling() {
    fn prop(seed: u64, c: u8) -> TestResult {
        let c = 0.1 + c as f64 / 10.0;
        let x = inputs(seed, 6, 2);
        let net = two_layer(seed ^ 9, 8, 2);
        // Label the points by the net itself so it separates them. Skip near-zero outputs: a margin that is a tiny
        // difference of O(1) terms carries a relative rounding error far above 1e-12, which is not what is tested.
        let f = net.eval(&x).unwrap();
        if f.iter().any(|v| v.abs() < 1e-3 * f.amax()) {
            return TestResult::discard();
        }
        let data = Dataset::binary(x, f.map(f64::signum)).unwrap();
        let g1 = normalized_margin(&net, &data).unwrap();
        let g2 = normalized_margin(&net.scaled(c).unwrap(), &data).unwrap();
        let g3 = normalized_margin(&net.balanced(), &data).unwrap();
        TestResult::from_bool((g1 - g2).abs() <= 1e-12 * g1 && g3 >= g1 * (1.0 - 1e-12))
    }
    QuickCheck::new().tests(200).quickcheck(prop as fn(u64, u8) -> TestResult);
}

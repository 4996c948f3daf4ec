//! Accuracy of both eigensolver paths against an independent reference (faer's `self_adjoint_evd`, the previous
//! implementation, called directly): eigenvalues within 1e-12·‖K‖₂, residual ‖KV − VΛ‖_max/‖K‖_max ≤ 1e-13 and
//! orthogonality ‖VᵀV − I‖_max ≤ 1e-13, on NTK, random symmetric, graded, clustered, rank-deficient and tiny matrices,
//! plus a property test over sizes and bandwidths of the two-stage reduction.

use super::eigen::{EigOptions, Method, eig_in_place, eig_in_place_with, eigvals_in_place, sym_eigen, sym_eigenvalues};
use super::residual::eigen_residual;
use super::{as_faer, as_faer_mut, two_stage};
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd::{ComputeEigenvectors, self_adjoint_evd, self_adjoint_evd_scratch};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;

/// The reference: faer's one-call divide-and-conquer decomposition (values ascending).
fn reference(k: &DMatrix<f64>) -> DVector<f64> {
    let n = k.nrows();
    let p = faer::Par::Seq;
    let mut s = faer::diag::Diag::<f64>::zeros(n);
    let mut u = DMatrix::<f64>::zeros(n, n);
    let mut mem = MemBuffer::new(self_adjoint_evd_scratch::<f64>(n, ComputeEigenvectors::Yes, p, Default::default()));
    self_adjoint_evd(as_faer(k), s.as_mut(), Some(as_faer_mut(&mut u)), p, MemStack::new(&mut mem), Default::default())
        .unwrap();
    DVector::from_iterator(n, s.column_vector().iter().copied())
}

fn random_symmetric(n: usize, seed: u64) -> DMatrix<f64> {
    let mut rng = crate::seed::stream(seed, &["test/eigen"], n as u64);
    let a = DMatrix::from_fn(n, n, |_, _| rng.random_range(-1.0..1.0));
    (&a + a.transpose()) * 0.5
}

/// The two-layer ReLU NTK matrix of ±1 data (d = 40) by its closed form K_ij = (s + 2(π − θ) g)/(2π), g = x_i·x_j,
/// s = √(‖x_i‖²‖x_j‖² − g²), θ = atan2(s, g), K_ii = ‖x_i‖² (written out here: linalg sits below the kernels layer).
fn ntk(n: usize) -> DMatrix<f64> {
    let mut rng = crate::seed::stream(7, &["test/eigen/ntk"], n as u64);
    let x = DMatrix::<f64>::from_fn(n, 40, |_, _| if rng.random::<bool>() { 1.0 } else { -1.0 });
    let g = &x * x.transpose();
    DMatrix::from_fn(n, n, |i, j| {
        if i == j {
            return g[(i, i)];
        }
        let gij = g[(i, j)];
        let s = (g[(i, i)] * g[(j, j)] - gij * gij).max(0.0).sqrt();
        (s + 2.0 * (std::f64::consts::PI - s.atan2(gij)) * gij) / (2.0 * std::f64::consts::PI)
    })
}

/// A random orthogonal matrix (Q of a Householder QR of a random matrix).
fn orthogonal(n: usize, seed: u64) -> DMatrix<f64> {
    let mut rng = crate::seed::stream(seed, &["test/eigen/q"], n as u64);
    DMatrix::from_fn(n, n, |_, _| rng.random_range(-1.0..1.0)).qr().q()
}

fn with_spectrum(lam: &[f64], seed: u64) -> DMatrix<f64> {
    let q = orthogonal(lam.len(), seed);
    let k = &q * DMatrix::from_diagonal(&DVector::from_column_slice(lam)) * q.transpose();
    (&k + k.transpose()) * 0.5
}

/// Every path on `k`: two-stage and one-stage values, the vectors path, the borrowing wrappers.
fn check(name: &str, k: &DMatrix<f64>) {
    let want = reference(k);
    let norm = want.amax().max(f64::MIN_POSITIVE);
    let tol = 1e-12 * norm;
    for method in [Method::TwoStage, Method::OneStage, Method::Auto] {
        for threads in [1, 2] {
            let got = eigvals_in_place(k.clone(), EigOptions { method, threads }).unwrap();
            let err = (&got - &want).amax();
            assert!(err <= tol, "{name}: {method:?}/{threads} threads eigenvalues off by {err:.3e} (‖K‖ {norm:.3e})");
        }
    }
    let e = eig_in_place(k.clone(), EigOptions { method: Method::Auto, threads: 2 }).unwrap();
    assert!((&e.values - &want).amax() <= tol, "{name}: vectors path eigenvalues");
    let r = eigen_residual(k, &e).unwrap();
    assert!(r.residual <= 1e-13 && r.orthogonality <= 1e-13, "{name}: {r:?}");
    // both tridiagonal solvers of the vectors path, whatever n: faer's one call and the blocked top-level merge
    for split in [false, true] {
        for threads in [1, 2] {
            let e = eig_in_place_with(k.clone(), EigOptions { method: Method::Auto, threads }, split).unwrap();
            let err = (&e.values - &want).amax();
            assert!(err <= tol, "{name}: split {split}/{threads} threads eigenvalues off by {err:.3e}");
            let r = eigen_residual(k, &e).unwrap();
            assert!(r.residual <= 1e-13 && r.orthogonality <= 1e-13, "{name}: split {split}/{threads}: {r:?}");
        }
    }
    assert!((sym_eigenvalues(k).unwrap() - &want).amax() <= tol, "{name}: sym_eigenvalues");
    assert!((sym_eigen(k).unwrap().values - &want).amax() <= tol, "{name}: sym_eigen");
}

#[test]
fn ntk_matrices() {
    for n in [50, 300] {
        check(&format!("NTK n={n}"), &ntk(n));
    }
}

#[test]
fn random_symmetric_matrices() {
    for (n, seed) in [(97, 1), (260, 2), (301, 3)] {
        check(&format!("random n={n}"), &random_symmetric(n, seed));
    }
}

#[test]
fn graded_matrix() {
    // D A D with D = diag(10^(−6 i/n)): entries graded over 12 orders of magnitude
    let n = 280;
    let a = random_symmetric(n, 4);
    let d: Vec<f64> = (0..n).map(|i| 10f64.powf(-6.0 * i as f64 / n as f64)).collect();
    let k = DMatrix::from_fn(n, n, |i, j| d[i] * a[(i, j)] * d[j]);
    check("graded", &k);
}

#[test]
fn clustered_spectrum() {
    // eigenvalues ±1 with multiplicities 150 and 120, ten tiny splittings around 0.5
    let mut lam: Vec<f64> = (0..270).map(|i| if i < 150 { 1.0 } else { -1.0 }).collect();
    lam.extend((0..10).map(|i| 0.5 + 1e-13 * i as f64));
    check("clustered", &with_spectrum(&lam, 5));
}

#[test]
fn rank_deficient() {
    let n = 270;
    let mut rng = crate::seed::stream(6, &["test/eigen/lowrank"], 0);
    let x = DMatrix::from_fn(n, 5, |_, _| rng.random_range(-1.0..1.0));
    let k = &x * x.transpose();
    check("rank 5", &((&k + k.transpose()) * 0.5));
    check("zero", &DMatrix::zeros(40, 40));
}

#[test]
fn tiny_matrices() {
    check("1×1", &DMatrix::from_element(1, 1, -3.5));
    check("2×2", &DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 2.0]));
    check("2×2 diagonal", &DMatrix::from_row_slice(2, 2, &[1e-300, 0.0, 0.0, -1e300]));
    check("3×3", &DMatrix::from_row_slice(3, 3, &[2.0, 1.0, 0.0, 1.0, 2.0, 0.0, 0.0, 0.0, 5.0]));
    let v = eigvals_in_place(DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 2.0]), EigOptions::default()).unwrap();
    assert!((v[0] - 1.0).abs() < 1e-15 && (v[1] - 3.0).abs() < 1e-15);
}

#[test]
fn in_place_rejects_bad_input() {
    let mut k = DMatrix::<f64>::identity(3, 3);
    k[(2, 0)] = 1.0;
    assert!(eigvals_in_place(k.clone(), EigOptions::default()).is_err());
    assert!(eig_in_place(k, EigOptions::default()).is_err());
    assert!(eigvals_in_place(DMatrix::zeros(0, 0), EigOptions::default()).is_err());
    let mut k = DMatrix::<f64>::identity(3, 3);
    k[(1, 1)] = f64::INFINITY;
    assert!(eig_in_place(k, EigOptions::default()).is_err());
}

#[test]
fn pipelined_bulge_chasing_is_bitwise_sequential() {
    let k = random_symmetric(400, 8);
    let run = |par| {
        let mut a = k.clone();
        two_stage::eigenvalues_in_place(as_faer_mut(&mut a), 6, par).unwrap()
    };
    let seq = run(faer::Par::Seq);
    // faer's products may split their sums differently with threads: compare the band → tridiagonal stage alone
    let band = |threads| {
        let mut a = k.clone();
        super::band::dense_to_band(as_faer_mut(&mut a), 6, faer::Par::Seq);
        super::bulge::Band::from_lower(as_faer(&a), 6).into_tridiagonal(threads)
    };
    assert_eq!(band(1), band(2));
    assert_eq!(band(1), band(3));
    assert_eq!(seq.len(), 400);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Two-stage eigenvalues at any bandwidth match the reference on random symmetric matrices with random scale.
    #[test]
    fn two_stage_matches_reference(n in 1usize..70, kd in 1usize..12, seed in 0u64..1000, exp in -200i32..200) {
        let k = random_symmetric(n, seed) * 2f64.powi(exp);
        let want = reference(&k);
        let mut a = k.clone();
        let got = DVector::from_vec(two_stage::eigenvalues_in_place(as_faer_mut(&mut a), kd, faer::Par::Seq).unwrap());
        let norm = want.amax();
        prop_assert!((&got - &want).amax() <= 1e-12 * norm, "n={} kd={} err={:e}", n, kd, (&got - &want).amax());
    }
}

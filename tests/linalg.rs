//! Eigendecomposition residuals at n = 1000 and on an exactly degenerate spectrum (the blocked top-level merge),
//! Lanczos vs full decomposition, Cholesky, and typed errors on bad input.

use nalgebra::{DMatrix, DVector};
use rand_distr::{Distribution, StandardNormal};
use regmatters::Error;
use regmatters::kernels::{Kind, cross, gram};
use regmatters::linalg::eigen::{EigOptions, eig_in_place_with, sym_eigen, sym_eigenvalues};
use regmatters::linalg::lanczos::top_k;
use regmatters::linalg::residual::eigen_residual;
use regmatters::linalg::solve::cholesky_solve;
use regmatters::seed::stream;

fn ntk_matrix(n: usize, d: usize, label: &str) -> DMatrix<f64> {
    let mut rng = stream(20191208, &["tests/linalg", label], 0);
    let x = DMatrix::from_fn(n, d, |_, _| StandardNormal.sample(&mut rng));
    gram(Kind::Ntk, &x).unwrap()
}

#[test]
fn eigen_residual_and_orthogonality_at_n_1000() {
    let k = ntk_matrix(1000, 20, "eig1000");
    let e = sym_eigen(&k).unwrap();
    let r = eigen_residual(&k, &e).unwrap();
    eprintln!("n = 1000: residual {:.3e}, orthogonality {:.3e}", r.residual, r.orthogonality);
    assert!(r.residual <= 1e-12, "{r:?}");
    assert!(r.orthogonality <= 1e-12, "{r:?}");
    for w in e.values.as_slice().windows(2) {
        assert!(w[0] <= w[1], "values must be ascending");
    }
    let v = sym_eigenvalues(&k).unwrap();
    let scale = v.amax();
    assert!((v - &e.values).amax() <= 1e-12 * scale);
}

#[test]
fn consuming_decomposition_on_a_degenerate_spectrum() {
    // K = Q diag(λ) Qᵀ with λ ∈ {−1, 0, 2} of multiplicities 300, 200, 300 (heavy deflation in the top-level merge,
    // which runs from SPLIT_MIN_N on and is forced here at a smaller n) and ten eigenvalues 1 + 1e-12 i (a tight
    // cluster)
    let n = 810;
    let mut lam: Vec<f64> = (0..800)
        .map(|i| {
            if i < 300 {
                -1.0
            } else if i < 500 {
                0.0
            } else {
                2.0
            }
        })
        .collect();
    lam.extend((0..10).map(|i| 1.0 + 1e-12 * i as f64));
    let mut rng = stream(20191208, &["tests/linalg", "degenerate"], 0);
    let q = DMatrix::<f64>::from_fn(n, n, |_, _| StandardNormal.sample(&mut rng)).qr().q();
    let k = &q * DMatrix::from_diagonal(&DVector::from_vec(lam.clone())) * q.transpose();
    let k = (&k + k.transpose()) * 0.5;
    let e = eig_in_place_with(k.clone(), EigOptions::default(), true).unwrap();
    let r = eigen_residual(&k, &e).unwrap();
    eprintln!("degenerate n = {n}: residual {:.3e}, orthogonality {:.3e}", r.residual, r.orthogonality);
    assert!(r.residual <= 1e-13 && r.orthogonality <= 1e-13, "{r:?}");
    lam.sort_by(f64::total_cmp);
    let err = e.values.iter().zip(&lam).fold(0.0_f64, |a, (g, w)| a.max((g - w).abs()));
    assert!(err <= 1e-12 * 2.0, "eigenvalues off by {err:e}");
    let v = sym_eigenvalues(&k).unwrap();
    assert!((v - &e.values).amax() <= 1e-12 * 2.0);
}

#[test]
fn residual_check_detects_a_perturbed_decomposition() {
    // Control: the same residual measurement must flag a decomposition of a slightly different matrix.
    let k = ntk_matrix(300, 10, "control");
    let mut k2 = k.clone();
    k2[(3, 7)] += 1e-6 * k.amax();
    k2[(7, 3)] = k2[(3, 7)];
    let e = sym_eigen(&k2).unwrap();
    let r = eigen_residual(&k, &e).unwrap();
    assert!(r.residual > 1e-9, "{r:?}");
}

#[test]
fn lanczos_top_k_matches_full_decomposition() {
    let k = ntk_matrix(1000, 20, "lanczos");
    let full = sym_eigen(&k).unwrap().top(20);
    let top = top_k(&k, 20).unwrap();
    for (a, b) in top.values.iter().zip(full.values.iter()) {
        assert!((a - b).abs() <= 1e-9 * b.abs(), "{a} vs {b}");
    }
    let r = eigen_residual(&k, &top).unwrap();
    assert!(r.residual <= 1e-11 && r.orthogonality <= 1e-11, "{r:?}");
}

#[test]
fn cholesky_solve_matches() {
    let k = ntk_matrix(200, 5, "chol") + DMatrix::identity(200, 200) * 1e-3;
    let x0 = DVector::from_fn(200, |i, _| (i as f64 * 0.1).sin());
    let b = &k * &x0;
    let x = cholesky_solve(&k, &DMatrix::from_column_slice(200, 1, b.as_slice())).unwrap();
    let r = &k * DVector::from_column_slice(x.as_slice()) - &b;
    assert!(r.amax() <= 1e-10 * b.amax());
}

#[test]
fn bad_inputs_give_typed_errors() {
    assert!(matches!(sym_eigen(&DMatrix::zeros(3, 4)), Err(Error::ShapeMismatch { .. })));
    assert!(matches!(sym_eigen(&DMatrix::zeros(0, 0)), Err(Error::Empty(_))));
    let mut a = DMatrix::<f64>::identity(4, 4);
    a[(0, 3)] = 1.0;
    assert!(matches!(sym_eigenvalues(&a), Err(Error::InvalidParameter { .. })));
    a[(3, 0)] = 1.0;
    a[(1, 1)] = f64::INFINITY;
    assert!(matches!(sym_eigen(&a), Err(Error::NonFinite { .. })));
    let x = DMatrix::<f64>::zeros(5, 3);
    let z = DMatrix::<f64>::zeros(5, 4);
    assert!(matches!(cross(Kind::Ntk, &x, &z), Err(Error::ShapeMismatch { .. })));
    assert!(matches!(gram(Kind::Relu, &DMatrix::zeros(0, 3)), Err(Error::Empty(_))));
    let mut xn = DMatrix::<f64>::zeros(3, 2);
    xn[(1, 1)] = f64::NAN;
    assert!(matches!(gram(Kind::Step, &xn), Err(Error::NonFinite { .. })));
    assert!(matches!(top_k(&DMatrix::identity(5, 5), 9), Err(Error::InvalidParameter { .. })));
    assert!(matches!(cholesky_solve(&DMatrix::zeros(2, 2), &DMatrix::zeros(2, 1)), Err(Error::Numerical(_))));
}

#[test]
fn lanczos_top_64_on_clustered_pm1_spectrum() {
    // ±1 data: the NTK spectrum comes in near-degenerate clusters by Walsh degree (1, d, C(d, 2), …), the hard case
    // for a restarted Krylov method (duplicated "ghost" vectors). k = 64 cuts through the degree-2 cluster (d = 40,
    // the bench setting).
    let mut rng = stream(20191208, &["tests/linalg", "pm1-64"], 0);
    let x = DMatrix::from_fn(1200, 40, |_, _| if rand::Rng::random::<bool>(&mut rng) { 1.0 } else { -1.0 });
    let k = gram(Kind::Ntk, &x).unwrap();
    let full = sym_eigen(&k).unwrap().top(64);
    let top = top_k(&k, 64).unwrap();
    for (a, b) in top.values.iter().zip(full.values.iter()) {
        assert!((a - b).abs() <= 1e-9 * b.abs(), "{a} vs {b}");
    }
    let r = eigen_residual(&k, &top).unwrap();
    assert!(r.residual <= 1e-11 && r.orthogonality <= 1e-11, "{r:?}");
}

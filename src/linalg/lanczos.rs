//! Top-k eigenpairs of a symmetric matrix for k ≪ n by faer's restarted Krylov–Schur (thick-restart Lanczos)
//! iteration `partial_self_adjoint_eigen`, on the column-major memory of the `nalgebra` matrix.
//!
//! The iteration finds the k eigenvalues of largest magnitude — for a positive semi-definite kernel matrix these are
//! the k largest; [`top_k_which`] also gives the k largest or smallest of an indefinite matrix through a Gershgorin
//! shift, and reports which path ([`TopKPath`]) computed the result. Its operator reads only the lower triangle ([`super::symop`], half the memory traffic per product);
//! it is asked for k + max(8, k/4) pairs, and a final Rayleigh–Ritz step on their span (after dropping duplicated
//! directions, which restarted Krylov–Schur can produce) returns the k largest. It stops when every wanted Ritz pair has residual ‖Kv − λv‖ ≤ tol·‖K‖_F; the result is then checked
//! independently with [`super::residual::eigen_residual`] by the caller or the tests.

use super::eigen::Eigen;
use super::{as_faer, as_faer_mut, ensure_symmetric, par};
use crate::error::{Error, Result};
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::matrix_free::eigen::{PartialEigenParams, partial_self_adjoint_eigen, partial_self_adjoint_eigen_scratch};
use nalgebra::{DMatrix, DVector};

/// Default relative stopping tolerance of [`top_k`] (per Ritz pair, relative to ‖K‖_F).
pub const DEFAULT_TOL: f64 = 1e-12;

/// Krylov–Schur restarts before [`top_k`] gives up on the iteration and uses the dense decomposition (always exact,
/// O(n³)); faer's default of 1000 can spin for minutes on a window that cuts a tight cluster.
pub const MAX_RESTARTS: usize = 100;

/// Which k eigenpairs a top-k query returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// The k of largest magnitude |λ| (for a positive semi-definite matrix, the k largest).
    Magnitude,
    /// The k algebraically largest λ.
    Largest,
    /// The k algebraically smallest λ.
    Smallest,
}

/// How a top-k result was computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopKPath {
    /// Krylov–Schur iteration plus a Rayleigh–Ritz step (the problem was large enough for it and it converged).
    KrylovSchur,
    /// The dense decomposition, because n ≤ 4·max(k, 16) (the Krylov space would be the whole space).
    DenseSmall,
    /// The dense decomposition, because fewer than k Krylov–Schur pairs converged within [`MAX_RESTARTS`].
    DenseFallback,
    /// K = 0: every eigenvalue is 0, no decomposition was run.
    Zero,
}

impl TopKPath {
    /// A short description for reports.
    pub fn describe(self) -> &'static str {
        match self {
            TopKPath::KrylovSchur => "krylov-schur + rayleigh-ritz (faer)",
            TopKPath::DenseSmall => "dense decomposition (n ≤ 4·max(k, 16): krylov space would be the whole space)",
            TopKPath::DenseFallback => "dense decomposition (krylov-schur did not converge within the restart limit)",
            TopKPath::Zero => "zero matrix (no decomposition needed)",
        }
    }
}

/// The k eigenpairs of largest magnitude of a symmetric matrix (the k largest for a PSD matrix), values ascending.
/// Equivalent to `sym_eigen(k).top(kk)` up to the stopping tolerance [`DEFAULT_TOL`].
///
/// If fewer than k pairs converge within [`MAX_RESTARTS`] restarts, the result comes from the dense decomposition.
///
/// Errors: invalid matrix (as `sym_eigen`), k = 0 or k > n.
pub fn top_k(k: &DMatrix<f64>, kk: usize) -> Result<Eigen> {
    top_k_with_tol(k, kk, DEFAULT_TOL)
}

/// The k eigenpairs selected by `which`, values ascending, and the path that computed them.
///
/// - [`Which::Magnitude`]: the iteration on K itself.
/// - [`Which::Largest`]: K + σI with σ = max_i Σ_j |k_ij| (Gershgorin: every eigenvalue of K lies in [−σ, σ]) is
///   positive semi-definite, so its k eigenvalues of largest magnitude are its k largest, λ + σ; shifted back by −σ
///   (same eigenvectors).
/// - [`Which::Smallest`]: likewise σI − K, whose largest eigenvalues are σ − λ for the smallest λ of K.
///
/// The shifted variants cost one n × n copy. Errors: as [`top_k`].
pub fn top_k_which(k: &DMatrix<f64>, kk: usize, which: Which) -> Result<(Eigen, TopKPath)> {
    let sign = match which {
        Which::Magnitude => return top_k_path(k, kk, DEFAULT_TOL),
        Which::Largest => 1.0,
        Which::Smallest => -1.0,
    };
    ensure_symmetric("K", k)?;
    let sigma = k.row_iter().map(|r| r.iter().map(|v| v.abs()).sum::<f64>()).fold(0.0_f64, f64::max);
    // M = σI + sign·K is PSD; its eigenvalues are σ + sign·λ
    let mut shifted = if sign > 0.0 { k.clone() } else { -k };
    for i in 0..shifted.nrows() {
        shifted[(i, i)] += sigma;
    }
    let (mut e, path) = top_k_path(&shifted, kk, DEFAULT_TOL)?;
    for v in e.values.iter_mut() {
        *v = sign * (*v - sigma);
    }
    if sign < 0.0 {
        // λ = σ − μ reverses the order: restore ascending values (and the matching vectors)
        let n = e.values.len();
        e.values = DVector::from_iterator(n, e.values.iter().rev().copied());
        let v = &e.vectors;
        e.vectors = DMatrix::from_fn(v.nrows(), n, |r, c| v[(r, n - 1 - c)]);
    }
    Ok((e, path))
}

/// The k algebraically largest eigenpairs of a symmetric (possibly indefinite) matrix, values ascending
/// ([`top_k_which`] with [`Which::Largest`]). Errors: as [`top_k`].
pub fn top_k_largest(k: &DMatrix<f64>, kk: usize) -> Result<Eigen> {
    top_k_which(k, kk, Which::Largest).map(|(e, _)| e)
}

/// [`top_k`] with an explicit relative tolerance (residual of each pair ≤ tol·‖K‖_F).
pub fn top_k_with_tol(k: &DMatrix<f64>, kk: usize, tol: f64) -> Result<Eigen> {
    top_k_path(k, kk, tol).map(|(e, _)| e)
}

/// [`top_k_with_tol`], also returning which path computed the result.
pub fn top_k_path(k: &DMatrix<f64>, kk: usize, tol: f64) -> Result<(Eigen, TopKPath)> {
    let n = ensure_symmetric("K", k)?;
    if kk == 0 || kk > n {
        return Err(Error::param("k", kk, &format!("must be in 1..={n}")));
    }
    if !(tol.is_finite() && tol > 0.0) {
        return Err(Error::param("tol", tol, "must be finite and > 0"));
    }
    let fro = k.norm();
    if fro == 0.0 {
        return Ok((Eigen { values: DVector::zeros(kk), vectors: DMatrix::identity(n, kk) }, TopKPath::Zero));
    }
    // Small problems: the Krylov space would be the whole space; the dense solver is exact and cheap.
    if n <= 4 * kk.max(16) {
        return Ok((largest_magnitude(&super::eigen::sym_eigen(k)?, kk), TopKPath::DenseSmall));
    }
    // the operator reads only the lower triangle: half the memory traffic of a dense product per iteration
    let a = super::symop::SymLower::new(k.as_slice(), n)
        .ok_or_else(|| Error::Numerical("top-k eigensolver: matrix storage is not n × n".into()))?;
    let p = par();
    let params = PartialEigenParams { max_restarts: MAX_RESTARTS, ..PartialEigenParams::default() };
    // deterministic, generic start vector (splitmix64 → [−1, 1))
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let v0 = faer::Col::<f64>::from_fn(n, |_| {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    });
    // Ask for a few more pairs than wanted: a restarted Krylov–Schur iteration can lock a "ghost" copy of a converged
    // vector near the edge of its window (seen at n = 8192, k = 64: two locked vectors v and −v); the cleanup below
    // drops such copies and the extra pairs keep the wanted window intact.
    let m = (kk + (kk / 4).max(8)).min(n);
    let mut vecs = faer::Mat::<f64>::zeros(n, m);
    let mut vals = vec![0.0; m];
    let mut mem = MemBuffer::new(partial_self_adjoint_eigen_scratch::<f64>(&a, m, p, params));
    let info = partial_self_adjoint_eigen(
        vecs.as_mut(),
        &mut vals,
        &a,
        v0.as_ref(),
        tol * fro,
        p,
        MemStack::new(&mut mem),
        params,
    );
    if info.n_converged_eigen < kk {
        // A wanted window that cuts through a tight eigenvalue cluster (e.g. inside the C(d, 2)-fold degree-two block
        // of a hypercube kernel) converges very slowly; after MAX_RESTARTS the dense solver answers instead.
        return Ok((largest_magnitude(&super::eigen::sym_eigen(k)?, kk), TopKPath::DenseFallback));
    }
    let v = DMatrix::from_fn(n, m, |r, c| vecs[(r, c)]);
    Ok((rayleigh_ritz(k, &v, kk)?, TopKPath::KrylovSchur))
}

/// Rayleigh–Ritz on span(V): an orthonormal basis Q of the span (directions of V's Gram matrix with eigenvalue
/// below 1/2 — duplicated or lost vectors — are dropped), T = Qᵀ K Q, and the kk eigenpairs (θ, Q w) of T of largest |θ|,
/// values ascending.
fn rayleigh_ritz(k: &DMatrix<f64>, v: &DMatrix<f64>, kk: usize) -> Result<Eigen> {
    let n = k.nrows();
    let p = par();
    let gram = gemm_tn(v, v, p);
    let ge = super::eigen::sym_eigen(&symmetrized(gram))?;
    let keep: Vec<usize> = (0..ge.values.len()).filter(|&i| ge.values[i] > 0.5).collect();
    if keep.len() < kk {
        return Err(Error::Numerical(format!(
            "top-k eigensolver: the Krylov vectors span only {} independent directions, {kk} wanted",
            keep.len()
        )));
    }
    let r = keep.len();
    let scale = DMatrix::from_fn(v.ncols(), r, |i, c| ge.vectors[(i, keep[c])] / ge.values[keep[c]].sqrt());
    let q = gemm_nn(v, &scale, p);
    let kq = gemm_nn(k, &q, p);
    let t = symmetrized(gemm_tn(&q, &kq, p));
    let te = largest_magnitude(&super::eigen::sym_eigen(&t)?, kk);
    let vectors = gemm_nn(&q, &te.vectors, p);
    debug_assert_eq!(vectors.nrows(), n);
    Ok(Eigen { values: te.values, vectors })
}

/// The kk pairs of `e` of largest magnitude |λ| (the largest λ for a PSD matrix), values ascending.
fn largest_magnitude(e: &Eigen, kk: usize) -> Eigen {
    let mut idx: Vec<usize> = (0..e.values.len()).collect();
    idx.sort_by(|&a, &b| e.values[b].abs().total_cmp(&e.values[a].abs()));
    idx.truncate(kk);
    idx.sort_by(|&a, &b| e.values[a].total_cmp(&e.values[b]));
    Eigen {
        values: DVector::from_iterator(idx.len(), idx.iter().map(|&i| e.values[i])),
        vectors: DMatrix::from_fn(e.vectors.nrows(), idx.len(), |r, c| e.vectors[(r, idx[c])]),
    }
}

fn symmetrized(mut a: DMatrix<f64>) -> DMatrix<f64> {
    let n = a.nrows();
    for j in 0..n {
        for i in (j + 1)..n {
            let m = 0.5 * (a[(i, j)] + a[(j, i)]);
            a[(i, j)] = m;
            a[(j, i)] = m;
        }
    }
    a
}

/// AᵀB by faer's parallel GEMM.
fn gemm_tn(a: &DMatrix<f64>, b: &DMatrix<f64>, p: faer::Par) -> DMatrix<f64> {
    let mut out = DMatrix::<f64>::zeros(a.ncols(), b.ncols());
    faer::linalg::matmul::matmul(
        as_faer_mut(&mut out),
        faer::Accum::Replace,
        as_faer(a).transpose(),
        as_faer(b),
        1.0,
        p,
    );
    out
}

/// AB by faer's parallel GEMM.
fn gemm_nn(a: &DMatrix<f64>, b: &DMatrix<f64>, p: faer::Par) -> DMatrix<f64> {
    let mut out = DMatrix::<f64>::zeros(a.nrows(), b.ncols());
    faer::linalg::matmul::matmul(as_faer_mut(&mut out), faer::Accum::Replace, as_faer(a), as_faer(b), 1.0, p);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::eigen::sym_eigen;
    use crate::linalg::residual::eigen_residual;

    #[test]
    fn matches_dense_on_a_psd_matrix() {
        let n = 300;
        let x = DMatrix::from_fn(n, 8, |i, j| (((i * 37 + j * 11) % 17) as f64 - 8.0) / 4.0 + 0.01 * (i as f64).cos());
        // A Gaussian-kernel Gram matrix: PSD, full rank, spread-out spectrum.
        let k = DMatrix::from_fn(n, n, |i, j| (-(x.row(i) - x.row(j)).norm_squared() / 8.0).exp());
        let full = sym_eigen(&k).unwrap().top(10);
        let top = top_k(&k, 10).unwrap();
        for (a, b) in top.values.iter().zip(full.values.iter()) {
            assert!((a - b).abs() <= 1e-9 * b.abs(), "{a} vs {b}");
        }
        let r = eigen_residual(&k, &top).unwrap();
        assert!(r.residual < 1e-10 && r.orthogonality < 1e-10, "{r:?}");
    }

    #[test]
    fn largest_of_an_indefinite_matrix() {
        // spectrum −10 … −1 (large magnitude, negative) and 0.1 … 2.0 (small, positive): the largest are positive
        let n = 200;
        let lam: Vec<f64> =
            (0..n).map(|i| if i < 100 { -10.0 + 0.09 * i as f64 } else { 0.01 * (i - 99) as f64 }).collect();
        let q =
            DMatrix::from_fn(n, n, |i, j| ((i * 31 + j * 17) % 23) as f64 - 11.0 + 0.1 * ((i + 2 * j) as f64).sin())
                .qr()
                .q();
        let k = &q * DMatrix::from_diagonal(&DVector::from_vec(lam.clone())) * q.transpose();
        let k = (&k + k.transpose()) * 0.5;
        let top = top_k_largest(&k, 5).unwrap();
        for (a, b) in top.values.iter().zip(&lam[n - 5..]) {
            assert!((a - b).abs() <= 1e-9, "{a} vs {b}");
        }
        let r = eigen_residual(&k, &top).unwrap();
        assert!(r.residual < 1e-9 && r.orthogonality < 1e-9, "{r:?}");
        let mag = top_k(&k, 5).unwrap();
        assert!(mag.values.iter().all(|&v| v < -9.0));
    }

    /// Q D Q with Q = I − 2vvᵀ (a Householder reflection, exactly orthogonal up to rounding) and
    /// D = diag(−40, 30·1/299, …, 30): indefinite, the eigenvalue of largest magnitude is −40.
    fn indefinite_minus_40() -> (DMatrix<f64>, Vec<f64>) {
        let n = 300;
        let lam: Vec<f64> = (0..n).map(|i| if i == 0 { -40.0 } else { 30.0 * i as f64 / (n - 1) as f64 }).collect();
        let v = DVector::from_fn(n, |i, _| ((i * 37 % 101) as f64 - 50.0 + 0.3 * (i as f64).sin()) / 50.0).normalize();
        let q = DMatrix::<f64>::identity(n, n) - 2.0 * &v * v.transpose();
        let k = &q * DMatrix::from_diagonal(&DVector::from_vec(lam.clone())) * &q;
        ((&k + k.transpose()) * 0.5, lam)
    }

    #[test]
    fn magnitude_keeps_a_large_negative_eigenvalue_on_every_path() {
        let (k, lam) = indefinite_minus_40();
        let mut by_abs = lam.clone();
        by_abs.sort_by(|a, b| b.abs().total_cmp(&a.abs()));
        // kk = 5: Krylov–Schur; kk = 100: n ≤ 4·kk, the dense path
        for (kk, want_path) in [(5, TopKPath::KrylovSchur), (100, TopKPath::DenseSmall)] {
            let (e, path) = top_k_which(&k, kk, Which::Magnitude).unwrap();
            assert_eq!(path, want_path, "kk = {kk}");
            let mut want: Vec<f64> = by_abs[..kk].to_vec();
            want.sort_by(f64::total_cmp);
            assert!((e.values[0] + 40.0).abs() <= 1e-10, "kk = {kk}: {}", e.values[0]);
            for (a, b) in e.values.iter().zip(&want) {
                assert!((a - b).abs() <= 1e-9, "kk = {kk}: {a} vs {b}");
            }
            let r = eigen_residual(&k, &e).unwrap();
            assert!(r.residual < 1e-10 && r.orthogonality < 1e-10, "{r:?}");
        }
        // largest: 30 and its neighbours, no −40; smallest: −40 first, then the small positive ones
        let (e, _) = top_k_which(&k, 5, Which::Largest).unwrap();
        for (a, b) in e.values.iter().zip(&lam[295..]) {
            assert!((a - b).abs() <= 1e-9, "{a} vs {b}");
        }
        let (e, _) = top_k_which(&k, 5, Which::Smallest).unwrap();
        for (a, b) in e.values.iter().zip(&lam[..5]) {
            assert!((a - b).abs() <= 1e-9, "{a} vs {b}");
        }
        let r = eigen_residual(&k, &e).unwrap();
        assert!(r.residual < 1e-9 && r.orthogonality < 1e-9, "{r:?}");
    }

    #[test]
    fn bad_k() {
        let k = DMatrix::<f64>::identity(5, 5);
        assert!(matches!(top_k(&k, 0), Err(Error::InvalidParameter { .. })));
        assert!(matches!(top_k(&k, 6), Err(Error::InvalidParameter { .. })));
    }
}

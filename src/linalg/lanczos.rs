//! Top-k eigenpairs of a symmetric matrix for k ≪ n by faer's restarted Krylov–Schur (thick-restart Lanczos)
//! iteration `partial_self_adjoint_eigen`, on the column-major memory of the `nalgebra` matrix.
//!
//! The iteration finds the k eigenvalues of largest magnitude — for a positive semi-definite kernel matrix these are
//! the k largest. It stops when every wanted Ritz pair has residual ‖Kv − λv‖ ≤ tol·‖K‖_F; the result is then checked
//! independently with [`super::residual::eigen_residual`] by the caller or the tests.

use super::eigen::Eigen;
use super::{as_faer, ensure_symmetric, par};
use crate::error::{Error, Result};
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::matrix_free::eigen::{PartialEigenParams, partial_self_adjoint_eigen, partial_self_adjoint_eigen_scratch};
use nalgebra::{DMatrix, DVector};

/// Default relative stopping tolerance of [`top_k`] (per Ritz pair, relative to ‖K‖_F).
pub const DEFAULT_TOL: f64 = 1e-12;

/// The k eigenpairs of largest magnitude of a symmetric matrix (the k largest for a PSD matrix), values ascending.
/// Equivalent to `sym_eigen(k).top(kk)` up to the stopping tolerance [`DEFAULT_TOL`].
///
/// Errors: invalid matrix (as `sym_eigen`), k = 0 or k > n, or fewer than k pairs converged ([`Error::Numerical`]).
pub fn top_k(k: &DMatrix<f64>, kk: usize) -> Result<Eigen> {
    top_k_with_tol(k, kk, DEFAULT_TOL)
}

/// [`top_k`] with an explicit relative tolerance (residual of each pair ≤ tol·‖K‖_F).
pub fn top_k_with_tol(k: &DMatrix<f64>, kk: usize, tol: f64) -> Result<Eigen> {
    let n = ensure_symmetric("K", k)?;
    if kk == 0 || kk > n {
        return Err(Error::param("k", kk, &format!("must be in 1..={n}")));
    }
    if !(tol.is_finite() && tol > 0.0) {
        return Err(Error::param("tol", tol, "must be finite and > 0"));
    }
    let fro = k.norm();
    if fro == 0.0 {
        return Ok(Eigen { values: DVector::zeros(kk), vectors: DMatrix::identity(n, kk) });
    }
    // Small problems: the Krylov space would be the whole space; the dense solver is exact and cheap.
    if n <= 4 * kk.max(16) {
        return Ok(super::eigen::sym_eigen(k)?.top(kk));
    }
    let a = as_faer(k);
    let p = par();
    let params = PartialEigenParams::default();
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
    let mut vecs = faer::Mat::<f64>::zeros(n, kk);
    let mut vals = vec![0.0; kk];
    let mut mem = MemBuffer::new(partial_self_adjoint_eigen_scratch::<f64>(&a, kk, p, params));
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
        return Err(Error::Numerical(format!(
            "top_k: only {} of {kk} eigenpairs converged to {tol:e}·‖K‖_F",
            info.n_converged_eigen
        )));
    }
    let mut order: Vec<usize> = (0..kk).collect();
    order.sort_by(|&i, &j| vals[i].total_cmp(&vals[j]));
    let values = DVector::from_iterator(kk, order.iter().map(|&i| vals[i]));
    let vectors = DMatrix::from_fn(n, kk, |r, c| vecs[(r, order[c])]);
    Ok(Eigen { values, vectors })
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
        let k = crate::kernels::gram(crate::kernels::Kind::Ntk, &x).unwrap();
        let full = sym_eigen(&k).unwrap().top(10);
        let top = top_k(&k, 10).unwrap();
        for (a, b) in top.values.iter().zip(full.values.iter()) {
            assert!((a - b).abs() <= 1e-9 * b.abs(), "{a} vs {b}");
        }
        let r = eigen_residual(&k, &top).unwrap();
        assert!(r.residual < 1e-10 && r.orthogonality < 1e-10, "{r:?}");
    }

    #[test]
    fn bad_k() {
        let k = DMatrix::<f64>::identity(5, 5);
        assert!(matches!(top_k(&k, 0), Err(Error::InvalidParameter { .. })));
        assert!(matches!(top_k(&k, 6), Err(Error::InvalidParameter { .. })));
    }
}

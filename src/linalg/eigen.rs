//! Symmetric eigendecomposition K = V Λ Vᵀ on `nalgebra` containers, computed by faer's divide-and-conquer
//! `self_adjoint_evd` (Householder tridiagonalization + tridiagonal divide and conquer) on the same column-major memory.
//!
//! Backend choice (README, Performance): faer is within a small factor of LAPACK `dsyevd` on 2 threads and ~10× faster
//! than `nalgebra::SymmetricEigen`. Only the lower triangle of K is read; K is checked to be symmetric first.

use super::{as_faer, as_faer_mut, ensure_symmetric, par};
use crate::error::{Error, Result};
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd::{ComputeEigenvectors, self_adjoint_evd, self_adjoint_evd_scratch};
use nalgebra::{DMatrix, DVector};

/// Eigenpairs of a symmetric matrix: `values` ascending, column j of `vectors` the unit eigenvector of `values[j]`.
#[derive(Clone, Debug)]
pub struct Eigen {
    /// Eigenvalues λ_1 ≤ … ≤ λ_k.
    pub values: DVector<f64>,
    /// Orthonormal eigenvectors as columns (n × k).
    pub vectors: DMatrix<f64>,
}

fn run(k: &DMatrix<f64>, vectors: bool) -> Result<(DVector<f64>, Option<DMatrix<f64>>)> {
    let n = ensure_symmetric("K", k)?;
    let p = par();
    let compute = if vectors { ComputeEigenvectors::Yes } else { ComputeEigenvectors::No };
    let mut s = faer::diag::Diag::<f64>::zeros(n);
    let mut u = if vectors { Some(DMatrix::<f64>::zeros(n, n)) } else { None };
    let mut mem = MemBuffer::new(self_adjoint_evd_scratch::<f64>(n, compute, p, Default::default()));
    self_adjoint_evd(
        as_faer(k),
        s.as_mut(),
        u.as_mut().map(as_faer_mut),
        p,
        MemStack::new(&mut mem),
        Default::default(),
    )
    .map_err(|e| Error::Numerical(format!("symmetric eigendecomposition did not converge: {e:?}")))?;
    let values = DVector::from_iterator(n, s.column_vector().iter().copied());
    if values.iter().any(|v| !v.is_finite()) {
        return Err(Error::Numerical("symmetric eigendecomposition produced non-finite values".into()));
    }
    Ok((values, u))
}

/// Full eigendecomposition of a symmetric matrix (values ascending, orthonormal eigenvectors).
///
/// Errors: empty, non-square, non-finite or non-symmetric K (1e-10 relative), or a failed decomposition.
pub fn sym_eigen(k: &DMatrix<f64>) -> Result<Eigen> {
    let (values, vectors) = run(k, true)?;
    let vectors = vectors.ok_or_else(|| Error::Numerical("eigenvectors missing".into()))?;
    Ok(Eigen { values, vectors })
}

/// Eigenvalues only of a symmetric matrix, ascending (same validation as [`sym_eigen`]).
pub fn sym_eigenvalues(k: &DMatrix<f64>) -> Result<DVector<f64>> {
    Ok(run(k, false)?.0)
}

impl Eigen {
    /// The `k` largest eigenpairs, ascending (the last `k` columns).
    pub fn top(&self, k: usize) -> Eigen {
        let n = self.values.len();
        let k = k.min(n);
        Eigen { values: self.values.rows(n - k, k).into_owned(), vectors: self.vectors.columns(n - k, k).into_owned() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::residual::eigen_residual;

    #[test]
    fn small_known_spectrum() {
        let k = DMatrix::from_row_slice(3, 3, &[2.0, 1.0, 0.0, 1.0, 2.0, 0.0, 0.0, 0.0, 5.0]);
        let e = sym_eigen(&k).unwrap();
        let want = [1.0, 3.0, 5.0];
        for (v, w) in e.values.iter().zip(want) {
            assert!((v - w).abs() < 1e-14);
        }
        let r = eigen_residual(&k, &e).unwrap();
        assert!(r.residual < 1e-14 && r.orthogonality < 1e-14);
        let v = sym_eigenvalues(&k).unwrap();
        assert!((v - &e.values).amax() < 1e-14);
        let t = e.top(2);
        assert_eq!(t.values.len(), 2);
        assert!((t.values[1] - 5.0).abs() < 1e-14);
    }

    #[test]
    fn bad_inputs() {
        assert!(matches!(sym_eigen(&DMatrix::zeros(0, 0)), Err(Error::Empty(_))));
        assert!(matches!(sym_eigen(&DMatrix::zeros(2, 3)), Err(Error::ShapeMismatch { .. })));
        let mut k = DMatrix::<f64>::identity(3, 3);
        k[(0, 1)] = 0.5;
        assert!(matches!(sym_eigen(&k), Err(Error::InvalidParameter { .. })));
        k[(1, 0)] = 0.5;
        k[(2, 2)] = f64::NAN;
        assert!(matches!(sym_eigenvalues(&k), Err(Error::NonFinite { .. })));
    }
}

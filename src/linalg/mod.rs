//! Dense linear algebra behind the kernel engine.
//!
//! The public API takes and returns `nalgebra` containers (column-major `DMatrix<f64>`) and no `faer` type; the heavy
//! work (GEMM, symmetric eigendecomposition, Cholesky, Krylov top-k) runs through `faer` on the *same* column-major
//! memory (crate-internal views [`as_faer`], [`as_faer_mut`]). The eigensolver takes its thread count explicitly
//! ([`eigen::EigOptions`]); the other routines use the current rayon pool ([`par`]).
//!
//! | file | role |
//! |---|---|
//! | [`buffer`] | large zeroed output buffers on transparent huge pages |
//! | [`gram`] | blocked, parallel kernel-matrix assembly: `X Xᵀ` by tiled GEMM fused with the elementwise map, one triangle |
//! | [`eigen`] | symmetric eigendecomposition (values only; values + vectors), borrowing or consuming K; algorithm choice per n |
//! | [`band`] | stage one of the two-stage eigensolver: dense → band by blocked Householder panels (BLAS-3) |
//! | [`bulge`] | stage two: band → tridiagonal by bulge chasing |
//! | [`two_stage`] | eigenvalues by the two stages and implicit QR on the tridiagonal matrix |
//! | [`merge`] | eigenvectors of a tridiagonal matrix with the top-level divide-and-conquer merge in column blocks (less memory) |
//! | [`lanczos`] | top-k eigenpairs by a restarted Krylov–Schur (Lanczos) iteration |
//! | [`solve`] | Cholesky solves |
//! | [`symop`] | symmetric matrix–vector product from the lower triangle (operator of the Krylov solver) |
//! | [`residual`] | backward-error checks ‖KV − VΛ‖_max/‖K‖_max and ‖VᵀV − I‖_max |

pub(crate) mod band;
pub mod buffer;
pub(crate) mod bulge;
pub mod eigen;
pub mod gram;
pub mod lanczos;
pub(crate) mod merge;
pub mod residual;
pub mod solve;
pub(crate) mod symop;
pub(crate) mod two_stage;

#[cfg(test)]
mod eigen_tests;

use crate::error::{Error, Result, ensure_finite_matrix};
use nalgebra::DMatrix;

/// The parallelism handed to `faer`: rayon with as many threads as the current rayon pool
/// (`RAYON_NUM_THREADS` or a `ThreadPool::install` scope decide).
pub(crate) fn par() -> faer::Par {
    let threads = rayon::current_num_threads().max(1);
    if threads == 1 { faer::Par::Seq } else { faer::Par::rayon(threads) }
}

/// A zero-copy `faer` view of a column-major `nalgebra` matrix.
pub(crate) fn as_faer(m: &DMatrix<f64>) -> faer::MatRef<'_, f64> {
    faer::MatRef::from_column_major_slice(m.as_slice(), m.nrows(), m.ncols())
}

/// A zero-copy mutable `faer` view of a column-major `nalgebra` matrix.
pub(crate) fn as_faer_mut(m: &mut DMatrix<f64>) -> faer::MatMut<'_, f64> {
    let (r, c) = m.shape();
    faer::MatMut::from_column_major_slice_mut(m.as_mut_slice(), r, c)
}

/// Largest absolute entry ‖A‖_max = max_ij |a_ij| (0 for an empty matrix).
pub fn max_abs(m: &DMatrix<f64>) -> f64 {
    m.iter().fold(0.0_f64, |acc, v| acc.max(v.abs()))
}

/// Validates a matrix that must be square, non-empty and finite; `what` names it in the error.
pub fn ensure_square(what: &str, m: &DMatrix<f64>) -> Result<usize> {
    let (r, c) = m.shape();
    if r == 0 || c == 0 {
        return Err(Error::Empty(format!("{what} is {r}×{c}")));
    }
    if r != c {
        return Err(Error::shape(what, "a square matrix", format!("{r}×{c}")));
    }
    ensure_finite_matrix(what, m.as_slice(), r)?;
    Ok(r)
}

/// Validates a square finite matrix and checks symmetry: max_ij |a_ij − a_ji| ≤ `SYMMETRY_TOL`·‖A‖_max.
pub fn ensure_symmetric(what: &str, m: &DMatrix<f64>) -> Result<usize> {
    let n = ensure_square(what, m)?;
    let scale = max_abs(m);
    let mut worst = 0.0_f64;
    for j in 0..n {
        for i in (j + 1)..n {
            worst = worst.max((m[(i, j)] - m[(j, i)]).abs());
        }
    }
    if worst > SYMMETRY_TOL * scale {
        return Err(Error::param(
            what,
            format!("asymmetry max|a_ij − a_ji| = {worst:.3e} (‖A‖_max = {scale:.3e})"),
            "matrix must be symmetric to 1e-10 relative",
        ));
    }
    Ok(n)
}

/// Relative tolerance of [`ensure_symmetric`]: far above the rounding of any symmetric assembly, far below a real
/// asymmetry.
pub const SYMMETRY_TOL: f64 = 1e-10;

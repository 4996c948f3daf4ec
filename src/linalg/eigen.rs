//! Symmetric eigendecomposition K = V Λ Vᵀ on `nalgebra` containers.
//!
//! Two algorithms, chosen per n by measurement (docs/PERFORMANCE.md, "Eigendecomposition"):
//!
//! - **one-stage** (faer): Householder tridiagonalization Qᵀ K Q = T (half of its flops in memory-bound symmetric
//!   matrix–vector products), divide and conquer on T, back-transformation V = Q V_T by blocked Householder products;
//! - **two-stage** ([`super::two_stage`], eigenvalues only): dense → band by BLAS-3 panels, band → tridiagonal by bulge
//!   chasing, implicit QR on T.
//!
//! Eigenvalues only use the two-stage path from [`TWO_STAGE_MIN_N`] on; eigenvectors always use the one-stage
//! reduction (its back-transformation is a single blocked product; the two-stage one would need two). The tridiagonal
//! eigenvectors come from divide and conquer: from [`SPLIT_MIN_N`] on with the top-level merge done in column blocks
//! ([`super::merge`], workspace n²/2 instead of faer's 2n²), below it by faer's one call.
//!
//! The `*_in_place` functions consume K and reduce it in its own memory (no n × n copy), for callers that do not need
//! K afterwards; the borrowing functions copy K once. Only the lower triangle of K is read; K is checked to be
//! symmetric first.

use super::{as_faer, as_faer_mut, ensure_symmetric};
use crate::error::{Error, Result};
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd::tridiag::{tridiag_in_place, tridiag_in_place_scratch};
use faer::linalg::evd::{ComputeEigenvectors, self_adjoint_evd_scratch, tridiagonal_self_adjoint_evd};
use faer::linalg::householder::{
    apply_block_householder_sequence_on_the_left_in_place_scratch,
    apply_block_householder_sequence_on_the_left_in_place_with_conj,
};
use nalgebra::{DMatrix, DVector};

/// Eigenpairs of a symmetric matrix: `values` ascending, column j of `vectors` the unit eigenvector of `values[j]`.
#[derive(Clone, Debug)]
pub struct Eigen {
    /// Eigenvalues λ_1 ≤ … ≤ λ_k.
    pub values: DVector<f64>,
    /// Orthonormal eigenvectors as columns (n × k).
    pub vectors: DMatrix<f64>,
}

/// Smallest n at which [`Method::Auto`] computes eigenvalues by the two-stage reduction (measured crossover).
pub const TWO_STAGE_MIN_N: usize = 256;

/// Algorithm of the eigenvalues-only decomposition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Method {
    /// One-stage below [`TWO_STAGE_MIN_N`], two-stage from there on.
    #[default]
    Auto,
    /// faer's one-stage Householder tridiagonalization.
    OneStage,
    /// Dense → band → tridiagonal.
    TwoStage,
}

/// Options of the decomposition: algorithm (eigenvalues only) and number of threads (explicit, not read from a global).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EigOptions {
    /// Algorithm for eigenvalues only (eigenvectors always use the one-stage path).
    pub method: Method,
    /// Threads of the parallel products (1 = sequential); they run on the current rayon pool.
    pub threads: usize,
}

impl Default for EigOptions {
    /// `Method::Auto` on as many threads as the current rayon pool has.
    fn default() -> Self {
        EigOptions { method: Method::Auto, threads: rayon::current_num_threads().max(1) }
    }
}

impl EigOptions {
    fn par(&self) -> faer::Par {
        if self.threads <= 1 { faer::Par::Seq } else { faer::Par::rayon(self.threads) }
    }
}

/// Full eigendecomposition of a symmetric matrix (values ascending, orthonormal eigenvectors); K is kept (one copy).
///
/// Errors: empty, non-square, non-finite or non-symmetric K (1e-10 relative), or a failed decomposition.
pub fn sym_eigen(k: &DMatrix<f64>) -> Result<Eigen> {
    ensure_symmetric("K", k)?;
    eig_in_place(k.clone(), EigOptions::default())
}

/// Eigenvalues only of a symmetric matrix, ascending (same validation as [`sym_eigen`]); K is kept (one copy).
pub fn sym_eigenvalues(k: &DMatrix<f64>) -> Result<DVector<f64>> {
    ensure_symmetric("K", k)?;
    eigvals_in_place(k.clone(), EigOptions::default())
}

/// Smallest n at which the eigenvectors path merges the top level of the divide and conquer itself, in column blocks
/// ([`super::merge`]): peak memory K + V + n²/2 instead of K + V + 2n² (faer's merge buffers). Chosen by measurement
/// (`examples/merge_probe.rs`, docs/PERFORMANCE.md): the blocked merge was 10% slower than faer's one call at
/// n = 2048 and 2–6% at n = 4096, so it runs where the memory matters (4 n × n at n = 4096 is 512 MiB) and faer's
/// faster call below.
pub const SPLIT_MIN_N: usize = 4096;

/// [`sym_eigen`] consuming K: the reduction runs in K's memory (no n × n copy of K).
///
/// Peak memory, in n × n matrices: K (it keeps the Householder vectors of the reduction), the eigenvectors V, and
/// the divide-and-conquer workspace — from [`SPLIT_MIN_N`] on the two half-size eigenvector matrices (½), below it
/// faer's two merge buffers (2). So 2.5 n × n plus O(n·256) from [`SPLIT_MIN_N`] on.
pub fn eig_in_place(k: DMatrix<f64>, opts: EigOptions) -> Result<Eigen> {
    let split = k.nrows() >= SPLIT_MIN_N;
    eig_in_place_with(k, opts, split)
}

/// [`eig_in_place`] with the choice of the tridiagonal solver made by the caller (tests force the blocked top-level
/// merge at small n; `examples/merge_probe.rs` times both): `split` = own top-level merge ([`super::merge`]),
/// otherwise faer's one-call divide and conquer.
#[doc(hidden)]
pub fn eig_in_place_with(mut k: DMatrix<f64>, opts: EigOptions, split: bool) -> Result<Eigen> {
    let n = ensure_symmetric("K", &k)?;
    let par = opts.par();
    let (d, e, hh) = tridiagonalize(&mut k, par);
    let (values, mut vectors) =
        if split { super::merge::tridiagonal_eigen(&d, &e, par)? } else { faer_tridiagonal_eigen(&d, &e, par)? };
    if n > 1 {
        let mut mem = MemBuffer::new(apply_block_householder_sequence_on_the_left_in_place_scratch::<f64>(
            n - 1,
            hh.nrows().max(1),
            n,
        ));
        apply_block_householder_sequence_on_the_left_in_place_with_conj(
            as_faer(&k).submatrix(1, 0, n - 1, n - 1),
            hh.as_ref(),
            faer::Conj::No,
            as_faer_mut(&mut vectors).subrows_mut(1, n - 1),
            par,
            MemStack::new(&mut mem),
        );
    }
    drop(k);
    let values = DVector::from_vec(values);
    if values.iter().chain(vectors.iter()).any(|v| !v.is_finite()) {
        return Err(Error::Numerical("symmetric eigendecomposition produced non-finite values".into()));
    }
    Ok(Eigen { values, vectors })
}

/// faer's divide and conquer on the whole tridiagonal matrix (d, e): eigenvalues ascending and eigenvectors.
fn faer_tridiagonal_eigen(d: &[f64], e: &[f64], par: faer::Par) -> Result<(Vec<f64>, DMatrix<f64>)> {
    let n = d.len();
    let mut vectors = DMatrix::<f64>::zeros(n, n);
    let mut s = faer::diag::Diag::<f64>::zeros(n);
    let mut mem = MemBuffer::new(self_adjoint_evd_scratch::<f64>(n, ComputeEigenvectors::Yes, par, Default::default()));
    tridiagonal_self_adjoint_evd(
        faer::ColRef::from_slice(d).as_diagonal(),
        faer::ColRef::from_slice(e).as_diagonal(),
        s.as_mut(),
        Some(as_faer_mut(&mut vectors)),
        par,
        MemStack::new(&mut mem),
        Default::default(),
    )
    .map_err(|e| Error::Numerical(format!("tridiagonal divide and conquer did not converge: {e:?}")))?;
    Ok((s.column_vector().iter().copied().collect(), vectors))
}

/// [`sym_eigenvalues`] consuming K: the reduction runs in K's memory (no n × n workspace besides K itself).
pub fn eigvals_in_place(mut k: DMatrix<f64>, opts: EigOptions) -> Result<DVector<f64>> {
    let n = ensure_symmetric("K", &k)?;
    let par = opts.par();
    let two_stage = match opts.method {
        Method::Auto => n >= TWO_STAGE_MIN_N,
        Method::OneStage => false,
        Method::TwoStage => true,
    };
    let values = if two_stage {
        super::two_stage::eigenvalues_in_place(as_faer_mut(&mut k), super::two_stage::bandwidth(n), par)?
    } else {
        let (d, e, _) = tridiagonalize(&mut k, par);
        super::two_stage::tridiagonal_values(&d, &e, par)?
    };
    if values.iter().any(|v| !v.is_finite()) {
        return Err(Error::Numerical("symmetric eigendecomposition produced non-finite values".into()));
    }
    Ok(DVector::from_vec(values))
}

/// faer's one-stage tridiagonalization of the lower triangle of `k`, in place: returns the diagonal, the subdiagonal
/// (padded to length n) and the Householder factors; the Householder bases stay below the subdiagonal of `k`.
fn tridiagonalize(k: &mut DMatrix<f64>, par: faer::Par) -> (Vec<f64>, Vec<f64>, faer::Mat<f64>) {
    let n = k.nrows();
    let bs = faer::linalg::qr::no_pivoting::factor::recommended_block_size::<f64>(n, n);
    let mut hh = faer::Mat::<f64>::zeros(bs, n.saturating_sub(1));
    if n > 1 {
        let mut mem = MemBuffer::new(tridiag_in_place_scratch::<f64>(n, par, Default::default()));
        tridiag_in_place(as_faer_mut(k), hh.as_mut(), par, MemStack::new(&mut mem), Default::default());
    }
    let d = (0..n).map(|i| k[(i, i)]).collect();
    let e = (0..n).map(|i| if i + 1 < n { k[(i + 1, i)] } else { 0.0 }).collect();
    (d, e, hh)
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

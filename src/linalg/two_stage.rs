//! Eigenvalues of a symmetric matrix by the two-stage reduction: dense → band ([`super::band`], BLAS-3) → tridiagonal
//! ([`super::bulge`], cache-resident bulge chasing) → eigenvalues of the tridiagonal matrix (faer's implicit QR,
//! values only, O(n²)).
//!
//! The matrix is first scaled by an exact power of two, 2⁻ᵉ with 2ᵉ⁻¹ ≤ ‖K‖_max < 2ᵉ, so every Householder norm is
//! computed far from overflow and underflow; the eigenvalues are scaled back by 2ᵉ (exact). All transformations are
//! orthogonal similarities: the computed eigenvalues are those of K + ΔK with ‖ΔK‖ = O(n ε ‖K‖), as for LAPACK's
//! one-stage `dsyevd` and two-stage `dsyevd_2stage`.

use super::band::dense_to_band;
use super::bulge::Band;
use crate::error::{Error, Result};
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd::tridiagonal_self_adjoint_evd;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{MatMut, Par};

/// Bandwidth of the intermediate band matrix for an n × n problem (chosen by measurement: wider bands make the
/// stage-one products more efficient, narrower bands make the sequential bulge chasing cheaper).
pub(crate) fn bandwidth(n: usize) -> usize {
    if n >= 3000 {
        64
    } else if n >= 600 {
        48
    } else {
        32
    }
}

/// Eigenvalues, ascending, of the symmetric matrix in the lower triangle of `a` (n × n, finite), destroying `a`.
pub(crate) fn eigenvalues_in_place(mut a: MatMut<'_, f64>, kd: usize, par: Par) -> Result<Vec<f64>> {
    let n = a.nrows();
    if n == 0 {
        return Ok(Vec::new());
    }
    let mut amax = 0.0_f64;
    for j in 0..n {
        for i in j..n {
            amax = amax.max(a[(i, j)].abs());
        }
    }
    if amax == 0.0 {
        return Ok(vec![0.0; n]);
    }
    let e = amax.log2().floor() as i32 + 1;
    let down = 2f64.powi(-e);
    for j in 0..n {
        for i in j..n {
            a[(i, j)] *= down;
        }
    }
    let kd = kd.clamp(1, n.max(2) - 1);
    dense_to_band(a.rb_mut(), kd, par);
    let (d, sub) = Band::from_lower(a.rb(), kd).into_tridiagonal(par.degree());
    let mut values = tridiagonal_values(&d, &sub, par)?;
    let up = 2f64.powi(e);
    for v in values.iter_mut() {
        *v *= up;
    }
    Ok(values)
}

/// Eigenvalues, ascending, of the symmetric tridiagonal matrix with diagonal `d` and subdiagonal `e`.
pub(crate) fn tridiagonal_values(d: &[f64], e: &[f64], par: Par) -> Result<Vec<f64>> {
    let n = d.len();
    let mut sub = e.to_vec();
    sub.resize(n, 0.0);
    let dg = faer::ColRef::from_slice(d);
    let sg = faer::ColRef::from_slice(&sub);
    let mut s = faer::diag::Diag::<f64>::zeros(n);
    let mut mem = MemBuffer::new(faer::linalg::temp_mat_scratch::<f64>(n, 1).array(2));
    tridiagonal_self_adjoint_evd(
        dg.as_diagonal(),
        sg.as_diagonal(),
        s.as_mut(),
        None,
        par,
        MemStack::new(&mut mem),
        Default::default(),
    )
    .map_err(|e| Error::Numerical(format!("tridiagonal eigenvalue iteration did not converge: {e:?}")))?;
    let mut values: Vec<f64> = s.column_vector().iter().copied().collect();
    values.sort_by(f64::total_cmp);
    Ok(values)
}

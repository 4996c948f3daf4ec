//! Stage one of the two-stage symmetric eigensolver: dense → band by blocked Householder panels.
//!
//! For a symmetric A (lower triangle read and written, in place) and a bandwidth b, panel p covers columns
//! j₀ = p·b … j₀ + b − 1 and rows i₀ = j₀ + b … n − 1 below the band. Its QR factorization P = Q R (faer's blocked
//! Householder QR, one block: Q = I − V T⁻¹ Vᵀ, V unit lower trapezoidal, T upper triangular) leaves R, which is upper
//! triangular, inside the band, so A[i₀.., j₀..j₀+b] becomes lower-banded. The trailing matrix A₂₂ = A[i₀.., i₀..] is
//! replaced by Qᵀ A₂₂ Q, all in BLAS-3 form through faer's (triangular) matmul:
//!
//! - X = A₂₂ V T⁻¹ (a symmetric product from the lower triangle: L V + L̊ᵀ V, then a triangular solve),
//! - W = X − ½ V (T⁻ᵀ Vᵀ X),
//! - A₂₂ ← A₂₂ − V Wᵀ − W Vᵀ, lower triangle only (one SYR2K-shaped product [V W]·[W V]ᵀ of inner size 2b).
//!
//! The identity behind it: with S = T⁻¹, Qᵀ A Q = A − X Vᵀ − V Xᵀ + V Sᵀ Vᵀ X Vᵀ, and Sᵀ Vᵀ X = Sᵀ Vᵀ A V S is
//! symmetric, so the last term splits evenly between the two rank-b corrections. Flops: (4/3)n³ for the whole
//! reduction, all of it in matrix–matrix products except the m × b panel factorizations.
//!
//! The Householder vectors V of each panel stay in A below the band (the entries with i − j > b).

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::matmul::matmul;
use faer::linalg::matmul::triangular::{self, BlockStructure};
use faer::linalg::qr::no_pivoting::factor::{qr_in_place, qr_in_place_scratch};
use faer::linalg::triangular_solve::solve_lower_triangular_in_place;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Accum, Mat, MatMut, Par};

/// Reduces the symmetric matrix held in the lower triangle of `a` (n × n) to a symmetric band matrix of lower
/// bandwidth `kd` ≥ 1 with the same eigenvalues, in place (only entries with 0 ≤ i − j ≤ kd form the band; the strict
/// upper triangle is neither read nor written). The Householder bases of the panels are left below the band.
pub(crate) fn dense_to_band(mut a: MatMut<'_, f64>, kd: usize, par: Par) {
    let n = a.nrows();
    debug_assert!(kd >= 1 && a.ncols() == n);
    // [V W V]: the explicit Householder basis and the W of the update, laid out so that [V W] and [W V] are
    // contiguous column ranges of one buffer.
    let mut vwv = Mat::<f64>::zeros(n, 3 * kd);
    let mut small = Mat::<f64>::zeros(kd, kd);
    let mut mem = MemBuffer::new(qr_in_place_scratch::<f64>(n, kd, kd, par, Default::default()));
    let mut j0 = 0;
    while j0 + kd + 1 < n {
        let i0 = j0 + kd;
        let m = n - i0;
        let w = kd.min(m);
        let (left, mut a22) = a.rb_mut().split_at_col_mut(i0);
        let mut panel = left.submatrix_mut(i0, j0, m, kd);
        let mut t = Mat::<f64>::zeros(w, w);
        qr_in_place(panel.rb_mut(), t.as_mut(), par, MemStack::new(&mut mem), Default::default());
        let mut a22 = a22.rb_mut().subrows_mut(i0, m);
        let (mut v, rest) = vwv.as_mut().subrows_mut(0, m).split_at_col_mut(w);
        let (mut x, rest) = rest.split_at_col_mut(w);
        let mut v2 = rest.subcols_mut(0, w);
        for c in 0..w {
            for r in 0..m {
                v[(r, c)] = match r.cmp(&c) {
                    std::cmp::Ordering::Less => 0.0,
                    std::cmp::Ordering::Equal => 1.0,
                    std::cmp::Ordering::Greater => panel[(r, c)],
                };
            }
        }
        v2.copy_from(v.rb());
        // X = A₂₂ V (lower triangle L and strict lower L̊: A₂₂ = L + L̊ᵀ)
        triangular::matmul(
            x.rb_mut(),
            BlockStructure::Rectangular,
            Accum::Replace,
            a22.rb(),
            BlockStructure::TriangularLower,
            v.rb(),
            BlockStructure::Rectangular,
            1.0,
            par,
        );
        triangular::matmul(
            x.rb_mut(),
            BlockStructure::Rectangular,
            Accum::Add,
            a22.rb().transpose(),
            BlockStructure::StrictTriangularUpper,
            v.rb(),
            BlockStructure::Rectangular,
            1.0,
            par,
        );
        // X ← X T⁻¹, i.e. Xᵀ ← T⁻ᵀ Xᵀ
        solve_lower_triangular_in_place(t.as_ref().transpose(), x.rb_mut().transpose_mut(), par);
        // M = T⁻ᵀ (Vᵀ X); W = X − ½ V M
        let mut mm = small.as_mut().submatrix_mut(0, 0, w, w);
        matmul(mm.rb_mut(), Accum::Replace, v.rb().transpose(), x.rb(), 1.0, par);
        solve_lower_triangular_in_place(t.as_ref().transpose(), mm.rb_mut(), par);
        matmul(x.rb_mut(), Accum::Add, v.rb(), mm.rb(), -0.5, par);
        // A₂₂ ← A₂₂ − [V W]·[W V]ᵀ on the lower triangle
        let vw = vwv.as_ref().submatrix(0, 0, m, 2 * w);
        let wv = vwv.as_ref().submatrix(0, w, m, 2 * w);
        triangular::matmul(
            a22.rb_mut(),
            BlockStructure::TriangularLower,
            Accum::Add,
            vw,
            BlockStructure::Rectangular,
            wv.transpose(),
            BlockStructure::Rectangular,
            -1.0,
            par,
        );
        j0 += kd;
    }
}

//! The minimum-ℓ1 interpolant over a fixed feature matrix, by linear programming:
//!
//! ```text
//!   min ‖a‖₁  s.t.  Φ a = y,        written with a = a⁺ − a⁻, a± ≥ 0:   min 𝟙ᵀ(a⁺ + a⁻)  s.t.  Φ(a⁺ − a⁻) = y.
//! ```
//!
//! The returned point is only used through quantities recomputed from it (‖a‖₁ and the residual ‖Φa − y‖∞), so an
//! `AlmostSolved` status — common here, since the LP is degenerate when a single atom interpolates exactly — is
//! accepted under the solver's status policy ([`super::solver`]).

use super::solver::{ConicProgram, Triplets, solve};
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// min ‖a‖₁ s.t. Φa = y; returns a with the recomputed interpolation residual ‖Φa − y‖∞. Errors: len(y) ≠ rows of Φ,
/// an infeasible or failed LP ([`Error::Solver`]).
pub fn min_l1_interpolant(phi: &DMatrix<f64>, y: &DVector<f64>) -> Result<(DVector<f64>, f64)> {
    let (coef, resid, _) = min_l1_interpolant_with_dual(phi, y)?;
    Ok((coef, resid))
}

/// [`min_l1_interpolant`] and the LP's dual point c (length n): the dual LP is max cᵀy s.t. |Φᵀc| ≤ 1 entrywise, so
/// for every interpolating a, cᵀy = Σ_j a_j (Φᵀc)_j ≤ ‖a‖₁ max_j |(Φᵀc)_j| — a lower bound the caller recomputes (the
/// solver's c is only a candidate; its sign is fixed so that cᵀy ≥ 0).
pub fn min_l1_interpolant_with_dual(phi: &DMatrix<f64>, y: &DVector<f64>) -> Result<(DVector<f64>, f64, DVector<f64>)> {
    let (n, m) = phi.shape();
    if y.len() != n {
        return Err(Error::shape("min_l1_interpolant: rows of Φ vs len(y)", n, y.len()));
    }
    let mut a = Triplets::new(n + 2 * m, 2 * m);
    for j in 0..m {
        for i in 0..n {
            let v = phi[(i, j)];
            if v != 0.0 {
                a.push(i, j, v);
                a.push(i, m + j, -v);
            }
        }
    }
    for j in 0..2 * m {
        a.push(n + j, j, -1.0);
    }
    let mut b = vec![0.0; n + 2 * m];
    b[..n].copy_from_slice(y.as_slice());
    let q = vec![1.0; 2 * m];
    let sol = solve(&ConicProgram {
        what: "min-ℓ1 interpolation LP",
        p: None,
        q: &q,
        a: &a,
        b: &b,
        equalities: n,
        tol: 1e-10,
    })?;
    let coef = DVector::from_fn(m, |j, _| sol.x[j].max(0.0) - sol.x[m + j].max(0.0));
    let resid = (phi * &coef - y).amax();
    // the equality rows' multipliers z satisfy q + Aᵀz = 0, i.e. |Φᵀz| ≤ 1 with dual value −yᵀz: c = −z
    let mut c = DVector::from_fn(n, |i, _| -sol.z[i]);
    if c.dot(y) < 0.0 {
        c = -c;
    }
    crate::error::ensure_finite("min-ℓ1 interpolation LP dual", c.as_slice())?;
    Ok((coef, resid, c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Φ = [I | 2I]: the cheapest interpolant of y uses the doubled columns, a = (0, y/2), ‖a‖₁ = ‖y‖₁/2.
    #[test]
    fn picks_the_cheapest_columns() {
        let n = 3;
        let phi = DMatrix::from_fn(n, 2 * n, |i, j| {
            if j == i {
                1.0
            } else if j == n + i {
                2.0
            } else {
                0.0
            }
        });
        let y = DVector::from_row_slice(&[1.0, -2.0, 0.5]);
        let (a, resid) = min_l1_interpolant(&phi, &y).unwrap();
        assert!(resid < 1e-8, "{resid}");
        assert!((a.lp_norm(1) - 1.75).abs() < 1e-7, "{a}");
        assert!(a.rows(0, n).amax() < 1e-7);
        assert!(matches!(min_l1_interpolant(&phi, &DVector::zeros(2)), Err(Error::ShapeMismatch { .. })));
        // the dual point is feasible (|Φᵀc| ≤ 1) and closes the gap: cᵀy = ‖a‖₁ = 1.75
        let (_, _, c) = min_l1_interpolant_with_dual(&phi, &y).unwrap();
        assert!((phi.transpose() * &c).amax() <= 1.0 + 1e-7, "{c}");
        assert!((c.dot(&y) - 1.75).abs() < 1e-7, "{c}");
    }
}

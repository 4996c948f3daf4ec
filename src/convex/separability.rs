//! Linear separability with a certificate, by linear programming.
//!
//! t* = max_{‖w‖_∞ ≤ 1} min_i y_i x_iᵀw. LP: minimize −t subject to t − y_i x_iᵀw ≤ 0, −1 ≤ w_k ≤ 1. By LP duality
//! t* = min_{p ∈ Δ_n} ‖Σ_i p_i y_i x_i‖₁, so any p on the simplex gives the upper bound t* ≤ ‖Σ_i p_i y_i x_i‖₁,
//! recomputed here from the data (the solver's status is not trusted). The data are linearly separable through the
//! origin iff t* > 0; t* ≤ 0 certifies that no linear classifier separates them.

use super::solver::{ConicProgram, Triplets, solve};
use crate::data::Dataset;
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// The certified bracket [lower, upper] on the best ℓ∞-normalized linear margin t*.
#[derive(Debug, Clone)]
pub struct LinearMarginBracket {
    /// min_i y_i x_iᵀw of the LP's w (clipped into the box): a lower bound on t*.
    pub lower: f64,
    /// ‖Σ_i p_i y_i x_i‖₁ for the LP's dual weights p normalized onto the simplex: an upper bound on t*.
    pub upper: f64,
    /// The primal weights w.
    pub w: DVector<f64>,
    /// The dual weights p (on the simplex).
    pub p: DVector<f64>,
}

/// Solves the LP and returns the certified bracket on t*.
pub fn linear_margin(data: &Dataset) -> Result<LinearMarginBracket> {
    let (n, d) = (data.n(), data.d());
    // Variables v = (w_1..w_d, t). Rows 0..n: −y_i x_iᵀw + t ≤ 0. Rows n..n+2d: ±w_k ≤ 1.
    let mut a = DMatrix::zeros(n + 2 * d, d + 1);
    let mut b = vec![0.0; n + 2 * d];
    for i in 0..n {
        for k in 0..d {
            a[(i, k)] = -data.y()[i] * data.x()[(i, k)];
        }
        a[(i, d)] = 1.0;
    }
    for k in 0..d {
        a[(n + 2 * k, k)] = 1.0;
        a[(n + 2 * k + 1, k)] = -1.0;
        b[n + 2 * k] = 1.0;
        b[n + 2 * k + 1] = 1.0;
    }
    let mut q = vec![0.0; d + 1];
    q[d] = -1.0;
    // Solved or AlmostSolved: the bracket below is recomputed from w and the multipliers, so a loose solve only widens it.
    let sol = solve(&ConicProgram {
        what: "linear-separability LP",
        p: None,
        q: &q,
        a: &Triplets::from_dense(&a),
        b: &b,
        equalities: 0,
        tol: 1e-10,
    })?;
    let w = DVector::from_fn(d, |k, _| sol.x[k].clamp(-1.0, 1.0));
    let lower = (0..n).map(|i| data.y()[i] * data.x().row(i).transpose().dot(&w)).fold(f64::INFINITY, f64::min);
    let z = DVector::from_fn(n, |i, _| sol.z[i].max(0.0));
    let mass = z.sum();
    if !(mass > 0.0) {
        return Err(Error::Solver("the LP returned no dual weight on the margin constraints".into()));
    }
    let p = z / mass;
    let combo = data.x().transpose() * p.component_mul(data.y());
    Ok(LinearMarginBracket { lower, upper: combo.abs().sum(), w, p })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separable_and_xor_cases() {
        let x = DMatrix::from_row_slice(4, 2, &[1.0, 0.2, 0.5, 1.0, -1.0, 0.1, -0.3, -1.0]);
        let sep = linear_margin(&Dataset::binary(x.clone(), DVector::from_row_slice(&[1.0, 1.0, -1.0, -1.0])).unwrap())
            .unwrap();
        assert!(sep.lower > 0.1 && sep.lower <= sep.upper + 1e-8, "{sep:?}");
        // XOR on the square: Σ_i y_i x_i / 4 = 0 certifies t* ≤ 0.
        let sq = DMatrix::from_row_slice(4, 2, &[1.0, 1.0, -1.0, -1.0, 1.0, -1.0, -1.0, 1.0]);
        let xor =
            linear_margin(&Dataset::binary(sq, DVector::from_row_slice(&[1.0, 1.0, -1.0, -1.0])).unwrap()).unwrap();
        assert!(xor.upper < 1e-7 && xor.lower <= xor.upper + 1e-8, "{xor:?}");
    }

    /// Closed forms of t* = max_{‖w‖∞ ≤ 1} min_i y_i x_iᵀw: with y_i x_i = (1, ±½), w = (1, 0) gives 1 and the dual
    /// p = (½, ½) gives ‖(1, 0)‖₁ = 1, so t* = 1; scaling the data by 3 scales t* by 3; and with y_i x_i = (1, 2) and
    /// (2, −1), t* = max min(w₁ + 2w₂, 2w₁ − w₂) = 5/3 at w = (1, 1/3) (equal pieces; the dual p = (⅓, ⅔) gives
    /// |2 − p₁| + |3p₁ − 1| = 5/3), the bracket closing on it; and two cases where a box constraint w₂ ≤ 1 or
    /// w₁ ≥ −1 is the one that binds.
    #[test]
    fn bracket_closes_on_closed_form_margins() {
        let cases: [(&[f64], &[f64], f64); 5] = [
            (&[1.0, 0.5, -1.0, 0.5], &[1.0, -1.0], 1.0),
            (&[3.0, 1.5, -3.0, 1.5], &[1.0, -1.0], 3.0),
            (&[1.0, 2.0, -2.0, 1.0], &[1.0, -1.0], 5.0 / 3.0),
            // every box constraint matters somewhere: here w₂ ≤ 1 binds (t* = min(w₂, w₁ + w₂) = 1)
            (&[0.0, 1.0, 1.0, 1.0], &[1.0, 1.0], 1.0),
            (&[-1.0, 0.0, -1.0, -1.0], &[1.0, 1.0], 1.0),
        ];
        for (x, y, want) in cases {
            let data = Dataset::binary(DMatrix::from_row_slice(2, 2, x), DVector::from_row_slice(y)).unwrap();
            let b = linear_margin(&data).unwrap();
            assert!((b.lower - want).abs() < 1e-7 && (b.upper - want).abs() < 1e-7, "t* = {want}: {b:?}");
            assert!((b.p.sum() - 1.0).abs() < 1e-12 && b.p.iter().all(|&v| v >= 0.0));
        }
    }
}

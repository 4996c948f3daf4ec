//! The generalization bounds of the paper as functions of the quantities a fit provides: the two-layer margin bound
//! (ICLR'19 Thm 3.1), the kernel-SVM bound (ICLR'19 Lemma 3.4 / OpenReview Lemma 4.2, constants reconstructed), and the
//! Rademacher terms that bound the regression error of an interpolant (ICLR'19 Lemmas D.4 / D.5; OpenReview
//! Lemma D.11), shared by the claims and the figures.
//!
//! For n training points X (rows) and a predictor f = Σ_j α_j relu(ū_jᵀx) (ū_j unit):
//! - ℓ1 ball: T₁ = 2‖α‖₁‖X‖_F/n bounds the Rademacher complexity of {f : ‖α‖₁ ≤ ‖α‖₁ of the fit};
//! - ℓ2 ball (the kernel K̃ with K̃(x, x′) = E_ū[relu(ūᵀx) relu(ūᵀx′)]): T₂ = √(‖f‖²_H · tr K̃)/n, where
//!   ‖f‖²_H = βᵀK̃β for f = Σ_i β_i K̃(x_i, ·).

use crate::error::{Error, Result, ensure_finite};
use nalgebra::DMatrix;

/// The bound (6/γ)√(D/n) + √(max(log log₂(4C/γ), 0)/n) + √(log(1/δ)/(2n)).
pub fn margin_bound(gamma: f64, d_mean_sq: f64, c_max: f64, n: usize, delta: f64) -> f64 {
    let (complexity, eps) = margin_bound_terms(gamma, d_mean_sq, c_max, n, delta);
    complexity + eps
}

/// The two parts of [`margin_bound`]: (complexity term (6/γ)√(D/n), ε(γ) = √(max(log log₂(4C/γ), 0)/n) +
/// √(log(1/δ)/(2n))).
pub fn margin_bound_terms(gamma: f64, d_mean_sq: f64, c_max: f64, n: usize, delta: f64) -> (f64, f64) {
    let n = n as f64;
    let ll = (4.0 * c_max / gamma).log2().ln().max(0.0);
    (6.0 / gamma * (d_mean_sq / n).sqrt(), (ll / n).sqrt() + ((1.0 / delta).ln() / (2.0 * n)).sqrt())
}

/// The two parts of Lemma 3.4's bound at margin γ: (complexity term (2√2/γ)√(D/(dn)), ε_ℓ2).
pub fn l2_bound_terms(
    gamma: f64,
    d: usize,
    n: usize,
    mean_sq_norm: f64,
    max_norm: f64,
    delta: f64,
) -> Result<(f64, f64)> {
    if !(gamma > 0.0 && gamma.is_finite()) || d == 0 || n == 0 || !(delta > 0.0 && delta < 1.0) {
        return Err(Error::param(
            "l2_bound_terms",
            format!("γ={gamma}, d={d}, n={n}, δ={delta}"),
            "γ > 0, d, n ≥ 1, δ ∈ (0,1)",
        ));
    }
    let (d, n) = (d as f64, n as f64);
    let main = 2.0 * std::f64::consts::SQRT_2 / gamma * (mean_sq_norm / (d * n)).sqrt();
    let shells = (max_norm / ((2.0 * d).sqrt() * gamma)).log2().max(2.0);
    let eps = (shells.ln() / n).sqrt() + ((1.0 / delta).ln() / n).sqrt();
    Ok((main, eps))
}

/// T₁ = 2‖α‖₁‖X‖_F/n for the ℓ1 norm `l1_norm` of the lifted weights and the n × d training inputs `x`.
///
/// Errors: no training points or no columns ([`Error::Empty`]), non-finite inputs, a negative norm.
pub fn l1_term(l1_norm: f64, x: &DMatrix<f64>) -> Result<f64> {
    if x.nrows() == 0 || x.ncols() == 0 {
        return Err(Error::Empty(format!("training inputs are {}×{}", x.nrows(), x.ncols())));
    }
    ensure_finite("training inputs", x.as_slice())?;
    if !(l1_norm >= 0.0 && l1_norm.is_finite()) {
        return Err(Error::param("l1_norm", l1_norm, "must be a finite number ≥ 0"));
    }
    Ok(2.0 * l1_norm * x.norm() / x.nrows() as f64)
}

/// T₂ = √(‖f‖²_H · tr K̃)/n for the squared RKHS norm `rkhs_norm2` of the fit and the n × n training Gram matrix `k`
/// (negative rounding of the norm is clamped to 0).
///
/// Errors: an empty, non-square or non-finite Gram matrix; a non-finite norm.
pub fn l2_term(rkhs_norm2: f64, k: &DMatrix<f64>) -> Result<f64> {
    let n = crate::linalg::ensure_square("training Gram matrix", k)?;
    if !rkhs_norm2.is_finite() {
        return Err(Error::param("rkhs_norm2", rkhs_norm2, "must be finite"));
    }
    Ok((rkhs_norm2.max(0.0) * k.trace()).sqrt() / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_by_hand_and_errors() {
        // γ = 0.5, d = 2, n = 100, D = 2, C = 2, δ = e^{-1}: main = 2√2/0.5·√(2/200) = 0.5657, shells = max(log₂ 2, 2) = 2.
        let (m, e) = l2_bound_terms(0.5, 2, 100, 2.0, 2.0, (-1.0f64).exp()).unwrap();
        assert!((m - 4.0 * std::f64::consts::SQRT_2 * 0.1).abs() < 1e-12);
        assert!((e - ((2f64.ln() / 100.0).sqrt() + 0.1)).abs() < 1e-12);
        assert!(l2_bound_terms(0.0, 2, 100, 2.0, 2.0, 0.1).is_err());
        assert!(l2_bound_terms(0.5, 2, 100, 2.0, 2.0, 1.5).is_err());
    }

    #[test]
    fn bound_formula() {
        // γ = 1, D = 1, C = 1, n = 100, δ = e^{-2}: 6·0.1 + √(ln 2/100) + √(2/200)
        let b = margin_bound(1.0, 1.0, 1.0, 100, (-2f64).exp());
        let want = 0.6 + (2f64.ln() / 100.0).sqrt() + 0.1;
        assert!((b - want).abs() < 1e-12);
    }

    #[test]
    fn closed_forms() {
        // X = [[3, 4]]: ‖X‖_F = 5, n = 1 → T₁ = 2·0.5·5 = 5; K = diag(2, 8): tr = 10, n = 2 → T₂ = √(0.4·10)/2 = 1
        assert_eq!(l1_term(0.5, &DMatrix::from_row_slice(1, 2, &[3.0, 4.0])).unwrap(), 5.0);
        assert_eq!(l2_term(0.4, &DMatrix::from_row_slice(2, 2, &[2.0, 0.0, 0.0, 8.0])).unwrap(), 1.0);
        assert_eq!(l2_term(-1e-18, &DMatrix::identity(2, 2)).unwrap(), 0.0);
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        assert!(matches!(l1_term(1.0, &DMatrix::zeros(0, 3)), Err(Error::Empty(_))));
        assert!(matches!(l1_term(-1.0, &DMatrix::identity(2, 2)), Err(Error::InvalidParameter { .. })));
        assert!(matches!(l1_term(1.0, &DMatrix::from_element(2, 2, f64::NAN)), Err(Error::NonFinite { .. })));
        assert!(matches!(l2_term(1.0, &DMatrix::zeros(0, 0)), Err(Error::Empty(_))));
        assert!(matches!(l2_term(1.0, &DMatrix::zeros(2, 3)), Err(Error::ShapeMismatch { .. })));
        assert!(matches!(l2_term(f64::NAN, &DMatrix::identity(2, 2)), Err(Error::InvalidParameter { .. })));
    }
}

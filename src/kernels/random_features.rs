//! Finite-width random ReLU features on the hypercube: the best any least squares on m features φ_j(x) = relu(w_jᵀx)
//! can do, computed exactly over the whole cube (no sample, so no in-sample inflation).
//!
//! For a target χ_T (a Walsh character, E χ_T² = 1) the population least-squares predictor f = Σ_j a_j φ_j has
//! a = G⁻¹b with G = E_x[φφᵀ] and b = E_x[φ χ_T], and its mean squared error — the **floor** of least squares on these
//! features, the limit of its test MSE as n → ∞ — is 1 − ρ_F², ρ_F² = bᵀG⁻¹b the squared correlation of the best
//! feature combination with χ_T (≤ 1 by Cauchy–Schwarz). The expectations are exact averages over the 2^d cube points,
//! accumulated in blocks (G += Φ_BᵀΦ_B), so d is limited to [`MAX_D`].
//!
//! **Why a floor at m = c·d** (the dual of `oracle_correlation`). Each φ_w has Walsh coefficients ĉ_S(w) with
//! E_w[ĉ_S ĉ_R] = μ_S δ_SR, μ the hypercube eigenvalues of the random-feature kernel k₁ = E_w[φ_w(x)φ_w(z)]
//! (`Kind::Relu`). The best combination is the projection of e_T on the span of m such coefficient vectors, whose
//! deterministic equivalent is ρ_F² ≈ μ_t/(μ_t + κ) with Σ_ℓ C(d, ℓ) μ_ℓ/(μ_ℓ + κ) = m
//! (`oracle_correlation::predicted_rho2` with √μ in place of μ). For 1 + d < m ≪ d² the degree-0 and degree-1 parts
//! cost one feature each and ρ_F² ≈ q₁(m − 1 − d)/C(d, 2), q₁ = C(d, 2)μ₂/Σ_{ℓ≥2} C(d, ℓ)μ_ℓ: with m = c·d the floor
//! is 1 − ρ_F² ≈ 1 − 2q₁((c − 1)d − 1)/(d(d − 1)) ≈ 1 − 2q₁(c − 1)/d → 1 as d grows — m random features cannot
//! represent x₁x₂ unless m is of order d².

use crate::error::{Error, Result, ensure_finite};
use crate::linalg::gram::add_column_gram;
use crate::linalg::solve::{Cholesky, solve_backward_error};
use nalgebra::{DMatrix, DVector};

/// Largest dimension whose cube is enumerated (2^22 points).
pub const MAX_D: usize = 22;

/// Points per block of the enumeration.
const BLOCK: usize = 4096;

/// The population least-squares fit of χ_T on m random ReLU features.
#[derive(Clone, Debug)]
pub struct FeatureFloor {
    /// ρ_F² = bᵀG⁻¹b: the squared correlation of the best feature combination with χ_T.
    pub rho2: f64,
    /// The floor 1 − ρ_F² of the mean squared error (clamped at 0).
    pub mse: f64,
    /// The 0-1 error of sign(f) over the cube (a zero prediction counts as an error).
    pub zero_one: f64,
    /// Normwise backward error of the solve G a = b.
    pub solve_residual: f64,
}

/// The cube points with indices `start..start + len` (bit k of the index set ⇔ x_k = +1), as rows.
fn cube_block(d: usize, start: usize, len: usize) -> DMatrix<f64> {
    DMatrix::from_fn(len, d, |i, k| if (start + i) >> k & 1 == 1 { 1.0 } else { -1.0 })
}

/// relu(X Wᵀ) for a block of points X (rows) and feature directions W (rows).
fn features(x: &DMatrix<f64>, w: &DMatrix<f64>) -> DMatrix<f64> {
    (x * w.transpose()).map(|v| v.max(0.0))
}

/// The exact population least squares of χ_T (T = `target`, 0-based coordinates) on the features relu(w_jᵀx), w_j the
/// rows of `w` (m × d), over uniform {±1}^d.
///
/// Errors: empty or non-finite `w`; d = 0 or d > [`MAX_D`]; a target coordinate out of range or repeated;
/// [`Error::Numerical`] when G is not positive definite (dependent features on the cube), the solve's backward error
/// exceeds 1e-10, or ρ_F² exceeds 1 by more than 1e-9.
pub fn cube_floor(w: &DMatrix<f64>, target: &[usize]) -> Result<FeatureFloor> {
    let (m, d) = w.shape();
    if m == 0 || d == 0 || d > MAX_D {
        return Err(Error::param("W", format!("{m} × {d}"), &format!("need m ≥ 1 features in 1 ≤ d ≤ {MAX_D}")));
    }
    ensure_finite("W", w.as_slice())?;
    super::spectrum::validate_character(target, d)?;
    let total = 1usize << d;
    let chi = |x: &DMatrix<f64>| DVector::from_fn(x.nrows(), |i, _| target.iter().map(|&k| x[(i, k)]).product());
    let (mut g, mut b) = (DMatrix::<f64>::zeros(m, m), DVector::<f64>::zeros(m));
    for start in (0..total).step_by(BLOCK) {
        let x = cube_block(d, start, BLOCK.min(total - start));
        let phi = features(&x, w);
        add_column_gram(&mut g, &phi)?;
        b += phi.tr_mul(&chi(&x));
    }
    g /= total as f64;
    b /= total as f64;
    let chol = Cholesky::new(&g).map_err(|_| {
        Error::Numerical("cube_floor: the features' Gram matrix is not positive definite (dependent features)".into())
    })?;
    let bm = DMatrix::from_column_slice(m, 1, b.as_slice());
    let a = chol.solve(&bm)?;
    let solve_residual = solve_backward_error(&g, &a, &bm)?; // b = 0 gives a = 0 and 0
    let rho2 = (bm.transpose() * &a)[(0, 0)];
    if !(solve_residual <= 1e-10 && (0.0..=1.0 + 1e-9).contains(&rho2)) {
        return Err(Error::Numerical(format!(
            "cube_floor: backward error {solve_residual:.2e} (≤ 1e-10) and ρ_F² = {rho2} (in [0, 1])"
        )));
    }
    let mut wrong = 0usize;
    for start in (0..total).step_by(BLOCK) {
        let x = cube_block(d, start, BLOCK.min(total - start));
        let f = features(&x, w) * &a;
        let y = chi(&x);
        wrong += f.iter().zip(y.iter()).filter(|(f, y)| **f * **y <= 0.0).count();
    }
    Ok(FeatureFloor { rho2, mse: (1.0 - rho2).max(0.0), zero_one: wrong as f64 / total as f64, solve_residual })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;
    use rand_distr::{Distribution, StandardNormal};

    fn gaussian_w(m: usize, d: usize, stream: u64) -> DMatrix<f64> {
        let mut rng = seed::stream(21, &["random-features-test"], stream);
        DMatrix::from_fn(m, d, |_, _| StandardNormal.sample(&mut rng))
    }

    /// Against an independent computation: the least squares of χ_T on the features over the 2^d cube points as an
    /// explicit 2^d × m regression (QR via nalgebra's SVD solve), its residual mean square and sign errors.
    #[test]
    fn floor_matches_an_explicit_regression_over_the_cube() {
        let d = 7;
        let w = gaussian_w(12, d, 0);
        let got = cube_floor(&w, &[0, 1]).unwrap();
        let x = cube_block(d, 0, 1 << d);
        let phi = features(&x, &w);
        let y = DVector::from_fn(1 << d, |i, _| x[(i, 0)] * x[(i, 1)]);
        let a = phi.clone().svd(true, true).solve(&y, 1e-14).unwrap();
        let r = &y - &phi * &a;
        let mse = r.norm_squared() / (1 << d) as f64;
        assert!((got.mse - mse).abs() < 1e-10, "floor {} vs explicit regression {mse}", got.mse);
        let f = &phi * &a;
        let zo = f.iter().zip(y.iter()).filter(|(f, y)| **f * **y <= 0.0).count() as f64 / (1 << d) as f64;
        assert_eq!(got.zero_one, zo);
    }

    /// Closed forms: the feature relu(x₁) + relu(−x₁) = |x₁| = 1 and relu(x₁) − relu(−x₁) = x₁ — with w = ±e₁ the
    /// span holds 1 and x₁, so χ_{1} is fitted exactly (floor 0) and χ_{12}, orthogonal to both, not at all (floor 1).
    #[test]
    fn closed_form_floors() {
        let w = DMatrix::from_row_slice(2, 3, &[1.0, 0.0, 0.0, -1.0, 0.0, 0.0]);
        let one = cube_floor(&w, &[0]).unwrap();
        assert!(one.mse < 1e-12 && one.zero_one == 0.0, "{one:?}");
        let xor = cube_floor(&w, &[0, 1]).unwrap();
        assert!((xor.mse - 1.0).abs() < 1e-12 && xor.zero_one == 1.0, "{xor:?}");
    }

    /// More features never raise the floor (the span grows).
    #[test]
    fn floor_decreases_with_more_features() {
        let w = gaussian_w(40, 8, 1);
        let floors: Vec<f64> =
            [10, 20, 40].iter().map(|&m| cube_floor(&w.rows(0, m).into_owned(), &[0, 1]).unwrap().mse).collect();
        assert!(floors.windows(2).all(|p| p[1] <= p[0] + 1e-12), "{floors:?}");
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let w = gaussian_w(4, 5, 2);
        assert!(cube_floor(&w, &[0, 5]).is_err());
        assert!(cube_floor(&w, &[1, 1]).is_err());
        assert!(cube_floor(&DMatrix::zeros(0, 5), &[0]).is_err());
        assert!(cube_floor(&gaussian_w(2, 23, 3), &[0]).is_err());
        let mut bad = w.clone();
        bad[(0, 0)] = f64::NAN;
        assert!(cube_floor(&bad, &[0]).is_err());
        // two identical features: G singular
        let dup = DMatrix::from_row_slice(2, 5, &[1.0, 2.0, 0.0, 0.0, 1.0, 1.0, 2.0, 0.0, 0.0, 1.0]);
        assert!(matches!(cube_floor(&dup, &[0]), Err(Error::Numerical(_))));
    }
}

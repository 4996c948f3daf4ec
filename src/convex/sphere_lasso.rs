//! The squared-loss regularized two-layer net through its convex lift — an ℓ1-penalized regression over the whole
//! sphere of ReLU directions — with a certified duality gap.
//!
//! For a width-m net f(Θ; x) = Σ_j w_j relu(u_jᵀx), L_λ(Θ) = Σ_i (f(Θ; x_i) − y_i)² + λ‖Θ‖₂². Balancing each neuron
//! (|w_j| = ‖u_j‖, same f) gives ‖Θ‖₂² = 2‖α‖₁ for the lifted weights α_j = w_j‖u_j‖ on ū_j = u_j/‖u_j‖, so for
//! m ≥ n + 1
//!
//! ```text
//!   V(λ) = min_Θ L_λ(Θ) = min over signed measures α of  Σ_i ((Φα)_i − y_i)² + 2λ‖α‖₁.
//! ```
//!
//! **Primal**: on a dictionary, the QP in (a⁺, a⁻, r) ≥ (0, 0, free): min rᵀr + 2λ𝟙ᵀ(a⁺ + a⁻) s.t.
//! Φ(a⁺ − a⁻) − r = y; the achieved objective at the recomputed a is an upper bound on V(λ).
//!
//! **Dual** (certified lower bound on V(λ) over *every* measure): for any q with sup_ū |g_q(ū)| ≤ 1,
//! g_q(ū) = Σ_i q_i relu(ūᵀx_i), and any α, ‖y − Φα‖² ≥ 2λqᵀ(y − Φα) − λ²‖q‖² (expand ‖(y − Φα) − λq‖² ≥ 0) and
//! qᵀΦα = ∫ g_q dα ≤ ‖α‖₁, so V(λ) ≥ 2λ qᵀy − λ²‖q‖². We take q = t·(y − Φa)/λ from the primal residual, t ∈ [0, 1/S]
//! with S a rigorous bound of sup|g| ([`super::sphere_sup`]), t maximizing the bound.
//!
//! Column generation adds the dual's most violated directions (as in [`super::sphere_interpolant`]) until the dual
//! constraint holds to a relative `viol_tol` or the round budget is spent.

use super::l1_svm::{normalize_dictionary, relu_features};
use super::solver::{ConicProgram, Triplets, solve};
use super::sphere_interpolant::local_max;
use super::sphere_sup::{self, SupOptions};
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// Options of [`sphere_lasso`].
#[derive(Debug, Clone, Copy)]
pub struct SphereLassoOptions {
    /// Rounds of column generation.
    pub max_rounds: usize,
    /// Add columns while sup|g_q| > 1 + viol_tol.
    pub viol_tol: f64,
    /// Interior-point tolerance.
    pub solver_tol: f64,
    /// Options of the rigorous supremum bound.
    pub sup: SupOptions,
}

impl Default for SphereLassoOptions {
    fn default() -> Self {
        SphereLassoOptions {
            max_rounds: 30,
            viol_tol: 1e-7,
            solver_tol: 1e-10,
            sup: SupOptions { rel_tol: 1e-8, ..SupOptions::default() },
        }
    }
}

/// One certified point of the λ-path.
#[derive(Debug, Clone)]
pub struct LassoPoint {
    /// λ.
    pub lambda: f64,
    /// Achieved objective Σr² + 2λ‖a‖₁ (an upper bound on V(λ)).
    pub primal: f64,
    /// Certified lower bound on V(λ).
    pub dual: f64,
    /// ‖a‖₁ of the achieved point (= ‖Θ‖²/2 of the balanced net it defines).
    pub l1: f64,
    /// Its training residual Σ_i ((Φa)_i − y_i)².
    pub residual_sq: f64,
    /// The directions (rows) with nonzero weight and the weights.
    pub dirs: DMatrix<f64>,
    /// Weights on `dirs`.
    pub weights: DVector<f64>,
    /// Final dictionary size and rounds used.
    pub dictionary: usize,
    /// Rounds used.
    pub rounds: usize,
}

impl LassoPoint {
    /// Relative duality gap (primal − dual)/primal.
    pub fn rel_gap(&self) -> f64 {
        (self.primal - self.dual) / self.primal
    }
}

/// Solves the dictionary QP; returns the weights a.
fn dictionary_qp(phi: &DMatrix<f64>, y: &DVector<f64>, lambda: f64, tol: f64) -> Result<DVector<f64>> {
    let (n, k) = phi.shape();
    let nv = 2 * k + n;
    let mut a = Triplets::new(n + 2 * k, nv);
    for j in 0..k {
        for i in 0..n {
            let v = phi[(i, j)];
            if v != 0.0 {
                a.push(i, j, v);
                a.push(i, k + j, -v);
            }
        }
    }
    for i in 0..n {
        a.push(i, 2 * k + i, -1.0);
    }
    for j in 0..2 * k {
        a.push(n + j, j, -1.0);
    }
    let mut p = Triplets::new(nv, nv);
    for i in 0..n {
        p.push(2 * k + i, 2 * k + i, 2.0);
    }
    let mut b = vec![0.0; n + 2 * k];
    b[..n].copy_from_slice(y.as_slice());
    let mut q = vec![2.0 * lambda; nv];
    q[2 * k..].fill(0.0);
    let sol = solve(&ConicProgram {
        what: "ℓ1-penalized regression QP",
        p: Some(&p),
        q: &q,
        a: &a,
        b: &b,
        equalities: n,
        tol,
    })?;
    Ok(DVector::from_fn(k, |j, _| sol.x[j].max(0.0) - sol.x[k + j].max(0.0)))
}

/// V(λ) of the module docs, bracketed, by column generation from the directions `init` (rows, nonzero).
///
/// Errors: shapes, empty or non-finite inputs, λ ≤ 0, a failed QP ([`Error::Solver`]).
pub fn sphere_lasso(
    x: &DMatrix<f64>,
    y: &DVector<f64>,
    lambda: f64,
    init: &DMatrix<f64>,
    opts: &SphereLassoOptions,
) -> Result<LassoPoint> {
    let (n, d) = x.shape();
    if n == 0 || d == 0 {
        return Err(Error::Empty(format!("regression points {n} × {d}")));
    }
    if y.len() != n {
        return Err(Error::shape("targets y vs points", n, y.len()));
    }
    crate::error::ensure_finite("points", x.as_slice())?;
    crate::error::ensure_finite("targets", y.as_slice())?;
    crate::error::ensure_positive("λ", lambda)?;
    let mut dict = normalize_dictionary(init, d)?;
    let mut best: Option<LassoPoint> = None;
    let mut rounds = 0;
    while rounds < opts.max_rounds {
        rounds += 1;
        let phi = relu_features(x, &dict);
        let a = dictionary_qp(&phi, y, lambda, opts.solver_tol)?;
        let r = &phi * &a - y;
        let (l1, residual_sq) = (a.lp_norm(1), r.norm_squared());
        let primal = residual_sq + 2.0 * lambda * l1;
        let qt = -&r / lambda; // (y − Φa)/λ
        let s = sphere_sup::sup_abs(x, qt.as_slice(), &opts.sup)?;
        let (qy, qq) = (qt.dot(y), qt.norm_squared());
        let t_max = if s.upper > 0.0 { 1.0 / s.upper } else { f64::INFINITY };
        let t = if qq > 0.0 { (qy / (lambda * qq)).clamp(0.0, t_max) } else { 0.0 };
        let dual = 2.0 * lambda * t * qy - lambda * lambda * t * t * qq;
        let active: Vec<usize> = (0..a.len()).filter(|&j| a[j] != 0.0).collect();
        let point = LassoPoint {
            lambda,
            primal,
            dual,
            l1,
            residual_sq,
            dirs: dict.select_rows(&active),
            weights: DVector::from_fn(active.len(), |k, _| a[active[k]]),
            dictionary: dict.nrows(),
            rounds,
        };
        let (best_primal, best_dual) = best.as_ref().map_or((f64::INFINITY, f64::NEG_INFINITY), |b| (b.primal, b.dual));
        let mut point = point;
        if primal >= best_primal {
            if let Some(b) = &best {
                point = LassoPoint { dual: dual.max(best_dual), rounds, dictionary: dict.nrows(), ..b.clone() };
            }
        } else {
            point.dual = dual.max(best_dual);
        }
        best = Some(point);
        if s.best <= 1.0 + opts.viol_tol {
            break;
        }
        let mut starts: Vec<DVector<f64>> = vec![s.argmax.normalize()];
        for i in 0..n {
            let xi = x.row(i).transpose();
            if xi.norm() > 0.0 {
                starts.push(xi.normalize());
                starts.push(-xi.normalize());
            }
        }
        let before = dict.nrows();
        for (k, u0) in starts.into_iter().enumerate() {
            let (u, g) = if k == 0 { (u0, s.best) } else { local_max(x, &qt, u0) };
            if g > 1.0 + opts.viol_tol && !dict.row_iter().any(|q| (q.transpose() - &u).amax() < 1e-12) {
                let last = dict.nrows();
                dict = dict.insert_row(last, 0.0);
                dict.row_mut(last).copy_from(&u.transpose());
            }
        }
        if dict.nrows() == before {
            break;
        }
    }
    best.ok_or_else(|| Error::Solver("ℓ1-penalized regression: no round ran".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;
    use rand_distr::{Distribution, StandardNormal};

    fn gaussian(n: usize, d: usize, stream: &str) -> DMatrix<f64> {
        let mut rng = seed::stream(6, &["sphere-lasso-test", stream], 0);
        DMatrix::from_fn(n, d, |_, _| StandardNormal.sample(&mut rng))
    }

    /// One point x, target y > 0: the optimum puts weight a on x/‖x‖ with (a‖x‖ − y)²  + 2λa minimal, i.e.
    /// a = (y − λ/‖x‖)/‖x‖ (for λ < y‖x‖) and V = 2λy/‖x‖ − λ²/‖x‖² — a closed form the certified bracket must contain.
    #[test]
    fn one_point_closed_form() {
        let x = DMatrix::from_row_slice(1, 2, &[3.0, 4.0]);
        let y = DVector::from_element(1, 2.0);
        for lambda in [1e-3, 0.1, 1.0] {
            let v = 2.0 * lambda * 2.0 / 5.0 - lambda * lambda / 25.0;
            let got = sphere_lasso(&x, &y, lambda, &gaussian(8, 2, "one"), &SphereLassoOptions::default()).unwrap();
            assert!(got.dual <= v * (1.0 + 1e-9) && got.primal >= v * (1.0 - 1e-9), "λ = {lambda}: {got:?} vs {v}");
            assert!(got.rel_gap() < 1e-6, "λ = {lambda}: {got:?}");
        }
    }

    /// The path's value over 2λ rises towards the minimum-ℓ1 interpolation norm ν* from below (V(λ) ≤ 2λν* since the
    /// interpolant is feasible), ν* bracketed independently by [`super::super::sphere_interpolant::min_l1_sphere`]; on
    /// this planted two-neuron target ν* = 1.5 (the planted measure) and the certified gap ν* − V(λ)/(2λ) falls from
    /// 0.33 (λ = 0.1) to 0.059 (λ = 0.01) — measured 2026-12-04, asserted only as "below 0.1 at λ = 0.01". (At λ = 1e-3
    /// it is 0.011: the gap shrinks like λ^0.74 here, not like λ — the first-order expansion with a bounded dual
    /// optimum does not describe this instance; not yet derived.)
    #[test]
    fn value_over_two_lambda_tends_to_the_interpolation_norm() {
        let (n, d) = (10, 3);
        let x = gaussian(n, d, "path");
        let y = DVector::from_fn(n, |i, _| x[(i, 0)].max(0.0) - 0.5 * x[(i, 2)].max(0.0));
        let init = gaussian(4 * n, d, "init");
        let bp = super::super::sphere_interpolant::min_l1_sphere(&x, &y, &init, &Default::default()).unwrap();
        assert!(bp.rel_gap() < 1e-6, "{bp:?}");
        // warm start: the interpolant's atoms and the random directions
        let mut warm = DMatrix::zeros(bp.dirs.nrows() + init.nrows(), d);
        warm.rows_mut(0, bp.dirs.nrows()).copy_from(&bp.dirs);
        warm.rows_mut(bp.dirs.nrows(), init.nrows()).copy_from(&init);
        let mut last = 0.0;
        for lambda in [1e-1, 1e-2] {
            let p = sphere_lasso(&x, &y, lambda, &warm, &SphereLassoOptions::default()).unwrap();
            assert!(p.rel_gap() < 1e-5, "{p:?}");
            let ratio = p.primal / (2.0 * lambda);
            assert!(p.dual / (2.0 * lambda) <= bp.upper * (1.0 + 1e-9), "λ = {lambda}");
            assert!(ratio >= last - 1e-9, "V/(2λ) must rise as λ falls");
            last = ratio;
        }
        assert!((bp.upper - 1.5).abs() < 1e-6, "the planted measure has norm 1.5: {bp:?}");
        assert!(bp.upper - last < 0.1, "{last} vs ν* = {}", bp.upper);
    }

    #[test]
    fn bad_inputs() {
        let x = gaussian(3, 2, "bad");
        let o = SphereLassoOptions::default();
        assert!(sphere_lasso(&x, &DVector::zeros(3), 0.0, &gaussian(4, 2, "i"), &o).is_err());
        assert!(matches!(
            sphere_lasso(&x, &DVector::zeros(2), 0.1, &gaussian(4, 2, "i"), &o),
            Err(Error::ShapeMismatch { .. })
        ));
    }
}

//! Hard-margin kernel SVM without bias, with a certified bracket on the ℓ2 margin.
//!
//! Primal: min ½‖f‖²_H s.t. y_i f(x_i) ≥ 1; the ℓ2 margin is γ* = 1/‖f*‖_H = max_{‖f‖_H ≤ 1} min_i y_i f(x_i).
//! Dual: max_{α ≥ 0} D(α) = Σ_i α_i − ½ αᵀQα with Q = (yyᵀ) ∘ K, and f_α = Σ_i α_i y_i K(x_i, ·), ‖f_α‖² = αᵀQα.
//!
//! Certified bracket from any α ≥ 0 (recomputed from K and y, not from the solver's state, [`dual`]):
//! - lower: if m = min_i (Qα)_i = min_i y_i f_α(x_i) > 0, then f_α/m is primal feasible, so γ* ≥ m/‖f_α‖;
//! - upper: weak duality D(tα) ≤ ½‖f*‖² = 1/(2γ*²) for every t ≥ 0; the best scaling t = Σα/αᵀQα gives
//!   γ* ≤ √(αᵀQα)/Σα (equivalently: for δ = α/Σα, every feasible f has 1 ≤ Σδ_i y_i f(x_i) ≤ ‖f‖√(δᵀQδ)).
//!
//! Solver: the primal–dual active-set Newton iteration of [`active_set`] (a few |F| × |F| Cholesky solves, F the
//! support guess), then, only if that did not close the bracket, dual coordinate ascent from the best point
//! ([`coordinate`]). Stops when (hi − lo)/hi ≤ tol. Memory: K is read in place; the one working copy is the support
//! block Q_FF (at most n × n), factorized in its own storage.
//!
//! Non-separable data → [`Error::NotSeparable`]: K(x_i, x_i) = 0 (then f(x_i) = 0 for every f), or the certified upper
//! bound falls below [`NOT_SEPARABLE_REL`]·max_i √K_ii (numerically zero margin: rounding of δᵀQδ is ~ε·max K_ii, so
//! √ε-level margins cannot be told from 0).

mod active_set;
mod coordinate;
mod dual;

use crate::error::{Error, Result, ensure_finite};
use crate::linalg::ensure_symmetric;
use dual::{Best, DualQ};
use nalgebra::{DMatrix, DVector};

/// Margins below this fraction of max_i √K(x_i, x_i) are declared numerically zero (not separable).
pub const NOT_SEPARABLE_REL: f64 = 1e-7;

/// Coordinate-ascent sweeps from α = 0 whose support is the active-set iteration's first guess.
pub const WARM_SWEEPS: usize = 5;

/// Solver options of [`Svm::fit`].
#[derive(Clone, Copy, Debug)]
pub struct SvmOptions {
    /// Target relative bracket gap (hi − lo)/hi.
    pub tol: f64,
    /// Maximum number of active-set Newton steps (each one Cholesky of the support block); 0 skips that phase.
    pub max_active_set: usize,
    /// Maximum number of coordinate-ascent epochs (sweeps over all n coordinates) if the active-set phase stalls.
    pub max_epochs: usize,
    /// Epochs between bound checks (each check costs one n × n matrix–vector product).
    pub check_every: usize,
}

impl Default for SvmOptions {
    fn default() -> Self {
        SvmOptions { tol: 1e-9, max_active_set: 50, max_epochs: 20_000, check_every: 5 }
    }
}

/// A fitted hard-margin kernel SVM (no bias) with its certified margin bracket.
#[derive(Clone, Debug)]
pub struct Svm {
    /// Dual variables α ≥ 0.
    pub alpha: DVector<f64>,
    /// Coefficients β = α ∘ y of f = Σ_i β_i K(x_i, ·), rescaled so that min_i y_i f(x_i) = 1.
    pub coef: DVector<f64>,
    /// Certified lower bound on the ℓ2 margin γ* (from the primal-feasible f).
    pub margin_lower: f64,
    /// Certified upper bound on γ* (weak duality).
    pub margin_upper: f64,
    /// Active-set Newton steps run.
    pub active_set_steps: usize,
    /// Epochs of coordinate ascent run (0 when the active-set phase closed the bracket).
    pub epochs: usize,
    /// Whether the relative gap reached `tol`.
    pub converged: bool,
    /// Number of support vectors (α_i > 0).
    pub support: usize,
}

impl Svm {
    /// Fits the hard-margin SVM to the Gram matrix K (n × n, symmetric) and labels y ∈ {−1, +1}^n.
    ///
    /// Errors: invalid K or y (shape, non-finite, labels not ±1, bad options), [`Error::NotSeparable`] (see module
    /// docs), [`Error::Numerical`] if no positive lower bound was found.
    pub fn fit(k: &DMatrix<f64>, y: &DVector<f64>, opts: SvmOptions) -> Result<Svm> {
        let n = ensure_symmetric("K", k)?;
        if y.len() != n {
            return Err(Error::shape("Svm: len(y) vs n", n, y.len()));
        }
        ensure_finite("y", y.as_slice())?;
        if let Some(i) = y.iter().position(|&v| v != 1.0 && v != -1.0) {
            return Err(Error::InvalidLabel { label: y[i].to_string(), index: i, reason: "labels must be ±1".into() });
        }
        if !(opts.tol.is_finite() && opts.tol > 0.0) || opts.max_epochs == 0 || opts.check_every == 0 {
            return Err(Error::param("SvmOptions", format!("{opts:?}"), "tol > 0, max_epochs ≥ 1, check_every ≥ 1"));
        }
        let kmax = (0..n).map(|i| k[(i, i)]).fold(0.0_f64, f64::max);
        if let Some(i) = (0..n).find(|&i| k[(i, i)] <= 0.0) {
            return Err(Error::NotSeparable(format!("K(x_{i}, x_{i}) = {} ≤ 0: every f has f(x_{i}) = 0", k[(i, i)])));
        }
        let floor = NOT_SEPARABLE_REL * kmax.sqrt();
        let q = DualQ::new(k, y);
        let mut best = Best::new(n);
        let mut warm = DVector::<f64>::zeros(n);
        let mut g = DVector::<f64>::zeros(n);
        for _ in 0..WARM_SWEEPS.min(opts.max_epochs) {
            coordinate::sweep(&q, &mut warm, &mut g);
        }
        let start: Vec<bool> = warm.iter().map(|&a| a > 0.0).collect();
        let (active_set_steps, _exit) = active_set::solve(&q, &mut best, opts.tol, opts.max_active_set, start);
        let mut epochs = 0;
        if !best.closed(opts.tol) {
            if best.hi < floor {
                return Err(not_separable(best.hi));
            }
            epochs = coordinate::ascend(&q, best.alpha.clone(), &mut best, &opts, floor)?;
        }
        if best.lo <= 0.0 {
            return Err(Error::Numerical(format!(
                "SVM: no separating function found ({active_set_steps} active-set steps, {epochs} epochs; margin \
                 upper bound {:.3e})",
                best.hi
            )));
        }
        let converged = best.closed(opts.tol);
        let coef = DVector::from_fn(n, |i, _| best.alpha[i] * y[i] / best.m);
        let support = best.alpha.iter().filter(|&&a| a > 0.0).count();
        Ok(Svm {
            alpha: best.alpha,
            coef,
            margin_lower: best.lo,
            margin_upper: best.hi,
            active_set_steps,
            epochs,
            converged,
            support,
        })
    }

    /// The midpoint of the certified bracket.
    pub fn margin(&self) -> f64 {
        0.5 * (self.margin_lower + self.margin_upper)
    }

    /// Relative bracket gap (hi − lo)/hi.
    pub fn relative_gap(&self) -> f64 {
        (self.margin_upper - self.margin_lower) / self.margin_upper
    }

    /// Decision values f(z_m) = Σ_i β_i K(x_i, z_m) from the train × test kernel matrix (n × M).
    pub fn decision(&self, k_train_test: &DMatrix<f64>) -> Result<DVector<f64>> {
        super::ridge_path::predict(k_train_test, &self.coef)
    }
}

fn not_separable(hi: f64) -> Error {
    Error::NotSeparable(format!(
        "certified margin upper bound {hi:.3e} < {NOT_SEPARABLE_REL:e}·max√K_ii (dual unbounded)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::{Kind, gram};

    #[test]
    fn two_points_closed_form() {
        // linear kernel on x1 = (1, 0), x2 = (0, 2), labels +1, −1: f(x) = wᵀx with w = (1, −1/2), ‖w‖ = √5/2.
        let k = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 0.0, 4.0]);
        let y = DVector::from_vec(vec![1.0, -1.0]);
        let s = Svm::fit(&k, &y, SvmOptions::default()).unwrap();
        let want = 2.0 / 5f64.sqrt();
        assert!(s.margin_lower <= want * (1.0 + 1e-12) && s.margin_upper >= want * (1.0 - 1e-12));
        assert!(s.relative_gap() < 1e-9 && s.converged);
    }

    #[test]
    fn xor_ntk_bracket_closes() {
        let n = 80;
        let x = DMatrix::from_fn(n, 6, |i, j| if ((i * 2654435761usize) >> (j + 3)) & 1 == 1 { 1.0 } else { -1.0 });
        let mut xs = x.clone();
        for i in 0..n {
            xs[(i, 5)] = (i as f64 * 0.37).sin();
        }
        let y = DVector::from_fn(n, |i, _| xs[(i, 0)] * xs[(i, 1)]);
        let k = gram(Kind::Ntk, &xs).unwrap();
        let s = Svm::fit(&k, &y, SvmOptions::default()).unwrap();
        assert!(s.margin_lower > 0.0 && s.relative_gap() <= 1e-6, "{s:?}");
        let f = s.decision(&k).unwrap();
        let m = (0..n).map(|i| y[i] * f[i]).fold(f64::INFINITY, f64::min);
        assert!((m - 1.0).abs() < 1e-9);
    }

    #[test]
    fn conflicting_duplicates_are_not_separable() {
        let x = DMatrix::from_row_slice(3, 2, &[1.0, 0.0, 1.0, 0.0, 0.0, 1.0]);
        let y = DVector::from_vec(vec![1.0, -1.0, 1.0]);
        let k = gram(Kind::Relu, &x).unwrap();
        assert!(matches!(Svm::fit(&k, &y, SvmOptions::default()), Err(Error::NotSeparable(_))));
        let y2 = DVector::from_vec(vec![1.0, 0.5, 1.0]);
        assert!(matches!(Svm::fit(&k, &y2, SvmOptions::default()), Err(Error::InvalidLabel { .. })));
    }

    /// Whether two certified brackets overlap, up to rounding of the recomputed bounds (1e-12 relative).
    fn overlap(a: &Svm, b: &Svm) -> bool {
        let slack = 1e-12 * a.margin_upper.max(b.margin_upper);
        a.margin_lower <= b.margin_upper + slack && b.margin_lower <= a.margin_upper + slack
    }

    /// Two independent solvers — the active-set Newton iteration and pure coordinate ascent (`max_active_set: 0`) —
    /// must produce overlapping certified brackets on random problems, for every kernel.
    #[test]
    fn active_set_and_coordinate_ascent_agree() {
        use rand::Rng;
        for (seed, kind) in [(1u64, Kind::Ntk), (2, Kind::Relu), (3, Kind::Step), (4, Kind::Ntk)] {
            let mut rng = crate::seed::stream(seed, &["svm-agree"], 0);
            let (n, d) = (60, 5);
            let x = DMatrix::from_fn(n, d, |_, _| rng.random_range(-1.0..1.0));
            let y = DVector::from_fn(n, |i, _| if x[(i, 0)] * x[(i, 1)] + 0.1 * x[(i, 2)] > 0.0 { 1.0 } else { -1.0 });
            let k = gram(kind, &x).unwrap();
            let opts = SvmOptions { tol: 1e-7, ..SvmOptions::default() };
            let a = Svm::fit(&k, &y, opts).unwrap();
            let c = Svm::fit(&k, &y, SvmOptions { max_active_set: 0, max_epochs: 200_000, ..opts }).unwrap();
            assert!(a.converged && c.converged && c.active_set_steps == 0, "{kind:?}: {a:?} {c:?}");
            assert!(overlap(&a, &c), "{kind:?}: {a:?} vs {c:?}");
            // on these small problems the active-set Newton iteration closes the bracket by itself (finite
            // termination at the right support), with no coordinate-ascent epochs after it
            assert_eq!(a.epochs, 0, "{kind:?}: the active-set iteration did not close the bracket: {a:?}");
        }
    }

    /// Duplicate points with equal labels make Q singular; the ridge fallback still closes the bracket.
    #[test]
    fn duplicate_points_with_equal_labels() {
        let x = DMatrix::from_row_slice(5, 2, &[1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.6, 0.8, 0.6, 0.8]);
        let y = DVector::from_vec(vec![1.0, 1.0, -1.0, 1.0, 1.0]);
        let k = gram(Kind::Ntk, &x).unwrap();
        let s = Svm::fit(&k, &y, SvmOptions::default()).unwrap();
        assert!(s.converged && s.margin_lower > 0.0, "{s:?}");
        // the same data without duplicates has the same margin (duplicates add no constraint)
        let x3 = DMatrix::from_row_slice(3, 2, &[1.0, 0.0, 0.0, 1.0, 0.6, 0.8]);
        let k3 = gram(Kind::Ntk, &x3).unwrap();
        let s3 = Svm::fit(&k3, &DVector::from_vec(vec![1.0, -1.0, 1.0]), SvmOptions::default()).unwrap();
        assert!(overlap(&s, &s3), "{s:?} vs {s3:?}");
    }

    /// An independent solver: clarabel's interior-point QP on min ½αᵀQα − 𝟙ᵀα, α ≥ 0, whose optimal value is
    /// −Σα*/2 = −1/(2γ*²). Its γ* = 1/√(−2·value) must sit in our certified bracket (up to the QP's 1e-9 tolerances).
    #[test]
    fn bracket_holds_the_interior_point_optimum() {
        use crate::convex::solver::{ConicProgram, Triplets, solve};
        use rand::Rng;
        for (seed, kind) in [(11u64, Kind::Ntk), (12, Kind::Relu), (13, Kind::ReluSphere)] {
            let mut rng = crate::seed::stream(seed, &["svm-qp"], 0);
            let (n, d) = (40, 4);
            let x = DMatrix::from_fn(n, d, |_, _| rng.random_range(-1.0..1.0));
            let y = DVector::from_fn(n, |i, _| if x[(i, 0)] * x[(i, 1)] > 0.0 { 1.0 } else { -1.0 });
            let k = gram(kind, &x).unwrap();
            let s = Svm::fit(&k, &y, SvmOptions::default()).unwrap();
            let q = DMatrix::from_fn(n, n, |i, j| if i <= j { y[i] * y[j] * k[(i, j)] } else { 0.0 });
            let p = Triplets::from_dense(&q);
            let a = Triplets::from_dense(&(-DMatrix::<f64>::identity(n, n)));
            let (lin, rhs) = (vec![-1.0; n], vec![0.0; n]);
            let qp = solve(&ConicProgram {
                what: "SVM dual QP",
                p: Some(&p),
                q: &lin,
                a: &a,
                b: &rhs,
                equalities: 0,
                tol: 1e-10,
            })
            .unwrap();
            assert!(qp.exact, "{kind:?}: the QP was only AlmostSolved");
            let alpha = DVector::from_column_slice(&qp.x);
            let full_q = DMatrix::from_fn(n, n, |i, j| y[i] * y[j] * k[(i, j)]);
            let value = 0.5 * alpha.dot(&(&full_q * &alpha)) - alpha.sum();
            let gamma = 1.0 / (-2.0 * value).sqrt();
            let slack = 1e-6 * gamma;
            assert!(
                s.margin_lower - slack <= gamma && gamma <= s.margin_upper + slack,
                "{kind:?}: QP γ* = {gamma} vs bracket [{}, {}]",
                s.margin_lower,
                s.margin_upper
            );
        }
    }
}

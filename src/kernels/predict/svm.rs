//! Hard-margin kernel SVM without bias, with a certified bracket on the ℓ2 margin.
//!
//! Primal: min ½‖f‖²_H s.t. y_i f(x_i) ≥ 1; the ℓ2 margin is γ* = 1/‖f*‖_H = max_{‖f‖_H ≤ 1} min_i y_i f(x_i).
//! Dual: max_{α ≥ 0} D(α) = Σ_i α_i − ½ αᵀQα with Q = (yyᵀ) ∘ K, and f_α = Σ_i α_i y_i K(x_i, ·), ‖f_α‖² = αᵀQα.
//!
//! Certified bracket from any α ≥ 0 (recomputed from K and y, not from the solver's state):
//! - lower: if m = min_i (Qα)_i = min_i y_i f_α(x_i) > 0, then f_α/m is primal feasible, so γ* ≥ m/‖f_α‖;
//! - upper: weak duality D(tα) ≤ ½‖f*‖² = 1/(2γ*²) for every t ≥ 0; the best scaling t = Σα/αᵀQα gives
//!   γ* ≤ √(αᵀQα)/Σα (equivalently: for δ = α/Σα, every feasible f has 1 ≤ Σδ_i y_i f(x_i) ≤ ‖f‖√(δᵀQδ)).
//!
//! Solver: dual coordinate ascent α_i ← max(0, α_i + (1 − (Qα)_i)/Q_ii), with the gradient Qα maintained and recomputed
//! exactly at every bound check, plus a "polish" step that solves Q_SS α_S = 𝟙 on the current support S (Cholesky) and
//! keeps the result when it is dual feasible and tightens the bracket. Stops when (hi − lo)/hi ≤ tol.
//!
//! Non-separable data → [`Error::NotSeparable`]: K(x_i, x_i) = 0 (then f(x_i) = 0 for every f), or the certified upper
//! bound falls below [`NOT_SEPARABLE_REL`]·max_i √K_ii (numerically zero margin: rounding of δᵀQδ is ~ε·max K_ii, so
//! √ε-level margins cannot be told from 0). When the Cholesky polish fails on a singular support block Q_SS, the
//! eigenvector of its smallest eigenvalue (made nonnegative) is tried as δ — for duplicate points with opposite labels
//! it gives δᵀQδ = 0 at once.

use crate::error::{Error, Result, ensure_finite};
use crate::linalg::solve::Cholesky;
use crate::linalg::{as_faer, as_faer_mut, ensure_symmetric, par};
use nalgebra::{DMatrix, DVector};

/// Margins below this fraction of max_i √K(x_i, x_i) are declared numerically zero (not separable).
pub const NOT_SEPARABLE_REL: f64 = 1e-7;

/// Solver options of [`Svm::fit`].
#[derive(Clone, Copy, Debug)]
pub struct SvmOptions {
    /// Target relative bracket gap (hi − lo)/hi.
    pub tol: f64,
    /// Maximum number of coordinate-ascent epochs (sweeps over all n coordinates).
    pub max_epochs: usize,
    /// Epochs between bound checks (each check costs one n × n matrix–vector product).
    pub check_every: usize,
}

impl Default for SvmOptions {
    fn default() -> Self {
        SvmOptions { tol: 1e-9, max_epochs: 20_000, check_every: 5 }
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
    /// Epochs of coordinate ascent run.
    pub epochs: usize,
    /// Whether the relative gap reached `tol`.
    pub converged: bool,
    /// Number of support vectors (α_i > 0).
    pub support: usize,
}

struct Bounds {
    lo: f64,
    hi: f64,
    min_margin: f64,
}

struct Best {
    lo: f64,
    hi: f64,
    alpha: DVector<f64>,
    m: f64,
}

impl Best {
    fn consider(&mut self, a: &DVector<f64>, b: &Bounds) {
        if b.lo > self.lo {
            self.lo = b.lo;
            self.alpha = a.clone();
            self.m = b.min_margin;
        }
        self.hi = self.hi.min(b.hi);
    }
}

fn matvec(q: &DMatrix<f64>, a: &DVector<f64>) -> DVector<f64> {
    let n = q.nrows();
    let mut out = DMatrix::<f64>::zeros(n, 1);
    let a_m = DMatrix::from_column_slice(n, 1, a.as_slice());
    faer::linalg::matmul::matmul(as_faer_mut(&mut out), faer::Accum::Replace, as_faer(q), as_faer(&a_m), 1.0, par());
    DVector::from_column_slice(out.as_slice())
}

fn bounds(q: &DMatrix<f64>, alpha: &DVector<f64>) -> (Bounds, DVector<f64>) {
    let g = matvec(q, alpha);
    let norm2 = alpha.dot(&g).max(0.0);
    let m = g.min();
    let lo = if m > 0.0 && norm2 > 0.0 { m / norm2.sqrt() } else { 0.0 };
    let sum = alpha.sum();
    let hi = if sum > 0.0 { norm2.sqrt() / sum } else { f64::INFINITY };
    (Bounds { lo, hi, min_margin: m }, g)
}

impl Svm {
    /// Fits the hard-margin SVM to the Gram matrix K (n × n, symmetric) and labels y ∈ {−1, +1}^n.
    ///
    /// Errors: invalid K or y (shape, non-finite, labels not ±1, bad options), [`Error::NotSeparable`] (see module
    /// docs), [`Error::Numerical`] if no positive lower bound was found within `max_epochs`.
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
        let q = DMatrix::from_fn(n, n, |i, j| y[i] * y[j] * k[(i, j)]);
        let mut alpha = DVector::<f64>::zeros(n);
        let mut g = DVector::<f64>::zeros(n);
        let mut best = Best { lo: 0.0, hi: f64::INFINITY, alpha: alpha.clone(), m: 0.0 };
        let mut last_support: Vec<usize> = Vec::new();
        let mut epochs = 0;
        let mut converged = false;
        while epochs < opts.max_epochs {
            for i in 0..n {
                let qii = q[(i, i)];
                let new = (alpha[i] + (1.0 - g[i]) / qii).max(0.0);
                let delta = new - alpha[i];
                if delta != 0.0 {
                    alpha[i] = new;
                    g.axpy(delta, &q.column(i), 1.0);
                }
            }
            epochs += 1;
            if epochs % opts.check_every != 0 && epochs != opts.max_epochs {
                continue;
            }
            let (b, gx) = bounds(&q, &alpha);
            g = gx;
            best.consider(&alpha, &b);
            // polish on the support
            let support: Vec<usize> = (0..n).filter(|&i| alpha[i] > 0.0).collect();
            if !support.is_empty() && support == last_support {
                let qs = q.select_rows(&support).select_columns(&support);
                let chol = Cholesky::new(&qs);
                if chol.is_err() {
                    // singular support block: try its null direction as an infeasibility certificate δ ≥ 0
                    if let Ok(e) = crate::linalg::eigen::sym_eigen(&qs) {
                        let v = e.vectors.column(0);
                        let sign = if v.sum() >= 0.0 { 1.0 } else { -1.0 };
                        let mut delta = DVector::<f64>::zeros(n);
                        for (t, &i) in support.iter().enumerate() {
                            delta[i] = (sign * v[t]).max(0.0);
                        }
                        if delta.sum() > 0.0 {
                            let (bd, _) = bounds(&q, &delta);
                            best.hi = best.hi.min(bd.hi);
                        }
                    }
                }
                if let Ok(ch) = chol {
                    if let Ok(sol) = ch.solve(&DMatrix::from_element(support.len(), 1, 1.0)) {
                        if sol.iter().all(|&v| v > 0.0 && v.is_finite()) {
                            let mut a2 = DVector::<f64>::zeros(n);
                            for (t, &i) in support.iter().enumerate() {
                                a2[i] = sol[(t, 0)];
                            }
                            let (b2, g2) = bounds(&q, &a2);
                            if b2.lo >= best.lo {
                                alpha = a2.clone();
                                g = g2;
                            }
                            best.consider(&a2, &b2);
                        }
                    }
                }
            }
            last_support = support;
            if best.hi < floor {
                return Err(Error::NotSeparable(format!(
                    "certified margin upper bound {:.3e} < {NOT_SEPARABLE_REL:e}·max√K_ii (dual unbounded)",
                    best.hi
                )));
            }
            if best.lo > 0.0 && (best.hi - best.lo) <= opts.tol * best.hi {
                converged = true;
                break;
            }
        }
        if best.lo <= 0.0 {
            return Err(Error::Numerical(format!(
                "SVM: no separating function found in {epochs} epochs (margin upper bound {:.3e})",
                best.hi
            )));
        }
        let coef = DVector::from_fn(n, |i, _| best.alpha[i] * y[i] / best.m);
        let support = best.alpha.iter().filter(|&&a| a > 0.0).count();
        Ok(Svm { alpha: best.alpha, coef, margin_lower: best.lo, margin_upper: best.hi, epochs, converged, support })
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
}

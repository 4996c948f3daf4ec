//! The global optimum of the two-layer regularized logistic loss through its convex lift, with a duality-gap
//! certificate.
//!
//! For a width-m net f(Θ; x) = Σ_j w_j relu(u_jᵀx), L_{λ,m}(Θ) = (1/n) Σ_i log(1 + exp(−y_i f(Θ; x_i))) + λ‖Θ‖₂².
//! Balancing each neuron (|w_j| = ‖u_j‖, same f) gives ‖Θ‖₂² = 2 Σ_j |w_j|‖u_j‖ = 2‖α‖₁ for the lifted weights
//! α_j = w_j‖u_j‖ on the directions ū_j = u_j/‖u_j‖, so for m ≥ n + 1
//!
//! min_Θ L_{λ,m} = min over signed measures α of F(α) = (1/n) Σ_i softplus(−y_i⟨α, φ(x_i)⟩) + 2λ‖α‖₁.
//!
//! **Primal**: on a dictionary of directions, minimize F (a log-barrier Newton method on the split variables
//! α = α⁺ − α⁻ ≥ 0, in units of λ so that the tiny losses at λ = 1e-10 stay well scaled; each Newton system is solved by
//! the Woodbury identity through an n × n Cholesky factor). F(α) at the returned α is an achieved loss — an upper
//! bound on the global minimum.
//!
//! **Dual** (Fenchel): for any t ∈ [0, 1]^n with sup_{ū ∈ S^{d−1}} |(1/n) Σ_i t_i y_i relu(ūᵀx_i)| ≤ 2λ,
//! F(α) ≥ (1/n) Σ_i H(t_i) for *every* measure α, where H(t) = −t ln t − (1 − t) ln(1 − t). We take
//! t_i = s·σ(−y_i f(x_i)) with s = min(1, 2λ/S), S a rigorous bound on the supremum ([`super::sphere_sup`]), so the dual
//! value is a certified lower bound on the loss of every two-layer network of any width.
//!
//! Column generation adds the direction where the dual constraint is most violated until it holds to a relative
//! `1e-9` or the round budget is spent.

use super::l1_svm::{normalize_dictionary, relu_features};
use super::sphere_sup::{self, SupOptions};
use crate::data::Dataset;
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// Stable softplus log(1 + eˢ), sigmoid 1/(1 + e^{−s}) and binary entropy (one implementation, in `nets::loss`).
pub use crate::nets::loss::{binary_entropy, sigmoid, softplus};

/// F(α) = (1/n) Σ_i softplus(−y_i (Φα)_i) + 2λ‖α‖₁ for weights `alpha` on unit directions `dirs` (rows): the
/// regularized loss L_λ of the balanced two-layer net with these atoms.
pub fn objective(data: &Dataset, dirs: &DMatrix<f64>, alpha: &DVector<f64>, lambda: f64) -> Result<f64> {
    if dirs.nrows() != alpha.len() || dirs.ncols() != data.d() {
        return Err(Error::shape("directions × weights", format!("{} × {}", alpha.len(), data.d()), dirs.nrows()));
    }
    let f = relu_features(data.x(), dirs) * alpha;
    let n = data.n() as f64;
    Ok((0..data.n()).map(|i| softplus(-data.y()[i] * f[i])).sum::<f64>() / n + 2.0 * lambda * alpha.lp_norm(1))
}

/// The certified dual lower bound (1/n) Σ H(s·σ(−z_i)) for margins z_i = y_i f(x_i) of any network; returns the bound
/// and the supremum S of the unscaled dual function (the scale is s = min(1, 2λ/S)).
pub fn dual_bound(data: &Dataset, z: &[f64], lambda: f64, sup: &SupOptions) -> Result<(f64, sphere_sup::SupBound)> {
    let n = data.n();
    if z.len() != n {
        return Err(Error::shape("margins", n, z.len()));
    }
    let t: Vec<f64> = z.iter().map(|zi| sigmoid(-zi)).collect();
    let c: Vec<f64> = (0..n).map(|i| t[i] * data.y()[i] / n as f64).collect();
    let s = sphere_sup::sup_abs(data.x(), &c, sup)?;
    let scale = if s.upper > 2.0 * lambda { 2.0 * lambda / s.upper } else { 1.0 };
    Ok((t.iter().map(|ti| binary_entropy(scale * ti)).sum::<f64>() / n as f64, s))
}

/// Options of [`l1_logistic`].
#[derive(Debug, Clone, Copy)]
pub struct LogisticOptions {
    /// Target for the barrier's own suboptimality bound, in units of λ (gap/λ).
    pub scaled_gap: f64,
    /// Newton steps per barrier stage.
    pub max_newton: usize,
    /// Rounds of column generation.
    pub max_rounds: usize,
    /// Add a column when the dual constraint is violated by more than this relative amount.
    pub viol_tol: f64,
    /// Supremum options for the dual certificate.
    pub sup: SupOptions,
}

impl Default for LogisticOptions {
    fn default() -> Self {
        LogisticOptions {
            scaled_gap: 1e-6,
            max_newton: 200,
            max_rounds: 12,
            viol_tol: 1e-7,
            sup: SupOptions::default(),
        }
    }
}

/// A certified optimum of the lifted problem: dual ≤ min_Θ L_{λ,m} ≤ primal for every m ≥ n + 1.
#[derive(Debug, Clone)]
pub struct LogisticSolution {
    /// λ.
    pub lambda: f64,
    /// Directions used (rows, unit).
    pub dirs: DMatrix<f64>,
    /// Weights α on `dirs` (f = Σ_j α_j relu(ū_jᵀx)).
    pub alpha: DVector<f64>,
    /// F(α): the loss achieved (upper bound on the global minimum).
    pub primal: f64,
    /// Certified lower bound on the global minimum over all widths.
    pub dual: f64,
    /// Normalized margin of the balanced net, min_i y_i f(x_i)/(2‖α‖₁) (may be ≤ 0 for large λ).
    pub margin: f64,
    /// Total Newton steps.
    pub newton_steps: usize,
    /// Column-generation rounds.
    pub rounds: usize,
}

impl LogisticSolution {
    /// primal − dual (≥ 0 up to rounding).
    pub fn gap(&self) -> f64 {
        self.primal - self.dual
    }
    /// (primal − dual)/λ.
    pub fn scaled_gap(&self) -> f64 {
        self.gap() / self.lambda
    }
}

/// Minimizes the barrier problem on a fixed dictionary (scaled by 1/λ) from the split start `a` (length 2k, > 0).
fn barrier_solve(phi_y: &DMatrix<f64>, lambda: f64, a: &mut [f64], tau0: f64, opts: &LogisticOptions) -> Result<usize> {
    let (n, k) = (phi_y.nrows(), phi_y.ncols());
    let inv = 1.0 / (n as f64 * lambda);
    let z_of = |a: &[f64]| -> DVector<f64> {
        let al = DVector::from_fn(k, |j, _| a[j] - a[k + j]);
        phi_y * al
    };
    let value = |a: &[f64], z: &DVector<f64>, tau: f64| -> f64 {
        let loss: f64 = z.iter().map(|zi| softplus(-zi)).sum::<f64>() * inv;
        let lin: f64 = 2.0 * a.iter().sum::<f64>();
        let bar: f64 = a.iter().map(|v| v.ln()).sum::<f64>();
        loss + lin - tau * bar
    };
    let tau_final = 0.1 * opts.scaled_gap / (2 * k) as f64;
    let mut tau = tau0.max(tau_final);
    let mut steps = 0;
    loop {
        for _ in 0..opts.max_newton {
            let z = z_of(a);
            let r: Vec<f64> = z.iter().map(|zi| -sigmoid(-zi) * inv).collect();
            let w: Vec<f64> = z.iter().map(|zi| sigmoid(*zi) * sigmoid(-zi) * inv).collect();
            let sq: Vec<f64> = w.iter().map(|v| v.sqrt()).collect();
            let ar = phi_y.transpose() * DVector::from_vec(r);
            let mut g = vec![0.0; 2 * k];
            let mut dinv = vec![0.0; 2 * k];
            for j in 0..k {
                g[j] = ar[j] + 2.0 - tau / a[j];
                g[k + j] = -ar[j] + 2.0 - tau / a[k + j];
                dinv[j] = a[j] * a[j] / tau;
                dinv[k + j] = a[k + j] * a[k + j] / tau;
            }
            // E = A diag(d⁺ + d⁻) Aᵀ, M = I + S E S
            let dsum = DVector::from_fn(k, |j, _| dinv[j] + dinv[k + j]);
            let mut scaled = phi_y.clone();
            for j in 0..k {
                scaled.column_mut(j).scale_mut(dsum[j]);
            }
            let e = &scaled * phi_y.transpose();
            let m = DMatrix::from_fn(n, n, |i, l| sq[i] * e[(i, l)] * sq[l] + if i == l { 1.0 } else { 0.0 });
            // u = D⁻¹ g; Bu = A(u⁺ − u⁻)
            let u: Vec<f64> = (0..2 * k).map(|j| dinv[j] * g[j]).collect();
            let bu = phi_y * DVector::from_fn(k, |j, _| u[j] - u[k + j]);
            let rhs = DVector::from_fn(n, |i, _| sq[i] * bu[i]);
            let chol = m.cholesky().ok_or_else(|| Error::Numerical("barrier Newton system not SPD".into()))?;
            let yv = chol.solve(&rhs);
            let sy = DVector::from_fn(n, |i, _| sq[i] * yv[i]);
            let bts = phi_y.transpose() * sy;
            let mut delta = vec![0.0; 2 * k];
            for j in 0..k {
                delta[j] = -(u[j] - dinv[j] * bts[j]);
                delta[k + j] = -(u[k + j] + dinv[k + j] * bts[j]);
            }
            let dec: f64 = -g.iter().zip(&delta).map(|(a, b)| a * b).sum::<f64>();
            if !dec.is_finite() {
                return Err(Error::Numerical("barrier Newton decrement not finite".into()));
            }
            let f0 = value(a, &z, tau);
            if dec / 2.0 < 1e-11 * f0.abs().max(1.0) {
                break;
            }
            let mut t: f64 = 1.0;
            for j in 0..2 * k {
                if delta[j] < 0.0 {
                    t = t.min(-0.99 * a[j] / delta[j]);
                }
            }
            let mut trial = vec![0.0; 2 * k];
            let mut accepted = false;
            for _ in 0..40 {
                for j in 0..2 * k {
                    trial[j] = a[j] + t * delta[j];
                }
                let zt = z_of(&trial);
                let ft = value(&trial, &zt, tau);
                if ft <= f0 - 1e-4 * t * dec || (ft - f0).abs() <= 1e-15 * f0.abs().max(1.0) {
                    accepted = true;
                    break;
                }
                t *= 0.5;
            }
            steps += 1;
            if !accepted {
                break;
            }
            a.copy_from_slice(&trial);
        }
        if tau <= tau_final {
            break;
        }
        tau = (tau * 0.1).max(tau_final);
    }
    Ok(steps)
}

/// Certified global optimum of the two-layer regularized logistic loss at `lambda` (see the module docs), starting
/// from the dictionary `dirs` (rows, nonzero) and optionally warm-started from a previous solution (whose dictionary
/// and weights are reused). Errors on bad input (λ ≤ 0, zero/NaN directions, shapes, regression data).
pub fn l1_logistic(
    data: &Dataset,
    dirs: &DMatrix<f64>,
    lambda: f64,
    warm: Option<&LogisticSolution>,
    opts: &LogisticOptions,
) -> Result<LogisticSolution> {
    crate::error::ensure_positive("lambda", lambda)?;
    if data.task() != crate::data::Task::Binary {
        return Err(Error::param("task", "regression", "logistic loss needs ±1 labels"));
    }
    if !(opts.scaled_gap > 0.0 && opts.max_newton > 0) {
        return Err(Error::param("LogisticOptions", format!("{opts:?}"), "scaled_gap > 0, max_newton > 0"));
    }
    let (mut dirs, init) = match warm {
        Some(w) if w.dirs.ncols() == data.d() => (w.dirs.clone(), Some(w.alpha.clone())),
        _ => (normalize_dictionary(dirs, data.d())?, None),
    };
    let mut k = dirs.nrows();
    // cold start: τ₀ = 0.1 from a = 0.01; warm start: τ₀ = 1e-3 from the previous weights shifted by τ₀
    const WARM_TAU: f64 = 1e-3;
    let mut tau0 = if init.is_some() { WARM_TAU } else { 1e-1 };
    let mut a: Vec<f64> = match &init {
        Some(al) => {
            let mut v = vec![0.0; 2 * k];
            for j in 0..k {
                v[j] = al[j].max(0.0) + WARM_TAU;
                v[k + j] = (-al[j]).max(0.0) + WARM_TAU;
            }
            v
        }
        None => vec![1e-2; 2 * k],
    };
    let mut rounds = 0;
    let mut steps = 0;
    loop {
        let phi = relu_features(data.x(), &dirs);
        let phi_y = DMatrix::from_fn(phi.nrows(), k, |i, j| data.y()[i] * phi[(i, j)]);
        steps += barrier_solve(&phi_y, lambda, &mut a, tau0, opts)?;
        tau0 = WARM_TAU;
        let alpha = DVector::from_fn(k, |j, _| a[j] - a[k + j]);
        let z = &phi_y * &alpha;
        let (dual, sup) = dual_bound(data, z.as_slice(), lambda, &opts.sup)?;
        let primal = objective(data, &dirs, &alpha, lambda)?;
        let violated = sup.best > 2.0 * lambda * (1.0 + opts.viol_tol);
        if !violated || rounds >= opts.max_rounds {
            let l1 = alpha.lp_norm(1);
            let margin = if l1 > 0.0 { z.min() / (2.0 * l1) } else { 0.0 };
            return Ok(LogisticSolution { lambda, dirs, alpha, primal, dual, margin, newton_steps: steps, rounds });
        }
        // add the most violated direction, keep the current point (new atom starts small)
        dirs = dirs.insert_row(k, 0.0);
        for c in 0..dirs.ncols() {
            dirs[(k, c)] = sup.argmax[c];
        }
        let mut na = vec![0.0; 2 * (k + 1)];
        for j in 0..k {
            na[j] = a[j] + WARM_TAU;
            na[k + 1 + j] = a[k + j] + WARM_TAU;
        }
        na[k] = WARM_TAU;
        na[2 * k + 1] = WARM_TAU;
        a = na;
        k += 1;
        rounds += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::sphere;

    fn line() -> Dataset {
        let x = DMatrix::from_row_slice(5, 2, &[-1.0, 1.0, -0.4, 1.0, 0.1, 1.0, 0.5, 1.0, 0.9, 1.0]);
        Dataset::binary(x, DVector::from_vec(vec![1.0, -1.0, 1.0, -1.0, 1.0])).unwrap()
    }

    #[test]
    fn stable_scalars() {
        assert!((softplus(0.0) - 2f64.ln()).abs() < 1e-15);
        assert_eq!(softplus(-800.0), 0.0_f64.max((-800f64).exp()));
        assert!((softplus(800.0) - 800.0).abs() < 1e-12);
        assert!((binary_entropy(0.5) - 2f64.ln()).abs() < 1e-15);
        assert_eq!(binary_entropy(0.0), 0.0);
    }

    #[test]
    fn certified_gap_small_across_lambdas() {
        let ds = line();
        let dirs = sphere::circle(64).unwrap();
        let mut prev: Option<LogisticSolution> = None;
        for lambda in [1e-2, 1e-4, 1e-6, 1e-8] {
            let s = l1_logistic(&ds, &dirs, lambda, prev.as_ref(), &LogisticOptions::default()).unwrap();
            assert!(s.dual <= s.primal + 1e-15, "dual above primal at {lambda}");
            assert!(s.scaled_gap() < 1e-3, "λ {lambda}: gap/λ {}", s.scaled_gap());
            prev = Some(s);
        }
    }

    #[test]
    fn weak_duality_for_random_weights() {
        let ds = line();
        let dirs = sphere::circle(16).unwrap();
        let mut rng = crate::seed::stream(5, &["l1_logistic"], 0);
        for _ in 0..20 {
            let alpha = DVector::from_fn(16, |_, _| rand::Rng::random_range(&mut rng, -3.0..3.0));
            let z: Vec<f64> = {
                let f = relu_features(ds.x(), &dirs) * &alpha;
                (0..ds.n()).map(|i| ds.y()[i] * f[i]).collect()
            };
            let p = objective(&ds, &dirs, &alpha, 1e-3).unwrap();
            let (d, _) = dual_bound(&ds, &z, 1e-3, &SupOptions::default()).unwrap();
            assert!(d <= p, "dual {d} > primal {p}");
        }
    }

    #[test]
    fn bad_lambda() {
        let ds = line();
        let dirs = sphere::circle(8).unwrap();
        assert!(l1_logistic(&ds, &dirs, 0.0, None, &LogisticOptions::default()).is_err());
        assert!(l1_logistic(&ds, &dirs, f64::NAN, None, &LogisticOptions::default()).is_err());
    }
}

//! The certified optimum L* of the flow objective: a convex problem over nonnegative measures on the sphere.
//!
//! By 2-homogeneity of Φ and V = λ‖θ‖², L* = inf_ρ L[ρ] = min over nonnegative μ on S^D of R(∫Φ(θ̄) dμ) + λ μ(S^D).
//! Writing θ̄ = (w, r ū) with w² + r² = 1, Φ(θ̄) = w r ψ(ū) with ψ(ū)_i = s(ūᵀx_i) and w r ∈ [−½, ½], so the optimal
//! μ sits on w = ±r and L* = min over signed measures α on S^{D−1} of R(∫ψ dα) + 2λ‖α‖_TV (R = mean logistic loss,
//! see [`crate::flow::problem`]).
//!
//! - **Upper bound U**: any α on a grid of directions is a feasible measure; U is its objective, recomputed from the
//!   problem data (the grid problem is solved by FISTA on the signed weights until its own duality gap is small).
//! - **Lower bound**: weak duality. For any p with p_i = −y_i t_i / n, t ∈ [0, 1]ⁿ, and sup_{ū∈S^{D−1}} |pᵀψ(ū)| ≤ 2λ
//!   (equivalently max over S^D of −⟨p, Φ(θ̄)⟩ ≤ λ), every measure ρ satisfies L[ρ] ≥ −R*(p) = (1/n) Σ H(t_i), because
//!   R(f) ≥ ⟨p, f⟩ − R*(p) and ⟨p, Φ(θ)⟩ + λ‖θ‖² ≥ 0 pointwise. We take p = c·∇R(f̂) at the grid solution f̂, with
//!   c = min(1, 2λ / M̄) and M̄ a certified upper bound of the sphere maximum from the crate's one sphere maximizer
//!   ([`sphere_max`]: exact for relu with D = 2, otherwise branch and bound over cube-face cells with a rigorous cap
//!   bound), its slack reported as `slack`.
//! - **Column generation**: if the bracket is wider than asked, the sphere's argmax direction joins the grid and the
//!   problem is re-solved (a few rounds).

use super::sphere_sup::{CapBounded, SupOptions, sup_abs, sup_abs_of};
use crate::flow::problem::Problem;
use crate::flow::{Activation, Particles};
use crate::{Error, Result};

/// Sizes and tolerances of the certificate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeasureConfig {
    /// Grid directions on S^{D−1} (circle points for D = 2, Fibonacci points for D = 3).
    pub grid: usize,
    /// Stop FISTA when the grid duality gap is below this.
    pub solver_tol: f64,
    /// FISTA iteration cap per round.
    pub max_iters: usize,
    /// Column-generation rounds (≥ 1).
    pub rounds: usize,
    /// Target width of the certified bracket; rounds stop once U − lower ≤ target.
    pub target_gap: f64,
    /// Absolute tolerance of the branch-and-bound sphere maximum.
    pub sphere_tol: f64,
    /// Cell budget of the branch-and-bound (the bound stays rigorous when it is hit, only looser).
    pub max_cells: usize,
}

impl Default for MeasureConfig {
    fn default() -> Self {
        MeasureConfig {
            grid: 180,
            solver_tol: 2e-6,
            max_iters: 20_000,
            rounds: 8,
            target_gap: 1e-5,
            sphere_tol: 1e-7,
            max_cells: 1_000_000,
        }
    }
}

impl MeasureConfig {
    /// Checks positivity of every size and tolerance.
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [("grid", self.grid), ("max_iters", self.max_iters), ("rounds", self.rounds)] {
            if v == 0 {
                return Err(Error::param(name, v, "must be ≥ 1"));
            }
        }
        if self.max_cells < 64 {
            return Err(Error::param("max_cells", self.max_cells, "must be ≥ 64"));
        }
        crate::error::ensure_positive("solver_tol", self.solver_tol)?;
        crate::error::ensure_positive("target_gap", self.target_gap)?;
        crate::error::ensure_positive("sphere_tol", self.sphere_tol)
    }
}

/// The maximum of |g(ū)| = |Σ_i p_i s(ūᵀx_i)| over ū ∈ S^{D−1}.
#[derive(Debug, Clone, PartialEq)]
pub struct SphereMax {
    /// The largest |g| found at an actual point.
    pub value: f64,
    /// That point.
    pub argmax: Vec<f64>,
    /// A certified upper bound on the supremum (≥ value).
    pub upper: f64,
    /// upper − value: 0 for the exact method, the Lipschitz slack for branch-and-bound.
    pub slack: f64,
    /// "exact-arcs" or "branch-and-bound".
    pub method: &'static str,
    /// Points evaluated.
    pub evaluations: usize,
}

/// The certified bracket lower ≤ L* ≤ upper and how it was obtained.
#[derive(Debug, Clone)]
pub struct Certificate {
    /// U: objective of the grid measure (recomputed from the data).
    pub upper: f64,
    /// −R*(c·p̂) with c making p̂ feasible on the whole sphere.
    pub lower: f64,
    /// Grid directions (unit vectors in ℝ^D), the last ones added by column generation.
    pub dirs: Vec<Vec<f64>>,
    /// Signed weights α_k of the grid solution.
    pub alpha: Vec<f64>,
    /// The dual point used for the lower bound (already scaled by `scale`).
    pub dual: Vec<f64>,
    /// c = min(1, 2λ/M̄).
    pub scale: f64,
    /// The sphere maximum for the unscaled p̂.
    pub sphere: SphereMax,
    /// FISTA iterations in total.
    pub iterations: usize,
    /// Column-generation rounds used.
    pub rounds: usize,
}

impl Certificate {
    /// U − lower.
    pub fn gap(&self) -> f64 {
        self.upper - self.lower
    }

    /// The atoms (ū_k, α_k) with α_k ≠ 0.
    pub fn support(&self) -> Vec<(Vec<f64>, f64)> {
        self.dirs.iter().zip(&self.alpha).filter(|(_, a)| **a != 0.0).map(|(d, a)| (d.clone(), *a)).collect()
    }

    /// The grid solution as a particle measure on ℝ^{1+D}: atom α on ū becomes mass 2|α| at
    /// θ = (sign α, ū)/√2 (so mass·Φ(θ) = α ψ(ū) and mass·λ‖θ‖² = 2λ|α|): its objective is U.
    pub fn to_particles(&self) -> Result<Particles> {
        let sup = self.support();
        if sup.is_empty() {
            return Err(Error::Empty("the certificate's measure is zero".into()));
        }
        let dim = sup[0].0.len() + 1;
        let s = std::f64::consts::FRAC_1_SQRT_2;
        let mut theta = Vec::with_capacity(dim * sup.len());
        let mut mass = Vec::with_capacity(sup.len());
        for (d, a) in sup {
            theta.push(a.signum() * s);
            theta.extend(d.iter().map(|v| v * s));
            mass.push(2.0 * a.abs());
        }
        Particles::new(dim, theta, mass)
    }
}

/// g(ū) = Σ_i p_i s(ūᵀx_i).
fn g_at(problem: &Problem, p: &[f64], u: &[f64]) -> f64 {
    problem.lifted(u).iter().zip(p).map(|(a, b)| a * b).sum()
}

/// g(ū) = Σ_i p_i s(ūᵀx_i) for a smooth activation s, bounded on a cap of chordal radius r around ĉ by
/// |g(ĉ)| + Lip·r with Lip = Lip(s)·Σ|p_i|‖x_i‖, and by the second-order bound |g(ĉ)| + φ‖∇_S g(ĉ)‖ + Mφ²/2 along
/// great circles (φ = 2 asin(r/2), M = Σ|p_i|(sup|s″|·‖x_i‖² + ‖x_i‖)).
struct SmoothDual<'a> {
    problem: &'a Problem,
    p: &'a [f64],
    lip: f64,
    curvature: Option<f64>,
}

impl SmoothDual<'_> {
    /// ‖∇_S g(ū)‖, the tangential gradient on the sphere.
    fn tangent_grad(&self, u: &[f64]) -> f64 {
        let mut g = vec![0.0; u.len()];
        for (i, pi) in self.p.iter().enumerate() {
            let x = self.problem.point(i);
            let a: f64 = u.iter().zip(x).map(|(s, t)| s * t).sum();
            let c = pi * self.problem.act.derivative(a);
            for (gk, xk) in g.iter_mut().zip(x) {
                *gk += c * xk;
            }
        }
        let radial: f64 = g.iter().zip(u).map(|(s, t)| s * t).sum();
        g.iter().zip(u).map(|(gk, uk)| (gk - radial * uk).powi(2)).sum::<f64>().sqrt()
    }
}

impl CapBounded for SmoothDual<'_> {
    fn dim(&self) -> usize {
        self.problem.dim()
    }

    fn eval(&self, u: &[f64]) -> f64 {
        g_at(self.problem, self.p, u)
    }

    fn cap_bound(&self, uc: &[f64], r: f64, at_centre: f64) -> (f64, Option<Vec<f64>>) {
        let mut bound = at_centre + self.lip * r;
        if let Some(m) = self.curvature {
            let phi = 2.0 * (0.5 * r).min(1.0).asin();
            bound = bound.min(at_centre + phi * self.tangent_grad(uc) + 0.5 * m * phi * phi);
        }
        (bound, None)
    }
}

/// The certified max over S^{D−1} of |Σ_i p_i s(ūᵀx_i)|, from the crate's one sphere maximizer
/// ([`super::sphere_sup`]): for relu its ReLU-sum bound (exact on the circle, cap bounds for D ≥ 3), for a smooth
/// activation its branch and bound with [`SmoothDual`]'s cap bound. Stops when the bound is within `sphere_tol` of
/// the best value or after `max_cells` evaluations (the bound stays rigorous, only looser).
pub fn sphere_max(problem: &Problem, p: &[f64], cfg: &MeasureConfig) -> Result<SphereMax> {
    let dim = problem.dim();
    if p.len() != problem.n() {
        return Err(Error::shape("dual point", problem.n(), p.len()));
    }
    crate::error::ensure_finite("dual point", p)?;
    crate::error::ensure_positive("sphere tol", cfg.sphere_tol)?;
    // Initial cells: 4·64 on the circle's square, 6·16² on the cube's faces.
    let initial = if dim == 2 { 64 } else { 16 };
    let opts = SupOptions { rel_tol: 0.0, abs_tol: cfg.sphere_tol, initial, max_evals: cfg.max_cells };
    let (bound, method) = if problem.act == Activation::Relu {
        let method = if dim == 2 { "exact-arcs" } else { "branch-and-bound" };
        (sup_abs(&problem.x, p, &opts)?, method)
    } else {
        let norms: Vec<f64> =
            (0..problem.n()).map(|i| problem.point(i).iter().map(|v| v * v).sum::<f64>().sqrt()).collect();
        let weighted: f64 = (0..problem.n()).map(|i| p[i].abs() * norms[i]).sum();
        let curvature = problem
            .act
            .curvature_bound()
            .map(|c2| (0..problem.n()).map(|i| p[i].abs() * (c2 * norms[i] * norms[i] + norms[i])).sum::<f64>());
        let g = SmoothDual { problem, p, lip: problem.act.lipschitz() * weighted, curvature };
        let fp = 8.0 * f64::EPSILON * (dim as f64 + 2.0) * weighted.max(f64::MIN_POSITIVE);
        (sup_abs_of(&g, fp, &opts)?, "branch-and-bound")
    };
    Ok(SphereMax {
        value: bound.best,
        argmax: bound.argmax.iter().copied().collect(),
        upper: bound.upper,
        slack: bound.slack,
        method,
        evaluations: bound.evaluations,
    })
}

/// The weak-duality lower bound from any gradient-like p (t = −n y p ∈ [0, 1]ⁿ): returns (−R*(c p), c, sphere max)
/// with c = min(1, 2λ/M̄). Valid for every measure, whatever produced p.
pub fn lower_bound(problem: &Problem, p: &[f64], cfg: &MeasureConfig) -> Result<(f64, f64, SphereMax)> {
    let sm = sphere_max(problem, p, cfg)?;
    let scale = if sm.upper > 2.0 * problem.lambda { 2.0 * problem.lambda / sm.upper } else { 1.0 };
    let q: Vec<f64> = p.iter().map(|v| v * scale).collect();
    Ok((problem.neg_conjugate(&q), scale, sm))
}

/// Grid directions on S^{D−1}.
fn grid(dim: usize, k: usize) -> Result<Vec<Vec<f64>>> {
    let m = match dim {
        2 => crate::data::sphere::circle(k)?,
        3 => crate::data::sphere::fibonacci_s2(k)?,
        _ => return Err(Error::param("D", dim, "the measure certificate supports D = 2 or 3")),
    };
    Ok(m.row_iter().map(|r| r.iter().copied().collect()).collect())
}

/// Minimizes F(α) = R(Ψα) + 2λ‖α‖₁ over signed α by FISTA with function-value restart, warm-started at `alpha`.
/// Returns iterations used. Stops when the grid duality gap F(α) − (1/n)ΣH(c t) (c scaling ∇R to ‖Ψᵀp‖_∞ ≤ 2λ) is
/// below `tol`.
fn fista(problem: &Problem, psi: &[Vec<f64>], alpha: &mut [f64], tol: f64, max_iters: usize) -> usize {
    let n = problem.n();
    let k = psi.len();
    let lam2 = 2.0 * problem.lambda;
    // Lipschitz constant of ∇(R∘Ψ): ‖Ψ‖₂²·max R'' ≤ (Gershgorin bound of ΨΨᵀ)/(4n)
    let mut gram = vec![0.0; n * n];
    for col in psi {
        for i in 0..n {
            for j in 0..n {
                gram[i * n + j] += col[i] * col[j];
            }
        }
    }
    let gersh = (0..n).map(|i| (0..n).map(|j| gram[i * n + j].abs()).sum::<f64>()).fold(0.0, f64::max);
    let lip = (gersh / (4.0 * n as f64)).max(1e-12);
    let apply = |a: &[f64]| {
        let mut f = vec![0.0; n];
        for (col, ak) in psi.iter().zip(a) {
            if *ak != 0.0 {
                for (fi, c) in f.iter_mut().zip(col) {
                    *fi += ak * c;
                }
            }
        }
        f
    };
    let objective = |a: &[f64]| problem.risk(&apply(a)) + lam2 * a.iter().map(|v| v.abs()).sum::<f64>();
    let mut y = alpha.to_vec();
    let mut prev = alpha.to_vec();
    let mut t = 1.0f64;
    let mut f_prev = objective(&*alpha);
    let mut it = 0;
    while it < max_iters {
        it += 1;
        let gy = problem.risk_grad(&apply(&y));
        for kk in 0..k {
            let g: f64 = psi[kk].iter().zip(&gy).map(|(a, b)| a * b).sum();
            let z = y[kk] - g / lip;
            alpha[kk] = z.signum() * (z.abs() - lam2 / lip).max(0.0);
        }
        let f_new = objective(&*alpha);
        if f_new > f_prev {
            // restart momentum
            t = 1.0;
            y.copy_from_slice(alpha);
        } else {
            let t_new = 0.5 * (1.0 + (1.0 + 4.0 * t * t).sqrt());
            let beta = (t - 1.0) / t_new;
            for kk in 0..k {
                y[kk] = alpha[kk] + beta * (alpha[kk] - prev[kk]);
            }
            t = t_new;
        }
        prev.copy_from_slice(alpha);
        f_prev = f_new;
        if it % 50 == 0 {
            let p = problem.risk_grad(&apply(&*alpha));
            let m = psi.iter().map(|c| c.iter().zip(&p).map(|(a, b)| a * b).sum::<f64>().abs()).fold(0.0, f64::max);
            let c = if m > lam2 { lam2 / m } else { 1.0 };
            let q: Vec<f64> = p.iter().map(|v| v * c).collect();
            if f_new - problem.neg_conjugate(&q) <= tol {
                break;
            }
        }
    }
    it
}

/// Solves the grid problem (with column generation) and certifies the bracket lower ≤ L* ≤ U.
pub fn certify(problem: &Problem, cfg: &MeasureConfig) -> Result<Certificate> {
    cfg.validate()?;
    let mut dirs = grid(problem.dim(), cfg.grid)?;
    let mut psi: Vec<Vec<f64>> = dirs.iter().map(|u| problem.lifted(u)).collect();
    let mut alpha = vec![0.0; dirs.len()];
    let mut iterations = 0;
    let mut rounds = 0;
    loop {
        rounds += 1;
        iterations += fista(problem, &psi, &mut alpha, cfg.solver_tol, cfg.max_iters);
        let mut f = vec![0.0; problem.n()];
        for (col, a) in psi.iter().zip(&alpha) {
            for (fi, c) in f.iter_mut().zip(col) {
                *fi += a * c;
            }
        }
        let upper = problem.risk(&f) + 2.0 * problem.lambda * alpha.iter().map(|a| a.abs()).sum::<f64>();
        let p = problem.risk_grad(&f);
        let (lower, scale, sphere) = lower_bound(problem, &p, cfg)?;
        if !(upper.is_finite() && lower.is_finite()) {
            return Err(Error::Numerical("non-finite certificate".into()));
        }
        if upper - lower <= cfg.target_gap || rounds >= cfg.rounds {
            let dual = p.iter().map(|v| v * scale).collect();
            return Ok(Certificate { upper, lower, dirs, alpha, dual, scale, sphere, iterations, rounds });
        }
        let u = sphere.argmax.clone();
        psi.push(problem.lifted(&u));
        dirs.push(u);
        alpha.push(0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::{DMatrix, DVector};

    fn line() -> Problem {
        let xs = [-1.0, -0.7, -0.4, -0.1, 0.2, 0.5, 0.8, 1.0];
        let ys = [1.0, 1.0, -1.0, -1.0, 1.0, 1.0, -1.0, -1.0];
        let x = DMatrix::from_fn(8, 2, |i, j| if j == 0 { xs[i] } else { 1.0 });
        Problem::new(x, DVector::from_vec(ys.to_vec()), 0.01, Activation::Relu).unwrap()
    }

    /// The relu maximum (exact on the circle) and the smooth branch and bound against a dense grid: each bound holds
    /// the grid maximum and is attained to grid accuracy.
    #[test]
    fn sphere_max_holds_the_dense_grid_maximum() {
        let dense = crate::data::sphere::circle(200_000).unwrap();
        let p: Vec<f64> = (0..8).map(|i| ((i as f64) * 1.7).sin() * 0.1).collect();
        for act in [Activation::Relu, Activation::SMOOTH] {
            let pb = line().with_activation(act).unwrap();
            let cfg = MeasureConfig { sphere_tol: 1e-9, max_cells: 5_000_000, ..Default::default() };
            let m = sphere_max(&pb, &p, &cfg).unwrap();
            let gm = dense.row_iter().map(|r| g_at(&pb, &p, &[r[0], r[1]]).abs()).fold(0.0, f64::max);
            assert!(gm <= m.upper + 1e-12 && m.value <= m.upper, "{act:?}: grid {gm} vs {m:?}");
            assert!(m.upper - gm < 1e-6, "{act:?}: bound {} not tight against grid {gm}", m.upper);
            assert!((g_at(&pb, &p, &m.argmax).abs() - m.value).abs() < 1e-12);
        }
    }

    #[test]
    fn certificate_brackets_and_measure_attains_upper() {
        let pb = line();
        let c = certify(&pb, &MeasureConfig::default()).unwrap();
        assert!(c.lower <= c.upper + 1e-12, "{} {}", c.lower, c.upper);
        assert!(c.gap() < 1e-3, "gap {}", c.gap());
        let parts = c.to_particles().unwrap();
        let l = parts.objective(&pb).unwrap();
        assert!((l - c.upper).abs() < 1e-10, "{l} vs {}", c.upper);
    }

    /// The initial dictionary: k unit directions in D = 2 (the circle) and D = 3 (Fibonacci points), D = 4 refused.
    #[test]
    fn grid_is_k_unit_directions() {
        for (dim, k) in [(2, 16), (3, 40)] {
            let g = grid(dim, k).unwrap();
            assert_eq!(g.len(), k);
            assert!(g.iter().all(|u| u.len() == dim && (u.iter().map(|a| a * a).sum::<f64>() - 1.0).abs() < 1e-12));
        }
        assert!(grid(4, 10).is_err());
    }

    #[test]
    fn bad_config() {
        let cfg = MeasureConfig { grid: 0, ..Default::default() };
        assert!(certify(&line(), &cfg).is_err());
    }
}

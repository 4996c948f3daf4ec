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
//!   c = min(1, 2λ / M̄) and M̄ a certified upper bound of the sphere maximum: exact for relu with D = 2 (activation
//!   arcs of the circle, [`circle_max_relu_exact`]), otherwise branch-and-bound over an adaptive ε-net with the
//!   Lipschitz slack Lip(s)·Σ|p_i|‖x_i‖·radius ([`sphere_max_bnb`]), reported as `slack`.
//! - **Column generation**: if the bracket is wider than asked, the sphere's argmax direction joins the grid and the
//!   problem is re-solved (a few rounds).

use crate::flow::problem::Problem;
use crate::flow::{Activation, Particles};
use crate::{Error, Result};
use std::collections::BinaryHeap;

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

/// Exact max over the circle of |Σ_i p_i relu(ūᵀx_i)| for D = 2: on each arc between consecutive kinks
/// (ūᵀx_i = 0) the function is g_Aᵀū with g_A = Σ_{i∈A} p_i x_i, whose extremes on the arc are at ±g_A/‖g_A‖ when
/// inside it, else at the arc's ends.
pub fn circle_max_relu_exact(problem: &Problem, p: &[f64]) -> Result<SphereMax> {
    if problem.dim() != 2 || problem.act != Activation::Relu {
        return Err(Error::param("problem", problem.dim(), "the exact arc method needs relu and D = 2"));
    }
    let two_pi = 2.0 * std::f64::consts::PI;
    let wrap = |a: f64| a.rem_euclid(two_pi);
    let mut kinks: Vec<f64> = Vec::new();
    for i in 0..problem.n() {
        let x = problem.point(i);
        if x[0] != 0.0 || x[1] != 0.0 {
            let phi = x[1].atan2(x[0]);
            kinks.push(wrap(phi + std::f64::consts::FRAC_PI_2));
            kinks.push(wrap(phi - std::f64::consts::FRAC_PI_2));
        }
    }
    kinks.push(0.0);
    kinks.sort_by(f64::total_cmp);
    let mut cands: Vec<f64> = kinks.clone();
    for (k, &a) in kinks.iter().enumerate() {
        let b = if k + 1 < kinks.len() { kinks[k + 1] } else { kinks[0] + two_pi };
        if b - a <= 0.0 {
            continue;
        }
        let mid = 0.5 * (a + b);
        let um = [mid.cos(), mid.sin()];
        let mut ga = [0.0, 0.0];
        for (i, pi) in p.iter().enumerate() {
            let x = problem.point(i);
            if um[0] * x[0] + um[1] * x[1] > 0.0 {
                ga[0] += pi * x[0];
                ga[1] += pi * x[1];
            }
        }
        if ga[0] == 0.0 && ga[1] == 0.0 {
            continue;
        }
        for sgn in [1.0, -1.0] {
            let ang = (sgn * ga[1]).atan2(sgn * ga[0]);
            // bring into [a, a + 2π) and test membership of the arc
            let rel = wrap(ang - a);
            if rel <= b - a {
                cands.push(a + rel);
            }
        }
    }
    let mut best = (f64::NEG_INFINITY, vec![1.0, 0.0]);
    for t in &cands {
        let u = vec![t.cos(), t.sin()];
        let v = g_at(problem, p, &u).abs();
        if v > best.0 {
            best = (v, u);
        }
    }
    Ok(SphereMax {
        value: best.0,
        argmax: best.1,
        upper: best.0,
        slack: 0.0,
        method: "exact-arcs",
        evaluations: cands.len(),
    })
}

/// A cell of the adaptive net: an arc of the circle (D = 2) or a square of a cube face (D = 3).
#[derive(Debug, Clone, Copy)]
struct Cell {
    bound: f64,
    face: usize,
    a: f64,
    b: f64,
    half: f64,
}

impl PartialEq for Cell {
    fn eq(&self, o: &Self) -> bool {
        self.bound.total_cmp(&o.bound).is_eq()
    }
}
impl Eq for Cell {}
impl PartialOrd for Cell {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Cell {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.bound.total_cmp(&o.bound)
    }
}

/// Center point on the sphere and Euclidean radius bound of a cell.
fn cell_point(dim: usize, c: &Cell) -> (Vec<f64>, f64) {
    if dim == 2 {
        // arc centred at angle a with half-width `half`: chord to the ends 2 sin(half/2)
        (vec![c.a.cos(), c.a.sin()], 2.0 * (0.5 * c.half).sin())
    } else {
        // point (±1, a, b) on a face of the cube [−1, 1]³, permuted; normalization is 1-Lipschitz outside the unit
        // ball, so the cell's image lies within the square's half-diagonal √2·half of the centre's image.
        let axis = c.face / 2;
        let sign = if c.face % 2 == 0 { 1.0 } else { -1.0 };
        let mut v = [0.0; 3];
        v[axis] = sign;
        v[(axis + 1) % 3] = c.a;
        v[(axis + 2) % 3] = c.b;
        let nrm = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
        (v.iter().map(|t| t / nrm).collect(), std::f64::consts::SQRT_2 * c.half)
    }
}

/// Rigorous max over S^{D−1} (D ∈ {2, 3}) of |Σ_i p_i s(ūᵀx_i)| by branch and bound: a cell with centre ĉ and radius
/// r is bounded by |g(ĉ)| + Lip·r with Lip = Lip(s)·Σ|p_i|‖x_i‖ and, for smooth s, also by the second-order bound
/// |g(ĉ)| + φ‖∇_S g(ĉ)‖ + Mφ²/2 along great circles (φ = 2 asin(r/2), M = Σ|p_i|(sup s″‖x_i‖² + ‖x_i‖)); the cell with the largest bound is split until that
/// bound is within `tol` of the best value found (or `max_cells` cells were evaluated; the bound stays valid).
pub fn sphere_max_bnb(problem: &Problem, p: &[f64], tol: f64, max_cells: usize) -> Result<SphereMax> {
    let dim = problem.dim();
    if dim != 2 && dim != 3 {
        return Err(Error::param("D", dim, "branch-and-bound sphere maximum supports D = 2 or 3"));
    }
    if p.len() != problem.n() {
        return Err(Error::shape("dual point", problem.n(), p.len()));
    }
    crate::error::ensure_finite("dual point", p)?;
    crate::error::ensure_positive("sphere tol", tol)?;
    let norms: Vec<f64> =
        (0..problem.n()).map(|i| problem.point(i).iter().map(|v| v * v).sum::<f64>().sqrt()).collect();
    let lip: f64 = problem.act.lipschitz() * (0..problem.n()).map(|i| p[i].abs() * norms[i]).sum::<f64>();
    // second-order bound along great circles for smooth s: |g''| ≤ Σ|p_i|(sup s''·‖x_i‖² + ‖x_i‖)
    let curv: Option<f64> = problem
        .act
        .curvature_bound()
        .map(|c2| (0..problem.n()).map(|i| p[i].abs() * (c2 * norms[i] * norms[i] + norms[i])).sum::<f64>());
    let tangent_grad = |u: &[f64]| -> f64 {
        let mut g = vec![0.0; dim];
        for (i, pi) in p.iter().enumerate() {
            let x = problem.point(i);
            let a: f64 = u.iter().zip(x).map(|(s, t)| s * t).sum();
            let c = pi * problem.act.derivative(a);
            for (gk, xk) in g.iter_mut().zip(x) {
                *gk += c * xk;
            }
        }
        let radial: f64 = g.iter().zip(u).map(|(s, t)| s * t).sum();
        g.iter().zip(u).map(|(gk, uk)| (gk - radial * uk).powi(2)).sum::<f64>().sqrt()
    };
    let mut heap = BinaryHeap::new();
    let mut best = (f64::NEG_INFINITY, vec![0.0; dim]);
    let mut evals = 0usize;
    let push = |c: Cell, heap: &mut BinaryHeap<Cell>, best: &mut (f64, Vec<f64>), evals: &mut usize| {
        let (u, r) = cell_point(dim, &c);
        let v = g_at(problem, p, &u).abs();
        *evals += 1;
        let mut bound = v + lip * r;
        if let Some(m) = curv {
            // geodesic angle to any point of the cell: φ = 2 asin(r/2) ≤ π/2·r
            let phi = 2.0 * (0.5 * r).min(1.0).asin();
            bound = bound.min(v + phi * tangent_grad(&u) + 0.5 * m * phi * phi);
        }
        if v > best.0 {
            *best = (v, u);
        }
        heap.push(Cell { bound, ..c });
    };
    if dim == 2 {
        let k = 256;
        let half = std::f64::consts::PI / k as f64;
        for j in 0..k {
            let c = Cell { bound: 0.0, face: 0, a: (2 * j + 1) as f64 * half, b: 0.0, half };
            push(c, &mut heap, &mut best, &mut evals);
        }
    } else {
        let k = 16;
        let half = 1.0 / k as f64;
        for face in 0..6 {
            for ia in 0..k {
                for ib in 0..k {
                    let a = -1.0 + (2 * ia + 1) as f64 * half;
                    let b = -1.0 + (2 * ib + 1) as f64 * half;
                    push(Cell { bound: 0.0, face, a, b, half }, &mut heap, &mut best, &mut evals);
                }
            }
        }
    }
    let upper = loop {
        let top = match heap.pop() {
            Some(c) => c,
            None => break best.0,
        };
        if top.bound <= best.0 + tol || evals >= max_cells {
            break top.bound.max(best.0);
        }
        let h = 0.5 * top.half;
        if dim == 2 {
            for s in [-1.0, 1.0] {
                push(Cell { a: top.a + s * h, half: h, ..top }, &mut heap, &mut best, &mut evals);
            }
        } else {
            for (sa, sb) in [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)] {
                push(Cell { a: top.a + sa * h, b: top.b + sb * h, half: h, ..top }, &mut heap, &mut best, &mut evals);
            }
        }
    };
    Ok(SphereMax {
        value: best.0,
        argmax: best.1,
        upper,
        slack: upper - best.0,
        method: "branch-and-bound",
        evaluations: evals,
    })
}

/// The sphere maximum used by the certificate: exact arcs for relu with D = 2, branch and bound otherwise.
pub fn sphere_max(problem: &Problem, p: &[f64], cfg: &MeasureConfig) -> Result<SphereMax> {
    if problem.dim() == 2 && problem.act == Activation::Relu {
        circle_max_relu_exact(problem, p)
    } else {
        sphere_max_bnb(problem, p, cfg.sphere_tol, cfg.max_cells)
    }
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

    #[test]
    fn exact_arcs_agree_with_branch_and_bound_and_dense_grid() {
        let pb = line();
        let p: Vec<f64> = (0..8).map(|i| ((i as f64) * 1.7).sin() * 0.1).collect();
        let ex = circle_max_relu_exact(&pb, &p).unwrap();
        let bb = sphere_max_bnb(&pb, &p, 1e-9, 5_000_000).unwrap();
        assert!(bb.value <= ex.value + 1e-12 && ex.value <= bb.upper + 1e-12, "{ex:?} {bb:?}");
        let dense = crate::data::sphere::circle(200_000).unwrap();
        let gm = dense.row_iter().map(|r| g_at(&pb, &p, &[r[0], r[1]]).abs()).fold(0.0, f64::max);
        assert!(gm <= ex.value + 1e-12 && ex.value - gm < 1e-6, "{gm} {}", ex.value);
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

    #[test]
    fn bad_config() {
        let cfg = MeasureConfig { grid: 0, ..Default::default() };
        assert!(certify(&line(), &cfg).is_err());
    }
}

//! The crate's one sphere maximizer: rigorous upper bounds on sup_{ū ∈ S^{k−1}} |g(ū)|, above all for the ReLU dual
//! function g(ū) = Σ_i c_i relu(ūᵀx_i) ([`sup_abs`]), and through the [`CapBounded`] trait for any g that can bound
//! itself on a spherical cap (the smooth-activation dual of the flow's certificate uses it).
//!
//! This is the quantity every certificate in [`crate::convex`] needs: for dual weights on the data, its supremum over
//! the *whole* sphere (not only over a finite dictionary) bounds the continuum ℓ1 problems from the other side.
//!
//! * k = 1: the sphere is {−1, +1}; the supremum is a maximum of two values.
//! * k = 2 (the circle; 1-D input with a bias): **exact**. The breakpoints t = θ_i ± π/2 (where ūᵀx_i = 0) cut the
//!   circle into arcs on which g(t) = A cos t + B sin t = R cos(t − φ); the supremum of |g| on an arc is attained at an
//!   endpoint or at φ, φ + π if they lie inside.
//! * k ≥ 3: branch and bound over cells of the cube surface ∂[−1, 1]^k projected radially onto the sphere. Radial
//!   projection v ↦ v/‖v‖ is the metric projection onto the unit ball, hence 1-Lipschitz for ‖v‖ ≥ 1, so a cube cell
//!   with centre v_c and half-width h maps into the ball of radius h√(k−1) around v_c/‖v_c‖. With
//!   L = Σ_i |c_i|‖x_i‖ (a Lipschitz constant of g), every cell is bounded by |g(ū_c)| + L·h√(k−1); cells whose bound
//!   exceeds the best value found by more than the tolerance are split. The returned bound is the largest cell bound
//!   left: rigorous whatever the evaluation budget, tight when the budget suffices. The same cell queue serves every
//!   [`CapBounded`] function ([`sup_abs_of`]); for the ReLU sum the cell bound is the sharper cap bound below.

use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Options of the k ≥ 3 branch and bound.
#[derive(Debug, Clone, Copy)]
pub struct SupOptions {
    /// Stop when the bound is within `rel_tol`·(best value) + `abs_tol` of the best value found.
    pub rel_tol: f64,
    /// Absolute tolerance (see `rel_tol`).
    pub abs_tol: f64,
    /// Initial cells per face edge (the cube face grid is `initial`^(k−1) cells).
    pub initial: usize,
    /// Maximum number of evaluations of g before returning the (looser, still rigorous) bound.
    pub max_evals: usize,
}

impl Default for SupOptions {
    fn default() -> Self {
        SupOptions { rel_tol: 1e-5, abs_tol: 1e-14, initial: 8, max_evals: 2_000_000 }
    }
}

/// The outcome of [`sup_abs`].
#[derive(Debug, Clone)]
pub struct SupBound {
    /// A rigorous upper bound on sup_ū |g(ū)| (including `slack`).
    pub upper: f64,
    /// The largest |g| actually evaluated (a lower bound on the supremum).
    pub best: f64,
    /// A unit vector where |g| = `best`.
    pub argmax: DVector<f64>,
    /// The part of `upper` that is Lipschitz slack or floating-point allowance (0 up to rounding on the circle).
    pub slack: f64,
    /// Number of evaluations of g.
    pub evaluations: usize,
    /// Whether the tolerance was met within the evaluation budget.
    pub converged: bool,
}

/// g(ū) = Σ_i c_i relu(ūᵀx_i) for the rows x_i of `x`.
pub fn eval(x: &DMatrix<f64>, c: &[f64], u: &[f64]) -> f64 {
    let mut s = 0.0;
    for (i, ci) in c.iter().enumerate() {
        if *ci == 0.0 {
            continue;
        }
        let mut dot = 0.0;
        for (j, uj) in u.iter().enumerate() {
            dot += x[(i, j)] * uj;
        }
        if dot > 0.0 {
            s += ci * dot;
        }
    }
    s
}

/// A rigorous upper bound (see the module docs) on sup over the unit sphere of |Σ_i c_i relu(ūᵀx_i)|, where the
/// x_i are the rows of `x` (n × k) and `c` has length n.
pub fn sup_abs(x: &DMatrix<f64>, c: &[f64], opts: &SupOptions) -> Result<SupBound> {
    let (n, k) = (x.nrows(), x.ncols());
    if c.len() != n {
        return Err(Error::shape("dual coefficients", n, c.len()));
    }
    if k == 0 {
        return Err(Error::Empty("points of dimension 0".into()));
    }
    crate::error::ensure_finite("points", x.as_slice())?;
    crate::error::ensure_finite("dual coefficients", c)?;
    if !(opts.rel_tol >= 0.0 && opts.abs_tol >= 0.0 && opts.initial >= 1 && opts.max_evals >= 1) {
        return Err(Error::param("SupOptions", format!("{opts:?}"), "tolerances ≥ 0, initial ≥ 1, max_evals ≥ 1"));
    }
    let lip: f64 = (0..n).map(|i| c[i].abs() * x.row(i).norm()).sum();
    // Floating-point allowance for evaluating g: a few ulps of the largest possible magnitude.
    let fp = 8.0 * f64::EPSILON * (k as f64 + 2.0) * lip.max(f64::MIN_POSITIVE);
    match k {
        1 => {
            let a = eval(x, c, &[1.0]).abs();
            let b = eval(x, c, &[-1.0]).abs();
            let (best, u) = if a >= b { (a, 1.0) } else { (b, -1.0) };
            Ok(SupBound {
                upper: best + fp,
                best,
                argmax: DVector::from_element(1, u),
                slack: fp,
                evaluations: 2,
                converged: true,
            })
        }
        2 => Ok(circle_sup(x, c, fp)),
        _ => Ok(cube_sup(&ReluSum { x, c, xnorm: x.row_iter().map(|r| r.norm()).collect() }, fp, opts)),
    }
}

fn circle_sup(x: &DMatrix<f64>, c: &[f64], fp: f64) -> SupBound {
    use std::f64::consts::PI;
    let two_pi = 2.0 * PI;
    let wrap = |t: f64| t.rem_euclid(two_pi);
    let mut cuts: Vec<f64> = Vec::new();
    for i in 0..x.nrows() {
        let (a, b) = (x[(i, 0)], x[(i, 1)]);
        if (a != 0.0 || b != 0.0) && c[i] != 0.0 {
            let th = b.atan2(a);
            cuts.push(wrap(th + PI / 2.0));
            cuts.push(wrap(th - PI / 2.0));
        }
    }
    let mut best = 0.0;
    let mut arg = 0.0;
    let mut evals = 0;
    let consider = |t: f64, best: &mut f64, arg: &mut f64| {
        let v = eval(x, c, &[t.cos(), t.sin()]).abs();
        if v > *best {
            *best = v;
            *arg = t;
        }
    };
    if cuts.is_empty() {
        consider(0.0, &mut best, &mut arg);
        evals += 1;
    } else {
        cuts.sort_by(|a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
        let m = cuts.len();
        for j in 0..m {
            let t0 = cuts[j];
            let t1 = if j + 1 < m { cuts[j + 1] } else { cuts[0] + two_pi };
            consider(t0, &mut best, &mut arg);
            evals += 1;
            if t1 - t0 <= 0.0 {
                continue;
            }
            let mid = 0.5 * (t0 + t1);
            let (cm, sm) = (mid.cos(), mid.sin());
            let (mut aa, mut bb) = (0.0, 0.0);
            for i in 0..x.nrows() {
                if x[(i, 0)] * cm + x[(i, 1)] * sm > 0.0 {
                    aa += c[i] * x[(i, 0)];
                    bb += c[i] * x[(i, 1)];
                }
            }
            let phi = bb.atan2(aa);
            for cand in [phi, phi + PI] {
                // the representative of cand in [t0, t0 + 2π)
                let tc = t0 + wrap(cand - t0);
                if tc > t0 && tc < t1 {
                    consider(tc, &mut best, &mut arg);
                    evals += 1;
                    // on the arc g = R cos(t − φ): its extremum is ±R exactly
                    let r = (aa * aa + bb * bb).sqrt();
                    if r > best {
                        best = r;
                        arg = tc;
                    }
                }
            }
        }
    }
    SupBound {
        upper: best + fp,
        best,
        argmax: DVector::from_vec(vec![arg.cos(), arg.sin()]),
        slack: fp,
        evaluations: evals,
        converged: true,
    }
}

#[derive(Debug)]
struct Cell {
    bound: f64,
    face_axis: usize,
    face_sign: f64,
    centre: Vec<f64>, // k − 1 free coordinates
    half: f64,
}

impl PartialEq for Cell {
    fn eq(&self, other: &Self) -> bool {
        self.bound == other.bound
    }
}
impl Eq for Cell {}
impl PartialOrd for Cell {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Cell {
    fn cmp(&self, other: &Self) -> Ordering {
        self.bound.partial_cmp(&other.bound).unwrap_or(Ordering::Equal)
    }
}

fn lift(k: usize, axis: usize, sign: f64, free: &[f64]) -> Vec<f64> {
    let mut v = Vec::with_capacity(k);
    let mut it = free.iter();
    for a in 0..k {
        if a == axis {
            v.push(sign);
        } else {
            v.push(*it.next().unwrap_or(&0.0));
        }
    }
    let nrm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
    v.iter_mut().for_each(|a| *a /= nrm);
    v
}

/// Upper bound of |g| on the spherical cap of chordal radius `r` around the unit vector `uc`, plus candidate points.
///
/// Terms whose sign of ūᵀx_i is fixed on the cap (|ū_cᵀx_i| > r‖x_i‖) are exactly linear there and sum to ūᵀv; the
/// maximum of ±ūᵀv over the cap is ‖v‖·cos(max(θ − ρ, 0)) with θ the angle between ±v and ū_c (atan2 form) and
/// ρ = 2 asin(r/2) the angular radius. Each undecided term is bounded by |c_i|(relu(ū_cᵀx_i) + r‖x_i‖).
fn cap_bound(x: &DMatrix<f64>, c: &[f64], xnorm: &[f64], uc: &[f64], r: f64) -> (f64, Option<Vec<f64>>) {
    let k = uc.len();
    let rho = 2.0 * (0.5 * r).min(1.0).asin();
    let mut v = vec![0.0; k];
    let mut amb = 0.0;
    let mut fixed = true;
    for (i, ci) in c.iter().enumerate() {
        if *ci == 0.0 {
            continue;
        }
        let s: f64 = (0..k).map(|j| x[(i, j)] * uc[j]).sum();
        if s > r * xnorm[i] {
            for (j, vj) in v.iter_mut().enumerate() {
                *vj += ci * x[(i, j)];
            }
        } else if s >= -r * xnorm[i] {
            amb += ci.abs() * (s.max(0.0) + r * xnorm[i]);
            fixed = false;
        }
    }
    let nv = v.iter().map(|a| a * a).sum::<f64>().sqrt();
    if nv == 0.0 {
        return (amb, None);
    }
    let dot: f64 = v.iter().zip(uc).map(|(a, b)| a * b).sum();
    let sin = (nv * nv - dot * dot).max(0.0).sqrt();
    let th = sin.atan2(dot); // angle between v and ū_c
    let th_neg = std::f64::consts::PI - th; // angle between −v and ū_c
    let lin = nv * (th - rho).max(0.0).cos().max((th_neg - rho).max(0.0).cos());
    // when the pattern is fixed and ±v/‖v‖ lies in the cap, that point attains the linear piece's maximum
    let cand = if fixed && (th <= rho || th_neg <= rho) {
        let sg = if th <= rho { 1.0 } else { -1.0 };
        Some(v.iter().map(|a| sg * a / nv).collect())
    } else {
        None
    };
    (lin + amb, cand)
}

/// A function g on the sphere S^{k−1} (k ≥ 2) that bounds |g| rigorously on spherical caps.
pub trait CapBounded {
    /// The ambient dimension k.
    fn dim(&self) -> usize;
    /// g(ū) at a unit vector.
    fn eval(&self, u: &[f64]) -> f64;
    /// An upper bound of |g| over the cap of chordal radius `r` around the unit vector `uc`, where
    /// `at_centre` = |g(uc)|, and optionally a point of the cap worth evaluating.
    fn cap_bound(&self, uc: &[f64], r: f64, at_centre: f64) -> (f64, Option<Vec<f64>>);
}

/// g(ū) = Σ_i c_i relu(ūᵀx_i) with its exact-linear-part cap bound.
struct ReluSum<'a> {
    x: &'a DMatrix<f64>,
    c: &'a [f64],
    xnorm: Vec<f64>,
}

impl CapBounded for ReluSum<'_> {
    fn dim(&self) -> usize {
        self.x.ncols()
    }

    fn eval(&self, u: &[f64]) -> f64 {
        eval(self.x, self.c, u)
    }

    fn cap_bound(&self, uc: &[f64], r: f64, _at_centre: f64) -> (f64, Option<Vec<f64>>) {
        cap_bound(self.x, self.c, &self.xnorm, uc, r)
    }
}

/// Rigorous upper bound on sup_ū |g(ū)| for any [`CapBounded`] g on S^{k−1}, k ≥ 2, by the cube-face branch and
/// bound of the module doc; `fp` is added to the bound as the floating-point allowance of evaluating g.
pub fn sup_abs_of<F: CapBounded + ?Sized>(g: &F, fp: f64, opts: &SupOptions) -> Result<SupBound> {
    if g.dim() < 2 {
        return Err(Error::param("dimension", g.dim(), "the cube-face branch and bound needs k ≥ 2"));
    }
    if !(opts.rel_tol >= 0.0 && opts.abs_tol >= 0.0 && opts.initial >= 1 && opts.max_evals >= 1 && fp >= 0.0) {
        return Err(Error::param("SupOptions", format!("{opts:?}"), "tolerances ≥ 0, initial ≥ 1, max_evals ≥ 1"));
    }
    Ok(cube_sup(g, fp, opts))
}

fn cube_sup<F: CapBounded + ?Sized>(g: &F, fp: f64, opts: &SupOptions) -> SupBound {
    let k = g.dim();
    let radius_factor = ((k - 1) as f64).sqrt();
    let mut heap = BinaryHeap::new();
    let mut best = 0.0;
    let mut arg = lift(k, 0, 1.0, &vec![0.0; k - 1]);
    let mut evals = 0usize;
    let make = |axis: usize, sign: f64, centre: Vec<f64>, half: f64, best: &mut f64, arg: &mut Vec<f64>| {
        let u = lift(k, axis, sign, &centre);
        let v = g.eval(&u).abs();
        if v > *best {
            *best = v;
            *arg = u.clone();
        }
        let (bound, cand) = g.cap_bound(&u, half * radius_factor, v);
        if let Some(p) = cand {
            let vp = g.eval(&p).abs();
            if vp > *best {
                *best = vp;
                *arg = p;
            }
        }
        Cell { bound: bound.max(v), face_axis: axis, face_sign: sign, centre, half }
    };
    // initial grid per face edge, shrunk so that the 2k faces hold at most half the evaluation budget
    let mut g = opts.initial.max(1);
    while g > 1 && (2 * k) as f64 * (g as f64).powi((k - 1) as i32) > opts.max_evals as f64 / 2.0 {
        g -= 1;
    }
    let h0 = 1.0 / g as f64;
    for axis in 0..k {
        for sign in [1.0, -1.0] {
            let total = g.pow((k - 1) as u32);
            for idx in 0..total {
                let mut rem = idx;
                let centre: Vec<f64> = (0..k - 1)
                    .map(|_| {
                        let j = rem % g;
                        rem /= g;
                        -1.0 + (2 * j + 1) as f64 * h0
                    })
                    .collect();
                let cell = make(axis, sign, centre, h0, &mut best, &mut arg);
                evals += 1;
                heap.push(cell);
            }
        }
    }
    let mut converged = false;
    while let Some(top) = heap.peek() {
        if top.bound <= best * (1.0 + opts.rel_tol) + opts.abs_tol {
            converged = true;
            break;
        }
        if evals + (1usize << (k - 1).min(40)) > opts.max_evals {
            break;
        }
        let Some(cell) = heap.pop() else { break };
        let h = cell.half / 2.0;
        let children = 1usize << (k - 1);
        for mask in 0..children {
            let centre: Vec<f64> = cell
                .centre
                .iter()
                .enumerate()
                .map(|(j, cj)| if mask >> j & 1 == 1 { cj + h } else { cj - h })
                .collect();
            let child = make(cell.face_axis, cell.face_sign, centre, h, &mut best, &mut arg);
            evals += 1;
            heap.push(child);
        }
    }
    let top = heap.peek().map(|c| c.bound).unwrap_or(best).max(best);
    SupBound {
        upper: top + fp,
        best,
        argmax: DVector::from_vec(arg),
        slack: top - best + fp,
        evaluations: evals,
        converged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;
    use rand::Rng;

    fn brute(x: &DMatrix<f64>, c: &[f64], dirs: &DMatrix<f64>) -> f64 {
        dirs.row_iter().map(|r| eval(x, c, r.transpose().as_slice()).abs()).fold(0.0, f64::max)
    }

    /// The evaluation budget is a contract: with `initial` far above what `max_evals` allows, the initial face grid
    /// shrinks (2k·g^{k−1} ≤ max_evals/2) and the refinement stops before the budget, so at most `max_evals`
    /// evaluations are spent — and the bound stays rigorous (above |g| at a dense set of sampled directions) even
    /// when it has not converged.
    #[test]
    fn cube_sup_respects_the_evaluation_budget_and_stays_an_upper_bound() {
        let mut rng = seed::stream(4, &["sphere_sup-budget"], 0);
        let n = 7;
        let x = DMatrix::from_fn(n, 3, |_, _| rng.random_range(-1.0..1.0));
        let c: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
        for max_evals in [60, 200, 1000] {
            let opts = SupOptions { rel_tol: 0.0, abs_tol: 0.0, initial: 50, max_evals };
            let s = sup_abs(&x, &c, &opts).unwrap();
            assert!(s.evaluations <= max_evals, "{} evaluations with a budget of {max_evals}", s.evaluations);
            assert!(s.evaluations >= 6, "at least one evaluation per cube face");
            let mut worst: f64 = 0.0;
            for _ in 0..20_000 {
                let u: Vec<f64> = (0..3).map(|_| rng.random_range(-1.0..1.0)).collect();
                let r = u.iter().map(|v| v * v).sum::<f64>().sqrt();
                let u: Vec<f64> = u.iter().map(|v| v / r).collect();
                worst = worst.max(eval(&x, &c, &u).abs());
            }
            assert!(s.upper >= worst, "budget {max_evals}: upper {} below a sampled |g| {worst}", s.upper);
        }
    }

    #[test]
    fn circle_exact_vs_dense_grid() {
        let mut rng = seed::stream(3, &["sphere_sup"], 0);
        for _ in 0..20 {
            let n = 6;
            let x = DMatrix::from_fn(n, 2, |_, _| rng.random_range(-1.0..1.0));
            let c: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
            let s = sup_abs(&x, &c, &SupOptions::default()).unwrap();
            let grid = brute(&x, &c, &crate::data::sphere::circle(200_000).unwrap());
            assert!(s.upper >= grid, "upper {} < grid {}", s.upper, grid);
            // the grid misses the maximum by at most L·(half the angular spacing), L = Σ|c_i|‖x_i‖
            let lip: f64 = (0..n).map(|i| c[i].abs() * x.row(i).norm()).sum();
            let miss = lip * std::f64::consts::PI / 200_000.0;
            assert!(s.upper - grid <= miss + 1e-12, "upper {} grid {} allowed {}", s.upper, grid, miss);
            assert!((s.best - eval(&x, &c, s.argmax.as_slice()).abs()).abs() < 1e-12);
        }
    }

    #[test]
    fn cube_bound_rigorous_and_tight() {
        let mut rng = seed::stream(3, &["sphere_sup"], 1);
        for _ in 0..5 {
            let n = 5;
            let x = DMatrix::from_fn(n, 3, |_, _| rng.random_range(-1.0..1.0));
            let c: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
            let s = sup_abs(&x, &c, &SupOptions { rel_tol: 1e-4, ..Default::default() }).unwrap();
            let probe = crate::data::sphere::uniform(3, 20000, &mut rng).unwrap();
            let mc = brute(&x, &c, &probe);
            assert!(s.converged);
            assert!(s.upper >= mc && s.upper <= mc * (1.0 + 2e-3), "upper {} mc {}", s.upper, mc);
        }
    }

    /// The cap bound is a bound on the cap itself, not only after branch and bound: for random caps (centre, chordal
    /// radius 0.05 … 1.5) in S² and random relu sums, |g| at 400 directions sampled inside each cap (chordal distance
    /// ≤ r from the centre) never exceeds it, and at r → 0 it tends to |g(centre)|.
    #[test]
    fn cap_bound_holds_on_every_sampled_cap() {
        let mut rng = seed::stream(5, &["sphere_sup-cap"], 0);
        let unit = |rng: &mut crate::seed::Rng| {
            let u: Vec<f64> = (0..3).map(|_| rng.random_range(-1.0..1.0)).collect();
            let r = u.iter().map(|v| v * v).sum::<f64>().sqrt();
            u.iter().map(|v| v / r).collect::<Vec<f64>>()
        };
        for _ in 0..40 {
            let n = 6;
            let x = DMatrix::from_fn(n, 3, |_, _| rng.random_range(-1.0..1.0));
            let c: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
            let xnorm: Vec<f64> = (0..n).map(|i| x.row(i).norm()).collect();
            let uc = unit(&mut rng);
            let r = rng.random_range(0.05..1.5);
            let (b, _) = cap_bound(&x, &c, &xnorm, &uc, r);
            let mut inside = 0;
            while inside < 400 {
                let u = unit(&mut rng);
                let chord = u.iter().zip(&uc).map(|(a, b)| (a - b) * (a - b)).sum::<f64>().sqrt();
                if chord <= r {
                    inside += 1;
                    let g = eval(&x, &c, &u).abs();
                    assert!(g <= b + 1e-12, "|g| = {g} above the cap bound {b} (r = {r})");
                }
            }
            let (b0, _) = cap_bound(&x, &c, &xnorm, &uc, 1e-9);
            assert!((b0 - eval(&x, &c, &uc).abs()).abs() < 1e-6, "tiny cap: bound {b0} vs |g(centre)|");
        }
    }

    #[test]
    fn bad_input() {
        let x = DMatrix::from_element(2, 2, 1.0);
        assert!(sup_abs(&x, &[1.0], &SupOptions::default()).is_err());
        assert!(sup_abs(&x, &[1.0, f64::NAN], &SupOptions::default()).is_err());
    }
}

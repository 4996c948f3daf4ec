//! Limited-memory BFGS with a backtracking (Armijo) line search, and plain gradient descent.
//!
//! The objectives here are piecewise smooth (ReLU kinks); the line search only asks for sufficient decrease, and a
//! failed search restarts from the steepest-descent direction before giving up.

use crate::{Error, Result};
use nalgebra::DVector;
use std::collections::VecDeque;

/// Where an optimization run ended.
#[derive(Debug, Clone)]
pub struct Minimum {
    /// The final point.
    pub x: DVector<f64>,
    /// The objective there.
    pub value: f64,
    /// Iterations taken.
    pub iterations: usize,
    /// ‖∇f‖_∞ at the final point.
    pub grad_inf: f64,
}

/// Armijo constant c₁ of the sufficient-decrease condition f(x + tp) ≤ f(x) + c₁ t ∇fᵀp.
const ARMIJO: f64 = 1e-4;
/// Step halvings before a line search gives up.
const MAX_HALVINGS: usize = 50;

/// Minimizes `f` (returning value and gradient) from `x0` by L-BFGS with `memory` curvature pairs.
/// Stops when ‖∇f‖_∞ ≤ `grad_tol`, after `max_iters` iterations, or when no descent step can be found.
pub fn lbfgs<F>(f: F, x0: DVector<f64>, memory: usize, max_iters: usize, grad_tol: f64) -> Result<Minimum>
where
    F: FnMut(&DVector<f64>) -> Result<(f64, DVector<f64>)>,
{
    lbfgs_capped(f, x0, memory, max_iters, grad_tol, MAX_HALVINGS)
}

/// [`lbfgs`] with at most `max_halvings` step halvings per line search (≥ 1). On piecewise-smooth objectives with
/// many kinks (ReLU nets on hundreds of points) the quasi-Newton direction often fails the Armijo test at every step
/// size; a small cap (e.g. 12, a step of 2^-12 of the first trial) abandons such a direction early instead of spending
/// 50 evaluations on it. `lbfgs` is this function with a cap of 50.
pub fn lbfgs_capped<F>(
    mut f: F,
    x0: DVector<f64>,
    memory: usize,
    max_iters: usize,
    grad_tol: f64,
    max_halvings: usize,
) -> Result<Minimum>
where
    F: FnMut(&DVector<f64>) -> Result<(f64, DVector<f64>)>,
{
    let max_halvings = max_halvings.max(1);
    let mut x = x0;
    let (mut fx, mut g) = f(&x)?;
    check_finite(fx, &g)?;
    let mut pairs: VecDeque<(DVector<f64>, DVector<f64>, f64)> = VecDeque::new();
    let mut it = 0;
    while it < max_iters && g.amax() > grad_tol {
        it += 1;
        let mut dir = two_loop(&g, &pairs);
        if dir.dot(&g) >= 0.0 {
            pairs.clear();
            dir = -&g;
        }
        let first = pairs.is_empty();
        let t0 = if first { (1.0 / g.norm()).min(1.0) } else { 1.0 };
        match line_search(&mut f, &x, fx, &g, &dir, t0, max_halvings)? {
            Some((xn, fxn, gn)) => {
                let s = &xn - &x;
                let y = &gn - &g;
                let sy = s.dot(&y);
                if sy > 1e-12 * s.norm() * y.norm() {
                    if pairs.len() == memory.max(1) {
                        pairs.pop_front();
                    }
                    pairs.push_back((s, y, 1.0 / sy));
                }
                x = xn;
                fx = fxn;
                g = gn;
            }
            None if !first => pairs.clear(),
            None => break,
        }
    }
    let grad_inf = g.amax();
    Ok(Minimum { x, value: fx, iterations: it, grad_inf })
}

/// Gradient descent x ← x − η∇f(x) for `iters` steps (or until ‖∇f‖_∞ ≤ `grad_tol`).
pub fn gradient_descent<F>(mut f: F, x0: DVector<f64>, lr: f64, iters: usize, grad_tol: f64) -> Result<Minimum>
where
    F: FnMut(&DVector<f64>) -> Result<(f64, DVector<f64>)>,
{
    crate::error::ensure_positive("learning rate", lr)?;
    let mut x = x0;
    let (mut fx, mut g) = f(&x)?;
    let mut it = 0;
    while it < iters && g.amax() > grad_tol {
        x -= &g * lr;
        (fx, g) = f(&x)?;
        check_finite(fx, &g)?;
        it += 1;
    }
    let grad_inf = g.amax();
    Ok(Minimum { x, value: fx, iterations: it, grad_inf })
}

fn check_finite(fx: f64, g: &DVector<f64>) -> Result<()> {
    if !fx.is_finite() || g.iter().any(|v| !v.is_finite()) {
        return Err(Error::Numerical(format!("objective or gradient is not finite (value {fx})")));
    }
    Ok(())
}

/// The L-BFGS two-loop recursion: −H∇f with H the limited-memory inverse-Hessian estimate.
fn two_loop(g: &DVector<f64>, pairs: &VecDeque<(DVector<f64>, DVector<f64>, f64)>) -> DVector<f64> {
    let mut q = g.clone();
    let mut alphas = Vec::with_capacity(pairs.len());
    for (s, y, rho) in pairs.iter().rev() {
        let a = rho * s.dot(&q);
        q -= y * a;
        alphas.push(a);
    }
    if let Some((s, y, _)) = pairs.back() {
        q *= s.dot(y) / y.dot(y);
    }
    for ((s, y, rho), a) in pairs.iter().zip(alphas.into_iter().rev()) {
        let b = rho * y.dot(&q);
        q += s * (a - b);
    }
    -q
}

type Point = (DVector<f64>, f64, DVector<f64>);

fn line_search<F>(
    f: &mut F,
    x: &DVector<f64>,
    fx: f64,
    g: &DVector<f64>,
    dir: &DVector<f64>,
    t0: f64,
    max_halvings: usize,
) -> Result<Option<Point>>
where
    F: FnMut(&DVector<f64>) -> Result<(f64, DVector<f64>)>,
{
    let slope = g.dot(dir);
    let mut t = t0;
    for _ in 0..max_halvings {
        let xn = x + dir * t;
        let (fxn, gn) = f(&xn)?;
        if fxn.is_finite() && gn.iter().all(|v| v.is_finite()) && fxn <= fx + ARMIJO * t * slope {
            return Ok(Some((xn, fxn, gn)));
        }
        t *= 0.5;
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rosenbrock(x: &DVector<f64>) -> Result<(f64, DVector<f64>)> {
        let (a, b) = (x[0], x[1]);
        let v = (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2);
        let g = DVector::from_row_slice(&[-2.0 * (1.0 - a) - 400.0 * a * (b - a * a), 200.0 * (b - a * a)]);
        Ok((v, g))
    }

    #[test]
    fn lbfgs_finds_the_rosenbrock_minimum() {
        let m = lbfgs(rosenbrock, DVector::from_row_slice(&[-1.2, 1.0]), 8, 500, 1e-10).unwrap();
        assert!((m.x[0] - 1.0).abs() < 1e-6 && (m.x[1] - 1.0).abs() < 1e-6, "{:?}", m.x);
    }

    #[test]
    fn gradient_descent_on_a_quadratic() {
        let f = |x: &DVector<f64>| Ok((0.5 * x.norm_squared(), x.clone()));
        let m = gradient_descent(f, DVector::from_element(3, 1.0), 0.5, 100, 1e-12).unwrap();
        assert!(m.x.amax() < 1e-10);
        assert!(gradient_descent(f, DVector::zeros(1), -1.0, 1, 0.0).is_err());
    }
}

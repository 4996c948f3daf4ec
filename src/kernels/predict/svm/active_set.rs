//! Primal–dual active-set (semismooth Newton) iteration for the SVM dual min_{α ≥ 0} ½αᵀQα − 𝟙ᵀα
//! (Hintermüller, Ito & Kunisch, SIAM J. Optim. 13, 2003).
//!
//! KKT: μ = Qα − 𝟙 ≥ 0, α ≥ 0, α_i μ_i = 0. Given a guess F of the support, one step solves the equality-constrained
//! problem exactly — Q_FF α_F = 𝟙_F (Cholesky, one step of iterative refinement), α = 0 off F — and then re-guesses
//! F ← {i ∈ F : α_i > 0} ∪ {i ∉ F : μ_i < 0}. If F does not change, α satisfies the KKT conditions (up to the solve's
//! rounding) and is optimal. The first guess is the support after a few coordinate-ascent sweeps from α = 0
//! ([`super::WARM_SWEEPS`], O(n²) each): in the kernel regimes this crate runs (n below or near the kernel's effective
//! dimension) most points are support vectors and the guess is nearly everything, so a handful of factorizations
//! replaces tens of thousands of sweeps; when the support is small, the guess is small too and the factorizations are
//! cheap (from F = {1..n} such a problem needed 50 steps of removing points).
//!
//! PDAS converges locally superlinearly and globally for M-matrices, not for every PSD Q; it can cycle. A repeated
//! support guess, [`STALE_STEPS`] steps in a row without improving either end of the bracket, or the iteration cap
//! ends it, and the caller continues with coordinate ascent from the best point.
//! Nothing here needs to be trusted: every iterate's clipped point max(α, 0) is a dual-feasible α and only its
//! recomputed bracket ([`super::dual::bounds`]) is kept.
//!
//! When Q_FF is numerically singular (duplicate points, so equal rows of Q), a ridge δ·max_i Q_ii, δ = 1e-12, 1e-10,
//! …, 1e-6, is added before factorizing; the result is still a feasible dual point whose bracket is recomputed.

use super::dual::{Best, DualQ, bounds, bounds_given};
use crate::linalg::solve::Cholesky;
use nalgebra::{DMatrix, DVector};
use std::collections::HashSet;

/// Steps in a row that improve neither end of the bracket before the iteration is declared stalled.
const STALE_STEPS: usize = 10;

/// How the iteration ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Exit {
    /// The support guess was stable: KKT hold up to rounding.
    Stable,
    /// The bracket closed to the requested tolerance.
    Closed,
    /// A support guess repeated (cycle) or the cap was reached.
    Stalled,
    /// Q_FF could not be factorized even with the largest ridge.
    Singular,
}

/// Runs at most `max_iter` active-set steps from the support guess `start` (all points if it is empty); updates
/// `best`; returns (steps, exit).
pub(super) fn solve(q: &DualQ<'_>, best: &mut Best, tol: f64, max_iter: usize, start: Vec<bool>) -> (usize, Exit) {
    let n = q.n();
    let mut free = if start.iter().any(|&f| f) { start } else { vec![true; n] };
    let mut seen: HashSet<Vec<bool>> = HashSet::new();
    let qmax = (0..n).map(|i| q.diag(i)).fold(0.0_f64, f64::max);
    let mut stale = 0;
    for step in 1..=max_iter {
        let idx: Vec<usize> = (0..n).filter(|&i| free[i]).collect();
        if idx.is_empty() {
            return (step - 1, Exit::Stalled);
        }
        seen.insert(free.clone());
        let Some(alpha) = newton_point(q, &idx, qmax) else {
            return (step, Exit::Singular);
        };
        let g = q.apply(&alpha);
        let clipped = alpha.map(|a| a.max(0.0));
        let b = if clipped == alpha { bounds_given(&alpha, &g) } else { bounds(q, &clipped).0 };
        let (lo, hi) = (best.lo, best.hi);
        best.consider(&clipped, &b);
        if best.closed(tol) {
            return (step, Exit::Closed);
        }
        stale = if best.lo > lo || best.hi < hi { 0 } else { stale + 1 };
        if stale >= STALE_STEPS {
            return (step, Exit::Stalled);
        }
        let next: Vec<bool> = (0..n).map(|i| if free[i] { alpha[i] > 0.0 } else { g[i] < 1.0 }).collect();
        if next == free {
            return (step, Exit::Stable);
        }
        if seen.contains(&next) {
            return (step, Exit::Stalled);
        }
        free = next;
    }
    (max_iter, Exit::Stalled)
}

/// α with α_F = Q_FF⁻¹𝟙 (one step of iterative refinement) and 0 elsewhere; `None` if no ridge makes Q_FF factorable.
fn newton_point(q: &DualQ<'_>, idx: &[usize], qmax: f64) -> Option<DVector<f64>> {
    let m = idx.len();
    let ones = DMatrix::from_element(m, 1, 1.0);
    for ridge in [0.0, 1e-12, 1e-10, 1e-8, 1e-6] {
        let mut qs = q.submatrix(idx);
        for t in 0..m {
            qs[(t, t)] += ridge * qmax;
        }
        let Ok(chol) = Cholesky::factor_in_place(qs) else {
            continue;
        };
        let Ok(z) = chol.solve(&ones) else {
            continue;
        };
        let mut alpha = scatter(q.n(), idx, z.as_slice());
        // one step of iterative refinement on the unregularized system: z += Q_FF⁻¹(𝟙 − Q_FF z)
        let g = q.apply(&alpha);
        let r = DMatrix::from_fn(m, 1, |t, _| 1.0 - g[idx[t]]);
        if let Ok(dz) = chol.solve(&r) {
            for (t, &i) in idx.iter().enumerate() {
                alpha[i] += dz[(t, 0)];
            }
        }
        if alpha.iter().all(|v| v.is_finite()) {
            return Some(alpha);
        }
    }
    None
}

fn scatter(n: usize, idx: &[usize], vals: &[f64]) -> DVector<f64> {
    let mut a = DVector::zeros(n);
    for (&i, &v) in idx.iter().zip(vals) {
        a[i] = v;
    }
    a
}

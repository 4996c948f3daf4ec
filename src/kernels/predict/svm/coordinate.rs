//! Dual coordinate ascent for the SVM dual, the fallback when the active-set iteration stalls (cycles, or Q is too
//! singular to factor): α_i ← max(0, α_i + (1 − (Qα)_i)/Q_ii), with g = Qα maintained by column updates and recomputed
//! exactly at every bound check, plus a "polish" that solves Q_SS α_S = 𝟙 on a support S that stayed the same between
//! two checks and keeps the result when it is dual feasible. When Q_SS is singular, the eigenvector of its smallest
//! eigenvalue (made nonnegative) is tried as δ — for duplicate points with opposite labels it gives δᵀQδ = 0, an
//! upper bound of 0 on the margin at once.

use super::dual::{Best, DualQ, bounds};
use crate::error::Result;
use crate::linalg::solve::Cholesky;
use nalgebra::{DMatrix, DVector};

/// Runs coordinate ascent from `alpha` (≥ 0) for at most `max_epochs` sweeps, checking the bracket every `check_every`
/// sweeps; updates `best`. Returns the epochs run, or [`Error::NotSeparable`] when the certified upper end falls below
/// `floor`.
pub(super) fn ascend(
    q: &DualQ<'_>,
    mut alpha: DVector<f64>,
    best: &mut Best,
    opts: &super::SvmOptions,
    floor: f64,
) -> Result<usize> {
    let n = q.n();
    let mut g = q.apply(&alpha);
    let mut last_support: Vec<usize> = Vec::new();
    let mut epochs = 0;
    while epochs < opts.max_epochs {
        sweep(q, &mut alpha, &mut g);
        epochs += 1;
        if epochs % opts.check_every != 0 && epochs != opts.max_epochs {
            continue;
        }
        let (b, gx) = bounds(q, &alpha);
        g = gx;
        best.consider(&alpha, &b);
        let support: Vec<usize> = (0..n).filter(|&i| alpha[i] > 0.0).collect();
        if !support.is_empty() && support == last_support {
            if let Some((a2, g2)) = polish(q, &support, best) {
                alpha = a2;
                g = g2;
            }
        }
        last_support = support;
        if best.hi < floor {
            return Err(super::not_separable(best.hi));
        }
        if best.closed(opts.tol) {
            break;
        }
    }
    Ok(epochs)
}

/// One epoch: α_i ← max(0, α_i + (1 − g_i)/Q_ii) for i = 1..n in order, keeping g = Qα up to date.
pub(super) fn sweep(q: &DualQ<'_>, alpha: &mut DVector<f64>, g: &mut DVector<f64>) {
    for i in 0..q.n() {
        let new = (alpha[i] + (1.0 - g[i]) / q.diag(i)).max(0.0);
        let delta = new - alpha[i];
        if delta != 0.0 {
            alpha[i] = new;
            q.axpy_column(delta, i, g);
        }
    }
}

/// Solves Q_SS α_S = 𝟙 on the support; returns the new point (and Qα) if it is feasible and not worse.
fn polish(q: &DualQ<'_>, support: &[usize], best: &mut Best) -> Option<(DVector<f64>, DVector<f64>)> {
    let n = q.n();
    // factorized in its own storage; rebuilt only on the rare singular path (no second |S| × |S| copy)
    let chol = match Cholesky::factor_in_place(q.submatrix(support)) {
        Ok(c) => c,
        Err(_) => {
            singular_certificate(q, support, &q.submatrix(support), best);
            return None;
        }
    };
    let sol = chol.solve(&DMatrix::from_element(support.len(), 1, 1.0)).ok()?;
    if !sol.iter().all(|&v| v > 0.0 && v.is_finite()) {
        return None;
    }
    let mut a2 = DVector::<f64>::zeros(n);
    for (t, &i) in support.iter().enumerate() {
        a2[i] = sol[(t, 0)];
    }
    let (b2, g2) = bounds(q, &a2);
    let better = b2.lo >= best.lo;
    best.consider(&a2, &b2);
    better.then_some((a2, g2))
}

/// A singular support block: its null direction, made nonnegative, as an upper-bound certificate δ ≥ 0.
fn singular_certificate(q: &DualQ<'_>, support: &[usize], qs: &DMatrix<f64>, best: &mut Best) {
    let Ok(e) = crate::linalg::eigen::sym_eigen(qs) else {
        return;
    };
    let v = e.vectors.column(0);
    let sign = if v.sum() >= 0.0 { 1.0 } else { -1.0 };
    let mut delta = DVector::<f64>::zeros(q.n());
    for (t, &i) in support.iter().enumerate() {
        delta[i] = (sign * v[t]).max(0.0);
    }
    if delta.sum() > 0.0 {
        let (bd, _) = bounds(q, &delta);
        best.hi = best.hi.min(bd.hi);
    }
}

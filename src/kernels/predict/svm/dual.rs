//! The SVM dual's quadratic form Q = (yyᵀ) ∘ K, applied without forming Q, and the certified margin bracket of any
//! dual point α ≥ 0.
//!
//! Bracket (see the module docs of [`super`]): with g = Qα (so g_i = y_i f_α(x_i) and ‖f_α‖²_H = αᵀg),
//! γ* ≥ min_i g_i / √(αᵀg) when min_i g_i > 0, and γ* ≤ √(αᵀg) / Σ_i α_i. Both ends are recomputed from K and y by one
//! matrix–vector product, whatever produced α.

use crate::linalg::{as_faer, as_faer_mut, par};
use nalgebra::{DMatrix, DVector};

/// Q = (yyᵀ) ∘ K as an operator over the caller's K (no n × n copy).
#[derive(Clone, Copy)]
pub(super) struct DualQ<'a> {
    k: &'a DMatrix<f64>,
    y: &'a DVector<f64>,
}

impl<'a> DualQ<'a> {
    /// Wraps a validated symmetric K and labels y ∈ {±1}ⁿ.
    pub(super) fn new(k: &'a DMatrix<f64>, y: &'a DVector<f64>) -> Self {
        DualQ { k, y }
    }

    /// n.
    pub(super) fn n(&self) -> usize {
        self.y.len()
    }

    /// Q_ii = K_ii.
    pub(super) fn diag(&self, i: usize) -> f64 {
        self.k[(i, i)]
    }

    /// Qa = y ∘ (K (y ∘ a)), one parallel matrix–vector product on K.
    pub(super) fn apply(&self, a: &DVector<f64>) -> DVector<f64> {
        let n = self.n();
        let ya = DMatrix::from_fn(n, 1, |i, _| self.y[i] * a[i]);
        let mut out = DMatrix::<f64>::zeros(n, 1);
        faer::linalg::matmul::matmul(
            as_faer_mut(&mut out),
            faer::Accum::Replace,
            as_faer(self.k),
            as_faer(&ya),
            1.0,
            par(),
        );
        DVector::from_fn(n, |i, _| self.y[i] * out[(i, 0)])
    }

    /// g += t · Q e_i (column i of Q).
    pub(super) fn axpy_column(&self, t: f64, i: usize, g: &mut DVector<f64>) {
        let s = t * self.y[i];
        for (r, (gr, kr)) in g.iter_mut().zip(self.k.column(i).iter()).enumerate() {
            *gr += s * self.y[r] * kr;
        }
    }

    /// The principal submatrix Q_SS (|S| × |S|, the only copy this solver makes).
    pub(super) fn submatrix(&self, s: &[usize]) -> DMatrix<f64> {
        DMatrix::from_fn(s.len(), s.len(), |a, b| self.y[s[a]] * self.y[s[b]] * self.k[(s[a], s[b])])
    }
}

/// The certified bracket of one dual point.
#[derive(Clone, Copy, Debug)]
pub(super) struct Bounds {
    /// min_i g_i / ‖f_α‖ (0 when min_i g_i ≤ 0).
    pub lo: f64,
    /// ‖f_α‖ / Σα (∞ when α = 0).
    pub hi: f64,
    /// min_i g_i = min_i y_i f_α(x_i).
    pub min_margin: f64,
}

/// The bracket of α ≥ 0, with g = Qα computed here (returned too).
pub(super) fn bounds(q: &DualQ<'_>, alpha: &DVector<f64>) -> (Bounds, DVector<f64>) {
    let g = q.apply(alpha);
    (bounds_given(alpha, &g), g)
}

/// The bracket of α ≥ 0 given g = Qα (the caller vouches that g was computed from this α).
pub(super) fn bounds_given(alpha: &DVector<f64>, g: &DVector<f64>) -> Bounds {
    let norm2 = alpha.dot(g).max(0.0);
    let m = g.min();
    let lo = if m > 0.0 && norm2 > 0.0 { m / norm2.sqrt() } else { 0.0 };
    let sum = alpha.sum();
    let hi = if sum > 0.0 { norm2.sqrt() / sum } else { f64::INFINITY };
    Bounds { lo, hi, min_margin: m }
}

/// The best certificate seen so far: the α with the largest lower end, and the smallest upper end over all α tried.
#[derive(Clone, Debug)]
pub(super) struct Best {
    pub lo: f64,
    pub hi: f64,
    pub alpha: DVector<f64>,
    /// min_i y_i f_α(x_i) of `alpha` (to rescale f to functional margin 1).
    pub m: f64,
}

impl Best {
    /// Nothing certified yet.
    pub(super) fn new(n: usize) -> Self {
        Best { lo: 0.0, hi: f64::INFINITY, alpha: DVector::zeros(n), m: 0.0 }
    }

    /// Records the bracket of `a`.
    pub(super) fn consider(&mut self, a: &DVector<f64>, b: &Bounds) {
        if b.lo > self.lo {
            self.lo = b.lo;
            self.alpha = a.clone();
            self.m = b.min_margin;
        }
        self.hi = self.hi.min(b.hi);
    }

    /// Whether lo > 0 and (hi − lo) ≤ tol · hi.
    pub(super) fn closed(&self, tol: f64) -> bool {
        self.lo > 0.0 && (self.hi - self.lo) <= tol * self.hi
    }
}

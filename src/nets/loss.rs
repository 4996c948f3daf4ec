//! Losses in numerically stable form.

/// softplus(z) = log(1 + e^z), computed as max(z, 0) + log1p(e^{−|z|}): no overflow for any finite z.
pub fn softplus(z: f64) -> f64 {
    z.max(0.0) + (-z.abs()).exp().ln_1p()
}

/// The logistic loss of a signed margin z = y f(x): log(1 + e^{−z}) = softplus(−z).
pub fn logistic(z: f64) -> f64 {
    softplus(-z)
}

/// The logistic sigmoid 1/(1 + e^{−z}), stable for large |z|.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// d/dz logistic(z) = −σ(−z).
pub fn logistic_derivative(z: f64) -> f64 {
    -sigmoid(-z)
}

/// Binary entropy in nats, H(t) = −t ln t − (1 − t) ln(1 − t), with H(0) = H(1) = 0 and ln(1 − t) as ln_1p(−t);
/// −∞ outside [0, 1] (where the conjugate of the logistic loss is +∞), and for NaN.
pub fn binary_entropy(t: f64) -> f64 {
    if !(0.0..=1.0).contains(&t) {
        return f64::NEG_INFINITY;
    }
    let a = if t > 0.0 { -t * t.ln() } else { 0.0 };
    let b = if t < 1.0 { -(1.0 - t) * (-t).ln_1p() } else { 0.0 };
    a + b
}

/// log Σ_k e^{s_k}, shifted by the maximum; −∞ for an empty slice.
pub fn log_sum_exp(s: &[f64]) -> f64 {
    let max = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + s.iter().map(|v| (v - max).exp()).sum::<f64>().ln()
}

/// Cross-entropy −log softmax(s)_y = log Σ e^{s_k} − s_y, and its gradient softmax(s) − e_y.
pub fn cross_entropy(s: &[f64], y: usize) -> (f64, Vec<f64>) {
    let lse = log_sum_exp(s);
    let grad = s.iter().enumerate().map(|(k, v)| (v - lse).exp() - if k == y { 1.0 } else { 0.0 }).collect();
    (lse - s[y], grad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_at_huge_margins() {
        assert_eq!(logistic(1e4), 0.0);
        assert_eq!(logistic(-1e4), 1e4);
        assert!(logistic(40.0) > 0.0 && (logistic(40.0) - (-40f64).exp()).abs() < 1e-30);
        assert_eq!(sigmoid(-1e4), 0.0);
        assert_eq!(log_sum_exp(&[1e4, 1e4]), 1e4 + 2f64.ln());
        let (l, g) = cross_entropy(&[1e4, -1e4, 0.0], 0);
        assert!(l.is_finite() && l >= 0.0 && g.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn softplus_matches_the_naive_formula_where_that_is_safe() {
        for z in [-5.0, -0.3, 0.0, 0.7, 3.0] {
            assert!((softplus(z) - (1.0 + f64::exp(z)).ln()).abs() < 1e-15);
        }
    }
}

//! Percentile bootstrap helpers (deterministic given the RNG).

use rand::Rng;

/// Percentile interval [q(α/2), q(1 − α/2)] of `samples` (sorted copy, linear interpolation).
pub fn percentile_interval(samples: &[f64], alpha: f64) -> (f64, f64) {
    let mut s: Vec<f64> = samples.iter().copied().filter(|v| v.is_finite()).collect();
    if s.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    s.sort_by(|a, b| a.total_cmp(b));
    (quantile_sorted(&s, alpha / 2.0), quantile_sorted(&s, 1.0 - alpha / 2.0))
}

/// Quantile q ∈ [0, 1] of sorted data by linear interpolation between order statistics.
pub fn quantile_sorted(s: &[f64], q: f64) -> f64 {
    if s.len() == 1 {
        return s[0];
    }
    let pos = q.clamp(0.0, 1.0) * (s.len() - 1) as f64;
    let i = pos.floor() as usize;
    let frac = pos - i as f64;
    if i + 1 < s.len() { s[i] * (1.0 - frac) + s[i + 1] * frac } else { s[i] }
}

/// The median of `values` (NaN for empty input).
pub fn median(values: &[f64]) -> f64 {
    let mut s: Vec<f64> = values.to_vec();
    if s.is_empty() {
        return f64::NAN;
    }
    s.sort_by(|a, b| a.total_cmp(b));
    quantile_sorted(&s, 0.5)
}

/// A resample with replacement of `values`.
pub fn resample<R: Rng + ?Sized>(values: &[f64], rng: &mut R) -> Vec<f64> {
    (0..values.len()).map(|_| values[rng.random_range(0..values.len())]).collect()
}

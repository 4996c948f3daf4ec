//! Sample quantiles and the median (linear interpolation between order statistics).

/// Quantile q ∈ [0, 1] of sorted data by linear interpolation between order statistics (NaN for empty data).
pub fn quantile_sorted(s: &[f64], q: f64) -> f64 {
    if s.is_empty() {
        return f64::NAN;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_order_statistics() {
        let s = [1.0, 2.0, 4.0, 8.0];
        assert_eq!(quantile_sorted(&s, 0.0), 1.0);
        assert_eq!(quantile_sorted(&s, 1.0), 8.0);
        // position 0.5·3 = 1.5: halfway between 2 and 4
        assert_eq!(quantile_sorted(&s, 0.5), 3.0);
        assert_eq!(median(&[5.0, 1.0, 3.0]), 3.0);
        assert!(median(&[]).is_nan());
        assert_eq!(median(&[7.0]), 7.0);
        assert!(quantile_sorted(&[], 0.5).is_nan());
    }
}

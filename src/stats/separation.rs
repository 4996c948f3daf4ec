//! Separation rule: method A beats method B by a stated margin, with a CI on the paired difference.

use super::bootstrap::{percentile_interval, resample};
use super::{Decision, Verdict};
use rand::Rng;

/// Paired differences d_r = a_r − b_r over replicates (e.g. kernel error − net error). Supported when the bootstrap
/// percentile CI (1 − α) of the mean difference lies above `margin`; Refuted when it lies below; else Inconclusive.
pub fn separation<R: Rng + ?Sized>(
    a: &[f64],
    b: &[f64],
    margin: f64,
    alpha: f64,
    resamples: usize,
    rng: &mut R,
) -> Decision {
    let rule = format!(
        "Supported when the bootstrap {:.0}% CI of mean(A − B) lies above {margin}; Refuted when it lies below",
        100.0 * (1.0 - alpha)
    );
    if a.len() != b.len() || a.is_empty() || a.iter().chain(b).any(|v| !v.is_finite()) {
        return Decision::new(Verdict::Inconclusive, rule).with("replicates", a.len());
    }
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let boots: Vec<f64> = (0..resamples).map(|_| mean(&resample(&d, rng))).collect();
    let (lo, hi) = percentile_interval(&boots, alpha);
    let verdict = Verdict::decide(true, lo > margin, hi < margin);
    Decision::new(verdict, rule)
        .with_margin(lo - margin, margin - hi)
        .with("mean_difference", mean(&d))
        .with("ci_lo", lo)
        .with("ci_hi", hi)
        .with("margin", margin)
        .with("replicates", d.len())
        .with("alpha", alpha)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;

    #[test]
    fn verdicts() {
        let mut rng = seed::stream(1, &["sep"], 0);
        let a = [0.40, 0.42, 0.38, 0.41, 0.39, 0.40];
        let b = [0.05, 0.06, 0.04, 0.05, 0.07, 0.05];
        assert_eq!(separation(&a, &b, 0.2, 0.05, 1000, &mut rng).verdict, Verdict::Supported);
        assert_eq!(separation(&b, &a, 0.2, 0.05, 1000, &mut rng).verdict, Verdict::Refuted);
        let c = [0.0, 0.5, -0.4, 0.45, -0.5, 0.2];
        let z = [0.0; 6];
        assert_eq!(separation(&c, &z, 0.0, 0.05, 1000, &mut rng).verdict, Verdict::Inconclusive);
        assert_eq!(separation(&a, &b[..3], 0.2, 0.05, 10, &mut rng).verdict, Verdict::Inconclusive);
    }
}

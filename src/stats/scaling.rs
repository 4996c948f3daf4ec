//! Scaling-law rule: the exponent b of y ∝ x^b, with a bootstrap confidence interval over replicates.

use super::bootstrap::{percentile_interval, resample};
use super::regression::fit_line;
use super::{Decision, Verdict};
use rand::Rng;

/// A fitted log–log slope with its bootstrap percentile CI.
#[derive(Debug, Clone, PartialEq)]
pub struct SlopeFit {
    /// OLS slope of mean log y against log x.
    pub slope: f64,
    /// OLS intercept (log scale).
    pub intercept: f64,
    /// Bootstrap percentile CI (1 − α) of the slope.
    pub ci: (f64, f64),
    /// Bootstrap resamples.
    pub resamples: usize,
    /// Two-sided α of the CI.
    pub alpha: f64,
}

/// Fits log y = a + b log x, where `ys[k]` holds the replicate values of y at `xs[k]` (all > 0). The point estimate
/// uses the mean of log y over replicates at each x; the CI resamples replicates with replacement independently at
/// each x (`resamples` times) and refits. `None` on non-positive or non-finite data or fewer than two x values.
pub fn slope_fit<R: Rng + ?Sized>(
    xs: &[f64],
    ys: &[Vec<f64>],
    resamples: usize,
    alpha: f64,
    rng: &mut R,
) -> Option<SlopeFit> {
    if xs.len() != ys.len() || xs.len() < 2 || ys.iter().any(|v| v.is_empty()) {
        return None;
    }
    if xs.iter().chain(ys.iter().flatten()).any(|v| !(v.is_finite() && *v > 0.0)) {
        return None;
    }
    let lx: Vec<f64> = xs.iter().map(|x| x.ln()).collect();
    let ly: Vec<Vec<f64>> = ys.iter().map(|v| v.iter().map(|y| y.ln()).collect()).collect();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let point = fit_line(&lx, &ly.iter().map(|v| mean(v)).collect::<Vec<_>>())?;
    let mut slopes = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        let my: Vec<f64> = ly.iter().map(|v| mean(&resample(v, rng))).collect();
        if let Some(f) = fit_line(&lx, &my) {
            slopes.push(f.slope);
        }
    }
    let ci = percentile_interval(&slopes, alpha);
    Some(SlopeFit { slope: point.slope, intercept: point.intercept, ci, resamples, alpha })
}

impl SlopeFit {
    fn decision(&self, verdict: Verdict, rule: String) -> Decision {
        Decision::new(verdict, rule)
            .with("slope", self.slope)
            .with("ci_lo", self.ci.0)
            .with("ci_hi", self.ci.1)
            .with("resamples", self.resamples)
            .with("alpha", self.alpha)
    }

    /// Supported when the CI contains `claimed` and excludes `competing`; Refuted when it excludes `claimed`;
    /// Inconclusive when it contains both.
    pub fn decide_exponent(&self, claimed: f64, competing: f64) -> Decision {
        let has = |b: f64| self.ci.0 <= b && b <= self.ci.1;
        let verdict = match (has(claimed), has(competing)) {
            (true, false) => Verdict::Supported,
            (false, _) => Verdict::Refuted,
            (true, true) => Verdict::Inconclusive,
        };
        let rule = format!(
            "Supported when the bootstrap {:.0}% CI of the log–log slope contains {claimed} and excludes {competing}; \
             Refuted when it excludes {claimed}",
            100.0 * (1.0 - self.alpha)
        );
        let inside = (claimed - self.ci.0).min(self.ci.1 - claimed);
        let outside_competing = (self.ci.0 - competing).max(competing - self.ci.1);
        self.decision(verdict, rule)
            .with("claimed", claimed)
            .with("competing", competing)
            .with_margin(inside.min(outside_competing), -inside)
    }

    /// Supported when the whole CI lies above `threshold`; Refuted when it lies wholly below; else Inconclusive.
    pub fn decide_above(&self, threshold: f64) -> Decision {
        let verdict = Verdict::decide(true, self.ci.0 > threshold, self.ci.1 < threshold);
        let rule = format!(
            "Supported when the bootstrap {:.0}% CI of the slope lies entirely above {threshold}; Refuted when entirely below",
            100.0 * (1.0 - self.alpha)
        );
        self.decision(verdict, rule)
            .with("threshold", threshold)
            .with_margin(self.ci.0 - threshold, threshold - self.ci.1)
    }

    /// Supported when the whole CI lies below `threshold`; Refuted when it lies wholly above; else Inconclusive.
    pub fn decide_below(&self, threshold: f64) -> Decision {
        let verdict = Verdict::decide(true, self.ci.1 < threshold, self.ci.0 > threshold);
        let rule = format!(
            "Supported when the bootstrap {:.0}% CI of the slope lies entirely below {threshold}; Refuted when entirely above",
            100.0 * (1.0 - self.alpha)
        );
        self.decision(verdict, rule)
            .with("threshold", threshold)
            .with_margin(threshold - self.ci.1, self.ci.0 - threshold)
    }

    /// Rule for a claimed rate x^b with a stated pre-asymptotic allowance w: Supported when the slope's bootstrap CI lies
    /// inside [b − w, b + w] and excludes the competing exponent; Refuted when the CI misses [b − w, b + w] entirely;
    /// Inconclusive otherwise.
    pub fn decide_rate(&self, claimed: f64, allowance: f64, competing: f64) -> Decision {
        let fit = self;
        let (lo, hi) = fit.ci;
        let window = (claimed - allowance, claimed + allowance);
        let inside = lo >= window.0 && hi <= window.1;
        let excludes_competing = !(lo <= competing && competing <= hi);
        let misses = hi < window.0 || lo > window.1;
        let verdict = Verdict::decide(lo.is_finite() && hi.is_finite(), inside && excludes_competing, misses);
        // support: room inside the window, and the competing exponent's distance outside the CI
        let outside_competing = (lo - competing).max(competing - hi);
        let support = (lo - window.0).min(window.1 - hi).min(outside_competing);
        let refute = (window.0 - hi).max(lo - window.1);
        Decision::new(
            verdict,
            format!(
                "Supported when the bootstrap {:.0}% CI of the log–log slope lies in [{}, {}] (claimed {claimed} ± \
                 pre-asymptotic allowance {allowance}) and excludes the competing {competing}; Refuted when it misses \
                 that window",
                100.0 * (1.0 - fit.alpha),
                window.0,
                window.1
            ),
        )
        .with("slope", fit.slope)
        .with("ci_lo", lo)
        .with("ci_hi", hi)
        .with("claimed", claimed)
        .with("allowance", allowance)
        .with("competing", competing)
        .with("resamples", fit.resamples)
        .with("alpha", fit.alpha)
        .with_margin(support, refute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;
    use rand_distr::{Distribution, Normal};

    fn synthetic(exponent: f64, noise: f64, reps: usize) -> (Vec<f64>, Vec<Vec<f64>>) {
        let mut rng = seed::stream(7, &["scaling-test"], 0);
        let xs = vec![8.0, 12.0, 16.0, 24.0, 32.0];
        let z = Normal::new(0.0, noise).unwrap();
        let ys = xs
            .iter()
            .map(|x: &f64| (0..reps).map(|_| 3.0 * x.powf(exponent) * z.sample(&mut rng).exp()).collect())
            .collect();
        (xs, ys)
    }

    #[test]
    fn recovers_quadratic_and_separates_from_linear() {
        let (xs, ys) = synthetic(2.0, 0.05, 10);
        let mut rng = seed::stream(7, &["boot"], 0);
        let f = slope_fit(&xs, &ys, 500, 0.05, &mut rng).unwrap();
        assert!((f.slope - 2.0).abs() < 0.1);
        assert_eq!(f.decide_exponent(2.0, 1.0).verdict, Verdict::Supported);
        assert_eq!(f.decide_exponent(1.0, 2.0).verdict, Verdict::Refuted);
        assert_eq!(f.decide_above(1.5).verdict, Verdict::Supported);
        assert_eq!(f.decide_below(1.5).verdict, Verdict::Refuted);
    }

    #[test]
    fn disagreeing_replicates_are_inconclusive() {
        // Two replicates per x, one on a slope-0.5 law and one on a slope-2.5 law: the pooled slope is 1.5 and the
        // bootstrap (which may pick either replicate at each x) spans both 1 and 2 — nothing can be decided.
        let xs = vec![8.0, 12.0, 16.0, 24.0, 32.0];
        let ys: Vec<Vec<f64>> = xs.iter().map(|x: &f64| vec![x.powf(0.5), x.powf(2.5)]).collect();
        let mut rng = seed::stream(7, &["boot"], 1);
        let f = slope_fit(&xs, &ys, 500, 0.05, &mut rng).unwrap();
        assert!((f.slope - 1.5).abs() < 1e-12);
        assert!(f.ci.0 < 1.0 && f.ci.1 > 2.0, "{:?}", f.ci);
        assert_eq!(f.decide_exponent(1.0, 2.0).verdict, Verdict::Inconclusive);
        assert_eq!(f.decide_above(1.5).verdict, Verdict::Inconclusive);
    }

    #[test]
    fn rejects_bad_data() {
        let mut rng = seed::stream(7, &["boot"], 2);
        assert!(slope_fit(&[1.0, 2.0], &[vec![1.0], vec![-1.0]], 10, 0.05, &mut rng).is_none());
        assert!(slope_fit(&[1.0], &[vec![1.0]], 10, 0.05, &mut rng).is_none());
    }
}

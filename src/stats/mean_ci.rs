//! Monte-Carlo mean with normal-theory (Student t) confidence bounds: the rule "the mean equals the exact value" and
//! the rule "the mean lies in a band".

use super::levels::{Levels, t_upper};
use super::{Decision, Verdict};

/// Mean and standard error of a sample, with the levels its bounds are read at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanCi {
    /// Sample mean.
    pub mean: f64,
    /// Standard error of the mean (sample sd / √N).
    pub se: f64,
    /// Number of samples.
    pub n: usize,
    /// Error levels of the bounds.
    pub levels: Levels,
}

/// Sample mean and standard error of `samples` (se NaN with fewer than two samples).
pub fn mean_ci(samples: &[f64], levels: Levels) -> MeanCi {
    let n = samples.len();
    let mean = samples.iter().sum::<f64>() / n.max(1) as f64;
    let var =
        if n > 1 { samples.iter().map(|s| (s - mean) * (s - mean)).sum::<f64>() / (n - 1) as f64 } else { f64::NAN };
    MeanCi { mean, se: (var / n as f64).sqrt(), n, levels }
}

/// Mean and standard error over the finite values of `v` (values that are NaN/∞ are dropped); mean NaN when no value is
/// finite, se 0 with a single value.
pub fn mean_se(v: &[f64]) -> (f64, f64) {
    let finite: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    if finite.is_empty() {
        return (f64::NAN, 0.0);
    }
    let c = mean_ci(&finite, Levels::SUITE);
    (c.mean, if finite.len() > 1 { c.se } else { 0.0 })
}

impl MeanCi {
    /// Half-width t_{α, N−1}·se of the one-sided bound at level 1 − α (0 when se = 0; NaN when it is undefined).
    pub fn half_width(&self, alpha: f64) -> f64 {
        if self.se == 0.0 && self.n > 1 { 0.0 } else { t_upper(alpha, self.n as f64 - 1.0) * self.se }
    }

    /// The statement "E[X] = exact" (an identity): Refuted when |mean − exact| exceeds the two-sided refutation
    /// half-width t_{α_r/2, N−1}·se plus `abs_tol` (the deterministic error of the computation itself); Supported
    /// otherwise; Inconclusive on non-finite input. An equality cannot be confirmed beyond "not refuted by a test of
    /// this precision", so the se is recorded beside the verdict. Spends α_r.
    pub fn decide_contains(&self, name: &str, exact: f64, abs_tol: f64) -> Decision {
        let h = self.half_width(self.levels.refute / 2.0);
        let rule = format!(
            "E[{name}] = exact: Refuted when |MC mean − exact| > t(two-sided α = {:e}, N − 1)·se + {abs_tol:e}; \
             Supported otherwise",
            self.levels.refute
        );
        let usable = self.mean.is_finite() && h.is_finite() && exact.is_finite();
        let support = h + abs_tol - (self.mean - exact).abs();
        Decision::new(if usable { Verdict::from_bool(support >= 0.0) } else { Verdict::Inconclusive }, rule)
            .with_margin(support, -support)
            .with("mc_mean", self.mean)
            .with("mc_se", self.se)
            .with("exact", exact)
            .with("samples", self.n)
            .with("half_width", h)
            .spending(self.levels.refute)
    }

    /// The statement "E[X] ∈ [lo, hi]": Supported when both one-sided support bounds mean ∓ t_{α_s}·se lie inside
    /// the band; Refuted when a refutation bound at α_r/2 per side lies wholly outside it; Inconclusive otherwise or
    /// on non-finite input. Spends α_r.
    pub fn decide_within(&self, name: &str, lo: f64, hi: f64) -> Decision {
        let rule = format!(
            "E[{name}] ∈ [{lo}, {hi}]: Supported when both {} bounds of the mean (t) lie inside; Refuted when a \
             bound at one-sided α = {:e} per side lies wholly outside",
            self.levels.support_words(),
            self.levels.refute / 2.0
        );
        let (hs, hr) = (self.half_width(self.levels.support), self.half_width(self.levels.refute / 2.0));
        let (a, b) = (self.mean - hs, self.mean + hs);
        let (ra, rb) = (self.mean - hr, self.mean + hr);
        let verdict =
            Verdict::decide(a.is_finite() && b.is_finite() && hr.is_finite(), a >= lo && b <= hi, rb < lo || ra > hi);
        Decision::new(verdict, rule)
            .with_margin((a - lo).min(hi - b), (lo - rb).max(ra - hi))
            .with("mean", self.mean)
            .with("se", self.se)
            .with("ci_lo", a)
            .with("ci_hi", b)
            .with("refute_lo", ra)
            .with("refute_hi", rb)
            .with("band_lo", lo)
            .with("band_hi", hi)
            .with("samples", self.n)
            .spending(self.levels.refute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_or_not() {
        // mean 2, sd = √(100/99), se ≈ 0.1005; t(2.5e-5, 99) ≈ 4.3 → half-width ≈ 0.43
        let s: Vec<f64> = (0..100).map(|i| if i % 2 == 0 { 1.0 } else { 3.0 }).collect();
        let m = mean_ci(&s, Levels::SUITE);
        assert!((m.mean - 2.0).abs() < 1e-15);
        let h = m.half_width(Levels::SUITE.refute / 2.0);
        assert!(h > 0.40 && h < 0.46, "{h}");
        assert_eq!(m.decide_contains("x", 2.0 + 0.9 * h, 0.0).verdict, Verdict::Supported);
        assert_eq!(m.decide_contains("x", 2.0 + 1.1 * h, 0.0).verdict, Verdict::Refuted);
        assert_eq!(m.decide_contains("x", 2.0 + 1.1 * h, 0.2 * h).verdict, Verdict::Supported);
        assert_eq!(mean_ci(&[1.0], Levels::SUITE).decide_contains("x", 1.0, 0.0).verdict, Verdict::Inconclusive);
        assert_eq!(m.decide_contains("x", 2.0, 0.0).refute_alpha, Levels::SUITE.refute);
    }

    #[test]
    fn within_band() {
        let s: Vec<f64> = (0..100).map(|i| if i % 2 == 0 { 0.9 } else { 1.1 }).collect();
        let m = mean_ci(&s, Levels::SUITE);
        assert_eq!(m.decide_within("r", 0.7, 1.3).verdict, Verdict::Supported);
        assert_eq!(m.decide_within("r", 1.5, 2.0).verdict, Verdict::Refuted);
        assert_eq!(m.decide_within("r", 1.0, 2.0).verdict, Verdict::Inconclusive);
        // between the support and the refutation half-widths: Inconclusive (se = 0.01005)
        assert_eq!(m.decide_within("r", 1.03, 2.0).verdict, Verdict::Inconclusive);
    }

    #[test]
    fn constant_samples_have_zero_width() {
        let m = mean_ci(&[0.5; 4], Levels::SUITE);
        assert_eq!(m.half_width(0.05), 0.0);
        assert_eq!(m.decide_contains("x", 0.5, 0.0).verdict, Verdict::Supported);
        assert_eq!(m.decide_contains("x", 0.5001, 0.0).verdict, Verdict::Refuted);
    }
}

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
        self.identity(rule, exact, abs_tol, h, h)
    }

    /// [`Self::decide_contains`] for samples known to be ≥ 0 with a heavy right tail (a weighted χ², a squared
    /// norm), where the t statistic's lower tail is anti-conservative: a sample that misses the rare large values has
    /// both a low mean and a low se. Below the exact value the refutation half-width is Maurer's bound for
    /// nonnegative variables, P(E X − X̄ ≥ t) ≤ exp(−N t²/(2 E X²)), i.e. t = √(2 m₂ ln(2/α_r)/N) with the null's second
    /// moment estimated as m₂ = s² + exact² (s² the sample variance); above it, where right skew makes the t bound
    /// conservative, the t half-width at α_r/2. Spends α_r (α_r/2 per side).
    pub fn decide_contains_nonnegative(&self, name: &str, exact: f64, abs_tol: f64) -> Decision {
        let alpha = self.levels.refute / 2.0;
        let h_hi = self.half_width(alpha);
        let nf = self.n as f64;
        let var = self.se * self.se * nf;
        let h_lo = (2.0 * (var + exact * exact) * (1.0 / alpha).ln() / nf).sqrt();
        let rule = format!(
            "E[{name}] = exact, samples ≥ 0: Refuted when MC mean − exact > t(one-sided α = {alpha:e}, N − 1)·se + \
             {abs_tol:e}, or exact − MC mean > √(2(s² + exact²)·ln(1/{alpha:e})/N) + {abs_tol:e} (Maurer's lower-tail \
             bound for nonnegative variables); Supported otherwise"
        );
        if self.mean < 0.0 || exact < 0.0 {
            // not the rule's model: the mean of nonnegative samples cannot be negative
            return Decision::new(
                Verdict::Inconclusive,
                format!("{rule} — not applicable: a negative mean or exact value"),
            )
            .with("mc_mean", self.mean)
            .with("exact", exact);
        }
        self.identity(rule, exact, abs_tol, h_lo, h_hi)
    }

    /// The identity rule with refutation half-widths `below` and `above` the exact value: Refuted when the mean lies
    /// outside [exact − below − tol, exact + above + tol], Supported otherwise, Inconclusive on non-finite input.
    fn identity(&self, rule: String, exact: f64, abs_tol: f64, below: f64, above: f64) -> Decision {
        let usable = self.mean.is_finite() && below.is_finite() && above.is_finite() && exact.is_finite();
        let support = (above + abs_tol - (self.mean - exact)).min(below + abs_tol - (exact - self.mean));
        Decision::new(if usable { Verdict::from_bool(support >= 0.0) } else { Verdict::Inconclusive }, rule)
            .with_margin(support, -support)
            .with("mc_mean", self.mean)
            .with("mc_se", self.se)
            .with("exact", exact)
            .with("samples", self.n)
            .with("half_width_below", below)
            .with("half_width_above", above)
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

    /// On right-skewed nonnegative samples (χ²₁, mean 1) the t rule's lower tail refutes a true identity far more often
    /// than its α; the nonnegative rule stays within it. Levels raised to α_r = 0.01 so that 4000 trials see the rates.
    #[test]
    fn the_nonnegative_rule_holds_its_level_where_the_t_rule_does_not() {
        use rand::{Rng, SeedableRng};
        let levels = Levels { support: 0.05, refute: 0.01 };
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let (trials, n) = (4000, 16);
        let (mut t_refuted, mut nn_refuted) = (0, 0);
        for _ in 0..trials {
            let s: Vec<f64> = (0..n).map(|_| rng.sample::<f64, _>(rand_distr::StandardNormal).powi(2)).collect();
            let m = mean_ci(&s, levels);
            t_refuted += (m.decide_contains("x", 1.0, 0.0).verdict == Verdict::Refuted) as usize;
            nn_refuted += (m.decide_contains_nonnegative("x", 1.0, 0.0).verdict == Verdict::Refuted) as usize;
        }
        let (t_rate, nn_rate) = (t_refuted as f64 / trials as f64, nn_refuted as f64 / trials as f64);
        assert!(t_rate > 0.02, "the t rule's rate {t_rate} (expected anti-conservative on χ²₁ at N = 16)");
        assert!(nn_rate <= 0.01, "the nonnegative rule's rate {nn_rate} exceeds α_r = 0.01");
        // and it still refutes a wrong identity: mean 1 tested against 2 (and against 0.3)
        let s: Vec<f64> = (0..400).map(|_| rng.sample::<f64, _>(rand_distr::StandardNormal).powi(2)).collect();
        let m = mean_ci(&s, Levels::SUITE);
        assert_eq!(m.decide_contains_nonnegative("x", 2.0, 0.0).verdict, Verdict::Refuted);
        assert_eq!(m.decide_contains_nonnegative("x", 0.3, 0.0).verdict, Verdict::Refuted);
        assert_eq!(m.decide_contains_nonnegative("x", 1.0, 0.0).verdict, Verdict::Supported);
        // samples that are not nonnegative (a negative mean) are outside the rule: Inconclusive, not a verdict
        let neg = mean_ci(&[-1.0, -2.0, -3.0], Levels::SUITE);
        assert_eq!(neg.decide_contains_nonnegative("x", 1.0, 0.0).verdict, Verdict::Inconclusive);
    }

    /// decide_within refutes only when a refutation bound lies wholly outside the band: a mean just above the band
    /// (by less than the refutation half-width) is Inconclusive, one far above is Refuted, one inside Supported —
    /// and symmetrically below.
    /// mean_se: the mean and s/√n of the finite values (NaN and ∞ dropped), se 0 for one value, NaN mean for none.
    #[test]
    fn mean_se_closed_forms() {
        let (m, se) = mean_se(&[1.0, 2.0, f64::NAN, 3.0, f64::INFINITY]);
        assert!((m - 2.0).abs() < 1e-15 && (se - 1.0 / 3f64.sqrt()).abs() < 1e-15, "({m}, {se})");
        assert_eq!(mean_se(&[4.5]), (4.5, 0.0));
        let (m, se) = mean_se(&[f64::NAN]);
        assert!(m.is_nan() && se == 0.0);
    }

    #[test]
    fn within_refutes_only_beyond_the_refutation_half_width() {
        // mean 2, se ≈ 0.1005, refutation half-width (α_r/2 per side) ≈ 0.45, support half-width ≈ 0.17
        let s: Vec<f64> = (0..100).map(|i| if i % 2 == 0 { 1.0 } else { 3.0 }).collect();
        let m = mean_ci(&s, Levels::SUITE);
        assert_eq!(m.decide_within("x", 1.5, 2.5).verdict, Verdict::Supported);
        assert_eq!(m.decide_within("x", 1.0, 1.8).verdict, Verdict::Inconclusive);
        assert_eq!(m.decide_within("x", 2.2, 3.0).verdict, Verdict::Inconclusive);
        assert_eq!(m.decide_within("x", 0.0, 1.2).verdict, Verdict::Refuted);
        assert_eq!(m.decide_within("x", 2.8, 4.0).verdict, Verdict::Refuted);
    }

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

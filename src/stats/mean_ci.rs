//! Monte-Carlo mean with a normal-theory confidence interval, and the rule "the CI holds the exact value".

use super::{Decision, Verdict};

/// Mean, standard error and the interval mean ± z·se.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanCi {
    /// Sample mean.
    pub mean: f64,
    /// Standard error of the mean (sample sd / √N).
    pub se: f64,
    /// Width multiplier z.
    pub z: f64,
    /// Number of samples.
    pub n: usize,
}

/// Sample mean and standard error of `samples`.
pub fn mean_ci(samples: &[f64], z: f64) -> MeanCi {
    let n = samples.len();
    let mean = samples.iter().sum::<f64>() / n.max(1) as f64;
    let var =
        if n > 1 { samples.iter().map(|s| (s - mean) * (s - mean)).sum::<f64>() / (n - 1) as f64 } else { f64::NAN };
    MeanCi { mean, se: (var / n as f64).sqrt(), z, n }
}

/// Mean and standard error over the finite values of `v` (values that are NaN/∞ are dropped); mean NaN when no value is
/// finite, se 0 with a single value.
pub fn mean_se(v: &[f64]) -> (f64, f64) {
    let finite: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    if finite.is_empty() {
        return (f64::NAN, 0.0);
    }
    let c = mean_ci(&finite, 1.0);
    (c.mean, if finite.len() > 1 { c.se } else { 0.0 })
}

impl MeanCi {
    /// Supported when |mean − exact| ≤ z·se + abs_tol (the CI holds the exact value, `abs_tol` covering the
    /// deterministic error of the computation itself); Refuted otherwise; Inconclusive on non-finite input.
    pub fn decide_contains(&self, name: &str, exact: f64, abs_tol: f64) -> Decision {
        let rule = format!("Supported when |MC mean of {name} − exact| ≤ {}·se + {abs_tol:e}", self.z);
        let verdict = if !(self.mean.is_finite() && self.se.is_finite() && exact.is_finite()) {
            Verdict::Inconclusive
        } else {
            Verdict::from_bool((self.mean - exact).abs() <= self.z * self.se + abs_tol)
        };
        let support = self.z * self.se + abs_tol - (self.mean - exact).abs();
        Decision::new(verdict, rule)
            .with_margin(support, -support)
            .with("mc_mean", self.mean)
            .with("mc_se", self.se)
            .with("exact", exact)
            .with("samples", self.n)
            .with("z", self.z)
    }

    /// Region rule for a quantity the statement places in a band [lo, hi]: Supported when the whole interval
    /// mean ± z·se lies inside the band; Refuted when it lies wholly outside; Inconclusive otherwise or on non-finite
    /// input.
    pub fn decide_within(&self, name: &str, lo: f64, hi: f64) -> Decision {
        let rule = format!(
            "Supported when the CI mean ± {}·se of {name} lies inside [{lo}, {hi}]; Refuted when it lies wholly outside",
            self.z
        );
        let (a, b) = (self.mean - self.z * self.se, self.mean + self.z * self.se);
        let verdict = Verdict::decide(a.is_finite() && b.is_finite(), a >= lo && b <= hi, b < lo || a > hi);
        Decision::new(verdict, rule)
            .with_margin((a - lo).min(hi - b), (lo - b).max(a - hi))
            .with("mean", self.mean)
            .with("ci_lo", a)
            .with("ci_hi", b)
            .with("band_lo", lo)
            .with("band_hi", hi)
            .with("samples", self.n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_or_not() {
        let s: Vec<f64> = (0..100).map(|i| if i % 2 == 0 { 1.0 } else { 3.0 }).collect();
        let m = mean_ci(&s, 4.0);
        assert!((m.mean - 2.0).abs() < 1e-15);
        assert_eq!(m.decide_contains("x", 2.1, 0.0).verdict, Verdict::Supported);
        assert_eq!(m.decide_contains("x", 3.0, 0.0).verdict, Verdict::Refuted);
        assert_eq!(mean_ci(&[1.0], 4.0).decide_contains("x", 1.0, 0.0).verdict, Verdict::Inconclusive);
    }

    #[test]
    fn within_band() {
        let s: Vec<f64> = (0..100).map(|i| if i % 2 == 0 { 0.9 } else { 1.1 }).collect();
        let m = mean_ci(&s, 3.0);
        assert_eq!(m.decide_within("r", 0.7, 1.3).verdict, Verdict::Supported);
        assert_eq!(m.decide_within("r", 1.5, 2.0).verdict, Verdict::Refuted);
        assert_eq!(m.decide_within("r", 1.0, 2.0).verdict, Verdict::Inconclusive);
    }
}

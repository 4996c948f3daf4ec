//! Scaling-law rule: the exponent b of y ∝ x^b, with a normal-theory (Welch t) confidence bound over replicates.
//!
//! With r_k replicates of y at each x_k, the point estimate is the OLS slope of the replicate means of log y against
//! log x: b̂ = Σ_k w_k ȳ_k with w_k = (u_k − ū)/Σ_j (u_j − ū)², u_k = log x_k. The replicates at different x are
//! independent, so Var b̂ = Σ_k w_k² s_k²/r_k (s_k² the sample variance of log y at x_k) — no assumption that the
//! spread is equal across x, and no assumption that the law is exactly linear beyond what b̂ estimates. The bounds use
//! Student's t with the Welch–Satterthwaite degrees of freedom ν = (Σ c_k)² / Σ c_k²/(r_k − 1), c_k = w_k² s_k²/r_k.
//! A bootstrap percentile interval on 4–8 replicates per point is anti-conservative in its tails, and cannot reach the
//! refutation level α_r = 4·10⁻⁵ at all; the t bound can, and its coverage is checked on simulated data in the tests.
//!
//! A sweep with ONE value per x (one trained net per width) has no replicate variances: [`slope_fit_points`] reads
//! the scatter of log y about the fitted line instead (classical OLS, se² = RSS/((k − 2)·S_uu), t on k − 2 degrees of
//! freedom). The same one-sided decisions ([`SlopeFit::decide_above`], [`SlopeFit::decide_below`]) apply to both.

use super::levels::{Levels, t_upper};
use super::regression::fit_line;
use super::{Decision, Verdict};

/// Where a [`SlopeFit`]'s standard error comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlopeModel {
    /// Replicates at every x ([`slope_fit`]): Welch, per-x replicate variances.
    Replicates,
    /// One value per x ([`slope_fit_points`]): the classical OLS residual variance, k − 2 degrees of freedom.
    Residuals,
}

impl SlopeModel {
    /// The model in the rules' words.
    fn words(self) -> &'static str {
        match self {
            SlopeModel::Replicates => "Welch t",
            SlopeModel::Residuals => "OLS residual t",
        }
    }
}

/// A fitted log–log slope with its standard error and confidence bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct SlopeFit {
    /// OLS slope of mean log y against log x.
    pub slope: f64,
    /// OLS intercept (log scale).
    pub intercept: f64,
    /// Standard error of the slope (Welch: per-x replicate variances).
    pub se: f64,
    /// Welch–Satterthwaite degrees of freedom (∞ when every replicate set is constant).
    pub df: f64,
    /// The one-sided support bounds (lower, upper), each at level 1 − α_s: the printed "CI".
    pub ci: (f64, f64),
    /// The one-sided refutation bounds (lower, upper), each at level 1 − α_r.
    pub refute_ci: (f64, f64),
    /// The error levels of the bounds.
    pub levels: Levels,
    /// Where the standard error comes from.
    pub model: SlopeModel,
}

/// Fits log y = a + b log x, where `ys[k]` holds the replicate values of y at `xs[k]` (all > 0, at least two per x).
/// `None` on non-positive or non-finite data, fewer than two distinct x, fewer than two replicates at some x, or
/// invalid levels.
pub fn slope_fit(xs: &[f64], ys: &[Vec<f64>], levels: Levels) -> Option<SlopeFit> {
    if xs.len() != ys.len() || xs.len() < 2 || ys.iter().any(|v| v.len() < 2) || !levels.is_valid() {
        return None;
    }
    if xs.iter().chain(ys.iter().flatten()).any(|v| !(v.is_finite() && *v > 0.0)) {
        return None;
    }
    let lx: Vec<f64> = xs.iter().map(|x| x.ln()).collect();
    let ly: Vec<Vec<f64>> = ys.iter().map(|v| v.iter().map(|y| y.ln()).collect()).collect();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let means: Vec<f64> = ly.iter().map(|v| mean(v)).collect();
    let point = fit_line(&lx, &means)?;
    let mx = mean(&lx);
    let sxx: f64 = lx.iter().map(|u| (u - mx) * (u - mx)).sum();
    // c_k = w_k² s_k² / r_k and its Satterthwaite denominator term c_k² / (r_k − 1)
    let (mut var, mut denom) = (0.0, 0.0);
    for ((u, v), m) in lx.iter().zip(&ly).zip(&means) {
        let r = v.len() as f64;
        let s2 = v.iter().map(|y| (y - m) * (y - m)).sum::<f64>() / (r - 1.0);
        let w = (u - mx) / sxx;
        let c = w * w * s2 / r;
        var += c;
        denom += c * c / (r - 1.0);
    }
    let df = if denom > 0.0 { var * var / denom } else { f64::INFINITY };
    Some(SlopeFit::from_line(point.slope, point.intercept, var.sqrt(), df, levels, SlopeModel::Replicates))
}

/// Fits log y = a + b log x with ONE value `ys[k]` per `xs[k]` (all > 0, at least three distinct x), for a sweep
/// without replicates: the slope b̂ = Σ_k (u_k − ū) v_k / S_uu (u = log x, v = log y, S_uu = Σ (u_k − ū)²), and the
/// classical standard error se = √(RSS/(k − 2) / S_uu) from the residuals of the fitted line, read with Student's t on
/// k − 2 degrees of freedom. The scatter about the line is the only noise estimate, so this assumes the law is linear
/// in log–log over the range (curvature inflates se and makes the rule more cautious, never less). `None` on
/// non-positive or non-finite data, fewer than three points, fewer than two distinct x, or invalid levels.
pub fn slope_fit_points(xs: &[f64], ys: &[f64], levels: Levels) -> Option<SlopeFit> {
    if xs.len() != ys.len() || xs.len() < 3 || !levels.is_valid() {
        return None;
    }
    if xs.iter().chain(ys).any(|v| !(v.is_finite() && *v > 0.0)) {
        return None;
    }
    let lx: Vec<f64> = xs.iter().map(|x| x.ln()).collect();
    let ly: Vec<f64> = ys.iter().map(|y| y.ln()).collect();
    let line = fit_line(&lx, &ly)?;
    let k = lx.len() as f64;
    let mx = lx.iter().sum::<f64>() / k;
    let sxx: f64 = lx.iter().map(|u| (u - mx) * (u - mx)).sum();
    let rss: f64 = lx.iter().zip(&ly).map(|(u, v)| (v - line.intercept - line.slope * u).powi(2)).sum();
    let df = k - 2.0;
    Some(SlopeFit::from_line(line.slope, line.intercept, (rss / df / sxx).sqrt(), df, levels, SlopeModel::Residuals))
}

impl SlopeFit {
    /// A fit from its slope, intercept, standard error and degrees of freedom: the support and refutation bounds are
    /// slope ∓ t_{α, df}·se at the two levels (± 0 when se = 0).
    fn from_line(slope: f64, intercept: f64, se: f64, df: f64, levels: Levels, model: SlopeModel) -> Self {
        let bounds = |alpha: f64| {
            let h = if se > 0.0 { t_upper(alpha, df) * se } else { 0.0 };
            (slope - h, slope + h)
        };
        SlopeFit {
            slope,
            intercept,
            se,
            df,
            ci: bounds(levels.support),
            refute_ci: bounds(levels.refute),
            levels,
            model,
        }
    }

    fn decision(&self, verdict: Verdict, rule: String) -> Decision {
        Decision::new(verdict, rule)
            .with("slope", self.slope)
            .with("se", self.se)
            .with("df", self.df)
            .with("ci_lo", self.ci.0)
            .with("ci_hi", self.ci.1)
            .with("refute_lo", self.refute_ci.0)
            .with("refute_hi", self.refute_ci.1)
            .with("alpha_support", self.levels.support)
            .with("alpha_refute", self.levels.refute)
    }

    /// The statement "slope > threshold": Supported when the lower support bound lies above `threshold`; Refuted when
    /// the upper refutation bound lies below it; else Inconclusive. Spends α_r.
    pub fn decide_above(&self, threshold: f64) -> Decision {
        self.decide_one_sided(threshold, true)
    }

    /// The statement "slope < threshold": Supported when the upper support bound lies below `threshold`; Refuted when
    /// the lower refutation bound lies above it; else Inconclusive. Spends α_r.
    pub fn decide_below(&self, threshold: f64) -> Decision {
        self.decide_one_sided(threshold, false)
    }

    /// [`Self::decide_above`] (`above`) or [`Self::decide_below`]: with s = ±1 the side the statement speaks to, the
    /// support margin is s·(support end − threshold) and the refutation margin s·(threshold − refutation end).
    fn decide_one_sided(&self, threshold: f64, above: bool) -> Decision {
        let (s, support_end, refute_end) =
            if above { (1.0, self.ci.0, self.refute_ci.1) } else { (-1.0, self.ci.1, self.refute_ci.0) };
        let (support_margin, refute_margin) = (s * (support_end - threshold), s * (threshold - refute_end));
        let verdict = Verdict::decide(
            support_end.is_finite() && refute_end.is_finite(),
            support_margin > 0.0,
            refute_margin > 0.0,
        );
        let (rel, end, side, other_end, other_side) =
            if above { (">", "lower", "above", "upper", "below") } else { ("<", "upper", "below", "lower", "above") };
        let rule = format!(
            "slope {rel} {threshold}: Supported when the {} {end} bound of the log–log slope ({}) lies {side} \
             {threshold}; Refuted when its {other_end} bound at {} lies {other_side}",
            self.levels.support_words(),
            self.model.words(),
            self.levels.refute_words()
        );
        self.decision(verdict, rule)
            .with("threshold", threshold)
            .with_margin(support_margin, refute_margin)
            .spending(self.levels.refute)
    }

    /// Rule for a claimed rate x^b with a stated pre-asymptotic allowance w (the statement: the slope lies in
    /// [b − w, b + w], and is not the competing exponent): Supported when both support bounds lie inside the window
    /// and the competing exponent lies outside them; Refuted when a refutation bound at α_r/2 (each side, so the
    /// two-sided statement spends α_r) lies outside the window on its far side; Inconclusive otherwise.
    pub fn decide_rate(&self, claimed: f64, allowance: f64, competing: f64) -> Decision {
        let (lo, hi) = self.ci;
        let h = if self.se > 0.0 { t_upper(self.levels.refute / 2.0, self.df) * self.se } else { 0.0 };
        let (rlo, rhi) = (self.slope - h, self.slope + h);
        let window = (claimed - allowance, claimed + allowance);
        let inside = lo >= window.0 && hi <= window.1;
        let excludes_competing = !(lo <= competing && competing <= hi);
        let misses = rhi < window.0 || rlo > window.1;
        let verdict =
            Verdict::decide(lo.is_finite() && hi.is_finite() && h.is_finite(), inside && excludes_competing, misses);
        // support: room inside the window, and the competing exponent's distance outside the bounds
        let outside_competing = (lo - competing).max(competing - hi);
        let support = (lo - window.0).min(window.1 - hi).min(outside_competing);
        let refute = (window.0 - rhi).max(rlo - window.1);
        self.decision(
            verdict,
            format!(
                "slope ∈ [{}, {}] (claimed {claimed} ± pre-asymptotic allowance {allowance}), not {competing}:                  Supported when both {} bounds of the log–log slope (Welch t) lie in the window and exclude                  {competing}; Refuted when a bound at one-sided α = {:e} per side lies beyond the window",
                window.0,
                window.1,
                self.levels.support_words(),
                self.levels.refute / 2.0
            ),
        )
        .with("claimed", claimed)
        .with("allowance", allowance)
        .with("competing", competing)
        .with("refute_two_sided_lo", rlo)
        .with("refute_two_sided_hi", rhi)
        .with_margin(support, refute)
        .spending(self.levels.refute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;
    use rand_distr::{Distribution, Normal};

    fn synthetic(exponent: f64, noise: f64, reps: usize, stream: u64) -> (Vec<f64>, Vec<Vec<f64>>) {
        let mut rng = seed::stream(7, &["scaling-test"], stream);
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
        let (xs, ys) = synthetic(2.0, 0.05, 10, 0);
        let f = slope_fit(&xs, &ys, Levels::SUITE).unwrap();
        assert!((f.slope - 2.0).abs() < 0.1);
        assert!(f.refute_ci.0 < f.ci.0 && f.ci.1 < f.refute_ci.1, "refutation bounds are the wider ones");
        let above = f.decide_above(1.5);
        assert_eq!(above.verdict, Verdict::Supported);
        assert_eq!(above.refute_alpha, REFUTE);
        assert_eq!(f.decide_below(1.5).verdict, Verdict::Refuted);
        assert_eq!(f.decide_rate(2.0, 0.25, 1.0).verdict, Verdict::Supported);
        assert_eq!(f.decide_rate(1.0, 0.25, 2.0).verdict, Verdict::Refuted);
    }

    const REFUTE: f64 = crate::stats::levels::REFUTE_ALPHA;

    #[test]
    fn standard_error_matches_the_closed_form() {
        // two x values, replicates of log y with known sample variances: Var b̂ = (s₁²/r₁ + s₂²/r₂)/(u₂ − u₁)².
        let xs = [1.0, std::f64::consts::E];
        let ys = vec![vec![1.0, 1.0_f64.exp(), 2.0_f64.exp()], vec![1.0, 3.0_f64.exp()]];
        let f = slope_fit(&xs, &ys, Levels::SUITE).unwrap();
        // log y: {0, 1, 2} (mean 1, s² = 1) and {0, 3} (mean 1.5, s² = 4.5); u₂ − u₁ = 1
        assert!((f.slope - 0.5).abs() < 1e-14);
        let var: f64 = 1.0 / 3.0 + 4.5 / 2.0;
        assert!((f.se - var.sqrt()).abs() < 1e-14);
        let df = var * var / ((1.0f64 / 3.0).powi(2) / 2.0 + (4.5f64 / 2.0).powi(2) / 1.0);
        assert!((f.df - df).abs() < 1e-12);
        let t = t_upper(0.05, df);
        assert!((f.ci.1 - (0.5 + t * var.sqrt())).abs() < 1e-12);
    }

    #[test]
    fn bounds_have_their_stated_coverage() {
        // 4000 simulated sweeps of a true slope 1 (5 x values × 8 replicates): the lower 95% bound exceeds the truth in
        // ≈ 5% of them (Binomial(4000, 0.05): 200 ± 14), and the refutation bound essentially never (expected 0.2).
        let (mut over_support, mut over_refute) = (0, 0);
        for r in 0..4000 {
            let (xs, ys) = synthetic(1.0, 0.3, 8, 100 + r);
            let f = slope_fit(&xs, &ys, Levels::SUITE).unwrap();
            over_support += usize::from(f.ci.0 > 1.0);
            over_refute += usize::from(f.refute_ci.0 > 1.0);
        }
        assert!((144..=256).contains(&over_support), "support bound exceeded the truth {over_support}/4000 times");
        assert!(over_refute <= 3, "refutation bound exceeded the truth {over_refute}/4000 times");
    }

    #[test]
    fn disagreeing_replicates_are_inconclusive() {
        // Two replicates per x, one on a slope-0.5 law and one on a slope-2.5 law: the pooled slope is 1.5 and the
        // replicate spread is so large that neither side of 1.5 can be decided.
        let xs = vec![8.0, 12.0, 16.0, 24.0, 32.0];
        let ys: Vec<Vec<f64>> = xs.iter().map(|x: &f64| vec![x.powf(0.5), x.powf(2.5)]).collect();
        let f = slope_fit(&xs, &ys, Levels::SUITE).unwrap();
        assert!((f.slope - 1.5).abs() < 1e-12);
        assert_eq!(f.decide_above(1.0).verdict, Verdict::Inconclusive);
        assert_eq!(f.decide_below(2.0).verdict, Verdict::Inconclusive);
    }

    #[test]
    fn points_fit_matches_the_closed_form() {
        // log y = 1 + 2u + residuals (+e, −2e, +e) at u = 0, 1, 2: slope 2 exactly (the residuals are orthogonal to
        // u − ū), RSS = 6e², df = 1, se = √(6e²/1/2) = e√3.
        let e = 0.01;
        let us = [0.0f64, 1.0, 2.0];
        let xs: Vec<f64> = us.iter().map(|u| u.exp()).collect();
        let ys: Vec<f64> = us.iter().zip([e, -2.0 * e, e]).map(|(u, r)| (1.0 + 2.0 * u + r).exp()).collect();
        let f = slope_fit_points(&xs, &ys, Levels::SUITE).unwrap();
        assert!((f.slope - 2.0).abs() < 1e-12 && (f.intercept - 1.0).abs() < 1e-12, "{f:?}");
        assert!((f.se - e * 3f64.sqrt()).abs() < 1e-12 && f.df == 1.0, "{f:?}");
        assert!((f.ci.0 - (2.0 - t_upper(0.05, 1.0) * f.se)).abs() < 1e-12);
        assert_eq!(f.model, SlopeModel::Residuals);
        let d = f.decide_above(0.0);
        assert_eq!(d.verdict, Verdict::Supported);
        assert!(d.rule.contains("OLS residual t"), "{}", d.rule);
        assert!(slope_fit_points(&xs[..2], &ys[..2], Levels::SUITE).is_none(), "two points leave no df");
        assert!(slope_fit_points(&xs, &[1.0, 0.0, 1.0], Levels::SUITE).is_none());
    }

    #[test]
    fn points_bounds_have_their_stated_coverage() {
        // 4000 simulated sweeps of a true slope 0 (5 x values, one value each, log-normal noise): the lower 95% bound
        // exceeds 0 in ≈ 5% of them (200 ± 14) and the refutation bound essentially never.
        let (mut over_support, mut over_refute) = (0, 0);
        for r in 0..4000 {
            let (xs, ys) = synthetic(0.0, 0.3, 1, 9000 + r);
            let ys: Vec<f64> = ys.iter().map(|v| v[0]).collect();
            let f = slope_fit_points(&xs, &ys, Levels::SUITE).unwrap();
            over_support += usize::from(f.ci.0 > 0.0);
            over_refute += usize::from(f.refute_ci.0 > 0.0);
        }
        assert!((144..=256).contains(&over_support), "support bound exceeded the truth {over_support}/4000 times");
        assert!(over_refute <= 3, "refutation bound exceeded the truth {over_refute}/4000 times");
    }

    #[test]
    fn rejects_bad_data() {
        assert!(slope_fit(&[1.0, 2.0], &[vec![1.0, 1.0], vec![-1.0, 1.0]], Levels::SUITE).is_none());
        assert!(slope_fit(&[1.0], &[vec![1.0, 2.0]], Levels::SUITE).is_none());
        assert!(slope_fit(&[1.0, 2.0], &[vec![1.0], vec![2.0, 2.0]], Levels::SUITE).is_none(), "one replicate");
        let bad = Levels { support: 0.01, refute: 0.1 };
        assert!(slope_fit(&[1.0, 2.0], &[vec![1.0, 1.0], vec![2.0, 2.0]], bad).is_none());
    }

    #[test]
    fn constant_replicates_give_a_point_interval() {
        let xs = [2.0, 4.0, 8.0];
        let ys: Vec<Vec<f64>> = xs.iter().map(|x: &f64| vec![x * x; 3]).collect();
        let f = slope_fit(&xs, &ys, Levels::SUITE).unwrap();
        assert!((f.slope - 2.0).abs() < 1e-12 && f.se == 0.0 && f.df.is_infinite());
        assert_eq!(f.ci, (f.slope, f.slope));
        assert_eq!(f.decide_above(1.5).verdict, Verdict::Supported);
    }
}

//! Bound rule: an inequality that should hold with probability ≥ 1 − δ, tested by counting violations.

use super::levels::Levels;
use super::{Decision, Verdict};
use statrs::function::beta::beta_reg;

/// Solves I_x(a, b) = target for x ∈ [0, 1] by bisection (I is increasing in x).
fn beta_quantile(a: f64, b: f64, target: f64) -> f64 {
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if beta_reg(a, b, mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// One-sided Clopper–Pearson limits for a binomial proportion at confidence 1 − α each:
/// lower = Beta⁻¹(α; k, R − k + 1) (0 when k = 0), upper = Beta⁻¹(1 − α; k + 1, R − k) (1 when k = R).
pub fn clopper_pearson(k: u64, r: u64, alpha: f64) -> (f64, f64) {
    assert!(k <= r && r > 0 && alpha > 0.0 && alpha < 1.0, "clopper_pearson: need 0 ≤ k ≤ R, R > 0, α ∈ (0,1)");
    let (k, r) = (k as f64, r as f64);
    let lower = if k == 0.0 { 0.0 } else { beta_quantile(k, r - k + 1.0, alpha) };
    let upper = if k == r { 1.0 } else { beta_quantile(k + 1.0, r - k, 1.0 - alpha) };
    (lower, upper)
}

/// `violations` of R = `replicates` seeded trials broke an inequality claimed to hold with probability ≥ 1 − δ.
/// Supported when the one-sided Clopper–Pearson upper limit of the violation rate at level 1 − α_s is ≤ δ + slack;
/// Refuted when the lower limit at level 1 − α_r exceeds δ + slack; Inconclusive otherwise (too few replicates to
/// tell). Clopper–Pearson is exact (conservative), so a true bound is refuted with probability ≤ α_r. Spends α_r.
pub fn bound(violations: u64, replicates: u64, delta: f64, slack: f64, levels: Levels) -> Decision {
    let rule = format!(
        "violation rate ≤ δ + slack = {}: Supported when the Clopper–Pearson {} upper limit of the rate is ≤ it; \
         Refuted when the lower limit at {} exceeds it",
        delta + slack,
        levels.support_words(),
        levels.refute_words()
    );
    if replicates == 0 || violations > replicates || !levels.is_valid() {
        return Decision::new(Verdict::Inconclusive, rule)
            .with("violations", violations)
            .with("replicates", replicates);
    }
    let (_, hi) = clopper_pearson(violations, replicates, levels.support);
    let (lo, _) = clopper_pearson(violations, replicates, levels.refute);
    let threshold = delta + slack;
    let verdict = Verdict::decide(true, hi <= threshold, lo > threshold);
    Decision::new(verdict, rule)
        .with_margin(threshold - hi, lo - threshold)
        .with("violations", violations)
        .with("replicates", replicates)
        .with("delta", delta)
        .with("slack", slack)
        .with("alpha_support", levels.support)
        .with("alpha_refute", levels.refute)
        .with("cp_lower", lo)
        .with("cp_upper", hi)
        .spending(levels.refute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clopper_pearson_closed_forms() {
        // k = 0: upper = 1 − α^(1/R) exactly.
        let (_, u) = clopper_pearson(0, 60, 0.05);
        assert!((u - (1.0 - 0.05f64.powf(1.0 / 60.0))).abs() < 1e-12);
        // k = R: lower = α^(1/R).
        let (l, _) = clopper_pearson(10, 10, 0.05);
        assert!((l - 0.05f64.powf(0.1)).abs() < 1e-12);
    }

    #[test]
    fn verdicts() {
        let l = Levels::SUITE;
        assert_eq!(bound(0, 100, 0.05, 0.0, l).verdict, Verdict::Supported);
        assert_eq!(bound(50, 100, 0.05, 0.0, l).verdict, Verdict::Refuted);
        assert_eq!(bound(0, 10, 0.05, 0.0, l).verdict, Verdict::Inconclusive);
        assert_eq!(bound(5, 3, 0.05, 0.0, l).verdict, Verdict::Inconclusive);
        // 12/100 violations of δ = 0.05: the 95% lower limit (0.070) exceeds δ but the α_r one (0.043) does not —
        // evidence against the bound, not overwhelming: Inconclusive.
        assert!(clopper_pearson(12, 100, 0.05).0 > 0.05 && clopper_pearson(12, 100, 5e-5).0 < 0.05);
        assert_eq!(bound(12, 100, 0.05, 0.0, l).verdict, Verdict::Inconclusive);
        assert_eq!(bound(0, 100, 0.05, 0.0, l).refute_alpha, l.refute);
    }
}

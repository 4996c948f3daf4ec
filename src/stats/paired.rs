//! Paired comparison over trials: the statement "A > B" for paired values (a_r, b_r), r = 1..R (the same trial's data
//! for both methods), judged by
//! - the Student-t bounds of mean(a − b) ([`super::separation`] with margin 0), and
//! - the one-sided sign test: with w = #{a_r > b_r}, ℓ = #{a_r < b_r} (ties dropped), p = P[Bin(w + ℓ, ½) ≥ w].
//!
//! Supported when the support bound lies above 0 and p ≤ α_s; Refuted (the opposite holds) when the refutation bound
//! lies below 0; Inconclusive otherwise. With R trials the smallest possible p is 2^{−R}, so R ≥ 5 is needed for
//! Supported at α_s = 0.05.

use super::levels::Levels;
use super::{Decision, Verdict, separation};

/// One-sided sign-test p-value P[Bin(w + l, ½) ≥ w] (1 when there are no untied pairs).
pub fn sign_test(wins: usize, losses: usize) -> f64 {
    let r = wins + losses;
    if r == 0 {
        return 1.0;
    }
    // Σ_{k=w}^{r} C(r, k) 2^{−r}, in logs for large r
    let ln_choose = |k: usize| -> f64 { (1..=k).map(|i| ((r - k + i) as f64 / i as f64).ln()).sum() };
    let lh = (r as f64) * 0.5f64.ln();
    (wins..=r).map(|k| (ln_choose(k) + lh).exp()).sum::<f64>().min(1.0)
}

/// The rule "A > B" over paired trials (see the module docs) at `levels`; `a_name`, `b_name` label the two sides in
/// the rule and the metrics.
pub fn paired_greater(a_name: &str, a: &[f64], b_name: &str, b: &[f64], levels: Levels) -> Decision {
    let alpha = levels.support;
    let sep = separation(a, b, 0.0, levels);
    let wins = a.iter().zip(b).filter(|(x, y)| x > y).count();
    let losses = a.iter().zip(b).filter(|(x, y)| x < y).count();
    let p = sign_test(wins, losses);
    let verdict = match sep.verdict {
        Verdict::Supported if p <= alpha => Verdict::Supported,
        Verdict::Refuted => Verdict::Refuted,
        _ => Verdict::Inconclusive,
    };
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let rule = format!(
        "paired over {} trials, d_r = {a_name} − {b_name}: Supported when the {} lower bound of mean(d) (t) lies \
         above 0 AND the one-sided sign test has p ≤ {alpha}; Refuted when its upper bound at {} lies below 0; else \
         Inconclusive",
        a.len(),
        levels.support_words(),
        levels.refute_words()
    );
    let mut d = Decision::new(verdict, rule)
        .with_margin(
            sep.margin.as_ref().map_or(f64::NAN, |m| m.support),
            sep.margin.as_ref().map_or(f64::NAN, |m| m.refute),
        )
        .with(&format!("mean_{a_name}"), mean(a))
        .with(&format!("mean_{b_name}"), mean(b))
        .with("wins", wins)
        .with("losses", losses)
        .with("ties", a.len().saturating_sub(wins + losses))
        .with("sign_test_p", p)
        .with("trials", a.len());
    d.refute_alpha = sep.refute_alpha;
    for key in ["mean_difference", "ci_lo", "refute_hi"] {
        if let Some(v) = sep.metrics.get(key) {
            d = d.with(key, v.clone());
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_test_values() {
        assert!((sign_test(5, 0) - 1.0 / 32.0).abs() < 1e-15);
        assert!((sign_test(0, 3) - 1.0).abs() < 1e-12);
        // P[Bin(4, ½) ≥ 3] = 5/16
        assert!((sign_test(3, 1) - 5.0 / 16.0).abs() < 1e-12);
        assert_eq!(sign_test(0, 0), 1.0);
    }

    #[test]
    fn verdicts() {
        let l = Levels::SUITE;
        let a = [0.5, 0.6, 0.55, 0.62, 0.58, 0.61, 0.57];
        let b = [0.1, 0.2, 0.15, 0.12, 0.18, 0.11, 0.13];
        assert_eq!(paired_greater("a", &a, "b", &b, l).verdict, Verdict::Supported);
        assert_eq!(paired_greater("b", &b, "a", &a, l).verdict, Verdict::Refuted);
        // four wins cannot reach p ≤ 0.05 (2^-4 = 0.0625)
        assert_eq!(paired_greater("a", &a[..4], "b", &b[..4], l).verdict, Verdict::Inconclusive);
    }
}

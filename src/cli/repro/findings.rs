//! The paper's qualitative findings as checked statements in a reproduction's JSON: a paired comparison over trials.
//!
//! For paired values (a_r, b_r), r = 1..R (same trial's data for both methods), the statement "A > B" is judged by
//! - the bootstrap percentile CI (1 − α) of mean(a − b) ([`regmatters::stats::separation`] with margin 0), and
//! - the one-sided sign test: with w = #{a_r > b_r}, ℓ = #{a_r < b_r} (ties dropped), p = P[Bin(w + ℓ, ½) ≥ w].
//!
//! Verdict: **supported** (our run reproduces the finding) when the CI lies above 0 and p ≤ α; **refuted** (our run
//! shows the opposite) when the CI lies below 0; **inconclusive** otherwise. α = 0.05. With R trials the smallest
//! possible p is 2^{−R}, so R ≥ 5 is needed for "supported".

use regmatters::claims::Verdict;
use regmatters::stats::separation;
use serde_json::{Value, json};

/// α of both tests.
pub const ALPHA: f64 = 0.05;
/// Bootstrap resamples.
const RESAMPLES: usize = 4000;

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

/// The JSON record of the statement "A > B" over paired trials (see the module docs); `a_name`, `b_name` label the
/// two sides in the numbers.
pub fn paired_greater(
    statement: &str,
    a_name: &str,
    a: &[f64],
    b_name: &str,
    b: &[f64],
    seed: u64,
) -> (Verdict, Value) {
    let mut rng = regmatters::seed::stream(seed, &["repro.finding", statement], 0);
    let sep = separation(a, b, 0.0, ALPHA, RESAMPLES, &mut rng);
    let wins = a.iter().zip(b).filter(|(x, y)| x > y).count();
    let losses = a.iter().zip(b).filter(|(x, y)| x < y).count();
    let p = sign_test(wins, losses);
    let verdict = match sep.verdict {
        Verdict::Supported if p <= ALPHA => Verdict::Supported,
        Verdict::Refuted => Verdict::Refuted,
        _ => Verdict::Inconclusive,
    };
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let record = json!({
        "statement": statement,
        "verdict": verdict.as_str(),
        "reproduced": verdict == Verdict::Supported,
        "rule": format!(
            "paired over {} trials, d_r = {a_name} − {b_name}: supported when the bootstrap {:.0}% CI of mean(d) lies \
             above 0 AND the one-sided sign test has p ≤ {ALPHA}; refuted when the CI lies below 0; else inconclusive",
            a.len(),
            100.0 * (1.0 - ALPHA)
        ),
        "numbers": {
            format!("mean_{a_name}"): mean(a),
            format!("mean_{b_name}"): mean(b),
            "mean_difference": sep.metrics.get("mean_difference").cloned().unwrap_or(Value::Null),
            "ci": [sep.metrics.get("ci_lo").cloned().unwrap_or(Value::Null), sep.metrics.get("ci_hi").cloned().unwrap_or(Value::Null)],
            "wins": wins, "losses": losses, "ties": a.len().saturating_sub(wins + losses),
            "sign_test_p": p,
            "trials": a.len(),
        },
    });
    (verdict, record)
}

/// Mean and standard error over the finite values of `v` (trials whose value is NaN/∞ are dropped), through
/// [`regmatters::stats::mean_ci`]; mean NaN when no value is finite, se 0 with a single value.
pub fn mean_se(v: &[f64]) -> (f64, f64) {
    let finite: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    if finite.is_empty() {
        return (f64::NAN, 0.0);
    }
    let c = regmatters::stats::mean_ci(&finite, 1.0);
    (c.mean, if finite.len() > 1 { c.se } else { 0.0 })
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
}

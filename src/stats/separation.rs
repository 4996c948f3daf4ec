//! Separation rule: method A beats method B by a stated margin, with Student-t bounds on the mean paired difference.

use super::levels::Levels;
use super::mean_ci::mean_ci;
use super::{Decision, Verdict};

/// Paired differences d_r = a_r − b_r over replicates (e.g. kernel error − net error), the statement
/// "E[A − B] > margin". Supported when the one-sided support bound mean(d) − t_{α_s, R−1}·se lies above `margin`;
/// Refuted when the refutation bound mean(d) + t_{α_r, R−1}·se lies below it; else Inconclusive. Spends α_r.
pub fn separation(a: &[f64], b: &[f64], margin: f64, levels: Levels) -> Decision {
    let rule = format!(
        "E[A − B] > {margin}: Supported when the {} lower bound of mean(A − B) (paired t) lies above {margin}; \
         Refuted when its upper bound at {} lies below",
        levels.support_words(),
        levels.refute_words()
    );
    if a.len() != b.len() || a.len() < 2 || a.iter().chain(b).any(|v| !v.is_finite()) || !levels.is_valid() {
        return Decision::new(Verdict::Inconclusive, rule).with("replicates", a.len());
    }
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let m = mean_ci(&d, levels);
    let (lo, hi) = (m.mean - m.half_width(levels.support), m.mean + m.half_width(levels.refute));
    let verdict = Verdict::decide(lo.is_finite() && hi.is_finite(), lo > margin, hi < margin);
    Decision::new(verdict, rule)
        .with_margin(lo - margin, margin - hi)
        .with("mean_difference", m.mean)
        .with("se", m.se)
        .with("ci_lo", lo)
        .with("refute_hi", hi)
        .with("margin", margin)
        .with("replicates", d.len())
        .spending(levels.refute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        let l = Levels::SUITE;
        let a = [0.40, 0.42, 0.38, 0.41, 0.39, 0.40];
        let b = [0.05, 0.06, 0.04, 0.05, 0.07, 0.05];
        assert_eq!(separation(&a, &b, 0.2, l).verdict, Verdict::Supported);
        assert_eq!(separation(&b, &a, 0.2, l).verdict, Verdict::Refuted);
        let c = [0.0, 0.5, -0.4, 0.45, -0.5, 0.2];
        let z = [0.0; 6];
        assert_eq!(separation(&c, &z, 0.0, l).verdict, Verdict::Inconclusive);
        assert_eq!(separation(&a, &b[..3], 0.2, l).verdict, Verdict::Inconclusive);
    }

    #[test]
    fn bounds_are_the_t_bounds() {
        // d = {1, 2, 3}: mean 2, se = 1/√3; t(0.05, 2) = 2.919986
        let d = separation(&[1.0, 2.0, 3.0], &[0.0; 3], 0.0, Levels::SUITE);
        let lo = d.metrics["ci_lo"].as_f64().unwrap();
        assert!((lo - (2.0 - 2.919_986 / 3f64.sqrt())).abs() < 1e-5, "{lo}");
        assert_eq!(d.verdict, Verdict::Supported);
    }
}

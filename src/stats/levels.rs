//! The two error levels of every randomized rule, and the family-wise budget they add up to.
//!
//! A randomized rule decides between three regions. **Support** needs the one-sided confidence bound on the side the
//! statement speaks to, at level 1 − α_s (α_s = [`SUPPORT_ALPHA`] = 0.05), to lie in the statement's region.
//! **Refutation** needs overwhelming evidence: the opposite one-sided bound at level 1 − α_r (α_r = [`REFUTE_ALPHA`])
//! must lie outside it. In between the verdict is Inconclusive. Because α_r < α_s the refutation bound is the wider
//! one, so the two regions are disjoint.
//!
//! **Family-wise error.** If a claim is true, each randomized part refutes it with probability ≤ α_r (under the
//! rule's model: normal-theory for means and slopes, exact binomial for violation counts). By Bonferroni the chance
//! that *any* true claim of a suite is wrongly refuted is ≤ Σ α_r over the randomized refutation statements of its
//! claims. The constant α_r = 4·10⁻⁵ is fixed in advance so that up to 25 such statements (the built-in suite spends
//! 22 statements' worth, 8.8·10⁻⁴, at the quick tier) fit the budget
//! [`FAMILY_BUDGET`] = 10⁻³; the suite prints the sum it actually spent (see [`super::Decision::refute_alpha`]), and
//! the test `suite [family-wise α]` (`tests/claims.rs`) fails when a quick-tier run of all claims spends more than the
//! budget. A statement tested on both sides of a window (a rate with an allowance) spends α_r/2 per side; k parts that
//! test one statement together may share its α_r ([`Levels::shared`], α_r/k each). Deterministic parts (certified brackets, closed forms) spend nothing.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// α of the support side: a one-sided 95% bound.
pub const SUPPORT_ALPHA: f64 = 0.05;

/// α of the refutation side per statement (one-sided): 4·10⁻⁵, i.e. 25 statements per 10⁻³ of family-wise error.
pub const REFUTE_ALPHA: f64 = 4e-5;

/// The family-wise chance of wrongly refuting any true claim of the built-in suite that the levels are set to meet.
pub const FAMILY_BUDGET: f64 = 1e-3;

/// The two one-sided error levels of a randomized rule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Levels {
    /// One-sided α of the support bound.
    pub support: f64,
    /// One-sided α of the refutation bound (≤ `support`).
    pub refute: f64,
}

impl Levels {
    /// The suite's levels: α_s = [`SUPPORT_ALPHA`], α_r = [`REFUTE_ALPHA`].
    pub const SUITE: Levels = Levels { support: SUPPORT_ALPHA, refute: REFUTE_ALPHA };

    /// The levels of one of k randomized parts that test a single statement together (the same rate for several
    /// predictors): the parts share the statement's α_r, each refuting at α_r/k, so the statement still spends α_r.
    pub fn shared(self, k: usize) -> Levels {
        Levels { support: self.support, refute: self.refute / k.max(1) as f64 }
    }

    /// Whether both levels lie in (0, ½) with refute ≤ support (the refutation bound the wider one).
    pub fn is_valid(&self) -> bool {
        0.0 < self.refute && self.refute <= self.support && self.support < 0.5
    }

    /// "one-sided 95%" for the support level, in the rules' words.
    pub fn support_words(&self) -> String {
        format!("one-sided {}%", percent(1.0 - self.support))
    }

    /// "α = 4e-5" for the refutation level, in the rules' words.
    pub fn refute_words(&self) -> String {
        format!("one-sided α = {:e}", self.refute)
    }
}

/// 100·p printed without float noise (95, 99.995).
fn percent(p: f64) -> String {
    let s = format!("{:.4}", 100.0 * p);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The upper-tail quantile q with P[T > q] = `alpha` for Student's t with `df` degrees of freedom (the standard
/// normal when `df` is infinite or above 10⁶). NaN for α ∉ (0, 1) or df ≤ 0.
pub fn t_upper(alpha: f64, df: f64) -> f64 {
    if !(alpha > 0.0 && alpha < 1.0) || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if df > 1e6 {
        return Normal::standard().inverse_cdf(1.0 - alpha);
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(t) => t.inverse_cdf(1.0 - alpha),
        Err(_) => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_tables() {
        // z_{0.05} = 1.6449, z_{5e-5} = 3.8906 (standard normal tables)
        assert!((t_upper(0.05, f64::INFINITY) - 1.644_853_6).abs() < 1e-6);
        assert!((t_upper(5e-5, f64::INFINITY) - 3.890_591_9).abs() < 1e-5);
        // t_{0.025, 10} = 2.2281, t_{0.05, 1} = tan(π·0.45) = 6.3138 (closed form for the Cauchy)
        assert!((t_upper(0.025, 10.0) - 2.228_139).abs() < 1e-5);
        assert!((t_upper(0.05, 1.0) - (std::f64::consts::PI * 0.45).tan()).abs() < 1e-8);
        assert!(t_upper(0.0, 3.0).is_nan() && t_upper(0.1, 0.0).is_nan());
    }

    #[test]
    fn suite_levels_fit_the_budget() {
        assert!(Levels::SUITE.is_valid());
        const { assert!(25.0 * REFUTE_ALPHA <= FAMILY_BUDGET) };
        assert!(!Levels { support: 0.01, refute: 0.05 }.is_valid());
        assert_eq!(Levels::SUITE.support_words(), "one-sided 95%");
    }
}

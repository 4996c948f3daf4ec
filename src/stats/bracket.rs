//! Bracket rule: a computed quantity lies in a certified interval.

use crate::claims::{Decision, Verdict};

/// Supported when `lo − tol ≤ value ≤ hi + tol`; Refuted when outside; Inconclusive when the inputs are not finite or
/// the bracket is inverted by more than `tol` (a broken certificate decides nothing).
pub fn bracket(name: &str, value: f64, lo: f64, hi: f64, tol: f64) -> Decision {
    let rule = format!("Supported when lo − tol ≤ {name} ≤ hi + tol (certified bracket [lo, hi], tolerance tol)");
    let verdict = if !(value.is_finite() && lo.is_finite() && hi.is_finite() && tol.is_finite()) || lo > hi + tol {
        Verdict::Inconclusive
    } else {
        Verdict::from_bool(lo - tol <= value && value <= hi + tol)
    };
    Decision::new(verdict, rule).with(name, value).with("lo", lo).with("hi", hi).with("tol", tol)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_outside_broken() {
        assert_eq!(bracket("x", 0.5, 0.4, 0.6, 0.0).verdict, Verdict::Supported);
        assert_eq!(bracket("x", 0.61, 0.4, 0.6, 0.02).verdict, Verdict::Supported);
        assert_eq!(bracket("x", 0.7, 0.4, 0.6, 0.02).verdict, Verdict::Refuted);
        assert_eq!(bracket("x", 0.3, 0.4, 0.6, 0.02).verdict, Verdict::Refuted);
        assert_eq!(bracket("x", 0.5, 0.7, 0.6, 0.0).verdict, Verdict::Inconclusive);
        assert_eq!(bracket("x", f64::NAN, 0.4, 0.6, 0.0).verdict, Verdict::Inconclusive);
    }
}

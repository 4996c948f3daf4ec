//! Bracket rule: a computed quantity lies in a certified interval.

use super::{Decision, Verdict};

/// Supported when `lo − tol ≤ value ≤ hi + tol`; Refuted when outside; Inconclusive when the inputs are not finite or
/// the bracket is inverted by more than `tol` (a broken certificate decides nothing).
pub fn bracket(name: &str, value: f64, lo: f64, hi: f64, tol: f64) -> Decision {
    let rule = format!("Supported when lo − tol ≤ {name} ≤ hi + tol (certified bracket [lo, hi], tolerance tol)");
    let verdict = if !(value.is_finite() && lo.is_finite() && hi.is_finite() && tol.is_finite()) || lo > hi + tol {
        Verdict::Inconclusive
    } else {
        Verdict::from_bool(lo - tol <= value && value <= hi + tol)
    };
    let support = (value - (lo - tol)).min(hi + tol - value);
    Decision::new(verdict, rule)
        .with(name, value)
        .with("lo", lo)
        .with("hi", hi)
        .with("tol", tol)
        .with_margin(support, -support)
}

/// Rule for a claimed inequality "value ≤ ceiling" when the value is only known through a certified bracket
/// [lower, upper]: Supported when upper ≤ ceiling·(1 + rel_tol) (the inequality is certified), Refuted when
/// lower > ceiling·(1 + rel_tol) (a certified violation), Inconclusive in between or on non-finite input.
pub fn bracket_at_most(name: &str, lower: f64, upper: f64, ceiling: f64, rel_tol: f64) -> Decision {
    let lim = ceiling * (1.0 + rel_tol);
    // A bracket computed in floating point can come out inverted (lower > upper) by the rounding of an ill-conditioned
    // certificate; the value then lies between the two ends up to that error, so the rule uses the wider reading:
    // Supported only if the larger end is ≤ the limit, Refuted only if the smaller end exceeds it.
    let (lower, upper, inverted) = if lower > upper { (upper, lower, lower - upper) } else { (lower, upper, 0.0) };
    let usable = lower.is_finite() && upper.is_finite() && ceiling.is_finite();
    let verdict = Verdict::decide(usable, upper <= lim, lower > lim);
    Decision::new(
        verdict,
        format!(
            "{name} ≤ ceiling: Supported when its certified upper end ≤ ceiling·(1 + {rel_tol:e}); Refuted when its \
             certified lower end exceeds that"
        ),
    )
    .with("lower", lower)
    .with("upper", upper)
    .with("ceiling", ceiling)
    .with("rel_tol", rel_tol)
    .with("bracket_inverted_by", inverted)
    .with_margin(lim - upper, lower - lim)
}

/// Rule for a claimed inequality "value ≥ floor" when the value is only known through a certified bracket
/// [lower, upper] — the mirror of [`bracket_at_most`], with an absolute tolerance: with lim = floor − abs_tol,
/// Supported when lower ≥ lim (the inequality is certified), Refuted when upper < lim (a certified violation),
/// Inconclusive in between or on non-finite input. An inverted bracket is read as its wider interval, as in
/// [`bracket_at_most`]. Margins: support = lower − lim, refute = lim − upper.
pub fn bracket_at_least(name: &str, lower: f64, upper: f64, floor: f64, abs_tol: f64) -> Decision {
    let lim = floor - abs_tol;
    let (lower, upper, inverted) = if lower > upper { (upper, lower, lower - upper) } else { (lower, upper, 0.0) };
    let usable = lower.is_finite() && upper.is_finite() && lim.is_finite();
    let verdict = Verdict::decide(usable, lower >= lim, upper < lim);
    Decision::new(
        verdict,
        format!(
            "{name} ≥ floor: Supported when its certified lower end ≥ floor − {abs_tol:e}; Refuted when its certified \
             upper end is below that"
        ),
    )
    .with("lower", lower)
    .with("upper", upper)
    .with("floor", floor)
    .with("abs_tol", abs_tol)
    .with("bracket_inverted_by", inverted)
    .with_margin(lower - lim, lim - upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margin_is_the_distance_to_the_nearer_widened_end() {
        // value 1 in [0, 3] widened by tol = 0.1: distances 1.1 to the lower end, 2.1 to the upper end
        let m = bracket("x", 1.0, 0.0, 3.0, 0.1).margin.unwrap();
        assert!((m.support - 1.1).abs() < 1e-15 && (m.refute + 1.1).abs() < 1e-15, "{m:?}");
        // outside by 0.5 above hi + tol: support −0.5
        let m = bracket("x", 3.6, 0.0, 3.0, 0.1).margin.unwrap();
        assert!((m.support + 0.5).abs() < 1e-12, "{m:?}");
    }

    #[test]
    fn inside_outside_broken() {
        assert_eq!(bracket("x", 0.5, 0.4, 0.6, 0.0).verdict, Verdict::Supported);
        assert_eq!(bracket("x", 0.61, 0.4, 0.6, 0.02).verdict, Verdict::Supported);
        assert_eq!(bracket("x", 0.7, 0.4, 0.6, 0.02).verdict, Verdict::Refuted);
        assert_eq!(bracket("x", 0.3, 0.4, 0.6, 0.02).verdict, Verdict::Refuted);
        assert_eq!(bracket("x", 0.5, 0.7, 0.6, 0.0).verdict, Verdict::Inconclusive);
        assert_eq!(bracket("x", f64::NAN, 0.4, 0.6, 0.0).verdict, Verdict::Inconclusive);
    }

    #[test]
    fn at_least_rule() {
        assert_eq!(bracket_at_least("g", 0.4, 0.5, 0.3, 0.0).verdict, Verdict::Supported);
        assert_eq!(bracket_at_least("g", 0.1, 0.2, 0.3, 0.0).verdict, Verdict::Refuted);
        assert_eq!(bracket_at_least("g", 0.2, 0.4, 0.3, 0.0).verdict, Verdict::Inconclusive);
        assert_eq!(bracket_at_least("g", 0.29, 0.4, 0.3, 0.02).verdict, Verdict::Supported, "within the tolerance");
        assert_eq!(bracket_at_least("g", 0.1, 0.29, 0.3, 0.02).verdict, Verdict::Inconclusive, "upper end within it");
        assert_eq!(bracket_at_least("g", f64::NAN, 0.4, 0.3, 0.0).verdict, Verdict::Inconclusive);
        let m = bracket_at_least("g", 0.4, 0.5, 0.3, 0.0).margin.unwrap();
        assert!((m.support - 0.1).abs() < 1e-15 && (m.refute + 0.2).abs() < 1e-15, "{m:?}");
        // an inverted bracket is read as its wider interval
        assert_eq!(bracket_at_least("g", 0.5, 0.2, 0.3, 0.0).verdict, Verdict::Inconclusive);
    }

    #[test]
    fn at_most_rule() {
        assert_eq!(bracket_at_most("g", 0.1, 0.2, 0.3, 0.0).verdict, Verdict::Supported);
        assert_eq!(bracket_at_most("g", 0.4, 0.5, 0.3, 0.0).verdict, Verdict::Refuted);
        assert_eq!(bracket_at_most("g", 0.2, 0.4, 0.3, 0.0).verdict, Verdict::Inconclusive);
        assert_eq!(bracket_at_most("g", f64::NAN, 0.4, 0.3, 0.0).verdict, Verdict::Inconclusive);
        // an inverted bracket is read as its wider interval: both ends below → Supported, straddling → Inconclusive
        let inv = bracket_at_most("g", 0.2 + 1e-12, 0.2, 0.3, 0.0);
        assert_eq!(inv.verdict, Verdict::Supported);
        assert!(inv.metrics["bracket_inverted_by"].as_f64().unwrap() > 0.0);
        assert_eq!(bracket_at_most("g", 0.4, 0.2, 0.3, 0.0).verdict, Verdict::Inconclusive);
    }
}

//! Limit rule: a sequence approaches the certified value of its claimed limit.

use super::{Decision, Verdict};

/// A sequence `values[k]` (e.g. γ_λ along a decreasing λ path) claimed to converge to a value certified to lie in
/// `[lo, hi]`. With relative gaps g_k = (hi − values[k]) / hi:
///
/// Supported when (i) no value exceeds `hi + tol` (nothing beats a certified maximum), (ii) the gaps never grow by
/// more than `tol` from one step to the next, (iii) the last gap is below the first by more than `tol`, and (iv) the
/// last gap is ≤ `final_gap`. Refuted when any of these fails; Inconclusive on non-finite input or an inverted bracket.
pub fn limit(name: &str, values: &[f64], lo: f64, hi: f64, tol: f64, final_gap: f64) -> Decision {
    let rule = format!(
        "Supported when, with g_k = (hi − {name}_k)/hi: every {name}_k ≤ hi + tol, g_(k+1) ≤ g_k + tol, \
         g_last < g_first − tol, and g_last ≤ {final_gap}"
    );
    let finite = values.iter().all(|v| v.is_finite()) && lo.is_finite() && hi.is_finite() && hi > 0.0;
    if !finite || values.len() < 2 || lo > hi + tol {
        return Decision::new(Verdict::Inconclusive, rule)
            .with("values", values.to_vec())
            .with("lo", lo)
            .with("hi", hi);
    }
    let gaps: Vec<f64> = values.iter().map(|v| (hi - v) / hi).collect();
    let below_top = values.iter().all(|v| *v <= hi + tol);
    let monotone = gaps.windows(2).all(|w| w[1] <= w[0] + tol);
    let first = gaps[0];
    let last = gaps[gaps.len() - 1];
    let shrinks = last < first - tol;
    let small = last <= final_gap;
    // support margin: the tightest of the four conditions, each as a distance in relative-gap units
    let top_room = values.iter().map(|v| (hi + tol - v) / hi).fold(f64::INFINITY, f64::min);
    let growth_room = gaps.windows(2).map(|w| w[0] + tol - w[1]).fold(f64::INFINITY, f64::min);
    let support = top_room.min(growth_room).min(first - tol - last).min(final_gap - last);
    Decision::new(Verdict::from_bool(below_top && monotone && shrinks && small), rule)
        .with_margin(support, -support)
        .with("values", values.to_vec())
        .with("relative_gaps", gaps.clone())
        .with("lo", lo)
        .with("hi", hi)
        .with("tol", tol)
        .with("final_gap_threshold", final_gap)
        .with("below_certified_top", below_top)
        .with("gaps_monotone", monotone)
        .with("gap_shrinks", shrinks)
        .with("final_gap", last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converging_sequence_supported() {
        let v = [0.63, 0.86, 0.91, 0.94, 0.95];
        assert_eq!(limit("g", &v, 0.99, 1.0, 1e-3, 0.07).verdict, Verdict::Supported);
    }

    #[test]
    fn stalled_or_overshooting_refuted() {
        // stalls at 20% below
        assert_eq!(limit("g", &[0.6, 0.7, 0.8, 0.8], 0.99, 1.0, 1e-3, 0.07).verdict, Verdict::Refuted);
        // exceeds the certified top
        assert_eq!(limit("g", &[0.6, 0.9, 1.2], 0.99, 1.0, 1e-3, 0.07).verdict, Verdict::Refuted);
        // moves away
        assert_eq!(limit("g", &[0.9, 0.95, 0.5, 0.96], 0.99, 1.0, 1e-3, 0.07).verdict, Verdict::Refuted);
    }

    #[test]
    fn broken_input_inconclusive() {
        assert_eq!(limit("g", &[0.6, f64::NAN], 0.99, 1.0, 1e-3, 0.07).verdict, Verdict::Inconclusive);
        assert_eq!(limit("g", &[0.6], 0.99, 1.0, 1e-3, 0.07).verdict, Verdict::Inconclusive);
    }
}

//! A branch-free two-argument arctangent for the angle between two vectors (angles are computed with atan2, never acos).
//!
//! θ = atan2(s, c) ∈ [0, π] for s = ‖x‖‖z‖ sin θ ≥ 0 and c = xᵀz. The kernels evaluate θ for every entry of an n × n
//! matrix, so the platform `atan2` (a scalar library call with slow paths for some arguments) dominated Gram assembly.
//! This version is straight-line code (no branches, only selects), so the compiler vectorizes the Gram loop around it,
//! and it is accurate to about one ulp of θ:
//!
//! 1. octant reduction: t = min(s, |c|)/max(s, |c|) ∈ [0, 1], so atan t ∈ [0, π/4];
//! 2. if t > tan(π/8), atan t = π/4 + atan x with x = (t − 1)/(t + 1) = (num − den)/(num + den) (one division either
//!    way), so |x| ≤ tan(π/8) + 1e-4 always;
//! 3. atan x = x + x·z·P(z), z = x², with P of degree 11 the Chebyshev interpolant of (atan(√z)/√z − 1)/z on
//!    [0, 0.4143²] (computed in 60-digit arithmetic with mpmath's `chebyfit`; with the coefficients rounded to f64 its
//!    error is ≤ 3.2e-18 relative to atan x, far below one ulp);
//! 4. undo the octant: θ = base, π/2 − base, π/2 + base or π − base by the signs of s − |c| and c.
//!
//! The unit tests compare it with the platform `atan2` over random arguments at all scales (≤ 4 ulps of θ).

use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};

/// tan(π/8) = √2 − 1: above it the argument is reduced by atan t = π/4 + atan((t − 1)/(t + 1)).
const TAN_PI_8: f64 = 0.414_213_562_373_095_1;

/// Coefficients of P, highest degree first: atan x ≈ x + x·z·P(z), z = x², |x| ≤ 0.4143.
const P: [f64; 12] = [
    0.01627999005782057,
    -0.03456535729190067,
    0.045513908032899016,
    -0.052304098866177415,
    0.05878922970309668,
    -0.06666424361404927,
    0.07692296345833015,
    -0.0909090875249078,
    0.11111111105135144,
    -0.1428571428565962,
    0.19999999999999804,
    -0.3333333333333333,
];

/// θ = atan2(s, c) ∈ [0, π] for s ≥ 0 (the angle whose cosine is proportional to c and sine to s).
///
/// Branch-free; about one ulp of θ (relative accuracy for small θ). NaN if s = c = 0 (callers treat zero vectors
/// first) or if an argument is NaN.
#[inline(always)]
pub fn atan2_upper(s: f64, c: f64) -> f64 {
    let ac = c.abs();
    let steep = s > ac;
    let num = if steep { ac } else { s };
    let den = if steep { s } else { ac };
    // t = num/den ∈ [0, 1]; reduce above tan(π/8) (decided without dividing: den > 0)
    let red = num > TAN_PI_8 * den;
    let x = if red { (num - den) / (num + den) } else { num / den };
    let z = x * x;
    let mut p = P[0];
    for &q in &P[1..] {
        p = p * z + q;
    }
    let at = x + x * (z * p);
    let base = if red { FRAC_PI_4 + at } else { at };
    // octant: |c| ≥ s → θ = base (c > 0) or π − base; s > |c| → θ = π/2 ∓ base
    let neg = c < 0.0;
    let off = if steep {
        FRAC_PI_2
    } else if neg {
        PI
    } else {
        0.0
    };
    let flip = steep != neg;
    if flip { off - base } else { off + base }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splitmix(state: &mut u64) -> f64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    fn check(s: f64, c: f64) -> f64 {
        let want = s.atan2(c);
        let got = atan2_upper(s, c);
        let ulps = (got - want).abs() / (want.abs() * f64::EPSILON).max(f64::MIN_POSITIVE);
        assert!(ulps <= 4.0, "atan2({s:e}, {c:e}): {got:e} vs {want:e} ({ulps} ulps)");
        ulps
    }

    #[test]
    fn matches_platform_atan2_within_4_ulps() {
        let mut st = 7u64;
        let mut worst = 0.0_f64;
        for _ in 0..200_000 {
            let s = splitmix(&mut st) * 10f64.powf(8.0 * splitmix(&mut st) - 4.0);
            let c = (2.0 * splitmix(&mut st) - 1.0) * 10f64.powf(8.0 * splitmix(&mut st) - 4.0);
            worst = worst.max(check(s, c));
        }
        // angles on a fine grid, through every octant boundary
        for i in 0..=100_000 {
            let th = PI * i as f64 / 100_000.0;
            worst = worst.max(check(th.sin().abs(), th.cos()));
        }
        assert!(worst <= 4.0, "{worst}");
    }

    #[test]
    fn special_arguments() {
        assert_eq!(atan2_upper(0.0, 1.0), 0.0);
        assert_eq!(atan2_upper(0.0, -1.0), PI);
        assert_eq!(atan2_upper(1.0, 0.0), FRAC_PI_2);
        assert!((atan2_upper(1.0, 1.0) - FRAC_PI_4).abs() <= f64::EPSILON);
        assert!((atan2_upper(1.0, -1.0) - 3.0 * FRAC_PI_4).abs() <= 2.0 * f64::EPSILON);
        assert!((atan2_upper(1e-300, 1.0) - 1e-300).abs() <= 1e-315);
        assert!(atan2_upper(0.0, 0.0).is_nan());
        assert!(atan2_upper(f64::NAN, 1.0).is_nan());
    }
}

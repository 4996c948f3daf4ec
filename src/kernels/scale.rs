//! Exact power-of-two normalization of points, so the closed-form kernels are scale-invariant over the whole
//! floating-point range.
//!
//! Every kernel here is positively homogeneous: K(s·x, t·z) = (st)^p K(x, z) for s, t > 0, with p = [`Kind::degree`]
//! (0 for `step`, 1 for `relu`, `ntk`, `relu-sphere`). The closed forms work on c = xᵀz, a = ‖x‖², b = ‖z‖² and
//! ab − c², which over- or underflow once ‖x‖‖z‖ leaves about 10^±154 — 10^150-scaled inputs came back with
//! ab = inf or 0 and wrong angles. So each point is first divided by an exact power of two:
//!
//! x_i = 2^{k_i} x̃_i,  k_i = ⌊log₂ max_l |x_il|⌋ (then max_l |x̃_il| ∈ [1, 2)),
//!
//! a division that is exact (no rounding: only the exponent changes). Points whose largest entry already lies in
//! [2^−240, 2^240] keep k_i = 0 — their squared norms, products and Gram entries (at most 2^500·d) cannot leave the
//! range — so for such data every bit of the result is what it was without normalization. The kernel is evaluated
//! on the normalized points (the angle as before: θ = atan2(√max(ãb̃ − c̃², 0), c̃), i.e. the arccos of a cosine clamped
//! to [−1, 1]) and multiplied back, K_ij = 2^{p(k_i + k_j)} K̃_ij, by [`ldexp`], also exact. An entry whose value lies
//! outside the normal f64 range (overflow to ±inf, or a nonzero value below 2^−1022 that would lose precision) is
//! [`Error::NotRepresentable`] naming the entry.

use super::Kind;
use crate::error::{Error, Result};
use nalgebra::DMatrix;
use std::borrow::Cow;

/// Points whose largest absolute entry lies in [2^−`SAFE_EXP`, 2^`SAFE_EXP`] are not rescaled.
const SAFE_EXP: i32 = 240;

/// 2^k for k ∈ [−1022, 1023], built from its bits.
fn pow2(k: i32) -> f64 {
    debug_assert!((-1022..=1023).contains(&k));
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// v·2^k, exact whenever the result is a normal number (applied in steps of at most 2^±1000, each moving v
/// monotonically toward the result, so no intermediate over- or underflows before the result does).
pub fn ldexp(mut v: f64, mut k: i32) -> f64 {
    while k > 1000 {
        v *= pow2(1000);
        k -= 1000;
    }
    while k < -1000 {
        v *= pow2(-1000);
        k += 1000;
    }
    v * pow2(k)
}

/// The binary exponent k of a vector's scale: ⌊log₂ max_l |v_l|⌋ when that maximum is finite, nonzero and outside
/// [2^−`SAFE_EXP`, 2^`SAFE_EXP`]; 0 otherwise (zero, moderate or non-finite — the latter are rejected later).
pub fn exponent_of(values: impl Iterator<Item = f64>) -> i32 {
    let m = values.fold(0.0_f64, |acc, v| acc.max(v.abs()));
    if !(m.is_finite() && m > 0.0) {
        return 0;
    }
    let k = m.log2().floor() as i32;
    if (-SAFE_EXP..=SAFE_EXP).contains(&k) { 0 } else { k }
}

/// Rows of `x` divided by 2^{k_i} (a copy only if some k_i ≠ 0) and the exponents k_i.
pub fn normalize_rows(x: &DMatrix<f64>) -> (Cow<'_, DMatrix<f64>>, Vec<i32>) {
    let exps: Vec<i32> = (0..x.nrows()).map(|i| exponent_of(x.row(i).iter().copied())).collect();
    if exps.iter().all(|&k| k == 0) {
        return (Cow::Borrowed(x), exps);
    }
    let mut y = x.clone();
    for (i, &k) in exps.iter().enumerate() {
        if k != 0 {
            for v in y.row_mut(i).iter_mut() {
                *v = ldexp(*v, -k);
            }
        }
    }
    (Cow::Owned(y), exps)
}

/// Checks that v (the exact value 2^{shift}·ṽ of a kernel entry) is representable: finite, and 0 or at least the
/// smallest normal number.
pub fn representable(kind: Kind, v: f64, shift: i32, entry: impl FnOnce() -> String) -> Result<f64> {
    if v.is_finite() && (v == 0.0 || v.abs() >= f64::MIN_POSITIVE) {
        return Ok(v);
    }
    let side = if v.is_finite() { "underflows (below 2^-1022, precision lost)" } else { "overflows f64" };
    Err(Error::NotRepresentable(format!(
        "{kind} kernel entry {} ≈ 2^{shift} × (normalized value) {side}; rescale the input points",
        entry()
    )))
}

/// K_ij ← 2^{p(k_i + l_j)} K̃_ij for p = `kind.degree()`, and a check that every rescaled entry is representable.
pub fn scale_back(kind: Kind, k: &mut DMatrix<f64>, row_exps: &[i32], col_exps: &[i32]) -> Result<()> {
    let p = kind.degree();
    if p == 0 || (row_exps.iter().all(|&e| e == 0) && col_exps.iter().all(|&e| e == 0)) {
        return Ok(());
    }
    for (j, &lj) in col_exps.iter().enumerate() {
        for (i, &ki) in row_exps.iter().enumerate() {
            let shift = p * (ki + lj);
            if shift != 0 {
                let orig = k[(i, j)];
                let v = ldexp(orig, shift);
                k[(i, j)] = if orig == 0.0 { 0.0 } else { representable(kind, v, shift, || format!("({i}, {j})"))? };
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ldexp_is_exact_across_the_range() {
        assert_eq!(ldexp(1.5, 0), 1.5);
        assert_eq!(ldexp(1.5, 1023), 1.5 * 2f64.powi(1023));
        assert_eq!(ldexp(1.0, -1074), f64::from_bits(1));
        assert_eq!(ldexp(f64::from_bits(1), 2097), 2f64.powi(1023));
        assert_eq!(ldexp(3.0, 1024), f64::INFINITY);
        assert_eq!(ldexp(ldexp(0.7, 1020), -1020), 0.7);
        assert_eq!(ldexp(ldexp(0.7, -1020), 1020), 0.7);
    }

    #[test]
    fn moderate_rows_are_not_copied() {
        let x = DMatrix::from_fn(3, 2, |i, j| (i + j) as f64 - 1.0);
        let (y, e) = normalize_rows(&x);
        assert!(matches!(y, Cow::Borrowed(_)));
        assert_eq!(e, vec![0, 0, 0]);
        let x = DMatrix::from_row_slice(2, 2, &[1e300, -3e299, 1.0, 2.0]);
        let (y, e) = normalize_rows(&x);
        assert_eq!(e[1], 0);
        assert!(y[(0, 0)] >= 1.0 && y[(0, 0)] < 2.0 && ldexp(y[(0, 1)], e[0]) == -3e299);
    }
}

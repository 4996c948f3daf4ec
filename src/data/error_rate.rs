//! The 0-1 (classification) error: one definition and one policy for the whole crate.
//!
//! A point counts as misclassified when its margin y_i f(x_i) is ≤ 0 (a zero prediction is an error). A NaN or
//! infinite prediction is not silently counted either way: it is a typed error, because it means the computation
//! behind the prediction failed.

use crate::error::{Error, Result, ensure_finite};

/// Fraction of margins m_i = y_i f(x_i) that are ≤ 0.
///
/// Errors: no margins ([`Error::Empty`]); a non-finite margin ([`Error::NonFinite`]).
pub fn zero_one_error(margins: &[f64]) -> Result<f64> {
    if margins.is_empty() {
        return Err(Error::Empty("0-1 error of zero points".into()));
    }
    ensure_finite("margins y·f(x)", margins)?;
    Ok(margins.iter().filter(|m| **m <= 0.0).count() as f64 / margins.len() as f64)
}

/// Fraction of points with y_i f_i ≤ 0, from predictions `f` and ±1 labels `y`.
///
/// Errors: lengths differ; no points; a non-finite prediction or label.
pub fn classification_error(f: &[f64], y: &[f64]) -> Result<f64> {
    if f.len() != y.len() {
        return Err(Error::shape("predictions and labels", y.len(), f.len()));
    }
    ensure_finite("predictions", f)?;
    ensure_finite("labels", y)?;
    let margins: Vec<f64> = f.iter().zip(y).map(|(a, b)| a * b).collect();
    zero_one_error(&margins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_non_positive_margins() {
        assert_eq!(zero_one_error(&[1.0, -1.0, 0.0, 2.0]).unwrap(), 0.5);
        assert_eq!(classification_error(&[0.3, -0.2, 0.0], &[1.0, 1.0, -1.0]).unwrap(), 2.0 / 3.0);
    }

    #[test]
    fn bad_input_is_an_error_not_a_number() {
        assert!(matches!(zero_one_error(&[]), Err(Error::Empty(_))));
        assert!(matches!(zero_one_error(&[1.0, f64::NAN]), Err(Error::NonFinite { .. })));
        assert!(matches!(classification_error(&[1.0], &[1.0, -1.0]), Err(Error::ShapeMismatch { .. })));
        assert!(matches!(classification_error(&[f64::INFINITY], &[1.0]), Err(Error::NonFinite { .. })));
    }
}

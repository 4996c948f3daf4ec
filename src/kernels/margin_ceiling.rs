//! Lemma 3.6's ceiling on the kernel (ℓ2-SVM) margin: for any data, γ_ℓ2 ≤ √(yᵀK y)/n (average the margin
//! constraints and apply Cauchy–Schwarz; it is the uniform-weight point of the SVM dual).

use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// Lemma 3.6's ceiling √(yᵀK y)/n = ‖(1/n) Σ_i y_i φ̃(x_i)‖ (the uniform-weight point of the SVM dual).
///
/// Errors: shape mismatch, empty input.
pub fn margin_ceiling(k: &DMatrix<f64>, y: &DVector<f64>) -> Result<f64> {
    let n = y.len();
    if n == 0 {
        return Err(Error::Empty("margin_ceiling: no points".into()));
    }
    if k.nrows() != n || k.ncols() != n {
        return Err(Error::shape("margin_ceiling: K vs len(y)", n, k.nrows()));
    }
    let q = (k * y).dot(y);
    Ok(q.max(0.0).sqrt() / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_form_and_shape_errors() {
        // K = I, y = (1, −1): yᵀKy = 2, n = 2 → √2/2
        let k = DMatrix::<f64>::identity(2, 2);
        let c = margin_ceiling(&k, &DVector::from_vec(vec![1.0, -1.0])).unwrap();
        assert!((c - std::f64::consts::SQRT_2 / 2.0).abs() < 1e-15);
        assert!(margin_ceiling(&k, &DVector::from_vec(vec![1.0])).is_err());
        assert!(margin_ceiling(&k, &DVector::<f64>::zeros(0)).is_err());
    }
}

//! The one-dimensional task of Figure 2 (ICLR §5).
//!
//! The paper plots a 1-D classification problem learned by neurons x ↦ a·relu(wx + b) but does not list its points.
//! Our documented choice (see `theorems/margin.md`): eight evenly spaced points x_i = −1 + 2i/7 on [−1, 1] with
//! labels + + − − + + − −, which no single threshold (nor any two) separates. The dataset is returned without the
//! bias coordinate; [`Dataset::with_bias`] appends it.

use super::Dataset;
use nalgebra::{DMatrix, DVector};

/// Labels of the eight points, left to right.
pub const LINE1D_LABELS: [f64; 8] = [1.0, 1.0, -1.0, -1.0, 1.0, 1.0, -1.0, -1.0];

/// The Figure-2 task: x_i = −1 + 2i/7, i = 0..7, labels [`LINE1D_LABELS`].
pub fn line1d() -> Dataset {
    let n = LINE1D_LABELS.len();
    let x = DMatrix::from_fn(n, 1, |i, _| -1.0 + 2.0 * i as f64 / (n - 1) as f64);
    let y = DVector::from_row_slice(&LINE1D_LABELS);
    Dataset::fixed(x, y, super::Task::Binary)
}

/// n equally spaced points on [−1, 1] with alternating labels y_i = (−1)^i (n − 1 sign changes). A one-dimensional
/// two-layer ReLU net without output bias, f(x) = Σ_{j≤m} w_j relu(a_j x + b_j), is continuous and piecewise linear
/// with at most m kinks, so it has at most m + 1 linear pieces and at most m + 1 zero-set components; separating
/// these labels needs n − 1 sign changes, hence m ≥ n − 2: every width m ≤ n − 3 has max margin ≤ 0, exactly.
pub fn alternating_line(n: usize) -> crate::Result<Dataset> {
    if n < 2 {
        return Err(crate::Error::param("alternating_line n", n, "need ≥ 2 points"));
    }
    let x = DMatrix::from_fn(n, 1, |i, _| -1.0 + 2.0 * i as f64 / (n - 1) as f64);
    let y = DVector::from_fn(n, |i, _| if i % 2 == 0 { 1.0 } else { -1.0 });
    Dataset::binary(x, y)
}

/// Label changes along a one-dimensional dataset sorted by x (`None` for d ≠ 1).
pub fn sign_changes_1d(data: &Dataset) -> Option<usize> {
    if data.d() != 1 {
        return None;
    }
    let mut order: Vec<usize> = (0..data.n()).collect();
    order.sort_by(|&a, &b| data.x()[(a, 0)].total_cmp(&data.x()[(b, 0)]));
    Some(order.windows(2).filter(|w| data.y()[w[0]] != data.y()[w[1]]).count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternating_line_changes_sign_between_every_pair() {
        let d = alternating_line(8).unwrap();
        assert_eq!(sign_changes_1d(&d), Some(7));
        assert_eq!(sign_changes_1d(&line1d()), Some(3));
        assert_eq!(sign_changes_1d(&d.with_bias()), None);
        assert!(alternating_line(1).is_err());
    }

    #[test]
    fn line1d_is_valid_and_has_three_label_changes() {
        let d = line1d();
        assert!(Dataset::binary(d.x().clone(), d.y().clone()).is_ok());
        let changes = (1..d.n()).filter(|&i| d.y()[i] != d.y()[i - 1]).count();
        assert_eq!(changes, 3);
        assert_eq!(d.with_bias().d(), 2);
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line1d_is_valid_and_has_three_label_changes() {
        let d = line1d();
        assert!(Dataset::binary(d.x().clone(), d.y().clone()).is_ok());
        let changes = (1..d.n()).filter(|&i| d.y()[i] != d.y()[i - 1]).count();
        assert_eq!(changes, 3);
        assert_eq!(d.with_bias().d(), 2);
    }
}

//! The 2-D margin task: eight points on two rings that no threshold separates.

use super::{Dataset, Task};
use nalgebra::{DMatrix, DVector};

/// The 2-D task (with bias, so directions live on S²): eight points on two rings, θ_j = 2πj/8 + 0.2, radius 1 for
/// even j and 0.5 for odd j, labels + + − − + + − − around the circle (a choice of ours; no threshold separates it).
pub fn rings2d() -> Dataset {
    let n = 8;
    let x = DMatrix::from_fn(n, 2, |j, c| {
        let th = 2.0 * std::f64::consts::PI * j as f64 / n as f64 + 0.2;
        let r = if j % 2 == 0 { 1.0 } else { 0.5 };
        if c == 0 { r * th.cos() } else { r * th.sin() }
    });
    let y = DVector::from_fn(n, |j, _| if j % 4 < 2 { 1.0 } else { -1.0 });
    Dataset::fixed(x, y, Task::Binary)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The construction of the doc: point j at angle 2πj/8 + 0.2, radius 1 (even j) or 0.5 (odd j), label + + − −
    /// around the circle; and no threshold separates it (the label changes sign four times along the angle).
    #[test]
    fn points_radii_and_labels_are_the_documented_ones() {
        let d = rings2d();
        assert_eq!((d.x().nrows(), d.x().ncols()), (8, 2));
        let labels: Vec<f64> = d.y().iter().copied().collect();
        assert_eq!(labels, vec![1.0, 1.0, -1.0, -1.0, 1.0, 1.0, -1.0, -1.0]);
        for j in 0..8 {
            let (a, b) = (d.x()[(j, 0)], d.x()[(j, 1)]);
            let r = (a * a + b * b).sqrt();
            assert!((r - if j % 2 == 0 { 1.0 } else { 0.5 }).abs() < 1e-15, "radius of point {j}: {r}");
            let th = b.atan2(a).rem_euclid(2.0 * std::f64::consts::PI);
            let want = 2.0 * std::f64::consts::PI * j as f64 / 8.0 + 0.2;
            assert!((th - want).abs() < 1e-12, "angle of point {j}: {th} vs {want}");
        }
    }
}

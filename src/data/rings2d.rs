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

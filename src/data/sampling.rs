//! Drawing a [`Dataset`] from any distribution over `(x, y)` pairs.

use super::{Dataset, Task};
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};
use rand::Rng;
use rand::distr::Distribution;

/// n i.i.d. draws of `(x, y)` with x ∈ ℝ^d, stacked as rows; a binary dataset (labels are validated).
pub fn draw_dataset<D, R>(dist: &D, d: usize, n: usize, rng: &mut R) -> Result<Dataset>
where
    D: Distribution<(DVector<f64>, f64)>,
    R: Rng + ?Sized,
{
    draw_task(dist, d, n, Task::Binary, rng)
}

/// n i.i.d. draws of `(x, y)` stacked as rows, for the given task.
pub fn draw_task<D, R>(dist: &D, d: usize, n: usize, task: Task, rng: &mut R) -> Result<Dataset>
where
    D: Distribution<(DVector<f64>, f64)>,
    R: Rng + ?Sized,
{
    if n == 0 {
        return Err(Error::Empty("a dataset of zero samples was requested".into()));
    }
    let mut x = DMatrix::zeros(n, d);
    let mut y = DVector::zeros(n);
    for i in 0..n {
        let (xi, yi) = dist.sample(rng);
        x.row_mut(i).copy_from(&xi.transpose());
        y[i] = yi;
    }
    Dataset::new(x, y, task)
}

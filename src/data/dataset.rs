//! Validated datasets: rows of `x` are points, `y` their labels or targets.

use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// What the targets of a [`Dataset`] mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// y_i ∈ {−1, +1}.
    Binary,
    /// y_i ∈ ℝ.
    Regression,
}

/// n points in ℝ^d (rows of `x`, an n × d matrix) with binary labels or real targets `y`. The fields are private so
/// that every `Dataset` in existence passed [`Dataset::new`]'s validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    x: DMatrix<f64>,
    y: DVector<f64>,
    task: Task,
}

impl Dataset {
    /// Validates and builds a dataset: n ≥ 1, d ≥ 1, `y.len() == n`, all values finite, binary labels in {−1, +1}.
    pub fn new(x: DMatrix<f64>, y: DVector<f64>, task: Task) -> Result<Self> {
        if x.nrows() == 0 || x.ncols() == 0 {
            return Err(Error::Empty(format!("dataset with {} points of dimension {}", x.nrows(), x.ncols())));
        }
        if y.len() != x.nrows() {
            return Err(Error::shape("dataset labels", format!("{} labels (one per row of x)", x.nrows()), y.len()));
        }
        crate::error::ensure_finite("dataset inputs x", x.as_slice())?;
        crate::error::ensure_finite("dataset labels y", y.as_slice())?;
        if task == Task::Binary {
            if let Some(i) = y.iter().position(|v| *v != 1.0 && *v != -1.0) {
                return Err(Error::InvalidLabel {
                    label: y[i].to_string(),
                    index: i,
                    reason: "binary labels must be −1 or +1".into(),
                });
            }
        }
        Ok(Dataset { x, y, task })
    }

    /// A dataset the data module builds from constants (finite, one ±1 label per row by construction; each such
    /// constructor has a unit test that [`Dataset::new`] accepts it).
    pub(super) fn fixed(x: DMatrix<f64>, y: DVector<f64>, task: Task) -> Self {
        debug_assert!(Dataset::new(x.clone(), y.clone(), task).is_ok());
        Dataset { x, y, task }
    }

    /// A binary dataset from rows and ±1 labels.
    pub fn binary(x: DMatrix<f64>, y: DVector<f64>) -> Result<Self> {
        Self::new(x, y, Task::Binary)
    }

    /// The n × d inputs, one point per row.
    pub fn x(&self) -> &DMatrix<f64> {
        &self.x
    }

    /// The n labels (±1) or targets.
    pub fn y(&self) -> &DVector<f64> {
        &self.y
    }

    /// Binary or regression.
    pub fn task(&self) -> Task {
        self.task
    }

    /// The inputs and labels, consuming the dataset.
    pub fn into_parts(self) -> (DMatrix<f64>, DVector<f64>) {
        (self.x, self.y)
    }

    /// The same inputs with other labels or targets, validated like [`Dataset::new`].
    pub fn with_labels(&self, y: DVector<f64>, task: Task) -> Result<Dataset> {
        Dataset::new(self.x.clone(), y, task)
    }

    /// Number of points n.
    pub fn n(&self) -> usize {
        self.x.nrows()
    }

    /// Input dimension d.
    pub fn d(&self) -> usize {
        self.x.ncols()
    }

    /// Point i as a row slice copy.
    pub fn point(&self, i: usize) -> DVector<f64> {
        self.x.row(i).transpose()
    }

    /// The same data with a constant coordinate 1 appended (a bias that is part of the regularized weights).
    pub fn with_bias(&self) -> Dataset {
        let (n, d) = (self.n(), self.d());
        let x = DMatrix::from_fn(n, d + 1, |i, j| if j < d { self.x[(i, j)] } else { 1.0 });
        Dataset { x, y: self.y.clone(), task: self.task }
    }

    /// D = ‖X‖_F² / n, the mean squared norm of the points.
    pub fn mean_sq_norm(&self) -> f64 {
        self.x.norm_squared() / self.n() as f64
    }

    /// C = max_i ‖x_i‖₂ (the sample's radius; the paper's C is the support's radius).
    pub fn max_norm(&self) -> f64 {
        self.x.row_iter().map(|r| r.norm()).fold(0.0, f64::max)
    }
}

/// n points with class labels in {0, …, l − 1}.
#[derive(Debug, Clone, PartialEq)]
pub struct MultiDataset {
    x: DMatrix<f64>,
    labels: Vec<usize>,
    classes: usize,
}

impl MultiDataset {
    /// Validates: n ≥ 1, d ≥ 1, l ≥ 2, one label per row, labels < l, finite inputs.
    pub fn new(x: DMatrix<f64>, labels: Vec<usize>, classes: usize) -> Result<Self> {
        if x.nrows() == 0 || x.ncols() == 0 {
            return Err(Error::Empty(format!("dataset with {} points of dimension {}", x.nrows(), x.ncols())));
        }
        if classes < 2 {
            return Err(Error::param("classes", classes, "need at least 2 classes"));
        }
        if labels.len() != x.nrows() {
            return Err(Error::shape(
                "dataset labels",
                format!("{} labels (one per row of x)", x.nrows()),
                labels.len(),
            ));
        }
        crate::error::ensure_finite("dataset inputs x", x.as_slice())?;
        if let Some(i) = labels.iter().position(|&c| c >= classes) {
            return Err(Error::InvalidLabel {
                label: labels[i].to_string(),
                index: i,
                reason: format!("labels must be < {classes}"),
            });
        }
        Ok(MultiDataset { x, labels, classes })
    }

    /// The n × d inputs, one point per row.
    pub fn x(&self) -> &DMatrix<f64> {
        &self.x
    }

    /// The class of each point.
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// The number of classes l ≥ 2.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// Number of points n.
    pub fn n(&self) -> usize {
        self.x.nrows()
    }

    /// Input dimension d.
    pub fn d(&self) -> usize {
        self.x.ncols()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors() {
        let x = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 0.0, 1.0]);
        assert!(Dataset::binary(x.clone(), DVector::from_vec(vec![1.0, -1.0])).is_ok());
        assert!(matches!(Dataset::binary(x.clone(), DVector::from_vec(vec![1.0])), Err(Error::ShapeMismatch { .. })));
        assert!(matches!(
            Dataset::binary(x.clone(), DVector::from_vec(vec![1.0, 0.5])),
            Err(Error::InvalidLabel { .. })
        ));
        let mut bad = x.clone();
        bad[(1, 0)] = f64::NAN;
        assert!(matches!(Dataset::binary(bad, DVector::from_vec(vec![1.0, -1.0])), Err(Error::NonFinite { .. })));
        assert!(matches!(Dataset::binary(DMatrix::zeros(0, 2), DVector::zeros(0)), Err(Error::Empty(_))));
        assert!(matches!(MultiDataset::new(x.clone(), vec![0, 3], 3), Err(Error::InvalidLabel { .. })));
        assert!(matches!(MultiDataset::new(x, vec![0, 1], 1), Err(Error::InvalidParameter { .. })));
    }

    #[test]
    fn bias_column() {
        let x = DMatrix::from_row_slice(2, 1, &[2.0, -3.0]);
        let ds = Dataset::binary(x, DVector::from_vec(vec![1.0, -1.0])).unwrap().with_bias();
        assert_eq!(ds.d(), 2);
        assert_eq!(ds.x[(1, 1)], 1.0);
        assert_eq!(ds.x[(1, 0)], -3.0);
    }
}

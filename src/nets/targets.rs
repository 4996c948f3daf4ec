//! What a network is fitted to: binary labels (logistic loss) or class labels (cross-entropy).
//!
//! [`Targets`] turns the n × outputs matrix of network outputs into per-example losses, their gradient with respect to
//! the outputs, and per-example margins, so the objective, the margin and the trainer are written once for both.

use super::loss::{cross_entropy, logistic, logistic_derivative};
use crate::data::{Dataset, MultiDataset, Task};
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// Labelled inputs a homogeneous network can be trained on and measured against.
pub trait Targets: Sync {
    /// n × d inputs (rows are points).
    fn inputs(&self) -> &DMatrix<f64>;
    /// Number of outputs the model must have.
    fn outputs(&self) -> usize;
    /// Σ_i ℓ_i(f_i) and the matrix ∂/∂f_ik of that sum.
    fn loss_and_cotangent(&self, f: &DMatrix<f64>) -> Result<(f64, DMatrix<f64>)>;
    /// Per-example margins: y_i f(x_i) (binary) or f_{y_i}(x_i) − max_{k≠y_i} f_k(x_i) (multi-class).
    fn margins(&self, f: &DMatrix<f64>) -> DVector<f64>;
    /// The cotangent ∂/∂f of Σ_i p_i margin_i(f) (for margin maximization); at ties the first maximizer is used.
    fn margin_cotangent(&self, f: &DMatrix<f64>, p: &DVector<f64>) -> DMatrix<f64>;
    /// Number of examples n.
    fn len(&self) -> usize {
        self.inputs().nrows()
    }
    /// Whether there are no examples (never true for validated data).
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Targets for Dataset {
    fn inputs(&self) -> &DMatrix<f64> {
        self.x()
    }

    fn outputs(&self) -> usize {
        1
    }

    /// Logistic loss Σ_i log(1 + exp(−y_i f_i)); regression datasets are rejected.
    fn loss_and_cotangent(&self, f: &DMatrix<f64>) -> Result<(f64, DMatrix<f64>)> {
        if self.task() != Task::Binary {
            return Err(Error::param("task", "regression", "the logistic loss needs binary labels"));
        }
        let mut total = 0.0;
        let mut g = DMatrix::zeros(self.n(), 1);
        for i in 0..self.n() {
            let z = self.y()[i] * f[(i, 0)];
            total += logistic(z);
            g[(i, 0)] = self.y()[i] * logistic_derivative(z);
        }
        Ok((total, g))
    }

    fn margins(&self, f: &DMatrix<f64>) -> DVector<f64> {
        DVector::from_fn(self.n(), |i, _| self.y()[i] * f[(i, 0)])
    }

    fn margin_cotangent(&self, _f: &DMatrix<f64>, p: &DVector<f64>) -> DMatrix<f64> {
        DMatrix::from_fn(self.n(), 1, |i, _| p[i] * self.y()[i])
    }
}

impl Targets for MultiDataset {
    fn inputs(&self) -> &DMatrix<f64> {
        self.x()
    }

    fn outputs(&self) -> usize {
        self.classes()
    }

    /// Cross-entropy Σ_i −log softmax(f_i)_{y_i}.
    fn loss_and_cotangent(&self, f: &DMatrix<f64>) -> Result<(f64, DMatrix<f64>)> {
        let mut total = 0.0;
        let mut g = DMatrix::zeros(self.n(), self.classes());
        for i in 0..self.n() {
            let row: Vec<f64> = f.row(i).iter().copied().collect();
            let (l, grad) = cross_entropy(&row, self.labels()[i]);
            total += l;
            for (k, v) in grad.into_iter().enumerate() {
                g[(i, k)] = v;
            }
        }
        Ok((total, g))
    }

    fn margins(&self, f: &DMatrix<f64>) -> DVector<f64> {
        DVector::from_fn(self.n(), |i, _| {
            let y = self.labels()[i];
            let other = (0..self.classes()).filter(|&k| k != y).map(|k| f[(i, k)]).fold(f64::NEG_INFINITY, f64::max);
            f[(i, y)] - other
        })
    }

    fn margin_cotangent(&self, f: &DMatrix<f64>, p: &DVector<f64>) -> DMatrix<f64> {
        let mut g = DMatrix::zeros(self.n(), self.classes());
        for i in 0..self.n() {
            let y = self.labels()[i];
            let mut best = None;
            for k in (0..self.classes()).filter(|&k| k != y) {
                if best.is_none_or(|b: usize| f[(i, k)] > f[(i, b)]) {
                    best = Some(k);
                }
            }
            g[(i, y)] += p[i];
            if let Some(b) = best {
                g[(i, b)] -= p[i];
            }
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The margin cotangent is the derivative of Σ_i p_i·margin_i(f): central differences of the margins (which are
    /// linear near f when the maximizers are unique) against ⟨cotangent, E⟩ for every entry direction E, for
    /// multi-class (3 classes) and binary targets.
    #[test]
    fn margin_cotangent_is_the_derivative_of_the_weighted_margins() {
        let x = DMatrix::from_fn(4, 2, |i, j| (i * 2 + j) as f64 * 0.3 - 1.0);
        let multi = MultiDataset::new(x.clone(), vec![0, 2, 1, 2], 3).unwrap();
        let f = DMatrix::from_row_slice(4, 3, &[0.3, 0.9, -0.2, 0.5, -0.4, 0.1, 0.7, 0.2, 1.1, -0.3, 0.8, 0.4]);
        let p = DVector::from_row_slice(&[0.4, 0.1, 0.3, 0.2]);
        let binary = Dataset::binary(x, DVector::from_row_slice(&[1.0, -1.0, -1.0, 1.0])).unwrap();
        let fb = DMatrix::from_column_slice(4, 1, &[0.3, -0.8, 0.5, 1.2]);
        let check = |t: &dyn Targets, f: &DMatrix<f64>| {
            let g = t.margin_cotangent(f, &p);
            let h = 1e-6;
            for i in 0..f.nrows() {
                for k in 0..f.ncols() {
                    let (mut up, mut down) = (f.clone(), f.clone());
                    up[(i, k)] += h;
                    down[(i, k)] -= h;
                    let fd = (t.margins(&up).dot(&p) - t.margins(&down).dot(&p)) / (2.0 * h);
                    assert!(
                        (fd - g[(i, k)]).abs() < 1e-8,
                        "entry ({i}, {k}): difference {fd} vs cotangent {}",
                        g[(i, k)]
                    );
                }
            }
        };
        check(&multi, &f);
        check(&binary, &fb);
    }
}

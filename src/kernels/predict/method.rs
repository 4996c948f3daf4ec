//! Kernel learning methods behind two traits, in the shape of linfa's `Fit` / `Predict`: a method is fitted on a
//! [`KernelTask`] (the train Gram matrix K, the labels y and, for methods that need one, a held-out set) and returns
//! a predictor that maps a train × test kernel matrix K(X, Z) (n × M) to predictions f(z_m) = Σ_i β_i K(x_i, z_m).
//!
//! Sweeps loop over a list of `Box<dyn KernelMethod>` instead of a list of names. The task computes the
//! eigendecomposition of K at most once ([`KernelTask::ridge_path`]), so the ridge path, its leave-one-out choice and
//! the ridgeless limit share it.

use super::{Oracle, RidgePath, Svm, SvmOptions, ridge_path};
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};
use std::sync::OnceLock;

/// A fitted kernel predictor.
pub trait Predict {
    /// Predictions f(z_m) = Σ_i β_i K(x_i, z_m) from the train × test kernel matrix (n × M).
    fn predict(&self, k_train_test: &DMatrix<f64>) -> Result<DVector<f64>>;
}

/// A kernel learning method: a name for reports and a fit on a task.
pub trait KernelMethod: Send + Sync {
    /// The method's name in tables and JSON.
    fn name(&self) -> &'static str;
    /// Fits the method on the task.
    fn fit(&self, task: &KernelTask) -> Result<Box<dyn Predict>>;
}

/// What a kernel method is fitted on.
pub struct KernelTask<'a> {
    k: &'a DMatrix<f64>,
    y: &'a DVector<f64>,
    holdout: Option<(DMatrix<f64>, DVector<f64>)>,
    path: OnceLock<RidgePath>,
}

impl<'a> KernelTask<'a> {
    /// The task (K, y); errors when K is not n × n with n = len(y).
    pub fn new(k: &'a DMatrix<f64>, y: &'a DVector<f64>) -> Result<Self> {
        if k.nrows() != y.len() || k.ncols() != y.len() {
            return Err(Error::shape(
                "kernel task: K vs labels",
                format!("{0} × {0}", y.len()),
                format!("{:?}", k.shape()),
            ));
        }
        Ok(KernelTask { k, y, holdout: None, path: OnceLock::new() })
    }

    /// Adds a held-out set: the train × holdout kernel K(X, X_h) (n × m) and the holdout labels.
    pub fn with_holdout(mut self, k_train_holdout: DMatrix<f64>, y_holdout: DVector<f64>) -> Result<Self> {
        if k_train_holdout.nrows() != self.y.len() || k_train_holdout.ncols() != y_holdout.len() {
            return Err(Error::shape(
                "kernel task: K(X, X_h) vs (n, m)",
                format!("{} × {}", self.y.len(), y_holdout.len()),
                format!("{:?}", k_train_holdout.shape()),
            ));
        }
        self.holdout = Some((k_train_holdout, y_holdout));
        Ok(self)
    }

    /// The train Gram matrix.
    pub fn k(&self) -> &DMatrix<f64> {
        self.k
    }

    /// The labels.
    pub fn y(&self) -> &DVector<f64> {
        self.y
    }

    /// The ridge path of (K, y), decomposed on first use and shared by every method fitted on this task.
    pub fn ridge_path(&self) -> Result<&RidgePath> {
        if let Some(p) = self.path.get() {
            return Ok(p);
        }
        let p = RidgePath::new(self.k, self.y)?;
        Ok(self.path.get_or_init(|| p))
    }
}

/// Dual coefficients β: the predictor of every ridge-type fit.
#[derive(Clone, Debug)]
pub struct DualCoefficients(pub DVector<f64>);

impl Predict for DualCoefficients {
    fn predict(&self, k_train_test: &DMatrix<f64>) -> Result<DVector<f64>> {
        ridge_path::predict(k_train_test, &self.0)
    }
}

impl Predict for Svm {
    fn predict(&self, k_train_test: &DMatrix<f64>) -> Result<DVector<f64>> {
        self.decision(k_train_test)
    }
}

impl Predict for Oracle {
    fn predict(&self, k_train_test: &DMatrix<f64>) -> Result<DVector<f64>> {
        Oracle::predict(self, k_train_test)
    }
}

/// Kernel ridge regression with the ridge chosen by closed-form leave-one-out MSE over relative ridges
/// ρ = c·tr(K)/n, c ∈ `relative_ridges`.
#[derive(Clone, Debug)]
pub struct RidgeLoo {
    /// The relative ridges c tried.
    pub relative_ridges: Vec<f64>,
}

impl KernelMethod for RidgeLoo {
    fn name(&self) -> &'static str {
        "ridge_loo"
    }

    fn fit(&self, task: &KernelTask) -> Result<Box<dyn Predict>> {
        if self.relative_ridges.is_empty() {
            return Err(Error::param("relative_ridges", "[]", "need at least one ridge"));
        }
        let path = task.ridge_path()?;
        let rhos: Vec<f64> = self.relative_ridges.iter().map(|&c| path.relative_ridge(c)).collect();
        let fits = path.path(&rhos)?;
        let best = fits
            .into_iter()
            .min_by(|a, b| a.loo_mse.total_cmp(&b.loo_mse))
            .ok_or_else(|| Error::Numerical("empty ridge path".into()))?;
        Ok(Box::new(DualCoefficients(best.alpha)))
    }
}

/// The ridgeless (minimum-norm interpolating) limit α₀ = QΛ⁺Qᵀy, inverting eigenvalues above `rcond`·max|λ|.
#[derive(Clone, Copy, Debug)]
pub struct Ridgeless {
    /// Relative eigenvalue cut.
    pub rcond: f64,
}

impl KernelMethod for Ridgeless {
    fn name(&self) -> &'static str {
        "ridgeless"
    }

    fn fit(&self, task: &KernelTask) -> Result<Box<dyn Predict>> {
        Ok(Box::new(DualCoefficients(task.ridge_path()?.ridgeless(self.rcond)?)))
    }
}

/// The hard-margin kernel SVM with its certified margin bracket.
#[derive(Clone, Copy, Debug)]
pub struct HardMarginSvm {
    /// Solver options.
    pub options: SvmOptions,
}

impl KernelMethod for HardMarginSvm {
    fn name(&self) -> &'static str {
        "svm"
    }

    fn fit(&self, task: &KernelTask) -> Result<Box<dyn Predict>> {
        Ok(Box::new(Svm::fit(task.k, task.y, self.options)?))
    }
}

/// The best-in-span oracle: the function in span{K(x_i, ·)} closest to the held-out labels (it sees the held-out
/// set, so it lower-bounds every method restricted to that span).
#[derive(Clone, Copy, Debug, Default)]
pub struct BestInSpan;

impl KernelMethod for BestInSpan {
    fn name(&self) -> &'static str {
        "oracle"
    }

    fn fit(&self, task: &KernelTask) -> Result<Box<dyn Predict>> {
        let (k_hold, y_hold) = task
            .holdout
            .as_ref()
            .ok_or_else(|| Error::param("kernel task", "no holdout", "the best-in-span oracle needs a held-out set"))?;
        Ok(Box::new(Oracle::fit(k_hold, y_hold)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::{Kind, cross, gram};

    fn xor(n: usize, offset: usize) -> (DMatrix<f64>, DVector<f64>) {
        let x = DMatrix::from_fn(n, 3, |i, j| if ((i + offset) >> j) & 1 == 1 { 1.0 } else { -1.0 });
        let y = DVector::from_fn(n, |i, _| x[(i, 0)] * x[(i, 1)]);
        (x, y)
    }

    /// On the 8 points of the 3-cube every method fits the XOR labels exactly (the NTK Gram is nonsingular there),
    /// so each predicts the training labels' signs on the training points.
    #[test]
    fn every_method_fits_and_predicts_through_the_traits() {
        let (x, y) = xor(8, 0);
        let k = gram(Kind::Ntk, &x).unwrap();
        let task = KernelTask::new(&k, &y).unwrap().with_holdout(k.clone(), y.clone()).unwrap();
        let methods: Vec<Box<dyn KernelMethod>> = vec![
            Box::new(RidgeLoo { relative_ridges: vec![1e-6, 1e-3] }),
            Box::new(Ridgeless { rcond: 1e-10 }),
            Box::new(HardMarginSvm { options: SvmOptions::default() }),
            Box::new(BestInSpan),
        ];
        for m in &methods {
            let f = m.fit(&task).unwrap().predict(&k).unwrap();
            let err = crate::data::classification_error(f.as_slice(), y.as_slice()).unwrap();
            assert_eq!(err, 0.0, "{}", m.name());
        }
        // one eigendecomposition served both ridge-type methods
        assert!(task.path.get().is_some());
        let (z, _) = xor(4, 3);
        assert_eq!(DualCoefficients(y.clone()).predict(&cross(Kind::Ntk, &x, &z).unwrap()).unwrap().len(), 4);
    }

    #[test]
    fn bad_tasks_are_typed_errors() {
        let (x, y) = xor(8, 0);
        let k = gram(Kind::Ntk, &x).unwrap();
        assert!(matches!(KernelTask::new(&k, &y.rows(0, 7).into_owned()), Err(Error::ShapeMismatch { .. })));
        let task = KernelTask::new(&k, &y).unwrap();
        assert!(matches!(BestInSpan.fit(&task), Err(Error::InvalidParameter { .. })));
        assert!(matches!(RidgeLoo { relative_ridges: vec![] }.fit(&task), Err(Error::InvalidParameter { .. })));
    }
}

//! Kernel predictors: a ridge path from one eigendecomposition (with closed-form leave-one-out and the ridgeless
//! limit), the hard-margin kernel SVM with a certified margin bracket, and the best-in-span oracle — each also a
//! [`KernelMethod`] whose fit is a [`Predict`]or, so experiments loop over methods.

pub mod method;
pub mod oracle;
pub mod ridge_path;
pub mod svm;

pub use method::{BestInSpan, DualCoefficients, HardMarginSvm, KernelMethod, KernelTask, Predict, RidgeLoo, Ridgeless};
pub use oracle::Oracle;
pub use ridge_path::{RidgeFit, RidgePath, predict};
pub use svm::{Svm, SvmOptions};

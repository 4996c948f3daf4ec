//! Kernel predictors: a ridge path from one eigendecomposition (with closed-form leave-one-out and the ridgeless
//! limit), the hard-margin kernel SVM with a certified margin bracket, and the best-in-span oracle.

pub mod oracle;
pub mod ridge_path;
pub mod svm;

pub use oracle::Oracle;
pub use ridge_path::{RidgeFit, RidgePath, predict};
pub use svm::{Svm, SvmOptions};

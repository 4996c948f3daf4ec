//! Certificates: convex problems whose primal and dual values bracket the quantities the paper's theorems are about.

pub mod dictionary_lp;
pub mod l1_logistic;
pub mod l1_svm;
pub mod measure;
pub mod min_l1_interpolant;
pub mod separability;
pub(crate) mod solver;
pub mod sphere_interpolant;
pub mod sphere_lasso;
pub mod sphere_sup;

//! Certificates: convex problems whose primal and dual values bracket the quantities the paper's theorems are about.

pub mod l1_logistic;
pub mod l1_svm;
pub mod sphere;
pub mod sphere_sup;

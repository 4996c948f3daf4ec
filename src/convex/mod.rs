//! Certificates: convex problems whose primal and dual values bracket the quantities the paper's theorems are about.

pub mod csc;
pub mod measure;
pub mod separability;
pub mod sphere;

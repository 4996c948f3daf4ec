//! Certificates: convex problems whose primal and dual values bracket the quantities the paper's theorems are about.

pub mod measure;
pub mod sphere;

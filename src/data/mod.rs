//! The paper's distributions, the [`Dataset`] type, and the 0-1 error of predictions against labels.
//!
//! | distribution | paper | type |
//! |---|---|---|
//! | hypercube XOR, x ∈ {±1}^d, y = x₁x₂ | NeurIPS lower bound | [`XorHypercube`] |
//! | Gaussian-noise XOR | ICLR Thm 3.5 | [`XorGaussian`] |
//! | random ReLU teacher + margin rejection | ICLR §5 Fig. 3, App. F.2 | [`Teacher`] |
//! | 1-D task with bias | ICLR §5 Fig. 2 | [`line1d`] |
//! | two rings in the plane (with bias) | our 2-D margin task | [`rings2d`] |
//! | multi-class clusters | ICLR Thm 2.1 (l classes) | [`GaussianClusters`] |
//!
//! [`distinct_cube_points`] draws a uniformly random subset of the hypercube (no repeated point).
//! [`sphere`] holds the point sets on spheres (circles, Fibonacci nets, uniform random directions) that both the
//! certificates and the particle flow draw from.

mod clusters;
mod cube_points;
mod dataset;
mod error_rate;
mod line1d;
mod rings2d;
mod sampling;
pub mod sphere;
mod teacher;
mod xor;

pub use clusters::GaussianClusters;
pub use cube_points::distinct_cube_points;
pub use dataset::{Dataset, MultiDataset, Task};
pub use error_rate::{classification_error, zero_one_error};
pub use line1d::{LINE1D_LABELS, alternating_line, line1d, sign_changes_1d};
pub use rings2d::rings2d;
pub use sampling::{draw_dataset, draw_task};
pub use teacher::Teacher;
pub use xor::{XorGaussian, XorHypercube};

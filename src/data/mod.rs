//! The paper's distributions and the [`Dataset`] type.
//!
//! | distribution | paper | type |
//! |---|---|---|
//! | hypercube XOR, x ∈ {±1}^d, y = x₁x₂ | NeurIPS lower bound | [`XorHypercube`] |
//! | Gaussian-noise XOR | ICLR Thm 3.5 | [`XorGaussian`] |
//! | random ReLU teacher + margin rejection | ICLR §5 Fig. 3, App. F.2 | [`Teacher`] |
//! | 1-D task with bias | ICLR §5 Fig. 2 | [`line1d`] |
//! | multi-class clusters | ICLR Thm 2.1 (l classes) | [`GaussianClusters`] |

mod clusters;
mod dataset;
mod line1d;
mod sampling;
mod teacher;
mod xor;

pub use clusters::GaussianClusters;
pub use dataset::{Dataset, MultiDataset, Task};
pub use line1d::{LINE1D_LABELS, line1d};
pub use sampling::{draw_dataset, draw_task};
pub use teacher::Teacher;
pub use xor::{XorGaussian, XorHypercube};

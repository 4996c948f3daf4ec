//! The paper's distributions and the [`Dataset`] type.

mod dataset;

pub use dataset::{Dataset, MultiDataset, Task};

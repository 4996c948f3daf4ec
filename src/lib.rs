//! # regmatters
//!
//! A proof companion for *Regularization Matters: Generalization and Optimization of Neural Nets v.s. their Induced
//! Kernel* (Wei, Lee, Liu, Ma; NeurIPS 2019; arXiv 1810.05369). Every claim of the paper is a seeded numerical check
//! ([`claims::Claim`]) that returns a verdict with its decision rule and the numbers it decided on, and every claim has
//! a falsification control — a false twin the same machinery must refute. `theorems/claims.toml` is the theorem map.
//!
//! The map from modules to the architecture (DESIGN.md §1):
//!
//! | module | role |
//! |---|---|
//! | [`data`] | the paper's distributions, [`data::Dataset`] |
//! | [`nets`] | homogeneous ReLU networks, losses, margins, training |
//! | [`linalg`] | kernel assembly, eigendecomposition, solves (the core workload) |
//! | [`kernels`] | closed-form kernels, predictors, spectra |
//! | [`convex`] | certificates: ℓ1-SVM LP, lifted logistic problem, measures on the sphere |
//! | [`flow`] | perturbed Wasserstein gradient descent on particles |
//! | [`stats`] | decision rules |
//! | [`claims`] | the claims, controls and registry |
//! | [`report`] | tables, JSON, CSV, SVG |

#![warn(missing_docs)]

pub mod claims;
pub mod convex;
pub mod data;
pub mod error;
pub mod experiments;
pub mod flow;
pub mod kernels;
pub mod linalg;
pub mod nets;
pub mod npy;
pub mod report;
pub mod seed;
pub mod stats;
pub mod tier;

pub use error::{Error, Result};

//! # regmatters
//!
//! A proof companion for *Regularization Matters: Generalization and Optimization of Neural Nets v.s. their Induced
//! Kernel* (Wei, Lee, Liu, Ma; NeurIPS 2019; arXiv 1810.05369). Every claim of the paper is a seeded numerical check
//! ([`claims::Claim`]) that returns a verdict with its decision rule and the numbers it decided on, and every claim has
//! a falsification control — a false twin the same machinery must refute. `theorems/claims.toml` is the theorem map.
//!
//! The modules, bottom layer first (`ARCHITECTURE.md` has the rule that keeps them apart):
//!
//! | module | role |
//! |---|---|
//! | [`error`], [`seed`], [`tier`], [`output`], [`memory`] | typed errors, seeded ChaCha streams, quick/full tier, validated atomic output files, memory budget |
//! | [`stats`] | [`stats::Verdict`], [`stats::Decision`] and every decision rule |
//! | [`data`] | the paper's distributions, [`data::Dataset`], sphere point sets, the 0-1 error |
//! | [`linalg`] | kernel assembly, eigendecomposition, solves (the core workload) |
//! | [`npy`] | `.npy` input and output |
//! | [`kernels`] | closed-form kernels, predictors, spectra |
//! | [`nets`] | homogeneous ReLU networks, losses, margins, training |
//! | [`convex`] | certificates: ℓ1-SVM LP, lifted logistic problem, measures on the sphere |
//! | [`flow`] | perturbed Wasserstein gradient descent on particles |
//! | [`experiments`] | every figure's and sweep's computation |
//! | [`claims`] | the claims, controls, manifest and [`claims::Suite`] |
//! | [`report`] | tables, JSON, dependency graph, figures (CSV/SVG) |

#![warn(missing_docs)]

pub mod claims;
pub mod convex;
pub mod data;
pub mod error;
pub mod experiments;
pub mod flow;
pub mod kernels;
pub mod linalg;
pub mod memory;
pub mod nets;
pub mod npy;
pub mod output;
pub mod registry;
pub mod report;
pub mod seed;
pub mod stats;
pub mod tier;

pub use error::{Error, Result};

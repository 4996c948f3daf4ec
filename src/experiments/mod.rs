//! Experiments: every figure's and sweep's computation as library calls returning typed results.
//!
//! `experiments` computes, [`crate::claims`] decides: a claim calls an experiment and feeds its numbers to a rule of
//! [`crate::stats`]; `regmatters repro` calls the same experiment and hands its result to [`crate::report`] for the
//! CSV, SVG and JSON of a figure. Results that a claim and its controls share are memoized per (seed,
//! configuration) in [`memo`].
//!
//! | file | computation |
//! |---|---|
//! | [`bounds`] | the paper's generalization bounds (Thm 3.1, Lemma 3.4, Lemmas D.4/D.5) as functions |
//! | [`margin_path`] | the certified λ path of the convex lift against the certified ℓ1-SVM bracket (Figure 2) |
//! | [`sample_complexity`] | n*(d) per kernel predictor and for the regularized net on hypercube XOR |
//! | [`width_study`] | test error and normalized margin vs width on teacher data (appendix F.2) |
//! | [`kernel_vs_net`] | net vs kernel SVM test errors and bounds vs n (Figure 3) |
//! | [`lazy_vs_regularized`] | λ = 0 vs λ > 0 from one large initialization |
//! | [`wgf`] | perturbed and plain Wasserstein gradient descent against the certified optimum |
//! | [`finding`] | a figure's qualitative statement checked by a rule over its trials |
//! | [`memo`] | process-wide memo of shared intermediate results |
//! | [`shard`] | units of work, balanced slices `k/K`, partial result files and the checks a merge makes |

pub mod bounds;
pub mod finding;
pub mod kernel_vs_net;
pub mod lazy_vs_regularized;
pub mod margin_path;
pub mod memo;
pub mod sample_complexity;
pub mod shard;
pub mod wgf;
pub mod width_study;

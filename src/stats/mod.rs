//! Verdicts and decision rules. Each rule returns a [`Decision`] that records the rule in words and every number it
//! decided on, so a reader can recompute the verdict.
//!
//! | rule | Supported when | Refuted when |
//! |---|---|---|
//! | [`bracket`] | lo − tol ≤ x ≤ hi + tol | x outside that interval |
//! | [`limit`] | the gap to the bracket's top end shrinks along the path and ends below a stated value | the gap grows, or ends above it, or a value exceeds the certified top |
//! | [`bound`] | Clopper–Pearson upper limit of the violation rate ≤ δ + slack | lower limit > δ + slack |
//! | [`scaling`] | bootstrap CI of a log–log slope lies on the claimed side of a threshold | CI on the other side |
//! | [`separation`] | CI of the paired difference A − B lies above the stated margin | CI below it |
//! | [`mean_ci`] | a Monte-Carlo mean's CI holds the exact value | CI excludes it |
//! | [`paired`] | A > B over paired trials: bootstrap CI of mean(A − B) above 0 and sign test p ≤ α | CI below 0 |

pub mod bootstrap;
pub mod bound;
pub mod bracket;
pub mod decision;
pub mod limit;
pub mod mean_ci;
pub mod paired;
pub mod regression;
pub mod scaling;
pub mod separation;
pub mod verdict;

pub use bound::{bound, clopper_pearson};
pub use bracket::{bracket, bracket_at_most};
pub use decision::{Decision, Margin};
pub use limit::limit;
pub use mean_ci::{MeanCi, mean_ci, mean_se};
pub use paired::{paired_greater, sign_test};
pub use regression::{LineFit, fit_line};
pub use scaling::{SlopeFit, slope_fit};
pub use separation::separation;
pub use verdict::Verdict;

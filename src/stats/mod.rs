//! Verdicts and decision rules. Each rule returns a [`Decision`] that records the rule in words and every number it
//! decided on, so a reader can recompute the verdict. Randomized rules read their bounds at two levels
//! ([`levels`]): support at a one-sided 95% bound, refutation only at α_r = 4·10⁻⁵ per statement, so the family-wise
//! chance of wrongly refuting a true claim is bounded (Bonferroni) by the α_r the rules spent.
//!
//! | rule | Supported when | Refuted when |
//! |---|---|---|
//! | [`bracket`] | lo − tol ≤ x ≤ hi + tol; at most / at least a threshold: the bracket's far end lies on the claimed side | x outside that interval; the bracket's near end lies on the other side |
//! | [`limit`] | the gap to the bracket's top end shrinks along the path and ends below a stated value | the gap grows, or ends above it, or a value exceeds the certified top |
//! | [`bound`] | Clopper–Pearson upper limit (95%) of the violation rate ≤ δ + slack | lower limit (α_r) > δ + slack |
//! | [`scaling`] | the Welch-t bound (95%) of a log–log slope lies on the claimed side of a threshold (one value per x: the OLS residual-t bound) | the α_r bound lies on the other side |
//! | [`separation`] | the t bound (95%) of mean(A − B) lies above the stated margin | the α_r bound lies below it |
//! | [`mean_ci`] | identity: the α_r t-interval of a Monte-Carlo mean holds the exact value; band: the 95% bounds lie in the band | the mean is outside that interval; the α_r bounds lie outside the band |
//! | [`paired`] | A > B over paired trials: t bound of mean(A − B) above 0 and sign test p ≤ α_s | the α_r bound below 0 |

pub mod bound;
pub mod bracket;
pub mod decision;
pub mod levels;
pub mod limit;
pub mod mean_ci;
pub mod paired;
pub mod quantile;
pub mod regression;
pub mod scaling;
pub mod separation;
pub mod verdict;

pub use bound::{bound, clopper_pearson};
pub use bracket::{bracket, bracket_at_least, bracket_at_most};
pub use decision::{Decision, Margin};
pub use levels::{FAMILY_BUDGET, Levels, REFUTE_ALPHA, SUPPORT_ALPHA};
pub use limit::limit;
pub use mean_ci::{MeanCi, mean_ci, mean_se};
pub use paired::{paired_greater, sign_test};
pub use regression::{LineFit, fit_line};
pub use scaling::{SlopeFit, SlopeModel, slope_fit, slope_fit_points};
pub use separation::separation;
pub use verdict::Verdict;

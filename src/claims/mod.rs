//! Claims: the paper's statements as seeded checks, their falsification controls, and the suite that runs them.
//!
//! A [`Claim`] has an id (`margin.limit`) and a `check` that computes through [`crate::experiments`] and the engine,
//! decides with a rule from [`crate::stats`] and returns [`Evidence`]. A falsification control is a `Claim` whose id
//! is the claim's id, a colon and a short name; it checks a false twin of the claim and is expected to come out
//! `Refuted`. Kind, source and statement come from the manifest ([`manifest`]); a [`Suite`] pairs checks with their
//! entries and runs them.
//!
//! Adding a built-in check is one code file in its group folder (listed in the group's `checks!` line) and one
//! manifest entry; the integration test `tests/claims.rs` then runs it and asserts its expected verdict.

/// Declares a group's check files and the group's `checks()` list, in file order: `checks!(limit, approx)` is
/// `mod limit; mod approx;` plus `fn checks()` concatenating `limit::checks()` and `approx::checks()`. Each check file
/// defines `pub(super) fn checks() -> Vec<Box<dyn Claim>>` (its claim and controls); listing the file here is its
/// whole registration.
macro_rules! checks {
    ($($file:ident),* $(,)?) => {
        $(mod $file;)*
        /// The checks of this group, in file order (claims before their controls).
        pub(super) fn checks() -> Vec<Box<dyn $crate::claims::Claim>> {
            let mut all: Vec<Box<dyn $crate::claims::Claim>> = Vec::new();
            $(all.extend($file::checks());)*
            all
        }
    };
}

mod builtin;
mod claim;
mod context;
mod evidence;
mod kind;
pub mod manifest;
mod outcome;
pub mod params;
mod robustness;
mod suite;

pub mod kernel;
pub mod margin;
pub mod nets;
pub mod ntk;
pub mod wgf;
pub mod width;

pub use crate::stats::{Decision, Verdict};
pub use claim::Claim;
pub use context::{Context, ProgressSink, Tier};
pub use evidence::Evidence;
pub use kind::Kind;
pub use outcome::Outcome;
pub use params::{Overrides, Param};
pub use robustness::{CheckRobustness, Robustness, SeedOutcome, SeedSet};
pub use suite::{Run, RunConfig, Suite, matches};

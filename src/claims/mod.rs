//! Claims, verdicts and evidence: the paper's statements as checks, and their falsification controls.
//!
//! A [`Claim`] has an id (`margin.limit`), the paper's numbering as its source, and a `check` that runs a decision
//! rule from [`crate::stats`] and returns [`Evidence`]. A falsification control is a `Claim` whose id is the claim's id,
//! a colon and a short name; it checks a false twin of the claim and is expected to come out `Refuted`.
//! `theorems/claims.toml` is the manifest of every id (see [`manifest`]).

mod context;
mod evidence;
pub mod manifest;
pub mod memo;
mod registry;
mod verdict;

pub mod kernel;
pub mod margin;
pub mod nets;
pub mod ntk;
pub mod wgf;
pub mod width;

pub use context::{Context, Tier};
pub use evidence::{Decision, Evidence};
pub use registry::{Outcome, find, matches, registry, run_all, run_one};
pub use verdict::{Kind, Verdict};

/// A statement of the paper (or a falsification control) as a seeded numerical check.
pub trait Claim: Send + Sync {
    /// Stable id: `group.name` for claims, `group.name:control-name` for controls.
    fn id(&self) -> &'static str;
    /// The paper's numbering in every version, e.g. "ICLR'19 Thm 2.1 / NeurIPS'19 weak-regularizer theorem".
    fn source(&self) -> &'static str;
    /// Claim or control (derived from the id by default).
    fn kind(&self) -> Kind {
        Kind::of_id(self.id())
    }
    /// Runs the check. Randomness only from `ctx.rng*`; sizes from `ctx.tier`.
    fn check(&self, ctx: &mut Context) -> crate::Result<Evidence>;
}

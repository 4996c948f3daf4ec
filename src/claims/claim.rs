//! The [`Claim`] trait: a statement of the paper, or a falsification control, as a seeded numerical check.

use super::{Context, Evidence};

/// A statement (or a falsification control) as a seeded numerical check.
///
/// The check itself is code; everything else about it — kind, the paper's numbering, the statement in words, the
/// edges of the dependency graph — lives in its manifest entry (`theorems/claims.toml` for the built-in checks, any
/// TOML file for a user's), which a [`super::Suite`] matches to the code by id.
pub trait Claim: Send + Sync {
    /// Stable id: `group.name` for claims, `group.name:control-name` for controls.
    fn id(&self) -> &str;
    /// Runs the check. Randomness only from `ctx.rng*`; sizes from `ctx.tier`, or from [`Context::param`] for the
    /// parameters listed in [`Claim::parameters`].
    fn check(&self, ctx: &mut Context) -> crate::Result<Evidence>;
    /// The documented parameters a run may override (`verify --set KEY=VALUE`); none by default.
    fn parameters(&self) -> &'static [super::Param] {
        &[]
    }
}

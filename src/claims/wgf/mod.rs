//! Claims of the `wgf` group: perturbed Wasserstein gradient descent reaches the certified global optimum.
//! See `theorems/wgf.md` for the statement → check → test map.

use super::Claim;

mod controls;
mod convergence;
mod discrete;
pub mod setup;

pub use controls::{PlainAlwaysReaches, PlainDeadStart, PlainStall, PlainZeroStart};
pub use convergence::Convergence;
pub use discrete::{Discrete, EtaFreeSteps};

/// The checks of this group, claims before their controls.
pub fn claims() -> Vec<Box<dyn Claim>> {
    vec![
        Box::new(Convergence),
        Box::new(Discrete),
        Box::new(PlainDeadStart),
        Box::new(PlainZeroStart),
        Box::new(PlainStall),
        Box::new(PlainAlwaysReaches),
        Box::new(EtaFreeSteps),
    ]
}

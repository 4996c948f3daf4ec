//! Claims of the `margin` group: weak regularization drives the normalized margin to the maximum margin.
//! See `theorems/margin.md` for the statement → check → test map.

pub mod free_bias;
pub mod trained_limit;

checks!(four_neuron, limit, norm_growth, any_power, approx, generalization);

//! Claims of the `ntk` group: the neural tangent kernel needs Ω(d²) samples on XOR, the regularized net O(d), and why
//! (the kernel cannot focus on the informative coordinates). See `theorems/ntk.md`.

use super::Claim;

mod lower_bound;
mod non_focus;
pub mod sweep;

pub use lower_bound::sweep_config;

/// The checks of this group, claims before their controls.
pub fn claims() -> Vec<Box<dyn Claim>> {
    let mut all: Vec<Box<dyn Claim>> = Vec::new();
    all.extend(lower_bound::claims());
    all.extend(non_focus::claims());
    all
}

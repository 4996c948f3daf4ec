//! Claims of the `kernel` group: the ℓ2 (kernel) SVM over ReLU features sees less than the ℓ1-SVM / the regularized
//! net. One file per claim; see `theorems/kernel.md` for the statement → check → test map.
//!
//! Throughout, K̃ is the ReLU kernel over the unit sphere, K̃(x, x′) = E_{ū~Unif(S^{d−1})}[relu(ūᵀx) relu(ūᵀx′)]
//! ([`crate::kernels::Kind::ReluSphere`]), the kernel of the ℓ2-SVM margin γ_ℓ2 = max_{√κ‖α‖₂ ≤ 1} min_i y_i⟨α, φ(x_i)⟩.

use super::Claim;

pub mod common;
mod feature_mean;
mod l2_bound;
mod l2_margin_small;
mod margin_tool;
pub mod rademacher;
mod regression_gap;

pub use l2_bound::l2_bound_terms;

/// The checks of this group, claims before their controls.
pub fn claims() -> Vec<Box<dyn Claim>> {
    let mut all: Vec<Box<dyn Claim>> = Vec::new();
    all.extend(margin_tool::claims());
    all.extend(l2_margin_small::claims());
    all.extend(l2_bound::claims());
    all.extend(feature_mean::claims());
    all.extend(regression_gap::claims());
    all
}

//! Claims of the `kernel` group: the ℓ2 (kernel) SVM over ReLU features sees less than the ℓ1-SVM / the regularized
//! net. One file per claim; see `theorems/kernel.md` for the statement → check → test map.
//!
//! Throughout, K̃ is the ReLU kernel over the unit sphere, K̃(x, x′) = E_{ū~Unif(S^{d−1})}[relu(ūᵀx) relu(ūᵀx′)]
//! ([`crate::kernels::Kind::ReluSphere`]), the kernel of the ℓ2-SVM margin γ_ℓ2 = max_{√κ‖α‖₂ ≤ 1} min_i y_i⟨α, φ(x_i)⟩.

pub mod common;

checks!(margin_tool, l2_margin_small, bound_gap, l2_bound, feature_mean, regression_gap);

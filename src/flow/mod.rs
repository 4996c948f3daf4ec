//! Perturbed Wasserstein gradient descent on weighted particles (ICLR'19 Thm 4.3 / OR Thm 5.3, discrete: OR Thm E.21).
//!
//! - [`features`]: the 2-homogeneous feature map Φ (relu, and the smooth w‖u‖s(ūᵀx) variant) and its gradient;
//! - [`problem`]: L[ρ] = R(∫Φ dρ) + λ∫‖θ‖² dρ with R the mean logistic loss, its first variation and velocity;
//! - [`particles`]: the weighted particle measure ρ = Σ m_j δ_{θ_j} and its objective;
//! - [`step`]: one discrete step (move, shrink by 1 − ησ, births of mass ησ on S^D, pruning) with a mass ledger.

pub mod features;
pub mod particles;
pub mod problem;
pub mod step;

pub use features::Activation;
pub use particles::Particles;
pub use problem::Problem;
pub use step::{Flow, FlowConfig, MassLedger, TracePoint};

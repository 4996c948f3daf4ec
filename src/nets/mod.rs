//! Homogeneous ReLU networks: models, losses, normalized margins, training, and the empirical NTK.
//!
//! | file | content |
//! |---|---|
//! | `model.rs` | the [`Model`] trait (a-homogeneous f(Θ; x), flat Θ, exact vector–Jacobian products) |
//! | `four_neuron.rs` | the explicit four-neuron XOR net and its closed-form margin √2/8 |
//! | `two_layer.rs` | [`TwoLayer`]: Σ_j w_j relu(u_jᵀx), balanced rescaling, lifted (α, ū) form |
//! | `deep.rs` | [`Deep`]: depth-K bias-free nets, multi-class heads |
//! | `loss.rs` | stable softplus, logistic, log-sum-exp, cross-entropy |
//! | `targets.rs` | [`Targets`]: binary labels or classes → losses and margins |
//! | `objective.rs` | [`Objective`]: L_λ(Θ) = R(ℓ) + λ‖Θ‖^r with its gradient |
//! | `margin.rs` | normalized margin min_i margin_i/‖Θ‖^a |
//! | `lbfgs.rs`, `train.rs` | L-BFGS / GD, λ annealing with warm starts, restarts, margin maximization |
//! | `path.rs` | the regularization path of one initialization (warm-started λ stages, model kept per stage) |
//! | `tangent.rs` | finite-width empirical NTK |
//! | `activation.rs` | ReLU activation patterns and the fraction changed by training |

pub mod activation;
mod deep;
pub mod four_neuron;
pub mod lbfgs;
pub mod loss;
pub mod margin;
mod model;
mod objective;
pub mod path;
pub mod tangent;
mod targets;
pub mod train;
mod two_layer;

pub use deep::Deep;
pub use model::Model;
pub use objective::{Objective, Reduction};
pub use targets::Targets;
pub use train::{Method, TrainConfig, Trained, maximize_margin, train};
pub use two_layer::{TwoLayer, relu};

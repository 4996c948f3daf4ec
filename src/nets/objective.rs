//! The regularized loss L_λ(Θ) = R(Σ_i ℓ_i(f(Θ; x_i))) + λ‖Θ‖₂^r and its exact gradient.
//!
//! R is the mean (the paper's binary two-layer form L_{λ,m}, ICLR eq. (3.1)) or the sum (the multi-class form of ICLR
//! Thm 2.1/2.2); the two differ by rescaling λ by n.

use super::model::Model;
use super::targets::Targets;
use crate::{Error, Result};
use nalgebra::DVector;

/// How per-example losses are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Reduction {
    /// (1/n) Σ_i ℓ_i.
    Mean,
    /// Σ_i ℓ_i.
    Sum,
}

/// L_λ(Θ) = R(ℓ(Θ)) + λ‖Θ‖₂^r.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Objective {
    /// Regularization strength λ ≥ 0 (λ = 0 only through [`Objective::unregularized`]).
    pub lambda: f64,
    /// Power r > 0 of the norm.
    pub r: f64,
    /// Mean or sum of the example losses.
    pub reduction: Reduction,
}

impl Objective {
    /// The regularized objective; λ ≤ 0, r ≤ 0 or non-finite values are errors.
    pub fn new(lambda: f64, r: f64, reduction: Reduction) -> Result<Self> {
        if !(lambda > 0.0) || !lambda.is_finite() {
            return Err(Error::param("λ", lambda, "the regularization strength must be a finite number > 0"));
        }
        if !(r > 0.0) || !r.is_finite() {
            return Err(Error::param("r", r, "the norm power must be a finite number > 0"));
        }
        Ok(Objective { lambda, r, reduction })
    }

    /// The unregularized loss (λ = 0), e.g. for the lazy-training comparison.
    pub fn unregularized(reduction: Reduction) -> Self {
        Objective { lambda: 0.0, r: 2.0, reduction }
    }

    /// λ‖Θ‖^r for a parameter norm.
    pub fn penalty(&self, norm: f64) -> f64 {
        if self.lambda == 0.0 { 0.0 } else { self.lambda * norm.powf(self.r) }
    }

    fn weight(&self, n: usize) -> f64 {
        match self.reduction {
            Reduction::Mean => 1.0 / n as f64,
            Reduction::Sum => 1.0,
        }
    }

    /// L_λ(Θ).
    pub fn value<M: Model, T: Targets + ?Sized>(&self, model: &M, data: &T) -> Result<f64> {
        check_outputs(model, data)?;
        let f = model.forward(data.inputs())?;
        let (loss, _) = data.loss_and_cotangent(&f)?;
        Ok(self.weight(data.len()) * loss + self.penalty(model.param_norm()))
    }

    /// L_λ(Θ) and ∇_Θ L_λ(Θ) = J_Θᵀ ∂R/∂f + λ r ‖Θ‖^{r−2} Θ.
    pub fn value_grad<M: Model, T: Targets + ?Sized>(&self, model: &M, data: &T) -> Result<(f64, DVector<f64>)> {
        check_outputs(model, data)?;
        let f = model.forward(data.inputs())?;
        let (loss, cot) = data.loss_and_cotangent(&f)?;
        let w = self.weight(data.len());
        let mut grad = model.vjp(data.inputs(), &(cot * w))?;
        let theta = model.params();
        let norm = theta.norm();
        if self.lambda > 0.0 && norm > 0.0 {
            grad += theta * (self.lambda * self.r * norm.powf(self.r - 2.0));
        }
        Ok((w * loss + self.penalty(norm), grad))
    }
}

/// The model's output count must match the targets'.
pub(crate) fn check_outputs<M: Model, T: Targets + ?Sized>(model: &M, data: &T) -> Result<()> {
    if model.outputs() != data.outputs() {
        return Err(Error::shape("network outputs", data.outputs(), model.outputs()));
    }
    Ok(())
}

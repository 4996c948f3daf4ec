//! The 2-homogeneous feature map Φ of the infinite-width two-layer net and its gradient.
//!
//! A neuron is θ = (w, u) ∈ ℝ^{1+D} (w the output weight, u ∈ ℝ^D the input weights; D counts the bias column when the
//! data carry one). For a point x ∈ ℝ^D:
//! - [`Activation::Relu`]: Φ(θ; x) = w·relu(uᵀx) — the paper's Example (ICLR Ex. 4.2 / OR Ex. 5.2);
//! - [`Activation::SmoothRelu`]: Φ(θ; x) = w‖u‖s(ūᵀx) with s(z) = (z + √(z² + δ²))/2, i.e.
//!   Φ = w·(a + √(a² + δ²‖u‖²))/2 with a = uᵀx — smooth wherever u ≠ 0, and 2-homogeneous.
//!
//! Both are 2-homogeneous in θ (Φ(cθ) = c²Φ(θ), c > 0), so ∇Φ is 1-homogeneous. On the unit sphere, θ̄ = (w, r ū)
//! with w² + r² = 1 gives Φ(θ̄; x) = w r ψ(ū; x) with the lifted feature ψ(ū; x) = s(ūᵀx) (s = relu for the relu case).

use crate::{Error, Result};

/// The scalar activation s of the lifted feature ψ(ū; x) = s(ūᵀx).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Activation {
    /// s(z) = max(z, 0).
    Relu,
    /// s(z) = (z + √(z² + δ²))/2: smooth, 1-Lipschitz, s″ ≤ 1/(2δ).
    SmoothRelu {
        /// Smoothing width δ > 0.
        delta: f64,
    },
}

impl Activation {
    /// The smooth variant used by the claims: δ = 1/2.
    pub const SMOOTH: Activation = Activation::SmoothRelu { delta: 0.5 };

    /// Checks δ > 0 and finite.
    pub fn validate(&self) -> Result<()> {
        match *self {
            Activation::Relu => Ok(()),
            Activation::SmoothRelu { delta } => crate::error::ensure_positive("delta", delta),
        }
    }

    /// Short name ("relu" / "smooth").
    pub fn name(&self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::SmoothRelu { .. } => "smooth",
        }
    }

    /// s(z).
    pub fn value(&self, z: f64) -> f64 {
        match *self {
            Activation::Relu => z.max(0.0),
            Activation::SmoothRelu { delta } => 0.5 * (z + z.hypot(delta)),
        }
    }

    /// s′(z) (for relu the right derivative 1[z > 0]).
    pub fn derivative(&self, z: f64) -> f64 {
        match *self {
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::SmoothRelu { delta } => 0.5 * (1.0 + z / z.hypot(delta)),
        }
    }

    /// A Lipschitz constant of s (1 for both).
    pub fn lipschitz(&self) -> f64 {
        1.0
    }

    /// A bound on |s″| (None for relu, which has a kink): 1/(2δ) for the smooth relu.
    pub fn curvature_bound(&self) -> Option<f64> {
        match *self {
            Activation::Relu => None,
            Activation::SmoothRelu { delta } => Some(0.5 / delta),
        }
    }
}

/// Φ(θ; x) for one neuron θ = (w, u) (`theta.len() == x.len() + 1`) and one point x.
pub fn phi_one(act: Activation, theta: &[f64], x: &[f64]) -> f64 {
    let w = theta[0];
    let u = &theta[1..];
    let a: f64 = u.iter().zip(x).map(|(p, q)| p * q).sum();
    match act {
        Activation::Relu => w * a.max(0.0),
        Activation::SmoothRelu { delta } => {
            let un2: f64 = u.iter().map(|v| v * v).sum();
            w * 0.5 * (a + (a * a + delta * delta * un2).sqrt())
        }
    }
}

/// Adds `scale · ∇_θ Φ(θ; x)` to `out` (length 1 + D). At u = 0 the smooth variant is not differentiable in u; there
/// the u-part of the (one-sided) gradient is taken as w·x/2·[scale], the limit along u ∥ x — a measure-zero set that
/// the flow never visits from a measure with a density, and where Φ = 0 anyway.
pub fn add_phi_grad(act: Activation, theta: &[f64], x: &[f64], scale: f64, out: &mut [f64]) {
    let w = theta[0];
    let u = &theta[1..];
    let a: f64 = u.iter().zip(x).map(|(p, q)| p * q).sum();
    match act {
        Activation::Relu => {
            if a > 0.0 {
                out[0] += scale * a;
                let c = scale * w;
                for (o, xi) in out[1..].iter_mut().zip(x) {
                    *o += c * xi;
                }
            }
        }
        Activation::SmoothRelu { delta } => {
            let d2 = delta * delta;
            let un2: f64 = u.iter().map(|v| v * v).sum();
            let r = (a * a + d2 * un2).sqrt();
            out[0] += scale * 0.5 * (a + r);
            let c = scale * w * 0.5;
            if r > 0.0 {
                let ca = a / r;
                let cu = d2 / r;
                for ((o, xi), ui) in out[1..].iter_mut().zip(x).zip(u) {
                    *o += c * (xi + ca * xi + cu * ui);
                }
            } else {
                for (o, xi) in out[1..].iter_mut().zip(x) {
                    *o += c * xi;
                }
            }
        }
    }
}

/// Checks that θ has 1 + D coordinates for D-dimensional points.
pub fn check_dim(theta_dim: usize, data_dim: usize) -> Result<()> {
    if theta_dim != data_dim + 1 {
        return Err(Error::shape("neuron θ = (w, u)", format!("1 + {data_dim} coordinates"), theta_dim));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smooth_matches_lifted_form() {
        let act = Activation::SMOOTH;
        let theta = [0.7, -0.3, 1.1];
        let x = [0.4, 1.0];
        let un = (0.3f64 * 0.3 + 1.1 * 1.1).sqrt();
        let z = (-0.3 * 0.4 + 1.1) / un;
        let want = 0.7 * un * act.value(z);
        assert!((phi_one(act, &theta, &x) - want).abs() < 1e-14);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        for act in [Activation::Relu, Activation::SMOOTH] {
            let theta = [0.7, -0.3, 1.1];
            let x = [0.4, 1.0];
            let mut g = [0.0; 3];
            add_phi_grad(act, &theta, &x, 1.0, &mut g);
            for k in 0..3 {
                let h = 1e-6;
                let mut tp = theta;
                let mut tm = theta;
                tp[k] += h;
                tm[k] -= h;
                let fd = (phi_one(act, &tp, &x) - phi_one(act, &tm, &x)) / (2.0 * h);
                assert!((fd - g[k]).abs() < 1e-7, "{act:?} k={k}: fd {fd} vs {}", g[k]);
            }
        }
    }

    #[test]
    fn bad_delta() {
        assert!(Activation::SmoothRelu { delta: 0.0 }.validate().is_err());
        assert!(check_dim(3, 3).is_err());
    }
}

//! The neural tangent kernel of a two-layer ReLU network in closed form.
//!
//! For f(x) = m^{-1/2} Σ_j w_j relu(u_jᵀx) with w_j ~ N(0, 1), u_j ~ N(0, I_d), both layers trained, the tangent
//! kernel ⟨∇_Θ f(x), ∇_Θ f(z)⟩ converges as m → ∞ to
//!
//! Θ(x, z) = E[relu(uᵀx)relu(uᵀz)] + E[w²]·xᵀz·E[1{uᵀx > 0}1{uᵀz > 0}] = k₁(x, z) + (xᵀz)·k₀(x, z)
//!         = (s + 2(π − θ)c)/(2π), with c = xᵀz, s = ‖x‖‖z‖ sin θ.
//!
//! (The finite-width empirical NTK lives in `nets::tangent`, beside the network it differentiates.)

use super::arccos::angle;
use std::f64::consts::PI;

/// Two-layer ReLU NTK Θ(x, z) = k₁(x, z) + c·k₀(x, z) from c = xᵀz, a = ‖x‖², b = ‖z‖²; 0 if a or b is 0.
#[inline(always)]
pub fn ntk(c: f64, a: f64, b: f64) -> f64 {
    let (theta, s) = angle(c, a, b);
    let v = (s + 2.0 * (PI - theta) * c) * (0.5 / PI);
    // branch-free zero guard (θ is NaN for a zero vector; the select discards it)
    if a == 0.0 || b == 0.0 { 0.0 } else { v }
}

/// Diagonal of the NTK: Θ(x, x) = ‖x‖²/2 + ‖x‖²/2 = ‖x‖².
#[inline(always)]
pub fn ntk_diag(a: f64) -> f64 {
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::arccos::{relu, step};

    #[test]
    fn ntk_is_relu_plus_dot_times_step() {
        for &(c, a, b) in &[(0.3, 1.0, 2.0), (-1.2, 2.0, 1.5), (0.0, 1.0, 1.0), (4.0, 4.0, 4.0)] {
            let want = relu(c, a, b) + c * step(c, a, b);
            assert!((ntk(c, a, b) - want).abs() < 1e-14 * (1.0 + want.abs()));
        }
        assert!((ntk(4.0, 4.0, 4.0) - ntk_diag(4.0)).abs() < 1e-14);
    }
}

//! The empirical neural tangent kernel of a finite-width two-layer net.
//!
//! For f(x) = m^{-1/2} Σ_j w_j relu(u_jᵀx) (NTK parametrization, both layers trained),
//! Θ_m(x, z) = ⟨∇_Θ f(x), ∇_Θ f(z)⟩ = (1/m) Σ_j [relu(u_jᵀx) relu(u_jᵀz) + w_j² 1{u_jᵀx > 0} 1{u_jᵀz > 0} xᵀz].
//! With w_j ~ N(0, 1), u_j ~ N(0, I_d) it converges to the closed form k₁(x, z) + (xᵀz) k₀(x, z) as m → ∞.

use super::model::check_input;
use super::two_layer::{TwoLayer, relu};
use crate::Result;
use nalgebra::DMatrix;

/// Θ_m(x_i, z_k) for rows x_i of `x` and z_k of `z`: an n_x × n_z matrix.
pub fn empirical_ntk(net: &TwoLayer, x: &DMatrix<f64>, z: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    let d = net.u.ncols();
    check_input(x, d)?;
    check_input(z, d)?;
    let m = net.width() as f64;
    let px = x * net.u.transpose();
    let pz = z * net.u.transpose();
    let features = px.map(relu) * pz.map(relu).transpose();
    let mut gated_x = px.map(|v| if v > 0.0 { 1.0 } else { 0.0 });
    for j in 0..net.width() {
        gated_x.column_mut(j).scale_mut(net.w[j] * net.w[j]);
    }
    let gates = gated_x * pz.map(|v| if v > 0.0 { 1.0 } else { 0.0 }).transpose();
    let inner = x * z.transpose();
    Ok((features + gates.component_mul(&inner)) / m)
}

//! The explicit four-neuron XOR network relu(x₁ + x₂) + relu(−x₁ − x₂) − relu(x₁ − x₂) − relu(x₂ − x₁)
//! = |x₁ + x₂| − |x₁ − x₂|, which equals 2x₁x₂ on every point of {±1}^d (and on every point whose first two
//! coordinates are ±1). In balanced form (|w_j| = ‖u_j‖ = 2^{1/4}) its squared norm is 8√2, so its normalized margin on
//! XOR data is exactly 2/(8√2) = √2/8 whatever the dimension.

use super::TwoLayer;
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// The closed-form normalized margin √2/8 of the balanced four-neuron net.
pub fn four_neuron_margin() -> f64 {
    std::f64::consts::SQRT_2 / 8.0
}

/// The four-neuron XOR net in dimension d ≥ 2, balanced.
pub fn four_neuron_net(d: usize) -> Result<TwoLayer> {
    if d < 2 {
        return Err(Error::param("d", d, "the XOR net reads two coordinates"));
    }
    let mut u = DMatrix::zeros(4, d);
    for (j, (a, b)) in [(1.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0)].into_iter().enumerate() {
        u[(j, 0)] = a;
        u[(j, 1)] = b;
    }
    Ok(TwoLayer::new(u, DVector::from_row_slice(&[1.0, 1.0, -1.0, -1.0]))?.balanced())
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_on_the_xor_corners_are_the_closed_form() {
        // Each corner activates exactly one neuron, with pre-activation ‖(±1, ±1)‖² = 2 and output weight ±1; balancing
        // rescales u_j and a_j without changing a_j·relu(u_jᵀx), so f(x) = 2·x₁x₂ on the four corners, in every d.
        for d in [2, 5] {
            let net = four_neuron_net(d).unwrap();
            let mut x = DMatrix::zeros(4, d);
            for (i, (a, b)) in [(1.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0)].into_iter().enumerate() {
                x[(i, 0)] = a;
                x[(i, 1)] = b;
            }
            let f = net.eval(&x).unwrap();
            for i in 0..4 {
                let want = 2.0 * x[(i, 0)] * x[(i, 1)];
                assert!((f[i] - want).abs() < 1e-12, "d = {d}, corner {i}: f = {}, want {want}", f[i]);
            }
        }
        assert!(four_neuron_net(1).is_err());
    }
}

//! ReLU activation patterns and how far training moved them (the "lazy vs active" measurement of the NeurIPS
//! simulation).
//!
//! For a two-layer net with first layer U (rows u_j) and inputs x_1, …, x_n, the activation pattern is the n × m sign
//! matrix A_ij = 1{u_jᵀx_i > 0}. Between an initialization Θ⁰ and a trained Θ (same width and input dimension),
//!
//!   Δ(Θ⁰, Θ; X) = (1/(nm)) Σ_{i=1}^n Σ_{j=1}^m 1{ 1{u⁰_jᵀx_i > 0} ≠ 1{u_jᵀx_i > 0} } ∈ [0, 1],
//!
//! the fraction of (point, neuron) pairs whose ReLU switched on or off. In the kernel (lazy) regime the first layer
//! barely moves and Δ stays near 0; feature learning changes a positive fraction. Δ depends only on the directions of
//! the u_j (positive rescaling of a neuron does not change its pattern), so weight decay alone does not move it.

use super::TwoLayer;
use crate::{Error, Result};
use nalgebra::DMatrix;

/// The activation pattern A_ij = 1{u_jᵀx_i > 0} of `net` on the rows x_i of `x` (n × m, stored as booleans in
/// row-major order: entry (i, j) at index i·m + j).
///
/// Errors: `x` empty or with a column count other than the net's input dimension.
pub fn activation_pattern(net: &TwoLayer, x: &DMatrix<f64>) -> Result<Vec<bool>> {
    check(net, x)?;
    let pre = x * net.u.transpose();
    let (n, m) = pre.shape();
    Ok((0..n * m).map(|k| pre[(k / m, k % m)] > 0.0).collect())
}

/// Δ(Θ⁰, Θ; X): the fraction of (point, neuron) pairs whose ReLU activation 1{u_jᵀx_i > 0} differs between `init`
/// and `trained` (see the module docs). Neurons are matched by index.
///
/// Errors: the nets differ in width or input dimension; `x` empty or of the wrong dimension.
pub fn activation_change(init: &TwoLayer, trained: &TwoLayer, x: &DMatrix<f64>) -> Result<f64> {
    if init.u.shape() != trained.u.shape() {
        return Err(Error::shape(
            "activation_change: first layers",
            format!("{}×{}", init.u.nrows(), init.u.ncols()),
            format!("{}×{}", trained.u.nrows(), trained.u.ncols()),
        ));
    }
    let a = activation_pattern(init, x)?;
    let b = activation_pattern(trained, x)?;
    let changed = a.iter().zip(&b).filter(|(p, q)| p != q).count();
    Ok(changed as f64 / a.len() as f64)
}

fn check(net: &TwoLayer, x: &DMatrix<f64>) -> Result<()> {
    if x.nrows() == 0 || net.u.nrows() == 0 {
        return Err(Error::Empty("activation pattern on no points or of a net without neurons".into()));
    }
    crate::error::ensure_finite("activation pattern input", x.as_slice())?;
    if x.ncols() != net.u.ncols() {
        return Err(Error::shape("activation pattern input", format!("{} columns", net.u.ncols()), x.ncols()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::DVector;
    use rand::SeedableRng;

    #[test]
    fn hand_computed_fraction() {
        // u₁ = e₁, u₂ = e₂ vs u₁ = e₁, u₂ = −e₂ on x = (1, 1), (1, −1), (−1, 2): neuron 2 flips at every point
        // (no pre-activation is 0), neuron 1 never → Δ = 3/6.
        let x = DMatrix::from_row_slice(3, 2, &[1.0, 1.0, 1.0, -1.0, -1.0, 2.0]);
        let a = TwoLayer::new(DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 0.0, 1.0]), DVector::from_vec(vec![1.0, 1.0]))
            .unwrap();
        let b = TwoLayer::new(DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 0.0, -1.0]), DVector::from_vec(vec![1.0, 1.0]))
            .unwrap();
        assert_eq!(activation_pattern(&a, &x).unwrap(), vec![true, true, true, false, false, true]);
        assert!((activation_change(&a, &b, &x).unwrap() - 0.5).abs() < 1e-15);
        assert_eq!(activation_change(&a, &a, &x).unwrap(), 0.0);
    }

    #[test]
    fn invariant_to_positive_rescaling_and_total_under_negation() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let net = TwoLayer::gaussian(7, 4, 1.0, &mut rng).unwrap();
        let x = DMatrix::from_fn(30, 4, |i, j| ((i * 7 + j * 3) as f64).sin());
        let mut scaled = net.clone();
        scaled.u.row_mut(2).scale_mut(0.01);
        scaled.w *= 5.0;
        assert_eq!(activation_change(&net, &scaled, &x).unwrap(), 0.0);
        let mut flipped = net.clone();
        flipped.u *= -1.0;
        // every pre-activation here is nonzero, so negating U flips every pattern entry
        assert!((x.clone() * net.u.transpose()).iter().all(|v| *v != 0.0));
        assert_eq!(activation_change(&net, &flipped, &x).unwrap(), 1.0);
    }

    #[test]
    fn shape_errors() {
        let a = TwoLayer::new(DMatrix::from_element(2, 3, 1.0), DVector::from_element(2, 1.0)).unwrap();
        let b = TwoLayer::new(DMatrix::from_element(3, 3, 1.0), DVector::from_element(3, 1.0)).unwrap();
        assert!(matches!(activation_change(&a, &b, &DMatrix::zeros(4, 3)), Err(Error::ShapeMismatch { .. })));
        assert!(matches!(activation_change(&a, &a, &DMatrix::zeros(4, 2)), Err(Error::ShapeMismatch { .. })));
        assert!(matches!(activation_change(&a, &a, &DMatrix::zeros(0, 3)), Err(Error::Empty(_))));
    }
}

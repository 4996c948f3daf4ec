//! The two XOR distributions of the paper.
//!
//! * [`XorHypercube`] (NeurIPS lower bound): x uniform on {−1, +1}^d, y = x₁x₂.
//! * [`XorGaussian`] (ICLR Thm 3.5): (x₁, x₂) uniform on {±1}², y = x₁x₂, x₃, …, x_d i.i.d. N(0, 1).
//!
//! Both implement [`rand::distr::Distribution`] over `(x, y)` pairs; `dataset(n, rng)` draws a [`Dataset`].

use super::Dataset;
use super::sampling::draw_dataset;
use crate::{Error, Result};
use nalgebra::DVector;
use rand::Rng;
use rand::distr::Distribution;
use rand_distr::StandardNormal;

/// Checks the XOR dimension: the label needs two coordinates.
fn check_dim(d: usize) -> Result<()> {
    if d < 2 { Err(Error::param("d", d, "XOR needs at least two coordinates")) } else { Ok(()) }
}

/// A uniformly random sign ±1.
fn sign<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    if rng.random::<bool>() { 1.0 } else { -1.0 }
}

/// x uniform on the hypercube {−1, +1}^d, label y = x₁x₂ (so ‖x‖² = d).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XorHypercube {
    d: usize,
}

impl XorHypercube {
    /// The distribution in dimension d ≥ 2.
    pub fn new(d: usize) -> Result<Self> {
        check_dim(d)?;
        Ok(XorHypercube { d })
    }

    /// Input dimension.
    pub fn d(&self) -> usize {
        self.d
    }

    /// n i.i.d. samples.
    pub fn dataset<R: Rng + ?Sized>(&self, n: usize, rng: &mut R) -> Result<Dataset> {
        draw_dataset(self, self.d, n, rng)
    }
}

impl Distribution<(DVector<f64>, f64)> for XorHypercube {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> (DVector<f64>, f64) {
        let x = DVector::from_fn(self.d, |_, _| sign(rng));
        let y = x[0] * x[1];
        (x, y)
    }
}

/// (x₁, x₂) uniform on {±1}², y = x₁x₂, and d − 2 coordinates of standard Gaussian noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XorGaussian {
    d: usize,
}

impl XorGaussian {
    /// The distribution in dimension d ≥ 2.
    pub fn new(d: usize) -> Result<Self> {
        check_dim(d)?;
        Ok(XorGaussian { d })
    }

    /// Input dimension.
    pub fn d(&self) -> usize {
        self.d
    }

    /// n i.i.d. samples.
    pub fn dataset<R: Rng + ?Sized>(&self, n: usize, rng: &mut R) -> Result<Dataset> {
        draw_dataset(self, self.d, n, rng)
    }
}

impl Distribution<(DVector<f64>, f64)> for XorGaussian {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> (DVector<f64>, f64) {
        let mut x = DVector::zeros(self.d);
        x[0] = sign(rng);
        x[1] = sign(rng);
        for k in 2..self.d {
            x[k] = rng.sample(StandardNormal);
        }
        let y = x[0] * x[1];
        (x, y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn hypercube_points_are_signs_and_labels_are_xor() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let data = XorHypercube::new(7).unwrap().dataset(200, &mut rng).unwrap();
        assert_eq!((data.n(), data.d()), (200, 7));
        assert!(data.x().iter().all(|v| v.abs() == 1.0));
        for i in 0..200 {
            assert_eq!(data.y()[i], data.x()[(i, 0)] * data.x()[(i, 1)]);
        }
        let positives = data.y().iter().filter(|v| **v > 0.0).count();
        assert!((60..140).contains(&positives), "labels are balanced in expectation: {positives}");
    }

    #[test]
    fn gaussian_xor_has_noise_coordinates() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
        let data = XorGaussian::new(5).unwrap().dataset(500, &mut rng).unwrap();
        let noise_var = data.x().columns(2, 3).iter().map(|v| v * v).sum::<f64>() / (500.0 * 3.0);
        assert!((noise_var - 1.0).abs() < 0.15, "noise variance {noise_var}");
        assert!(data.x().column(0).iter().all(|v| v.abs() == 1.0));
    }

    #[test]
    fn dimension_below_two_is_an_error() {
        assert!(matches!(XorHypercube::new(1), Err(Error::InvalidParameter { .. })));
        assert!(matches!(XorGaussian::new(0), Err(Error::InvalidParameter { .. })));
    }
}

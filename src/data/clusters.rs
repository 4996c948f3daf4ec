//! Multi-class data for the multi-class margin theorem (ICLR Thm 2.1 is stated for l classes).
//!
//! Class c ∈ {0, …, l−1} has centre μ_c = (cos 2πc/l, sin 2πc/l, 0, …, 0) ∈ ℝ^d and points x = μ_c + s·ξ with
//! ξ ~ N(0, I_d) and spread s. Class centres point in different directions, so bias-free (homogeneous) ReLU nets
//! separate the classes when s is small; whether a sample is separable is decided by the margin code, not assumed.

use super::MultiDataset;
use crate::{Error, Result};
use nalgebra::DMatrix;
use rand::Rng;
use rand_distr::StandardNormal;

/// l Gaussian clusters around unit directions in the first two coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GaussianClusters {
    classes: usize,
    d: usize,
    spread: f64,
}

impl GaussianClusters {
    /// `classes` ≥ 2 clusters in dimension d ≥ 2 with noise scale `spread` ≥ 0.
    pub fn new(classes: usize, d: usize, spread: f64) -> Result<Self> {
        if classes < 2 {
            return Err(Error::param("classes", classes, "need at least two classes"));
        }
        if d < 2 {
            return Err(Error::param("d", d, "cluster centres live in the first two coordinates"));
        }
        if !(spread >= 0.0 && spread.is_finite()) {
            return Err(Error::param("spread", spread, "must be a finite number ≥ 0"));
        }
        Ok(GaussianClusters { classes, d, spread })
    }

    /// n points with labels cycling through the classes (balanced).
    pub fn dataset<R: Rng + ?Sized>(&self, n: usize, rng: &mut R) -> Result<MultiDataset> {
        if n == 0 {
            return Err(Error::Empty("a dataset of zero samples was requested".into()));
        }
        let labels: Vec<usize> = (0..n).map(|i| i % self.classes).collect();
        let mut x = DMatrix::zeros(n, self.d);
        for (i, &c) in labels.iter().enumerate() {
            let angle = std::f64::consts::TAU * c as f64 / self.classes as f64;
            for k in 0..self.d {
                let centre = match k {
                    0 => angle.cos(),
                    1 => angle.sin(),
                    _ => 0.0,
                };
                let noise: f64 = rng.sample(StandardNormal);
                x[(i, k)] = centre + self.spread * noise;
            }
        }
        MultiDataset::new(x, labels, self.classes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn clusters_are_balanced_and_centred() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(6);
        let data = GaussianClusters::new(3, 4, 0.0).unwrap().dataset(9, &mut rng).unwrap();
        assert_eq!(data.labels(), vec![0, 1, 2, 0, 1, 2, 0, 1, 2]);
        assert!((data.x()[(1, 0)] + 0.5).abs() < 1e-12);
        assert!(GaussianClusters::new(1, 4, 0.1).is_err());
        assert!(GaussianClusters::new(3, 4, f64::NAN).is_err());
    }
}

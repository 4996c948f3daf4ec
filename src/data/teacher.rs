//! The random ReLU teacher of the paper's simulations (ICLR §5, Figure 3; the width study of appendix F.2).
//!
//! f*(x) = Σ_{j=1}^{k} a_j relu(v_jᵀx) with v_j uniform on the unit sphere S^{d−1} and a_j = ±1 alternating
//! (half the units vote +, half −, so both labels occur). Inputs x ~ N(0, I_d): the paper does not state the input
//! distribution, so this is our documented choice. Classification keeps only points with |f*(x)| ≥ γ₀ (rejection
//! sampling) and labels them y = sign f*(x); regression labels by f*(x) itself.

use super::{Dataset, Task};
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};
use rand::Rng;
use rand_distr::StandardNormal;

/// A fixed random two-layer ReLU network used as ground truth.
#[derive(Debug, Clone, PartialEq)]
pub struct Teacher {
    /// k × d, row j = v_j (unit norm).
    pub v: DMatrix<f64>,
    /// k output weights a_j = ±1.
    pub a: DVector<f64>,
}

/// Rejection sampling gives up after this many draws per requested point.
const MAX_DRAWS_PER_POINT: usize = 10_000;

impl Teacher {
    /// A teacher with `units` hidden units in dimension d (units ≥ 2 so both signs occur).
    pub fn random<R: Rng + ?Sized>(d: usize, units: usize, rng: &mut R) -> Result<Self> {
        if d == 0 {
            return Err(Error::param("d", d, "the teacher needs a positive input dimension"));
        }
        if units < 2 {
            return Err(Error::param("units", units, "a teacher needs at least two units so both labels occur"));
        }
        let mut v = DMatrix::from_fn(units, d, |_, _| rng.sample::<f64, _>(StandardNormal));
        for mut row in v.row_iter_mut() {
            let norm = row.norm();
            row /= if norm > 0.0 { norm } else { 1.0 };
        }
        let a = DVector::from_fn(units, |j, _| if j % 2 == 0 { 1.0 } else { -1.0 });
        Ok(Teacher { v, a })
    }

    /// Input dimension d.
    pub fn d(&self) -> usize {
        self.v.ncols()
    }

    /// f*(x_i) for every row x_i of `x`.
    pub fn eval(&self, x: &DMatrix<f64>) -> Result<DVector<f64>> {
        if x.ncols() != self.d() {
            return Err(Error::shape("teacher input", format!("{} columns", self.d()), x.ncols()));
        }
        let pre = x * self.v.transpose();
        Ok(pre.map(|z| z.max(0.0)) * &self.a)
    }

    fn gaussian_point<R: Rng + ?Sized>(&self, rng: &mut R) -> DVector<f64> {
        DVector::from_fn(self.d(), |_, _| rng.sample(StandardNormal))
    }

    fn value(&self, x: &DVector<f64>) -> f64 {
        (&self.v * x).iter().zip(self.a.iter()).map(|(z, a)| a * z.max(0.0)).sum()
    }

    /// n points x ~ N(0, I) with |f*(x)| ≥ `min_abs_margin`, labelled y = sign f*(x).
    pub fn classification<R: Rng + ?Sized>(&self, n: usize, min_abs_margin: f64, rng: &mut R) -> Result<Dataset> {
        if n == 0 {
            return Err(Error::Empty("a dataset of zero samples was requested".into()));
        }
        if !(min_abs_margin >= 0.0) || !min_abs_margin.is_finite() {
            return Err(Error::param("min_abs_margin", min_abs_margin, "must be a finite number ≥ 0"));
        }
        let mut x = DMatrix::zeros(n, self.d());
        let mut y = DVector::zeros(n);
        let mut kept = 0;
        let mut draws = 0;
        while kept < n {
            draws += 1;
            if draws > MAX_DRAWS_PER_POINT * n {
                return Err(Error::param(
                    "min_abs_margin",
                    min_abs_margin,
                    "rejection sampling accepted too few points (margin too large for this teacher)",
                ));
            }
            let xi = self.gaussian_point(rng);
            let f = self.value(&xi);
            if f.abs() >= min_abs_margin && f != 0.0 {
                x.row_mut(kept).copy_from(&xi.transpose());
                y[kept] = f.signum();
                kept += 1;
            }
        }
        Dataset::new(x, y, Task::Binary)
    }

    /// n points x ~ N(0, I) with real targets y = f*(x).
    pub fn regression<R: Rng + ?Sized>(&self, n: usize, rng: &mut R) -> Result<Dataset> {
        if n == 0 {
            return Err(Error::Empty("a dataset of zero samples was requested".into()));
        }
        let x = DMatrix::from_fn(n, self.d(), |_, _| rng.sample(StandardNormal));
        let y = self.eval(&x)?;
        Dataset::new(x, y, Task::Regression)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// The documented law of the teacher: unit rows v_j (uniform on the sphere: mean direction near 0 over many
    /// draws) and output weights +1, −1, +1, … .
    #[test]
    fn rows_are_unit_and_output_weights_alternate() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut mean = DVector::zeros(5);
        for _ in 0..400 {
            let t = Teacher::random(5, 4, &mut rng).unwrap();
            for row in t.v.row_iter() {
                assert!((row.norm() - 1.0).abs() < 1e-14, "row norm {}", row.norm());
                mean += row.transpose() / 1600.0;
            }
            assert_eq!(t.a.as_slice(), &[1.0, -1.0, 1.0, -1.0]);
        }
        // 1600 uniform unit vectors in R⁵: each coordinate of the mean has sd 1/√(5·1600) = 0.011
        assert!(mean.amax() < 0.06, "mean direction {mean}");
    }

    #[test]
    fn classification_respects_the_rejection_margin_and_labels() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let t = Teacher::random(20, 6, &mut rng).unwrap();
        let data = t.classification(300, 0.1, &mut rng).unwrap();
        let f = t.eval(data.x()).unwrap();
        for i in 0..300 {
            assert!(f[i].abs() >= 0.1);
            assert_eq!(f[i].signum(), data.y()[i]);
        }
        assert!(data.y().iter().any(|v| *v > 0.0) && data.y().iter().any(|v| *v < 0.0));
    }

    #[test]
    fn regression_targets_are_the_teacher() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        let t = Teacher::random(5, 4, &mut rng).unwrap();
        let data = t.regression(50, &mut rng).unwrap();
        assert_eq!(data.task(), Task::Regression);
        assert_eq!(t.eval(data.x()).unwrap(), *data.y());
    }

    #[test]
    fn bad_parameters_are_errors() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        assert!(Teacher::random(5, 1, &mut rng).is_err());
        let t = Teacher::random(3, 2, &mut rng).unwrap();
        assert!(t.classification(5, f64::NAN, &mut rng).is_err());
        assert!(t.classification(0, 0.1, &mut rng).is_err());
        assert!(matches!(t.eval(&DMatrix::zeros(2, 4)), Err(Error::ShapeMismatch { .. })));
    }
}

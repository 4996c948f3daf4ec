//! The best-in-span oracle: the least-squares best predictor in span{K(x_i, ·) : i ≤ n}, fitted on a large held-out
//! sample — the strongest predictor the kernel's span allows ("for every β" of the lower bound).
//!
//! Given the train × held-out kernel matrix A = [K(x_i, z_m)] (n × N) and held-out labels y_h,
//! β = argmin_β ‖Aᵀβ − y_h‖², solved through the normal equations (AAᵀ + τI)β = A y_h by Cholesky with a tiny relative
//! ridge τ = 1e-12·tr(AAᵀ)/n (raised ×100 at most three times if the factorization fails). The held-out error is that
//! of the fitted sample; the caller scores β on a fresh sample with [`Oracle::predict`].

use crate::error::{Error, Result, ensure_finite};
use crate::linalg::solve::Cholesky;
use crate::linalg::{as_faer, as_faer_mut, par};
use nalgebra::{DMatrix, DVector};

/// A fitted best-in-span oracle.
#[derive(Clone, Debug)]
pub struct Oracle {
    /// Coefficients β of f = Σ_i β_i K(x_i, ·).
    pub beta: DVector<f64>,
    /// Mean squared error on the fitting (held-out) sample.
    pub holdout_mse: f64,
    /// 0-1 error of sign f on the fitting sample (labels ±1; a zero prediction counts as an error).
    pub holdout_error01: f64,
    /// The ridge τ actually used in the normal equations.
    pub ridge: f64,
}

impl Oracle {
    /// Fits β from the train × held-out kernel matrix (n × N) and the held-out labels (length N).
    ///
    /// Errors: empty / non-finite inputs, len(y) ≠ N, a zero matrix, or a factorization failure.
    pub fn fit(k_train_holdout: &DMatrix<f64>, y_holdout: &DVector<f64>) -> Result<Oracle> {
        let (n, nh) = k_train_holdout.shape();
        if n == 0 || nh == 0 {
            return Err(Error::Empty(format!("Oracle: K_train_holdout is {n}×{nh}")));
        }
        if y_holdout.len() != nh {
            return Err(Error::shape("Oracle: len(y_holdout) vs columns of K", nh, y_holdout.len()));
        }
        ensure_finite("K_train_holdout", k_train_holdout.as_slice())?;
        ensure_finite("y_holdout", y_holdout.as_slice())?;
        let a = k_train_holdout;
        let mut g = DMatrix::<f64>::zeros(n, n);
        faer::linalg::matmul::matmul(
            as_faer_mut(&mut g),
            faer::Accum::Replace,
            as_faer(a),
            as_faer(a).transpose(),
            1.0,
            par(),
        );
        // exact symmetry (GEMM rounding may differ by triangle)
        for j in 0..n {
            for i in (j + 1)..n {
                g[(j, i)] = g[(i, j)];
            }
        }
        let b = a * y_holdout;
        let tr = g.trace();
        if tr <= 0.0 {
            return Err(Error::Numerical("Oracle: zero kernel matrix".into()));
        }
        let mut tau = 1e-12 * tr / n as f64;
        let mut last = None;
        for _ in 0..4 {
            let mut gr = g.clone();
            for i in 0..n {
                gr[(i, i)] += tau;
            }
            match Cholesky::new(&gr) {
                Ok(ch) => {
                    let beta = DVector::from_column_slice(
                        ch.solve(&DMatrix::from_column_slice(n, 1, b.as_slice()))?.as_slice(),
                    );
                    let pred = a.tr_mul(&beta);
                    let resid = &pred - y_holdout;
                    return Ok(Oracle {
                        beta,
                        holdout_mse: resid.norm_squared() / nh as f64,
                        holdout_error01: crate::data::classification_error(pred.as_slice(), y_holdout.as_slice())?,
                        ridge: tau,
                    });
                }
                Err(e) => {
                    last = Some(e);
                    tau *= 100.0;
                }
            }
        }
        Err(last.unwrap_or_else(|| Error::Numerical("Oracle: factorization failed".into())))
    }

    /// Predictions f(z_m) = Σ_i β_i K(x_i, z_m) from a train × test kernel matrix (n × M).
    pub fn predict(&self, k_train_test: &DMatrix<f64>) -> Result<DVector<f64>> {
        super::ridge_path::predict(k_train_test, &self.beta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_function_in_the_span() {
        // y_h = Aᵀβ0 exactly → β = β0, zero error
        let a =
            DMatrix::from_fn(5, 40, |i, m| ((i * 3 + m * 7) % 11) as f64 / 11.0 + if i == m % 5 { 1.0 } else { 0.0 });
        let b0 = DVector::from_vec(vec![1.0, -2.0, 0.5, 0.0, 3.0]);
        let y = a.tr_mul(&b0);
        let o = Oracle::fit(&a, &y).unwrap();
        assert!((&o.beta - &b0).amax() < 1e-6, "{}", o.beta);
        assert!(o.holdout_mse < 1e-12);
        assert!(Oracle::fit(&a, &DVector::zeros(3)).is_err());
    }

    /// With a target outside the span the reported held-out numbers are those of the fitted β: the mean squared
    /// residual (1/n_h)‖Aᵀβ − y‖² recomputed here, and the 0-1 error of its sign; and β is the least-squares solution
    /// (the residual is orthogonal to the span: A(Aᵀβ − y) ≈ 0 up to the small ridge).
    #[test]
    fn reported_holdout_numbers_are_those_of_beta() {
        let a = DMatrix::from_fn(4, 30, |i, m| (((i + 1) * (m + 2)) as f64 * 0.37).sin());
        let y = DVector::from_fn(30, |m, _| if m % 3 == 0 { 1.0 } else { -1.0 });
        let o = Oracle::fit(&a, &y).unwrap();
        let pred = a.tr_mul(&o.beta);
        let mse = (&pred - &y).norm_squared() / 30.0;
        assert!((o.holdout_mse - mse).abs() < 1e-12 * mse.max(1.0), "{} vs {mse}", o.holdout_mse);
        assert!(mse > 0.1, "the target is not in a 4-dimensional span");
        let e01 = crate::data::classification_error(pred.as_slice(), y.as_slice()).unwrap();
        assert_eq!(o.holdout_error01, e01);
        assert!((&a * (&pred - &y)).amax() < 1e-6, "normal equations");
    }
}

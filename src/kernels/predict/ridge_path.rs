//! Kernel ridge regression for a whole path of ridge values from one eigendecomposition, with closed-form
//! leave-one-out residuals, and the ridgeless (minimum-norm interpolating) limit.
//!
//! With K = QΛQᵀ (symmetric, n × n) and labels y, for a ridge ρ > −λ_min:
//!
//! - coefficients α_ρ = (K + ρI)^{−1} y = Q (Λ + ρ)^{−1} Qᵀy, predictor f(x) = Σ_i α_i K(x_i, x);
//! - fitted values ŷ = Kα_ρ = H_ρ y with the hat matrix H_ρ = Q Λ(Λ + ρ)^{−1} Qᵀ, whose diagonal
//!   H_ii = Σ_j Q_ij² λ_j/(λ_j + ρ) costs O(n²) per ridge;
//! - leave-one-out residuals (the exact identity for linear smoothers of this form)
//!   e_i^{LOO} = (y_i − ŷ_i)/(1 − H_ii);
//! - ridgeless α₀ = K⁺y = Q Λ⁺ Qᵀy, where Λ⁺ inverts only λ_j > rcond·max_j |λ_j|.
//!
//! A path of R ridges is three GEMMs (n × n by n × R), not R solves.

use crate::error::{Error, Result, ensure_finite};
use crate::linalg::eigen::{EigOptions, Eigen, eig_in_place, sym_eigen};
use crate::linalg::{as_faer, as_faer_mut, par};
use nalgebra::{DMatrix, DVector};

/// One point of the ridge path.
#[derive(Clone, Debug)]
pub struct RidgeFit {
    /// The ridge ρ.
    pub rho: f64,
    /// α_ρ = (K + ρI)^{−1}y.
    pub alpha: DVector<f64>,
    /// Fitted values ŷ = Kα_ρ.
    pub fitted: DVector<f64>,
    /// Training mean squared error mean_i (y_i − ŷ_i)².
    pub train_mse: f64,
    /// Leave-one-out residuals (y_i − ŷ_i)/(1 − H_ii).
    pub loo_residuals: DVector<f64>,
    /// Leave-one-out mean squared error.
    pub loo_mse: f64,
    /// Leave-one-out 0-1 error for ±1 labels: fraction of i with sign(y_i − e_i^{LOO}) ≠ y_i (the left-out prediction is
    /// y_i − e_i^{LOO}).
    pub loo_error01: f64,
}

/// Columns of Q squared at a time when accumulating the hat-matrix diagonal (memory n × HAT_BLOCK).
const HAT_BLOCK: usize = 256;

/// The ridge path: one eigendecomposition of K and the projected labels Qᵀy.
#[derive(Clone, Debug)]
pub struct RidgePath {
    eigen: Eigen,
    y: DVector<f64>,
    qty: DVector<f64>,
    trace: f64,
}

impl RidgePath {
    /// Decomposes K (symmetric n × n) and prepares the path for labels y (length n).
    ///
    /// Errors: invalid K (see `sym_eigen`), len(y) ≠ n, non-finite y.
    pub fn new(k: &DMatrix<f64>, y: &DVector<f64>) -> Result<RidgePath> {
        let eigen = sym_eigen(k)?;
        Self::from_eigen(eigen, y)
    }

    /// [`RidgePath::new`] consuming K: the eigendecomposition runs in K's own memory (no n × n copy of K), for callers
    /// that do not need K afterwards (the path itself keeps only the eigenpairs and y).
    ///
    /// Errors: as [`RidgePath::new`]; y is checked before K is decomposed.
    pub fn from_matrix(k: DMatrix<f64>, y: &DVector<f64>) -> Result<RidgePath> {
        if y.len() != k.nrows() {
            return Err(Error::shape("RidgePath: len(y) vs n", k.nrows(), y.len()));
        }
        ensure_finite("y", y.as_slice())?;
        let eigen = eig_in_place(k, EigOptions::default())?;
        Self::from_eigen(eigen, y)
    }

    /// Builds the path from an existing eigendecomposition of K (values + all n eigenvectors).
    pub fn from_eigen(eigen: Eigen, y: &DVector<f64>) -> Result<RidgePath> {
        let n = eigen.values.len();
        if eigen.vectors.shape() != (n, n) {
            return Err(Error::shape(
                "RidgePath: eigenvectors",
                format!("{n}×{n}"),
                format!("{:?}", eigen.vectors.shape()),
            ));
        }
        if y.len() != n {
            return Err(Error::shape("RidgePath: len(y) vs n", n, y.len()));
        }
        ensure_finite("y", y.as_slice())?;
        let qty = eigen.vectors.tr_mul(y);
        let trace = eigen.values.sum();
        Ok(RidgePath { eigen, y: y.clone(), qty, trace })
    }

    /// The eigendecomposition the path uses.
    pub fn eigen(&self) -> &Eigen {
        &self.eigen
    }

    /// Number of training points n.
    pub fn n(&self) -> usize {
        self.y.len()
    }

    /// The relative ridge c · tr(K)/n (scale-free: it follows the kernel's size).
    pub fn relative_ridge(&self, c: f64) -> f64 {
        c * self.trace / self.n() as f64
    }

    fn check_rho(&self, rho: f64) -> Result<()> {
        let lmin = self.eigen.values.min();
        if !(rho.is_finite() && rho > 0.0 && lmin + rho > 0.0) {
            return Err(Error::param("rho", rho, &format!("must be finite, > 0 and > −λ_min = {:.3e}", -lmin)));
        }
        Ok(())
    }

    /// The whole path: one [`RidgeFit`] per ridge, in the order given.
    ///
    /// Errors: an empty list, or a ridge that is not finite, positive and > −λ_min.
    pub fn path(&self, rhos: &[f64]) -> Result<Vec<RidgeFit>> {
        if rhos.is_empty() {
            return Err(Error::Empty("ridge path: no ridge values".into()));
        }
        for &r in rhos {
            self.check_rho(r)?;
        }
        let n = self.n();
        let m = rhos.len();
        let lam = &self.eigen.values;
        // U_jr = qty_j/(λ_j + ρ_r)  → α = Q U;  W_jr = λ_j/(λ_j + ρ_r) → H diag = Q² W, fitted = Q (qty ∘ W)
        let u = DMatrix::from_fn(n, m, |j, r| self.qty[j] / (lam[j] + rhos[r]));
        let w = DMatrix::from_fn(n, m, |j, r| lam[j] / (lam[j] + rhos[r]));
        let fw = DMatrix::from_fn(n, m, |j, r| self.qty[j] * w[(j, r)]);
        let gemm = |a: &DMatrix<f64>, b: &DMatrix<f64>| {
            let mut c = DMatrix::<f64>::zeros(a.nrows(), b.ncols());
            faer::linalg::matmul::matmul(as_faer_mut(&mut c), faer::Accum::Replace, as_faer(a), as_faer(b), 1.0, par());
            c
        };
        let alpha = gemm(&self.eigen.vectors, &u);
        let fitted = gemm(&self.eigen.vectors, &fw);
        // H diag = (Q ∘ Q) W, accumulated over column blocks of Q so that no second n × n matrix is ever held
        let mut hdiag = DMatrix::<f64>::zeros(n, m);
        for j0 in (0..n).step_by(HAT_BLOCK) {
            let cols = HAT_BLOCK.min(n - j0);
            let sq = self.eigen.vectors.columns(j0, cols).map(|v| v * v);
            let wb = w.rows(j0, cols).into_owned();
            faer::linalg::matmul::matmul(
                as_faer_mut(&mut hdiag),
                faer::Accum::Add,
                as_faer(&sq),
                as_faer(&wb),
                1.0,
                par(),
            );
        }
        let mut out = Vec::with_capacity(m);
        for (r, &rho) in rhos.iter().enumerate() {
            let f = fitted.column(r).into_owned();
            let resid = &self.y - &f;
            let loo = DVector::from_fn(n, |i, _| resid[i] / (1.0 - hdiag[(i, r)]));
            // The 0-1 policy of `data::error_rate` (a zero margin is an error); a non-finite LOO residual (H_ii = 1
            // at a vanishing ridge) counts as an error here instead of failing the whole path.
            let wrong = (0..n).filter(|&i| !((self.y[i] - loo[i]) * self.y[i] > 0.0)).count();
            out.push(RidgeFit {
                rho,
                alpha: alpha.column(r).into_owned(),
                train_mse: resid.norm_squared() / n as f64,
                loo_mse: loo.norm_squared() / n as f64,
                loo_error01: wrong as f64 / n as f64,
                fitted: f,
                loo_residuals: loo,
            });
        }
        Ok(out)
    }

    /// The fit at one ridge.
    pub fn fit(&self, rho: f64) -> Result<RidgeFit> {
        let mut v = self.path(&[rho])?;
        v.pop().ok_or_else(|| Error::Numerical("empty ridge path".into()))
    }

    /// Ridgeless (minimum-norm interpolating) coefficients α₀ = Q Λ⁺ Qᵀy, inverting only the eigenvalues
    /// λ_j > rcond · max_j |λ_j| (a typical choice: rcond = n·ε).
    ///
    /// Errors: rcond not in (0, 1); a zero matrix.
    pub fn ridgeless(&self, rcond: f64) -> Result<DVector<f64>> {
        if !(rcond.is_finite() && rcond > 0.0 && rcond < 1.0) {
            return Err(Error::param("rcond", rcond, "must be in (0, 1)"));
        }
        let lam = &self.eigen.values;
        let top = lam.amax();
        if top == 0.0 {
            return Err(Error::Numerical("ridgeless fit of a zero kernel matrix".into()));
        }
        let cut = rcond * top;
        let coef = DVector::from_fn(lam.len(), |j, _| if lam[j] > cut { self.qty[j] / lam[j] } else { 0.0 });
        Ok(&self.eigen.vectors * coef)
    }
}

/// Predictions f(z_m) = Σ_i α_i K(x_i, z_m) from the train × test kernel matrix (n × M, e.g. `kernels::cross(kind,
/// x_train, x_test)`).
pub fn predict(k_train_test: &DMatrix<f64>, alpha: &DVector<f64>) -> Result<DVector<f64>> {
    if k_train_test.nrows() != alpha.len() {
        return Err(Error::shape("predict: rows of K_train_test vs len(alpha)", alpha.len(), k_train_test.nrows()));
    }
    Ok(k_train_test.tr_mul(alpha))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::{Kind, gram};

    fn problem(n: usize) -> (DMatrix<f64>, DMatrix<f64>, DVector<f64>) {
        let x =
            DMatrix::from_fn(n, 5, |i, j| (((i * 29 + j * 7) % 19) as f64 - 9.0) / 5.0 + 0.03 * ((i * j) as f64).sin());
        let y = DVector::from_fn(n, |i, _| if (x[(i, 0)] * x[(i, 1)]) > 0.0 { 1.0 } else { -1.0 });
        (gram(Kind::Ntk, &x).unwrap(), x, y)
    }

    #[test]
    fn ridge_at_minus_lambda_min_is_refused() {
        // K = diag(−½, 1) is indefinite: K + ρI is singular at ρ = −λ_min exactly, so that ρ must be refused, and a
        // ρ just above it accepted
        let k = DMatrix::from_diagonal(&DVector::from_vec(vec![-0.5, 1.0]));
        let y = DVector::from_vec(vec![1.0, -1.0]);
        let path = RidgePath::new(&k, &y).unwrap();
        let rho = -path.eigen.values.min();
        assert!(rho > 0.0);
        assert!(path.fit(rho).is_err(), "K + ρI is singular at ρ = −λ_min");
        assert!(path.fit(rho * (1.0 + 1e-9)).is_ok());
    }

    #[test]
    fn path_matches_direct_solves() {
        let (k, _, y) = problem(60);
        let p = RidgePath::new(&k, &y).unwrap();
        let rhos = [1e-3, 0.1, 10.0];
        for fit in p.path(&rhos).unwrap() {
            let a = (k.clone() + DMatrix::identity(60, 60) * fit.rho).lu().solve(&y).unwrap();
            assert!((&fit.alpha - &a).amax() <= 1e-9 * a.amax(), "rho {}", fit.rho);
            assert!((&fit.fitted - &k * &a).amax() <= 1e-9 * y.amax());
        }
    }

    #[test]
    fn loo_matches_brute_force_refits() {
        let (k, _, y) = problem(30);
        let p = RidgePath::new(&k, &y).unwrap();
        let rho = 0.05;
        let fit = p.fit(rho).unwrap();
        for i in 0..30 {
            let keep: Vec<usize> = (0..30).filter(|&j| j != i).collect();
            let kk = k.select_rows(&keep).select_columns(&keep) + DMatrix::identity(29, 29) * rho;
            let yy = y.select_rows(&keep);
            let a = kk.lu().solve(&yy).unwrap();
            let pred: f64 = keep.iter().zip(a.iter()).map(|(&j, aj)| k[(i, j)] * aj).sum();
            assert!((y[i] - pred - fit.loo_residuals[i]).abs() < 1e-8, "i = {i}");
        }
    }

    #[test]
    fn ridgeless_interpolates_and_bad_rho() {
        let (k, _, y) = problem(40);
        let p = RidgePath::new(&k, &y).unwrap();
        let a = p.ridgeless(1e-13).unwrap();
        assert!((&k * &a - &y).amax() < 1e-6);
        assert!(p.fit(0.0).is_err());
        assert!(p.fit(f64::NAN).is_err());
        assert!(p.path(&[]).is_err());
        assert!(RidgePath::new(&k, &DVector::zeros(3)).is_err());
        assert!(RidgePath::from_matrix(k.clone(), &DVector::zeros(3)).is_err());
        assert!(RidgePath::from_matrix(k.clone(), &DVector::from_element(40, f64::NAN)).is_err());
    }

    #[test]
    fn consuming_constructor_matches_borrowing() {
        let (k, _, y) = problem(50);
        let a = RidgePath::new(&k, &y).unwrap();
        let b = RidgePath::from_matrix(k.clone(), &y).unwrap();
        assert_eq!(a.eigen().values, b.eigen().values);
        let (fa, fb) = (a.fit(0.1).unwrap(), b.fit(0.1).unwrap());
        assert_eq!(fa.alpha, fb.alpha);
        assert_eq!(fa.loo_residuals, fb.loo_residuals);
    }
}

//! Two-layer ReLU networks f(Θ; x) = Σ_{j=1}^m w_j relu(u_jᵀx), 2-homogeneous in Θ = (U, w).
//!
//! A bias is a constant coordinate appended to x ([`crate::data::Dataset::with_bias`]); it is then part of u_j and
//! regularized, so the net stays homogeneous. Parameter layout: U row-major (m·d values), then w (m values).

use super::model::{Model, check_cotangent, check_input, check_params};
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};
use rand::Rng;
use rand_distr::StandardNormal;

/// A width-m two-layer ReLU network.
#[derive(Debug, Clone, PartialEq)]
pub struct TwoLayer {
    /// m × d first layer, row j = u_j.
    pub u: DMatrix<f64>,
    /// m output weights w_j.
    pub w: DVector<f64>,
}

impl TwoLayer {
    /// A network from its layers; shapes and finiteness are validated.
    pub fn new(u: DMatrix<f64>, w: DVector<f64>) -> Result<Self> {
        if u.nrows() == 0 || u.ncols() == 0 {
            return Err(Error::Empty(format!(
                "two-layer net of width {} on inputs of dimension {}",
                u.nrows(),
                u.ncols()
            )));
        }
        if w.len() != u.nrows() {
            return Err(Error::shape("output weights w", u.nrows(), w.len()));
        }
        crate::error::ensure_finite("first layer U", u.as_slice())?;
        crate::error::ensure_finite("output weights w", w.as_slice())?;
        Ok(TwoLayer { u, w })
    }

    /// Width m, input dimension d, entries i.i.d. N(0, scale²).
    pub fn gaussian<R: Rng + ?Sized>(m: usize, d: usize, scale: f64, rng: &mut R) -> Result<Self> {
        crate::error::ensure_positive("initialization scale", scale)?;
        let u = DMatrix::from_fn(m, d, |_, _| scale * rng.sample::<f64, _>(StandardNormal));
        let w = DVector::from_fn(m, |_, _| scale * rng.sample::<f64, _>(StandardNormal));
        Self::new(u, w)
    }

    /// Width m.
    pub fn width(&self) -> usize {
        self.w.len()
    }

    /// f(Θ; x_i) for every row x_i of `x`.
    pub fn eval(&self, x: &DMatrix<f64>) -> Result<DVector<f64>> {
        check_input(x, self.u.ncols())?;
        let mut f = DVector::zeros(x.nrows());
        let mut pre = vec![0.0; x.nrows()];
        for j in 0..self.width() {
            if self.w[j] == 0.0 {
                continue;
            }
            self.pre_activation(x, j, &mut pre);
            let wj = self.w[j];
            for (fi, &z) in f.as_mut_slice().iter_mut().zip(&pre) {
                *fi += wj * relu(z);
            }
        }
        Ok(f)
    }

    /// `out[i] = u_jᵀx_i` for every row x_i (column-wise accumulation over the contiguous columns of `x`).
    fn pre_activation(&self, x: &DMatrix<f64>, j: usize, out: &mut [f64]) {
        let n = out.len();
        out.fill(0.0);
        for (k, col) in x.as_slice().chunks_exact(n).enumerate() {
            let ujk = self.u[(j, k)];
            if ujk == 0.0 {
                continue;
            }
            for (o, &v) in out.iter_mut().zip(col) {
                *o += ujk * v;
            }
        }
    }

    /// The balanced form: (w_j, u_j) → (s_j w_j, u_j/s_j) with s_j² = ‖u_j‖/|w_j| so that |w_j| = ‖u_j‖.
    /// f is unchanged (relu is 1-homogeneous) and ‖Θ‖² becomes 2Σ_j |w_j|‖u_j‖, its minimum over such rescalings.
    /// Neurons with w_j = 0 or u_j = 0 contribute nothing and are set to zero entirely.
    pub fn balanced(&self) -> TwoLayer {
        let mut out = self.clone();
        for j in 0..self.width() {
            let un = self.u.row(j).norm();
            let wn = self.w[j].abs();
            if un == 0.0 || wn == 0.0 {
                out.u.row_mut(j).fill(0.0);
                out.w[j] = 0.0;
            } else {
                let s = (un / wn).sqrt();
                out.w[j] = self.w[j] * s;
                out.u.row_mut(j).scale_mut(1.0 / s);
            }
        }
        out
    }

    /// The balanced net of the lifted combination f(x) = Σ_j α_j relu(ū_jᵀx) over unit directions ū_j (rows of
    /// `dirs`): w_j = sign(α_j)√|α_j|, u_j = √|α_j| ū_j, so ‖Θ‖² = 2‖α‖₁.
    pub fn from_lifted(dirs: &DMatrix<f64>, alpha: &[f64]) -> Result<Self> {
        if dirs.nrows() != alpha.len() {
            return Err(Error::shape("lifted weights α", dirs.nrows(), alpha.len()));
        }
        crate::error::ensure_finite("lifted weights α", alpha)?;
        let mut u = dirs.clone();
        let mut w = DVector::zeros(alpha.len());
        for (j, &a) in alpha.iter().enumerate() {
            let norm = dirs.row(j).norm();
            if !(norm > 0.0) || !norm.is_finite() {
                return Err(Error::param(
                    "direction",
                    format!("row {j} with norm {norm}"),
                    "directions must be nonzero and finite",
                ));
            }
            let r = a.abs().sqrt();
            u.row_mut(j).scale_mut(r / norm);
            w[j] = a.signum() * r;
        }
        Self::new(u, w)
    }

    /// The lifted form: unit directions ū_j = u_j/‖u_j‖ and weights α_j = w_j‖u_j‖ (neurons with u_j = 0 get the
    /// direction e₁ and α_j = 0), so f(x) = Σ_j α_j relu(ū_jᵀx).
    pub fn to_lifted(&self) -> (DMatrix<f64>, DVector<f64>) {
        let mut dirs = self.u.clone();
        let mut alpha = DVector::zeros(self.width());
        for j in 0..self.width() {
            let n = self.u.row(j).norm();
            if n > 0.0 {
                dirs.row_mut(j).scale_mut(1.0 / n);
                alpha[j] = self.w[j] * n;
            } else {
                dirs.row_mut(j).fill(0.0);
                dirs[(j, 0)] = 1.0;
            }
        }
        (dirs, alpha)
    }
}

/// Σ_i a_i b_i over the common length, with four partial sums (so the loop vectorizes).
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for t in 0..4 {
            acc[t] += x[t] * y[t];
        }
    }
    let tail: f64 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// relu(z) = max(z, 0).
pub fn relu(z: f64) -> f64 {
    z.max(0.0)
}

impl Model for TwoLayer {
    fn degree(&self) -> f64 {
        2.0
    }

    fn outputs(&self) -> usize {
        1
    }

    fn input_dim(&self) -> usize {
        self.u.ncols()
    }

    fn params(&self) -> DVector<f64> {
        let (m, d) = self.u.shape();
        DVector::from_fn(m * d + m, |k, _| if k < m * d { self.u[(k / d, k % d)] } else { self.w[k - m * d] })
    }

    fn set_params(&mut self, p: &[f64]) -> Result<()> {
        let (m, d) = self.u.shape();
        check_params(p, m * d + m)?;
        for j in 0..m {
            for k in 0..d {
                self.u[(j, k)] = p[j * d + k];
            }
            self.w[j] = p[m * d + j];
        }
        Ok(())
    }

    fn forward(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        let f = self.eval(x)?;
        Ok(DMatrix::from_column_slice(f.len(), 1, f.as_slice()))
    }

    /// ∂/∂w_j = Σ_i g_i relu(u_jᵀx_i); ∂/∂u_j = Σ_i g_i w_j 1{u_jᵀx_i > 0} x_i.
    fn vjp(&self, x: &DMatrix<f64>, g: &DMatrix<f64>) -> Result<DVector<f64>> {
        check_input(x, self.u.ncols())?;
        check_cotangent(g, x.nrows(), 1)?;
        let (m, d) = self.u.shape();
        let n = x.nrows();
        let gcol = &g.as_slice()[..n];
        let mut out = DVector::zeros(m * d + m);
        let mut pre = vec![0.0; n];
        // back_i = g_i 1{u_jᵀx_i > 0}; ∂/∂u_j = w_j Σ_i back_i x_i
        let mut back = vec![0.0; n];
        for j in 0..m {
            self.pre_activation(x, j, &mut pre);
            for ((b, &z), &gi) in back.iter_mut().zip(&pre).zip(gcol) {
                *b = if z > 0.0 { gi } else { 0.0 };
            }
            // Σ_i g_i relu(z_i) = Σ_i back_i z_i
            out[m * d + j] = dot(&back, &pre);
            let wj = self.w[j];
            if wj != 0.0 {
                for (k, col) in x.as_slice().chunks_exact(n).enumerate() {
                    out[j * d + k] = wj * dot(&back, col);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn balanced_keeps_f_and_minimizes_the_norm() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let net = TwoLayer::gaussian(5, 3, 1.0, &mut rng).unwrap();
        let x = DMatrix::from_fn(10, 3, |_, _| rng.sample::<f64, _>(StandardNormal));
        let b = net.balanced();
        assert!((net.eval(&x).unwrap() - b.eval(&x).unwrap()).amax() < 1e-12);
        let target: f64 = (0..5).map(|j| 2.0 * net.w[j].abs() * net.u.row(j).norm()).sum();
        assert!((b.param_norm().powi(2) - target).abs() < 1e-12 * target);
        assert!(b.param_norm() <= net.param_norm() + 1e-12);
    }

    #[test]
    fn loops_match_the_matrix_formulas() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut net = TwoLayer::gaussian(7, 4, 1.0, &mut rng).unwrap();
        net.w[2] = 0.0;
        net.u[(3, 1)] = 0.0;
        let x = DMatrix::from_fn(13, 4, |_, _| rng.sample::<f64, _>(StandardNormal));
        let pre = &x * net.u.transpose();
        let f_ref = pre.map(relu) * &net.w;
        assert!((net.eval(&x).unwrap() - &f_ref).amax() < 1e-12);
        let g = DMatrix::from_fn(13, 1, |i, _| (i as f64 - 6.0) / 3.0);
        let gw = pre.map(relu).transpose() * g.column(0);
        let back = DMatrix::from_fn(13, 7, |i, j| if pre[(i, j)] > 0.0 { g[(i, 0)] * net.w[j] } else { 0.0 });
        let gu = back.transpose() * &x;
        let v = net.vjp(&x, &g).unwrap();
        for j in 0..7 {
            for k in 0..4 {
                assert!((v[j * 4 + k] - gu[(j, k)]).abs() < 1e-12);
            }
            assert!((v[28 + j] - gw[j]).abs() < 1e-12);
        }
    }

    #[test]
    fn lifted_round_trip_and_norm_identity() {
        let dirs = DMatrix::from_row_slice(2, 2, &[0.6, 0.8, -1.0, 0.0]);
        let net = TwoLayer::from_lifted(&dirs, &[0.5, -2.0]).unwrap();
        assert!((net.param_norm().powi(2) - 2.0 * 2.5).abs() < 1e-12);
        let (d2, a2) = net.to_lifted();
        assert!((d2 - dirs).amax() < 1e-12);
        assert!((a2 - DVector::from_row_slice(&[0.5, -2.0])).amax() < 1e-12);
        assert!(TwoLayer::from_lifted(&DMatrix::zeros(1, 2), &[1.0]).is_err());
    }

    #[test]
    fn bad_shapes_are_errors() {
        assert!(TwoLayer::new(DMatrix::zeros(2, 3), DVector::zeros(3)).is_err());
        let net = TwoLayer::new(DMatrix::zeros(2, 3), DVector::zeros(2)).unwrap();
        assert!(matches!(net.eval(&DMatrix::zeros(4, 2)), Err(Error::ShapeMismatch { .. })));
        let mut net2 = net.clone();
        assert!(net2.set_params(&[f64::NAN; 8]).is_err());
        assert!(net2.set_params(&[0.0; 7]).is_err());
    }
}

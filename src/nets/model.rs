//! The [`Model`] trait: a positively homogeneous prediction family f(Θ; x) with a flat parameter vector Θ.

use crate::Result;
use nalgebra::{DMatrix, DVector};

/// A prediction family f(Θ; x) ∈ ℝ^outputs that is a-positive-homogeneous in Θ: f(cΘ; x) = c^a f(Θ; x), c > 0.
pub trait Model: Clone + Send + Sync {
    /// The homogeneity degree a (2 for two-layer nets, K for depth-K bias-free nets).
    fn degree(&self) -> f64;
    /// Number of outputs (1 for binary, l for l classes).
    fn outputs(&self) -> usize;
    /// Input dimension d.
    fn input_dim(&self) -> usize;
    /// The parameters Θ flattened into one vector.
    fn params(&self) -> DVector<f64>;
    /// Replaces Θ by `p` (same layout as [`Model::params`]); a length mismatch or a non-finite value is an error.
    fn set_params(&mut self, p: &[f64]) -> Result<()>;
    /// f(Θ; x_i) for every row x_i of `x`: an n × outputs matrix.
    fn forward(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>>;
    /// The vector–Jacobian product ∇_Θ Σ_{i,k} g_ik f_k(Θ; x_i) for an n × outputs matrix `g`.
    fn vjp(&self, x: &DMatrix<f64>, g: &DMatrix<f64>) -> Result<DVector<f64>>;

    /// ‖Θ‖₂.
    fn param_norm(&self) -> f64 {
        self.params().norm()
    }

    /// The model with parameters cΘ.
    fn scaled(&self, c: f64) -> Result<Self> {
        let mut out = self.clone();
        out.set_params((self.params() * c).as_slice())?;
        Ok(out)
    }
}

/// Checks `p` against the expected parameter count and finiteness.
pub(crate) fn check_params(p: &[f64], expected: usize) -> Result<()> {
    if p.len() != expected {
        return Err(crate::Error::shape("parameter vector", expected, p.len()));
    }
    crate::error::ensure_finite("network parameters", p)
}

/// Checks that `x` has `d` columns and at least one row.
pub(crate) fn check_input(x: &DMatrix<f64>, d: usize) -> Result<()> {
    if x.nrows() == 0 {
        return Err(crate::Error::Empty("network input with no points".into()));
    }
    if x.ncols() != d {
        return Err(crate::Error::shape("network input", format!("{d} columns"), x.ncols()));
    }
    Ok(())
}

/// Checks that the output cotangent `g` is n × outputs.
pub(crate) fn check_cotangent(g: &DMatrix<f64>, n: usize, outputs: usize) -> Result<()> {
    if g.nrows() != n || g.ncols() != outputs {
        return Err(crate::Error::shape(
            "output cotangent",
            format!("{n}×{outputs}"),
            format!("{}×{}", g.nrows(), g.ncols()),
        ));
    }
    Ok(())
}

//! Closed-form kernels, kernel predictors and kernel spectra.
//!
//! | kernel ([`Kind`]) | K(x, z), θ = angle(x, z), c = xᵀz | file |
//! |---|---|---|
//! | `step` | k₀ = (π − θ)/(2π) = E_u[1{uᵀx>0}1{uᵀz>0}] | [`arccos`] |
//! | `relu` | k₁ = ‖x‖‖z‖(sin θ + (π − θ) cos θ)/(2π) = E_u[relu(uᵀx)relu(uᵀz)] | [`arccos`] |
//! | `ntk` | Θ = k₁ + c·k₀ (two-layer ReLU NTK, both layers trained) | [`ntk`] |
//! | `relu-sphere` | k₁/d = E_{ū∈S^{d−1}}[relu(ūᵀx)relu(ūᵀz)] | [`arccos`] |
//!
//! u ~ N(0, I_d); a kernel with a zero-norm argument is 0. [`gram`] and [`cross`] assemble matrices through
//! [`crate::linalg::gram`] (GEMM + elementwise map, one triangle, exact diagonal). [`predict`] holds the kernel
//! predictors (ridge path with leave-one-out, ridgeless, hard-margin SVM with a certified margin bracket, best-in-span
//! oracle), [`spectrum`] the population eigenvalues on the hypercube by Walsh degree.

pub mod arccos;
pub mod atan2;
mod margin_ceiling;
pub mod ntk;
pub mod predict;
pub mod spectrum;

pub use margin_ceiling::margin_ceiling;

use crate::error::{Error, Result};
use crate::linalg::gram::{cross_map, gram_map};
use nalgebra::DMatrix;

/// The closed-form kernels of the paper.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    /// Degree-0 arc-cosine kernel k₀ = (π − θ)/(2π).
    Step,
    /// Degree-1 arc-cosine kernel k₁ = ‖x‖‖z‖(sin θ + (π − θ) cos θ)/(2π).
    Relu,
    /// Two-layer ReLU neural tangent kernel k₁ + (xᵀz)k₀.
    Ntk,
    /// ReLU kernel over the unit sphere k₁/d (ℓ2-SVM over ReLU features, earlier version eq. 3.8).
    ReluSphere,
}

impl Kind {
    /// All kinds, in a fixed order.
    pub const ALL: [Kind; 4] = [Kind::Step, Kind::Relu, Kind::Ntk, Kind::ReluSphere];

    /// The command-line name: `step`, `relu`, `ntk`, `relu-sphere`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Step => "step",
            Kind::Relu => "relu",
            Kind::Ntk => "ntk",
            Kind::ReluSphere => "relu-sphere",
        }
    }

    /// K(x, z) from c = xᵀz, a = ‖x‖², b = ‖z‖² and the input dimension d (used by `relu-sphere` only).
    #[inline]
    pub fn eval(self, c: f64, a: f64, b: f64, d: usize) -> f64 {
        match self {
            Kind::Step => arccos::step(c, a, b),
            Kind::Relu => arccos::relu(c, a, b),
            Kind::Ntk => ntk::ntk(c, a, b),
            Kind::ReluSphere => arccos::relu_sphere(c, a, b, d),
        }
    }

    /// K(x, x) from a = ‖x‖² in closed form (θ = 0 exactly).
    #[inline]
    pub fn diag(self, a: f64, d: usize) -> f64 {
        match self {
            Kind::Step => arccos::step_diag(a),
            Kind::Relu => arccos::relu_diag(a),
            Kind::Ntk => ntk::ntk_diag(a),
            Kind::ReluSphere => arccos::relu_sphere_diag(a, d),
        }
    }

    /// K(x, z) for two vectors of the same length (Error::ShapeMismatch otherwise, Error::Empty for length 0).
    pub fn value(self, x: &[f64], z: &[f64]) -> Result<f64> {
        if x.len() != z.len() {
            return Err(Error::shape("Kind::value: vector lengths", x.len(), z.len()));
        }
        if x.is_empty() {
            return Err(Error::Empty("Kind::value: zero-length vectors".into()));
        }
        let dot = |u: &[f64], v: &[f64]| u.iter().zip(v).map(|(p, q)| p * q).sum::<f64>();
        Ok(self.eval(dot(x, z), dot(x, x), dot(z, z), x.len()))
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Kind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| Error::param("kernel kind", s, "one of step, relu, ntk, relu-sphere"))
    }
}

/// Symmetric Gram matrix K_ij = K(x_i, x_j) of the rows of `x` (n × d, rows are points), n × n. Lower triangle by
/// GEMM + closed form, exact diagonal, mirrored (exactly symmetric).
///
/// Errors: empty or non-finite `x`.
pub fn gram(kind: Kind, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    let d = x.ncols();
    match kind {
        Kind::Step => gram_map(x, arccos::step, arccos::step_diag),
        Kind::Relu => gram_map(x, arccos::relu, arccos::relu_diag),
        Kind::Ntk => gram_map(x, ntk::ntk, ntk::ntk_diag),
        Kind::ReluSphere => {
            gram_map(x, move |c, a, b| arccos::relu_sphere(c, a, b, d), move |a| arccos::relu_sphere_diag(a, d))
        }
    }
}

/// Cross-kernel matrix K_ij = K(x_i, z_j), n × m for `x` (n × d) and `z` (m × d), rows are points.
///
/// Errors: empty or non-finite inputs, different d.
pub fn cross(kind: Kind, x: &DMatrix<f64>, z: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    let d = x.ncols();
    match kind {
        Kind::Step => cross_map(x, z, arccos::step),
        Kind::Relu => cross_map(x, z, arccos::relu),
        Kind::Ntk => cross_map(x, z, ntk::ntk),
        Kind::ReluSphere => cross_map(x, z, move |c, a, b| arccos::relu_sphere(c, a, b, d)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in Kind::ALL {
            assert_eq!(k.name().parse::<Kind>().unwrap(), k);
        }
        assert!(matches!("rbf".parse::<Kind>(), Err(Error::InvalidParameter { .. })));
    }

    #[test]
    fn gram_matches_pairwise_values_and_cross() {
        let x = DMatrix::from_fn(40, 6, |i, j| {
            ((i * 31 + j * 17) % 13) as f64 / 6.0 - 1.0 + 0.1 * ((i * 6 + j) as f64).sin()
        });
        for kind in Kind::ALL {
            let k = gram(kind, &x).unwrap();
            let c = cross(kind, &x, &x).unwrap();
            for i in 0..40 {
                for j in 0..40 {
                    let xi: Vec<f64> = x.row(i).iter().copied().collect();
                    let xj: Vec<f64> = x.row(j).iter().copied().collect();
                    let v = if i == j { kind.diag(x.row(i).norm_squared(), 6) } else { kind.value(&xi, &xj).unwrap() };
                    assert!((k[(i, j)] - v).abs() <= 1e-12 * (1.0 + v.abs()), "{kind} {i} {j}");
                    assert!((c[(i, j)] - k[(i, j)]).abs() <= 1e-7 * (1.0 + v.abs()), "{kind} {i} {j}");
                }
            }
        }
    }
}

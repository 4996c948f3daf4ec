//! Closed-form kernels, kernel predictors and kernel spectra.
//!
//! | kernel ([`Kind`]) | K(x, z), θ = angle(x, z), c = xᵀz | file |
//! |---|---|---|
//! | `step` | k₀ = (π − θ)/(2π) = E_u[1{uᵀx>0}1{uᵀz>0}] | [`arccos`] |
//! | `relu` | k₁ = ‖x‖‖z‖(sin θ + (π − θ) cos θ)/(2π) = E_u[relu(uᵀx)relu(uᵀz)] | [`arccos`] |
//! | `ntk` | Θ = k₁ + c·k₀ (two-layer ReLU NTK, both layers trained) | [`ntk`] |
//! | `relu-sphere` | k₁/d = E_{ū∈S^{d−1}}[relu(ūᵀx)relu(ūᵀz)] | [`arccos`] |
//! | `gauss-sphere` | ‖x‖‖z‖·exp(cos θ − 1) (a generic dot-product kernel: every Walsh degree has μ_ℓ > 0) | [`gauss_sphere`] |
//!
//! u ~ N(0, I_d); a kernel with a zero-norm argument is 0. [`gram`] and [`cross`] assemble matrices through
//! [`crate::linalg::gram`] (GEMM + elementwise map, one triangle, exact diagonal), after normalizing points far from
//! unit scale by exact powers of two ([`scale`]), so K(s·x, s·z) = s^{2p} K(x, z) holds to rounding for any s that
//! keeps the result in the f64 range, and a result outside it is an error. [`Kind::eval`] itself takes c, a, b as
//! given and expects ab in range. [`predict`] holds the kernel
//! predictors (ridge path with leave-one-out, ridgeless, hard-margin SVM with a certified margin bracket, best-in-span
//! oracle), [`spectrum`] the population eigenvalues on the hypercube by Walsh degree, [`oracle_correlation`] the exact
//! best correlation of a kernel span with a Walsh character, [`random_features`] the exact least-squares floor of m
//! random ReLU features on the hypercube.

pub mod arccos;
pub mod atan2;
pub mod gauss_sphere;
mod margin_ceiling;
pub mod ntk;
pub mod oracle_correlation;
pub mod predict;
pub mod random_features;
pub mod scale;
pub mod spectrum;

pub use margin_ceiling::margin_ceiling;

use crate::error::{Error, Result};
use crate::linalg::gram::{cross_map, gram_map};
use nalgebra::DMatrix;

/// The closed-form kernels of the paper.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Degree-0 arc-cosine kernel k₀ = (π − θ)/(2π).
    Step,
    /// Degree-1 arc-cosine kernel k₁ = ‖x‖‖z‖(sin θ + (π − θ) cos θ)/(2π).
    Relu,
    /// Two-layer ReLU neural tangent kernel k₁ + (xᵀz)k₀.
    Ntk,
    /// ReLU kernel over the unit sphere k₁/d (ℓ2-SVM over ReLU features, earlier version eq. 3.8).
    ReluSphere,
    /// The Gaussian kernel on the unit sphere, 1-homogeneous: ‖x‖‖z‖·exp(cos θ − 1).
    GaussSphere,
}

impl Kind {
    /// All kinds, in a fixed order.
    pub const ALL: [Kind; 5] = [Kind::Step, Kind::Relu, Kind::Ntk, Kind::ReluSphere, Kind::GaussSphere];

    /// The command-line name: `step`, `relu`, `ntk`, `relu-sphere`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Step => "step",
            Kind::Relu => "relu",
            Kind::Ntk => "ntk",
            Kind::ReluSphere => "relu-sphere",
            Kind::GaussSphere => "gauss-sphere",
        }
    }

    /// The degree p of homogeneity in each argument: K(s·x, t·z) = (st)^p K(x, z) for s, t > 0 — 0 for `step`, 1 for
    /// `relu`, `ntk`, `relu-sphere` and `gauss-sphere`.
    pub fn degree(self) -> i32 {
        match self {
            Kind::Step => 0,
            Kind::Relu | Kind::Ntk | Kind::ReluSphere | Kind::GaussSphere => 1,
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
            Kind::GaussSphere => gauss_sphere::gauss_sphere(c, a, b),
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
            Kind::GaussSphere => gauss_sphere::gauss_sphere_diag(a),
        }
    }

    /// K(x, z) for two vectors of the same length, scale-invariant as [`gram`] (each vector normalized by an exact
    /// power of two first).
    ///
    /// Errors: [`Error::ShapeMismatch`] for different lengths, [`Error::Empty`] for length 0, [`Error::NonFinite`],
    /// [`Error::NotRepresentable`] when K(x, z) lies outside the f64 range.
    pub fn value(self, x: &[f64], z: &[f64]) -> Result<f64> {
        if x.len() != z.len() {
            return Err(Error::shape("kernel value: vector lengths", x.len(), z.len()));
        }
        if x.is_empty() {
            return Err(Error::Empty("kernel value: zero-length vectors".into()));
        }
        crate::error::ensure_finite("x", x)?;
        crate::error::ensure_finite("z", z)?;
        let (kx, kz) = (scale::exponent_of(x.iter().copied()), scale::exponent_of(z.iter().copied()));
        let xs: Vec<f64> = x.iter().map(|&v| scale::ldexp(v, -kx)).collect();
        let zs: Vec<f64> = z.iter().map(|&v| scale::ldexp(v, -kz)).collect();
        let dot = |u: &[f64], v: &[f64]| u.iter().zip(v).map(|(p, q)| p * q).sum::<f64>();
        let v = self.eval(dot(&xs, &zs), dot(&xs, &xs), dot(&zs, &zs), x.len());
        let shift = self.degree() * (kx + kz);
        if shift == 0 || v == 0.0 {
            return Ok(v);
        }
        scale::representable(self, scale::ldexp(v, shift), shift, || "K(x, z)".into())
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
            .ok_or_else(|| Error::param("kernel kind", s, "one of step, relu, ntk, relu-sphere, gauss-sphere"))
    }
}

/// Symmetric Gram matrix K_ij = K(x_i, x_j) of the rows of `x` (n × d, rows are points), n × n. Lower triangle by
/// GEMM + closed form, exact diagonal, mirrored (exactly symmetric). Scale-invariant over the floating-point range:
/// points far from unit scale are normalized by exact powers of two first ([`scale`]).
///
/// Errors: empty or non-finite `x`; an entry outside the f64 range ([`Error::NotRepresentable`]).
pub fn gram(kind: Kind, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    let (xs, ex) = scale::normalize_rows(x);
    let mut k = gram_unscaled(kind, &xs)?;
    scale::scale_back(kind, &mut k, &ex, &ex)?;
    Ok(k)
}

fn gram_unscaled(kind: Kind, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    let d = x.ncols();
    match kind {
        Kind::Step => gram_map(x, arccos::step, arccos::step_diag),
        Kind::Relu => gram_map(x, arccos::relu, arccos::relu_diag),
        Kind::Ntk => gram_map(x, ntk::ntk, ntk::ntk_diag),
        Kind::ReluSphere => {
            gram_map(x, move |c, a, b| arccos::relu_sphere(c, a, b, d), move |a| arccos::relu_sphere_diag(a, d))
        }
        Kind::GaussSphere => gram_map(x, gauss_sphere::gauss_sphere, gauss_sphere::gauss_sphere_diag),
    }
}

/// Cross-kernel matrix K_ij = K(x_i, z_j), n × m for `x` (n × d) and `z` (m × d), rows are points; scale-invariant
/// as [`gram`].
///
/// Errors: empty or non-finite inputs, different d; an entry outside the f64 range ([`Error::NotRepresentable`]).
pub fn cross(kind: Kind, x: &DMatrix<f64>, z: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    let (xs, ex) = scale::normalize_rows(x);
    let (zs, ez) = scale::normalize_rows(z);
    let mut k = cross_unscaled(kind, &xs, &zs)?;
    scale::scale_back(kind, &mut k, &ex, &ez)?;
    Ok(k)
}

fn cross_unscaled(kind: Kind, x: &DMatrix<f64>, z: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    let d = x.ncols();
    match kind {
        Kind::Step => cross_map(x, z, arccos::step),
        Kind::Relu => cross_map(x, z, arccos::relu),
        Kind::Ntk => cross_map(x, z, ntk::ntk),
        Kind::ReluSphere => cross_map(x, z, move |c, a, b| arccos::relu_sphere(c, a, b, d)),
        Kind::GaussSphere => cross_map(x, z, gauss_sphere::gauss_sphere),
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

    /// Worst relative error of gram and cross of s·X (and s·X, s·Z) against the unscaled matrices times the
    /// kernel's homogeneity factor s^(2p); `None` if a scaled result is an error.
    fn worst_scaled_error(kind: Kind, s: f64) -> Option<f64> {
        let x = DMatrix::from_fn(30, 4, |i, j| ((i * 7 + j * 5) as f64 * 0.61).sin() + 0.05 * j as f64);
        let z = DMatrix::from_fn(12, 4, |i, j| ((i * 3 + j * 11) as f64 * 0.43).cos());
        let factor = if kind.degree() == 0 { 1.0 } else { s * s };
        let (k0, c0) = (gram(kind, &x).unwrap(), cross(kind, &x, &z).unwrap());
        let (k1, c1) = (gram(kind, &(&x * s)).ok()?, cross(kind, &(&x * s), &(&z * s)).ok()?);
        let rel = |a: &DMatrix<f64>, b: &DMatrix<f64>| {
            let scale = b.amax();
            a.iter().zip(b.iter()).map(|(p, q)| (p / factor - q).abs() / scale).fold(0.0_f64, f64::max)
        };
        Some(rel(&k1, &k0).max(rel(&c1, &c0)))
    }

    #[test]
    fn scale_invariant_across_the_floating_range() {
        for kind in Kind::ALL {
            for s in [1e-150, 1e-100, 2f64.powi(-300), 1e-5, 3.0, 1e80, 2f64.powi(300), 1e150] {
                let err = worst_scaled_error(kind, s).unwrap_or(f64::INFINITY);
                eprintln!("{kind} s = {s:e}: worst relative error {err:.3e}");
                assert!(err <= 1e-14, "{kind} s = {s:e}: {err:e}");
            }
        }
    }

    #[test]
    fn results_outside_the_range_are_typed_errors() {
        let x = DMatrix::from_fn(5, 3, |i, j| ((i + 2 * j) as f64 * 0.7).sin() * 1e160);
        for kind in [Kind::Relu, Kind::Ntk, Kind::ReluSphere] {
            assert!(matches!(gram(kind, &x), Err(Error::NotRepresentable(_))), "{kind}");
            assert!(matches!(cross(kind, &x, &x), Err(Error::NotRepresentable(_))), "{kind}");
            let tiny = &x * 1e-320;
            assert!(matches!(gram(kind, &tiny), Err(Error::NotRepresentable(_))), "{kind}");
            let r: Vec<f64> = x.row(0).iter().copied().collect();
            assert!(matches!(kind.value(&r, &r), Err(Error::NotRepresentable(_))), "{kind}");
        }
        // the step kernel is scale-free: any finite scale is fine
        let k = gram(Kind::Step, &x).unwrap();
        assert!(k.iter().all(|v| v.is_finite()));
        // mixed scales: x at 1e200, z at 1e-200, K(x, z) ≈ K(x/1e200, z·1e200) is representable
        let (xm, zm) =
            (DMatrix::from_row_slice(1, 2, &[1e200, 2e200]), DMatrix::from_row_slice(1, 2, &[-3e-200, 1e-200]));
        let k = cross(Kind::Ntk, &xm, &zm).unwrap();
        let want = Kind::Ntk.value(&[1.0, 2.0], &[-3.0, 1.0]).unwrap();
        assert!((k[(0, 0)] - want).abs() <= 1e-15 * want.abs(), "{} vs {want}", k[(0, 0)]);
        let v = Kind::Ntk.value(&[1e200, 2e200], &[-3e-200, 1e-200]).unwrap();
        assert!((v - want).abs() <= 1e-15 * want.abs());
    }
}

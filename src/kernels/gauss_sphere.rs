//! The Gaussian kernel on the unit sphere, made 1-homogeneous: K(x, z) = ‖x‖‖z‖·exp(cos θ − 1) =
//! ‖x‖‖z‖·exp(−‖x̂ − ẑ‖²/2), x̂ = x/‖x‖ — a generic dot-product kernel beside the ReLU ones.
//!
//! It is positive definite (exp(cos θ) = Σ_k cos^k θ/k! is a sum of positive multiples of the PD kernels (x̂ᵀẑ)^k,
//! Schoenberg), has a random-feature form K = ‖x‖‖z‖·E_w cos(wᵀ(x̂ − ẑ)), w ~ N(0, I) (Bochner), and on the hypercube
//! every Walsh degree has μ_ℓ > 0 (all powers of cos θ appear) — unlike the ReLU kernels, whose odd degrees ≥ 3
//! vanish. Homogeneous of degree 1 like `relu` and `ntk`, so the crate's exact power-of-two scaling applies.

/// K(x, z) from c = xᵀz, a = ‖x‖², b = ‖z‖² (0 when a = 0 or b = 0); the cosine is clamped to [−1, 1].
#[inline]
pub fn gauss_sphere(c: f64, a: f64, b: f64) -> f64 {
    if a == 0.0 || b == 0.0 {
        return 0.0;
    }
    let s = (a * b).sqrt();
    s * ((c / s).clamp(-1.0, 1.0) - 1.0).exp()
}

/// K(x, x) = ‖x‖² (θ = 0).
#[inline]
pub fn gauss_sphere_diag(a: f64) -> f64 {
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_form_values() {
        // parallel: ‖x‖‖z‖; orthogonal: ‖x‖‖z‖/e; antipodal: ‖x‖‖z‖/e²; homogeneous of degree 1 in each argument
        assert!((gauss_sphere(2.0, 1.0, 4.0) - 2.0).abs() < 1e-15);
        assert!((gauss_sphere(0.0, 1.0, 4.0) - 2.0 / std::f64::consts::E).abs() < 1e-15);
        assert!((gauss_sphere(-2.0, 1.0, 4.0) - 2.0 * (-2.0f64).exp()).abs() < 1e-15);
        assert!((gauss_sphere(0.3 * 6.0, 9.0, 4.0) - 6.0 * gauss_sphere(0.3, 1.0, 1.0)).abs() < 1e-14);
        assert_eq!(gauss_sphere(1.0, 0.0, 1.0), 0.0);
        // rounding pushing |cos θ| above 1 is clamped
        assert!((gauss_sphere(1.0 + 1e-15, 1.0, 1.0) - 1.0).abs() < 1e-15);
        assert_eq!(gauss_sphere_diag(3.5), 3.5);
    }
}

//! Arc-cosine kernels of degree 0 and 1 (Cho & Saul), and the ReLU kernel over the unit sphere.
//!
//! All are functions of c = xᵀz, a = ‖x‖², b = ‖z‖² through the angle θ ∈ [0, π] between x and z, computed as
//! θ = atan2(s, c) with s = √max(ab − c², 0) = ‖x‖‖z‖ sin θ — never acos of a clamped cosine; the
//! arctangent is the branch-free [`super::atan2::atan2_upper`] (≤ 4 ulps of θ), and every kernel here is branch-free
//! (zero-norm arguments are handled by a select), so the Gram loops vectorize. A kernel with a zero-norm argument is 0.
//!
//! Conditioning: for nearly parallel inputs ab − c² cancels, so an O(ε) relative error in c (e.g. GEMM rounding) moves
//! θ by O(√ε). k₁ and the NTK are flat in θ at θ = 0 (their θ-derivative is −(π − θ)‖x‖‖z‖ sin θ/(2π) → 0) and stay
//! accurate; k₀ inherits the O(√ε) error for distinct points closer than ~1e-8 in angle. Diagonals use the closed form
//! and integer-valued data (±1) are exact.

use super::atan2::atan2_upper;
use std::f64::consts::PI;

/// The angle between x and z and the "sine part": returns (θ, s) with s = √max(ab − c², 0) = ‖x‖‖z‖ sin θ and
/// θ = atan2(s, c) ∈ [0, π], from c = xᵀz, a = ‖x‖², b = ‖z‖².
#[inline(always)]
pub fn angle(c: f64, a: f64, b: f64) -> (f64, f64) {
    let s = (a * b - c * c).max(0.0).sqrt();
    (atan2_upper(s, c), s)
}

/// Degree-0 arc-cosine (step) kernel k₀(x, z) = E_{u~N(0,I)}[1{uᵀx > 0}1{uᵀz > 0}] = (π − θ)/(2π);
/// 0 if a or b is 0.
#[inline(always)]
pub fn step(c: f64, a: f64, b: f64) -> f64 {
    let (theta, _) = angle(c, a, b);
    let v = (PI - theta) * (0.5 / PI);
    if a == 0.0 || b == 0.0 { 0.0 } else { v }
}

/// Diagonal of the step kernel: k₀(x, x) = 1/2 (0 for x = 0).
#[inline(always)]
pub fn step_diag(a: f64) -> f64 {
    if a == 0.0 { 0.0 } else { 0.5 }
}

/// Degree-1 arc-cosine (ReLU) kernel k₁(x, z) = E_{u~N(0,I)}[relu(uᵀx) relu(uᵀz)]
/// = ‖x‖‖z‖(sin θ + (π − θ) cos θ)/(2π) = (s + (π − θ) c)/(2π).
#[inline(always)]
pub fn relu(c: f64, a: f64, b: f64) -> f64 {
    let (theta, s) = angle(c, a, b);
    let v = (s + (PI - theta) * c) * (0.5 / PI);
    if a == 0.0 || b == 0.0 { 0.0 } else { v }
}

/// Diagonal of the ReLU kernel: k₁(x, x) = ‖x‖²/2.
#[inline(always)]
pub fn relu_diag(a: f64) -> f64 {
    0.5 * a
}

/// ReLU kernel over the unit sphere: E_{ū~Unif(S^{d−1})}[relu(ūᵀx) relu(ūᵀz)] = k₁(x, z)/d (because u = rū with
/// E r² = d independent of ū).
#[inline(always)]
pub fn relu_sphere(c: f64, a: f64, b: f64, d: usize) -> f64 {
    relu(c, a, b) / d as f64
}

/// Diagonal of the sphere ReLU kernel: ‖x‖²/(2d).
#[inline(always)]
pub fn relu_sphere_diag(a: f64, d: usize) -> f64 {
    relu_diag(a) / d as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_angles() {
        // orthogonal unit vectors: θ = π/2
        assert!((step(0.0, 1.0, 1.0) - 0.25).abs() < 1e-15);
        assert!((relu(0.0, 1.0, 1.0) - 1.0 / (2.0 * PI)).abs() < 1e-15);
        // antipodal: θ = π
        assert_eq!(step(-2.0, 2.0, 2.0), 0.0);
        assert!(relu(-2.0, 2.0, 2.0).abs() < 1e-15);
        // parallel: θ = 0 gives the diagonal formulas
        assert!((step(3.0, 3.0, 3.0) - step_diag(3.0)).abs() < 1e-15);
        assert!((relu(3.0, 3.0, 3.0) - relu_diag(3.0)).abs() < 1e-15);
        // zero vector
        assert_eq!(step(0.0, 0.0, 1.0), 0.0);
        assert_eq!(relu(0.0, 1.0, 0.0), 0.0);
        assert_eq!(step_diag(0.0), 0.0);
    }

    #[test]
    fn angle_is_atan2_not_acos() {
        // nearly parallel, cos θ would round to 1
        let (t, s) = angle(1.0, 1.0, 1.0 + 1e-12);
        assert!(t >= 0.0 && s >= 0.0 && t < 1e-5);
        let (t, _) = angle(-1.0, 1.0, 1.0);
        assert!((t - PI).abs() < 1e-15);
    }
}

//! Points on spheres: evenly spaced circles, Fibonacci nets on S², uniform random nets on S^{k−1}, and covering-radius
//! estimates (the ε of an ε-net, which turns a maximum over the net into a rigorous bound over the whole sphere).

use crate::{Error, Result};
use nalgebra::DMatrix;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// `k` evenly spaced unit vectors (cos t, sin t), t = 2πj/k, as rows of a k × 2 matrix. Covering radius (geodesic):
/// π/k.
pub fn circle(k: usize) -> Result<DMatrix<f64>> {
    if k == 0 {
        return Err(Error::param("k", k, "need at least one point"));
    }
    Ok(DMatrix::from_fn(k, 2, |j, c| {
        let t = 2.0 * std::f64::consts::PI * j as f64 / k as f64;
        if c == 0 { t.cos() } else { t.sin() }
    }))
}

/// `k` points of the Fibonacci (golden-angle) lattice on S², as rows of a k × 3 matrix: z_j = 1 − (2j + 1)/k,
/// azimuth j·π(3 − √5).
pub fn fibonacci_s2(k: usize) -> Result<DMatrix<f64>> {
    if k == 0 {
        return Err(Error::param("k", k, "need at least one point"));
    }
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let mut m = DMatrix::zeros(k, 3);
    for j in 0..k {
        let z = 1.0 - (2 * j + 1) as f64 / k as f64;
        let r = (1.0 - z * z).max(0.0).sqrt();
        let phi = golden * j as f64;
        m[(j, 0)] = r * phi.cos();
        m[(j, 1)] = r * phi.sin();
        m[(j, 2)] = z;
    }
    Ok(m)
}

/// `k` i.i.d. uniform points on S^{dim−1} ⊂ ℝ^dim (normalized Gaussians), as rows of a k × dim matrix.
pub fn uniform<R: Rng + ?Sized>(dim: usize, k: usize, rng: &mut R) -> Result<DMatrix<f64>> {
    if dim == 0 || k == 0 {
        return Err(Error::param("dim × k", format!("{dim} × {k}"), "need dim ≥ 1 and k ≥ 1"));
    }
    let mut m = DMatrix::zeros(k, dim);
    for j in 0..k {
        loop {
            let v: Vec<f64> = (0..dim).map(|_| StandardNormal.sample(rng)).collect();
            let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
            if norm > 1e-300 {
                for (c, a) in v.iter().enumerate() {
                    m[(j, c)] = a / norm;
                }
                break;
            }
        }
    }
    Ok(m)
}

/// A Monte-Carlo estimate of the covering radius of the net `points` (rows, unit vectors): the largest Euclidean
/// distance from any of `probes` uniform random points to its nearest net point. It is a lower estimate of the true
/// covering radius; callers that need a rigorous bound inflate it (see the slack they report).
pub fn covering_radius_estimate<R: Rng + ?Sized>(points: &DMatrix<f64>, probes: usize, rng: &mut R) -> Result<f64> {
    let probe = uniform(points.ncols(), probes, rng)?;
    let dots = &probe * points.transpose();
    let mut worst: f64 = 0.0;
    for i in 0..probes {
        let best = dots.row(i).iter().copied().fold(f64::NEG_INFINITY, f64::max);
        worst = worst.max((2.0 - 2.0 * best.min(1.0)).max(0.0).sqrt());
    }
    Ok(worst)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;

    #[test]
    fn unit_norms() {
        let mut rng = seed::stream(1, &["sphere"], 0);
        for m in [circle(7).unwrap(), fibonacci_s2(50).unwrap(), uniform(5, 20, &mut rng).unwrap()] {
            for r in m.row_iter() {
                assert!((r.norm() - 1.0).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn circle_covering_radius_matches_closed_form() {
        // chord for half the angular spacing: 2 sin(π/(2k))
        let k = 64;
        let mut rng = seed::stream(1, &["sphere"], 1);
        let est = covering_radius_estimate(&circle(k).unwrap(), 20000, &mut rng).unwrap();
        let exact = 2.0 * (std::f64::consts::PI / (2.0 * k as f64)).sin();
        assert!(est <= exact + 1e-12 && est > 0.95 * exact, "est {est} exact {exact}");
    }

    #[test]
    fn bad_sizes() {
        assert!(circle(0).is_err());
        let mut rng = seed::stream(1, &["sphere"], 2);
        assert!(uniform(0, 3, &mut rng).is_err());
    }
}

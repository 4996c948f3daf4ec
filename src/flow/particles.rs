//! A weighted particle measure ρ = Σ_j m_j δ_{θ_j} on ℝ^{1+D} and its objective L[ρ] = R(Σ_j m_j Φ(θ_j)) +
//! λ Σ_j m_j ‖θ_j‖².

use super::problem::Problem;
use crate::{Error, Result};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

/// Particles per parallel chunk (fixed, so sums are gathered in the same order for every thread count).
pub(crate) const CHUNK: usize = 256;

/// ρ = Σ_j m_j δ_{θ_j}: positions θ_j ∈ ℝ^{dim} (row-major, `theta[j*dim..(j+1)*dim]`) and masses m_j ≥ 0.
#[derive(Debug, Clone, PartialEq)]
pub struct Particles {
    /// Coordinates per particle, 1 + D.
    pub dim: usize,
    /// Positions, flat, particle after particle.
    pub theta: Vec<f64>,
    /// Masses m_j ≥ 0.
    pub mass: Vec<f64>,
}

impl Particles {
    /// Validates (dim ≥ 2, `theta.len() == dim·mass.len()`, finite, masses ≥ 0) and builds the measure.
    pub fn new(dim: usize, theta: Vec<f64>, mass: Vec<f64>) -> Result<Self> {
        if dim < 2 {
            return Err(Error::param("dim", dim, "a neuron (w, u) needs at least 2 coordinates"));
        }
        if theta.len() != dim * mass.len() {
            return Err(Error::shape("particle positions", format!("{} × {dim}", mass.len()), theta.len()));
        }
        crate::error::ensure_finite("particle positions", &theta)?;
        crate::error::ensure_finite("particle masses", &mass)?;
        if let Some(j) = mass.iter().position(|m| *m < 0.0) {
            return Err(Error::param("mass", mass[j], "masses must be ≥ 0"));
        }
        Ok(Particles { dim, theta, mass })
    }

    /// `count` particles uniform on the sphere of radius `radius` in ℝ^{dim}, equal masses summing to `total_mass`.
    pub fn uniform_sphere<R: Rng + ?Sized>(
        dim: usize,
        count: usize,
        radius: f64,
        total_mass: f64,
        rng: &mut R,
    ) -> Result<Self> {
        if count == 0 {
            return Err(Error::Empty("particle measure with no particles".into()));
        }
        if !(radius.is_finite() && radius >= 0.0) {
            return Err(Error::param("radius", radius, "must be finite and ≥ 0"));
        }
        crate::error::ensure_positive("total_mass", total_mass)?;
        let dirs = crate::data::sphere::uniform(dim, count, rng)?;
        let theta =
            (0..count).flat_map(|j| (0..dim).map(move |c| (j, c))).map(|(j, c)| radius * dirs[(j, c)]).collect();
        Self::new(dim, theta, vec![total_mass / count as f64; count])
    }

    /// `count` particles all at the origin (a stationary point of the plain flow: v[ρ](0) = 0), total mass
    /// `total_mass`.
    pub fn at_origin(dim: usize, count: usize, total_mass: f64) -> Result<Self> {
        if count == 0 {
            return Err(Error::Empty("particle measure with no particles".into()));
        }
        crate::error::ensure_positive("total_mass", total_mass)?;
        Self::new(dim, vec![0.0; dim * count], vec![total_mass / count as f64; count])
    }

    /// `count` "dead" relu neurons of norm `radius`: uᵀx_i ≤ 0 for every data point, so Φ = 0 and ∇_u Φ = 0 on the
    /// data (drawn uniformly by rejection; `Error::Numerical` when no dead direction turns up in 100 000 draws).
    pub fn dead<R: Rng + ?Sized>(
        problem: &Problem,
        count: usize,
        radius: f64,
        total_mass: f64,
        rng: &mut R,
    ) -> Result<Self> {
        let dim = problem.dim() + 1;
        let mut theta = Vec::with_capacity(dim * count);
        let mut got = 0;
        let mut tries = 0usize;
        while got < count {
            tries += 1;
            if tries > 100_000 {
                return Err(Error::Numerical("no direction with uᵀx_i ≤ 0 for all points was found".into()));
            }
            let v: Vec<f64> = (0..dim).map(|_| StandardNormal.sample(rng)).collect();
            let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
            if norm < 1e-12 {
                continue;
            }
            let dead =
                (0..problem.n()).all(|i| v[1..].iter().zip(problem.point(i)).map(|(a, b)| a * b).sum::<f64>() <= -1e-9);
            if dead {
                theta.extend(v.iter().map(|a| radius * a / norm));
                got += 1;
            }
        }
        crate::error::ensure_positive("total_mass", total_mass)?;
        Self::new(dim, theta, vec![total_mass / count as f64; count])
    }

    /// Number of particles.
    pub fn len(&self) -> usize {
        self.mass.len()
    }

    /// Whether there are no particles.
    pub fn is_empty(&self) -> bool {
        self.mass.is_empty()
    }

    /// Position of particle j.
    pub fn position(&self, j: usize) -> &[f64] {
        &self.theta[j * self.dim..(j + 1) * self.dim]
    }

    /// Total mass ρ(ℝ^{dim}) = Σ m_j.
    pub fn total_mass(&self) -> f64 {
        self.mass.iter().sum()
    }

    /// ∫V dρ / λ = Σ m_j ‖θ_j‖².
    pub fn second_moment(&self) -> f64 {
        self.mass.iter().enumerate().map(|(j, m)| m * self.position(j).iter().map(|t| t * t).sum::<f64>()).sum()
    }

    /// The network output f = ∫Φ dρ = Σ_j m_j Φ(θ_j) ∈ ℝ^n (chunked in a fixed order: deterministic).
    pub fn output(&self, problem: &Problem) -> Result<Vec<f64>> {
        super::features::check_dim(self.dim, problem.dim())?;
        let n = problem.n();
        let parts: Vec<Vec<f64>> = (0..self.len())
            .collect::<Vec<_>>()
            .par_chunks(CHUNK)
            .map(|idx| {
                let mut acc = vec![0.0; n];
                for &j in idx {
                    let m = self.mass[j];
                    if m == 0.0 {
                        continue;
                    }
                    let th = self.position(j);
                    for (i, a) in acc.iter_mut().enumerate() {
                        *a += m * super::features::phi_one(problem.act, th, problem.point(i));
                    }
                }
                acc
            })
            .collect();
        let mut f = vec![0.0; n];
        for part in parts {
            for (a, b) in f.iter_mut().zip(part) {
                *a += b;
            }
        }
        Ok(f)
    }

    /// L[ρ] = R(∫Φ dρ) + λ ∫‖θ‖² dρ.
    pub fn objective(&self, problem: &Problem) -> Result<f64> {
        let f = self.output(problem)?;
        Ok(problem.risk(&f) + problem.lambda * self.second_moment())
    }

    /// The same objective with every mass folded into the radius: (m, θ) ↦ (1, √m·θ). By 2-homogeneity of Φ and V
    /// the folded measure has the same L and, since v is 1-homogeneous, the same next-step objective.
    pub fn folded(&self) -> Particles {
        let mut theta = self.theta.clone();
        for (j, m) in self.mass.iter().enumerate() {
            let s = m.sqrt();
            for t in &mut theta[j * self.dim..(j + 1) * self.dim] {
                *t *= s;
            }
        }
        Particles { dim: self.dim, theta, mass: vec![1.0; self.len()] }
    }

    /// Appends particle (θ, m).
    pub fn push(&mut self, theta: &[f64], mass: f64) -> Result<()> {
        if theta.len() != self.dim {
            return Err(Error::shape("particle", self.dim, theta.len()));
        }
        crate::error::ensure_finite("particle position", theta)?;
        if !(mass.is_finite() && mass >= 0.0) {
            return Err(Error::param("mass", mass, "must be finite and ≥ 0"));
        }
        self.theta.extend_from_slice(theta);
        self.mass.push(mass);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::Activation;
    use crate::seed;
    use nalgebra::{DMatrix, DVector};

    fn toy() -> Problem {
        let x = DMatrix::from_row_slice(3, 2, &[-1.0, 1.0, 0.0, 1.0, 1.0, 1.0]);
        Problem::new(x, DVector::from_vec(vec![1.0, -1.0, 1.0]), 0.01, Activation::Relu).unwrap()
    }

    #[test]
    fn folding_keeps_objective() {
        let pb = toy();
        let mut rng = seed::stream(3, &["particles"], 0);
        let mut p = Particles::uniform_sphere(3, 17, 0.8, 1.0, &mut rng).unwrap();
        p.mass[3] = 0.4;
        let a = p.objective(&pb).unwrap();
        let b = p.folded().objective(&pb).unwrap();
        assert!((a - b).abs() < 1e-14);
    }

    #[test]
    fn dead_neurons_give_zero_output() {
        let pb = toy();
        let mut rng = seed::stream(3, &["particles"], 1);
        let p = Particles::dead(&pb, 10, 1.0, 1.0, &mut rng).unwrap();
        assert!(p.output(&pb).unwrap().iter().all(|v| *v == 0.0));
        let o = Particles::at_origin(3, 5, 1.0).unwrap();
        assert_eq!(o.objective(&pb).unwrap(), std::f64::consts::LN_2);
    }

    #[test]
    fn bad_input() {
        assert!(Particles::new(3, vec![0.0; 5], vec![1.0, 1.0]).is_err());
        assert!(Particles::new(3, vec![0.0; 3], vec![-1.0]).is_err());
        assert!(Particles::new(1, vec![0.0], vec![1.0]).is_err());
        let p = Particles::at_origin(4, 2, 1.0).unwrap();
        assert!(p.output(&toy()).is_err());
    }
}

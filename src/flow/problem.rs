//! The objective of the flow: L[ρ] = R(∫Φ dρ) + ∫V dρ with V(θ) = λ‖θ‖² and R the **mean** logistic loss
//! R(f) = (1/n) Σ_i log(1 + exp(−y_i f_i)) (the paper's eq. 3.1 normalization; used consistently by the flow and by
//! the certificate in [`crate::convex::measure`]).
//!
//! Convex conjugate (for the certificate's lower bound): with p_i = −y_i t_i / n and t_i ∈ [0, 1],
//! −R*(p) = (1/n) Σ_i H(t_i), H(t) = −t ln t − (1 − t) ln(1 − t) the binary entropy in nats; R*(p) = +∞ for any other p.

use super::features::{Activation, add_phi_grad, phi_one};
use crate::data::Dataset;
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// Stable softplus log(1 + e^z), sigmoid 1/(1 + e^{−z}) and binary entropy (one implementation, in `nets::loss`).
pub use crate::nets::loss::{binary_entropy, sigmoid, softplus};

/// Data, regularization strength and activation of one flow problem.
#[derive(Debug, Clone)]
pub struct Problem {
    /// n × D inputs (rows = points; a bias column, if any, is part of the D columns).
    pub x: DMatrix<f64>,
    /// ±1 labels.
    pub y: DVector<f64>,
    /// λ > 0 in V(θ) = λ‖θ‖².
    pub lambda: f64,
    /// The activation of Φ.
    pub act: Activation,
    rows: Vec<f64>,
}

impl Problem {
    /// Validates (n ≥ 1, D ≥ 1, finite, labels ±1, λ > 0, δ > 0) and builds the problem.
    pub fn new(x: DMatrix<f64>, y: DVector<f64>, lambda: f64, act: Activation) -> Result<Self> {
        let data = Dataset::binary(x, y)?;
        Self::from_dataset(&data, lambda, act)
    }

    /// The problem for a binary dataset (use `data.with_bias()` for input + bias).
    pub fn from_dataset(data: &Dataset, lambda: f64, act: Activation) -> Result<Self> {
        if data.task() != crate::data::Task::Binary {
            return Err(Error::param("task", "regression", "the flow problem needs ±1 labels"));
        }
        crate::error::ensure_positive("lambda", lambda)?;
        act.validate()?;
        let (n, d) = (data.n(), data.d());
        let rows = (0..n).flat_map(|i| (0..d).map(move |j| (i, j))).map(|(i, j)| data.x()[(i, j)]).collect();
        Ok(Problem { x: data.x().clone(), y: data.y().clone(), lambda, act, rows })
    }

    /// Number of points n.
    pub fn n(&self) -> usize {
        self.x.nrows()
    }

    /// Input dimension D (with bias); neurons live in ℝ^{1+D}.
    pub fn dim(&self) -> usize {
        self.x.ncols()
    }

    /// Point i as a slice.
    pub fn point(&self, i: usize) -> &[f64] {
        let d = self.dim();
        &self.rows[i * d..(i + 1) * d]
    }

    /// The same problem with another activation.
    pub fn with_activation(&self, act: Activation) -> Result<Self> {
        act.validate()?;
        let mut p = self.clone();
        p.act = act;
        Ok(p)
    }

    /// R(f) = (1/n) Σ log(1 + exp(−y_i f_i)).
    pub fn risk(&self, f: &[f64]) -> f64 {
        f.iter().zip(self.y.iter()).map(|(fi, yi)| softplus(-yi * fi)).sum::<f64>() / self.n() as f64
    }

    /// ∇R(f)_i = −(y_i/n)·σ(−y_i f_i).
    pub fn risk_grad(&self, f: &[f64]) -> Vec<f64> {
        let n = self.n() as f64;
        f.iter().zip(self.y.iter()).map(|(fi, yi)| -yi * sigmoid(-yi * fi) / n).collect()
    }

    /// The dual coordinates t_i = −n y_i p_i of a gradient-like vector p (∈ [0, 1] for p = ∇R(f)).
    pub fn dual_coords(&self, p: &[f64]) -> Vec<f64> {
        let n = self.n() as f64;
        p.iter().zip(self.y.iter()).map(|(pi, yi)| -n * yi * pi).collect()
    }

    /// −R*(p) = (1/n) Σ H(t_i) for p_i = −y_i t_i/n; −∞ when some t_i ∉ [0, 1].
    pub fn neg_conjugate(&self, p: &[f64]) -> f64 {
        self.dual_coords(p).iter().map(|t| binary_entropy(*t)).sum::<f64>() / self.n() as f64
    }

    /// R(0) = ln 2: the objective of the zero measure.
    pub fn risk_at_zero(&self) -> f64 {
        std::f64::consts::LN_2
    }

    /// Φ(θ) ∈ ℝ^n for one neuron.
    pub fn phi(&self, theta: &[f64]) -> Vec<f64> {
        (0..self.n()).map(|i| phi_one(self.act, theta, self.point(i))).collect()
    }

    /// Adds ∇_θ ⟨p, Φ(θ)⟩ to `out`.
    pub fn add_weighted_phi_grad(&self, theta: &[f64], p: &[f64], out: &mut [f64]) {
        for (i, pi) in p.iter().enumerate() {
            if *pi != 0.0 {
                add_phi_grad(self.act, theta, self.point(i), *pi, out);
            }
        }
    }

    /// The first variation L′[ρ](θ) = ⟨p, Φ(θ)⟩ + λ‖θ‖² for p = ∇R(∫Φ dρ).
    pub fn first_variation(&self, theta: &[f64], p: &[f64]) -> f64 {
        let phi = self.phi(theta);
        phi.iter().zip(p).map(|(a, b)| a * b).sum::<f64>() + self.lambda * theta.iter().map(|t| t * t).sum::<f64>()
    }

    /// The velocity v[ρ](θ) = −∇_θ L′[ρ](θ) = −Σ_i p_i ∇Φ_i(θ) − 2λθ, for p = ∇R(∫Φ dρ).
    pub fn velocity(&self, theta: &[f64], p: &[f64]) -> Vec<f64> {
        let mut g = vec![0.0; theta.len()];
        self.add_weighted_phi_grad(theta, p, &mut g);
        g.iter().zip(theta).map(|(gi, ti)| -gi - 2.0 * self.lambda * ti).collect()
    }

    /// The lifted feature ψ(ū) = (s(ūᵀx_i))_i for a direction ū ∈ S^{D−1} (not renormalized).
    pub fn lifted(&self, u: &[f64]) -> Vec<f64> {
        (0..self.n()).map(|i| self.act.value(u.iter().zip(self.point(i)).map(|(a, b)| a * b).sum())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Problem {
        let x = DMatrix::from_row_slice(3, 2, &[-1.0, 1.0, 0.0, 1.0, 1.0, 1.0]);
        let y = DVector::from_vec(vec![1.0, -1.0, 1.0]);
        Problem::new(x, y, 0.01, Activation::Relu).unwrap()
    }

    #[test]
    fn conjugate_is_fenchel_young_tight_at_gradient() {
        // R(f) = ⟨p, f⟩ − R*(p) at p = ∇R(f)
        let pb = toy();
        let f = [0.3, -0.7, 2.0];
        let p = pb.risk_grad(&f);
        let lhs = pb.risk(&f);
        let rhs = p.iter().zip(&f).map(|(a, b)| a * b).sum::<f64>() + pb.neg_conjugate(&p);
        assert!((lhs - rhs).abs() < 1e-12, "{lhs} vs {rhs}");
        // and a lower bound elsewhere
        let q: Vec<f64> = p.iter().map(|v| 0.5 * v).collect();
        let rhs2 = q.iter().zip(&f).map(|(a, b)| a * b).sum::<f64>() + pb.neg_conjugate(&q);
        assert!(rhs2 <= lhs);
    }

    #[test]
    fn stable_functions() {
        assert!((softplus(800.0) - 800.0).abs() < 1e-12);
        assert!(softplus(-800.0) >= 0.0 && softplus(-800.0) < 1e-300);
        assert_eq!(sigmoid(-1000.0), 0.0);
        assert!((binary_entropy(0.5) - std::f64::consts::LN_2).abs() < 1e-15);
        assert_eq!(binary_entropy(1.5), f64::NEG_INFINITY);
    }

    #[test]
    fn bad_lambda_and_labels() {
        let x = DMatrix::from_row_slice(1, 1, &[1.0]);
        assert!(Problem::new(x.clone(), DVector::from_vec(vec![1.0]), 0.0, Activation::Relu).is_err());
        assert!(Problem::new(x, DVector::from_vec(vec![0.5]), 0.1, Activation::Relu).is_err());
    }
}

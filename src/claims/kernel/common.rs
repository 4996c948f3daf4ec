//! Shared pieces of the kernel claims: the ℓ2-SVM margin over ReLU features with its certified bracket and the
//! four-neuron lower certificate on the ℓ1 margin.

use crate::Result;
use crate::data::Dataset;
use crate::kernels::predict::svm::{Svm, SvmOptions};
use crate::kernels::{Kind, gram};
use crate::nets::four_neuron::four_neuron_net;
use crate::nets::margin::normalized_margin;
use nalgebra::{DMatrix, DVector};

/// Relative bracket gap asked of the kernel-SVM solver.
pub const SVM_TOL: f64 = 1e-9;

/// Solver options used by every kernel claim: relative bracket gap [`SVM_TOL`].
pub fn svm_options() -> SvmOptions {
    SvmOptions { tol: SVM_TOL, ..SvmOptions::default() }
}

/// The Gram matrix of the ReLU kernel over the unit sphere, K̃(x, x′) = ‖x‖‖x′‖(sin θ + (π − θ)cos θ)/(2πd).
pub fn sphere_gram(x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    gram(Kind::ReluSphere, x)
}

/// The ℓ2-SVM margin γ_ℓ2 of (x, y): the hard-margin, bias-free SVM in the RKHS of K̃, with its certified bracket
/// [`Svm::margin_lower`], [`Svm::margin_upper`].
pub fn l2_margin(k: &DMatrix<f64>, y: &DVector<f64>) -> Result<Svm> {
    Svm::fit(k, y, svm_options())
}

/// A certified lower bound on the ℓ1-SVM margin γ_ℓ1 of XOR-labelled data (y = x₁x₂, any further coordinates):
/// 2·γ(four-neuron net), because a balanced two-layer net realizes α = Σ_j w_j‖u_j‖δ_{ū_j} with ‖Θ‖² = 2‖α‖₁, so
/// γ_ℓ1 ≥ min_i y_i f(x_i)/‖α‖₁ = 2·(normalized margin). On XOR labels it equals √2/4 up to rounding.
///
/// Errors: d < 2, or the data are not XOR-labelled (the net does not separate them: `Error::NotSeparable`).
pub fn l1_margin_lower(data: &Dataset) -> Result<f64> {
    Ok(2.0 * normalized_margin(&four_neuron_net(data.d())?, data)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_point_ceiling_is_the_margin() {
        // n = 1: γ_ℓ2 = √K₁₁ = √(yᵀKy)/1 exactly.
        let x = DMatrix::from_row_slice(1, 3, &[1.0, -2.0, 0.5]);
        let y = DVector::from_vec(vec![-1.0]);
        let k = sphere_gram(&x).unwrap();
        let s = l2_margin(&k, &y).unwrap();
        let c = crate::kernels::margin_ceiling(&k, &y).unwrap();
        assert!((c - (k[(0, 0)]).sqrt()).abs() < 1e-15);
        assert!(s.margin_lower <= c * (1.0 + 1e-12) && s.margin_upper >= c * (1.0 - 1e-12));
    }
}

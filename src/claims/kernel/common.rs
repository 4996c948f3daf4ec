//! Shared pieces of the kernel claims: the ℓ2-SVM margin over ReLU features with its certified bracket, Lemma 3.6's
//! ceiling √(yᵀK̃y)/n, the four-neuron lower certificate on the ℓ1 margin, and two decision rules.

use crate::claims::margin::four_neuron::four_neuron_net;
use crate::claims::{Decision, Verdict};
use crate::data::Dataset;
use crate::kernels::predict::svm::{Svm, SvmOptions};
use crate::kernels::{Kind, gram};
use crate::nets::margin::normalized_margin;
use crate::stats::SlopeFit;
use crate::{Error, Result};
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

/// Lemma 3.6's ceiling √(yᵀK y)/n = ‖(1/n) Σ_i y_i φ̃(x_i)‖ (the uniform-weight point of the SVM dual).
///
/// Errors: shape mismatch, empty input.
pub fn margin_ceiling(k: &DMatrix<f64>, y: &DVector<f64>) -> Result<f64> {
    let n = y.len();
    if n == 0 {
        return Err(Error::Empty("margin_ceiling: no points".into()));
    }
    if k.nrows() != n || k.ncols() != n {
        return Err(Error::shape("margin_ceiling: K vs len(y)", n, k.nrows()));
    }
    let q = (k * y).dot(y);
    Ok(q.max(0.0).sqrt() / n as f64)
}

/// A certified lower bound on the ℓ1-SVM margin γ_ℓ1 of XOR-labelled data (y = x₁x₂, any further coordinates):
/// 2·γ(four-neuron net), because a balanced two-layer net realizes α = Σ_j w_j‖u_j‖δ_{ū_j} with ‖Θ‖² = 2‖α‖₁, so
/// γ_ℓ1 ≥ min_i y_i f(x_i)/‖α‖₁ = 2·(normalized margin). On XOR labels it equals √2/4 up to rounding.
///
/// Errors: d < 2, or the data are not XOR-labelled (the net does not separate them: `Error::NotSeparable`).
pub fn l1_margin_lower(data: &Dataset) -> Result<f64> {
    Ok(2.0 * normalized_margin(&four_neuron_net(data.d())?, data)?)
}

/// Rule for a claimed inequality "value ≤ ceiling" when the value is only known through a certified bracket
/// [lower, upper]: Supported when upper ≤ ceiling·(1 + rel_tol) (the inequality is certified), Refuted when
/// lower > ceiling·(1 + rel_tol) (a certified violation), Inconclusive in between or on non-finite input.
pub fn decide_at_most(name: &str, lower: f64, upper: f64, ceiling: f64, rel_tol: f64) -> Decision {
    let lim = ceiling * (1.0 + rel_tol);
    let verdict = if !(lower.is_finite() && upper.is_finite() && ceiling.is_finite()) || lower > upper {
        Verdict::Inconclusive
    } else if upper <= lim {
        Verdict::Supported
    } else if lower > lim {
        Verdict::Refuted
    } else {
        Verdict::Inconclusive
    };
    Decision::new(
        verdict,
        format!(
            "{name} ≤ ceiling: Supported when its certified upper end ≤ ceiling·(1 + {rel_tol:e}); Refuted when its \
             certified lower end exceeds that"
        ),
    )
    .with("lower", lower)
    .with("upper", upper)
    .with("ceiling", ceiling)
    .with("rel_tol", rel_tol)
}

/// Rule for a claimed rate x^b with a stated pre-asymptotic allowance w: Supported when the slope's bootstrap CI lies
/// inside [b − w, b + w] and excludes the competing exponent; Refuted when the CI misses [b − w, b + w] entirely;
/// Inconclusive otherwise.
pub fn decide_rate(fit: &SlopeFit, claimed: f64, allowance: f64, competing: f64) -> Decision {
    let (lo, hi) = fit.ci;
    let window = (claimed - allowance, claimed + allowance);
    let inside = lo >= window.0 && hi <= window.1;
    let excludes_competing = !(lo <= competing && competing <= hi);
    let misses = hi < window.0 || lo > window.1;
    let verdict = if !(lo.is_finite() && hi.is_finite()) {
        Verdict::Inconclusive
    } else if inside && excludes_competing {
        Verdict::Supported
    } else if misses {
        Verdict::Refuted
    } else {
        Verdict::Inconclusive
    };
    Decision::new(
        verdict,
        format!(
            "Supported when the bootstrap {:.0}% CI of the log–log slope lies in [{}, {}] (claimed {claimed} ± \
             pre-asymptotic allowance {allowance}) and excludes the competing {competing}; Refuted when it misses \
             that window",
            100.0 * (1.0 - fit.alpha),
            window.0,
            window.1
        ),
    )
    .with("slope", fit.slope)
    .with("ci_lo", lo)
    .with("ci_hi", hi)
    .with("claimed", claimed)
    .with("allowance", allowance)
    .with("competing", competing)
    .with("resamples", fit.resamples)
    .with("alpha", fit.alpha)
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
        let c = margin_ceiling(&k, &y).unwrap();
        assert!((c - (k[(0, 0)]).sqrt()).abs() < 1e-15);
        assert!(s.margin_lower <= c * (1.0 + 1e-12) && s.margin_upper >= c * (1.0 - 1e-12));
    }

    #[test]
    fn at_most_rule() {
        assert_eq!(decide_at_most("g", 0.1, 0.2, 0.3, 0.0).verdict, Verdict::Supported);
        assert_eq!(decide_at_most("g", 0.4, 0.5, 0.3, 0.0).verdict, Verdict::Refuted);
        assert_eq!(decide_at_most("g", 0.2, 0.4, 0.3, 0.0).verdict, Verdict::Inconclusive);
        assert_eq!(decide_at_most("g", f64::NAN, 0.4, 0.3, 0.0).verdict, Verdict::Inconclusive);
    }

    #[test]
    fn shape_errors() {
        let k = DMatrix::<f64>::identity(2, 2);
        assert!(margin_ceiling(&k, &DVector::from_vec(vec![1.0])).is_err());
        assert!(margin_ceiling(&k, &DVector::<f64>::zeros(0)).is_err());
    }
}

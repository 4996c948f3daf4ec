//! The regularization path of one initialization: L-BFGS on L_λ for each λ of a schedule in turn, every stage
//! warm-started from the previous one, with the model kept at every stage (so γ_λ can be read along the path).

use super::lbfgs::lbfgs_capped;
use super::model::Model;
use super::objective::{Objective, Reduction, check_outputs};
use super::targets::Targets;
use crate::{Error, Result};
use nalgebra::DVector;

/// One stage of a regularization path.
#[derive(Debug, Clone)]
pub struct PathStage<M> {
    /// λ of this stage.
    pub lambda: f64,
    /// The model at the end of the stage.
    pub model: M,
    /// L_λ at the end of the stage.
    pub objective: f64,
    /// ‖∇L_λ‖_∞ at the end of the stage.
    pub grad_inf: f64,
    /// L-BFGS iterations of the stage.
    pub iterations: usize,
}

/// Runs the path λ_1, λ_2, … from `init`: stage k minimizes L_{λ_k}(Θ) = R(ℓ) + λ_k‖Θ‖^r by L-BFGS (memory 10, at most
/// `max_iters` iterations, stop at ‖∇L‖_∞ ≤ `grad_tol`, at most `max_halvings` halvings per line search, see
/// [`lbfgs_capped`]) from the end of stage k − 1.
#[allow(clippy::too_many_arguments)]
pub fn regularization_path<M: Model, T: Targets + ?Sized>(
    init: M,
    data: &T,
    lambdas: &[f64],
    r: f64,
    reduction: Reduction,
    max_iters: usize,
    grad_tol: f64,
    max_halvings: usize,
) -> Result<Vec<PathStage<M>>> {
    if lambdas.is_empty() {
        return Err(Error::param("lambdas", "[]", "the λ schedule is empty"));
    }
    check_outputs(&init, data)?;
    let mut model = init;
    let mut out = Vec::with_capacity(lambdas.len());
    for &lambda in lambdas {
        let obj = Objective::new(lambda, r, reduction)?;
        let base = model.clone();
        let eval = |p: &DVector<f64>| {
            let mut m = base.clone();
            m.set_params(p.as_slice())?;
            obj.value_grad(&m, data)
        };
        let min = lbfgs_capped(eval, model.params(), 10, max_iters, grad_tol, max_halvings)?;
        model.set_params(min.x.as_slice())?;
        out.push(PathStage {
            lambda,
            model: model.clone(),
            objective: min.value,
            grad_inf: min.grad_inf,
            iterations: min.iterations,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::line1d;
    use crate::nets::TwoLayer;
    use rand::SeedableRng;

    #[test]
    fn path_stages_decrease_the_objective_and_report_it() {
        let data = line1d().with_bias();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        let net = TwoLayer::gaussian(9, 2, 1.0, &mut rng).unwrap();
        let lambdas = [1e-2, 1e-3, 1e-4];
        let path = regularization_path(net, &data, &lambdas, 2.0, Reduction::Mean, 500, 1e-10, 12).unwrap();
        assert_eq!(path.len(), 3);
        for (k, s) in path.iter().enumerate() {
            // the reported objective is L_λ of the reported model (an independent evaluation)
            let v = Objective::new(lambdas[k], 2.0, Reduction::Mean).unwrap().value(&s.model, &data).unwrap();
            assert!((v - s.objective).abs() <= 1e-12 * v.abs().max(1.0));
        }
        // warm start: L_λ' ≤ L_λ at the previous end point for λ' < λ, and L-BFGS only descends
        for w in path.windows(2) {
            assert!(w[1].objective <= w[0].objective);
        }
        let empty: [f64; 0] = [];
        let net = TwoLayer::gaussian(3, 2, 1.0, &mut rng).unwrap();
        assert!(regularization_path(net, &data, &empty, 2.0, Reduction::Mean, 5, 1e-10, 12).is_err());
    }
}

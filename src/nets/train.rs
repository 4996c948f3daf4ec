//! Training homogeneous networks: L-BFGS or gradient descent on L_λ along an annealed λ schedule with warm starts,
//! several random restarts, best regularized loss kept; and direct normalized-margin maximization.

use super::lbfgs::{Minimum, gradient_descent, lbfgs};
use super::model::Model;
use super::objective::{Objective, Reduction, check_outputs};
use super::targets::Targets;
use crate::{Error, Result};
use nalgebra::DVector;
use rand::Rng;

/// The optimizer used at every stage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Method {
    /// L-BFGS with this many curvature pairs.
    Lbfgs {
        /// Memory of the quasi-Newton estimate.
        memory: usize,
    },
    /// Full-batch gradient descent with a fixed learning rate.
    Gd {
        /// Learning rate η.
        lr: f64,
    },
}

/// A training run: the λ schedule (annealed toward its last value, each stage warm-started from the previous one),
/// the norm power r, iterations per stage, restarts and the optimizer.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    /// λ values in the order they are used; the result is judged at the last one.
    pub lambdas: Vec<f64>,
    /// Power r of the regularizer λ‖Θ‖^r.
    pub r: f64,
    /// Mean or sum of example losses.
    pub reduction: Reduction,
    /// Iterations per λ stage.
    pub max_iters: usize,
    /// Independent random initializations; the lowest final objective wins.
    pub restarts: usize,
    /// Optimizer.
    pub method: Method,
    /// Stop a stage when ‖∇L‖_∞ ≤ this.
    pub grad_tol: f64,
}

impl TrainConfig {
    /// A geometric schedule from `start` down to `end` with `stages` values (L-BFGS, r = 2, mean loss).
    pub fn annealed(start: f64, end: f64, stages: usize, max_iters: usize, restarts: usize) -> Self {
        let stages = stages.max(1);
        let lambdas = (0..stages)
            .map(|s| if stages == 1 { end } else { start * (end / start).powf(s as f64 / (stages - 1) as f64) })
            .collect();
        TrainConfig {
            lambdas,
            r: 2.0,
            reduction: Reduction::Mean,
            max_iters,
            restarts,
            method: Method::Lbfgs { memory: 10 },
            grad_tol: 1e-10,
        }
    }

    /// Checks the configuration before anything runs.
    pub fn validate(&self) -> Result<()> {
        if self.lambdas.is_empty() {
            return Err(Error::param("lambdas", "[]", "the λ schedule is empty"));
        }
        for &l in &self.lambdas {
            Objective::new(l, self.r, self.reduction)?;
        }
        if self.restarts == 0 {
            return Err(Error::param("restarts", 0, "need at least one initialization"));
        }
        if let Method::Gd { lr } = self.method {
            crate::error::ensure_positive("learning rate", lr)?;
        }
        Ok(())
    }
}

/// The best model found and how it scored.
#[derive(Debug, Clone)]
pub struct Trained<M> {
    /// The model with the lowest objective at the final λ among restarts.
    pub model: M,
    /// Its objective L_λ at the final λ (for margin maximization: its normalized margin).
    pub objective: f64,
    /// Its normalized margin, if it separates the data.
    pub margin: Option<f64>,
    /// Total optimizer iterations of the winning restart.
    pub iterations: usize,
    /// Index of the winning restart.
    pub restart: usize,
}

/// Runs one optimizer stage on `obj` from the model's current parameters.
fn stage<M: Model, T: Targets + ?Sized>(
    model: &M,
    data: &T,
    obj: Objective,
    cfg: &TrainConfig,
) -> Result<(M, Minimum)> {
    let mut work = model.clone();
    let eval = |p: &DVector<f64>| {
        let mut m = model.clone();
        m.set_params(p.as_slice())?;
        obj.value_grad(&m, data)
    };
    let min = match cfg.method {
        Method::Lbfgs { memory } => lbfgs(eval, model.params(), memory, cfg.max_iters, cfg.grad_tol)?,
        Method::Gd { lr } => gradient_descent(eval, model.params(), lr, cfg.max_iters, cfg.grad_tol)?,
    };
    work.set_params(min.x.as_slice())?;
    Ok((work, min))
}

/// Trains from `cfg.restarts` initializations drawn by `init` and returns the one with the lowest final objective.
pub fn train<M, T, R, I>(init: I, data: &T, cfg: &TrainConfig, rng: &mut R) -> Result<Trained<M>>
where
    M: Model,
    T: Targets + ?Sized,
    R: Rng + ?Sized,
    I: Fn(&mut R) -> Result<M>,
{
    cfg.validate()?;
    let mut best: Option<Trained<M>> = None;
    for restart in 0..cfg.restarts {
        let mut model = init(rng)?;
        check_outputs(&model, data)?;
        let mut iterations = 0;
        let mut value = f64::INFINITY;
        for &lambda in &cfg.lambdas {
            let obj = Objective::new(lambda, cfg.r, cfg.reduction)?;
            let (m, min) = stage(&model, data, obj, cfg)?;
            model = m;
            iterations += min.iterations;
            value = min.value;
        }
        if best.as_ref().is_none_or(|b| value < b.objective) {
            let margin = super::margin::normalized_margin(&model, data).ok();
            best = Some(Trained { model, objective: value, margin, iterations, restart });
        }
    }
    best.ok_or_else(|| Error::Numerical("no restart produced a model".into()))
}

/// Soft-min temperatures (relative to the unit-norm margin scale) used by [`maximize_margin`].
const SOFTMIN_BETAS: [f64; 4] = [10.0, 100.0, 1_000.0, 10_000.0];

/// Direct maximization of the normalized margin γ(Θ) from `restarts` initializations: L-BFGS on
/// F(Θ) = −softmin_β(margin_i(Θ/‖Θ‖)) with softmin_β(m) = −β⁻¹ log Σ_i e^{−β m_i} for increasing β
/// (softmin ≥ min − log(n)/β), a scale-invariant smoothing. Returns the restart with the largest exact margin
/// (`objective` holds that margin; 0 when nothing separated the data).
pub fn maximize_margin<M, T, R, I>(init: I, data: &T, restarts: usize, iters: usize, rng: &mut R) -> Result<Trained<M>>
where
    M: Model,
    T: Targets + ?Sized,
    R: Rng + ?Sized,
    I: Fn(&mut R) -> Result<M>,
{
    maximize_margin_capped(init, data, restarts, iters, 50, rng)
}

/// [`maximize_margin`] with at most `max_halvings` step halvings per line search (see
/// [`super::lbfgs::lbfgs_capped`]); `maximize_margin` uses 50.
pub fn maximize_margin_capped<M, T, R, I>(
    init: I,
    data: &T,
    restarts: usize,
    iters: usize,
    max_halvings: usize,
    rng: &mut R,
) -> Result<Trained<M>>
where
    M: Model,
    T: Targets + ?Sized,
    R: Rng + ?Sized,
    I: Fn(&mut R) -> Result<M>,
{
    if restarts == 0 {
        return Err(Error::param("restarts", 0, "need at least one initialization"));
    }
    let mut best: Option<Trained<M>> = None;
    for restart in 0..restarts {
        let mut model = init(rng)?;
        check_outputs(&model, data)?;
        let mut iterations = 0;
        for beta in SOFTMIN_BETAS {
            let base = model.clone();
            let eval = |p: &DVector<f64>| softmin_objective(&base, data, p, beta);
            let min = super::lbfgs::lbfgs_capped(eval, model.params(), 10, iters, 1e-12, max_halvings)?;
            iterations += min.iterations;
            let norm = min.x.norm();
            model.set_params((min.x / norm.max(f64::MIN_POSITIVE)).as_slice())?;
        }
        let margin = super::margin::normalized_margin(&model, data).ok();
        let score = margin.unwrap_or(0.0);
        if best.as_ref().is_none_or(|b| score > b.objective) {
            best = Some(Trained { model, objective: score, margin, iterations, restart });
        }
    }
    best.ok_or_else(|| Error::Numerical("no restart produced a model".into()))
}

/// −softmin_β of the margins of Θ̄ = p/‖p‖, and its gradient (I − Θ̄Θ̄ᵀ)∇_Θ̄(·)/‖p‖.
fn softmin_objective<M: Model, T: Targets + ?Sized>(
    base: &M,
    data: &T,
    p: &DVector<f64>,
    beta: f64,
) -> Result<(f64, DVector<f64>)> {
    let norm = p.norm();
    if !(norm > 0.0) {
        return Err(Error::Numerical("margin maximization reached Θ = 0".into()));
    }
    let unit = p / norm;
    let mut m = base.clone();
    m.set_params(unit.as_slice())?;
    let f = m.forward(data.inputs())?;
    let margins = data.margins(&f);
    let shifted: Vec<f64> = margins.iter().map(|v| -beta * v).collect();
    let lse = super::loss::log_sum_exp(&shifted);
    let weights = DVector::from_fn(margins.len(), |i, _| (shifted[i] - lse).exp());
    let value = lse / beta; // = −softmin
    let cot = data.margin_cotangent(&f, &weights) * -1.0;
    let g_unit = m.vjp(data.inputs(), &cot)?;
    let radial = unit.dot(&g_unit);
    Ok((value, (g_unit - &unit * radial) / norm))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::line1d;
    use crate::nets::TwoLayer;
    use rand::SeedableRng;

    #[test]
    fn training_separates_the_line_task_and_margin_search_does_at_least_as_well() {
        let data = line1d().with_bias();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        let cfg = TrainConfig::annealed(1e-2, 1e-4, 3, 300, 2);
        let init = |r: &mut rand_chacha::ChaCha8Rng| TwoLayer::gaussian(8, 2, 1.0, r);
        let fit = train(init, &data, &cfg, &mut rng).unwrap();
        let trained = fit.margin.expect("a width-8 net separates 8 points");
        let best = maximize_margin(init, &data, 3, 200, &mut rng).unwrap();
        assert!(best.objective > 0.0);
        assert!(best.objective >= 0.9 * trained, "margin search {} vs trained {}", best.objective, trained);
    }

    #[test]
    fn invalid_configurations_are_errors() {
        let mut cfg = TrainConfig::annealed(1e-2, 1e-4, 3, 10, 1);
        cfg.lambdas.push(0.0);
        assert!(cfg.validate().is_err());
        let cfg = TrainConfig { restarts: 0, ..TrainConfig::annealed(1e-2, 1e-4, 3, 10, 1) };
        assert!(cfg.validate().is_err());
    }
}

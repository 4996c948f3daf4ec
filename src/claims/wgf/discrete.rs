//! `wgf.discrete`: the discrete iteration tracks the continuous flow — halving η doubles the steps to a fixed ε, and
//! the objective reached at a fixed continuous time agrees. Controls, decided by the same band rule on the same runs:
//! "the step count does not depend on η" (expected log₂ ratio 0, a sanity control) and the near miss "the step count
//! grows like η^{−1/2}" (expected log₂ ratio ½ — the scaling of a Langevin-type noise σ√η per step, an exponent off by
//! ½ from the flow's t = kη).

use crate::experiments::wgf::{Start, WgfParams, certificate, line_problem};
use crate::Result;
use crate::claims::{Claim, Context, Decision, Evidence, Verdict};
use crate::flow::{Activation, Flow};
use crate::stats::{Levels, mean_ci};
use rayon::prelude::*;


/// Per seed: log₂(t_ε(η/2)/t_ε(η)) and |L_η(T) − L_{η/2}(T)| at the shared continuous time T.
#[derive(Debug, Clone)]
pub(crate) struct Pairs {
    pub log2_ratio: Vec<f64>,
    pub objective_diff: Vec<f64>,
    pub upper: f64,
    pub target_eps: f64,
    pub horizon: f64,
}

/// [`pairs_uncached`], cached per (master seed, tier, activation) so the claim and its control share the runs.
pub(crate) fn pairs(ctx: &Context, params: &WgfParams, act: Activation) -> Result<Pairs> {
    let key = format!("wgf.discrete|{}|{}|{:?}|{:?}", ctx.seed, ctx.tier.as_str(), act, params);
    crate::experiments::memo::memo(&key, || pairs_uncached(ctx, params, act)).map(|p| (*p).clone())
}

/// Runs both step sizes from the same start (same initial draw) for every seed, on the line problem with `act`.
/// The streams are named independently of the calling check, so the claim and its control see the same runs.
fn pairs_uncached(ctx: &Context, params: &WgfParams, act: Activation) -> Result<Pairs> {
    let problem = line_problem(act, params.lambda)?;
    let cert = certificate(&problem, params)?;
    let eps = params.eps[params.eps.len() - 1];
    let target = cert.upper + eps;
    let horizon = params.discrete_steps as f64 * params.eta;
    let seeds: Vec<u64> = (0..params.discrete_seeds as u64).collect();
    let per_seed: Vec<Result<(f64, f64)>> = seeds
        .par_iter()
        .map(|&r| {
            let mut res = Vec::new();
            for (k, eta) in [params.eta, 0.5 * params.eta].into_iter().enumerate() {
                let mut init_rng = crate::seed::stream(ctx.seed, &["wgf.discrete", &format!("{}/init", act.name())], r);
                let init = Start::Generic.init(&problem, params, &mut init_rng)?;
                let mut rng =
                    crate::seed::stream(ctx.seed, &["wgf.discrete", &format!("{}/births/{k}", act.name())], r);
                let config = crate::flow::FlowConfig { eta, ..params.flow_config(params.sigma)? };
                let mut flow = Flow::new(&problem, init, config)?;
                let steps = (horizon / eta).round() as usize;
                let mut first = None;
                let mut last = flow.objective()?;
                while flow.steps < steps {
                    flow.step(&mut rng)?;
                    last = flow.objective()?;
                    if first.is_none() && last <= target {
                        first = Some(flow.steps);
                    }
                }
                res.push((first, last));
            }
            let ratio = match (res[0].0, res[1].0) {
                (Some(a), Some(b)) => (b as f64 / a.max(1) as f64).log2(),
                _ => f64::NAN,
            };
            Ok((ratio, (res[0].1 - res[1].1).abs()))
        })
        .collect();
    let mut log2_ratio = Vec::new();
    let mut objective_diff = Vec::new();
    for r in per_seed {
        let (a, b) = r?;
        log2_ratio.push(a);
        objective_diff.push(b);
    }
    Ok(Pairs { log2_ratio, objective_diff, upper: cert.upper, target_eps: eps, horizon })
}

/// The rule of [`MeanCi::decide_within`] on the mean log₂ step ratio over seeds, band [expected − τ, expected + τ];
/// a seed that missed the target makes the decision Inconclusive.
pub(crate) fn ratio_decision(p: &Pairs, expected: f64, band: f64) -> Decision {
    let missed = p.log2_ratio.iter().filter(|v| !v.is_finite()).count();
    let m = mean_ci(&p.log2_ratio, Levels::SUITE);
    let mut d = m
        .decide_within(&format!("log₂(t_ε(η/2)/t_ε(η)) (ε = {:e})", p.target_eps), expected - band, expected + band)
        .with("expected", expected)
        .with("missed", missed)
        .with("seeds", p.log2_ratio.len());
    if missed > 0 {
        d.verdict = Verdict::Inconclusive;
        d.rule.push_str("; a seed that missed the target is Inconclusive");
    }
    d
}

/// One line: the mean log₂ step ratio with its two one-sided 95% bounds.
fn ratio_summary(p: &Pairs) -> String {
    let m = mean_ci(&p.log2_ratio, Levels::SUITE);
    let h = m.half_width(m.levels.support);
    format!("log₂ t(η/2)/t(η) = {:.3} [{:.3}, {:.3}] over {} seeds", m.mean, m.mean - h, m.mean + h, p.log2_ratio.len())
}

/// `wgf.discrete`.
struct Discrete;

impl Claim for Discrete {
    fn id(&self) -> &str {
        "wgf.discrete"
    }


    fn check(&self, ctx: &mut Context) -> Result<Evidence> {
        let params = WgfParams::for_tier(ctx.tier);
        params.validate()?;
        let (mut parts, mut summary) = (Vec::new(), Vec::new());
        for act in [Activation::Relu, Activation::SMOOTH] {
            ctx.progress(&format!("discrete/{}", act.name()));
            let p = pairs(ctx, &params, act)?;
            let tol = p.target_eps;
            let worst = p.objective_diff.iter().copied().fold(0.0, f64::max);
            let agree = Decision::new(
                Verdict::from_bool(worst <= tol),
                format!(
                    "|L_η(T) − L_(η/2)(T)| ≤ {tol:e} (= ε) for every seed at the shared continuous time T = {}",
                    p.horizon
                ),
            )
            .with("worst_objective_diff", worst)
            .with("upper", p.upper);
            summary.push(format!("{}: {}, max |ΔL| = {worst:.1e}", act.name(), ratio_summary(&p)));
            parts.push(ratio_decision(&p, 1.0, ctx.threshold("band")?).prefixed(&format!("{}.ratio", act.name())));
            parts.push(agree.prefixed(&format!("{}.agree", act.name())));
        }
        Ok(Evidence::from_decision(Decision::all(parts))
            .summary(summary.join("; "))
            .note("η and η/2 start from the same initial draw; births use separate streams")
            .note("expected log₂ ratio 1 (steps ∝ 1/η at fixed continuous time), band ±0.3 (ratio in [1.62, 2.46])"))
    }
}

/// A false twin of the step-count scaling: "halving η multiplies the steps to ε by 2^`expected`", decided by the
/// claim's band rule on the claim's ReLU runs.
struct StepScalingTwin {
    id: &'static str,
    /// What the twin says, for the evidence (its log₂ step ratio is its threshold `twin_log2_ratio`).
    statement: &'static str,
}

impl Claim for StepScalingTwin {
    fn id(&self) -> &str {
        self.id
    }

    fn check(&self, ctx: &mut Context) -> Result<Evidence> {
        let params = WgfParams::for_tier(ctx.tier);
        params.validate()?;
        let p = pairs(ctx, &params, Activation::Relu)?;
        Ok(Evidence::from_decision(ratio_decision(&p, ctx.threshold("twin_log2_ratio")?, ctx.threshold("band")?).prefixed("relu.ratio"))
            .summary(format!("relu: {} vs the false statement's {}", ratio_summary(&p), ctx.threshold("twin_log2_ratio")?))
            .note(format!("false statement: {}", self.statement)))
    }
}

/// The checks of this file: the claim and its controls.
pub(super) fn checks() -> Vec<Box<dyn Claim>> {
    vec![
        Box::new(Discrete),
        Box::new(StepScalingTwin {
            id: "wgf.discrete:eta-free-steps",
            statement: "halving η leaves the step count to ε unchanged",
        }),
        Box::new(StepScalingTwin {
            id: "wgf.discrete:sqrt-steps",
            statement: "the step count to ε grows like η^{−1/2} (halving η multiplies it by √2)",
        }),
    ]
}

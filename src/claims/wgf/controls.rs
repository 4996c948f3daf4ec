//! Falsification controls of `wgf.convergence`: the plain flow (σ = 0) from stationary starts, a stall search, and
//! the false claim "the plain flow always reaches L*".

use super::convergence::run_all;
use crate::experiments::wgf::{Start, WgfParams, certificate, first_hits, line_problem};
use crate::Result;
use crate::claims::{Claim, Context, Decision, Evidence, Verdict};
use crate::flow::{Activation, Flow, Particles};

/// The plain flow from `start` (relu, line problem) against the perturbed flow from the same start: the decision and
/// a one-line summary of its numbers.
fn plain_vs_perturbed(ctx: &Context, start: Start, act: Activation) -> Result<(Decision, String)> {
    let params = WgfParams { seeds: 2, ..WgfParams::for_tier(ctx.tier) };
    params.validate()?;
    let problem = line_problem(act, params.lambda)?;
    let cert = certificate(&problem, &params)?;
    let eps = params.eps[params.eps.len() - 1];
    let targets = [cert.upper + eps];
    let name = format!("line/{}", act.name());
    let plain = run_all(ctx, &name, &problem, &params, &[start], 0.0, &targets)?;
    let noisy = run_all(ctx, &name, &problem, &params, &[start], params.sigma, &targets)?;
    let plain_reached = plain.iter().filter(|(_, _, h)| h.first[0].is_some()).count();
    let noisy_reached = noisy.iter().filter(|(_, _, h)| h.first[0].is_some()).count();
    let plain_best = plain.iter().map(|(_, _, h)| h.best).fold(f64::INFINITY, f64::min);
    let r0 = problem.risk_at_zero();
    // The false statement: the plain flow from this start reaches U + ε.
    let verdict = if plain_reached > 0 {
        Verdict::Supported
    } else if noisy_reached == noisy.len() {
        Verdict::Refuted
    } else {
        Verdict::Inconclusive
    };
    let summary = format!(
        "{name}: plain best L = {plain_best:.5} (R(0) = {r0:.5}), {plain_reached}/{} plain vs {noisy_reached}/{} \
         perturbed runs reach U + ε = {:.5}",
        plain.len(),
        noisy.len(),
        cert.upper + eps
    );
    let decision = Decision::new(
        verdict,
        format!(
            "false statement: the plain flow (σ = 0) from the {} start reaches L ≤ U + {eps:e} within {} steps. \
             Refuted when no plain run reaches it while every perturbed run (σ = {}) from the same start does; \
             Supported when a plain run reaches it",
            start.name(),
            params.max_steps,
            params.sigma
        ),
    )
    // in objective units: how far the best plain run stays above the target U + ε
    .with_margin(cert.upper + eps - plain_best, plain_best - (cert.upper + eps))
    .with("plain_best", plain_best)
    .with("plain_reached", plain_reached)
    .with("perturbed_reached", noisy_reached)
    .with("runs", plain.len())
    .with("R0", r0)
    .with("upper", cert.upper)
    .with("lower", cert.lower)
    .with("delta_R0_minus_upper", r0 - cert.upper);
    Ok((decision, summary))
}

/// `wgf.convergence:plain-dead-start`: every relu neuron dead on the data (Φ ≡ 0, ∇Φ ≡ 0): the plain flow only shrinks
/// θ, so L_t ≥ R(0) for all t.
struct PlainDeadStart;

impl Claim for PlainDeadStart {
    fn id(&self) -> &str {
        "wgf.convergence:plain-dead-start"
    }
    fn check(&self, ctx: &mut Context) -> Result<Evidence> {
        let (d, summary) = plain_vs_perturbed(ctx, Start::Dead, Activation::Relu)?;
        Ok(Evidence::from_decision(d.prefixed("line/relu"))
            .summary(summary)
            .note("dead: uᵀx_i ≤ 0 for every point, so v = −2λθ and L_t ↓ R(0) = ln 2"))
    }
}

/// `wgf.convergence:plain-zero-start`: every particle at the origin, where v[ρ](0) = 0 (both activations).
struct PlainZeroStart;

impl Claim for PlainZeroStart {
    fn id(&self) -> &str {
        "wgf.convergence:plain-zero-start"
    }
    fn check(&self, ctx: &mut Context) -> Result<Evidence> {
        let (mut parts, mut summary) = (Vec::new(), Vec::new());
        for act in [Activation::Relu, Activation::SMOOTH] {
            let (d, s) = plain_vs_perturbed(ctx, Start::Zero, act)?;
            parts.push(d.prefixed(&format!("line/{}", act.name())));
            summary.push(s);
        }
        // every part must refute; one that supports the false statement makes the control fail
        let d = Decision::all(parts);
        Ok(Evidence::from_decision(d)
            .summary(summary.join("; "))
            .note("the origin is a fixed point of the plain flow: L_t = R(0) forever"))
    }
}

/// Result of the stall search.
#[derive(Debug, Clone)]
pub(crate) struct Stall {
    pub act: &'static str,
    pub particles: usize,
    pub seed: u64,
    pub plain_final: f64,
    pub velocity_sq: f64,
    pub perturbed_best: f64,
    pub upper: f64,
    pub escaped: bool,
}

/// Searches small-support starts (1 or 2 atoms of radius 1) for a nontrivial non-optimal stationary point of the
/// plain flow: after `max_steps`, Σ m‖v‖² ≤ 1e-12 and U + ε < L_T < R(0) (so not the zero-output point of dead or
/// vanished atoms); then runs the perturbed flow from the same start.
pub(crate) fn stall_search(ctx: &Context, params: &WgfParams, tries: u64) -> Result<Vec<Stall>> {
    let eps = params.eps[params.eps.len() - 1];
    let mut found = Vec::new();
    for act in [Activation::Relu, Activation::SMOOTH] {
        let problem = line_problem(act, params.lambda)?;
        let cert = certificate(&problem, params)?;
        for atoms in [1usize, 2] {
            for r in 0..tries {
                let mut rng = ctx.rng_named(&format!("stall/{}/{atoms}", act.name()), r);
                let init = Particles::uniform_sphere(problem.dim() + 1, atoms, 1.0, 1.0, &mut rng)?;
                let mut flow = Flow::new(&problem, init.clone(), params.flow_config(0.0)?)?;
                for _ in 0..params.max_steps {
                    flow.step(&mut rng)?;
                }
                let l = flow.objective()?;
                let v = flow.velocities()?;
                let dim = flow.particles.dim;
                let vsq: f64 = flow
                    .particles
                    .mass
                    .iter()
                    .enumerate()
                    .map(|(j, m)| m * v[j * dim..(j + 1) * dim].iter().map(|a| a * a).sum::<f64>())
                    .sum();
                // nontrivial: stationary, above U + ε, and not the zero-output point L = R(0) (dead or vanished atoms)
                let nontrivial = l < problem.risk_at_zero() - 1e-6;
                if l > cert.upper + eps && vsq <= 1e-12 && nontrivial {
                    let h = first_hits(
                        &problem,
                        init,
                        params.flow_config(params.sigma)?,
                        &[cert.upper + eps],
                        params.max_steps,
                        &mut rng,
                    )?;
                    found.push(Stall {
                        act: act.name(),
                        particles: atoms,
                        seed: r,
                        plain_final: l,
                        velocity_sq: vsq,
                        perturbed_best: h.best,
                        upper: cert.upper,
                        escaped: h.first[0].is_some(),
                    });
                    break;
                }
            }
        }
    }
    Ok(found)
}

/// `wgf.convergence:plain-stall`: a nontrivial stall of the plain flow above the certified bracket.
struct PlainStall;

impl Claim for PlainStall {
    fn id(&self) -> &str {
        "wgf.convergence:plain-stall"
    }
    fn check(&self, ctx: &mut Context) -> Result<Evidence> {
        let params = WgfParams::for_tier(ctx.tier);
        params.validate()?;
        let found = stall_search(ctx, &params, ctx.tier.pick(4, 16))?;
        let escaped = found.iter().filter(|s| s.escaped).count();
        let verdict = if found.is_empty() {
            Verdict::Inconclusive
        } else if escaped == found.len() {
            Verdict::Refuted
        } else {
            Verdict::Inconclusive
        };
        let mut d = Decision::new(
            verdict,
            "false statement: the plain flow from every small-support start (1 or 2 atoms) reaches U + ε. Refuted \
             when a start is found whose plain flow becomes stationary (Σ m‖v‖² ≤ 1e-12) at U + ε < L < R(0) and \
             the perturbed flow from it reaches U + ε; Inconclusive when no stall is found",
        )
        .with("stalls_found", found.len())
        .with("escaped_with_noise", escaped);
        // in objective units: the lowest stall's height above the target U + ε
        let eps = params.eps[params.eps.len() - 1];
        let lowest = found.iter().map(|s| s.plain_final - (s.upper + eps)).fold(f64::INFINITY, f64::min);
        if lowest.is_finite() {
            d = d.with_margin(-lowest, lowest);
        }
        for (k, s) in found.iter().enumerate() {
            d = d
                .with(&format!("stall{k}.act"), s.act)
                .with(&format!("stall{k}.atoms"), s.particles)
                .with(&format!("stall{k}.seed"), s.seed)
                .with(&format!("stall{k}.plain_final"), s.plain_final)
                .with(&format!("stall{k}.velocity_sq"), s.velocity_sq)
                .with(&format!("stall{k}.perturbed_best"), s.perturbed_best)
                .with(&format!("stall{k}.upper"), s.upper);
        }
        let summary = found
            .iter()
            .map(|s| {
                format!(
                    "{} {}-atom stall at L = {:.4} > U + ε (U = {:.4}), Σm‖v‖² = {:.0e}; perturbed best {:.4}",
                    s.act, s.particles, s.plain_final, s.upper, s.velocity_sq, s.perturbed_best
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        Ok(Evidence::from_decision(d).summary(summary).note(
            "a Dirac (or 2-atom) measure stays finitely supported under the plain flow; its limit is a stationary \
             measure of the Wasserstein flow, not merely of a finite net",
        ))
    }
}

/// `wgf.convergence:plain-always-reaches`: the false claim "the plain flow reaches L* from every start", tested on
/// generic, dead and zero starts (relu, line problem).
struct PlainAlwaysReaches;

impl Claim for PlainAlwaysReaches {
    fn id(&self) -> &str {
        "wgf.convergence:plain-always-reaches"
    }
    fn check(&self, ctx: &mut Context) -> Result<Evidence> {
        let params = WgfParams { seeds: 2, ..WgfParams::for_tier(ctx.tier) };
        params.validate()?;
        let problem = line_problem(Activation::Relu, params.lambda)?;
        let cert = certificate(&problem, &params)?;
        let eps = params.eps[params.eps.len() - 1];
        let starts = [Start::Generic, Start::Dead, Start::Zero];
        let runs = run_all(ctx, "line/relu", &problem, &params, &starts, 0.0, &[cert.upper + eps])?;
        let failed: Vec<String> = runs
            .iter()
            .filter(|(_, _, h)| h.first[0].is_none())
            .map(|(s, r, h)| format!("{}#{r}: best {:.5}", s.name(), h.best))
            .collect();
        let d = Decision::new(
            Verdict::from_bool(failed.is_empty()),
            format!(
                "false statement: the plain flow reaches U + {eps:e} from every start (generic, dead, zero × 2 seeds) \
                 within {} steps; Refuted when some start does not",
                params.max_steps
            ),
        )
        .with("runs", runs.len())
        .with("failed", failed.len())
        .with("failed_runs", failed.join(", "))
        .with("upper", cert.upper);
        // in objective units: the largest distance of a plain run's best objective above the target U + ε
        let worst = runs.iter().map(|(_, _, h)| h.best - (cert.upper + eps)).fold(f64::NEG_INFINITY, f64::max);
        let d = d.with_margin(-worst, worst);
        let summary = format!(
            "{}/{} plain runs miss U + ε = {:.5}: {}",
            failed.len(),
            runs.len(),
            cert.upper + eps,
            failed.join(", ")
        );
        Ok(Evidence::from_decision(d).summary(summary))
    }
}

/// The checks of this file: the controls of `wgf.convergence`.
pub(super) fn checks() -> Vec<Box<dyn Claim>> {
    vec![Box::new(PlainDeadStart), Box::new(PlainZeroStart), Box::new(PlainStall), Box::new(PlainAlwaysReaches)]
}

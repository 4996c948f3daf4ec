//! One step of the discrete perturbed Wasserstein gradient flow on weighted particles, with exact mass bookkeeping.
//!
//! ρ_{t+1} = ρ_t + η(−σρ_t + σU^d − ∇·(v[ρ_t]ρ_t)) is carried out on particles as
//! 1. move: θ_j ← θ_j + η·v[ρ_t](θ_j) (all velocities from the same ρ_t);
//! 2. shrink: m_j ← (1 − ησ)·m_j;
//! 3. birth: `births` new particles drawn uniformly from the unit sphere S^D, each of mass ησ/`births` (a Monte-Carlo
//!    stand-in for ησ·U^d);
//! 4. prune: while more than `max_particles` are held, drop the particle with the smallest m_j‖θ_j‖² (its share of
//!    ∫V dρ, and by 2-homogeneity the scale of its contribution to ∫Φ dρ).
//!
//! The ledger keeps M_{t+1} = (1 − ησ)M_t + ησ − P_{t+1} with P the mass pruned at that step, so Σ m_j = M_t up to
//! rounding; L[ρ_t] is always evaluated on the measure actually held. σ = 0 is the plain flow (no births, no
//! pruning needed).

use super::particles::{CHUNK, Particles};
use super::problem::Problem;
use crate::{Error, Result};
use rand::Rng;
use rayon::prelude::*;

/// Step size, noise rate and particle budget of the discrete flow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlowConfig {
    /// Step size η > 0.
    pub eta: f64,
    /// Noise rate σ ≥ 0 (0 = plain flow); ησ < 1.
    pub sigma: f64,
    /// New particles per step when σ > 0 (≥ 1).
    pub births: usize,
    /// Particle budget (≥ births): pruning keeps at most this many.
    pub max_particles: usize,
}

impl FlowConfig {
    /// Checks η > 0, σ ≥ 0, ησ < 1, births ≥ 1, max_particles ≥ births.
    pub fn validate(&self) -> Result<()> {
        crate::error::ensure_positive("eta", self.eta)?;
        if !(self.sigma.is_finite() && self.sigma >= 0.0) {
            return Err(Error::param("sigma", self.sigma, "must be finite and ≥ 0"));
        }
        if self.eta * self.sigma >= 1.0 {
            return Err(Error::param("eta·sigma", self.eta * self.sigma, "must be < 1"));
        }
        if self.births == 0 {
            return Err(Error::param("births", 0, "need at least one new particle per step"));
        }
        if self.max_particles < self.births {
            return Err(Error::param("max_particles", self.max_particles, "must be ≥ births"));
        }
        Ok(())
    }
}

/// Mass bookkeeping: the total mass the scheme should hold, and what was injected and pruned.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MassLedger {
    /// M_t from the recursion M_{t+1} = (1 − ησ)M_t + ησ − P_{t+1}.
    pub expected: f64,
    /// Σ_t ησ injected.
    pub injected: f64,
    /// Σ_t P_t pruned (undiscounted).
    pub pruned: f64,
}

/// The state of a running flow.
#[derive(Debug, Clone)]
pub struct Flow<'a> {
    /// The objective.
    pub problem: &'a Problem,
    /// The measure held now.
    pub particles: Particles,
    /// Step size, noise, budget.
    pub config: FlowConfig,
    /// Mass bookkeeping.
    pub ledger: MassLedger,
    /// Steps taken.
    pub steps: usize,
}

/// One recorded point of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TracePoint {
    /// Step t.
    pub step: usize,
    /// L[ρ_t].
    pub objective: f64,
    /// Σ m_j at step t.
    pub mass: f64,
    /// Particles held.
    pub particles: usize,
}

impl<'a> Flow<'a> {
    /// Starts the flow at `init`.
    pub fn new(problem: &'a Problem, init: Particles, config: FlowConfig) -> Result<Self> {
        config.validate()?;
        super::features::check_dim(init.dim, problem.dim())?;
        if init.len() > config.max_particles {
            return Err(Error::param("initial particles", init.len(), "more than max_particles"));
        }
        let ledger = MassLedger { expected: init.total_mass(), injected: 0.0, pruned: 0.0 };
        Ok(Flow { problem, particles: init, config, ledger, steps: 0 })
    }

    /// L[ρ_t] of the measure held.
    pub fn objective(&self) -> Result<f64> {
        self.particles.objective(self.problem)
    }

    /// The velocities v[ρ](θ_j) of every particle (flat, like positions) for the current ρ.
    pub fn velocities(&self) -> Result<Vec<f64>> {
        let f = self.particles.output(self.problem)?;
        let p = self.problem.risk_grad(&f);
        let dim = self.particles.dim;
        let idx: Vec<usize> = (0..self.particles.len()).collect();
        let parts: Vec<Vec<f64>> = idx
            .par_chunks(CHUNK)
            .map(|js| js.iter().flat_map(|&j| self.problem.velocity(self.particles.position(j), &p)).collect())
            .collect();
        let v: Vec<f64> = parts.into_iter().flatten().collect();
        debug_assert_eq!(v.len(), dim * self.particles.len());
        Ok(v)
    }

    /// One step (move, shrink, birth, prune). Randomness only from `rng` (births).
    pub fn step<R: Rng + ?Sized>(&mut self, rng: &mut R) -> Result<()> {
        let v = self.velocities()?;
        let eta = self.config.eta;
        for (t, vt) in self.particles.theta.iter_mut().zip(&v) {
            *t += eta * vt;
        }
        crate::error::ensure_finite("particle positions after a step (η too large?)", &self.particles.theta)?;
        let keep = 1.0 - eta * self.config.sigma;
        let mut pruned = 0.0;
        if self.config.sigma > 0.0 {
            for m in &mut self.particles.mass {
                *m *= keep;
            }
            let b = self.config.births;
            let new_mass = eta * self.config.sigma / b as f64;
            let dirs = crate::data::sphere::uniform(self.particles.dim, b, rng)?;
            for k in 0..b {
                let th: Vec<f64> = dirs.row(k).iter().copied().collect();
                self.particles.push(&th, new_mass)?;
            }
            pruned = self.prune();
        }
        self.ledger.expected = keep * self.ledger.expected + (1.0 - keep) - pruned;
        self.ledger.injected += 1.0 - keep;
        self.ledger.pruned += pruned;
        self.steps += 1;
        Ok(())
    }

    /// Drops the particles with the smallest m_j‖θ_j‖² until at most `max_particles` remain; returns the mass
    /// dropped. Survivors keep their order.
    fn prune(&mut self) -> f64 {
        let excess = self.particles.len().saturating_sub(self.config.max_particles);
        if excess == 0 {
            return 0.0;
        }
        let dim = self.particles.dim;
        let weight: Vec<f64> = (0..self.particles.len())
            .map(|j| self.particles.mass[j] * self.particles.position(j).iter().map(|t| t * t).sum::<f64>())
            .collect();
        let mut order: Vec<usize> = (0..weight.len()).collect();
        order.sort_by(|a, b| weight[*a].total_cmp(&weight[*b]).then(a.cmp(b)));
        let mut drop = vec![false; weight.len()];
        for &j in &order[..excess] {
            drop[j] = true;
        }
        let mut pruned = 0.0;
        let mut theta = Vec::with_capacity(dim * self.config.max_particles);
        let mut mass = Vec::with_capacity(self.config.max_particles);
        for (j, d) in drop.iter().enumerate() {
            if *d {
                pruned += self.particles.mass[j];
            } else {
                theta.extend_from_slice(self.particles.position(j));
                mass.push(self.particles.mass[j]);
            }
        }
        self.particles.theta = theta;
        self.particles.mass = mass;
        pruned
    }

    /// Runs `steps` steps, recording L at step 0 and every `record_every` steps (and the last).
    pub fn run<R: Rng + ?Sized>(&mut self, steps: usize, record_every: usize, rng: &mut R) -> Result<Vec<TracePoint>> {
        let every = record_every.max(1);
        let mut trace = vec![self.trace_point()?];
        for s in 1..=steps {
            self.step(rng)?;
            if s % every == 0 || s == steps {
                trace.push(self.trace_point()?);
            }
        }
        Ok(trace)
    }

    /// Runs until L[ρ_t] ≤ `target` or `max_steps`; returns the first step t with L[ρ_t] ≤ target (None if never)
    /// and the best objective seen. The objective is checked every step.
    pub fn run_until<R: Rng + ?Sized>(
        &mut self,
        target: f64,
        max_steps: usize,
        rng: &mut R,
    ) -> Result<(Option<usize>, f64)> {
        let mut best = self.objective()?;
        if best <= target {
            return Ok((Some(self.steps), best));
        }
        for _ in 0..max_steps {
            self.step(rng)?;
            let l = self.objective()?;
            best = best.min(l);
            if l <= target {
                return Ok((Some(self.steps), best));
            }
        }
        Ok((None, best))
    }

    fn trace_point(&self) -> Result<TracePoint> {
        Ok(TracePoint {
            step: self.steps,
            objective: self.objective()?,
            mass: self.particles.total_mass(),
            particles: self.particles.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::{Activation, Particles, Problem};
    use crate::seed;

    /// The budget must hold the births of one step: max_particles < births is refused, = births accepted.
    #[test]
    fn config_needs_room_for_one_step_of_births() {
        let cfg = |births, max_particles| FlowConfig { eta: 0.1, sigma: 1.0, births, max_particles };
        assert!(matches!(cfg(5, 4).validate(), Err(Error::InvalidParameter { .. })));
        assert!(cfg(5, 5).validate().is_ok());
        assert!(matches!(cfg(0, 4).validate(), Err(Error::InvalidParameter { .. })));
        assert!(FlowConfig { eta: 0.5, sigma: 2.0, births: 1, max_particles: 1 }.validate().is_err());
    }

    /// `run(steps, every)` records step 0, every multiple of `every`, and the last step (once), each with the
    /// objective of the measure held at that step: the trace of 7 steps every 3 is at t = 0, 3, 6, 7.
    #[test]
    fn run_records_step_zero_every_multiple_and_the_last() {
        let d = crate::data::line1d().with_bias();
        let pb = Problem::from_dataset(&d, 0.01, Activation::Relu).unwrap();
        let mut rng = seed::stream(5, &["flow-run"], 0);
        let init = Particles::uniform_sphere(3, 8, 0.5, 1.0, &mut rng).unwrap();
        let cfg = FlowConfig { eta: 0.1, sigma: 0.0, births: 1, max_particles: 8 };
        let mut flow = Flow::new(&pb, init.clone(), cfg).unwrap();
        let trace = flow.run(7, 3, &mut rng).unwrap();
        let steps: Vec<usize> = trace.iter().map(|t| t.step).collect();
        assert_eq!(steps, vec![0, 3, 6, 7]);
        // the recorded objective at t = 7 is the objective of a fresh flow stepped 7 times (σ = 0: no randomness)
        let mut again = Flow::new(&pb, init, cfg).unwrap();
        for _ in 0..7 {
            again.step(&mut rng).unwrap();
        }
        assert_eq!(trace[3].objective, again.objective().unwrap());
        // when `every` divides `steps`, the last step is recorded once
        let mut f = Flow::new(&pb, again.particles.clone(), cfg).unwrap();
        let steps: Vec<usize> = f.run(6, 3, &mut rng).unwrap().iter().map(|t| t.step).collect();
        assert_eq!(steps, vec![0, 3, 6]);
    }

    /// `run_until` returns the first step at which the objective is ≤ the target and the best objective seen, both
    /// against a step-by-step replay of the same deterministic flow (σ = 0): a target already met returns step 0
    /// and the initial objective; an unreachable one returns None after `max_steps` with the running minimum.
    #[test]
    fn run_until_returns_the_first_hitting_step_and_the_best_objective() {
        let d = crate::data::line1d().with_bias();
        let pb = Problem::from_dataset(&d, 0.01, Activation::Relu).unwrap();
        let mut rng = seed::stream(6, &["flow-run-until"], 0);
        let init = Particles::uniform_sphere(3, 8, 0.5, 1.0, &mut rng).unwrap();
        let cfg = FlowConfig { eta: 0.1, sigma: 0.0, births: 1, max_particles: 8 };
        let mut replay = Flow::new(&pb, init.clone(), cfg).unwrap();
        let mut objectives = vec![replay.objective().unwrap()];
        for _ in 0..30 {
            replay.step(&mut rng).unwrap();
            objectives.push(replay.objective().unwrap());
        }
        let l0 = objectives[0];
        // already met
        let mut f = Flow::new(&pb, init.clone(), cfg).unwrap();
        assert_eq!(f.run_until(l0, 30, &mut rng).unwrap(), (Some(0), l0));
        // a target between the initial and the final objective: the first t with L_t ≤ target
        let target = 0.5 * (l0 + objectives[30]);
        let first = objectives.iter().position(|&l| l <= target).expect("the flow descends");
        let best = objectives[..=first].iter().copied().fold(f64::INFINITY, f64::min);
        let mut f = Flow::new(&pb, init.clone(), cfg).unwrap();
        assert_eq!(f.run_until(target, 30, &mut rng).unwrap(), (Some(first), best));
        // unreachable: None, and the minimum over the 30 steps
        let mut f = Flow::new(&pb, init, cfg).unwrap();
        let min = objectives.iter().copied().fold(f64::INFINITY, f64::min);
        assert_eq!(f.run_until(-1.0, 30, &mut rng).unwrap(), (None, min));
    }
}

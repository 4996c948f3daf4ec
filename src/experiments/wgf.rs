//! Shared setup of the `wgf` checks: the problems, the checked parameter struct per tier, the starts, and the
//! "first step that reaches a target" runner; and the perturbed-vs-plain figure ([`flow_figure`]) with its findings
//! ([`flow_findings`]).

use super::finding::Finding;
use crate::convex::measure::{Certificate, MeasureConfig, certify};
use crate::data::Dataset;
use crate::flow::{Activation, Flow, FlowConfig, Particles, Problem};
use crate::stats::{Decision, Verdict, bracket_at_least, bracket_at_most};
use crate::tier::Tier;
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};
use rand::Rng;

/// Sizes and tolerances of the `wgf` checks (validated before anything runs).
#[derive(Debug, Clone, PartialEq)]
pub struct WgfParams {
    /// λ in V(θ) = λ‖θ‖² (R is the mean logistic loss).
    pub lambda: f64,
    /// Step size η of the discrete flow.
    pub eta: f64,
    /// Noise rate σ of the perturbed flow.
    pub sigma: f64,
    /// New particles per step.
    pub births: usize,
    /// Particle budget.
    pub max_particles: usize,
    /// Particles of the generic start.
    pub init_particles: usize,
    /// Radius of the generic start (uniform on the sphere of this radius, total mass 1).
    pub init_radius: f64,
    /// Seeds (replicates) per start.
    pub seeds: usize,
    /// Targets ε: a run reaches ε at the first t with L[ρ_t] ≤ U + ε.
    pub eps: Vec<f64>,
    /// Step cap per run.
    pub max_steps: usize,
    /// Seeds (paired η, η/2 runs) of the `wgf.discrete` sweep: quick 12, full 24 (12 gives the α_r = 2e-5 bound of the
    /// near-miss twin η^{−1/2} room; 6 did not at every master seed).
    pub discrete_seeds: usize,
    /// Steps at the base η of the `wgf.discrete` runs (η/2 runs twice as many: same continuous time).
    pub discrete_steps: usize,
    /// The certificate's sizes.
    pub cert: MeasureConfig,
    /// The certified bracket must close to this width (absolute) on the quick problem.
    pub bracket_width: f64,
    /// Run the 3-D (2-D input + bias) problem too.
    pub plane: bool,
}

impl WgfParams {
    /// The parameters of a tier.
    pub fn for_tier(tier: Tier) -> Self {
        WgfParams {
            lambda: 3e-3,
            eta: 1.0,
            sigma: 1e-3,
            births: 4,
            max_particles: tier.pick(256, 512),
            init_particles: 64,
            init_radius: 0.1,
            seeds: tier.pick(6, 12),
            eps: tier.pick(vec![1e-1, 3e-2, 1e-2], vec![1e-1, 3e-2, 1e-2, 3e-3]),
            max_steps: tier.pick(6000, 40000),
            discrete_seeds: tier.pick(12, 24),
            discrete_steps: tier.pick(1500, 6000),
            cert: MeasureConfig::default(),
            bracket_width: 1e-3,
            plane: tier.at_least_full(),
        }
    }

    /// Checks every size and tolerance.
    pub fn validate(&self) -> Result<()> {
        crate::error::ensure_positive("lambda", self.lambda)?;
        crate::error::ensure_positive("init_radius", self.init_radius)?;
        crate::error::ensure_positive("bracket_width", self.bracket_width)?;
        self.flow_config(self.sigma)?;
        self.cert.validate()?;
        if self.seeds < 2 || self.discrete_seeds < 2 {
            return Err(Error::param("seeds", self.seeds, "need ≥ 2 for a confidence bound over seeds"));
        }
        if self.eps.len() < 2 || self.eps.iter().any(|e| !(e.is_finite() && *e > 0.0)) {
            return Err(Error::param("eps", format!("{:?}", self.eps), "need ≥ 2 positive targets"));
        }
        if self.eps.windows(2).any(|w| w[1] >= w[0]) {
            return Err(Error::param("eps", format!("{:?}", self.eps), "must be strictly decreasing"));
        }
        if self.init_particles == 0
            || self.init_particles > self.max_particles
            || self.max_steps == 0
            || self.discrete_steps == 0
        {
            return Err(Error::param("init_particles", self.init_particles, "need 1 ≤ init_particles ≤ max_particles"));
        }
        Ok(())
    }

    /// The flow configuration with noise rate `sigma` (0 = plain flow).
    pub fn flow_config(&self, sigma: f64) -> Result<FlowConfig> {
        let c = FlowConfig { eta: self.eta, sigma, births: self.births, max_particles: self.max_particles };
        c.validate()?;
        Ok(c)
    }
}

/// The quick-tier problem: `data::line1d()` with a bias column (D = 2, neurons in ℝ³, θ̄ on S²).
pub fn line_problem(act: Activation, lambda: f64) -> Result<Problem> {
    Problem::from_dataset(&crate::data::line1d().with_bias(), lambda, act)
}

/// The 3-D problem: 2-D input + bias (D = 3, θ̄ on S³): a 4 × 4 grid on [−1, 1]² labelled by XOR, y = sign(x₁x₂).
pub fn plane_problem(act: Activation, lambda: f64) -> Result<Problem> {
    let g = [-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0];
    let pts: Vec<(f64, f64)> = g.iter().flat_map(|a| g.iter().map(move |b| (*a, *b))).collect();
    let x = DMatrix::from_fn(pts.len(), 2, |i, j| if j == 0 { pts[i].0 } else { pts[i].1 });
    let y = DVector::from_iterator(pts.len(), pts.iter().map(|(a, b)| (a * b).signum()));
    Problem::from_dataset(&Dataset::binary(x, y)?.with_bias(), lambda, act)
}

/// The problems a tier runs: (name, problem) for relu and smooth, on the line (and the plane in the full tier).
pub fn problems(params: &WgfParams) -> Result<Vec<(String, Problem)>> {
    let mut out = Vec::new();
    for act in [Activation::Relu, Activation::SMOOTH] {
        out.push((format!("line/{}", act.name()), line_problem(act, params.lambda)?));
        if params.plane {
            out.push((format!("plane/{}", act.name()), plane_problem(act, params.lambda)?));
        }
    }
    Ok(out)
}

/// A key for the certificate cache: every number that defines the problem and the certificate's configuration.
fn cache_key(problem: &Problem, params: &WgfParams) -> String {
    let bits = |v: &[f64]| v.iter().map(|x| format!("{:x}", x.to_bits())).collect::<Vec<_>>().join(",");
    format!(
        "{:?}|{:x}|{}|{}|{:?}",
        problem.act,
        problem.lambda.to_bits(),
        bits(problem.x.as_slice()),
        bits(problem.y.as_slice()),
        params.cert
    )
}

/// Certifies a problem and checks that the certificate is usable (finite, ordered). Certificates are deterministic
/// functions of the problem and the configuration, so they are cached for the process (the claims share them).
pub fn certificate(problem: &Problem, params: &WgfParams) -> Result<Certificate> {
    let key = format!("wgf.certificate|{}", cache_key(problem, params));
    let c = crate::experiments::memo::memo(&key, || {
        let c = certify(problem, &params.cert)?;
        if c.lower > c.upper + 1e-12 {
            return Err(Error::Numerical(format!("certificate inverted: lower {} > upper {}", c.lower, c.upper)));
        }
        Ok(c)
    })?;
    Ok((*c).clone())
}

/// Where a run starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// `init_particles` uniform on the sphere of radius `init_radius`.
    Generic,
    /// Relu only: every neuron dead on the data (uᵀx_i ≤ 0 for all i), radius 1.
    Dead,
    /// Every particle at the origin.
    Zero,
}

impl Start {
    /// Short name.
    pub fn name(self) -> &'static str {
        match self {
            Start::Generic => "generic",
            Start::Dead => "dead",
            Start::Zero => "zero",
        }
    }

    /// The starts that exist for an activation (no neuron is dead for the smooth variant).
    pub fn all_for(act: Activation) -> Vec<Start> {
        match act {
            Activation::Relu => vec![Start::Generic, Start::Dead, Start::Zero],
            Activation::SmoothRelu { .. } => vec![Start::Generic, Start::Zero],
        }
    }

    /// The initial measure (total mass 1).
    pub fn init<R: Rng + ?Sized>(self, problem: &Problem, params: &WgfParams, rng: &mut R) -> Result<Particles> {
        let dim = problem.dim() + 1;
        match self {
            Start::Generic => Particles::uniform_sphere(dim, params.init_particles, params.init_radius, 1.0, rng),
            Start::Dead => Particles::dead(problem, params.init_particles, 1.0, 1.0, rng),
            Start::Zero => Particles::at_origin(dim, params.init_particles, 1.0),
        }
    }
}

/// The outcome of one run against a list of targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Hits {
    /// First step t with L[ρ_t] ≤ target k (None if never within the cap).
    pub first: Vec<Option<usize>>,
    /// min_t L[ρ_t] over the run.
    pub best: f64,
    /// L[ρ_0].
    pub initial: f64,
    /// Steps run.
    pub steps: usize,
    /// Total mass minus the ledger's expected mass at the end.
    pub mass_error: f64,
}

/// Runs the flow from `init` until every target (decreasing) is reached or `max_steps`; L is evaluated every step.
pub fn first_hits<R: Rng + ?Sized>(
    problem: &Problem,
    init: Particles,
    config: FlowConfig,
    targets: &[f64],
    max_steps: usize,
    rng: &mut R,
) -> Result<Hits> {
    let mut flow = Flow::new(problem, init, config)?;
    let initial = flow.objective()?;
    let mut first = vec![None; targets.len()];
    let mut best = initial;
    let mark = |l: f64, t: usize, first: &mut Vec<Option<usize>>| {
        for (k, tg) in targets.iter().enumerate() {
            if first[k].is_none() && l <= *tg {
                first[k] = Some(t);
            }
        }
    };
    mark(initial, 0, &mut first);
    while flow.steps < max_steps && first.iter().any(|f| f.is_none()) {
        flow.step(rng)?;
        let l = flow.objective()?;
        best = best.min(l);
        mark(l, flow.steps, &mut first);
    }
    let mass_error = flow.particles.total_mass() - flow.ledger.expected;
    Ok(Hits { first, best, initial, steps: flow.steps, mass_error })
}

/// One run of the figure: an activation, a start, σ, and the objective every 10 steps.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FlowSeries {
    /// Start name.
    pub start: &'static str,
    /// Perturbation σ (0 = plain flow).
    pub sigma: f64,
    /// (step, L[ρ_t]), every 10 steps and the last.
    pub trace: Vec<(usize, f64)>,
    /// min_t L[ρ_t] over EVERY step 0 … T (not only the recorded ones).
    pub best: f64,
}

/// One activation's panel: the certified bracket, every run, and the final particles of the perturbed generic run
/// against the support of the convex solution.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FlowPanel {
    /// Activation name.
    pub act: &'static str,
    /// Certified upper bound U on L*.
    pub upper: f64,
    /// Certified lower bound on L*.
    pub lower: f64,
    /// The runs, perturbed then plain for each start.
    pub series: Vec<FlowSeries>,
    /// Final particles of the perturbed generic run: (angle of ū in the (u, b) plane, signed m‖θ‖²).
    pub particles: Vec<(f64, f64)>,
    /// Support atoms of the convex solution: (angle of ū, signed weight 2α).
    pub support: Vec<(f64, f64)>,
}

/// The perturbed-vs-plain figure at one tier and seed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FlowFigure {
    /// Master seed.
    pub seed: u64,
    /// Tier.
    pub tier: Tier,
    /// Steps per run.
    pub steps: usize,
    /// One panel per activation (relu, smooth).
    pub panels: Vec<FlowPanel>,
    /// The target ε of the findings (the smallest ε of the tier's `wgf.convergence`).
    pub eps: f64,
    /// The figure's findings ([`flow_findings`]); written at the top level of the figure's JSON, not inside `result`.
    #[serde(skip)]
    pub findings: Vec<Finding>,
}

/// The two findings of the figure, against the certified bracket L* ∈ [lower, U] of each panel, with ε = the smallest
/// target of the tier's `wgf.convergence` (quick 1e-2, full 3e-3: the claim's decisive ε, for the same flow at the
/// same σ). With b = min_t L[ρ_t] over every step of a run, b − L* lies in [b − U, b − lower].
///
/// 1. *The perturbed flow (σ > 0) reaches within ε of L* from every start*: for every perturbed run, b − L* ≤ ε
///    ([`bracket_at_most`]: Supported when b − lower ≤ ε, the conservative end). A run that misses is Inconclusive,
///    never Refuted: the theorem promises t_ε = poly(d, 1/ε, …) steps, far more than the figure's T, so a T-step run
///    cannot refute it.
/// 2. *The plain flow (σ = 0) from the dead and zero starts stays at R(0) = ln 2 and does not reach L**: for every
///    such run, b − L* > ε ([`bracket_at_least`]: Supported when b − U ≥ ε; Refuted when even b − lower < ε, i.e.
///    the plain run certifiably got within ε). Every such run starts at a stationary measure of the plain flow (dead
///    neurons: v = −2λθ; the origin: v = 0), so L_t ≥ R(0) > U + ε; b − R(0) is recorded per run.
pub fn flow_findings(panels: &[FlowPanel], eps: f64, steps: usize) -> Vec<Finding> {
    let mut reach = Vec::new();
    let mut stuck = Vec::new();
    for p in panels {
        for s in &p.series {
            let name = format!("{}.{}", p.act, s.start);
            let (lo, hi) = (s.best - p.upper, s.best - p.lower);
            if s.sigma > 0.0 {
                reach.push(bracket_at_most("min_t L[ρ_t] − L*", lo, hi, eps, 0.0).with("best", s.best).prefixed(&name));
            } else if s.start != Start::Generic.name() {
                stuck.push(
                    bracket_at_least("min_t L[ρ_t] − L*", lo, hi, eps, 0.0)
                        .with("best", s.best)
                        .with("best_minus_risk_at_zero", s.best - std::f64::consts::LN_2)
                        .prefixed(&name),
                );
            }
        }
    }
    let mut reach = Decision::all(reach).with("eps", eps).with("steps", steps);
    if reach.verdict == Verdict::Refuted {
        reach.verdict = Verdict::Inconclusive;
    }
    if let Some(m) = &mut reach.margin {
        m.refute = f64::NEG_INFINITY;
        m.refute_part.clear();
    }
    reach.rule.push_str(&format!(
        "; a run that misses within the figure's {steps} steps is Inconclusive, never Refuted (the theorem's t_ε is \
         far above {steps})"
    ));
    let stuck = Decision::all(stuck).with("eps", eps).with("steps", steps);
    vec![
        Finding::new(
            &format!(
                "the perturbed flow (σ > 0) reaches within ε = {eps:e} of the certified optimum L* from every start \
                 (within {steps} steps)"
            ),
            reach,
        ),
        Finding::new(
            &format!(
                "the plain flow (σ = 0) from the dead and zero starts stays at R(0) = ln 2: it never comes within \
                 ε = {eps:e} of L* (within {steps} steps)"
            ),
            stuck,
        ),
    ]
}

/// Runs the perturbed (σ = `params.sigma`) and the plain (σ = 0) flow from every start of each activation on the
/// line problem for 3000 (quick) / 20000 (full) steps; the stream of a run is ("repro.wgf", activation, start).
pub fn flow_figure(tier: Tier, seed: u64) -> Result<FlowFigure> {
    let params = WgfParams::for_tier(tier);
    params.validate()?;
    let steps = tier.pick(3000, 20000);
    let mut panels = Vec::new();
    for act in [Activation::Relu, Activation::SMOOTH] {
        let problem = line_problem(act, params.lambda)?;
        let cert = certificate(&problem, &params)?;
        let mut series = Vec::new();
        let mut particles = Vec::new();
        for start in Start::all_for(act) {
            for sigma in [params.sigma, 0.0] {
                let mut rng = crate::seed::stream(seed, &["repro.wgf", act.name(), start.name()], 0);
                let init = start.init(&problem, &params, &mut rng)?;
                let mut flow = Flow::new(&problem, init, params.flow_config(sigma)?)?;
                // Flow::run's trace (every 10 steps and the last), with the objective also read at every step for b
                let mut best = flow.objective()?;
                let mut trace = vec![(0, best)];
                for t in 1..=steps {
                    flow.step(&mut rng)?;
                    let l = flow.objective()?;
                    best = best.min(l);
                    if t % 10 == 0 || t == steps {
                        trace.push((flow.steps, l));
                    }
                }
                if start == Start::Generic && sigma > 0.0 {
                    let p = &flow.particles;
                    for j in 0..p.len() {
                        let th = p.position(j);
                        let w = p.mass[j] * th.iter().map(|v| v * v).sum::<f64>() * th[0].signum();
                        particles.push((th[2].atan2(th[1]), w));
                    }
                }
                series.push(FlowSeries { start: start.name(), sigma, trace, best });
            }
        }
        // support atom α on ū ↔ mass 2|α| at unit radius: signed weight 2α, comparable to m‖θ‖²·sign(w)
        let support = cert.support().iter().map(|(u, a)| (u[1].atan2(u[0]), 2.0 * a)).collect();
        panels.push(FlowPanel { act: act.name(), upper: cert.upper, lower: cert.lower, series, particles, support });
    }
    let eps = params.eps.last().copied().unwrap_or(f64::NAN);
    let findings = flow_findings(&panels, eps, steps);
    Ok(FlowFigure { seed, tier, steps, panels, eps, findings })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel(perturbed_best: f64, plain_best: f64) -> FlowPanel {
        let run =
            |start: &'static str, sigma: f64, best: f64| FlowSeries { start, sigma, trace: vec![(0, best)], best };
        FlowPanel {
            act: "relu",
            upper: 0.40,
            lower: 0.399,
            series: vec![run("generic", 1e-3, 0.401), run("zero", 1e-3, perturbed_best), run("zero", 0.0, plain_best)],
            particles: Vec::new(),
            support: Vec::new(),
        }
    }

    fn verdicts(p: FlowPanel) -> Vec<Verdict> {
        flow_findings(&[p], 1e-2, 100).iter().map(|f| f.verdict()).collect()
    }

    #[test]
    fn findings_follow_the_certified_bracket() {
        use Verdict::*;
        assert_eq!(verdicts(panel(0.405, std::f64::consts::LN_2)), [Supported, Supported]);
        // a perturbed run that misses is Inconclusive (a finite run cannot refute convergence), never Refuted
        assert_eq!(verdicts(panel(0.6, std::f64::consts::LN_2))[0], Inconclusive);
        // within ε of U but not of lower: the conservative end does not certify the reach
        assert_eq!(verdicts(panel(0.4095, std::f64::consts::LN_2))[0], Inconclusive);
        // a plain run that certifiably gets within ε refutes "it stays at R(0)"
        assert_eq!(verdicts(panel(0.405, 0.402))[1], Refuted);
        let f = flow_findings(&[panel(0.6, 0.402)], 1e-2, 100);
        assert!(f[0].decision.margin.as_ref().is_some_and(|m| m.refute == f64::NEG_INFINITY), "{:?}", f[0].decision);
    }
}

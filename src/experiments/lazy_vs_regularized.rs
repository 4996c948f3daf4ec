//! The NeurIPS simulation (lazy vs regularized training; the setting below is reconstructed, not read — the NeurIPS
//! version's simulation section was not available): from the SAME large initialization (every weight ~ N(0, 1)), train
//! a two-layer ReLU net by full-batch gradient descent (lr 0.1) on the mean logistic loss with λ = 0 and with λ > 0
//! (λ‖Θ‖₂² added), on data of a random 10-unit ReLU teacher in d = 20 with margin rejection |f*| ≥ 0.01.
//!
//! Recorded at checkpoints along training, per trial and per λ: the normalized margin min_i y_i f(x_i)/‖Θ‖² (negative
//! while the net misclassifies a training point), the test error on a fresh sample of the same distribution, and the
//! fraction of changed ReLU activation patterns relative to the initialization,
//! [`crate::nets::activation::activation_change`], on the TRAINING inputs (the CSV also has it on the test inputs).
//!
//! Tiers: full = the catalog's setting (n = 200, 20000 steps, λ = 5e-4, 20 trials, width 100). Quick = n = 100,
//! width 50, 2000 steps, 6 trials and λ = 5e-3: the weight decay acts through the product lr·λ·steps (the
//! init's share of Θ decays like e^{−2·lr·λ·t}), so λ is scaled up by the same factor the steps are scaled down.
//!
//! Findings (paired over trials, [`Finding::paired_greater`]): the regularized net changes more activation patterns,
//! has a lower test error and a larger normalized margin than λ = 0.

use super::finding::Finding;
use crate::Result;
use crate::data::{Dataset, Teacher, zero_one_error};
use crate::nets::activation::activation_change;
use crate::nets::lbfgs::gradient_descent;
use crate::nets::{Model, Objective, Reduction, TwoLayer, margin::margins};
use crate::tier::Tier;
use rayon::prelude::*;
use serde::Serialize;

/// The sizes of one run.
#[derive(Debug, Clone, Serialize)]
pub struct Setting {
    /// Input dimension.
    pub d: usize,
    /// Hidden units of the teacher.
    pub teacher_units: usize,
    /// Teacher margin of the rejection sampling.
    pub rejection_margin: f64,
    /// Training points.
    pub n: usize,
    /// Test points.
    pub n_test: usize,
    /// Width of the net.
    pub width: usize,
    /// Standard deviation of every initial weight.
    pub init_std: f64,
    /// Gradient-descent step size.
    pub lr: f64,
    /// GD steps.
    pub steps: usize,
    /// λ of the regularized run.
    pub lambda: f64,
    /// Trials (paired: one data set and one initialization for both runs).
    pub trials: usize,
    /// Steps at which the nets are measured.
    pub checkpoints: Vec<usize>,
}

impl Setting {
    /// The tier's setting (see the module docs).
    pub fn for_tier(tier: Tier) -> Setting {
        let steps = tier.pick(2000, 20000);
        // 0 and then a geometric grid of steps (the early phase moves fastest)
        let k = tier.pick(16, 24);
        let mut checkpoints: Vec<usize> = vec![0];
        for s in 0..k {
            // 10 … steps, geometric
            let e = 1.0 + s as f64 / (k - 1) as f64 * ((steps as f64).log10() - 1.0);
            let t = 10f64.powf(e).round() as usize;
            if t > *checkpoints.last().unwrap_or(&0) {
                checkpoints.push(t.min(steps));
            }
        }
        if *checkpoints.last().unwrap_or(&0) != steps {
            checkpoints.push(steps);
        }
        Setting {
            d: 20,
            teacher_units: 10,
            rejection_margin: 0.01,
            n: tier.pick(100, 200),
            n_test: tier.pick(1000, 5000),
            width: tier.pick(50, 100),
            init_std: 1.0,
            lr: 0.1,
            steps,
            lambda: tier.pick(5e-3, 5e-4),
            trials: tier.pick(6, 20),
            checkpoints,
        }
    }
}

/// One checkpoint of one run.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Point {
    /// GD step.
    pub step: usize,
    /// Training objective.
    pub loss: f64,
    /// ‖Θ‖₂.
    pub norm: f64,
    /// Normalized margin min_i y_i f(x_i)/‖Θ‖².
    pub margin: f64,
    /// Training 0-1 error.
    pub train_error: f64,
    /// Test 0-1 error.
    pub test_error: f64,
    /// Fraction of changed activation patterns on the training inputs.
    pub change_train: f64,
    /// The same on the test inputs.
    pub change_test: f64,
}

fn error_rate(net: &TwoLayer, data: &Dataset) -> Result<f64> {
    zero_one_error(margins(net, data)?.as_slice())
}

fn measure(init: &TwoLayer, net: &TwoLayer, train: &Dataset, test: &Dataset, step: usize, loss: f64) -> Result<Point> {
    let norm = net.param_norm();
    Ok(Point {
        step,
        loss,
        norm,
        margin: margins(net, train)?.min() / (norm * norm).max(f64::MIN_POSITIVE),
        train_error: error_rate(net, train)?,
        test_error: error_rate(net, test)?,
        change_train: activation_change(init, net, train.x())?,
        change_test: activation_change(init, net, test.x())?,
    })
}

/// Full-batch GD on `obj` from `init`, measured at every checkpoint.
fn run_gd(init: &TwoLayer, obj: Objective, s: &Setting, train: &Dataset, test: &Dataset) -> Result<Vec<Point>> {
    let mut net = init.clone();
    let mut done = 0;
    let mut out = Vec::with_capacity(s.checkpoints.len());
    for &c in &s.checkpoints {
        let mut loss = obj.value(&net, train)?;
        if c > done {
            let base = net.clone();
            let eval = |p: &nalgebra::DVector<f64>| {
                let mut m = base.clone();
                m.set_params(p.as_slice())?;
                obj.value_grad(&m, train)
            };
            let min = gradient_descent(eval, net.params(), s.lr, c - done, 0.0)?;
            net.set_params(min.x.as_slice())?;
            loss = min.value;
            done = c;
        }
        out.push(measure(init, &net, train, test, c, loss)?);
    }
    Ok(out)
}

/// One trial: (λ = 0 curve, λ > 0 curve).
fn trial(s: &Setting, seed: u64, t: usize) -> Result<(Vec<Point>, Vec<Point>)> {
    let mut rng = crate::seed::stream(seed, &["repro", "lazy-vs-regularized"], t as u64);
    let teacher = Teacher::random(s.d, s.teacher_units, &mut rng)?;
    let train = teacher.classification(s.n, s.rejection_margin, &mut rng)?;
    let test = teacher.classification(s.n_test, s.rejection_margin, &mut rng)?;
    let init = TwoLayer::gaussian(s.width, s.d, s.init_std, &mut rng)?;
    let lazy = run_gd(&init, Objective::unregularized(Reduction::Mean), s, &train, &test)?;
    let reg = run_gd(&init, Objective::new(s.lambda, 2.0, Reduction::Mean)?, s, &train, &test)?;
    Ok((lazy, reg))
}

/// One trial's two curves (λ = 0, then λ > 0), one point per checkpoint.
#[derive(Debug, Clone, Serialize)]
pub struct Trial {
    /// λ = 0.
    pub lazy: Vec<Point>,
    /// λ > 0.
    pub regularized: Vec<Point>,
}

/// The simulation's result: the setting, every trial, and the findings.
#[derive(Debug, Clone, Serialize)]
pub struct LazyVsRegularized {
    /// Master seed.
    pub seed: u64,
    /// Tier.
    pub tier: Tier,
    /// Sizes.
    pub setting: Setting,
    /// What was reconstructed rather than read.
    pub setting_note: &'static str,
    /// Every trial.
    pub trials: Vec<Trial>,
    /// The paper's findings, checked over the trials.
    pub findings: Vec<Finding>,
}

impl LazyVsRegularized {
    /// The values of `get` at the last checkpoint, per trial, for the lazy (`regularized = false`) or the
    /// regularized run.
    pub fn last(&self, regularized: bool, get: fn(&Point) -> f64) -> Vec<f64> {
        self.trials
            .iter()
            .filter_map(|t| if regularized { t.regularized.last() } else { t.lazy.last() }.map(get))
            .collect()
    }
}

/// Runs the simulation (trials in parallel, each with its own stream, gathered in order) and checks its findings.
pub fn lazy_vs_regularized(tier: Tier, seed: u64) -> Result<LazyVsRegularized> {
    let s = Setting::for_tier(tier);
    let runs: Vec<(Vec<Point>, Vec<Point>)> =
        (0..s.trials).into_par_iter().map(|t| trial(&s, seed, t)).collect::<Result<_>>()?;
    let trials: Vec<Trial> = runs.into_iter().map(|(lazy, regularized)| Trial { lazy, regularized }).collect();
    let mut r = LazyVsRegularized {
        seed,
        tier,
        setting: s,
        setting_note: "reconstructed: the NeurIPS simulation's setting was not available; inputs x ~ N(0, I_d), \
            teacher directions uniform on the sphere with ±1 output weights, mean logistic loss, penalty λ‖Θ‖₂², every \
            weight of the net ~ N(0, init_std²). Activation change measured on the training inputs.",
        trials,
        findings: Vec::new(),
    };
    r.findings = vec![
        Finding::paired_greater(
            "the regularized net changes a larger fraction of activation patterns (train inputs) than λ = 0",
            "regularized",
            &r.last(true, |p| p.change_train),
            "unregularized",
            &r.last(false, |p| p.change_train),
        ),
        Finding::paired_greater(
            "the regularized net has a lower test error than λ = 0",
            "unregularized",
            &r.last(false, |p| p.test_error),
            "regularized",
            &r.last(true, |p| p.test_error),
        ),
        Finding::paired_greater(
            "the regularized net has a larger normalized margin than λ = 0",
            "regularized",
            &r.last(true, |p| p.margin),
            "unregularized",
            &r.last(false, |p| p.margin),
        ),
    ];
    Ok(r)
}

//! Figure 3 of the ICLR'19 version (OpenReview F.1): test error and the predicted
//! generalization bounds of the weakly regularized two-layer net and of the ℓ2 kernel SVM / kernel interpolant with
//! ReLU features ([`crate::kernels::Kind::ReluSphere`], K̃(x, x′) = E_{ū∈S^{d−1}}[relu(ūᵀx)relu(ūᵀx′)]) as n
//! grows, on a random 6-unit ReLU teacher in d = 20 (x ~ N(0, I_d): the paper does not state the input law).
//!
//! - **Classification** (left panel): labels sign f*(x) with margin rejection |f*(x)| ≥ 0.1 (train and test). Net:
//!   logistic loss, λ annealed 1e-2 → 1e-8 (L-BFGS, warm starts; the paper ran 20000 plain steps — our annealed
//!   L-BFGS budget is stated in the JSON). Bound: Thm 3.1, [`margin_bound`](super::bounds::margin_bound) at the net's normalized margin. Kernel:
//!   hard-margin SVM on K̃; bound: Lemma 3.4, [`l2_bound_terms`](super::bounds::l2_bound_terms) at the certified lower end of the SVM margin bracket
//!   (the bound decreases in γ, so this is conservative). Error: 0-1 test error.
//! - **Regression** (right panel): y = f*(x), squared loss. Net: ½·mean squared loss + λ‖Θ‖², λ annealed to 1e-8.
//!   Kernel: the minimum-norm (ridgeless) interpolant in the RKHS of K̃. "Bounds" are the Rademacher terms of the
//!   regression comparison (ICLR Lemmas D.4/D.5, as in `kernel.regression_gap`): net T₁ = 2‖α‖₁‖X‖_F/n with
//!   ‖α‖₁ = Σ_j |w_j|‖u_j‖ (the lifted ℓ1 norm of the trained net), kernel T₂ = √(yᵀK̃⁺y · tr K̃)/n. Error: mean
//!   squared test error.
//!
//! Tiers: quick n ∈ {50, 150, 400}, 5 trials, width 30; full n ∈ {50, 100, 200, 400, 800, 1600}, 20 trials (the paper:
//! 100), width 100. Findings: the net beats the kernel at the largest n (both tasks); the kernel bound T₂ is flat in n while the
//! kernel's errors still fall.

use super::bounds::{self, l2_bound_terms, margin_bound};
use super::finding::{FINDING_LEVELS, Finding};
use crate::Result;
use crate::data::{Dataset, Teacher, classification_error, zero_one_error};
use crate::kernels::predict::{RidgePath, Svm, SvmOptions};
use crate::kernels::{Kind, cross, gram};
use crate::nets::{Targets, TrainConfig, TwoLayer, margin::margins, train};
use crate::stats::{Decision, SlopeFit, Verdict, slope_fit};
use crate::tier::Tier;
use nalgebra::{DMatrix, DVector};
use rayon::prelude::*;
use serde::Serialize;

/// δ of both classification bounds.
const DELTA: f64 = 0.05;

/// The sizes of one run.
#[derive(Debug, Clone, Serialize)]
pub struct Setting {
    /// Input dimension.
    pub d: usize,
    /// Hidden units of the teacher.
    pub teacher_units: usize,
    /// Teacher margin of the classification rejection sampling.
    pub rejection_margin: f64,
    /// Training-set sizes.
    pub ns: Vec<usize>,
    /// Test points.
    pub n_test: usize,
    /// Trials per n.
    pub trials: usize,
    /// Width of the net.
    pub width: usize,
    /// Standard deviation of the initial weights.
    pub init_std: f64,
    /// First λ of the annealing.
    pub lambda_start: f64,
    /// Last λ of the annealing.
    pub lambda_end: f64,
    /// λ stages.
    pub stages: usize,
    /// L-BFGS iterations per stage.
    pub iters_per_stage: usize,
    /// Relative bracket gap asked of the kernel SVM.
    pub svm_tol: f64,
    /// δ of the classification bounds.
    pub delta: f64,
}

impl Setting {
    /// The tier's setting (see the module docs).
    pub fn for_tier(tier: Tier) -> Setting {
        Setting {
            d: 20,
            teacher_units: 6,
            rejection_margin: 0.1,
            ns: tier.pick(vec![50, 150, 400], vec![50, 100, 200, 400, 800, 1600]),
            n_test: tier.pick(2000, 5000),
            trials: tier.pick(5, 20),
            width: tier.pick(30, 100),
            init_std: 0.5,
            lambda_start: 1e-2,
            lambda_end: 1e-8,
            stages: 7,
            iters_per_stage: tier.pick(120, 500),
            svm_tol: 1e-4,
            delta: DELTA,
        }
    }
}

/// Squared-loss regression targets for the net trainer: Σ_i ½(f_i − y_i)² (the trainer's mean reduction divides by
/// n). "Margins" are −|f_i − y_i| (never positive, so no normalized margin is reported for regression).
struct Squared<'a>(&'a Dataset);

impl Targets for Squared<'_> {
    fn inputs(&self) -> &DMatrix<f64> {
        self.0.x()
    }
    fn outputs(&self) -> usize {
        1
    }
    fn loss_and_cotangent(&self, f: &DMatrix<f64>) -> Result<(f64, DMatrix<f64>)> {
        let r = DMatrix::from_fn(self.0.n(), 1, |i, _| f[(i, 0)] - self.0.y()[i]);
        Ok((0.5 * r.norm_squared(), r))
    }
    fn margins(&self, f: &DMatrix<f64>) -> DVector<f64> {
        DVector::from_fn(self.0.n(), |i, _| -(f[(i, 0)] - self.0.y()[i]).abs())
    }
    fn margin_cotangent(&self, f: &DMatrix<f64>, p: &DVector<f64>) -> DMatrix<f64> {
        DMatrix::from_fn(self.0.n(), 1, |i, _| -p[i] * (f[(i, 0)] - self.0.y()[i]).signum())
    }
}

/// One (n, trial): test errors and bounds of both methods on both tasks.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Row {
    /// Training points.
    pub n: usize,
    /// Trial index.
    pub trial: usize,
    /// Classification: net 0-1 test error.
    pub cls_net_err: f64,
    /// Classification: Thm 3.1 bound at the net's normalized margin (NaN if the net does not separate).
    pub cls_net_bound: f64,
    /// Classification: the net's normalized margin.
    pub cls_net_margin: f64,
    /// Classification: kernel SVM 0-1 test error.
    pub cls_kernel_err: f64,
    /// Classification: Lemma 3.4 bound at the certified lower end of the SVM margin.
    pub cls_kernel_bound: f64,
    /// Classification: certified lower end of the kernel SVM margin.
    pub cls_kernel_margin: f64,
    /// Regression: net test MSE.
    pub reg_net_err: f64,
    /// Regression: T₁ of the net.
    pub reg_net_bound: f64,
    /// Regression: lifted ℓ1 norm of the net.
    pub reg_net_l1: f64,
    /// Regression: kernel interpolant test MSE.
    pub reg_kernel_err: f64,
    /// Regression: T₂ of the kernel interpolant.
    pub reg_kernel_bound: f64,
    /// Regression: RKHS norm of the kernel interpolant.
    pub reg_kernel_norm: f64,
}

fn net_config(s: &Setting) -> TrainConfig {
    TrainConfig::annealed(s.lambda_start, s.lambda_end, s.stages, s.iters_per_stage, 1)
}

fn one(s: &Setting, seed: u64, n: usize, t: usize) -> Result<Row> {
    let mut trng = crate::seed::stream(seed, &["repro", "kernel-vs-net", "teacher"], t as u64);
    let teacher = Teacher::random(s.d, s.teacher_units, &mut trng)?;
    let mut rng = crate::seed::stream(seed, &["repro", "kernel-vs-net", &format!("n{n}")], t as u64);
    let (m, d) = (s.width, s.d);
    let init = |q: &mut crate::seed::Rng| TwoLayer::gaussian(m, d, s.init_std, q);
    let mut row = Row { n, trial: t, ..Row::default() };

    // classification
    let train_c = teacher.classification(n, s.rejection_margin, &mut rng)?;
    let test_c = teacher.classification(s.n_test, s.rejection_margin, &mut rng)?;
    let fit = train(init, &train_c, &net_config(s), &mut rng)?;
    row.cls_net_err = zero_one_error(margins(&fit.model, &test_c)?.as_slice())?;
    let c_max = train_c.max_norm().max(test_c.max_norm());
    match fit.margin {
        Some(g) => {
            row.cls_net_margin = g;
            row.cls_net_bound = margin_bound(g, train_c.mean_sq_norm(), c_max, n, s.delta);
        }
        None => {
            row.cls_net_margin = f64::NAN;
            row.cls_net_bound = f64::NAN;
        }
    }
    let k = gram(Kind::ReluSphere, train_c.x())?;
    let svm = Svm::fit(&k, train_c.y(), SvmOptions { tol: s.svm_tol, ..SvmOptions::default() })?;
    let f = svm.decision(&cross(Kind::ReluSphere, train_c.x(), test_c.x())?)?;
    row.cls_kernel_err = classification_error(f.as_slice(), test_c.y().as_slice())?;
    row.cls_kernel_margin = svm.margin_lower;
    let (main, eps) = l2_bound_terms(svm.margin_lower, d, n, train_c.mean_sq_norm(), train_c.max_norm(), s.delta)?;
    row.cls_kernel_bound = main + eps;

    // regression
    let train_r = teacher.regression(n, &mut rng)?;
    let test_r = teacher.regression(s.n_test, &mut rng)?;
    let fit = train(init, &Squared(&train_r), &net_config(s), &mut rng)?;
    let pred = fit.model.eval(test_r.x())?;
    row.reg_net_err = (pred - test_r.y()).norm_squared() / s.n_test as f64;
    let (_, alpha) = fit.model.to_lifted();
    row.reg_net_l1 = alpha.abs().sum();
    row.reg_net_bound = bounds::l1_term(row.reg_net_l1, train_r.x())?;
    let k = gram(Kind::ReluSphere, train_r.x())?;
    let path = RidgePath::new(&k, train_r.y())?;
    let beta = path.ridgeless(n as f64 * f64::EPSILON)?;
    let norm2 = beta.dot(&(&k * &beta)).max(0.0);
    let pred = cross(Kind::ReluSphere, train_r.x(), test_r.x())?.tr_mul(&beta);
    row.reg_kernel_err = (pred - test_r.y()).norm_squared() / s.n_test as f64;
    row.reg_kernel_norm = norm2.sqrt();
    row.reg_kernel_bound = bounds::l2_term(norm2, &k)?;
    Ok(row)
}

type Get = fn(&Row) -> f64;

/// Figure 3's result: the setting, one row per (n, trial) sorted by (n, trial), and the findings.
#[derive(Debug, Clone, Serialize)]
pub struct KernelVsNet {
    /// Master seed.
    pub seed: u64,
    /// Tier.
    pub tier: Tier,
    /// Sizes.
    pub setting: Setting,
    /// What the paper does not state and we chose.
    pub setting_note: &'static str,
    /// Every (n, trial).
    pub rows: Vec<Row>,
    /// The paper's findings, checked over the trials.
    pub findings: Vec<Finding>,
}

impl KernelVsNet {
    /// The values of `get` at training size n, one per trial.
    pub fn at(&self, n: usize, get: fn(&Row) -> f64) -> Vec<f64> {
        self.rows.iter().filter(|r| r.n == n).map(get).collect()
    }
}

/// The slope finding "log–log slope of `get` in n satisfies `rule`" (Welch-t bounds over trials at [`FINDING_LEVELS`]).
fn slope_finding(statement: &str, r: &KernelVsNet, get: Get, rule: &dyn Fn(&SlopeFit) -> Decision) -> Finding {
    let xs: Vec<f64> = r.setting.ns.iter().map(|&n| n as f64).collect();
    let ys: Vec<Vec<f64>> = r.setting.ns.iter().map(|&n| r.at(n, get)).collect();
    match slope_fit(&xs, &ys, FINDING_LEVELS) {
        Some(fit) => Finding::new(statement, rule(&fit)),
        None => Finding::new(
            statement,
            Decision::new(Verdict::Inconclusive, "log–log slope fit failed (non-positive values)"),
        ),
    }
}

/// Runs Figure 3 (jobs (n, trial) in parallel, largest n first so the long jobs start early, gathered sorted) and
/// checks its findings.
pub fn kernel_vs_net(tier: Tier, seed: u64) -> Result<KernelVsNet> {
    let s = Setting::for_tier(tier);
    let mut jobs: Vec<(usize, usize)> = s.ns.iter().flat_map(|&n| (0..s.trials).map(move |t| (n, t))).collect();
    jobs.sort_by_key(|&(n, t)| (std::cmp::Reverse(n), t));
    let mut rows: Vec<Row> = jobs.par_iter().map(|&(n, t)| one(&s, seed, n, t)).collect::<Result<Vec<_>>>()?;
    rows.sort_by_key(|r| (r.n, r.trial));
    let mut r = KernelVsNet {
        seed,
        tier,
        setting: s,
        setting_note: "x ~ N(0, I_20) (input law not stated in the paper); teacher directions uniform on the sphere, \
            output weights ±1 alternating; net trained by L-BFGS along λ = 1e-2 → 1e-8 (geometric, warm starts; \
            the paper ran 20000 plain steps at λ = 1e-8); kernel = ReLU kernel over the unit sphere (relu-sphere); \
            regression bounds are the Rademacher terms T₁/T₂ of ICLR Lemmas D.4/D.5 (constants as in \
            kernel.regression_gap); classification bounds at δ = 0.05.",
        rows,
        findings: Vec::new(),
    };
    let nmax = *r.setting.ns.last().unwrap_or(&0);
    let mut findings = vec![
        Finding::paired_greater(
            &format!("classification: the net's test error is below the kernel SVM's at the largest n = {nmax}"),
            "kernel",
            &r.at(nmax, |x| x.cls_kernel_err),
            "net",
            &r.at(nmax, |x| x.cls_net_err),
        ),
        Finding::paired_greater(
            &format!("regression: the net's test MSE is below the kernel interpolant's at the largest n = {nmax}"),
            "kernel",
            &r.at(nmax, |x| x.reg_kernel_err),
            "net",
            &r.at(nmax, |x| x.reg_net_err),
        ),
    ];
    findings.push(slope_finding(
        "regression: the kernel bound T₂ is flat in n (log–log slope nearer 0 than the −1/2 of a fixed-norm class: \
         its CI lies above the midpoint −1/4)",
        &r,
        |x| x.reg_kernel_bound,
        &|f| f.decide_above(-0.25),
    ));
    findings.push(slope_finding(
        "regression: the kernel's test MSE still falls with n (log–log slope < 0)",
        &r,
        |x| x.reg_kernel_err,
        &|f| f.decide_below(0.0),
    ));
    findings.push(slope_finding(
        "classification: the kernel SVM's test error still falls with n (log–log slope < 0)",
        &r,
        |x| x.cls_kernel_err,
        &|f| f.decide_below(0.0),
    ));
    r.findings = findings;
    Ok(r)
}

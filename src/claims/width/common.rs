//! Shared pieces of the width checks: the datasets and the certified ℓ1-SVM with its support reduced to ≤ n atoms.

use crate::Result;
use crate::claims::Decision;
use crate::convex::l1_svm::{L1SvmOptions, l1_margin, l1_svm, reduce_support};
use crate::data::rings2d;
use crate::data::sphere;
use crate::data::{Dataset, line1d};
use crate::nets::TwoLayer;
use nalgebra::{DMatrix, DVector};
use std::sync::Arc;

/// Sizes of a width check: the certified LP's initial dictionary and the restarts of direct margin maximization.
#[derive(Debug, Clone)]
pub struct SearchParams {
    /// Initial dictionary size of the LP.
    pub dict_size: usize,
    /// Restarts of direct margin maximization (per width).
    pub restarts: usize,
    /// L-BFGS iterations per smoothing stage.
    pub iters: usize,
    /// Relative tolerance for "the optimizer reached γ_LB/2".
    pub reach_tol: f64,
    /// Tolerance of the certified brackets, relative to γ_UB/2.
    pub bracket_tol: f64,
}

impl SearchParams {
    /// `restarts` and `iters` of the search; dictionary 400 (quick) / 2000 (full); the tolerances are the check's
    /// thresholds `reach_tol` and `bracket_tol` (`theorems/claims.toml`).
    pub fn new(restarts: usize, iters: usize, ctx: &crate::claims::Context) -> Result<Self> {
        Ok(SearchParams {
            dict_size: ctx.tier.pick(400, 2000),
            restarts,
            iters,
            reach_tol: ctx.threshold("reach_tol")?,
            bracket_tol: ctx.threshold("bracket_tol")?,
        })
    }

    /// Validates.
    pub fn validate(&self) -> Result<()> {
        if self.dict_size < 8 || self.restarts == 0 || self.iters == 0 {
            return Err(crate::Error::param("SearchParams", format!("{self:?}"), "dict_size ≥ 8, restarts, iters ≥ 1"));
        }
        crate::error::ensure_positive("reach_tol", self.reach_tol)?;
        crate::error::ensure_positive("bracket_tol", self.bracket_tol)
    }
}

/// Line-search halvings per L-BFGS step of margin maximization: on these tiny problems a capped search (a step of
/// 2^-12 of the trial) reaches the same margins as the default 50 halvings at ~1/15 of the cost (measured on both
/// datasets: 0.017141 and 0.044651 either way).
pub const MAX_HALVINGS: usize = 12;

/// A certified ℓ1-SVM bracket and an explicit sparse optimal combination.
#[derive(Debug, Clone)]
pub struct Certified {
    /// Certified lower bound on γ_ℓ1: the margin of the LP's own solution (before the support reduction), so the
    /// reduced combination is compared with a value it did not produce.
    pub lower: f64,
    /// The margin of the reduced combination (≤ n atoms), recomputed from its weights.
    pub reduced_margin: f64,
    /// Certified upper bound on γ_ℓ1 (dual over the whole sphere).
    pub upper: f64,
    /// Directions of the reduced combination (≤ n rows).
    pub dirs: DMatrix<f64>,
    /// Weights of the reduced combination.
    pub alpha: DVector<f64>,
    /// Number of atoms of the LP solution before the reduction.
    pub support_before: usize,
}

impl Certified {
    /// The balanced two-layer net of the reduced combination (width = number of atoms, ‖Θ‖² = 2‖α‖₁).
    pub fn net(&self) -> Result<TwoLayer> {
        TwoLayer::from_lifted(&self.dirs, self.alpha.as_slice())
    }
}

/// Solves the ℓ1-SVM (circle dictionary in dimension 2, Fibonacci on S² in dimension 3, random otherwise, with
/// column generation) and reduces the solution to ≤ n atoms; the lower bound is the LP solution's own margin.
pub fn certify(data: &Dataset, dict_size: usize, rng: &mut crate::seed::Rng) -> Result<Certified> {
    let dict = match data.d() {
        2 => sphere::circle(dict_size)?,
        3 => sphere::fibonacci_s2(dict_size)?,
        k => sphere::uniform(k, dict_size, rng)?,
    };
    let sol = l1_svm(data, &dict, &L1SvmOptions::default())?;
    let (dirs, alpha) = reduce_support(data.x(), &sol.dirs, &sol.alpha)?;
    let reduced_margin = l1_margin(data, &dirs, &alpha)?;
    Ok(Certified { lower: sol.lower, reduced_margin, upper: sol.upper, dirs, alpha, support_before: sol.support })
}

/// [`certify`] computed once per (master seed, dataset name, dictionary size) in this process and shared by the
/// width claims and their controls (they decide on the same certificate). The random dictionary (d > 3) is drawn from
/// the stream `("width.certify", name)` of the master seed, so it does not depend on which check asks first.
pub fn certify_shared(seed: u64, name: &str, data: &Dataset, dict_size: usize) -> Result<Arc<Certified>> {
    let key = format!("width.certify/{seed}/{name}/{dict_size}/{}x{}", data.n(), data.d());
    crate::experiments::memo::memo(&key, || {
        let mut rng = crate::seed::stream(seed, &["width.certify", name], 0);
        certify(data, dict_size, &mut rng)
    })
}

/// A dataset of the width checks and what is known exactly about its small widths.
#[derive(Debug, Clone)]
pub struct WidthSet {
    /// Name (stream label and part prefix).
    pub name: &'static str,
    /// The data, with a bias coordinate.
    pub data: Dataset,
    /// The largest width m₀ with γ^{*,m} ≤ 0 for every m ≤ m₀, proved without any optimization: 1 whenever both
    /// labels occur (a single neuron w·relu(uᵀx) has one sign), and for one-dimensional data with c label changes
    /// also c − 2 (a width-m net is piecewise linear with ≤ m kinks, so it changes sign at most m + 1 times; see
    /// [`crate::data::alternating_line`]).
    pub zero_width: usize,
}

impl WidthSet {
    fn new(name: &'static str, raw: Dataset) -> Self {
        let changes = crate::data::sign_changes_1d(&raw).unwrap_or(0);
        let both = raw.y().iter().any(|v| *v > 0.0) && raw.y().iter().any(|v| *v < 0.0);
        let zero_width = if both { changes.saturating_sub(2).max(1) } else { 0 };
        WidthSet { name, data: raw.with_bias(), zero_width }
    }
}

/// Points of the alternating line of `width.monotone` and its near-miss control: 8, so that the exact bound
/// γ^{*,m} ≤ 0 reaches m = n − 3 = 5 while the restarts at all widths 1..8 stay cheap.
pub const ALTERNATING_N: usize = 8;

/// The datasets of `width.l1_svm` (all with a bias coordinate): the Figure-2 line task and the 2-D rings.
pub fn datasets() -> Vec<WidthSet> {
    vec![WidthSet::new("line1d", line1d()), WidthSet::new("rings2d", rings2d())]
}

/// The datasets of `width.monotone`: those of [`datasets`] and the alternating line, whose small widths are
/// exactly worse up to width n − 3.
pub fn monotone_datasets() -> Result<Vec<WidthSet>> {
    let mut v = datasets();
    v.push(WidthSet::new("alternating8", crate::data::alternating_line(ALTERNATING_N)?));
    Ok(v)
}

/// Runs `one(replicate, set)` on every dataset of `sets` in parallel (replicate = its position, so each has its own
/// streams) and gathers in that fixed order: the conjunction of the decisions and the summaries joined by "; ". The
/// first error is returned.
pub fn over_datasets<F>(sets: Vec<WidthSet>, one: F) -> Result<(Decision, String)>
where
    F: Fn(u64, &WidthSet) -> Result<(Decision, String)> + Sync,
{
    use rayon::prelude::*;
    let results: Vec<Result<(Decision, String)>> =
        sets.into_par_iter().enumerate().map(|(rep, set)| one(rep as u64, &set)).collect();
    let mut parts = Vec::new();
    let mut summary = Vec::new();
    for r in results {
        let (d, s) = r?;
        parts.push(d);
        summary.push(s);
    }
    Ok((Decision::all(parts), summary.join("; ")))
}

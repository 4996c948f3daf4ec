//! `ntk.random_features`: m = c·d random ReLU features cannot represent x₁x₂ — the exact least-squares floor
//! (`kernels::random_features::cube_floor`) does not vanish and grows with d.
//!
//! Rule (both parts share one statement's α_r, `Levels::shared(2)`; Refuted if either is refuted):
//! 1. `level`: at the largest d the mean floor over R feature draws lies in [`floor_min`, ∞) (t bounds);
//! 2. `growth`: the Welch-t log–log slope of the floor in d is above `growth_slope` (0).
//!
//! Control `:quadratic-width`: the same rule at m = 1 + d + C(d, 2) features.

use crate::claims::{Claim, Context, Decision, Evidence};
use crate::kernels::Kind;
use crate::kernels::oracle_correlation::predicted_rho2;
use crate::kernels::random_features::cube_floor;
use crate::kernels::spectrum::population_eigenvalues;
use crate::stats::{Levels, mean_ci, slope_fit};
use crate::{Error, Result, seed};
use nalgebra::DMatrix;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

struct RandomFeatures {
    id: &'static str,
    /// The control's width 1 + d + C(d, 2) instead of c·d.
    quadratic: bool,
}

impl RandomFeatures {
    fn width(&self, ctx: &Context, d: usize) -> Result<usize> {
        Ok(if self.quadratic { 1 + d + d * (d - 1) / 2 } else { (ctx.threshold("width_factor")? * d as f64) as usize })
    }
}

/// One draw of m feature directions w_j ~ N(0, I_d) (rows).
fn directions(master: u64, d: usize, m: usize, rep: usize) -> DMatrix<f64> {
    let mut rng = seed::stream(master, &["ntk.random_features", "w", &d.to_string(), &m.to_string()], rep as u64);
    DMatrix::from_fn(m, d, |_, _| StandardNormal.sample(&mut rng))
}

impl Claim for RandomFeatures {
    fn id(&self) -> &str {
        self.id
    }

    fn check(&self, ctx: &mut Context) -> Result<Evidence> {
        let dims: Vec<usize> = ctx.tier.pick(vec![10, 12, 14, 16], vec![10, 12, 14, 16, 18]);
        let reps: usize = ctx.tier.pick(16, 32);
        let levels = Levels::SUITE.shared(2);
        let (mut floors, mut zero_one, mut widths, mut predicted, mut worst_resid) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), 0.0f64);
        for &d in &dims {
            let m = self.width(ctx, d)?;
            ctx.progress(&format!("d = {d}: {reps} draws of {m} features, exact over the 2^{d} cube points"));
            let fits = (0..reps)
                .into_par_iter()
                .map(|r| cube_floor(&directions(ctx.seed, d, m, r), &[0, 1]))
                .collect::<Result<Vec<_>>>()?;
            worst_resid = fits.iter().map(|f| f.solve_residual).fold(worst_resid, f64::max);
            floors.push(fits.iter().map(|f| f.mse).collect::<Vec<_>>());
            zero_one.push(fits.iter().map(|f| f.zero_one).sum::<f64>() / reps as f64);
            // deterministic equivalent: coefficient second moments are k₁'s μ_ℓ, so pass √μ (the function squares)
            let mu: Vec<f64> = population_eigenvalues(Kind::Relu, d)?.iter().map(|m| m.max(0.0).sqrt()).collect();
            predicted.push(1.0 - predicted_rho2(&mu, 2, m as f64)?);
            widths.push(m);
        }
        let xs: Vec<f64> = dims.iter().map(|&d| d as f64).collect();
        let means: Vec<f64> = floors.iter().map(|v| v.iter().sum::<f64>() / v.len() as f64).collect();
        let last = floors.last().ok_or_else(|| Error::param("dims", 0, "need at least one dimension"))?;
        let floor_min = ctx.threshold("floor_min")?;
        let level = mean_ci(last, levels).decide_within("floor at the largest d", floor_min, f64::INFINITY);
        let growth_fit = slope_fit(&xs, &floors, levels)
            .ok_or_else(|| Error::Numerical(format!("no slope fit of the floors {means:?}")))?;
        let growth = growth_fit.decide_above(ctx.threshold("growth_slope")?);
        let summary = format!(
            "m = {}: floor MSE {} at d = {:?}; slope in d {:.3} [{:.3}, {:.3}]",
            if self.quadratic { "1 + d + C(d, 2)".to_string() } else { "4d".to_string() },
            means.iter().map(|v| format!("{v:.3}")).collect::<Vec<_>>().join(", "),
            dims,
            growth_fit.slope,
            growth_fit.ci.0,
            growth_fit.ci.1
        );
        Ok(Evidence::from_decision(Decision::all(vec![level.prefixed("level"), growth.prefixed("growth")]))
            .summary(summary)
            .metric("dims", dims.clone())
            .metric("widths", widths)
            .metric("draws", reps)
            .metric("mean_floor_mse", means)
            .metric("deterministic_equivalent_floor", predicted)
            .metric("mean_floor_zero_one", zero_one)
            .metric("worst_solve_residual", worst_resid)
            .note("the floor is the population least-squares MSE of x₁x₂ on the features, exact over all 2^d cube points (no sample): the best test MSE of least squares on these features at any n")
            .note("the deterministic-equivalent floor (k₁'s hypercube eigenvalues) is a heuristic, reported, not decided on")
            .note("the shape (a floor at m ∝ d that tends to 1) is derived in theorems/ntk.md, not taken from the paper"))
    }
}

/// The checks of this file, claims before their controls.
pub(super) fn checks() -> Vec<Box<dyn Claim>> {
    vec![
        Box::new(RandomFeatures { id: "ntk.random_features", quadratic: false }),
        Box::new(RandomFeatures { id: "ntk.random_features:quadratic-width", quadratic: true }),
    ]
}

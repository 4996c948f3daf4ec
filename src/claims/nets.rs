//! Claims of the `nets` group: the homogeneity the whole margin theory rests on. See `theorems/nets.md`.
//!
//! `nets.homogeneity` — f(cΘ; x) = c^a f(Θ; x) for bias-free two-layer nets (a = 2) and depth-K nets (a = K), over
//! random nets, inputs and scales c. Controls: a net whose bias is not scaled with Θ, and the right net checked
//! with the wrong degree a = K − 1, must both be refuted by the same rule (sanity controls); and the near miss
//! `:smooth-relu` — a two-layer net with the smoothed ReLU s_β(z) = softplus(βz)/β, β = 20 (within ln 2/β ≈ 0.035 of
//! relu everywhere, the smooth stand-in practitioners use), claimed 2-homogeneous. It is not: s_β(cz) ≠ c·s_β(z) where
//! |z| ≲ 1/β, so its relative defect is a few per cent — many orders above the claim's tolerance, but small on the
//! scale of the net's outputs.

use super::{Claim, Context, Decision, Evidence, Param};
use crate::nets::{Deep, Model, TwoLayer};
use crate::stats::bracket;
use crate::{Error, Result};
use nalgebra::DMatrix;
use rand::Rng;
use rand_distr::StandardNormal;

/// Scales c at which homogeneity is checked (both shrinking and growing).
const SCALES: [f64; 4] = [0.25, 0.5, 2.0, 10.0];

/// Which net family and degree a check uses.
#[derive(Clone, Copy)]
enum Variant {
    /// Bias-free two-layer (a = 2) and depth-3, depth-4 nets (a = K): the claim.
    Homogeneous,
    /// A two-layer net with a bias b_j that stays fixed when Θ is scaled: f(x) = Σ_j w_j relu(u_jᵀx + b_j).
    UnscaledBias,
    /// Depth-K nets checked against c^{K−1}.
    WrongDegree,
    /// A two-layer net with the smoothed ReLU softplus(βz)/β checked against c².
    SmoothRelu,
}

/// f(x_i) = Σ_j w_j softplus(β u_jᵀx_i)/β for every row x_i (stable softplus).
fn smooth_forward(net: &TwoLayer, x: &DMatrix<f64>, beta: f64) -> DMatrix<f64> {
    let pre = x * net.u.transpose();
    let act = pre.map(|z| crate::nets::loss::softplus(beta * z) / beta);
    let f = act * &net.w;
    DMatrix::from_column_slice(f.len(), 1, f.as_slice())
}

/// The worst relative defect of the smoothed-ReLU net (sharpness β) over all scales, against degree 2.
fn smooth_relu_defect(net: &TwoLayer, x: &DMatrix<f64>, beta: f64) -> Result<f64> {
    let f = smooth_forward(net, x, beta);
    let mut worst: f64 = 0.0;
    for c in SCALES {
        worst = worst.max(defect(&f, &smooth_forward(&net.scaled(c)?, x, beta), c, 2.0));
    }
    Ok(worst)
}

struct Homogeneity {
    id: &'static str,
    variant: Variant,
}

/// max over inputs of |f(cΘ) − c^a f(Θ)| / (c^a max|f(Θ)|).
fn defect(f_theta: &DMatrix<f64>, f_scaled: &DMatrix<f64>, c: f64, a: f64) -> f64 {
    let expected = f_theta * c.powf(a);
    let scale = expected.amax().max(f64::MIN_POSITIVE);
    (f_scaled - expected).amax() / scale
}

/// The worst relative defect of one model over all scales.
fn model_defect<M: Model>(model: &M, x: &DMatrix<f64>, a: f64) -> Result<f64> {
    let f = model.forward(x)?;
    let mut worst: f64 = 0.0;
    for c in SCALES {
        worst = worst.max(defect(&f, &model.scaled(c)?.forward(x)?, c, a));
    }
    Ok(worst)
}

/// The worst relative defect of a two-layer net with an unscaled bias column (the last input coordinate is 1 and its
/// weights are held fixed while the rest of Θ is scaled).
fn unscaled_bias_defect(net: &TwoLayer, x: &DMatrix<f64>) -> Result<f64> {
    let xb = x.clone().insert_column(x.ncols(), 1.0);
    let f = net.forward(&xb)?;
    let mut worst: f64 = 0.0;
    for c in SCALES {
        let mut scaled = net.scaled(c)?;
        let bias_col = scaled.u.ncols() - 1;
        scaled.u.set_column(bias_col, &net.u.column(bias_col));
        worst = worst.max(defect(&f, &scaled.forward(&xb)?, c, 2.0));
    }
    Ok(worst)
}

impl Claim for Homogeneity {
    fn id(&self) -> &str {
        self.id
    }

    fn parameters(&self) -> &'static [Param] {
        const PARAMS: &[Param] = &[Param::new("replicates", "random nets (and inputs) checked; quick 20, full 200")];
        PARAMS
    }

    fn check(&self, ctx: &mut Context) -> Result<Evidence> {
        let replicates = ctx.param::<usize>("replicates", ctx.tier.pick(20, 200))?;
        let (d, n, width) = (5, 12, 16);
        let tolerance = ctx.threshold("relative_defect")?;
        let beta = if matches!(self.variant, Variant::SmoothRelu) { ctx.threshold("smooth_beta")? } else { 0.0 };
        let mut worst: f64 = 0.0;
        for rep in 0..replicates {
            let mut rng = ctx.rng(rep as u64);
            let x = DMatrix::from_fn(n, d, |_, _| rng.sample::<f64, _>(StandardNormal));
            let value = match self.variant {
                Variant::Homogeneous => {
                    let two = TwoLayer::gaussian(width, d, 1.0, &mut rng)?;
                    let mut v = model_defect(&two, &x, 2.0)?;
                    for depth in [3usize, 4] {
                        let deep = Deep::gaussian(&deep_widths(d, width, depth), &mut rng)?;
                        v = v.max(model_defect(&deep, &x, depth as f64)?);
                    }
                    v
                }
                Variant::UnscaledBias => {
                    let net = TwoLayer::gaussian(width, d + 1, 1.0, &mut rng)?;
                    unscaled_bias_defect(&net, &x)?
                }
                Variant::WrongDegree => {
                    let deep = Deep::gaussian(&deep_widths(d, width, 3), &mut rng)?;
                    model_defect(&deep, &x, 2.0)?
                }
                Variant::SmoothRelu => {
                    let two = TwoLayer::gaussian(width, d, 1.0, &mut rng)?;
                    smooth_relu_defect(&two, &x, beta)?
                }
            };
            if !value.is_finite() {
                return Err(Error::Numerical(format!("homogeneity defect is {value}")));
            }
            worst = worst.max(value);
        }
        let decision = bracket("max relative defect", worst, 0.0, 0.0, tolerance);
        Ok(Evidence::from_decision(Decision::all(vec![decision]))
            .metric("replicates", replicates)
            .metric("scales", SCALES.to_vec())
            .summary(format!(
                "worst |f(cΘ) − c^a f(Θ)|/|c^a f| = {worst:.2e} over {replicates} nets × {} scales",
                SCALES.len()
            )))
    }
}

/// Widths [d, h, …, h, 1] of a depth-K net.
fn deep_widths(d: usize, width: usize, depth: usize) -> Vec<usize> {
    let mut w = vec![d];
    w.extend(std::iter::repeat_n(width, depth - 1));
    w.push(1);
    w
}

/// The checks of this group, claims before their controls.
pub(super) fn checks() -> Vec<Box<dyn Claim>> {
    vec![
        Box::new(Homogeneity { id: "nets.homogeneity", variant: Variant::Homogeneous }),
        Box::new(Homogeneity { id: "nets.homogeneity:unscaled-bias", variant: Variant::UnscaledBias }),
        Box::new(Homogeneity { id: "nets.homogeneity:wrong-degree", variant: Variant::WrongDegree }),
        Box::new(Homogeneity { id: "nets.homogeneity:smooth-relu", variant: Variant::SmoothRelu }),
    ]
}

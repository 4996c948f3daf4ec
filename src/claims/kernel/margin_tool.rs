//! `kernel.margin_tool` (ICLR'19 Lemma 3.6): for any data, γ_ℓ2 ≤ (1/√κ)‖(1/n)Σ_i y_i φ(x_i)‖₂ = √(yᵀK̃y)/n.
//!
//! Proof (why the check can fail): for ‖f‖_H ≤ 1, min_i y_i f(x_i) ≤ (1/n)Σ_i y_i f(x_i) = ⟨f, (1/n)Σ_i y_i K̃(x_i, ·)⟩
//! ≤ √(yᵀK̃y)/n. The left side comes from the kernel-SVM solver as a certified bracket (primal-feasible lower end,
//! weak-duality upper end, both recomputed from K̃ and y); the right side is a closed form the solver never sees.
//! Datasets: Gaussian-noise XOR and hypercube XOR samples, random labels on Gaussian points, and adversarial sets
//! (duplicated points, norms spread over four decades, nearly parallel points with opposite labels).
//! Control `kernel.margin_tool:l1-margin`: the same inequality with the ℓ1-SVM margin γ_ℓ1 (certified from below by
//! the four-neuron net) on the left — false on XOR data, where γ_ℓ1 ≥ √2/4 while the ceiling is O(1/d + 1/√n).

use super::common::{l1_margin_lower, l2_margin, sphere_gram};
use crate::kernels::margin_ceiling;
use crate::stats::bracket_at_most;
use crate::claims::{Claim, Context, Decision, Evidence};
use crate::data::{Dataset, XorGaussian, XorHypercube};
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};
use rand::Rng;
use rand_distr::StandardNormal;

/// Names of the adversarial sets (see [`adversarial`]).
const ADVERSARIAL: [&str; 3] = ["duplicated", "spread_norms", "near_parallel"];

/// Random labels on n Gaussian points in dimension d.
fn random_labels<R: Rng + ?Sized>(n: usize, d: usize, rng: &mut R) -> Result<Dataset> {
    let x = DMatrix::from_fn(n, d, |_, _| rng.sample::<f64, _>(StandardNormal));
    let y = DVector::from_fn(n, |_, _| if rng.random::<bool>() { 1.0 } else { -1.0 });
    Dataset::binary(x, y)
}

/// Adversarial sets built from a random-label set: every point duplicated (same label), norms rescaled over four
/// decades (10⁻² to 10²: wider, the margin — at most the smallest feature norm — falls below the SVM solver's floor
/// for a numerically zero margin, 1e-7·max√K_ii, and the set could not be certified), and pairs of nearly parallel points with opposite labels.
fn adversarial<R: Rng + ?Sized>(kind: usize, n: usize, d: usize, rng: &mut R) -> Result<Dataset> {
    let base = random_labels(n, d, rng)?;
    match kind {
        0 => {
            let x = DMatrix::from_fn(2 * n, d, |i, j| base.x()[(i % n, j)]);
            let y = DVector::from_fn(2 * n, |i, _| base.y()[i % n]);
            Dataset::binary(x, y)
        }
        1 => {
            let mut x = base.x().clone();
            for i in 0..n {
                let s = 10f64.powf(-2.0 + 4.0 * i as f64 / (n - 1).max(1) as f64);
                x.row_mut(i).scale_mut(s);
            }
            Dataset::binary(x, base.y().clone())
        }
        _ => {
            let x = DMatrix::from_fn(2 * n, d, |i, j| {
                let v = base.x()[(i % n, j)];
                if i >= n && j == 0 { v + 1e-3 } else { v }
            });
            let y = DVector::from_fn(2 * n, |i, _| if i >= n { -base.y()[i % n] } else { base.y()[i % n] });
            Dataset::binary(x, y)
        }
    }
}

/// Checks γ_ℓ2 ≤ √(yᵀK̃y)/n on one dataset; returns the decision and (lower, upper, ceiling).
pub(crate) fn check_inequality(data: &Dataset, rel_tol: f64) -> Result<(Decision, [f64; 3])> {
    let k = sphere_gram(data.x())?;
    let svm = l2_margin(&k, data.y())?;
    let c = margin_ceiling(&k, data.y())?;
    let dec = bracket_at_most("γ_ℓ2", svm.margin_lower, svm.margin_upper, c, rel_tol)
        .with("n", data.n())
        .with("d", data.d())
        .with("svm_converged", svm.converged);
    Ok((dec, [svm.margin_lower, svm.margin_upper, c]))
}

struct MarginTool;

impl Claim for MarginTool {
    fn id(&self) -> &str {
        "kernel.margin_tool"
    }


    fn check(&self, ctx: &mut Context) -> Result<Evidence> {
        let xor_sizes: Vec<(usize, usize)> =
            ctx.tier.pick(vec![(8, 64), (16, 128), (32, 128)], vec![(8, 256), (16, 512), (32, 1024), (64, 1024)]);
        let (rn, rd) = ctx.tier.pick((40, 5), (200, 10));
        let mut sets: Vec<(String, Dataset)> = Vec::new();
        let mut rep = 0u64;
        for &(d, n) in &xor_sizes {
            sets.push((format!("gxor_d{d}_n{n}"), XorGaussian::new(d)?.dataset(n, &mut ctx.rng(rep))?));
            rep += 1;
        }
        sets.push(("hxor_d8_n64".into(), XorHypercube::new(8)?.dataset(64, &mut ctx.rng(rep))?));
        rep += 1;
        sets.push((format!("random_d{rd}_n{rn}"), random_labels(rn, rd, &mut ctx.rng(rep))?));
        rep += 1;
        for (kind, name) in ADVERSARIAL.iter().enumerate() {
            sets.push(((*name).into(), adversarial(kind, rn / 2, rd, &mut ctx.rng(rep))?));
            rep += 1;
        }
        let mut parts = Vec::new();
        let mut summary = Vec::new();
        let mut skipped = 0usize;
        let rel_tol = ctx.threshold("rel_tol")?;
        for (name, data) in &sets {
            ctx.progress(name);
            match check_inequality(data, rel_tol) {
                Ok((dec, [lo, hi, c])) => {
                    summary.push(format!("{name}: γ ∈ [{lo:.4e}, {hi:.4e}] ≤ {c:.4e}"));
                    parts.push(dec.prefixed(name));
                }
                // An adversarial set (e.g. nearly parallel points with opposite labels) can be separable with a margin
                // too small to certify in the epoch budget; such a set decides nothing (recorded, not counted).
                Err(Error::Numerical(msg)) if ADVERSARIAL.contains(&name.as_str()) => {
                    skipped += 1;
                    summary.push(format!("{name}: skipped ({msg})"));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(Evidence::from_decision(Decision::all(parts))
            .metric("datasets", sets.len())
            .metric("skipped", skipped)
            .summary(summary.join("; "))
            .note(
                "K̃ = relu-sphere kernel k₁/d; ceiling = uniform-weight point of the SVM dual, computed in closed form",
            ))
    }
}

struct L1Margin;

impl Claim for L1Margin {
    fn id(&self) -> &str {
        "kernel.margin_tool:l1-margin"
    }


    fn check(&self, ctx: &mut Context) -> Result<Evidence> {
        let sizes: Vec<(usize, usize)> =
            ctx.tier.pick(vec![(16, 128), (32, 128)], vec![(16, 512), (32, 1024), (64, 1024)]);
        let mut parts = Vec::new();
        let mut summary = Vec::new();
        for (rep, &(d, n)) in sizes.iter().enumerate() {
            let data = XorGaussian::new(d)?.dataset(n, &mut ctx.rng(rep as u64))?;
            let k = sphere_gram(data.x())?;
            let c = margin_ceiling(&k, data.y())?;
            let g1 = l1_margin_lower(&data)?;
            // γ_ℓ1 is only bounded from below here (upper end +∞): the false inequality is refuted iff the lower
            // certificate already exceeds the ceiling.
            parts.push(
                bracket_at_most("γ_ℓ1", g1, f64::MAX, c, ctx.threshold("rel_tol")?)
                    .with("n", n)
                    .with("d", d)
                    .prefixed(&format!("d{d}_n{n}")),
            );
            summary.push(format!("d={d}, n={n}: γ_ℓ1 ≥ {g1:.4} vs ceiling {c:.4}"));
        }
        Ok(Evidence::from_decision(Decision::all(parts)).summary(summary.join("; ")))
    }
}

/// The checks of this file, claim before control.
pub(super) fn checks() -> Vec<Box<dyn Claim>> {
    vec![Box::new(MarginTool), Box::new(L1Margin)]
}

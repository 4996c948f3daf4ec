//! `margin.norm_growth` (ICLR'19 Lemma A.2, with the rate of its proof): as λ → 0 the norm of the regularized optimum
//! grows without bound, ‖Θ_λ‖²·γ* = ln(1/λ) + C + o(1), with a constant C fixed by the ℓ1-SVM's dual weights.
//!
//! **Derivation of C** (two-layer ReLU net in balanced form, mean logistic loss, penalty λ‖Θ‖² = 2λ‖α‖₁). Write the
//! lifted optimum as α = s·a with s = ‖α‖₁, ‖a‖₁ = 1, margins m_i(a) = y_i(Φa)_i, and let g = γ_ℓ1 = 2γ* with dual
//! weights p on the simplex (the LP's). For large s the loss is (1/n)Σ_i e^{−s m_i(a)} up to O(e^{−2sg}), and only
//! the support points (p_i > 0) matter. Near the SVM solution the achievable margin perturbations δ_i = m_i − g satisfy
//! Σ_i p_i δ_i ≤ 0 (first order, by LP duality), so the best a solves min Σ_i e^{−sδ_i} s.t. Σ_i p_i δ_i = 0: by
//! Lagrange e^{−sδ_i} ∝ p_i, and the constraint gives e^{−sδ_i} = p_i·e^{H(p)}, H(p) = −Σ p_i ln p_i. Hence
//! Σ_i e^{−s m_i} = e^{−sg}·e^{H(p)}: the support points count as k_eff = e^{H(p)} (= k only for equal weights).
//! Then L(s) ≈ (k_eff/n)e^{−sg} + 2λs, and dL/ds = 0 gives sg = ln(1/λ) + ln(g·k_eff/(2n)). With ‖Θ‖² = 2s and
//! γ* = g/2: **‖Θ_λ‖²γ* − ln(1/λ) → C = ln(γ_ℓ1·e^{H(p)}/(2n))**. The k-point heuristic (k/n)e^{−‖Θ‖²γ} uses k in
//! place of e^{H(p)}; it is reported beside C.
//!
//! Check, on the certified λ paths of `margin.limit` (line1d on the circle, rings2d on S², the global optima of the
//! convex lift): (a) the difference q(λ) = ‖Θ_λ‖²γ* − ln(1/λ) settles — its last two values differ by ≤
//! `settle_tol`; (b) its last value is within `constant_tol` of the derived C. γ* enters through its certified
//! bracket [γ_LB/2, γ_UB/2] (both ends are used: q is a bracket too).
//!
//! Near miss `margin.norm_growth:sqrt-log`: "‖Θ_λ‖²γ* grows like ln(1/λ)^{1/2}" — decided by the local log–log slope
//! of ‖Θ_λ‖²γ* against ln(1/λ) between the last two λ: the twin says ½, the claim L/(L + C) → 1 (L = ln(1/λ)); the
//! twin is Refuted when that slope exceeds `twin_slope_cut` (¾, the midpoint). Near miss `margin.norm_growth:k-point`:
//! "the constant is the k-point heuristic's, ln(γ_ℓ1·k/(2n)) with k the number of support points" — the claim's rule
//! with that constant in place of C; it differs from C by ln(k/e^{H(p)}), which is 0 only for equal dual weights.

use super::limit::{LimitParams, certified_paths};
use crate::claims::{Claim, Context, Decision, Evidence, Verdict};
use crate::experiments::margin_path::CertifiedPath;
use crate::{Error, Result};

/// The derived constant and the quantities it is built from, for one certified path.
struct Growth {
    /// ln(1/λ) along the path.
    logs: Vec<f64>,
    /// q(λ) at the lower and upper end of the γ* bracket.
    q_lo: Vec<f64>,
    q_hi: Vec<f64>,
    /// ‖Θ_λ‖²γ* (upper end of the γ* bracket).
    growth: Vec<f64>,
    /// C = ln(γ_ℓ1 e^{H(p)}/(2n)).
    constant: f64,
    /// The k-point heuristic ln(γ_ℓ1 k/(2n)).
    k_point: f64,
    /// e^{H(p)} and k.
    k_eff: f64,
    k: usize,
}

fn growth(shared: &CertifiedPath, n: usize) -> Result<Growth> {
    let (svm, path, _) = shared;
    if path.len() < 2 {
        return Err(Error::param("λ path", path.len(), "need at least two points"));
    }
    let (g_lo, g_hi) = (svm.lower, svm.upper);
    let total: f64 = svm.p.iter().map(|v| v.max(0.0)).sum();
    if !(total > 0.0) {
        return Err(Error::Numerical("the ℓ1-SVM dual weights sum to zero".into()));
    }
    let pmax = svm.p.amax();
    let support: Vec<f64> = svm.p.iter().map(|v| v.max(0.0) / total).filter(|v| *v > 1e-9 * pmax / total).collect();
    let entropy: f64 = -support.iter().map(|v| v * v.ln()).sum::<f64>();
    let nf = n as f64;
    let logs: Vec<f64> = path.iter().map(|q| (1.0 / q.lambda).ln()).collect();
    Ok(Growth {
        q_lo: path.iter().zip(&logs).map(|(q, l)| q.sq_norm * g_lo / 2.0 - l).collect(),
        q_hi: path.iter().zip(&logs).map(|(q, l)| q.sq_norm * g_hi / 2.0 - l).collect(),
        growth: path.iter().map(|q| q.sq_norm * g_hi / 2.0).collect(),
        constant: (g_hi * entropy.exp() / (2.0 * nf)).ln(),
        k_point: (g_hi * support.len() as f64 / (2.0 * nf)).ln(),
        k_eff: entropy.exp(),
        k: support.len(),
        logs,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    Claim,
    SqrtLog,
    KPoint,
}

struct NormGrowth {
    variant: Variant,
}

/// The checks of this file: the claim and its control.
pub(super) fn checks() -> Vec<Box<dyn Claim>> {
    vec![
        Box::new(NormGrowth { variant: Variant::Claim }),
        Box::new(NormGrowth { variant: Variant::SqrtLog }),
        Box::new(NormGrowth { variant: Variant::KPoint }),
    ]
}

fn claim_decision(name: &str, g: &Growth, constant: f64, settle_tol: f64, constant_tol: f64) -> Decision {
    let k = g.logs.len();
    let (lo, hi) = (g.q_lo[k - 1], g.q_hi[k - 1]);
    let settle = (g.q_hi[k - 1] - g.q_hi[k - 2]).abs().max((g.q_lo[k - 1] - g.q_lo[k - 2]).abs());
    // the bracket [lo, hi] of q at the smallest λ against C ± constant_tol
    let dist = (lo - constant).abs().max((hi - constant).abs());
    let verdict = Verdict::from_bool(settle <= settle_tol && dist <= constant_tol);
    Decision::new(
        verdict,
        format!(
            "q(λ) = ‖Θ_λ‖²γ* − ln(1/λ): its last two values differ by ≤ {settle_tol} (it settles) and its last value \
             (both ends of the γ* bracket) lies within {constant_tol} of the constant {constant:.4}, else Refuted"
        ),
    )
    .with_part_margin("constant", (settle_tol - settle).min(constant_tol - dist), (settle - settle_tol).max(dist - constant_tol))
    .with("q_lower", g.q_lo.clone())
    .with("q_upper", g.q_hi.clone())
    .with("tested_constant", constant)
    .with("predicted_constant", g.constant)
    .with("k_point_heuristic", g.k_point)
    .with("effective_support", g.k_eff)
    .with("support_points", g.k as u64)
    .with("last_step_change", settle)
    .prefixed(name)
}

fn twin_decision(name: &str, g: &Growth, cut: f64) -> Decision {
    let k = g.logs.len();
    let slope = (g.growth[k - 1] / g.growth[k - 2]).ln() / (g.logs[k - 1] / g.logs[k - 2]).ln();
    let verdict = if !slope.is_finite() {
        Verdict::Inconclusive
    } else {
        Verdict::from_bool(slope <= cut)
    };
    Decision::new(
        verdict,
        format!(
            "false statement ‖Θ_λ‖²γ* ∝ ln(1/λ)^{{1/2}}: Refuted when the local log–log slope of ‖Θ_λ‖²γ* against \
             ln(1/λ) over the last two λ exceeds {cut} (midpoint between the twin's ½ and the claim's → 1)"
        ),
    )
    .with_margin(cut - slope, slope - cut)
    .with("local_slope", slope)
    .with("growth", g.growth.clone())
    .prefixed(name)
}

impl Claim for NormGrowth {
    fn id(&self) -> &str {
        match self.variant {
            Variant::Claim => "margin.norm_growth",
            Variant::SqrtLog => "margin.norm_growth:sqrt-log",
            Variant::KPoint => "margin.norm_growth:k-point",
        }
    }

    fn check(&self, ctx: &mut Context) -> Result<Evidence> {
        let p = LimitParams::for_tier(ctx.tier);
        p.validate()?;
        ctx.progress("margin.norm_growth: certified paths");
        let (line, rings) = certified_paths(&p)?;
        let n_line = crate::data::line1d().n();
        let n_rings = crate::data::rings2d().n();
        let gl = growth(&line, n_line)?;
        let gr = growth(&rings, n_rings)?;
        let decision = match self.variant {
            Variant::Claim => {
                let (settle, tol) = (ctx.threshold("settle_tol")?, ctx.threshold("constant_tol")?);
                Decision::all(vec![
                    claim_decision("line1d", &gl, gl.constant, settle, tol),
                    claim_decision("rings2d", &gr, gr.constant, settle, tol),
                ])
            }
            Variant::KPoint => {
                let (settle, tol) = (ctx.threshold("settle_tol")?, ctx.threshold("constant_tol")?);
                Decision::all(vec![
                    claim_decision("line1d", &gl, gl.k_point, settle, tol),
                    claim_decision("rings2d", &gr, gr.k_point, settle, tol),
                ])
            }
            Variant::SqrtLog => {
                let cut = ctx.threshold("twin_slope_cut")?;
                Decision::all(vec![twin_decision("line1d", &gl, cut), twin_decision("rings2d", &gr, cut)])
            }
        };
        let last = |g: &Growth| g.q_hi[g.q_hi.len() - 1];
        Ok(Evidence::from_decision(decision)
            .summary(format!(
                "q = ‖Θ_λ‖²γ* − ln(1/λ) at the smallest λ vs C = ln(γ_ℓ1 e^H/(2n)) [k-point ln(γ_ℓ1 k/(2n))]: line1d \
                 {:.4} vs {:.4} [{:.4}, k = {}, e^H = {:.2}]; rings2d {:.4} vs {:.4} [{:.4}, k = {}, e^H = {:.2}]",
                last(&gl),
                gl.constant,
                gl.k_point,
                gl.k,
                gl.k_eff,
                last(&gr),
                gr.constant,
                gr.k_point,
                gr.k,
                gr.k_eff
            ))
            .note("the certified paths are those of margin.limit (shared, computed once)"))
    }
}

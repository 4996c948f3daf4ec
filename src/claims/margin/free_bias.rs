//! The net of the control `margin.limit:free-bias`: f(x) = Σ_j w_j relu(a_j x + b_j) on 1-D inputs with a bias b_j
//! that is **not** regularized, L_λ = (1/n)Σ_i log(1 + e^{−y_i f(x_i)}) + λ(‖w‖² + ‖a‖²).
//!
//! f is 2-homogeneous in (w, a, b) jointly but not in the penalized parameters (w, a) alone, so the theorem's
//! hypothesis fails; the "normalized margin" min_i y_i f(x_i)/(‖w‖² + ‖a‖²) is not bounded by the certified γ* of the
//! homogeneous net (whose bias is a regularized input coordinate): a bias costs nothing, so kinks are cheaper.
//!
//! Implementation: a [`TwoLayer`] on inputs (x, 1) whose last input coordinate carries the bias; the penalty skips
//! the bias column of U.

use crate::data::Dataset;
use crate::nets::lbfgs::lbfgs_capped;
use crate::nets::margin::margins;
use crate::nets::{Model, Objective, Reduction, TwoLayer};
use crate::{Error, Result};
use nalgebra::DVector;

/// Mask of the penalized entries of Θ = (U row-major, w) when the last input column is the bias.
fn penalized_mask(width: usize, d: usize) -> Vec<bool> {
    (0..width * d + width).map(|k| k >= width * d || k % d != d - 1).collect()
}

/// ‖Θ_pen‖² = ‖w‖² + Σ_j Σ_{k < d−1} u_jk².
pub fn penalized_sq_norm(net: &TwoLayer) -> f64 {
    let mask = penalized_mask(net.width(), net.input_dim());
    net.params().iter().zip(&mask).filter(|(_, m)| **m).map(|(v, _)| v * v).sum()
}

/// min_i y_i f(x_i) / ‖Θ_pen‖² (−∞ for Θ_pen = 0).
pub fn free_bias_margin(net: &TwoLayer, data: &Dataset) -> Result<f64> {
    let worst = margins(net, data)?.min();
    let sq = penalized_sq_norm(net);
    Ok(if sq > 0.0 { worst / sq } else { f64::NEG_INFINITY })
}

/// The warm-started path of the free-bias objective over `lambdas` from `init` (data with its bias column last);
/// returns the net at the end of every stage and its objective.
pub fn free_bias_path(
    init: TwoLayer,
    data: &Dataset,
    lambdas: &[f64],
    max_iters: usize,
) -> Result<Vec<(TwoLayer, f64)>> {
    if data.d() < 2 {
        return Err(Error::param("data", data.d(), "need an input coordinate and the bias column"));
    }
    let mask = penalized_mask(init.width(), data.d());
    let loss = Objective::unregularized(Reduction::Mean);
    let mut net = init;
    let mut out = Vec::with_capacity(lambdas.len());
    for &lambda in lambdas {
        crate::error::ensure_positive("lambda", lambda)?;
        let base = net.clone();
        let eval = |p: &DVector<f64>| {
            let mut m = base.clone();
            m.set_params(p.as_slice())?;
            let (v, mut g) = loss.value_grad(&m, data)?;
            let mut pen = 0.0;
            for (k, pen_k) in mask.iter().enumerate() {
                if *pen_k {
                    pen += p[k] * p[k];
                    g[k] += 2.0 * lambda * p[k];
                }
            }
            Ok((v + lambda * pen, g))
        };
        let min = lbfgs_capped(eval, net.params(), 10, max_iters, 1e-12, 12)?;
        net.set_params(min.x.as_slice())?;
        out.push((net.clone(), min.value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::line1d;
    use nalgebra::DMatrix;

    #[test]
    fn mask_skips_only_the_bias_column() {
        assert_eq!(penalized_mask(2, 2), vec![true, false, true, false, true, true]);
        let net =
            TwoLayer::new(DMatrix::from_row_slice(2, 2, &[1.0, 5.0, 2.0, 7.0]), DVector::from_vec(vec![3.0, 4.0]))
                .unwrap();
        assert_eq!(penalized_sq_norm(&net), 1.0 + 4.0 + 9.0 + 16.0);
    }

    #[test]
    fn free_bias_margin_dominates_and_the_path_descends() {
        // start from the certified max-margin net of the homogeneous problem
        let data = line1d().with_bias();
        let mut rng = crate::seed::stream(1, &["free-bias-test"], 0);
        let cert = crate::claims::width::common::certify(&data, 200, &mut rng).unwrap();
        let net = cert.net().unwrap();
        let homogeneous = crate::nets::margin::normalized_margin(&net, &data).unwrap();
        // dropping the bias from the norm can only raise the ratio
        assert!(free_bias_margin(&net, &data).unwrap() >= homogeneous);
        let lambda = 1e-4;
        let start = {
            let loss = Objective::unregularized(Reduction::Mean).value(&net, &data).unwrap();
            loss + lambda * penalized_sq_norm(&net)
        };
        let path = free_bias_path(net, &data, &[lambda], 400).unwrap();
        assert!(path[0].1 <= start);
        assert!(free_bias_margin(&path[0].0, &data).unwrap() > 0.0);
        assert!(
            free_bias_path(TwoLayer::gaussian(3, 1, 1.0, &mut rng).unwrap(), &crate::data::line1d(), &[1e-3], 5)
                .is_err()
        );
    }
}

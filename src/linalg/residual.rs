//! Backward-error checks of eigendecompositions: every decomposition used in a verdict reports
//!
//! - residual r = ‖KV − VΛ‖_max / ‖K‖_max,
//! - orthogonality o = ‖VᵀV − I‖_max,
//!
//! for the computed pairs (all n of them, or a top-k subset). Both products run through faer's parallel GEMM, a block
//! of 256 columns of V at a time, so the check adds O(n) columns to the memory of K and V, not two n × n products.

use super::eigen::Eigen;
use super::{as_faer, as_faer_mut, max_abs, par};
use crate::error::{Error, Result};
use nalgebra::DMatrix;

/// Residual and orthogonality of a set of eigenpairs.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct EigenResidual {
    /// ‖KV − VΛ‖_max / ‖K‖_max.
    pub residual: f64,
    /// ‖VᵀV − I‖_max.
    pub orthogonality: f64,
}

/// Columns of V per block in [`eigen_residual`] (memory 2 · n × `RESIDUAL_BLOCK` doubles).
const RESIDUAL_BLOCK: usize = 256;

/// Computes [`EigenResidual`] of `e` as eigenpairs of `k` (n × n; `e.vectors` n × m, `e.values` m), over all m pairs,
/// in column blocks of V (memory: K, V and two n × 256 blocks).
///
/// Errors: shape mismatch; a zero matrix gives residual ‖KV − VΛ‖_max itself (no division by 0).
pub fn eigen_residual(k: &DMatrix<f64>, e: &Eigen) -> Result<EigenResidual> {
    let n = k.nrows();
    let m = e.values.len();
    if k.ncols() != n || e.vectors.nrows() != n || e.vectors.ncols() != m {
        return Err(Error::shape(
            "eigen_residual",
            format!("K n×n, V n×m, values m (n = {n})"),
            format!("K {}×{}, V {}×{}, values {m}", k.nrows(), k.ncols(), e.vectors.nrows(), e.vectors.ncols()),
        ));
    }
    let p = par();
    // column blocks of KV and VᵀV: O(n·b) memory besides K and V (a full-size KV and VᵀV would add two n × n
    // matrices to the peak of the eigendecomposition's caller); the same products and the same maxima as in one piece
    let b = RESIDUAL_BLOCK.min(m.max(1));
    let mut kv = DMatrix::<f64>::zeros(n, b);
    let mut g = DMatrix::<f64>::zeros(m, b);
    let (mut worst, mut orth) = (0.0_f64, 0.0_f64);
    for c0 in (0..m).step_by(b) {
        let bw = b.min(m - c0);
        let vb = as_faer(&e.vectors).subcols(c0, bw);
        faer::linalg::matmul::matmul(
            as_faer_mut(&mut kv).subcols_mut(0, bw),
            faer::Accum::Replace,
            as_faer(k),
            vb,
            1.0,
            p,
        );
        faer::linalg::matmul::matmul(
            as_faer_mut(&mut g).subcols_mut(0, bw),
            faer::Accum::Replace,
            as_faer(&e.vectors).transpose(),
            vb,
            1.0,
            p,
        );
        for t in 0..bw {
            let j = c0 + t;
            let lam = e.values[j];
            for (a, v) in kv.column(t).iter().zip(e.vectors.column(j).iter()) {
                worst = worst.max((a - lam * v).abs());
            }
            for (i, x) in g.column(t).iter().enumerate() {
                let want = if i == j { 1.0 } else { 0.0 };
                orth = orth.max((x - want).abs());
            }
        }
    }
    let scale = max_abs(k);
    let residual = if scale > 0.0 { worst / scale } else { worst };
    Ok(EigenResidual { residual, orthogonality: orth })
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::DVector;

    #[test]
    fn detects_a_wrong_pair() {
        let k = DMatrix::from_diagonal(&DVector::from_vec(vec![1.0, 2.0]));
        let good = Eigen { values: DVector::from_vec(vec![1.0, 2.0]), vectors: DMatrix::identity(2, 2) };
        let r = eigen_residual(&k, &good).unwrap();
        assert_eq!(r.residual, 0.0);
        let bad = Eigen { values: DVector::from_vec(vec![1.0, 2.5]), vectors: DMatrix::identity(2, 2) * 1.1 };
        let r = eigen_residual(&k, &bad).unwrap();
        assert!(r.residual > 0.1 && r.orthogonality > 0.2);
        assert!(eigen_residual(&DMatrix::zeros(3, 3), &good).is_err());
    }

    #[test]
    fn blocks_match_one_piece() {
        // n = 600: two full blocks of 256 columns and a partial one. Perturbed pairs (column j scaled by 1 + 1e-6 j,
        // eigenvalue shifted by 1e-5 j) make both figures far above rounding, so the blocked maxima must equal the
        // one-piece ones to ~1e-10 relative
        let n = 600;
        let k = DMatrix::from_fn(n, n, |i, j| 1.0 / (1.0 + (i as f64 - j as f64).abs()));
        let mut e = crate::linalg::eigen::sym_eigen(&k).unwrap();
        for j in 0..n {
            e.values[j] += 1e-5 * j as f64;
            e.vectors.column_mut(j).scale_mut(1.0 + 1e-6 * j as f64);
        }
        let r = eigen_residual(&k, &e).unwrap();
        let kv = &k * &e.vectors - &e.vectors * DMatrix::from_diagonal(&e.values);
        let want_res = kv.amax() / k.amax();
        let want_orth = (e.vectors.transpose() * &e.vectors - DMatrix::identity(n, n)).amax();
        assert!(want_res > 1e-4 && want_orth > 1e-4);
        assert!((r.residual - want_res).abs() <= 1e-10 * want_res, "{} vs {want_res}", r.residual);
        assert!((r.orthogonality - want_orth).abs() <= 1e-10 * want_orth, "{} vs {want_orth}", r.orthogonality);
    }
}

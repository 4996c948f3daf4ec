//! Backward-error checks of eigendecompositions: every decomposition used in a verdict reports
//!
//! - residual r = ‖KV − VΛ‖_max / ‖K‖_max,
//! - orthogonality o = ‖VᵀV − I‖_max,
//!
//! for the computed pairs (all n of them, or a top-k subset). Both products run through faer's parallel GEMM.

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

/// Computes [`EigenResidual`] of `e` as eigenpairs of `k` (n × n; `e.vectors` n × m, `e.values` m).
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
    let mut kv = DMatrix::<f64>::zeros(n, m);
    faer::linalg::matmul::matmul(as_faer_mut(&mut kv), faer::Accum::Replace, as_faer(k), as_faer(&e.vectors), 1.0, p);
    let mut worst = 0.0_f64;
    for j in 0..m {
        let lam = e.values[j];
        for (a, b) in kv.column(j).iter().zip(e.vectors.column(j).iter()) {
            worst = worst.max((a - lam * b).abs());
        }
    }
    let scale = max_abs(k);
    let residual = if scale > 0.0 { worst / scale } else { worst };
    let mut g = DMatrix::<f64>::zeros(m, m);
    faer::linalg::matmul::matmul(
        as_faer_mut(&mut g),
        faer::Accum::Replace,
        as_faer(&e.vectors).transpose(),
        as_faer(&e.vectors),
        1.0,
        p,
    );
    let mut orth = 0.0_f64;
    for j in 0..m {
        for i in 0..m {
            let want = if i == j { 1.0 } else { 0.0 };
            orth = orth.max((g[(i, j)] - want).abs());
        }
    }
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
}

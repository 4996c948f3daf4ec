//! Glue to `clarabel`: dense `nalgebra` matrices to its compressed-sparse-column form, and the solver settings every
//! LP/QP of the crate uses (tolerances explicit, verbose off — DESIGN.md §5).

use clarabel::algebra::CscMatrix;
use clarabel::solver::{DefaultSettings, DefaultSettingsBuilder};
use nalgebra::DMatrix;

/// The CSC form of `a`, keeping only nonzero entries.
pub fn dense_to_csc(a: &DMatrix<f64>) -> CscMatrix<f64> {
    let (m, n) = a.shape();
    let mut colptr = Vec::with_capacity(n + 1);
    let mut rowval = Vec::new();
    let mut nzval = Vec::new();
    colptr.push(0);
    for j in 0..n {
        for i in 0..m {
            let v = a[(i, j)];
            if v != 0.0 {
                rowval.push(i);
                nzval.push(v);
            }
        }
        colptr.push(rowval.len());
    }
    CscMatrix::new(m, n, colptr, rowval, nzval)
}

/// Settings with gap and feasibility tolerances `tol`, at most 200 iterations, verbose off.
pub fn settings(tol: f64) -> crate::Result<DefaultSettings<f64>> {
    DefaultSettingsBuilder::default()
        .verbose(false)
        .tol_gap_abs(tol)
        .tol_gap_rel(tol)
        .tol_feas(tol)
        .max_iter(200)
        .build()
        .map_err(|e| crate::Error::Solver(format!("clarabel settings: {e:?}")))
}

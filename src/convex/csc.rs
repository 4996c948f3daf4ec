//! Conversion of dense `nalgebra` matrices to the compressed-sparse-column form `clarabel` takes.

use clarabel::algebra::CscMatrix;
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

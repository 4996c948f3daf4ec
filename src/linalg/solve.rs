//! Cholesky solves A X = B for symmetric positive definite A (faer `LLᵀ` on the column-major memory).

use super::{as_faer_mut, ensure_symmetric, par};
use crate::error::{Error, Result, ensure_finite};
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::cholesky::llt;
use nalgebra::DMatrix;

/// A Cholesky factor A = L Lᵀ (lower triangle of `l` holds L).
#[derive(Clone, Debug)]
pub struct Cholesky {
    l: DMatrix<f64>,
}

impl Cholesky {
    /// Factors a symmetric positive definite matrix (symmetry checked to 1e-10 relative, lower triangle read).
    ///
    /// Errors: empty / non-square / non-finite / non-symmetric input; [`Error::Numerical`] if A is not (numerically)
    /// positive definite.
    pub fn new(a: &DMatrix<f64>) -> Result<Cholesky> {
        ensure_symmetric("A", a)?;
        Cholesky::factor_in_place(a.clone())
    }

    /// Factors a square matrix in its own storage (no copy): only the lower triangle is read, and symmetry is *not*
    /// checked — for callers that built A symmetric themselves. Errors: empty, non-square or non-finite input;
    /// [`Error::Numerical`] if A is not (numerically) positive definite.
    pub fn factor_in_place(mut l: DMatrix<f64>) -> Result<Cholesky> {
        let n = super::ensure_square("A", &l)?;
        let p = par();
        let mut mem = MemBuffer::new(llt::factor::cholesky_in_place_scratch::<f64>(n, p, Default::default()));
        llt::factor::cholesky_in_place(
            as_faer_mut(&mut l),
            Default::default(),
            p,
            MemStack::new(&mut mem),
            Default::default(),
        )
        .map_err(|e| Error::Numerical(format!("Cholesky: matrix is not positive definite ({e:?})")))?;
        Ok(Cholesky { l })
    }

    /// Dimension n.
    pub fn dim(&self) -> usize {
        self.l.nrows()
    }

    /// Solves A X = B (B is n × m).
    pub fn solve(&self, b: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        if b.nrows() != self.dim() {
            return Err(Error::shape("Cholesky::solve: rows of B", self.dim(), b.nrows()));
        }
        ensure_finite("B", b.as_slice())?;
        let mut x = b.clone();
        let p = par();
        let mut mem = MemBuffer::new(llt::solve::solve_in_place_scratch::<f64>(self.dim(), b.ncols(), p));
        llt::solve::solve_in_place(super::as_faer(&self.l), as_faer_mut(&mut x), p, MemStack::new(&mut mem));
        Ok(x)
    }

    /// Forward substitution w = L⁻¹b. Because the leading k × k block of L is the Cholesky factor of the leading
    /// k × k block of A, the first k entries of w are those of the same solve on the leading block, so
    /// Σ_{i<k} w_i² = b_{:k}ᵀ A_{:k,:k}⁻¹ b_{:k} for every k at once (the prefix property).
    ///
    /// Errors: len(b) ≠ n, non-finite b.
    pub fn forward(&self, b: &[f64]) -> Result<Vec<f64>> {
        let n = self.dim();
        if b.len() != n {
            return Err(Error::shape("Cholesky::forward: len(b)", n, b.len()));
        }
        ensure_finite("b", b)?;
        let mut w = b.to_vec();
        for j in 0..n {
            w[j] /= self.l[(j, j)];
            let wj = w[j];
            let col = self.l.column(j);
            for i in j + 1..n {
                w[i] -= col[i] * wj;
            }
        }
        Ok(w)
    }

    /// The diagonal of L: L_kk² is the Schur pivot of row k given rows 0..k (how far A's k-th point lies from the span
    /// of the earlier ones in the A inner product). A pivot at rounding level means A is numerically singular even
    /// when the factorization itself succeeded.
    pub fn pivots(&self) -> Vec<f64> {
        (0..self.dim()).map(|i| self.l[(i, i)]).collect()
    }

    /// log det A = 2 Σ log L_ii.
    pub fn log_det(&self) -> f64 {
        2.0 * (0..self.dim()).map(|i| self.l[(i, i)].ln()).sum::<f64>()
    }
}

/// Normwise backward error ‖AX − B‖_max/(‖A‖_∞‖X‖_max + ‖B‖_max) of a computed solution X of A X = B (0 when the
/// denominator is 0, i.e. B = 0 solved by X = 0). Errors: shapes that do not chain.
pub fn solve_backward_error(a: &DMatrix<f64>, x: &DMatrix<f64>, b: &DMatrix<f64>) -> Result<f64> {
    if a.ncols() != x.nrows() || a.nrows() != b.nrows() || x.ncols() != b.ncols() {
        return Err(Error::shape(
            "solve_backward_error: A X = B",
            format!("{}×{}·{}×{}", a.nrows(), a.ncols(), x.nrows(), x.ncols()),
            format!("{}×{}", b.nrows(), b.ncols()),
        ));
    }
    let inf = a.row_iter().map(|r| r.iter().map(|v| v.abs()).sum::<f64>()).fold(0.0, f64::max);
    let scale = inf * x.amax() + b.amax();
    Ok(if scale > 0.0 { (a * x - b).amax() / scale } else { 0.0 })
}

/// Solves A X = B for symmetric positive definite A by Cholesky.
pub fn cholesky_solve(a: &DMatrix<f64>, b: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    Cholesky::new(a)?.solve(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_spd_system() {
        let n = 50;
        let m = DMatrix::from_fn(n, n, |i, j| ((i * 3 + j * 5) % 7) as f64 - 3.0);
        let a = &m * m.transpose() + DMatrix::identity(n, n) * 2.0;
        let x0 = DMatrix::from_fn(n, 2, |i, j| (i + j) as f64 * 0.1);
        let b = &a * &x0;
        let x = cholesky_solve(&a, &b).unwrap();
        assert!((x - x0).amax() < 1e-9);
    }

    /// The prefix property: Σ_{i<k} w_i² equals b_{:k}ᵀA_{:k,:k}⁻¹b_{:k} computed by a separate solve on the block.
    #[test]
    fn forward_gives_every_leading_block_quadratic_form() {
        let n = 12;
        let m = DMatrix::from_fn(n, n, |i, j| (((i * 7 + j * 3) % 11) as f64 - 5.0) / 3.0);
        let a = &m * m.transpose() + DMatrix::identity(n, n);
        let b: Vec<f64> = (0..n).map(|i| (i as f64 * 0.7).sin()).collect();
        let w = Cholesky::new(&a).unwrap().forward(&b).unwrap();
        for k in 1..=n {
            let ak = a.view((0, 0), (k, k)).into_owned();
            let bk = DMatrix::from_column_slice(k, 1, &b[..k]);
            let x = cholesky_solve(&ak, &bk).unwrap();
            let want = (bk.transpose() * x)[(0, 0)];
            let got: f64 = w[..k].iter().map(|v| v * v).sum();
            assert!((got - want).abs() <= 1e-12 * want.abs().max(1.0), "k = {k}: {got} vs {want}");
        }
        assert!(Cholesky::new(&a).unwrap().forward(&b[..3]).is_err());
        // Π L_ii² = det A, and log_det is its logarithm (against nalgebra's LU determinant)
        let chol = Cholesky::new(&a).unwrap();
        let want = a.clone().determinant().ln();
        let logdet: f64 = chol.pivots().iter().map(|p| 2.0 * p.ln()).sum();
        assert!((logdet - want).abs() < 1e-9 && (chol.log_det() - want).abs() < 1e-9, "{} vs {want}", chol.log_det());
        assert!(Cholesky::new(&a).unwrap().forward(&[f64::NAN; 12]).is_err());
    }

    #[test]
    fn backward_error_of_exact_and_perturbed_solutions() {
        let a = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 3.0]);
        let x = DMatrix::from_column_slice(2, 1, &[1.0, -1.0]);
        let b = &a * &x;
        assert_eq!(solve_backward_error(&a, &x, &b).unwrap(), 0.0);
        // perturb b = (1, −2) by 0.1 in its first entry: ‖r‖ = 0.1, ‖A‖_∞ = 4, ‖x‖ = 1, ‖b₂‖ = 2
        let b2 = &b + DMatrix::from_column_slice(2, 1, &[0.1, 0.0]);
        assert!((solve_backward_error(&a, &x, &b2).unwrap() - 0.1 / (4.0 + 2.0)).abs() < 1e-15);
        assert_eq!(solve_backward_error(&a, &DMatrix::zeros(2, 1), &DMatrix::zeros(2, 1)).unwrap(), 0.0);
        assert!(solve_backward_error(&a, &x, &DMatrix::zeros(3, 1)).is_err());
    }

    #[test]
    fn indefinite_is_numerical_error() {
        let a = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 2.0, 1.0]);
        assert!(matches!(Cholesky::new(&a), Err(Error::Numerical(_))));
        let c = Cholesky::new(&DMatrix::identity(2, 2)).unwrap();
        assert!(matches!(c.solve(&DMatrix::zeros(3, 1)), Err(Error::ShapeMismatch { .. })));
    }
}

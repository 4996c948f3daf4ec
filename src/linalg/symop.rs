//! The symmetric matrix–vector product y = K x reading only the lower triangle of K, as a faer `LinOp` for the
//! Krylov eigensolver ([`super::lanczos`]).
//!
//! A dense matrix–vector product is memory-bound: at n = 8192 each product streams 512 MB. Each entry of the lower
//! triangle is used twice instead — y_j += K_jj x_j + Σ_{i>j} K_ij x_i (a dot product down column j) and
//! y_i += K_ij x_j for i > j (an axpy down the same column) — so a product streams half the memory. Columns are split
//! into chunks of equal triangle area, one per task, each with a private accumulator; the accumulators are summed in
//! chunk order, so the result does not depend on scheduling.

use faer::dyn_stack::{MemStack, StackReq};
use faer::matrix_free::LinOp;
use faer::{MatMut, MatRef, Par};
use rayon::prelude::*;

/// A symmetric n × n matrix given by (at least) its lower triangle, column-major; the strict upper triangle is never
/// read.
#[derive(Debug, Clone, Copy)]
pub struct SymLower<'a> {
    data: &'a [f64],
    n: usize,
}

impl<'a> SymLower<'a> {
    /// Wraps column-major storage of an n × n matrix (`data.len() == n·n`; `None` otherwise).
    pub fn new(data: &'a [f64], n: usize) -> Option<Self> {
        (data.len() == n.checked_mul(n)?).then_some(SymLower { data, n })
    }

    /// y = K x for one vector, parallel over `chunks` column ranges. Errors: `x` or `y` not of length n.
    pub fn apply_vec(&self, x: &[f64], y: &mut [f64], chunks: usize) -> crate::Result<()> {
        let n = self.n;
        if x.len() != n || y.len() != n {
            return Err(crate::Error::shape(
                "SymLower::apply_vec: len(x), len(y)",
                n,
                format!("{}, {}", x.len(), y.len()),
            ));
        }
        let ranges = area_chunks(n, chunks.max(1));
        let parts: Vec<Vec<f64>> = ranges
            .par_iter()
            .map(|&(j0, j1)| {
                let mut acc = vec![0.0; n];
                for j in j0..j1 {
                    let col = &self.data[j * n + j..(j + 1) * n];
                    column_update(col, &x[j..], &mut acc[j..]);
                }
                acc
            })
            .collect();
        y.fill(0.0);
        for p in &parts {
            for (o, v) in y.iter_mut().zip(p) {
                *o += v;
            }
        }
        Ok(())
    }
}

/// For column j of the lower triangle (`col[0] = K_jj`, `col[r] = K_{j+r, j}`), with `x`, `y` starting at row j:
/// y_j += K_jj x_j + Σ_{r>0} col_r x_r and y_r += col_r x_0 for r > 0 — one pass, four independent accumulators.
#[inline]
fn column_update(col: &[f64], x: &[f64], y: &mut [f64]) {
    let xj = x[0];
    let (c, xs, ys) = (&col[1..], &x[1..], &mut y[1..]);
    let mut acc = [0.0_f64; 4];
    let mut cc = c.chunks_exact(4);
    let mut xc = xs.chunks_exact(4);
    let mut yc = ys.chunks_exact_mut(4);
    for ((c4, x4), y4) in (&mut cc).zip(&mut xc).zip(&mut yc) {
        for l in 0..4 {
            acc[l] += c4[l] * x4[l];
            y4[l] += c4[l] * xj;
        }
    }
    let mut tail = 0.0;
    for ((cv, xv), yv) in cc.remainder().iter().zip(xc.remainder()).zip(yc.into_remainder()) {
        tail += cv * xv;
        *yv += cv * xj;
    }
    y[0] += col[0] * xj + ((acc[0] + acc[1]) + (acc[2] + acc[3]) + tail);
}

/// Splits columns 0..n into `k` contiguous ranges of about equal lower-triangle area (column j holds n − j entries).
fn area_chunks(n: usize, k: usize) -> Vec<(usize, usize)> {
    let total = n as f64 * (n as f64 + 1.0) / 2.0;
    let mut out = Vec::with_capacity(k);
    let mut j0 = 0;
    for t in 1..=k {
        // area of columns 0..j is j·n − j(j−1)/2; solve for the j at which it reaches t/k of the total
        let target = total * t as f64 / k as f64;
        let nf = n as f64 + 0.5;
        let j = (nf - (nf * nf - 2.0 * target).max(0.0).sqrt()).round() as usize;
        let j1 = if t == k { n } else { j.clamp(j0, n) };
        if j1 > j0 {
            out.push((j0, j1));
        }
        j0 = j1;
    }
    out
}

impl LinOp<f64> for SymLower<'_> {
    fn apply_scratch(&self, _rhs_ncols: usize, _par: Par) -> StackReq {
        StackReq::EMPTY
    }

    fn nrows(&self) -> usize {
        self.n
    }

    fn ncols(&self) -> usize {
        self.n
    }

    fn apply(&self, out: MatMut<'_, f64>, rhs: MatRef<'_, f64>, par: Par, _stack: &mut MemStack) {
        let mut out = out;
        let chunks = match par {
            Par::Seq => 1,
            Par::Rayon(t) => 2 * t.get(),
        };
        let n = self.n;
        let mut x = vec![0.0; n];
        let mut y = vec![0.0; n];
        for c in 0..rhs.ncols() {
            for (i, v) in x.iter_mut().enumerate() {
                *v = rhs[(i, c)];
            }
            // x and y are built with length n here, so the length check cannot fail
            if self.apply_vec(&x, &mut y, chunks).is_err() {
                y.fill(f64::NAN);
            }
            for (i, v) in y.iter().enumerate() {
                out[(i, c)] = *v;
            }
        }
    }

    fn conj_apply(&self, out: MatMut<'_, f64>, rhs: MatRef<'_, f64>, par: Par, stack: &mut MemStack) {
        self.apply(out, rhs, par, stack)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::{DMatrix, DVector};

    #[test]
    fn matches_dense_product_and_ignores_the_upper_triangle() {
        for n in [1usize, 2, 5, 37, 200] {
            let k = DMatrix::from_fn(n, n, |i, j| ((i * 7 + j * 7 + i * j) % 13) as f64 - 6.0 + 0.5);
            let x = DVector::from_fn(n, |i, _| ((i * 5) % 7) as f64 - 3.0);
            let want = &k * &x;
            // poison the strict upper triangle: it must not be read
            let mut kl = k.clone();
            for j in 0..n {
                for i in 0..j {
                    kl[(i, j)] = f64::NAN;
                }
            }
            let op = SymLower::new(kl.as_slice(), n).unwrap();
            assert!(op.apply_vec(&x.as_slice()[1..], &mut vec![0.0; n], 1).is_err());
            for chunks in [1, 3, 8] {
                let mut y = vec![0.0; n];
                op.apply_vec(x.as_slice(), &mut y, chunks).unwrap();
                for i in 0..n {
                    assert!((y[i] - want[i]).abs() <= 1e-12 * (1.0 + want[i].abs()), "n={n} chunks={chunks} i={i}");
                }
            }
        }
        assert!(SymLower::new(&[1.0, 2.0], 2).is_none());
    }

    #[test]
    fn area_chunks_cover_all_columns() {
        for (n, k) in [(10, 3), (8192, 4), (3, 8), (1, 1)] {
            let r = area_chunks(n, k);
            assert_eq!(r.first().unwrap().0, 0);
            assert_eq!(r.last().unwrap().1, n);
            for w in r.windows(2) {
                assert_eq!(w[0].1, w[1].0);
            }
        }
    }
}

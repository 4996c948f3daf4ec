//! Blocked, parallel assembly of kernel matrices from inner products.
//!
//! Every kernel of the crate is a function of three numbers: the inner product c = xᵀz and the squared norms
//! a = ‖x‖², b = ‖z‖². Assembly is therefore
//!
//! 1. `G = X Zᵀ` by one parallel GEMM (faer) on the column-major memory of the output,
//! 2. the elementwise map K_ij = f(G_ij, a_i, b_j) in place, parallel over columns (rayon),
//!
//! and for a symmetric Gram matrix only the strict lower triangle is mapped, the diagonal is set from its own closed
//! form `diag(a_i)` (exact, no angle round-off), and the upper triangle is mirrored in 64 × 64 tiles.

use crate::error::{Error, Result, ensure_finite};
use nalgebra::DMatrix;
use rayon::prelude::*;

/// Tile edge of the mirroring pass (64 × 64 f64 = 32 KiB, one L1-sized tile).
const TILE: usize = 64;

/// Row squared norms a_i = Σ_k x_ik² of a column-major matrix (rows are points).
pub fn row_norms2(x: &DMatrix<f64>) -> Vec<f64> {
    let n = x.nrows();
    let mut out = vec![0.0; n];
    for col in x.column_iter() {
        for (o, v) in out.iter_mut().zip(col.iter()) {
            *o += v * v;
        }
    }
    out
}

fn validate_points(what: &str, x: &DMatrix<f64>) -> Result<()> {
    if x.nrows() == 0 || x.ncols() == 0 {
        return Err(Error::Empty(format!("{what} is {}×{} (rows are points)", x.nrows(), x.ncols())));
    }
    ensure_finite(what, x.as_slice())
}

/// Inner-product matrix `X Zᵀ` (n × m) by a parallel faer GEMM.
pub fn inner_products(x: &DMatrix<f64>, z: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    if x.ncols() != z.ncols() {
        return Err(Error::shape("inner_products: columns of X and Z", x.ncols(), z.ncols()));
    }
    let mut g = DMatrix::<f64>::zeros(x.nrows(), z.nrows());
    faer::linalg::matmul::matmul(
        super::as_faer_mut(&mut g),
        faer::Accum::Replace,
        super::as_faer(x),
        super::as_faer(z).transpose(),
        1.0,
        super::par(),
    );
    Ok(g)
}

#[derive(Clone, Copy)]
struct SyncPtr(*mut f64);
// SAFETY: used only in `mirror_lower`, where every task writes a disjoint set of entries (the strict upper triangle
// of its own column block) and reads only entries of the strict lower triangle, which no task writes.
unsafe impl Send for SyncPtr {}
unsafe impl Sync for SyncPtr {}

/// Copies the strict lower triangle of a square column-major matrix onto its strict upper triangle (tiled, parallel
/// over column blocks).
pub fn mirror_lower(k: &mut DMatrix<f64>) {
    let n = k.nrows();
    debug_assert_eq!(n, k.ncols());
    let ptr = SyncPtr(k.as_mut_slice().as_mut_ptr());
    let blocks = n.div_ceil(TILE);
    (0..blocks).into_par_iter().for_each(move |jb| {
        let p = ptr;
        let j0 = jb * TILE;
        let j1 = (j0 + TILE).min(n);
        for i0 in (0..j1).step_by(TILE) {
            let i1 = (i0 + TILE).min(j1);
            for j in j0..j1 {
                for i in i0..i1.min(j) {
                    // SAFETY: i < j < n, so (i, j) is strictly upper (written only by this block) and (j, i) strictly
                    // lower (never written here); both indices are inside the n × n buffer.
                    unsafe { *p.0.add(j * n + i) = *p.0.add(i * n + j) };
                }
            }
        }
    });
}

/// Symmetric kernel matrix K_ij = f(x_iᵀx_j, ‖x_i‖², ‖x_j‖²) for i ≠ j and K_ii = diag(‖x_i‖²); rows of `x` are
/// points. Only the lower triangle is evaluated; the result is exactly symmetric.
///
/// Errors: empty or non-finite `x`.
pub fn gram_map<F, D>(x: &DMatrix<f64>, f: F, diag: D) -> Result<DMatrix<f64>>
where
    F: Fn(f64, f64, f64) -> f64 + Sync,
    D: Fn(f64) -> f64 + Sync,
{
    validate_points("X", x)?;
    let n = x.nrows();
    let norms = row_norms2(x);
    let mut k = inner_products(x, x)?;
    k.as_mut_slice().par_chunks_mut(n).enumerate().for_each(|(j, col)| {
        let b = norms[j];
        for i in (j + 1)..n {
            col[i] = f(col[i], norms[i], b);
        }
        col[j] = diag(b);
    });
    mirror_lower(&mut k);
    Ok(k)
}

/// Cross-kernel matrix K_ij = f(x_iᵀz_j, ‖x_i‖², ‖z_j‖²), n × m for X (n × d) and Z (m × d), rows are points.
///
/// Errors: empty or non-finite inputs, different dimension d.
pub fn cross_map<F>(x: &DMatrix<f64>, z: &DMatrix<f64>, f: F) -> Result<DMatrix<f64>>
where
    F: Fn(f64, f64, f64) -> f64 + Sync,
{
    validate_points("X", x)?;
    validate_points("Z", z)?;
    let n = x.nrows();
    let nx = row_norms2(x);
    let nz = row_norms2(z);
    let mut k = inner_products(x, z)?;
    k.as_mut_slice().par_chunks_mut(n).enumerate().for_each(|(j, col)| {
        let b = nz[j];
        for (v, &a) in col.iter_mut().zip(nx.iter()) {
            *v = f(*v, a, b);
        }
    });
    Ok(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(n: usize, d: usize) -> DMatrix<f64> {
        DMatrix::from_fn(n, d, |i, j| ((i * 7 + j * 13) % 11) as f64 - 5.0 + 0.1 * (i as f64).sin())
    }

    #[test]
    fn linear_kernel_matches_naive_and_is_symmetric() {
        let x = data(150, 7);
        let k = gram_map(&x, |c, _, _| c, |a| a).unwrap();
        let naive = &x * x.transpose();
        for i in 0..150 {
            for j in 0..150 {
                assert_eq!(k[(i, j)], k[(j, i)]);
                assert!((k[(i, j)] - naive[(i, j)]).abs() <= 1e-12 * (1.0 + naive[(i, j)].abs()));
            }
        }
    }

    #[test]
    fn cross_matches_naive() {
        let x = data(70, 5);
        let z = data(33, 5).map(|v| v * 0.5 + 1.0);
        let k = cross_map(&x, &z, |c, a, b| c + a - b).unwrap();
        let nx = row_norms2(&x);
        let nz = row_norms2(&z);
        for i in 0..70 {
            for j in 0..33 {
                let c = x.row(i).dot(&z.row(j));
                assert!((k[(i, j)] - (c + nx[i] - nz[j])).abs() < 1e-10);
            }
        }
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let x = DMatrix::<f64>::zeros(0, 3);
        assert!(matches!(gram_map(&x, |c, _, _| c, |a| a), Err(Error::Empty(_))));
        let mut y = data(4, 3);
        y[(2, 1)] = f64::NAN;
        assert!(matches!(gram_map(&y, |c, _, _| c, |a| a), Err(Error::NonFinite { .. })));
        let z = data(4, 2);
        assert!(matches!(cross_map(&data(4, 3), &z, |c, _, _| c), Err(Error::ShapeMismatch { .. })));
    }
}

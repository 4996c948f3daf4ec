//! Blocked, parallel assembly of kernel matrices from inner products.
//!
//! Every kernel of the crate is a function of three numbers: the inner product c = xᵀz and the squared norms
//! a = ‖x‖², b = ‖z‖². Assembly works tile by tile on the column-major output (tiles of `IB` rows × `JB` columns,
//! processed in parallel by rayon, each tile entirely by one thread while it sits in cache):
//!
//! 1. the tile of `G = X Zᵀ` by a sequential faer GEMM written straight into the output memory,
//! 2. the elementwise map K_ij = f(G_ij, a_i, b_j) over each contiguous column segment of the tile (a straight-line
//!    loop the compiler vectorizes; an AVX2 copy is selected at run time on x86-64, with results bit-identical to the
//!    portable one since both use only correctly rounded IEEE operations),
//! 3. for a symmetric Gram matrix only tiles on or below the block diagonal exist: the diagonal is set from its own
//!    closed form `diag(a_i)` (exact, no angle round-off) and each tile's strict lower part is copied to its mirror
//!    position in the upper triangle by the same thread, so the result is exactly symmetric.
//!
//! Points of the hypercube {±1}^d (every entry of X and Z is ±1, the suite's main data) take a cheaper step 2: there
//! c = xᵀz is an exact integer in [−d, d] (the GEMM sums ±1 products exactly, in any order) and a = b = d, so f takes
//! at most 2d + 1 values. They are tabulated once by the same closed form and looked up per entry — bit-identical to
//! evaluating f, and an order of magnitude cheaper for kernels built on arccos or exp ([`SignTable`]).
//!
//! The output is allocated by [`super::buffer::zeroed`] (huge pages where available: first-touch page faults of a
//! 128 MB matrix otherwise cost more than the GEMM). Each entry is computed by a fixed sequence of operations that does
//! not depend on the thread count, so the result is deterministic.

use crate::error::{Error, Result, ensure_finite_matrix};
use nalgebra::DMatrix;
use rayon::prelude::*;

/// Tile edge of the mirroring pass of [`mirror_lower`] (64 × 64 f64 = 32 KiB, one L1-sized tile).
const TILE: usize = 64;
/// Columns per tile of the fused GEMM + map.
const JB: usize = 64;
/// Rows per tile of the fused GEMM + map (a multiple of `JB`; 512 × 64 f64 = 256 KiB, an L2-sized tile).
const IB: usize = 512;

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
    ensure_finite_matrix(what, x.as_slice(), x.nrows())
}

/// Inner-product matrix `X Zᵀ` (n × m) by a parallel faer GEMM.
pub fn inner_products(x: &DMatrix<f64>, z: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    if x.ncols() != z.ncols() {
        return Err(Error::shape("point dimension (columns of X and Z)", x.ncols(), z.ncols()));
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

/// `g += AᵀA` (A is rows × k, g is k × k) by one sequential faer GEMM — the Gram matrix of A's columns accumulated
/// block by block over the rows (nalgebra's `tr_mul` takes one dot product per entry, an order of magnitude slower).
/// Sequential so that a unit of work gives the same bits at any thread count.
///
/// Errors: g not k × k.
pub fn add_column_gram(g: &mut DMatrix<f64>, a: &DMatrix<f64>) -> Result<()> {
    if g.nrows() != a.ncols() || g.ncols() != a.ncols() {
        return Err(Error::shape("accumulated Gram matrix (k × k for k columns)", a.ncols(), g.nrows().max(g.ncols())));
    }
    faer::linalg::matmul::matmul(
        super::as_faer_mut(g),
        faer::Accum::Add,
        super::as_faer(a).transpose(),
        super::as_faer(a),
        1.0,
        faer::Par::Seq,
    );
    Ok(())
}

#[derive(Clone, Copy)]
struct SyncPtr(*mut f64);
// SAFETY: shared between rayon tasks only in `mirror_lower` and `assemble`, where every task writes a set of entries
// disjoint from every other task's (see the comments there) and reads only entries it wrote itself or that no task
// writes.
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

/// `seg[i] = f(seg[i], a[i], b)`: the straight-line loop the compiler vectorizes.
#[inline(always)]
fn map_segment_generic<F: Fn(f64, f64, f64) -> f64>(seg: &mut [f64], a: &[f64], b: f64, f: &F) {
    for (v, &ai) in seg.iter_mut().zip(a) {
        *v = f(*v, ai, b);
    }
}

/// [`map_segment_generic`] compiled for AVX2 (4 f64 lanes; no FMA contraction, so results equal the portable loop).
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn map_segment_avx2<F: Fn(f64, f64, f64) -> f64>(seg: &mut [f64], a: &[f64], b: f64, f: &F) {
    map_segment_generic(seg, a, b, f)
}

#[inline]
fn map_segment<F: Fn(f64, f64, f64) -> f64>(seg: &mut [f64], a: &[f64], b: f64, f: &F) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 support was just detected.
            unsafe { map_segment_avx2(seg, a, b, f) };
            return;
        }
    }
    map_segment_generic(seg, a, b, f)
}

/// The 2d + 1 values f(c, d, d), c = −d, −d + 2, …, d, of a kernel on hypercube points (every entry ±1): the map
/// step of [`assemble`] for such inputs. Built only when every entry of both point sets is exactly ±1, so every
/// inner product the GEMM returns is an exact integer of the parity of d and every squared norm is exactly d.
struct SignTable {
    /// f(c, d, d) at index c + d (entries of the wrong parity are never read; they hold f of that integer too).
    values: Vec<f64>,
    /// d, the offset of the index.
    d: f64,
}

impl SignTable {
    /// The table of `f` when every entry of `x` and `z` is ±1 (and d < 2^26, far inside the exact-integer range), else
    /// `None`.
    fn new<F: Fn(f64, f64, f64) -> f64>(x: &DMatrix<f64>, z: &DMatrix<f64>, f: &F) -> Option<SignTable> {
        let signs = |m: &DMatrix<f64>| m.iter().all(|&v| v == 1.0 || v == -1.0);
        let d = x.ncols();
        if d >= 1 << 26 || !signs(x) || !signs(z) {
            return None;
        }
        let df = d as f64;
        Some(SignTable { values: (0..=2 * d).map(|k| f(k as f64 - df, df, df)).collect(), d: df })
    }

    /// `seg[i] = f(seg[i], d, d)` by lookup (a value off the table, impossible for ±1 inputs, becomes NaN).
    #[inline]
    fn map(&self, seg: &mut [f64]) {
        for v in seg.iter_mut() {
            let k = *v + self.d;
            *v = if k >= 0.0 { self.values.get(k as usize).copied().unwrap_or(f64::NAN) } else { f64::NAN };
        }
    }
}

/// Fused tiled assembly of K_ij = f((X Zᵀ)_ij, na_i, nb_j) into an n × m column-major buffer. With `sym = Some(diag)`
/// (then Z = X, n = m) only tiles on or below the block diagonal are computed, the diagonal is diag(na_i) and each
/// tile's strict lower part is mirrored to the upper triangle.
fn assemble<F, D>(x: &DMatrix<f64>, z: &DMatrix<f64>, na: &[f64], nb: &[f64], f: &F, sym: Option<&D>) -> Vec<f64>
where
    F: Fn(f64, f64, f64) -> f64 + Sync,
    D: Fn(f64) -> f64 + Sync,
{
    let n = x.nrows();
    let m = z.nrows();
    let mut buf = super::buffer::zeroed(n * m);
    let ptr = SyncPtr(buf.as_mut_ptr());
    let tasks: Vec<(usize, usize)> = (0..m)
        .step_by(JB)
        .flat_map(|j0| {
            let first = if sym.is_some() { j0 } else { 0 };
            (first..n).step_by(IB).map(move |i0| (j0, i0))
        })
        .collect();
    let xf = super::as_faer(x);
    let zf = super::as_faer(z);
    let table = SignTable::new(x, z, f);
    tasks.par_iter().for_each(|&(j0, i0)| {
        let p = ptr;
        let jb = JB.min(m - j0);
        let ib = IB.min(n - i0);
        // SAFETY (whole task): the task owns the tile rows i0..i0+ib × columns j0..j0+jb — tiles partition the
        // computed region — and, for a symmetric matrix, the mirror rows j0..j0+jb × columns i0..i0+ib. Row blocks
        // start at j0 + k·IB with IB a multiple of JB, so a mirror region of a tile with i0 > j0 lies strictly above
        // every computed tile of the columns it touches (those start at rows ≥ i0 > j0 + jb); a tile with i0 = j0
        // mirrors inside its own diagonal block. All offsets are < n·m.
        let dst = unsafe { faer::MatMut::from_raw_parts_mut(p.0.add(j0 * n + i0), ib, jb, 1, n as isize) };
        faer::linalg::matmul::matmul(
            dst,
            faer::Accum::Replace,
            xf.subrows(i0, ib),
            zf.subrows(j0, jb).transpose(),
            1.0,
            faer::Par::Seq,
        );
        let a = &na[i0..i0 + ib];
        for (j, &bj) in nb.iter().enumerate().skip(j0).take(jb) {
            let seg = unsafe { std::slice::from_raw_parts_mut(p.0.add(j * n + i0), ib) };
            match &table {
                Some(t) => t.map(seg),
                None => map_segment(seg, a, bj, f),
            }
        }
        if let Some(diag) = sym {
            if i0 == j0 {
                for (j, &aj) in na.iter().enumerate().skip(j0).take(jb) {
                    unsafe { *p.0.add(j * n + j) = diag(aj) };
                }
            }
            for i in i0..i0 + ib {
                for j in j0..(j0 + jb).min(i) {
                    // (i, j) with i > j is in this tile's lower part; (j, i) in its mirror region
                    unsafe { *p.0.add(i * n + j) = *p.0.add(j * n + i) };
                }
            }
        }
    });
    buf
}

/// Symmetric kernel matrix K_ij = f(x_iᵀx_j, ‖x_i‖², ‖x_j‖²) for i ≠ j and K_ii = diag(‖x_i‖²); rows of `x` are
/// points. Only tiles on or below the block diagonal are evaluated; the result is exactly symmetric.
///
/// `f` should be branch-free (selects instead of early returns) so the per-tile loop vectorizes.
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
    let buf = assemble(x, x, &norms, &norms, &f, Some(&diag));
    Ok(DMatrix::from_vec(n, n, buf))
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
    if x.ncols() != z.ncols() {
        return Err(Error::shape("point dimension (columns of X and Z)", x.ncols(), z.ncols()));
    }
    let nx = row_norms2(x);
    let nz = row_norms2(z);
    let buf = assemble(x, z, &nx, &nz, &f, None::<&fn(f64) -> f64>);
    Ok(DMatrix::from_vec(x.nrows(), z.nrows(), buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// mirror_lower copies the strict lower triangle onto the upper one and leaves the lower triangle and diagonal as
    /// they were, across tile boundaries (n = 2·TILE + 3) and for n below one tile.
    #[test]
    fn mirror_lower_copies_the_lower_triangle_up() {
        for n in [1, 5, 2 * TILE + 3] {
            let orig = DMatrix::from_fn(n, n, |i, j| if i >= j { (i * 1000 + j) as f64 } else { f64::NAN });
            let mut k = orig.clone();
            mirror_lower(&mut k);
            for i in 0..n {
                for j in 0..n {
                    let want = if i >= j { orig[(i, j)] } else { orig[(j, i)] };
                    assert_eq!(k[(i, j)], want, "n = {n}, entry ({i}, {j})");
                }
            }
        }
    }

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

    /// On ±1 points the lookup path returns exactly f(c, a, b) of the direct path: entry by entry, bit for bit,
    /// against f evaluated at the naive inner product, for a nonlinear f that distinguishes every argument; one entry
    /// moved off the lattice (−1 → −0.5) takes the direct path and still agrees.
    #[test]
    fn sign_points_take_the_lookup_and_agree_bit_for_bit() {
        let sign = |n: usize, d: usize, s: usize| {
            DMatrix::from_fn(n, d, |i, j| if (i * 31 + j * 17 + s * 7 + i * j) % 5 < 2 { -1.0 } else { 1.0 })
        };
        let f = |c: f64, a: f64, b: f64| (c / (a * b).sqrt()).clamp(-1.0, 1.0).acos().sin() * a + c.exp() / b;
        for d in [1, 2, 7, 24] {
            let (x, z) = (sign(70, d, 1), sign(130, d, 2));
            assert!(SignTable::new(&x, &z, &f).is_some());
            let mut w = z.clone();
            w[(5, 0)] = -0.5;
            assert!(SignTable::new(&x, &w, &f).is_none());
            for (zz, name) in [(&z, "lattice"), (&w, "off-lattice")] {
                let k = cross_map(&x, zz, f).unwrap();
                let (nx, nz) = (row_norms2(&x), row_norms2(zz));
                for i in 0..x.nrows() {
                    for j in 0..zz.nrows() {
                        let c: f64 = x.row(i).iter().zip(zz.row(j).iter()).map(|(p, q)| p * q).sum();
                        assert_eq!(k[(i, j)].to_bits(), f(c, nx[i], nz[j]).to_bits(), "{name} d = {d} ({i}, {j})");
                    }
                }
            }
            let g = gram_map(&x, f, |a| a + 0.25).unwrap();
            for i in 0..x.nrows() {
                for j in 0..x.nrows() {
                    let c: f64 = x.row(i).iter().zip(x.row(j).iter()).map(|(p, q)| p * q).sum();
                    let want = if i == j { d as f64 + 0.25 } else { f(c, d as f64, d as f64) };
                    assert_eq!(g[(i, j)].to_bits(), want.to_bits(), "gram d = {d} ({i}, {j})");
                }
            }
        }
    }

    /// Accumulating AᵀA over two row blocks equals the naive Gram matrix of the stacked columns; a wrong shape is a
    /// typed error.
    #[test]
    fn column_gram_accumulates_over_row_blocks() {
        let (a, b) = (data(40, 6), data(23, 6).map(|v| v * 0.3 - 1.0));
        let mut g = DMatrix::zeros(6, 6);
        add_column_gram(&mut g, &a).unwrap();
        add_column_gram(&mut g, &b).unwrap();
        let naive = a.transpose() * &a + b.transpose() * &b;
        assert!((&g - &naive).amax() <= 1e-12 * naive.amax());
        assert!(matches!(add_column_gram(&mut DMatrix::zeros(5, 6), &a), Err(Error::ShapeMismatch { .. })));
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

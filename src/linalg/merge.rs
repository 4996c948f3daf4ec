//! Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by divide and conquer whose **top-level merge runs
//! here, in column blocks**, so the eigenvectors cost n² + n²/2 + O(n·b) memory instead of the n² + 2n² of faer's
//! one-call divide and conquer (whose merges form the whole eigenvector matrix of the rank-one update and a product
//! of the same size before copying it back).
//!
//! T is torn at m = ⌊n/2⌋: T = diag(T₁′, T₂′) + |β| v vᵀ with β = T[m, m−1], v = e_{m−1} + sign(β) e_m, and T₁′, T₂′
//! the two halves with |β| subtracted from their touching diagonal entries. faer's divide and conquer solves the halves
//! (T_i′ = Z_i D_i Z_iᵀ, each with an (n/2)² workspace), so T = W (D + ρ z zᵀ) Wᵀ with W = diag(Z₁, Z₂),
//! z = Wᵀ v/√2 (unit norm) and ρ = 2|β|. The merge follows LAPACK's `dlaed2`/`dlaed3`/`dlaed4`:
//!
//! - **deflation** with tol = 8ε·max(‖D‖_max, ‖z‖_max): a component with ρ|z_i| ≤ tol is dropped (eigenpair (d_i,
//!   e_i)); two poles so close that the Givens rotation zeroing one z component changes the matrix by ≤ tol are merged
//!   by that rotation;
//! - the **secular equation** 1/ρ + Σ_j z_j²/(d_j − λ) = 0 of the remaining k poles, each root found relative to
//!   its nearer pole (λ = d_o + τ, so every difference d_j − λ = (d_j − d_o) − τ is computed accurately) by a
//!   safeguarded two-pole rational model (bisection whenever the model leaves the bracket);
//! - **Gu–Eisenstat**: ẑ is recomputed from the computed roots (Löwner's formula) so that the computed roots are the
//!   exact eigenvalues of D + ρ ẑẑᵀ, whose eigenvectors q_j = (ẑ_i/(d_i − λ_j))_i are then orthogonal to working
//!   precision — the reason LAPACK's divide and conquer has orthogonal vectors;
//! - the eigenvectors V = W Q are formed **b columns at a time**: the columns of Q are generated from the closed form
//!   (and the deflation rotations) into an n × b buffer, and V[:, blk] = diag(Z₁, Z₂)·Q[:, blk] are two faer products.
//!
//! T is first scaled by an exact power of two so that ‖T‖_max ∈ [½, 1), as LAPACK's `dstedc` does: the deflation
//! tolerance above is absolute and assumes a matrix of unit scale.

use crate::error::{Error, Result};
use faer::Par;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd::{ComputeEigenvectors, self_adjoint_evd_scratch, tridiagonal_self_adjoint_evd};
use faer::reborrow::ReborrowMut;
use nalgebra::DMatrix;
use rayon::prelude::*;

/// Columns of Q generated (and multiplied into V) at a time: memory n × `BLOCK` doubles.
const BLOCK: usize = 256;

/// Iterations of the rational model before falling back to plain bisection in [`secular_root`].
const MODEL_ITERATIONS: usize = 60;

/// Multiplies x by 2^e exactly (in two steps, so 2^e itself need not be representable).
fn scale2(x: f64, e: i32) -> f64 {
    let h = e / 2;
    x * 2f64.powi(h) * 2f64.powi(e - h)
}

/// Eigenvalues (ascending) and orthonormal eigenvectors (columns, same order) of the symmetric tridiagonal matrix with
/// diagonal `d` (length n ≥ 1) and subdiagonal `e` (length ≥ n − 1; entries from n − 1 on are ignored), with the top
/// level of the divide and conquer merged here in column blocks (module docs).
///
/// Errors: non-finite input, or a half whose divide and conquer did not converge.
pub(crate) fn tridiagonal_eigen(d: &[f64], e: &[f64], par: Par) -> Result<(Vec<f64>, DMatrix<f64>)> {
    let n = d.len();
    if n == 0 {
        return Ok((Vec::new(), DMatrix::zeros(0, 0)));
    }
    if e.len() + 1 < n {
        return Err(Error::shape("tridiagonal subdiagonal", n - 1, e.len()));
    }
    let e = &e[..n - 1];
    if d.iter().chain(e).any(|v| !v.is_finite()) {
        return Err(Error::Numerical("tridiagonal matrix with non-finite entries".into()));
    }
    let tmax = d.iter().chain(e).fold(0.0_f64, |a, v| a.max(v.abs()));
    if tmax == 0.0 {
        return Ok((vec![0.0; n], DMatrix::identity(n, n)));
    }
    if n == 1 {
        return Ok((vec![d[0]], DMatrix::identity(1, 1)));
    }
    // 2^(ex−1) ≤ ‖T‖_max < 2^ex; work on T·2^−ex
    let ex = tmax.log2().floor() as i32 + 1;
    let ds: Vec<f64> = d.iter().map(|&v| scale2(v, -ex)).collect();
    let es: Vec<f64> = e.iter().map(|&v| scale2(v, -ex)).collect();
    let (mut values, vectors) = split_merge(&ds, &es, par)?;
    for v in values.iter_mut() {
        *v = scale2(*v, ex);
    }
    Ok((values, vectors))
}

/// faer's divide and conquer on one tridiagonal matrix (n ≥ 1): eigenvalues ascending and eigenvectors.
fn faer_tridiagonal(d: &[f64], e: &[f64], par: Par) -> Result<(Vec<f64>, DMatrix<f64>)> {
    let n = d.len();
    let mut sub = e.to_vec();
    sub.resize(n, 0.0);
    let mut z = DMatrix::<f64>::zeros(n, n);
    let mut s = faer::diag::Diag::<f64>::zeros(n);
    // the dense-input part of this requirement (an n × n copy of a dense matrix) is reserved but never touched here
    let mut mem = MemBuffer::new(self_adjoint_evd_scratch::<f64>(n, ComputeEigenvectors::Yes, par, Default::default()));
    tridiagonal_self_adjoint_evd(
        faer::ColRef::from_slice(d).as_diagonal(),
        faer::ColRef::from_slice(&sub).as_diagonal(),
        s.as_mut(),
        Some(super::as_faer_mut(&mut z)),
        par,
        MemStack::new(&mut mem),
        Default::default(),
    )
    .map_err(|e| Error::Numerical(format!("tridiagonal divide and conquer did not converge: {e:?}")))?;
    Ok((s.column_vector().iter().copied().collect(), z))
}

/// One Givens rotation of the deflation, acting on W's columns `p` and `q`: W′_p = c W_p + s W_q, W′_q = c W_q − s W_p.
#[derive(Clone, Copy, Debug)]
struct Rotation {
    p: usize,
    q: usize,
    c: f64,
    s: f64,
}

/// The rank-one update D + ρ z zᵀ after deflation.
#[derive(Debug)]
pub(crate) struct Deflated {
    /// Non-deflated poles, strictly ascending.
    pub(crate) poles: Vec<f64>,
    /// Their z components (all non-zero).
    pub(crate) z: Vec<f64>,
    /// W's column of each non-deflated pole.
    pub(crate) coords: Vec<usize>,
    /// Deflated eigenpairs: (eigenvalue, W′ column).
    pub(crate) deflated: Vec<(f64, usize)>,
    /// Deflation rotations, in the order applied.
    rotations: Vec<Rotation>,
}

/// Deflation of D + ρ z zᵀ (LAPACK `dlaed2`): `d` and `z` in W's column order, ρ > 0.
pub(crate) fn deflate(d: &[f64], z: &[f64], rho: f64) -> Deflated {
    let n = d.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| d[a].total_cmp(&d[b]));
    let dmax = d.iter().fold(0.0_f64, |a, v| a.max(v.abs()));
    let zmax = z.iter().fold(0.0_f64, |a, v| a.max(v.abs()));
    let tol = 8.0 * f64::EPSILON * dmax.max(zmax);
    let mut dd = d.to_vec();
    let mut zz = z.to_vec();
    let mut out =
        Deflated { poles: Vec::new(), z: Vec::new(), coords: Vec::new(), deflated: Vec::new(), rotations: Vec::new() };
    if rho * zmax <= tol {
        out.deflated = order.iter().map(|&i| (dd[i], i)).collect();
        return out;
    }
    let mut prev: Option<usize> = None;
    for &j in &order {
        if rho * zz[j].abs() <= tol {
            out.deflated.push((dd[j], j));
            continue;
        }
        let Some(p) = prev else {
            prev = Some(j);
            continue;
        };
        let tau = zz[p].hypot(zz[j]);
        let c = zz[j] / tau;
        let s = -zz[p] / tau;
        let t = dd[j] - dd[p];
        if (t * c * s).abs() <= tol {
            zz[j] = tau;
            zz[p] = 0.0;
            out.rotations.push(Rotation { p, q: j, c, s });
            let dp = dd[p] * c * c + dd[j] * s * s;
            dd[j] = dd[p] * s * s + dd[j] * c * c;
            dd[p] = dp;
            out.deflated.push((dd[p], p));
        } else {
            out.poles.push(dd[p]);
            out.z.push(zz[p]);
            out.coords.push(p);
        }
        prev = Some(j);
    }
    if let Some(p) = prev {
        out.poles.push(dd[p]);
        out.z.push(zz[p]);
        out.coords.push(p);
    }
    out
}

/// Value of the secular function 1/ρ + Σ_j z_j²/((d_j − d_o) − x) at λ = d_o + x, with the parts ψ (poles j ≤ i),
/// φ (poles j > i), their derivatives and a rounding-error bound of the sum.
#[derive(Clone, Copy, Debug)]
struct Secular {
    f: f64,
    psi: f64,
    dpsi: f64,
    phi: f64,
    dphi: f64,
    err: f64,
}

fn secular_at(d: &[f64], z: &[f64], rinv: f64, i: usize, o: usize, x: f64) -> Secular {
    let base = d[o];
    let (mut psi, mut dpsi, mut phi, mut dphi, mut abs) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (j, (&dj, &zj)) in d.iter().zip(z).enumerate() {
        let t = zj / ((dj - base) - x);
        let term = zj * t;
        abs += term.abs();
        if j <= i {
            psi += term;
            dpsi += t * t;
        } else {
            phi += term;
            dphi += t * t;
        }
    }
    let err = 8.0 * abs + rinv + x.abs() * (dpsi + dphi);
    Secular { f: rinv + psi + phi, psi, dpsi, phi, dphi, err }
}

/// Root i (0-based) of the secular equation 1/ρ + Σ_j z_j²/(d_j − λ) = 0 with poles `d` strictly ascending, z_j ≠ 0,
/// ρ > 0: the root lies in (d_i, d_{i+1}) (for the last, in (d_{k−1}, d_{k−1} + ρ‖z‖²]). Returned as (o, τ) with
/// λ = d_o + τ and o the nearer pole (i or i + 1), so that d_j − λ = (d_j − d_o) − τ keeps its relative accuracy.
pub(crate) fn secular_root(d: &[f64], z: &[f64], rho: f64, i: usize) -> (usize, f64) {
    let k = d.len();
    let rinv = 1.0 / rho;
    let last = i + 1 == k;
    let (o, mut lo, mut hi, mut x, mut f) = if last {
        let hi = rho * z.iter().map(|v| v * v).sum::<f64>();
        (i, 0.0, hi, hi, secular_at(d, z, rinv, i, i, hi))
    } else {
        let mid = (d[i + 1] - d[i]) * 0.5;
        let fm = secular_at(d, z, rinv, i, i, mid);
        if fm.f >= 0.0 {
            (i, 0.0, mid, mid, fm)
        } else {
            (i + 1, -mid, 0.0, -mid, secular_at(d, z, rinv, i, i + 1, -mid))
        }
    };
    // a = d_i − d_o and b = d_{i+1} − d_o: the two poles of the interval in the shifted coordinate
    let a = d[i] - d[o];
    let b = if last { f64::INFINITY } else { d[i + 1] - d[o] };
    for it in 0..MODEL_ITERATIONS + 1100 {
        if f.f == 0.0 || f.f.abs() <= f64::EPSILON * f.err {
            break;
        }
        if f.f < 0.0 {
            lo = lo.max(x);
        } else {
            hi = hi.min(x);
        }
        if hi - lo <= 2.0 * f64::EPSILON * lo.abs().max(hi.abs()) {
            break;
        }
        let model = if it < MODEL_ITERATIONS { model_step(f, rinv, a, b, x, last) } else { None };
        let y = match model {
            Some(y) if y > lo && y < hi => y,
            _ => lo + (hi - lo) * 0.5,
        };
        if y == x || y <= lo || y >= hi {
            break;
        }
        x = y;
        f = secular_at(d, z, rinv, i, o, x);
    }
    (o, x)
}

/// Zero of the two-pole model 1/ρ + A + B/(a − y) + C + E/(b − y) matching ψ and φ (value and slope) at x.
fn model_step(f: Secular, rinv: f64, a: f64, b: f64, x: f64, last: bool) -> Option<f64> {
    let da = a - x;
    let bb = f.dpsi * da * da;
    let aa = f.psi - f.dpsi * da;
    if last {
        // 1/ρ + φ + A + B/(a − y) = 0  →  y = a + B/s
        let s = rinv + f.phi + aa;
        return (s > 0.0).then(|| a + bb / s);
    }
    let db = b - x;
    let ee = f.dphi * db * db;
    let cc = f.phi - f.dphi * db;
    let s = rinv + aa + cc;
    // s (a − y)(b − y) + B (b − y) + E (a − y) = 0 in the step u = y − x:
    // s (da − u)(db − u) + B (db − u) + E (da − u) = 0
    // s u² − (s (da + db) + B + E) u + (s da db + B db + E da) = 0
    let qa = s;
    let qb = -(s * (da + db) + bb + ee);
    let qc = s * da * db + bb * db + ee * da;
    let u = if qa == 0.0 {
        if qb == 0.0 {
            return None;
        }
        -qc / qb
    } else {
        let disc = qb * qb - 4.0 * qa * qc;
        if !(disc >= 0.0) {
            return None;
        }
        let big = -(qb + qb.signum() * disc.sqrt()) * 0.5;
        if big == 0.0 {
            return None;
        }
        let r1 = big / qa;
        let r2 = qc / big;
        // the root between the poles: da − u and db − u of opposite signs
        if (da - r2) * (db - r2) < 0.0 { r2 } else { r1 }
    };
    let y = x + u;
    y.is_finite().then_some(y)
}

/// The secular roots and the Gu–Eisenstat ẑ of a deflated update.
pub(crate) struct Roots {
    /// Nearer pole of each root.
    pub(crate) origin: Vec<usize>,
    /// λ_j = poles[origin[j]] + tau[j].
    pub(crate) tau: Vec<f64>,
    /// ẑ recomputed from the roots (Löwner), sign of z.
    pub(crate) zhat: Vec<f64>,
}

fn par_map<T: Send>(k: usize, threads: usize, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    if threads > 1 { (0..k).into_par_iter().map(f).collect() } else { (0..k).map(f).collect() }
}

/// All secular roots of the deflated update and ẑ (LAPACK `dlaed3`'s product formula, as ratios of O(1) factors).
pub(crate) fn roots(def: &Deflated, rho: f64, threads: usize) -> Roots {
    let (d, z) = (&def.poles, &def.z);
    let k = d.len();
    let found = par_map(k, threads, |i| secular_root(d, z, rho, i));
    let origin: Vec<usize> = found.iter().map(|r| r.0).collect();
    let tau: Vec<f64> = found.iter().map(|r| r.1).collect();
    let zhat = par_map(k, threads, |i| {
        let mut prod = ((d[origin[i]] - d[i]) + tau[i]) / rho;
        for j in (0..k).filter(|&j| j != i) {
            prod *= ((d[origin[j]] - d[i]) + tau[j]) / (d[j] - d[i]);
        }
        prod.abs().sqrt().copysign(z[i])
    });
    Roots { origin, tau, zhat }
}

/// Column `j` (a secular root) of Q̃ in W′ coordinates, normalized, scattered into `col` (length n, zeroed).
fn secular_column(def: &Deflated, r: &Roots, j: usize, col: &mut [f64]) {
    let d = &def.poles;
    let base = d[r.origin[j]];
    let mut norm2 = 0.0;
    for (i, &c) in def.coords.iter().enumerate() {
        let v = r.zhat[i] / ((d[i] - base) - r.tau[j]);
        col[c] = v;
        norm2 += v * v;
    }
    let inv = 1.0 / norm2.sqrt();
    for &c in &def.coords {
        col[c] *= inv;
    }
}

/// Q = R₁ ⋯ R_r Q̃ on one column: the rotations in reverse order.
fn rotate_back(rot: &[Rotation], col: &mut [f64]) {
    for g in rot.iter().rev() {
        let (x, y) = (col[g.p], col[g.q]);
        col[g.p] = g.c * x - g.s * y;
        col[g.q] = g.s * x + g.c * y;
    }
}

/// One eigenpair of the merged problem: a secular root or a deflated pole.
#[derive(Clone, Copy, Debug)]
enum Source {
    Root(usize),
    Deflated(usize),
}

/// The split at ⌊n/2⌋, faer on both halves, and the merge (module docs); `d`, `e` scaled to ‖T‖_max < 1, n ≥ 2.
fn split_merge(d: &[f64], e: &[f64], par: Par) -> Result<(Vec<f64>, DMatrix<f64>)> {
    let n = d.len();
    let m = n / 2;
    let beta = e[m - 1];
    let (mut d1, mut d2) = (d[..m].to_vec(), d[m..].to_vec());
    d1[m - 1] -= beta.abs();
    d2[0] -= beta.abs();
    let (s1, z1) = faer_tridiagonal(&d1, &e[..m - 1], par)?;
    let (s2, z2) = faer_tridiagonal(&d2, &e[m..], par)?;
    let dd: Vec<f64> = s1.iter().chain(&s2).copied().collect();
    let sq = std::f64::consts::FRAC_1_SQRT_2;
    let sign = if beta < 0.0 { -1.0 } else { 1.0 };
    let z: Vec<f64> = (0..m).map(|j| z1[(m - 1, j)] * sq).chain((0..n - m).map(|j| sign * z2[(0, j)] * sq)).collect();
    let rho = 2.0 * beta.abs();
    let def = deflate(&dd, &z, rho);
    let threads = par.degree().max(1);
    let r = roots(&def, rho, threads);
    // every eigenvalue with its source, ascending
    let mut all: Vec<(f64, Source)> = (0..def.poles.len())
        .map(|j| (def.poles[r.origin[j]] + r.tau[j], Source::Root(j)))
        .chain(def.deflated.iter().enumerate().map(|(t, &(v, _))| (v, Source::Deflated(t))))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut v = DMatrix::<f64>::zeros(n, n);
    let mut q = DMatrix::<f64>::zeros(n, BLOCK.min(n));
    for c0 in (0..n).step_by(BLOCK) {
        let bw = BLOCK.min(n - c0);
        let fill = |(t, col): (usize, &mut [f64])| {
            col.fill(0.0);
            match all[c0 + t].1 {
                Source::Root(j) => secular_column(&def, &r, j, col),
                Source::Deflated(t) => col[def.deflated[t].1] = 1.0,
            }
            rotate_back(&def.rotations, col);
        };
        let cols = &mut q.as_mut_slice()[..n * bw];
        if threads > 1 {
            cols.par_chunks_mut(n).enumerate().for_each(fill);
        } else {
            cols.chunks_mut(n).enumerate().for_each(fill);
        }
        let qb = super::as_faer(&q);
        let mut vb = super::as_faer_mut(&mut v);
        faer::linalg::matmul::matmul(
            vb.rb_mut().submatrix_mut(0, c0, m, bw),
            faer::Accum::Replace,
            super::as_faer(&z1),
            qb.submatrix(0, 0, m, bw),
            1.0,
            par,
        );
        faer::linalg::matmul::matmul(
            vb.submatrix_mut(m, c0, n - m, bw),
            faer::Accum::Replace,
            super::as_faer(&z2),
            qb.submatrix(m, 0, n - m, bw),
            1.0,
            par,
        );
    }
    Ok((all.iter().map(|a| a.0).collect(), v))
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;

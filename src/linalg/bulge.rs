//! Stage two of the two-stage symmetric eigensolver: symmetric band → tridiagonal by bulge chasing.
//!
//! The band (lower bandwidth b) lives in compact storage, entry (i, j) of the lower triangle at `i + j·(ld − 1)` with
//! ld = 2b + 1, so any block whose entries satisfy 0 ≤ i − j < ld is an ordinary column-major block with column
//! stride ld − 1 — room for the band and the fill a sweep creates below it (i − j ≤ 2b − 1).
//!
//! Sweep j annihilates column j below the subdiagonal with one Householder reflector H = I − τ v vᵀ on rows
//! s = j + 1 … s + L − 1 (L ≤ b) and chases the bulge down the band:
//!
//! 1. two-sided update of the diagonal block D = A[s..s+L, s..s+L] ← H D H (w = τ D v, w ← w − ½τ(wᵀv) v,
//!    D ← D − v wᵀ − w vᵀ);
//! 2. right update of the block below, E = A[s+L..s+L+M, s..s+L] ← E H, which fills E;
//! 3. a new reflector H′ from E's first column restores it to band form; H′ is applied from the left to the rest of E
//!    (the lower-triangular fill left in E's other columns is annihilated by sweep j + 1);
//! 4. s ← s + L, L ← M, H ← H′, repeat until the bottom of the matrix.
//!
//! Each step touches O(b²) entries that stay in cache; the whole stage costs O(n² b) flops; on several threads the
//! sweeps run pipelined ([`Band::into_tridiagonal`]). Every transformation is an
//! orthogonal similarity, so the tridiagonal matrix returned has the eigenvalues of the band (backward stable, as
//! LAPACK's `dsb2st`).

use std::sync::atomic::{AtomicUsize, Ordering};

/// Compact lower band storage of a symmetric matrix with room for the bulge.
pub(crate) struct Band {
    n: usize,
    kd: usize,
    /// Column stride ld − 1 (ld = 2·kd + 1).
    stride: usize,
    data: Vec<f64>,
}

impl Band {
    /// Copies the band 0 ≤ i − j ≤ kd of the lower triangle of `a` (n × n) into compact storage.
    pub(crate) fn from_lower(a: faer::MatRef<'_, f64>, kd: usize) -> Band {
        let n = a.nrows();
        let ld = 2 * kd + 1;
        let stride = ld - 1;
        let mut data = vec![0.0; (n + 1) * ld];
        for j in 0..n {
            for i in j..(j + kd + 1).min(n) {
                data[i + j * stride] = a[(i, j)];
            }
        }
        Band { n, kd, stride, data }
    }

    /// Reduces the band to tridiagonal form on `threads` threads; returns (diagonal, subdiagonal).
    ///
    /// With several threads the sweeps are pipelined: sweep j + 1 runs its step t once sweep j has finished step
    /// t + 2. Step t of sweep j touches only rows and columns s_t … s_t + 2b − 1 (s_t = j + 1 + t·b) and step t of
    /// sweep j + 1 the same window shifted by one, so the steps that may then run concurrently touch disjoint entries
    /// and the result is the sequential one, bit for bit.
    pub(crate) fn into_tridiagonal(mut self, threads: usize) -> (Vec<f64>, Vec<f64>) {
        let (n, kd) = (self.n, self.kd);
        let raw = Raw { ptr: self.data.as_mut_ptr(), len: self.data.len(), stride: self.stride, n, kd };
        let sweeps = if kd > 1 { n.saturating_sub(2) } else { 0 };
        let threads = threads.clamp(1, 64).min(sweeps / 8 + 1);
        if threads == 1 {
            let mut bufs = Bufs::new(kd);
            for j in 0..sweeps {
                // SAFETY: one thread; `raw` points into `self.data`, which outlives the loop.
                unsafe { raw.sweep(j, &mut bufs, |_| {}, |_| {}) };
            }
        } else {
            let progress: Vec<AtomicUsize> = (0..sweeps).map(|_| AtomicUsize::new(0)).collect();
            let next = AtomicUsize::new(0);
            let work = || {
                let mut bufs = Bufs::new(kd);
                loop {
                    let j = next.fetch_add(1, Ordering::Relaxed);
                    if j >= sweeps {
                        break;
                    }
                    let wait = |t: usize| {
                        if j > 0 {
                            let mut spins = 0u32;
                            while progress[j - 1].load(Ordering::Acquire) < t + 3 {
                                spins += 1;
                                if spins < 64 {
                                    std::hint::spin_loop();
                                } else {
                                    std::thread::yield_now();
                                }
                            }
                        }
                    };
                    let done = |t: usize| progress[j].store(t, Ordering::Release);
                    // SAFETY: `raw` points into `self.data`, alive until the scope ends; `wait` orders every step after
                    // the steps of the previous sweep it overlaps (see above), so concurrent steps touch disjoint
                    // entries, and each step creates slices only over the entries it touches.
                    unsafe { raw.sweep(j, &mut bufs, wait, done) };
                    progress[j].store(usize::MAX, Ordering::Release);
                }
            };
            std::thread::scope(|sc| {
                for _ in 1..threads {
                    sc.spawn(work);
                }
                work();
            });
        }
        let d = (0..n).map(|i| self.data[i + i * self.stride]).collect();
        let e = (0..n.saturating_sub(1)).map(|i| self.data[i + 1 + i * self.stride]).collect();
        (d, e)
    }
}

/// Work vectors of one sweep: the current and the next reflector, and w.
struct Bufs {
    v: Vec<f64>,
    vn: Vec<f64>,
    w: Vec<f64>,
}

impl Bufs {
    fn new(kd: usize) -> Bufs {
        Bufs { v: vec![0.0; kd], vn: vec![0.0; kd], w: vec![0.0; kd] }
    }
}

/// The band storage as a raw pointer, shared by the threads of a pipelined reduction.
#[derive(Clone, Copy)]
struct Raw {
    ptr: *mut f64,
    len: usize,
    stride: usize,
    n: usize,
    kd: usize,
}

// SAFETY: `Raw` is only dereferenced through `seg`, whose callers guarantee disjoint access across threads.
unsafe impl Send for Raw {}
// SAFETY: as above.
unsafe impl Sync for Raw {}

impl Raw {
    /// Entries (r … r + len − 1, c) of the band storage as a slice.
    ///
    /// SAFETY: the caller guarantees that no other live reference covers these entries and 0 ≤ r − c < ld, r + len ≤ n.
    #[inline(always)]
    unsafe fn seg<'a>(&self, r: usize, c: usize, len: usize) -> &'a mut [f64] {
        let o = r + c * self.stride;
        debug_assert!(o + len <= self.len && r >= c && r + len <= self.n);
        // SAFETY: in bounds of the allocation (debug-asserted above; guaranteed by the band geometry) and unaliased
        // by the caller's contract.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(o), len) }
    }

    /// Sweep j (see the module documentation); `wait(t)` is called before step t and `done(t + 1)` after it.
    ///
    /// SAFETY: no step of another sweep running concurrently touches the entries of the current step.
    unsafe fn sweep(&self, j: usize, b: &mut Bufs, wait: impl Fn(usize), done: impl Fn(usize)) {
        let (n, kd) = (self.n, self.kd);
        let mut s = j + 1;
        let mut l = kd.min(n - s);
        if l < 2 {
            return;
        }
        let (v, vn, w) = (&mut b.v, &mut b.vn, &mut b.w);
        wait(0);
        // SAFETY (all `seg` calls below): the entries of step t lie in rows and columns s … s + l + m − 1 plus, at
        // t = 0, column j rows s … s + l − 1; only one slice is live at a time within a step.
        let mut tau = reflector(unsafe { self.seg(s, j, l) }, &mut v[..l]);
        let mut t = 0;
        loop {
            if tau != 0.0 {
                unsafe { self.two_sided(s, l, &v[..l], tau, &mut w[..l]) };
            }
            let r0 = s + l;
            let m = kd.min(n - r0);
            if m == 0 {
                break;
            }
            // E = A[r0..r0+m, s..s+l] ← E H
            if tau != 0.0 {
                let y = &mut w[..m];
                y.fill(0.0);
                for (c, &vc) in v[..l].iter().enumerate() {
                    for (yi, &e) in y.iter_mut().zip(unsafe { self.seg(r0, s + c, m) }.iter()) {
                        *yi += e * vc;
                    }
                }
                for yi in y.iter_mut() {
                    *yi *= tau;
                }
                for (c, &vc) in v[..l].iter().enumerate() {
                    for (e, &yi) in unsafe { self.seg(r0, s + c, m) }.iter_mut().zip(y.iter()) {
                        *e -= yi * vc;
                    }
                }
            }
            // new reflector from E's first column; apply it from the left to E's other columns
            let tn = reflector(unsafe { self.seg(r0, s, m) }, &mut vn[..m]);
            if tn != 0.0 {
                for c in 1..l {
                    let col = unsafe { self.seg(r0, s + c, m) };
                    let dot: f64 = col.iter().zip(&vn[..m]).map(|(a, b)| a * b).sum();
                    let f = tn * dot;
                    for (e, &vi) in col.iter_mut().zip(&vn[..m]) {
                        *e -= f * vi;
                    }
                }
            }
            v[..m].copy_from_slice(&vn[..m]);
            tau = tn;
            s = r0;
            l = m;
            t += 1;
            done(t);
            wait(t);
        }
    }

    /// D = A[s..s+l, s..s+l] ← H D H with H = I − τ v vᵀ (lower triangle).
    ///
    /// SAFETY: as [`Raw::sweep`].
    unsafe fn two_sided(&self, s: usize, l: usize, v: &[f64], tau: f64, w: &mut [f64]) {
        w.fill(0.0);
        // w = D v from the lower triangle
        for c in 0..l {
            // SAFETY: column s + c of D, rows s + c … s + l − 1 (caller's contract).
            let col = unsafe { self.seg(s + c, s + c, l - c) };
            let vc = v[c];
            let mut acc = col[0] * vc;
            for ((&a, &vr), wr) in col[1..].iter().zip(&v[c + 1..]).zip(w[c + 1..].iter_mut()) {
                acc += a * vr;
                *wr += a * vc;
            }
            w[c] += acc;
        }
        let mut dot = 0.0;
        for (wi, &vi) in w.iter_mut().zip(v) {
            *wi *= tau;
            dot += *wi * vi;
        }
        let alpha = -0.5 * tau * dot;
        for (wi, &vi) in w.iter_mut().zip(v) {
            *wi += alpha * vi;
        }
        for c in 0..l {
            let (vc, wc) = (v[c], w[c]);
            // SAFETY: as above.
            let col = unsafe { self.seg(s + c, s + c, l - c) };
            for ((a, &vr), &wr) in col.iter_mut().zip(&v[c..]).zip(&w[c..]) {
                *a -= vr * wc + wr * vc;
            }
        }
    }
}

/// Householder reflector H = I − τ v vᵀ with v₀ = 1 and H x = β e₀ (LAPACK `dlarfg`): overwrites `x` with
/// (β, 0, …, 0), writes v, returns τ (0 when x is already a multiple of e₀).
pub(crate) fn reflector(x: &mut [f64], v: &mut [f64]) -> f64 {
    let alpha = x[0];
    // ‖x₁..‖ scaled by its largest entry: no overflow or underflow of the squares
    let big = x[1..].iter().fold(0.0_f64, |acc, &t| acc.max(t.abs()));
    let tail = if big == 0.0 {
        0.0
    } else {
        let inv = 1.0 / big;
        big * x[1..].iter().map(|&t| (t * inv) * (t * inv)).sum::<f64>().sqrt()
    };
    v[0] = 1.0;
    if tail == 0.0 {
        v[1..].fill(0.0);
        return 0.0;
    }
    let beta = -alpha.signum() * alpha.hypot(tail);
    let tau = (beta - alpha) / beta;
    let inv = 1.0 / (alpha - beta);
    for (vi, xi) in v[1..].iter_mut().zip(x[1..].iter_mut()) {
        *vi = *xi * inv;
        *xi = 0.0;
    }
    x[0] = beta;
    tau
}

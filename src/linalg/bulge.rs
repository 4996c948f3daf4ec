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
//! Each step touches O(b²) entries that stay in cache; the whole stage costs O(n² b) flops. Every transformation is an
//! orthogonal similarity, so the tridiagonal matrix returned has the eigenvalues of the band (backward stable, as
//! LAPACK's `dsb2st`).

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

    #[inline(always)]
    fn at(&self, i: usize, j: usize) -> usize {
        i + j * self.stride
    }

    /// Reduces the band to tridiagonal form; returns (diagonal, subdiagonal) of the tridiagonal matrix.
    pub(crate) fn into_tridiagonal(mut self) -> (Vec<f64>, Vec<f64>) {
        let (n, kd) = (self.n, self.kd);
        let mut v = vec![0.0; kd];
        let mut vn = vec![0.0; kd];
        let mut w = vec![0.0; kd];
        if kd > 1 {
            for j in 0..n.saturating_sub(2) {
                self.sweep(j, &mut v, &mut vn, &mut w);
            }
        }
        let d = (0..n).map(|i| self.data[self.at(i, i)]).collect();
        let e = (0..n.saturating_sub(1)).map(|i| self.data[self.at(i + 1, i)]).collect();
        (d, e)
    }

    fn sweep(&mut self, j: usize, v: &mut [f64], vn: &mut [f64], w: &mut [f64]) {
        let n = self.n;
        let kd = self.kd;
        let mut s = j + 1;
        let mut l = kd.min(n - s);
        if l < 2 {
            return;
        }
        let c0 = self.at(s, j);
        let mut tau = reflector(&mut self.data[c0..c0 + l], &mut v[..l]);
        loop {
            if tau != 0.0 {
                self.two_sided(s, l, &v[..l], tau, &mut w[..l]);
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
                    let o = self.at(r0, s + c);
                    for (yi, &e) in y.iter_mut().zip(&self.data[o..o + m]) {
                        *yi += e * vc;
                    }
                }
                for yi in y.iter_mut() {
                    *yi *= tau;
                }
                for (c, &vc) in v[..l].iter().enumerate() {
                    let o = self.at(r0, s + c);
                    for (e, &yi) in self.data[o..o + m].iter_mut().zip(y.iter()) {
                        *e -= yi * vc;
                    }
                }
            }
            // new reflector from E's first column; apply it from the left to E's other columns
            let o = self.at(r0, s);
            let tn = reflector(&mut self.data[o..o + m], &mut vn[..m]);
            if tn != 0.0 {
                for c in 1..l {
                    let o = self.at(r0, s + c);
                    let col = &mut self.data[o..o + m];
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
        }
    }

    /// D = A[s..s+l, s..s+l] ← H D H with H = I − τ v vᵀ (lower triangle).
    fn two_sided(&mut self, s: usize, l: usize, v: &[f64], tau: f64, w: &mut [f64]) {
        w.fill(0.0);
        // w = D v from the lower triangle
        for c in 0..l {
            let o = self.at(s + c, s + c);
            let col = &self.data[o..o + l - c];
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
            let o = self.at(s + c, s + c);
            let (vc, wc) = (v[c], w[c]);
            for ((a, &vr), &wr) in self.data[o..o + l - c].iter_mut().zip(&v[c..]).zip(&w[c..]) {
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

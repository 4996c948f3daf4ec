#!/usr/bin/env python3
"""Reference timings for README "Performance": NumPy's vectorized closed-form NTK Gram matrix and LAPACK dsyevd
(SciPy `eigh(driver="evd")`) on the NTK matrix of ±1 data, at a fixed thread count.

Usage:  OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 python3 scripts/lapack_reference.py [--out DIR] [--sizes 2000 4000]
        [--reps R] [--gram-only] [--all-reps]

--gram-only skips the eigendecompositions (for interleaved Gram timings against `cargo run --release --example
gram_probe`); --all-reps prints every repetition instead of the best one.

With --out, also writes X.npy (n × d, n = 4000, d = 40) and K_numpy.npy so `regmatters kernel --kind ntk` can be
compared entry by entry (see README).
"""
import argparse
import os
import time

import numpy as np
import scipy.linalg


def ntk_numpy(x):
    """Vectorized closed form: K = k1 + (x·z) k0, angle by arctan2 (same formula as src/kernels)."""
    g = x @ x.T
    sq = np.diag(g).copy()
    s = np.sqrt(np.maximum(np.outer(sq, sq) - g * g, 0.0))
    theta = np.arctan2(s, g)
    k = (s + 2.0 * (np.pi - theta) * g) / (2.0 * np.pi)
    np.fill_diagonal(k, sq)
    return k


def timings(f, reps):
    ts = []
    out = None
    for _ in range(reps):
        t = time.perf_counter()
        out = f()
        ts.append(time.perf_counter() - t)
    return ts, out


def best_of(f, reps):
    ts, out = timings(f, reps)
    return min(ts), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=None)
    ap.add_argument("--sizes", type=int, nargs="*", default=[2000, 4000])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--gram-only", action="store_true")
    ap.add_argument("--all-reps", action="store_true")
    a = ap.parse_args()
    rng = np.random.default_rng(20191208)
    print(f"threads: OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}, numpy {np.__version__}, "
          f"scipy {scipy.__version__}")
    x = rng.choice([-1.0, 1.0], size=(4000, 40))
    ts, k = timings(lambda: ntk_numpy(x), a.reps)
    if a.all_reps:
        print("numpy closed-form NTK gram n=4000 d=40: " + ", ".join(f"{t:.4f}" for t in ts) + " s")
    else:
        print(f"numpy closed-form NTK gram n=4000 d=40: {min(ts):.3f} s (best of {a.reps})")
    if a.out:
        os.makedirs(a.out, exist_ok=True)
        np.save(os.path.join(a.out, "X.npy"), x)
        np.save(os.path.join(a.out, "K_numpy.npy"), k)
    if a.gram_only:
        return
    for n in a.sizes:
        xn = rng.choice([-1.0, 1.0], size=(n, 40))
        kn = ntk_numpy(xn)
        reps = a.reps if n <= 2000 else 1
        t, (w, v) = best_of(lambda: scipy.linalg.eigh(kn, driver="evd"), reps)
        r = np.abs(kn @ v - v * w).max() / np.abs(kn).max()
        print(f"LAPACK dsyevd n={n} values+vectors: {t:.3f} s (residual {r:.2e})")
        t, _ = best_of(lambda: scipy.linalg.eigh(kn, driver="evd", eigvals_only=True), reps)
        print(f"LAPACK dsyevd n={n} values only:    {t:.3f} s")


if __name__ == "__main__":
    main()

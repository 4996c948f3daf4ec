#!/usr/bin/env python3
"""Reference timings for README "Performance" and docs/PERFORMANCE.md: NumPy's vectorized closed-form NTK Gram matrix
and LAPACK dsyevd (SciPy `eigh(driver="evd")`) on the NTK matrix of ±1 data, at a fixed thread count.

Usage:  OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 python3 scripts/lapack_reference.py [--out DIR] [--sizes 2000 4000]
        [--reps R] [--gram-only] [--all-reps]
        OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 RAYON_NUM_THREADS=2 python3 scripts/lapack_reference.py --compare
        [--sizes 1024 2048 4096] [--reps 3] [--bin target/release/regmatters] [--rss 5000]

--compare times LAPACK dsyevd and `regmatters eig` on the same matrices (written once to a temporary .npy),
interleaved rep by rep (LAPACK values only, regmatters values only, LAPACK values + vectors, regmatters values +
vectors), and prints the median of each with the ratio regmatters / LAPACK; regmatters' time is the decomposition
alone (the `seconds` of its --json report, file reading excluded; SciPy's includes its input copy). LAPACK's two-stage
`dsyevd_2stage` is timed too when the installed SciPy wraps it. --rss N also runs `regmatters eig` once per mode at
n = N under `/usr/bin/time -v` and prints the peak resident set size in units of n × n doubles.

--gram-only skips the eigendecompositions (for interleaved Gram timings against `cargo run --release --example
gram_probe`); --all-reps prints every repetition instead of the best one.

With --out, also writes X.npy (n × d, n = 4000, d = 40) and K_numpy.npy so `regmatters kernel --kind ntk` can be
compared entry by entry (see README).
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
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


def regmatters_eig(binary, path, values_only):
    """Seconds of one `regmatters eig` decomposition (its own --json timing) and its residual report."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "eig.json")
        cmd = [binary, "eig", "--input", path, "--json", out] + (["--values-only"] if values_only else [])
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with open(out) as f:
            return json.load(f)


def peak_rss_bytes(cmd):
    """Peak resident set size of `cmd` from GNU time's "Maximum resident set size (kbytes)"."""
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    for line in r.stderr.splitlines():
        if "Maximum resident set size" in line:
            return int(line.split(":")[1]) * 1024
    raise RuntimeError("no RSS line in /usr/bin/time -v output")


def compare(a, rng):
    lapack = scipy.linalg.lapack
    two_stage = getattr(lapack, "dsyevd_2stage", None) or getattr(lapack, "dsyev_2stage", None)
    print(f"regmatters: {a.bin}, RAYON_NUM_THREADS={os.environ.get('RAYON_NUM_THREADS')}; median of {a.reps}, "
          f"interleaved; LAPACK two-stage wrapper: {'yes' if two_stage else 'not in this SciPy'}")
    with tempfile.TemporaryDirectory() as d:
        for n in a.sizes:
            xn = rng.choice([-1.0, 1.0], size=(n, 40))
            kn = ntk_numpy(xn)
            path = os.path.join(d, f"K{n}.npy")
            np.save(path, kn)
            t = {"lv": [], "rv": [], "lV": [], "rV": [], "l2": []}
            res = None
            for _ in range(a.reps):
                s = time.perf_counter()
                scipy.linalg.eigh(kn, driver="evd", eigvals_only=True)
                t["lv"].append(time.perf_counter() - s)
                t["rv"].append(regmatters_eig(a.bin, path, True)["seconds"])
                if two_stage is not None:
                    s = time.perf_counter()
                    two_stage(kn, compute_v=0)
                    t["l2"].append(time.perf_counter() - s)
                s = time.perf_counter()
                scipy.linalg.eigh(kn, driver="evd")
                t["lV"].append(time.perf_counter() - s)
                j = regmatters_eig(a.bin, path, False)
                t["rV"].append(j["seconds"])
                res = (j["residual"], j["orthogonality"])
            med = {k: statistics.median(v) for k, v in t.items() if v}
            print(f"n={n} values only:     LAPACK dsyevd {med['lv']:.3f} s, regmatters {med['rv']:.3f} s, "
                  f"ratio {med['rv'] / med['lv']:.2f}" + (f"; LAPACK two-stage {med['l2']:.3f} s, ratio "
                                                         f"{med['rv'] / med['l2']:.2f}" if "l2" in med else ""))
            print(f"n={n} values+vectors:  LAPACK dsyevd {med['lV']:.3f} s, regmatters {med['rV']:.3f} s, "
                  f"ratio {med['rV'] / med['lV']:.2f} (regmatters residual {res[0]:.2e}, orthogonality {res[1]:.2e})")
            print(f"   all reps (s): " + "; ".join(f"{k} " + ", ".join(f"{x:.3f}" for x in v)
                                              for k, v in t.items() if v))
            os.remove(path)
        if a.rss:
            n = a.rss
            path = os.path.join(d, f"K{n}.npy")
            np.save(path, ntk_numpy(rng.choice([-1.0, 1.0], size=(n, 40))))
            unit = 8.0 * n * n
            for label, extra in (("values only", ["--values-only"]), ("values+vectors", [])):
                b = peak_rss_bytes([a.bin, "eig", "--input", path] + extra)
                print(f"peak RSS n={n} {label}: {b / 2**20:.0f} MiB = {b / unit:.2f} n×n matrices")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=None)
    ap.add_argument("--sizes", type=int, nargs="*", default=[2000, 4000])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--gram-only", action="store_true")
    ap.add_argument("--all-reps", action="store_true")
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--bin", default="target/release/regmatters")
    ap.add_argument("--rss", type=int, default=None)
    a = ap.parse_args()
    rng = np.random.default_rng(20191208)
    print(f"threads: OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}, numpy {np.__version__}, "
          f"scipy {scipy.__version__}")
    if a.compare:
        compare(a, rng)
        return
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

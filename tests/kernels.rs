//! Kernel closed forms against Monte Carlo of their defining expectations, PSD-ness, exact hypercube spectra, and the
//! population-vs-empirical spectrum on hypercube XOR data.

use nalgebra::{DMatrix, DVector};
use rand::Rng as _;
use rand_distr::{Distribution, StandardNormal};
use regmatters::kernels::spectrum::{
    binomial, bulk_edge, captured_fraction, dot_product_eigenvalues, outliers, population_eigenvalues,
};
use regmatters::kernels::{Kind, cross, gram};
use regmatters::linalg::eigen::{sym_eigen, sym_eigenvalues};
use regmatters::seed::{Rng, stream};

const SEED: u64 = 20191208;

fn gaussian(rng: &mut Rng, n: usize, d: usize) -> DMatrix<f64> {
    DMatrix::from_fn(n, d, |_, _| StandardNormal.sample(rng))
}

fn relu(t: f64) -> f64 {
    t.max(0.0)
}

/// One Monte-Carlo sample of the defining expectation of `kind` at (x, z), with u ~ N(0, I_d), w ~ N(0, 1).
fn sample(kind: Kind, x: &[f64], z: &[f64], rng: &mut Rng) -> f64 {
    let d = x.len();
    let u: Vec<f64> = (0..d).map(|_| StandardNormal.sample(rng)).collect();
    let ux: f64 = u.iter().zip(x).map(|(a, b)| a * b).sum();
    let uz: f64 = u.iter().zip(z).map(|(a, b)| a * b).sum();
    let ind = |t: f64| if t > 0.0 { 1.0 } else { 0.0 };
    match kind {
        Kind::Step => ind(ux) * ind(uz),
        Kind::Relu => relu(ux) * relu(uz),
        Kind::Ntk => {
            let w: f64 = StandardNormal.sample(rng);
            let xz: f64 = x.iter().zip(z).map(|(a, b)| a * b).sum();
            relu(ux) * relu(uz) + w * w * xz * ind(ux) * ind(uz)
        }
        Kind::ReluSphere => {
            let nu2: f64 = u.iter().map(|a| a * a).sum();
            relu(ux) * relu(uz) / nu2
        }
        Kind::GaussSphere => {
            // Bochner: ‖x‖‖z‖·E_w cos(wᵀ(x̂ − ẑ)), w ~ N(0, I)
            let (nx, nz) = (x.iter().map(|a| a * a).sum::<f64>().sqrt(), z.iter().map(|a| a * a).sum::<f64>().sqrt());
            if nx == 0.0 || nz == 0.0 {
                return 0.0;
            }
            let wd: f64 = u.iter().zip(x.iter().zip(z)).map(|(w, (a, b))| w * (a / nx - b / nz)).sum();
            nx * nz * wd.cos()
        }
    }
}

/// z-score of the closed form `value` against a Monte-Carlo estimate with `m` samples.
fn mc_z(kind: Kind, x: &[f64], z: &[f64], value: f64, m: usize, rng: &mut Rng) -> f64 {
    let (mut s, mut s2) = (0.0, 0.0);
    for _ in 0..m {
        let v = sample(kind, x, z, rng);
        s += v;
        s2 += v * v;
    }
    let mean = s / m as f64;
    let var = (s2 / m as f64 - mean * mean).max(1e-300);
    (mean - value) / (var / m as f64).sqrt()
}

fn pairs(rng: &mut Rng) -> Vec<(Vec<f64>, Vec<f64>)> {
    let d = 5;
    let mut out = Vec::new();
    for _ in 0..4 {
        let x: Vec<f64> = (0..d).map(|_| StandardNormal.sample(rng)).collect();
        let z: Vec<f64> = (0..d)
            .map(|_| {
                let v: f64 = StandardNormal.sample(rng);
                2.0 * v
            })
            .collect();
        out.push((x, z));
    }
    let x: Vec<f64> = (0..d).map(|_| StandardNormal.sample(rng)).collect();
    // nearly parallel and nearly antipodal
    out.push((x.clone(), x.iter().map(|v| 1.5 * v + 0.05).collect()));
    out.push((x.clone(), x.iter().map(|v| -v + 0.1).collect()));
    out
}

#[test]
fn closed_forms_match_monte_carlo_within_4_se() {
    let mut rng = stream(SEED, &["tests/kernels", "mc"], 0);
    let m = 60_000;
    for kind in Kind::ALL {
        for (x, z) in pairs(&mut rng) {
            let v = kind.value(&x, &z).unwrap();
            let zs = mc_z(kind, &x, &z, v, m, &mut rng);
            assert!(zs.abs() <= 4.0, "{kind}: closed form {v} is {zs:.2} SE from Monte Carlo");
        }
    }
}

#[test]
fn monte_carlo_check_refutes_a_wrong_closed_form() {
    // Falsification control of the test above: the ReLU kernel with cos θ replaced by 1 (a plausible slip) and the
    // step kernel with (π − θ)/π must be rejected by the same 4-SE rule.
    let mut rng = stream(SEED, &["tests/kernels", "mc-control"], 0);
    let m = 60_000;
    let mut rejected = 0;
    let mut total = 0;
    for (x, z) in pairs(&mut rng).into_iter().take(4) {
        let xz: f64 = x.iter().zip(&z).map(|(a, b)| a * b).sum();
        let nx = x.iter().map(|a| a * a).sum::<f64>().sqrt();
        let nz = z.iter().map(|a| a * a).sum::<f64>().sqrt();
        let theta = (xz / (nx * nz)).clamp(-1.0, 1.0).acos();
        let wrong_relu = nx * nz * (theta.sin() + std::f64::consts::PI - theta) / (2.0 * std::f64::consts::PI);
        let wrong_step = (std::f64::consts::PI - theta) / std::f64::consts::PI;
        for (kind, w) in [(Kind::Relu, wrong_relu), (Kind::Step, wrong_step)] {
            total += 1;
            if mc_z(kind, &x, &z, w, m, &mut rng).abs() > 4.0 {
                rejected += 1;
            }
        }
    }
    assert_eq!(rejected, total, "the Monte-Carlo rule must reject every wrong closed form");
}

#[test]
fn finite_width_ntk_error_shrinks_like_m_to_the_minus_half() {
    // Θ_m(x, z) = (1/m) Σ_j [relu(u_jᵀx)relu(u_jᵀz) + w_j² xᵀz 1{u_jᵀx>0}1{u_jᵀz>0}] is the tangent kernel of
    // f = m^{-1/2} Σ w_j relu(u_jᵀx) at a random init. Mean |Θ_m − Θ| over replicates vs m: log-log slope ≈ −1/2.
    let mut rng = stream(SEED, &["tests/kernels", "ntk-width"], 0);
    let x = [1.0, -0.5, 0.3, 0.8];
    let z = [0.2, 0.9, -1.1, 0.4];
    let exact = Kind::Ntk.value(&x, &z).unwrap();
    let widths = [64usize, 256, 1024, 4096, 16384];
    let reps = 200;
    let mut lx = Vec::new();
    let mut ly = Vec::new();
    for &m in &widths {
        let mut err = 0.0;
        for _ in 0..reps {
            let mut s = 0.0;
            for _ in 0..m {
                s += sample(Kind::Ntk, &x, &z, &mut rng);
            }
            err += (s / m as f64 - exact).abs();
        }
        lx.push((m as f64).ln());
        ly.push((err / reps as f64).ln());
    }
    let fit = regmatters::stats::regression::fit_line(&lx, &ly).expect("line fit");
    assert!((fit.slope + 0.5).abs() < 0.1, "slope {} (want −0.5)", fit.slope);
}

#[test]
fn kernel_matrices_are_symmetric_psd() {
    let mut rng = stream(SEED, &["tests/kernels", "psd"], 0);
    let x = gaussian(&mut rng, 300, 7);
    for kind in Kind::ALL {
        let k = gram(kind, &x).unwrap();
        assert_eq!(k, k.transpose());
        let w = sym_eigenvalues(&k).unwrap();
        let top = w[w.len() - 1];
        assert!(w[0] >= -1e-10 * top, "{kind}: λ_min = {} vs λ_max = {top}", w[0]);
    }
}

/// Slow, independent reference for one entry: dot products by plain loops, the angle by the platform `atan2`, the
/// closed forms written out again (not the crate's kernel functions).
fn reference_entry(kind: Kind, x: &[f64], z: &[f64]) -> f64 {
    use std::f64::consts::PI;
    let dot = |u: &[f64], v: &[f64]| u.iter().zip(v).map(|(p, q)| p * q).sum::<f64>();
    let (c, a, b) = (dot(x, z), dot(x, x), dot(z, z));
    if a == 0.0 || b == 0.0 {
        return 0.0;
    }
    let s = (a * b - c * c).max(0.0).sqrt();
    let th = s.atan2(c);
    let k0 = (PI - th) / (2.0 * PI);
    let k1 = (s + (PI - th) * c) / (2.0 * PI);
    match kind {
        Kind::Step => k0,
        Kind::Relu => k1,
        Kind::Ntk => k1 + c * k0,
        Kind::ReluSphere => k1 / x.len() as f64,
        Kind::GaussSphere => (a * b).sqrt() * (th.cos() - 1.0).exp(),
    }
}

/// Points that exercise every branch of the fast angle and of the tiling: Gaussian rows (n = 700 spans two row
/// blocks of 512 and a ragged column block), a zero row, a duplicate, a near-parallel and an antipodal pair, an
/// orthogonal pair, and a row at a very different scale.
fn accuracy_points(rng: &mut Rng) -> DMatrix<f64> {
    let (n, d) = (700, 40);
    let mut x = gaussian(rng, n, d);
    x.row_mut(5).fill(0.0);
    let r = x.row(10).into_owned();
    x.row_mut(11).copy_from(&r);
    x.row_mut(12).copy_from(&(&r * 1.0000001));
    x.row_mut(13).copy_from(&(-&r));
    x.row_mut(14).fill(0.0);
    x[(14, 0)] = 1.0;
    x.row_mut(15).fill(0.0);
    x[(15, 1)] = -2.0;
    let big = x.row(20) * 1e6;
    x.row_mut(20).copy_from(&big);
    x
}

#[test]
fn gram_is_accurate_to_1e12_against_a_slow_reference_on_every_entry() {
    // Every entry against `reference_entry`, relative to its Cauchy–Schwarz scale √(K_ii K_jj) (≥ |K_ij| for a PSD
    // kernel; a pure relative error is ill-posed where a kernel crosses 0, for the reference as much as for us).
    let mut rng = stream(SEED, &["tests/kernels", "accuracy"], 0);
    let x = accuracy_points(&mut rng);
    let z = gaussian(&mut rng, 131, 40);
    let (n, m) = (x.nrows(), z.nrows());
    let rows =
        |a: &DMatrix<f64>| -> Vec<Vec<f64>> { (0..a.nrows()).map(|i| a.row(i).iter().copied().collect()).collect() };
    let (xr, zr) = (rows(&x), rows(&z));
    for kind in Kind::ALL {
        let k = gram(kind, &x).unwrap();
        assert_eq!(k, k.transpose(), "{kind}: not exactly symmetric");
        let dx: Vec<f64> = xr.iter().map(|v| reference_entry(kind, v, v)).collect();
        let dz: Vec<f64> = zr.iter().map(|v| reference_entry(kind, v, v)).collect();
        let mut worst = 0.0_f64;
        for j in 0..n {
            for i in j..n {
                let v = reference_entry(kind, &xr[i], &xr[j]);
                let scale = (dx[i] * dx[j]).sqrt().max(f64::MIN_POSITIVE);
                let e = (k[(i, j)] - v).abs() / scale;
                assert!(e <= 1e-12, "{kind} ({i}, {j}): {} vs reference {v} (relative to scale {e:e})", k[(i, j)]);
                worst = worst.max(e);
            }
        }
        let c = cross(kind, &x, &z).unwrap();
        for j in 0..m {
            for i in 0..n {
                let v = reference_entry(kind, &xr[i], &zr[j]);
                let scale = (dx[i] * dz[j]).sqrt().max(f64::MIN_POSITIVE);
                let e = (c[(i, j)] - v).abs() / scale;
                assert!(e <= 1e-12, "{kind} cross ({i}, {j}): {} vs reference {v} ({e:e})", c[(i, j)]);
                worst = worst.max(e);
            }
        }
        eprintln!("{kind}: worst error relative to √(K_ii K_jj): {worst:.2e}");
        // zero row: exactly 0 off the diagonal and on it
        assert!(k.row(5).iter().all(|&v| v == 0.0), "{kind}: zero row");
    }
}

#[test]
fn gram_accuracy_check_detects_a_perturbed_angle() {
    // Control: the same comparison must flag an angle off by 1e-10 (a plausible bug size of a sloppy fast arctangent).
    let mut rng = stream(SEED, &["tests/kernels", "accuracy-control"], 0);
    let x = gaussian(&mut rng, 60, 40);
    let xr: Vec<Vec<f64>> = (0..60).map(|i| x.row(i).iter().copied().collect()).collect();
    let k = regmatters::linalg::gram::gram_map(
        &x,
        |c, a, b| {
            let s = (a * b - c * c).max(0.0).sqrt();
            let th = s.atan2(c) + 1e-10;
            (s + 2.0 * (std::f64::consts::PI - th) * c) / (2.0 * std::f64::consts::PI)
        },
        |a| a,
    )
    .unwrap();
    let mut worst = 0.0_f64;
    for j in 0..60 {
        for i in (j + 1)..60 {
            let v = reference_entry(Kind::Ntk, &xr[i], &xr[j]);
            let scale =
                (reference_entry(Kind::Ntk, &xr[i], &xr[i]) * reference_entry(Kind::Ntk, &xr[j], &xr[j])).sqrt();
            worst = worst.max((k[(i, j)] - v).abs() / scale);
        }
    }
    assert!(worst > 1e-12, "a 1e-10 angle error went unnoticed: {worst:e}");
}

fn full_cube(d: usize) -> DMatrix<f64> {
    DMatrix::from_fn(1 << d, d, |i, j| if (i >> j) & 1 == 1 { -1.0 } else { 1.0 })
}

#[test]
fn population_eigenvalues_are_exact_on_the_full_cube() {
    for (d, kinds) in [(6, &Kind::ALL[..]), (8, &Kind::ALL[..]), (10, &[Kind::Ntk][..])] {
        let x = full_cube(d);
        let nn = (1usize << d) as f64;
        for &kind in kinds {
            let mu = population_eigenvalues(kind, d).unwrap();
            let mut want: Vec<f64> = Vec::new();
            for (l, m) in mu.iter().enumerate() {
                for _ in 0..binomial(d, l) {
                    want.push(nn * m);
                }
            }
            want.sort_by(f64::total_cmp);
            let got = sym_eigenvalues(&gram(kind, &x).unwrap()).unwrap();
            let scale = got[got.len() - 1];
            let worst = got.iter().zip(&want).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
            assert!(worst <= 1e-11 * scale, "{kind} d = {d}: worst |λ − 2^d μ| = {worst:e} (scale {scale:e})");
        }
    }
}

#[test]
fn a_wrong_eigenvalue_formula_is_refuted_on_the_full_cube() {
    // Control: dropping the Krawtchouk sign (using C(d, k)·C(k, ℓ)-like positive weights) must not match.
    let d = 6;
    let x = full_cube(d);
    let got = sym_eigenvalues(&gram(Kind::Ntk, &x).unwrap()).unwrap();
    let g = |t: f64| Kind::Ntk.eval(t, d as f64, d as f64, d);
    let (mu, _) = dot_product_eigenvalues(d, |t| g(t).abs()).unwrap();
    let wrong: Vec<f64> = (0..=d).map(|l| mu[l] * binomial(d, l) as f64).collect();
    let mut want: Vec<f64> = Vec::new();
    for (l, m) in wrong.iter().enumerate() {
        for _ in 0..binomial(d, l) {
            want.push(64.0 * m);
        }
    }
    want.sort_by(f64::total_cmp);
    let worst = got.iter().zip(&want).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    assert!(worst > 1e-3 * got[got.len() - 1]);
}

fn xor_hypercube(rng: &mut Rng, n: usize, d: usize) -> (DMatrix<f64>, DVector<f64>) {
    let x = DMatrix::from_fn(n, d, |_, _| if rng.random::<bool>() { 1.0 } else { -1.0 });
    let y = DVector::from_fn(n, |i, _| x[(i, 0)] * x[(i, 1)]);
    (x, y)
}

#[test]
fn empirical_spectrum_matches_population_on_xor_data() {
    // Acceptance figure of the spectrum: d = 16, n = 2000, NTK: top eigenvalue within 2% of n μ₀, mean of the next d within 3% of
    // n μ₁, the top 1 + d eigenvectors capture < 5(1 + d)/n of ‖y‖².
    let (d, n) = (16, 2000);
    let mut rng = stream(SEED, &["tests/kernels", "spectrum"], 0);
    let (x, y) = xor_hypercube(&mut rng, n, d);
    let e = sym_eigen(&gram(Kind::Ntk, &x).unwrap()).unwrap();
    let mu = population_eigenvalues(Kind::Ntk, d).unwrap();
    let top = e.values[n - 1];
    let next: f64 = (0..d).map(|j| e.values[n - 2 - j]).sum::<f64>() / d as f64;
    let r0 = top / (n as f64 * mu[0]) - 1.0;
    let r1 = next / (n as f64 * mu[1]) - 1.0;
    let frac = captured_fraction(&e.top(1 + d).vectors, &y).unwrap();
    eprintln!("top/nμ0 − 1 = {r0:.4}, mean next d/nμ1 − 1 = {r1:.4}, captured = {frac:.5}");
    assert!(r0.abs() < 0.02, "top eigenvalue off by {r0}");
    assert!(r1.abs() < 0.03, "degree-1 eigenvalues off by {r1}");
    assert!(frac < 5.0 * (1 + d) as f64 / n as f64, "captured fraction {frac}");
    let edge = bulk_edge(&mu, d, n);
    let values: Vec<f64> = e.values.iter().copied().collect();
    eprintln!("bulk edge {edge:.3}, nμ1 = {:.3}, outliers = {}", n as f64 * mu[1], outliers(&values, edge));
}

#[test]
fn captured_fraction_control_degree_one_label_is_captured() {
    // Control: a degree-1 label y = x₁ lies in the span of the degree-1 eigenvectors, so the same measurement must
    // report a large captured fraction (far above 5(1 + d)/n).
    let (d, n) = (12, 600);
    let mut rng = stream(SEED, &["tests/kernels", "spectrum-control"], 0);
    let (x, _) = xor_hypercube(&mut rng, n, d);
    let y = DVector::from_fn(n, |i, _| x[(i, 0)]);
    let e = sym_eigen(&gram(Kind::Ntk, &x).unwrap()).unwrap();
    let frac = captured_fraction(&e.top(1 + d).vectors, &y).unwrap();
    assert!(frac > 0.5, "degree-1 label captured fraction {frac}");
}

#[test]
fn empirical_ntk_of_a_wide_net_approaches_the_closed_form() {
    // nets::tangent::empirical_ntk (finite width m, f = m^{-1/2} Σ w_j relu(u_jᵀx)) vs kernels::ntk: the max entrywise
    // error over a small set of points shrinks with m; at m = 20000 it is within 5% of the kernel's scale.
    let mut rng = stream(SEED, &["tests/kernels", "tangent"], 0);
    let x = gaussian(&mut rng, 8, 5);
    let exact = gram(Kind::Ntk, &x).unwrap();
    let scale = exact.amax();
    let mut errs = Vec::new();
    for m in [200usize, 20_000] {
        let net = regmatters::nets::TwoLayer::gaussian(m, 5, 1.0, &mut rng).unwrap();
        let emp = regmatters::nets::tangent::empirical_ntk(&net, &x, &x).unwrap();
        errs.push((emp - &exact).amax() / scale);
    }
    eprintln!("empirical NTK max relative error at m = 200, 20000: {errs:?}");
    assert!(errs[1] < errs[0] && errs[1] < 0.05, "{errs:?}");
}

mod psd_property {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]
        /// Every kernel matrix is exactly symmetric and PSD (λ_min ≥ −1e-10·λ_max), for arbitrary point sets —
        /// including repeated, zero and wildly scaled points. (d ≥ 2: with d = 1 all points are collinear and the step
        /// kernel's O(√ε) angle error for nearly parallel points — see `kernels::arccos` — reaches λ_min ≈ −3e-10·λ_max,
        /// found by this property; the other kernels are flat in θ at θ = 0 and unaffected.)
        #[test]
        fn gram_is_symmetric_psd(n in 2usize..40, d in 2usize..8, seed in any::<u64>(), scale in -3i32..4) {
            let mut rng = stream(seed, &["tests/kernels", "psd-prop"], 0);
            let s = 10f64.powi(scale);
            let mut x = DMatrix::from_fn(n, d, |_, _| { let g: f64 = StandardNormal.sample(&mut rng); s * g });
            if n > 3 {
                let r = x.row(0).into_owned();
                x.row_mut(1).copy_from(&r);
                x.row_mut(2).fill(0.0);
            }
            for kind in Kind::ALL {
                let k = gram(kind, &x).unwrap();
                prop_assert_eq!(&k, &k.transpose());
                let w = sym_eigenvalues(&k).unwrap();
                let top = w[w.len() - 1].max(0.0);
                prop_assert!(w[0] >= -1e-10 * top, "{}: λ_min = {} vs λ_max = {}", kind, w[0], top);
            }
        }
    }
}

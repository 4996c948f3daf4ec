//! The blocked top-level merge: secular roots against closed forms and an independent dense solver, deflation by small
//! z and by close poles, and whole tridiagonal decompositions (residual, orthogonality, eigenvalues against faer's
//! one-call divide and conquer) on random, Wilkinson, glued, clustered, split and extreme-scale matrices.

use super::*;
use nalgebra::DVector;
use proptest::prelude::*;
use rand::Rng;

/// max_ij |(T V − V Λ)_ij| / ‖T‖_max and ‖VᵀV − I‖_max for the tridiagonal (d, e).
fn check_decomposition(d: &[f64], e: &[f64], values: &[f64], v: &DMatrix<f64>) -> (f64, f64) {
    let n = d.len();
    let t = DMatrix::from_fn(n, n, |i, j| {
        if i == j {
            d[i]
        } else if i == j + 1 {
            e[j]
        } else if j == i + 1 {
            e[i]
        } else {
            0.0
        }
    });
    let scale = t.amax().max(f64::MIN_POSITIVE);
    let lam = DMatrix::from_diagonal(&DVector::from_column_slice(values));
    let res = (&t * v - v * lam).amax() / scale;
    let orth = (v.transpose() * v - DMatrix::identity(n, n)).amax();
    (res, orth)
}

/// Eigenvalues of the dense matrix D + ρ z zᵀ by nalgebra's (independent) symmetric QR, ascending.
fn dense_update(d: &[f64], z: &[f64], rho: f64) -> Vec<f64> {
    let n = d.len();
    let m = DMatrix::from_fn(n, n, |i, j| if i == j { d[i] } else { 0.0 } + rho * z[i] * z[j]);
    let mut v: Vec<f64> = m.symmetric_eigen().eigenvalues.iter().copied().collect();
    v.sort_by(f64::total_cmp);
    v
}

fn root_value(d: &[f64], z: &[f64], rho: f64, i: usize) -> f64 {
    let (o, tau) = secular_root(d, z, rho, i);
    d[o] + tau
}

#[test]
fn secular_roots_match_the_two_by_two_closed_form() {
    // D + ρ z zᵀ, 2 × 2: λ = (tr ± √(tr² − 4 det))/2
    for &(d0, d1, z0, z1, rho) in &[
        (0.0_f64, 1.0, 0.6, 0.8, 1.0),
        (-1.0, 2.0, 0.1, 0.995, 0.5),
        (0.3, 0.3 + 1e-9, 0.7, 0.7, 2.0),
        (-0.5, 0.25, 1e-4, 1.0, 1e-3),
    ] {
        let (a, b, c) = (d0 + rho * z0 * z0, rho * z0 * z1, d1 + rho * z1 * z1);
        let tr = a + c;
        let disc = ((a - c) * (a - c) + 4.0 * b * b).sqrt();
        let hi = (tr + disc) / 2.0;
        let lo = (a * c - b * b) / hi; // det / λ_max, no cancellation
        let (dd, zz) = ([d0, d1], [z0, z1]);
        let got = [root_value(&dd, &zz, rho, 0), root_value(&dd, &zz, rho, 1)];
        for (g, w) in got.iter().zip([lo, hi]) {
            assert!((g - w).abs() <= 4.0 * f64::EPSILON * w.abs().max(1.0), "{g} vs {w} for {dd:?} {zz:?} {rho}");
        }
        assert!(got[0] > d0 && got[0] < d1 && got[1] > d1);
    }
}

#[test]
fn one_pole_root_is_d_plus_rho_z_squared() {
    let (o, tau) = secular_root(&[0.25], &[0.5], 3.0, 0);
    assert_eq!(o, 0);
    assert!((tau - 0.75).abs() <= 2.0 * f64::EPSILON);
}

#[test]
fn secular_roots_match_a_dense_solver_and_interlace() {
    let mut rng = crate::seed::stream(11, &["test/merge/secular"], 0);
    for k in [3usize, 5, 8, 20, 60] {
        let mut d: Vec<f64> = (0..k).map(|_| rng.random_range(-1.0..1.0)).collect();
        d.sort_by(f64::total_cmp);
        let mut z: Vec<f64> = (0..k).map(|_| rng.random_range(-1.0..1.0)).collect();
        let nz = z.iter().map(|v| v * v).sum::<f64>().sqrt();
        z.iter_mut().for_each(|v| *v /= nz);
        let rho = rng.random_range(0.01..2.0);
        let want = dense_update(&d, &z, rho);
        for i in 0..k {
            let got = root_value(&d, &z, rho, i);
            assert!((got - want[i]).abs() <= 1e-14, "k={k} i={i}: {got} vs {}", want[i]);
            assert!(got > d[i] && (i + 1 == k || got < d[i + 1]), "root {i} outside its interval");
        }
    }
}

#[test]
fn secular_roots_near_poles() {
    // tiny z components put roots within ~1e-20 of their poles: relative to the nearer pole they stay accurate
    let d = [0.0, 1.0, 2.0, 3.0];
    let z = [1e-9, 0.7, 1e-9, 0.714_142_842_854_285];
    let rho = 1.0;
    for i in 0..4 {
        let (o, tau) = secular_root(&d, &z, rho, i);
        let rinv = 1.0 / rho;
        let f = rinv + d.iter().zip(&z).map(|(dj, zj)| zj * zj / ((dj - d[o]) - tau)).sum::<f64>();
        let scale = rinv + d.iter().zip(&z).map(|(dj, zj)| (zj * zj / ((dj - d[o]) - tau)).abs()).sum::<f64>();
        assert!(f.abs() <= 64.0 * f64::EPSILON * scale, "root {i}: f = {f:e} (scale {scale:e})");
    }
}

#[test]
fn deflation_by_small_z_and_by_close_poles() {
    // z_1 = 0 deflates pole 1; poles 2 and 3 coincide and are merged by a rotation (one of them deflates)
    let d = [0.1, 0.5, 0.9, 0.9, 1.4];
    let z = [0.5, 0.0, 0.5, 0.5, 0.5];
    let def = deflate(&d, &z, 1.0);
    assert_eq!(def.poles.len(), 3);
    assert_eq!(def.deflated.len(), 2);
    assert!(def.deflated.iter().any(|&(v, c)| c == 1 && v == 0.5));
    assert!(def.deflated.iter().any(|&(v, _)| (v - 0.9).abs() < 1e-15));
    assert_eq!(def.rotations.len(), 1);
    assert!(def.poles.windows(2).all(|w| w[0] < w[1]));
    // ‖z‖ is preserved by the rotation
    let nz: f64 = def.z.iter().map(|v| v * v).sum();
    assert!((nz - 1.0).abs() < 1e-15);
    // ρ = 0: everything deflates, sorted
    let def = deflate(&d, &z, 0.0);
    assert!(def.poles.is_empty() && def.deflated.len() == 5);
    // the merged problem's eigenvalues are those of the dense D + ρzzᵀ
    let (values, v) = merge_dense(&d, &z, 1.0);
    let want = dense_update(&d, &z, 1.0);
    for (g, w) in values.iter().zip(&want) {
        assert!((g - w).abs() < 1e-14, "{g} vs {w}");
    }
    let orth = (v.transpose() * &v - DMatrix::identity(5, 5)).amax();
    assert!(orth < 1e-14);
}

/// The merge of D + ρzzᵀ alone (W = I): eigenvalues ascending and Q, for tests of deflation.
fn merge_dense(d: &[f64], z: &[f64], rho: f64) -> (Vec<f64>, DMatrix<f64>) {
    let n = d.len();
    let def = deflate(d, z, rho);
    let r = roots(&def, rho, 1);
    let mut all: Vec<(f64, Source)> = (0..def.poles.len())
        .map(|j| (def.poles[r.origin[j]] + r.tau[j], Source::Root(j)))
        .chain(def.deflated.iter().enumerate().map(|(t, &(v, _))| (v, Source::Deflated(t))))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut q = DMatrix::zeros(n, n);
    for (c, a) in all.iter().enumerate() {
        let col = &mut q.as_mut_slice()[c * n..(c + 1) * n];
        match a.1 {
            Source::Root(j) => secular_column(&def, &r, j, col),
            Source::Deflated(t) => col[def.deflated[t].1] = 1.0,
        }
        rotate_back(&def.rotations, col);
    }
    (all.iter().map(|a| a.0).collect(), q)
}

/// faer's one-call divide and conquer (the reference) on (d, e).
fn reference(d: &[f64], e: &[f64]) -> Vec<f64> {
    faer_tridiagonal(d, e, Par::Seq).unwrap().0
}

fn check_tridiagonal(name: &str, d: &[f64], e: &[f64]) {
    let want = reference(d, e);
    let norm = want.iter().fold(0.0_f64, |a, v| a.max(v.abs())).max(f64::MIN_POSITIVE);
    for par in [Par::Seq, Par::rayon(2)] {
        let (values, v) = tridiagonal_eigen(d, e, par).unwrap();
        assert!(values.windows(2).all(|w| w[0] <= w[1]), "{name}: not ascending");
        let err = values.iter().zip(&want).fold(0.0_f64, |a, (g, w)| a.max((g - w).abs()));
        assert!(err <= 1e-13 * norm, "{name}: eigenvalues off by {err:e} (‖T‖ {norm:e})");
        let (res, orth) = check_decomposition(d, e, &values, &v);
        assert!(res <= 1e-13 && orth <= 1e-13, "{name}: residual {res:e}, orthogonality {orth:e}");
    }
}

fn random_tridiagonal(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = crate::seed::stream(seed, &["test/merge/tridiagonal"], n as u64);
    let d = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
    let e = (0..n.saturating_sub(1)).map(|_| rng.random_range(-1.0..1.0)).collect();
    (d, e)
}

#[test]
fn tiny_and_trivial() {
    check_tridiagonal("1", &[2.5], &[]);
    check_tridiagonal("2", &[1.0, 1.0], &[1.0]);
    check_tridiagonal("2 negative β", &[1.0, -2.0], &[-0.5]);
    check_tridiagonal("3", &[2.0, 2.0, 5.0], &[1.0, 0.0]);
    check_tridiagonal("zero", &[0.0; 7], &[0.0; 6]);
    let (values, v) = tridiagonal_eigen(&[0.0; 4], &[0.0; 3], Par::Seq).unwrap();
    assert_eq!(values, vec![0.0; 4]);
    assert_eq!(v, DMatrix::identity(4, 4));
}

#[test]
fn random_and_structured_tridiagonals() {
    for (n, seed) in [(5, 1), (64, 2), (257, 3), (600, 4)] {
        let (d, e) = random_tridiagonal(n, seed);
        check_tridiagonal(&format!("random {n}"), &d, &e);
    }
    // Wilkinson W_21⁺ (pairs of nearly equal eigenvalues) and glued copies of it (clusters)
    let w: Vec<f64> = (0..21).map(|i| (10.0 - i as f64).abs()).collect();
    check_tridiagonal("wilkinson", &w, &[1.0; 20]);
    let glued_d: Vec<f64> = w.iter().cycle().take(21 * 12).copied().collect();
    let glued_e: Vec<f64> = (0..21 * 12 - 1).map(|i| if i % 21 == 20 { 1e-10 } else { 1.0 }).collect();
    check_tridiagonal("glued wilkinson", &glued_d, &glued_e);
    // constant diagonal with a zero in the middle of the subdiagonal (β = 0 at the split: everything deflates)
    let n = 200;
    let mut e = vec![0.5; n - 1];
    e[n / 2 - 1] = 0.0;
    check_tridiagonal("split at the tear", &vec![1.0; n], &e);
    // identical diagonal, tiny couplings: heavy deflation by close poles
    check_tridiagonal("nearly diagonal", &vec![0.3; 150], &vec![1e-17; 149]);
    // graded: entries over 20 orders of magnitude
    let d: Vec<f64> = (0..120).map(|i| 10f64.powf(-(i as f64) / 6.0)).collect();
    let e: Vec<f64> = (0..119).map(|i| 10f64.powf(-(i as f64 + 0.5) / 6.0) * 0.5).collect();
    check_tridiagonal("graded", &d, &e);
}

#[test]
fn extreme_scales() {
    let (d, e) = random_tridiagonal(90, 7);
    for ex in [-1000, -600, 600, 1000] {
        let s = |v: &f64| scale2(*v, ex);
        let d: Vec<f64> = d.iter().map(s).collect();
        let e: Vec<f64> = e.iter().map(s).collect();
        let (values, v) = tridiagonal_eigen(&d, &e, Par::Seq).unwrap();
        let (res, orth) = check_decomposition(&d, &e, &values, &v);
        assert!(res <= 1e-13 && orth <= 1e-13, "2^{ex}: residual {res:e}, orthogonality {orth:e}");
    }
}

#[test]
fn bad_input_is_an_error() {
    assert!(tridiagonal_eigen(&[1.0, f64::NAN], &[0.0], Par::Seq).is_err());
    assert!(tridiagonal_eigen(&[1.0, 2.0], &[f64::INFINITY], Par::Seq).is_err());
    assert!(tridiagonal_eigen(&[1.0, 2.0, 3.0], &[1.0], Par::Seq).is_err());
    assert!(tridiagonal_eigen(&[], &[], Par::Seq).unwrap().0.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Random tridiagonals with clustered diagonals (values drawn from a few levels) and random scale.
    #[test]
    fn matches_reference(n in 2usize..90, levels in 1usize..6, seed in 0u64..1000, ex in -300i32..300) {
        let mut rng = crate::seed::stream(seed, &["test/merge/prop"], n as u64);
        let d: Vec<f64> = (0..n).map(|_| scale2(rng.random_range(0..levels) as f64, ex)).collect();
        let e: Vec<f64> = (0..n - 1)
            .map(|_| if rng.random_bool(0.2) { 0.0 } else { scale2(rng.random_range(-1.0..1.0), ex) })
            .collect();
        let want = reference(&d, &e);
        let norm = want.iter().fold(0.0_f64, |a, v| a.max(v.abs())).max(f64::MIN_POSITIVE);
        let (values, v) = tridiagonal_eigen(&d, &e, Par::Seq).unwrap();
        let err = values.iter().zip(&want).fold(0.0_f64, |a, (g, w)| a.max((g - w).abs()));
        prop_assert!(err <= 1e-13 * norm, "eigenvalues off by {:e}", err);
        let (res, orth) = check_decomposition(&d, &e, &values, &v);
        prop_assert!(res <= 1e-13 && orth <= 1e-13, "residual {:e}, orthogonality {:e}", res, orth);
    }
}

/// The two-pole model is exact when ψ and φ are single poles: with k = 2 the secular function is
/// 1/ρ + z₀²/(0 − τ) + z₁²/(b − τ) in the shifted coordinate τ = λ − d₀, and one model step from any x in (0, b) lands
/// on its root, the smaller zero of τ²/ρ − (b/ρ + z₀² + z₁²)τ + z₀²b; with k = 1 (the last root) it lands on ρz₀².
#[test]
fn model_step_is_exact_on_single_pole_parts() {
    let (d, z, rho): ([f64; 2], [f64; 2], f64) = ([1.0, 3.0], [0.6, 0.8], 0.7);
    let (rinv, b) = (1.0 / rho, d[1] - d[0]);
    let bq = b / rho + z[0] * z[0] + z[1] * z[1];
    let root = 2.0 * z[0] * z[0] * b / (bq + (bq * bq - 4.0 * z[0] * z[0] * b / rho).sqrt());
    for x in [0.1, 0.5, 1.0, 1.7, 1.95] {
        let f = secular_at(&d, &z, rinv, 0, 0, x);
        let y = model_step(f, rinv, 0.0, b, x, false).expect("a model step");
        assert!((y - root).abs() <= 1e-12 * b, "from x = {x}: {y} vs the root {root}");
    }
    let (d1, z1) = ([2.0], [0.9]);
    for x in [0.1, 0.4, 1.0] {
        let f = secular_at(&d1, &z1, rinv, 0, 0, x);
        let y = model_step(f, rinv, 0.0, f64::INFINITY, x, true).expect("a model step");
        assert!((y - rho * 0.81).abs() <= 1e-12, "last root from x = {x}: {y} vs ρz² = {}", rho * 0.81);
    }
}

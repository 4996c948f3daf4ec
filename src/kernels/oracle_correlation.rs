//! The oracle correlation ρ*(X) of a dot-product kernel with a Walsh character on the hypercube: the best alignment
//! with χ_T that any function in the span of the n kernel sections K(x_i, ·) can reach, in L² of uniform {±1}^d — the
//! "cannot focus" quantity of the NTK lower bound, computed exactly (no held-out sample).
//!
//! **Exact form.** With K(x, z) = Σ_S μ_{|S|} χ_S(x) χ_S(z) (see [`super::spectrum`]) and f_β = Σ_i β_i K(x_i, ·):
//!
//! ⟨f_β, χ_T⟩ = μ_t βᵀc (c_i = χ_T(x_i), t = |T|),   ‖f_β‖² = βᵀMβ,   M_ij = Σ_ℓ μ_ℓ² K_ℓ(h_ij),
//!
//! where h_ij is the Hamming distance of x_i and x_j and K_ℓ the Krawtchouk polynomial (Σ_{|S|=ℓ} χ_S(x)χ_S(z) =
//! K_ℓ(h)): M is the Gram matrix of the squared kernel (K∘K)(x, z) = E_w K(x, w) K(w, z). Since ‖χ_T‖ = 1, by
//! Cauchy–Schwarz in the M inner product
//!
//! ρ*(X)² = max_β (μ_t βᵀc)² / βᵀMβ = μ_t² cᵀM⁻¹c.
//!
//! Geometrically, with W the n × 2^d matrix of rows (μ_{|S|} χ_S(x_i))_S, M = WWᵀ and c = W e_T / μ_t, so ρ*² =
//! ‖P_{row W} e_T‖²: the squared length of the projection of the unit vector e_T on an n-dimensional subspace. Hence
//! 0 ≤ ρ*² ≤ 1, ρ*² is nondecreasing along nested samples, and ρ*² = 1 once the sample is the whole cube.
//!
//! **Every prefix from one factorization.** With M = LLᵀ and w = L⁻¹c, the leading k × k block of L factors the
//! leading block of M, so ρ*²(x_1, …, x_k) = μ_t² Σ_{i<k} w_i² for every k: one O(n³/3) Cholesky gives the whole
//! nested curve ([`oracle_curve`]).
//!
//! **Prediction** (a heuristic, [`predicted_rho2`]). Treat the rows of W as n random vectors with second moment
//! Σ = diag(μ_S²) (indeed E_x[χ_S(x)χ_R(x)] = δ_SR). For Gaussian rows the projection on their span has the
//! deterministic equivalent E P ≈ Σ(Σ + κI)⁻¹ with κ > 0 fixed by its trace, n = Σ_ℓ C(d, ℓ) μ_ℓ²/(μ_ℓ² + κ);
//! then ρ*² ≈ μ_t²/(μ_t² + κ). For d + 1 < n ≪ d² the degree-0 and degree-1 terms (μ₀², μ₁² ≫ κ) contribute ≈ 1 each
//! — the first 1 + d sections are spent cancelling them — and the rest contributes ≈ σ²/κ with σ² = Σ_{ℓ≥2} C(d, ℓ)
//! μ_ℓ², so κ ≈ σ²/(n − 1 − d) and, to leading order ([`leading_order_rho2`]),
//!
//! ρ*² ≈ μ_t² (n − 1 − d)/σ² = q (n − 1 − d)/C(d, 2)   for T = {1, 2},   q = C(d, 2) μ₂²/σ²,
//!
//! q being the degree-2 share of the kernel's degree-≥2 energy (of K∘K). The exact equivalent is concave in n (its
//! log–log slope in n − 1 − d is 1 − ρ̂*² to first order), and reaches ρ*² = 0.81 (ρ* = 0.9) only at n ≈ 0.8·C(d, 2)
//! plus the degree-≥ 4 share: n of order d².

use super::spectrum::{compensated_sum, krawtchouk, multiplicity, validate_character};
use crate::error::{Error, Result, ensure_finite};
use crate::linalg::solve::{Cholesky, solve_backward_error};
use nalgebra::DMatrix;

/// The squared kernel m(h) = Σ_ℓ μ_ℓ² K_ℓ(h) at Hamming distance h = 0..=d (d = len(μ) − 1), with K_ℓ exact in
/// integers and the sum over ℓ compensated. m(0) = Σ_ℓ C(d, ℓ) μ_ℓ² = E_w K(x, w)².
///
/// Errors: μ with fewer than two entries (d ≥ 1) or non-finite entries, d above [`super::spectrum::MAX_D`].
pub fn squared_kernel_table(mu: &[f64]) -> Result<Vec<f64>> {
    if mu.len() < 2 || mu.len() - 1 > super::spectrum::MAX_D {
        return Err(Error::param("μ", mu.len(), "must hold μ_0..=μ_d with 1 ≤ d ≤ MAX_D"));
    }
    ensure_finite("μ", mu)?;
    let d = mu.len() - 1;
    let k: Vec<Vec<i128>> = (0..=d).map(|l| krawtchouk(d, l)).collect();
    Ok((0..=d).map(|h| compensated_sum(mu.iter().zip(&k).map(|(m, kl)| m * m * kl[h] as f64)).0).collect())
}

/// ρ*² of every prefix of a sample, and the checks of the factorization it came from.
#[derive(Clone, Debug)]
pub struct OracleCurve {
    /// `rho2[k − 1]` = ρ*(x_1, …, x_k)² for k = 1..=n.
    pub rho2: Vec<f64>,
    /// Normwise backward error ‖Mx − c‖_∞/(‖M‖_∞‖x‖_∞ + ‖c‖_∞) of the Cholesky solve x = M⁻¹c.
    pub solve_residual: f64,
    /// |μ_t² cᵀx − ρ*²(n)|: the solve against the forward substitution (two routes to the same number).
    pub route_gap: f64,
    /// Points skipped as lying in the span of the earlier ones (Schur pivot ≤ 1e-11·m(0); they add nothing to ρ*).
    pub skipped: usize,
}

/// Residual tolerances of [`oracle_curve`]: the backward error of the solve, and the agreement of the two routes and
/// the Cauchy–Schwarz ceiling ρ*² ≤ 1 (absolute).
const SOLVE_TOL: f64 = 1e-10;
const ROUTE_TOL: f64 = 1e-8;
/// A Schur pivot (squared) at most this times m(0) = M_ii marks a point in the span of the earlier ones: rounding in
/// the pivot is ≈ n·ε·m(0) ≲ 1e-12·m(0) at n ≤ 4096, while an independent point's pivot is at least λ_min(M), which
/// the degree-≥2 blocks keep above ≈ 1e-7·m(0) on the samples used here (NTK, d ≥ 12, n ≤ 1.5·n_0.9).
const SKIP_TOL: f64 = 1e-11;

/// The prefix curve when M is singular: a left-looking Cholesky over the points in order that skips a point whose
/// Schur pivot M_kk − ‖L⁻¹M_{kept,k}‖² is ≤ `SKIP_TOL`·m(0) (it lies in the span of the kept points, so ρ* does not
/// change: its w is 0). Returns w (0 at skipped points) and the kept indices.
fn sequential_forward(m: &DMatrix<f64>, c: &[f64], m0: f64) -> Result<(Vec<f64>, Vec<usize>)> {
    let n = c.len();
    let mut rows: Vec<Vec<f64>> = Vec::new(); // row i of L over the kept points, length i + 1
    let (mut kept, mut wk, mut w) = (Vec::new(), Vec::new(), vec![0.0; n]);
    for k in 0..n {
        let mut l = Vec::with_capacity(kept.len() + 1);
        for (i, row) in rows.iter().enumerate() {
            let s: f64 = row[..i].iter().zip(&l).map(|(a, b)| a * b).sum();
            l.push((m[(kept[i], k)] - s) / row[i]);
        }
        let pivot2 = m[(k, k)] - l.iter().map(|v| v * v).sum::<f64>();
        if pivot2 <= SKIP_TOL * m0 {
            continue;
        }
        let pivot = pivot2.sqrt();
        let wv = (c[k] - l.iter().zip(&wk).map(|(a, b)| a * b).sum::<f64>()) / pivot;
        l.push(pivot);
        rows.push(l);
        kept.push(k);
        wk.push(wv);
        w[k] = wv;
    }
    if kept.is_empty() {
        return Err(Error::Numerical("oracle_curve: every pivot vanished (m(0) = 0?)".into()));
    }
    Ok((w, kept))
}

/// ρ*(x_1, …, x_k)² for every k, for the kernel with hypercube eigenvalues `mu` (μ_0..=μ_d) and the character χ_T,
/// T = `target` (0-based coordinates), from the rows of `x` (n × d, entries ±1) — see the module docs. When M is
/// singular (a repeated point; for a kernel with vanishing μ_ℓ, e.g. the NTK's odd degrees ≥ 3, antipodal pairs
/// whose degree-one parts are dependent) the points in the span of earlier ones are skipped and counted
/// (`skipped`); they change no ρ*. The result is checked against an independent solve on the kept points.
///
/// Errors: shape mismatch between `x` and μ; an entry other than ±1; a target coordinate out of range or repeated;
/// [`Error::Numerical`] when the kept points' Gram matrix is not positive definite, when that solve's backward error
/// exceeds 1e-10, or when the two routes or the ceiling ρ*² ≤ 1 disagree by more than 1e-8.
pub fn oracle_curve(x: &DMatrix<f64>, mu: &[f64], target: &[usize]) -> Result<OracleCurve> {
    let table = squared_kernel_table(mu)?;
    let d = mu.len() - 1;
    let n = x.nrows();
    if x.ncols() != d {
        return Err(Error::shape("oracle_curve: columns of X vs len(μ) − 1", d, x.ncols()));
    }
    if n == 0 {
        return Err(Error::param("n", 0, "need at least one point"));
    }
    if x.iter().any(|&v| v != 1.0 && v != -1.0) {
        return Err(Error::param("X", "an entry other than ±1", "points must lie on the hypercube {±1}^d"));
    }
    validate_character(target, d)?;
    let mu_t = mu[target.len()];
    let g = x * x.transpose();
    let m = DMatrix::from_fn(n, n, |i, j| table[((d as f64 - g[(i, j)]) / 2.0).round() as usize]);
    let c: Vec<f64> = (0..n).map(|i| target.iter().map(|&j| x[(i, j)]).product()).collect();
    // Every prefix from one factorization; a sample with a point in the span of earlier ones (M singular) takes the
    // sequential route, which skips such points.
    // (faer's factorization can succeed on a singular M with rounding-level pivots, so the pivots are checked too.)
    let (w, kept) = match Cholesky::factor_in_place(m.clone()) {
        Ok(chol) if chol.pivots().iter().all(|p| p * p > SKIP_TOL * table[0]) => {
            (chol.forward(&c)?, (0..n).collect::<Vec<_>>())
        }
        _ => sequential_forward(&m, &c, table[0])?,
    };
    let mut acc = 0.0;
    let rho2: Vec<f64> = w
        .iter()
        .map(|v| {
            acc += mu_t * mu_t * v * v;
            acc
        })
        .collect();
    // The check of the route: an independent solve on the kept points (all of them unless some were skipped).
    let mk = DMatrix::from_fn(kept.len(), kept.len(), |i, j| m[(kept[i], kept[j])]);
    let ck = DMatrix::from_fn(kept.len(), 1, |i, _| c[kept[i]]);
    let chol = Cholesky::factor_in_place(mk.clone()).map_err(|_| {
        Error::Numerical("oracle_curve: the Gram matrix of the kept points is not positive definite".into())
    })?;
    let sol = chol.solve(&ck)?;
    let solve_residual = solve_backward_error(&mk, &sol, &ck)?;
    let last = rho2[n - 1];
    let route_gap = (mu_t * mu_t * (ck.transpose() * &sol)[(0, 0)] - last).abs();
    if !(solve_residual <= SOLVE_TOL && route_gap <= ROUTE_TOL && last <= 1.0 + ROUTE_TOL) {
        return Err(Error::Numerical(format!(
            "oracle_curve: backward error {solve_residual:.2e} (≤ {SOLVE_TOL:e}), route gap {route_gap:.2e} and \
             ρ*² = {last} (≤ 1 + {ROUTE_TOL:e})"
        )));
    }
    let skipped = n - kept.len();
    Ok(OracleCurve { rho2, solve_residual, route_gap, skipped })
}

/// The deterministic-equivalent prediction of ρ*² at sample size n for a target of degree t (module docs):
/// μ_t²/(μ_t² + κ) with Σ_ℓ C(d, ℓ) μ_ℓ²/(μ_ℓ² + κ) = n, solved by bisection in log κ; 1 when n is at least the
/// number of characters with μ ≠ 0. A heuristic (exact only for Gaussian rows), reported beside the exact values.
///
/// Errors: invalid μ (as [`squared_kernel_table`]), t > d, n not positive and finite.
pub fn predicted_rho2(mu: &[f64], t: usize, n: f64) -> Result<f64> {
    if mu.len() < 2 || !mu.iter().all(|m| m.is_finite()) {
        return Err(Error::param("μ", mu.len(), "must hold finite μ_0..=μ_d with d ≥ 1"));
    }
    let d = mu.len() - 1;
    if t > d || !(n.is_finite() && n > 0.0) {
        return Err(Error::param("(t, n)", format!("({t}, {n})"), "need t ≤ d and finite n > 0"));
    }
    let terms: Vec<(f64, f64)> = mu.iter().enumerate().map(|(l, m)| (multiplicity(d, l), m * m)).collect();
    let rank: f64 = terms.iter().filter(|(_, m2)| *m2 > 0.0).map(|(c, _)| c).sum();
    let mt2 = mu[t] * mu[t];
    if n >= rank || mt2 == 0.0 {
        return Ok(if mt2 == 0.0 { 0.0 } else { 1.0 });
    }
    let trace = |k: f64| terms.iter().map(|(c, m2)| if *m2 > 0.0 { c * m2 / (m2 + k) } else { 0.0 }).sum::<f64>();
    // trace(κ) decreases from `rank` (κ → 0) to 0; trace(total/n) ≤ n since each term is ≤ C(d, ℓ) μ_ℓ²/κ
    let total: f64 = terms.iter().map(|(c, m2)| c * m2).sum();
    let (mut lo, mut hi) = ((total / n).ln() - 1400.0, (total / n).ln());
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if trace(mid.exp()) > n { lo = mid } else { hi = mid }
    }
    let kappa = (0.5 * (lo + hi)).exp();
    Ok(mt2 / (mt2 + kappa))
}

/// The smallest n at which the deterministic equivalent [`predicted_rho2`] reaches `level` (0 < level < 1) for a
/// target of degree t, by bisection over n ∈ [1, number of characters with μ ≠ 0] (the prediction increases in n).
///
/// Errors: as [`predicted_rho2`]; a level outside (0, 1); μ_t = 0 (the level is never reached).
pub fn predicted_level_n(mu: &[f64], t: usize, level: f64) -> Result<f64> {
    if !(level > 0.0 && level < 1.0) {
        return Err(Error::param("level", level, "must lie in (0, 1)"));
    }
    if mu.get(t).is_none_or(|&m| m == 0.0) {
        return Err(Error::param("t", t, "needs a degree ≤ d with μ_t ≠ 0"));
    }
    let d = mu.len() - 1;
    let rank: f64 = mu.iter().enumerate().filter(|(_, m)| **m != 0.0).map(|(l, _)| multiplicity(d, l)).sum();
    let (mut lo, mut hi) = (1.0_f64, rank);
    if predicted_rho2(mu, t, lo)? >= level {
        return Ok(lo);
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if predicted_rho2(mu, t, mid)? >= level { hi = mid } else { lo = mid }
    }
    Ok(hi)
}

/// The leading-order form μ_t²(n − 1 − d)/σ², σ² = Σ_{ℓ≥2} C(d, ℓ) μ_ℓ², of ρ*² for a target of degree t ≥ 2 and
/// d + 1 < n ≪ d² (module docs); for t = 2 it is q(n − 1 − d)/C(d, 2). Errors: t < 2 or t > d, n ≤ d + 1, σ² = 0.
pub fn leading_order_rho2(mu: &[f64], t: usize, n: f64) -> Result<f64> {
    let d = mu.len().saturating_sub(1);
    if t < 2 || t > d || !(n > (d + 1) as f64) {
        return Err(Error::param("(t, n)", format!("({t}, {n})"), "need 2 ≤ t ≤ d and n > d + 1"));
    }
    let sigma2 = degree_two_plus_energy(mu);
    if !(sigma2 > 0.0) {
        return Err(Error::param("μ", "σ² = 0", "the kernel has no degree-≥2 energy"));
    }
    Ok(mu[t] * mu[t] * (n - 1.0 - d as f64) / sigma2)
}

/// σ² = Σ_{ℓ≥2} C(d, ℓ) μ_ℓ², the degree-≥2 energy of the squared kernel.
pub fn degree_two_plus_energy(mu: &[f64]) -> f64 {
    let d = mu.len().saturating_sub(1);
    mu.iter().enumerate().skip(2).map(|(l, m)| multiplicity(d, l) * m * m).sum()
}

/// q = C(d, 2) μ₂²/σ²: the degree-2 share of the degree-≥2 energy (0 when d < 2 or σ² = 0).
pub fn degree_two_share(mu: &[f64]) -> f64 {
    let d = mu.len().saturating_sub(1);
    let sigma2 = degree_two_plus_energy(mu);
    if d < 2 || !(sigma2 > 0.0) {
        return 0.0; // no degree-≥2 energy: nothing to share
    }
    multiplicity(d, 2) * mu[2] * mu[2] / sigma2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::distinct_cube_points;
    use crate::kernels::spectrum::{dot_product_eigenvalues, population_eigenvalues};
    use crate::kernels::{Kind, cross};
    use crate::seed;

    fn cube(d: usize) -> DMatrix<f64> {
        DMatrix::from_fn(1 << d, d, |i, j| if i >> j & 1 == 1 { 1.0 } else { -1.0 })
    }

    /// The exact ρ*² against a brute-force computation that never uses the Walsh spectrum: at d = 6 the L² inner
    /// products are averages over the 64 cube points, a_i = ⟨K(x_i, ·), χ_T⟩ and G_ij = ⟨K(x_i, ·), K(x_j, ·)⟩ from
    /// the kernel's closed form, and ρ*² = aᵀG⁻¹a (checked for every prefix, NTK and ReLU kernels, T = {1, 2}).
    #[test]
    fn exact_curve_matches_brute_force_over_the_cube() {
        let d = 6;
        let z = cube(d);
        let mut rng = seed::stream(11, &["oracle-test"], 0);
        let x = distinct_cube_points(d, 12, &mut rng).unwrap();
        for kind in [Kind::Ntk, Kind::Relu] {
            let mu = population_eigenvalues(kind, d).unwrap();
            let curve = oracle_curve(&x, &mu, &[0, 1]).unwrap();
            let kxz = cross(kind, &x, &z).unwrap();
            let chi: Vec<f64> = (0..z.nrows()).map(|r| z[(r, 0)] * z[(r, 1)]).collect();
            let p = z.nrows() as f64;
            for k in 1..=x.nrows() {
                let kk = kxz.rows(0, k);
                let a = DMatrix::from_fn(k, 1, |i, _| (0..z.nrows()).map(|r| kk[(i, r)] * chi[r]).sum::<f64>() / p);
                let g = kk * kk.transpose() / p;
                let sol = crate::linalg::solve::cholesky_solve(&g, &a).unwrap();
                let want = (a.transpose() * sol)[(0, 0)];
                let got = curve.rho2[k - 1];
                assert!((got - want).abs() <= 1e-9, "{kind:?}, k = {k}: exact {got} vs brute force {want}");
            }
        }
    }

    /// Projection facts: 0 ≤ ρ*² ≤ 1, nondecreasing in k, and exactly 1 on the whole cube (a kernel with every
    /// μ_ℓ > 0, g(t) = e^{t/d}), where χ_T is itself in the span.
    #[test]
    fn whole_cube_reaches_one_and_the_curve_is_monotone() {
        let d = 5;
        let (mu, _) = dot_product_eigenvalues(d, |t| (t / d as f64).exp()).unwrap();
        assert!(mu.iter().all(|&m| m > 0.0));
        for target in [vec![0, 1], vec![2], vec![0, 3, 4]] {
            let curve = oracle_curve(&cube(d), &mu, &target).unwrap();
            assert!(curve.rho2.windows(2).all(|w| w[1] >= w[0] - 1e-12));
            assert!(curve.rho2[0] >= 0.0);
            let last = *curve.rho2.last().unwrap();
            assert!((last - 1.0).abs() < 1e-9, "{target:?}: ρ*² on the whole cube = {last}");
            assert!(curve.solve_residual < 1e-12 && curve.route_gap < 1e-10);
        }
    }

    /// The single-point closed form: ρ*({x})² = μ_t²/m(0) (c = ±1, M = m(0)).
    #[test]
    fn single_point_closed_form() {
        let d = 9;
        let mu = population_eigenvalues(Kind::Ntk, d).unwrap();
        let m0: f64 = mu.iter().enumerate().map(|(l, m)| multiplicity(d, l) * m * m).sum();
        assert!((squared_kernel_table(&mu).unwrap()[0] - m0).abs() <= 1e-14 * m0);
        let x = DMatrix::from_fn(1, d, |_, j| if j % 3 == 0 { -1.0 } else { 1.0 });
        let curve = oracle_curve(&x, &mu, &[0, 1]).unwrap();
        assert!((curve.rho2[0] - mu[2] * mu[2] / m0).abs() <= 1e-14);
    }

    /// The deterministic equivalent: 1 at full rank, between 0 and 1, increasing in n, and close to the leading
    /// order form when d + 1 < n ≪ d² (within 5% at n = 2(1 + d), d = 64); q ≤ 1.
    #[test]
    fn prediction_and_leading_order() {
        let d = 64;
        let mu = population_eigenvalues(Kind::Ntk, d).unwrap();
        let q = degree_two_share(&mu);
        assert!(q > 0.0 && q <= 1.0);
        let n = 2.0 * (1.0 + d as f64);
        let (p, l) = (predicted_rho2(&mu, 2, n).unwrap(), leading_order_rho2(&mu, 2, n).unwrap());
        assert!((p / l - 1.0).abs() < 0.05, "equivalent {p} vs leading order {l}");
        let lq = q * (n - 1.0 - d as f64) / multiplicity(d, 2);
        assert!((l - lq).abs() <= 1e-12 * l);
        let grid: Vec<f64> = [70.0, 200.0, 1000.0, 5000.0].to_vec();
        let preds: Vec<f64> = grid.iter().map(|&n| predicted_rho2(&mu, 2, n).unwrap()).collect();
        assert!(preds.windows(2).all(|w| w[1] > w[0]) && preds.iter().all(|&p| p > 0.0 && p < 1.0));
        let (mu5, _) = dot_product_eigenvalues(5, |t| (t / 5.0).exp()).unwrap();
        assert_eq!(predicted_rho2(&mu5, 2, 32.0).unwrap(), 1.0);
        assert!(leading_order_rho2(&mu, 1, n).is_err() && leading_order_rho2(&mu, 2, 60.0).is_err());
        // the level's n inverts the prediction
        let n90 = predicted_level_n(&mu, 2, 0.81).unwrap();
        assert!((predicted_rho2(&mu, 2, n90).unwrap() - 0.81).abs() < 1e-6);
        assert!(n90 > 0.5 * multiplicity(d, 2) && n90 < 4.0 * multiplicity(d, 2), "n90 = {n90} is of order d²");
        assert!(predicted_level_n(&mu, 2, 1.0).is_err() && predicted_level_n(&mu, 70, 0.5).is_err());
    }

    /// A point in the span of earlier ones adds nothing: a repeated point, and (for the NTK, whose odd μ_ℓ vanish
    /// for ℓ ≥ 3) the second point of an antipodal pair when the degree-one block is already covered, take the
    /// sequential route, are skipped, and leave the curve equal to the curve without them.
    #[test]
    fn dependent_points_are_skipped_and_change_nothing() {
        let d = 6;
        let mu = population_eigenvalues(Kind::Ntk, d).unwrap();
        let mut rng = seed::stream(12, &["oracle-test"], 1);
        let x = distinct_cube_points(d, 10, &mut rng).unwrap();
        let base = oracle_curve(&x, &mu, &[0, 1]).unwrap();
        assert_eq!(base.skipped, 0);
        // insert a copy of row 3 after row 6
        let mut rows: Vec<_> = (0..10).map(|i| x.row(i).into_owned()).collect();
        rows.insert(7, x.row(3).into_owned());
        let rep = DMatrix::from_fn(11, d, |i, j| rows[i][j]);
        let with = oracle_curve(&rep, &mu, &[0, 1]).unwrap();
        assert_eq!(with.skipped, 1);
        for k in 0..11 {
            let want = base.rho2[if k < 7 { k } else { k - 1 }];
            assert!((with.rho2[k] - want).abs() < 1e-10, "prefix {}: {} vs {want}", k + 1, with.rho2[k]);
        }
        // the whole cube under the NTK: M has rank 2^d − (odd degrees ≥ 3) < 2^d, yet ρ*² = 1
        let z = cube(d);
        let full = oracle_curve(&z, &mu, &[0, 1]).unwrap();
        let rank: usize = (0..=d).filter(|&l| mu[l].abs() > 1e-12).map(|l| multiplicity(d, l) as usize).sum();
        assert_eq!(full.skipped, (1 << d) - rank);
        assert!((full.rho2.last().unwrap() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let d = 6;
        let mu = population_eigenvalues(Kind::Ntk, d).unwrap();
        let mut rng = seed::stream(12, &["oracle-test"], 0);
        let x = distinct_cube_points(d, 5, &mut rng).unwrap();
        let mut bad = x.clone();
        bad[(0, 0)] = 0.5;
        assert!(oracle_curve(&bad, &mu, &[0, 1]).is_err());
        assert!(oracle_curve(&x, &mu, &[0, 6]).is_err());
        assert!(oracle_curve(&x, &mu, &[1, 1]).is_err());
        assert!(oracle_curve(&x, &mu[..5], &[0, 1]).is_err());
        assert!(oracle_curve(&DMatrix::zeros(0, d), &mu, &[0, 1]).is_err());
        assert!(squared_kernel_table(&[f64::NAN, 1.0]).is_err());
        assert!(predicted_rho2(&mu, 2, -1.0).is_err());
    }
}

//! The minimum-ℓ1 interpolant over the *whole sphere* of ReLU directions, with a certified bracket.
//!
//! For points x_i ∈ ℝ^d and targets y_i, over signed measures α on S^{d−1},
//!
//! ```text
//!   (BP)  ν* = min ‖α‖₁  s.t.  ∫ relu(ūᵀx_i) dα(ū) = y_i  (i = 1..n),
//!   (D)   ν* = max cᵀy   s.t.  sup_{ū ∈ S^{d−1}} |g_c(ū)| ≤ 1,   g_c(ū) = Σ_i c_i relu(ūᵀx_i).
//! ```
//!
//! **Weak duality** (what the lower end rests on): for any interpolating α and any c,
//! cᵀy = Σ_i c_i ∫ relu(ūᵀx_i) dα = ∫ g_c dα ≤ ‖α‖₁ · sup|g_c|, so cᵀy / S ≤ ν* for every rigorous upper bound S of
//! sup|g_c| ([`super::sphere_sup`]). **Upper end:** ‖a‖₁ of an interpolant on finitely many directions, recomputed, with
//! its interpolation residual ‖Φa − y‖∞ reported (the bracket counts only when it is at rounding level: the caller
//! sets the tolerance).
//!
//! **Column generation** (no planted direction: the caller's starting dictionary is arbitrary, e.g. random): solve the
//! LP on the dictionary ([`super::min_l1_interpolant::min_l1_interpolant_with_dual`]), take its dual c, bound sup|g_c|
//! over the whole sphere; where the bound's maximizer violates |g_c| ≤ 1 add that direction and repeat, until the
//! bracket closes to a relative `tol` or the round budget is spent (then the bracket is wider, still rigorous).
//! The interpolant is polished on its support (least squares on the active columns) so the residual is at rounding
//! level rather than at the interior-point tolerance.
//!
//! **Cell merge.** Column generation alone converges slowly on the primal side when the optimal measure is atomic at
//! a direction no dictionary contains (the weight spreads over a cluster of nearby directions). The fix is exact: on
//! an activation cell C_A = {ū : ūᵀx_i > 0 for i ∈ A, ≤ 0 otherwise} — a convex cone — every feature is linear,
//! relu(ūᵀx_i) = 1{i ∈ A}·ūᵀx_i, so atoms a_j ū_j of one sign in one cell act on the data exactly as the single atom
//! w = Σ_j a_j ū_j (its direction lies in the same cone), whose norm ‖w‖ ≤ Σ_j |a_j| by the triangle inequality. Each
//! round merges such groups (the same interpolation, a smaller ℓ1 norm) and adds the merged directions to the
//! dictionary.

use super::l1_svm::{normalize_dictionary, relu_features};
use super::min_l1_interpolant::min_l1_interpolant_with_dual;
use super::sphere_sup::{self, SupOptions};
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// Options of [`min_l1_sphere`].
#[derive(Debug, Clone, Copy)]
pub struct SphereL1Options {
    /// Stop when (upper − lower) ≤ tol · upper.
    pub tol: f64,
    /// At most this many LPs.
    pub max_rounds: usize,
    /// Interior-point tolerance of the LPs.
    pub solver_tol: f64,
    /// An interpolant counts for the upper end only when ‖Φa − y‖∞ ≤ this · max(1, ‖y‖∞).
    pub residual_tol: f64,
    /// Options of the rigorous supremum bound.
    pub sup: SupOptions,
}

impl Default for SphereL1Options {
    fn default() -> Self {
        SphereL1Options {
            tol: 1e-7,
            max_rounds: 80,
            solver_tol: 1e-10,
            residual_tol: 1e-10,
            sup: SupOptions { rel_tol: 1e-9, ..SupOptions::default() },
        }
    }
}

/// The certified minimum-ℓ1 interpolant over the sphere.
#[derive(Debug, Clone)]
pub struct SphereInterpolant {
    /// Unit directions (rows) carrying the interpolant's weights.
    pub dirs: DMatrix<f64>,
    /// Signed weights a_j on `dirs`.
    pub weights: DVector<f64>,
    /// Upper end of the bracket: ‖a‖₁ of the interpolant (∞ if none met the residual tolerance).
    pub upper: f64,
    /// Its interpolation residual ‖Φa − y‖∞.
    pub residual: f64,
    /// Lower end of the bracket: cᵀy / S for the best dual point c found.
    pub lower: f64,
    /// That dual point c.
    pub dual: DVector<f64>,
    /// Rigorous upper bound S of sup_ū |g_c(ū)| for that c.
    pub dual_sup: f64,
    /// LPs solved.
    pub rounds: usize,
    /// Size of the final dictionary.
    pub dictionary: usize,
    /// Why column generation stopped early, if an LP after the first failed (the bracket is then the last one).
    pub stopped: Option<String>,
}

impl SphereInterpolant {
    /// Relative width (upper − lower)/upper of the bracket.
    pub fn rel_gap(&self) -> f64 {
        (self.upper - self.lower) / self.upper
    }
}

/// The sparsest interpolant among the largest atoms of `a`: for k = 1, 2, … ≤ n, least squares on the k columns of
/// largest |a_j|, the first whose residual ‖Φa − y‖∞ is ≤ `tol` (an interior-point LP solution spreads rounding-level
/// weight over many columns; the vertex it approximates uses ≤ n). `None` if no prefix interpolates.
fn sparsify(phi: &DMatrix<f64>, y: &DVector<f64>, a: &DVector<f64>, tol: f64) -> Option<DVector<f64>> {
    let mut order: Vec<usize> = (0..a.len()).filter(|&j| a[j] != 0.0).collect();
    order.sort_by(|&p, &q| a[q].abs().total_cmp(&a[p].abs()));
    for k in 1..=order.len().min(phi.nrows()) {
        let cols = &order[..k];
        let sol = phi.select_columns(cols).svd(true, true).solve(y, 1e-13).ok()?;
        let mut out = DVector::zeros(a.len());
        for (t, &j) in cols.iter().enumerate() {
            out[j] = sol[t];
        }
        if (phi * &out - y).amax() <= tol {
            return Some(out);
        }
    }
    None
}

/// Merges the active atoms of `a` on `dict` that share a weight sign and an activation cell on `x` (module docs): the
/// merged unit directions (rows) and weights, which give the same Φa on `x` up to rounding.
fn merge_cells(x: &DMatrix<f64>, dict: &DMatrix<f64>, a: &DVector<f64>) -> (DMatrix<f64>, DVector<f64>) {
    let big = a.amax();
    let mut groups: Vec<(Vec<bool>, bool, DVector<f64>)> = Vec::new();
    for j in (0..a.len()).filter(|&j| a[j].abs() > 1e-12 * big) {
        let u = dict.row(j).transpose();
        let cell: Vec<bool> = (0..x.nrows()).map(|i| x.row(i).dot(&u.transpose()) > 0.0).collect();
        let sign = a[j] > 0.0;
        match groups.iter_mut().find(|g| g.0 == cell && g.1 == sign) {
            Some(g) => g.2 += &u * a[j],
            None => groups.push((cell, sign, &u * a[j])),
        }
    }
    let groups: Vec<_> = groups.into_iter().filter(|g| g.2.norm() > 0.0).collect();
    let dirs = DMatrix::from_fn(groups.len(), x.ncols(), |k, c| groups[k].2[c] / groups[k].2.norm());
    let weights =
        DVector::from_fn(groups.len(), |k, _| if groups[k].1 { groups[k].2.norm() } else { -groups[k].2.norm() });
    (dirs, weights)
}

/// A local maximum of |g_c| on the sphere from `u0`, by the cell fixed point: on the activation cell of ū,
/// g_c(ū) = ūᵀv with v = Σ_{i: ūᵀx_i > 0} c_i x_i, maximized in |·| over the sphere at ±v/‖v‖; repeat while the cell
/// changes (at most 30 steps). Returns the direction and |g_c| there. Used only to propose columns — every bound uses
/// [`sphere_sup::sup_abs`].
pub(crate) fn local_max(x: &DMatrix<f64>, c: &DVector<f64>, u0: DVector<f64>) -> (DVector<f64>, f64) {
    let mut u = u0;
    let mut cell: Vec<bool> = Vec::new();
    for _ in 0..30 {
        let now: Vec<bool> = (0..x.nrows()).map(|i| x.row(i).dot(&u.transpose()) > 0.0).collect();
        if now == cell {
            break;
        }
        let mut v = DVector::zeros(x.ncols());
        for i in (0..x.nrows()).filter(|&i| now[i]) {
            v += x.row(i).transpose() * c[i];
        }
        cell = now;
        let nv = v.norm();
        if !(nv > 0.0) {
            break;
        }
        let next = if u.dot(&v) >= 0.0 { v / nv } else { -v / nv };
        let (old, new) = (
            sphere_sup::eval(x, c.as_slice(), u.as_slice()).abs(),
            sphere_sup::eval(x, c.as_slice(), next.as_slice()).abs(),
        );
        if new < old {
            break;
        }
        u = next;
    }
    let g = sphere_sup::eval(x, c.as_slice(), u.as_slice()).abs();
    (u, g)
}

/// ν* = min ‖α‖₁ over measures on S^{d−1} interpolating (x_i, y_i), bracketed as in the module docs, by column
/// generation from the directions `init` (rows, any nonzero; normalized here). The first LP must be feasible: give at
/// least n directions in general position (random ones are, almost surely, for points in general position).
///
/// Errors: shapes (len y ≠ rows of x, init of the wrong width), empty or non-finite inputs, y = 0 (the interpolant
/// is 0, nothing to bracket), a failed or infeasible LP ([`Error::Solver`]).
pub fn min_l1_sphere(
    x: &DMatrix<f64>,
    y: &DVector<f64>,
    init: &DMatrix<f64>,
    opts: &SphereL1Options,
) -> Result<SphereInterpolant> {
    let (n, d) = x.shape();
    if n == 0 || d == 0 {
        return Err(Error::Empty(format!("interpolation points {n} × {d}")));
    }
    if y.len() != n {
        return Err(Error::shape("targets y vs points", n, y.len()));
    }
    crate::error::ensure_finite("points", x.as_slice())?;
    crate::error::ensure_finite("targets", y.as_slice())?;
    if y.amax() == 0.0 {
        return Err(Error::param("targets y", "0", "the minimum-ℓ1 interpolant of y = 0 is 0; nothing to bracket"));
    }
    if !(opts.tol > 0.0 && opts.max_rounds >= 1 && opts.residual_tol > 0.0) {
        return Err(Error::param("SphereL1Options", format!("{opts:?}"), "tol > 0, max_rounds ≥ 1, residual_tol > 0"));
    }
    let mut dict = normalize_dictionary(init, d)?;
    let resid_ok = opts.residual_tol * y.amax().max(1.0);
    let mut best: Option<(DVector<f64>, f64, DMatrix<f64>)> = None; // (weights, residual, dirs)
    let (mut upper, mut lower) = (f64::INFINITY, f64::NEG_INFINITY);
    let (mut dual, mut dual_sup) = (DVector::zeros(n), f64::INFINITY);
    let mut rounds = 0;
    let mut stopped = None;
    while rounds < opts.max_rounds {
        rounds += 1;
        let phi = relu_features(x, &dict);
        let (raw, c) = match min_l1_interpolant_with_dual(&phi, y) {
            Ok((raw, _, c)) => (raw, c),
            // a later LP can stall on near-duplicate columns; the bracket so far stays rigorous
            Err(e) if rounds > 1 => {
                stopped = Some(e.to_string());
                break;
            }
            Err(e) => return Err(e),
        };
        // candidates for the upper end: the LP's interpolant and its cell merge, each polished on its support
        let (mdirs, mweights) = merge_cells(x, &dict, &raw);
        let mphi = relu_features(x, &mdirs);
        let candidates = [
            (sparsify(&mphi, y, &mweights, resid_ok).unwrap_or_else(|| mweights.clone()), mphi, mdirs),
            (sparsify(&phi, y, &raw, resid_ok).unwrap_or_else(|| raw.clone()), phi, dict.clone()),
        ];
        for (a, p, dirs) in candidates {
            let resid = (&p * &a - y).amax();
            let norm = a.lp_norm(1);
            if resid <= resid_ok && norm < upper {
                upper = norm;
                best = Some((a, resid, dirs));
            }
        }
        let s = sphere_sup::sup_abs(x, c.as_slice(), &opts.sup)?;
        if s.upper > 0.0 && c.dot(y) / s.upper > lower {
            lower = c.dot(y) / s.upper;
            dual = c.clone();
            dual_sup = s.upper;
        }
        if upper - lower <= opts.tol * upper {
            break;
        }
        // the dual is feasible on the dictionary; its most violated direction on the sphere enters, with the violated
        // local maxima of |g_c| reached from ±x_i/‖x_i‖ and from the interpolant's atoms
        if s.best <= 1.0 + 0.1 * opts.tol {
            break;
        }
        let mut starts: Vec<DVector<f64>> = vec![s.argmax.normalize()];
        for i in 0..n {
            let xi = x.row(i).transpose();
            if xi.norm() > 0.0 {
                starts.push(xi.normalize());
                starts.push(-xi.normalize());
            }
        }
        if let Some((_, _, dirs)) = &best {
            starts.extend(dirs.row_iter().map(|r| r.transpose()));
        }
        let before = dict.nrows();
        for (k, u0) in starts.into_iter().enumerate() {
            let (u, g) = if k == 0 { (u0, s.best) } else { local_max(x, &c, u0) };
            if g > 1.0 + 0.1 * opts.tol && !dict.row_iter().any(|q| (q.transpose() - &u).amax() < 1e-12) {
                let last = dict.nrows();
                dict = dict.insert_row(last, 0.0);
                dict.row_mut(last).copy_from(&u.transpose());
            }
        }
        if dict.nrows() == before {
            break;
        }
    }
    let dictionary = dict.nrows();
    let (weights, residual, dirs) = best.unwrap_or_else(|| (DVector::zeros(dictionary), f64::INFINITY, dict));
    let active: Vec<usize> = (0..weights.len()).filter(|&j| weights[j] != 0.0).collect();
    Ok(SphereInterpolant {
        dirs: dirs.select_rows(&active),
        weights: DVector::from_fn(active.len(), |k, _| weights[active[k]]),
        upper,
        residual,
        lower,
        dual,
        dual_sup,
        rounds,
        dictionary,
        stopped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;
    use rand_distr::{Distribution, StandardNormal};

    fn gaussian(n: usize, d: usize, stream: &str) -> DMatrix<f64> {
        let mut rng = seed::stream(5, &["sphere-interpolant-test", stream], 0);
        DMatrix::from_fn(n, d, |_, _| StandardNormal.sample(&mut rng))
    }

    /// One point: the cheapest measure puts |y|/‖x‖ on ū = x/‖x‖ (relu(ūᵀx) ≤ ‖x‖ with equality only there), so
    /// ν* = |y|/‖x‖ in closed form — found from a dictionary that does not contain x/‖x‖.
    #[test]
    fn one_point_closed_form() {
        let x = DMatrix::from_row_slice(1, 3, &[1.0, 2.0, -2.0]);
        let y = DVector::from_element(1, 1.5);
        let got = min_l1_sphere(&x, &y, &gaussian(12, 3, "one"), &SphereL1Options::default()).unwrap();
        assert!(got.lower <= 0.5 + 1e-12 && got.upper >= 0.5 - 1e-12, "{got:?}");
        assert!(got.rel_gap() < 1e-6 && got.residual < 1e-12, "{got:?}");
    }

    /// A planted neuron y_i = 2·relu(ū⋆ᵀx_i) on many points: ν* ≤ 2 (that measure interpolates), and with n ≫ d the
    /// planted atom is the minimum; the bracket contains 2 and the interpolant found puts its mass near ū⋆, although ū⋆
    /// was not in the starting dictionary. Weak duality holds for the returned dual point, checked by brute force on
    /// random directions: |g_c| ≤ S everywhere sampled.
    #[test]
    fn planted_neuron_is_found_without_planting_it() {
        let (n, d) = (24, 3);
        let x = gaussian(n, d, "planted");
        let star = DVector::from_row_slice(&[0.6, -0.8, 0.0]);
        let y = (&x * &star).map(|v| 2.0 * v.max(0.0));
        let got = min_l1_sphere(&x, &y, &gaussian(4 * n, d, "init"), &SphereL1Options::default()).unwrap();
        assert!(got.lower <= 2.0 + 1e-9 && got.upper >= got.lower, "{got:?}");
        assert!((got.upper - 2.0).abs() < 1e-5, "ν* = 2 expected for n ≫ d: {got:?}");
        let top =
            (0..got.weights.len()).max_by(|&a, &b| got.weights[a].abs().total_cmp(&got.weights[b].abs())).unwrap();
        assert!(got.dirs.row(top).transpose().dot(&star) > 1.0 - 1e-6, "{got:?}");
        let probe = gaussian(2000, d, "probe");
        for r in probe.row_iter() {
            let u = r.transpose().normalize();
            assert!(sphere_sup::eval(&x, got.dual.as_slice(), u.as_slice()).abs() <= got.dual_sup + 1e-12);
        }
    }

    /// Bad inputs are typed errors.
    #[test]
    fn bad_inputs() {
        let x = gaussian(4, 2, "bad");
        let init = gaussian(5, 2, "bad-init");
        let o = SphereL1Options::default();
        assert!(matches!(min_l1_sphere(&x, &DVector::zeros(3), &init, &o), Err(Error::ShapeMismatch { .. })));
        assert!(min_l1_sphere(&x, &DVector::zeros(4), &init, &o).is_err());
        let mut y = DVector::from_element(4, 1.0);
        y[1] = f64::NAN;
        assert!(matches!(min_l1_sphere(&x, &y, &init, &o), Err(Error::NonFinite { .. })));
        assert!(min_l1_sphere(&x, &DVector::from_element(4, 1.0), &gaussian(5, 3, "w"), &o).is_err());
    }
}

//! The ℓ1-SVM over ReLU features, with a two-sided certificate.
//!
//! γ_{ℓ1} = max_{‖α‖₁ ≤ 1} min_i y_i Σ_j α_j relu(ū_jᵀx_i), α a signed measure on the sphere S^{d−1}. On a dictionary of
//! unit directions ū_1..ū_k this is the LP
//!
//! maximize γ over (α⁺, α⁻ ≥ 0, γ) subject to y_i Φ_i(α⁺ − α⁻) ≥ γ (i = 1..n), 1ᵀ(α⁺ + α⁻) ≤ 1, Φ_ij = relu(ū_jᵀx_i),
//!
//! solved with `clarabel`. Neither bound trusts the solver:
//! * **lower**: the margin min_i y_i(Φα)_i/‖α‖₁ recomputed from the returned α (a feasible measure);
//! * **upper**: by LP duality γ_{ℓ1} = min_{p ∈ Δ_n} sup_{ū ∈ S^{d−1}} |Σ_i p_i y_i relu(ūᵀx_i)|, so *any* p in the
//!   simplex gives an upper bound once the supremum is bounded over the whole sphere ([`super::sphere_sup`]: exact on
//!   the circle, branch and bound with Lipschitz slack above). The LP's dual weights, clipped and renormalised onto the
//!   simplex, are used.
//!
//! Column generation closes the bracket: the direction where the dual function peaks is added to the dictionary and
//! the LP re-solved, until the relative gap is below the requested tolerance.
//!
//! The max normalized margin of a two-layer net of width m ≥ n is γ_{ℓ1}/2 (balanced form ‖Θ‖² = 2‖α‖₁).

use super::solver::{ConicProgram, Triplets, solve};
use super::sphere_sup::{self, SupOptions};
use crate::data::Dataset;
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// Validates a dictionary of directions (rows) and returns it with unit rows. Zero, NaN or infinite rows are errors.
pub fn normalize_dictionary(dirs: &DMatrix<f64>, dim: usize) -> Result<DMatrix<f64>> {
    if dirs.nrows() == 0 {
        return Err(Error::Empty("dictionary with no directions".into()));
    }
    if dirs.ncols() != dim {
        return Err(Error::shape("dictionary directions", format!("{dim} columns"), dirs.ncols()));
    }
    crate::error::ensure_finite("dictionary directions", dirs.as_slice())?;
    let mut out = dirs.clone();
    for (j, mut row) in out.row_iter_mut().enumerate() {
        let nrm = row.norm();
        if !(nrm > 1e-12) {
            return Err(Error::param("dictionary direction", j, "is zero (directions must be nonzero)"));
        }
        row /= nrm;
    }
    Ok(out)
}

/// Φ_ij = relu(ū_jᵀx_i): the n × k feature matrix of points `x` (rows) on directions `dirs` (rows).
pub fn relu_features(x: &DMatrix<f64>, dirs: &DMatrix<f64>) -> DMatrix<f64> {
    (x * dirs.transpose()).map(|v| v.max(0.0))
}

/// Options of [`l1_svm`].
#[derive(Debug, Clone, Copy)]
pub struct L1SvmOptions {
    /// Rounds of column generation (0: the dictionary as given).
    pub max_rounds: usize,
    /// Stop column generation when (upper − lower)/upper ≤ this.
    pub rel_gap: f64,
    /// Solver gap/feasibility tolerance passed to clarabel.
    pub solver_tol: f64,
    /// Options of the supremum over the sphere (dimension ≥ 3).
    pub sup: SupOptions,
}

impl Default for L1SvmOptions {
    fn default() -> Self {
        L1SvmOptions { max_rounds: 30, rel_gap: 1e-6, solver_tol: 1e-10, sup: SupOptions::default() }
    }
}

/// A certified ℓ1-SVM solution: lower ≤ γ_{ℓ1} ≤ upper over the whole sphere.
#[derive(Debug, Clone)]
pub struct L1SvmSolution {
    /// The dictionary finally used (k × d unit rows; the input plus generated columns).
    pub dirs: DMatrix<f64>,
    /// Optimal weights on `dirs`, scaled to ‖α‖₁ = 1.
    pub alpha: DVector<f64>,
    /// min_i y_i (Φα)_i / ‖α‖₁ recomputed from α: a certified lower bound on γ_{ℓ1}.
    pub lower: f64,
    /// sup over the sphere of |Σ p_i y_i relu(ūᵀx_i)|: a certified upper bound on γ_{ℓ1}.
    pub upper: f64,
    /// The dual weights p (on the simplex).
    pub p: DVector<f64>,
    /// Lipschitz / rounding slack included in `upper`.
    pub upper_slack: f64,
    /// Column-generation rounds performed.
    pub rounds: usize,
    /// Number of atoms with |α_j| > 1e-9·max|α|.
    pub support: usize,
}

impl L1SvmSolution {
    /// Relative width of the bracket, (upper − lower)/upper.
    pub fn rel_gap(&self) -> f64 {
        (self.upper - self.lower) / self.upper
    }

    /// The atoms (direction, weight) with |α_j| > `tol`·max|α|.
    pub fn atoms(&self, tol: f64) -> (DMatrix<f64>, DVector<f64>) {
        let amax = self.alpha.amax();
        let keep: Vec<usize> = (0..self.alpha.len()).filter(|&j| self.alpha[j].abs() > tol * amax).collect();
        let d = DMatrix::from_fn(keep.len(), self.dirs.ncols(), |r, c| self.dirs[(keep[r], c)]);
        let a = DVector::from_iterator(keep.len(), keep.iter().map(|&j| self.alpha[j]));
        (d, a)
    }
}

/// The raw LP solution over a fixed dictionary: α with ‖α‖₁ ≤ 1, dual p on the simplex, and whether the solver
/// reported `Solved` (true) or `AlmostSolved` (false; see [`super::solver`]'s status policy — callers recompute the
/// bracket from α and p, so a loose solve can only widen it).
///
/// Variables v = (α⁺, α⁻, t) ∈ ℝ^{2k+1}; maximize t s.t. −(ΦY)(α⁺ − α⁻) + t ≤ 0 (n margin rows),
/// 𝟙ᵀ(α⁺ + α⁻) ≤ 1 (one norm row), −v_j ≤ 0 (2k sign rows).
pub(crate) fn solve_lp(phi_y: &DMatrix<f64>, tol: f64) -> Result<(DVector<f64>, DVector<f64>, bool)> {
    let (n, k) = (phi_y.nrows(), phi_y.ncols());
    let nv = 2 * k + 1;
    let m = n + 1 + 2 * k;
    let mut a = Triplets::new(m, nv);
    for j in 0..k {
        for i in 0..n {
            let v = phi_y[(i, j)];
            if v != 0.0 {
                a.push(i, j, -v);
                a.push(i, k + j, v);
            }
        }
    }
    for i in 0..n {
        a.push(i, 2 * k, 1.0);
    }
    for j in 0..2 * k {
        a.push(n, j, 1.0);
        a.push(n + 1 + j, j, -1.0);
    }
    let mut b = vec![0.0; m];
    b[n] = 1.0;
    let mut q = vec![0.0; nv];
    q[2 * k] = -1.0;
    let sol = solve(&ConicProgram { what: "ℓ1-SVM LP", p: None, q: &q, a: &a, b: &b, equalities: 0, tol })?;
    let alpha = DVector::from_fn(k, |j, _| sol.x[j] - sol.x[k + j]);
    Ok((alpha, dual_weights(&sol.z[..n])?, sol.exact))
}

/// The LP's margin-constraint multipliers as a probability vector p = z₊/Σz₊ (negative rounding clipped to 0); a
/// solver error when they carry no mass or are not finite (a solver that returned a bogus point).
fn dual_weights(z: &[f64]) -> Result<DVector<f64>> {
    let pv = DVector::from_fn(z.len(), |i, _| z[i].max(0.0));
    let s = pv.sum();
    // f64::max drops a NaN, so finiteness is checked on z itself
    if !(s > 0.0) || !s.is_finite() || z.iter().any(|v| !v.is_finite()) {
        return Err(Error::Solver("ℓ1-SVM LP returned no usable dual weights".into()));
    }
    Ok(pv / s)
}

/// Margin min_i y_i (Φα)_i / ‖α‖₁ of weights `alpha` on unit directions `dirs` (rows) for the data.
pub fn l1_margin(data: &Dataset, dirs: &DMatrix<f64>, alpha: &DVector<f64>) -> Result<f64> {
    if dirs.nrows() != alpha.len() || dirs.ncols() != data.d() {
        return Err(Error::shape("directions × weights", format!("{} × {}", alpha.len(), data.d()), dirs.nrows()));
    }
    let l1 = alpha.lp_norm(1);
    if !(l1 > 0.0) {
        return Err(Error::param("alpha", l1, "‖α‖₁ must be > 0"));
    }
    let f = relu_features(data.x(), dirs) * alpha;
    Ok((0..data.n()).map(|i| data.y()[i] * f[i]).fold(f64::INFINITY, f64::min) / l1)
}

/// The ℓ1-SVM over a fixed finite dictionary only (no column generation, no supremum over the sphere), bracketed on
/// that dictionary: `(lower, upper)` with lower = min_i y_i(Φα)_i/‖α‖₁ of the LP's α (≤ 0 when the dictionary does
/// not separate the data) and upper = max_j |Σ_i p_i y_i φ_j(x_i)| for the LP's dual weights p clipped at 0 and
/// renormalized to the simplex (weak duality: every α with ‖α‖₁ ≤ 1 has min_i y_i(Φα)_i ≤ Σ_i p_i y_i(Φα)_i ≤ upper).
pub fn dictionary_margin(data: &Dataset, dirs: &DMatrix<f64>, solver_tol: f64) -> Result<(f64, f64)> {
    if data.task() != crate::data::Task::Binary {
        return Err(Error::param("task", "regression", "the ℓ1-SVM needs ±1 labels"));
    }
    let dirs = normalize_dictionary(dirs, data.d())?;
    let phi = relu_features(data.x(), &dirs);
    let phi_y = DMatrix::from_fn(phi.nrows(), phi.ncols(), |i, j| data.y()[i] * phi[(i, j)]);
    let (alpha, p, _exact) = solve_lp(&phi_y, solver_tol)?;
    let lower = if alpha.lp_norm(1) > 0.0 { l1_margin(data, &dirs, &alpha)? } else { 0.0 };
    let p = p.map(|v| v.max(0.0));
    let total = p.sum();
    if !(total > 0.0) {
        return Err(Error::Numerical("the LP's dual weights sum to zero".into()));
    }
    let upper = (phi_y.transpose() * (p / total)).amax();
    Ok((lower, upper))
}

/// Solves the ℓ1-SVM on the dictionary `dirs` (rows, nonzero; normalised here) with column generation, and
/// certifies lower ≤ γ_{ℓ1} ≤ upper over the whole sphere. Errors: bad shapes, zero/NaN directions, a solver status
/// other than Solved/AlmostSolved (an AlmostSolved point is used only through the recomputed bracket), and [`Error::NotSeparable`] when the certified upper bound is ≤ 0 (no ReLU combination
/// separates the data) or no positive margin is found.
pub fn l1_svm(data: &Dataset, dirs: &DMatrix<f64>, opts: &L1SvmOptions) -> Result<L1SvmSolution> {
    if data.task() != crate::data::Task::Binary {
        return Err(Error::param("task", "regression", "the ℓ1-SVM needs ±1 labels"));
    }
    if !(opts.rel_gap >= 0.0 && opts.solver_tol > 0.0) {
        return Err(Error::param("L1SvmOptions", format!("{opts:?}"), "rel_gap ≥ 0 and solver_tol > 0"));
    }
    let mut dirs = normalize_dictionary(dirs, data.d())?;
    let mut rounds = 0;
    loop {
        let phi = relu_features(data.x(), &dirs);
        let phi_y = DMatrix::from_fn(phi.nrows(), phi.ncols(), |i, j| data.y()[i] * phi[(i, j)]);
        let (alpha, p, _exact) = solve_lp(&phi_y, opts.solver_tol)?;
        let l1 = alpha.lp_norm(1);
        let lower = if l1 > 0.0 { l1_margin(data, &dirs, &alpha)? } else { 0.0 };
        let c: Vec<f64> = (0..data.n()).map(|i| p[i] * data.y()[i]).collect();
        let sup = sphere_sup::sup_abs(data.x(), &c, &opts.sup)?;
        let upper = sup.upper;
        if upper <= 1e-9 * data.max_norm() || (rounds >= opts.max_rounds && lower <= 0.0) {
            return Err(Error::NotSeparable(format!(
                "no ReLU combination separates the data: certified γ_ℓ1 ≤ {upper:.3e}, best found {lower:.3e}"
            )));
        }
        let gap = (upper - lower) / upper;
        if rounds >= opts.max_rounds || gap <= opts.rel_gap || sup.best <= lower * (1.0 + 1e-12) {
            if lower <= 0.0 {
                return Err(Error::NotSeparable(format!(
                    "no positive margin found (best {lower:.3e}, certified upper {upper:.3e})"
                )));
            }
            let alpha = &alpha / l1;
            let amax = alpha.amax();
            let support = alpha.iter().filter(|a| a.abs() > 1e-9 * amax).count();
            return Ok(L1SvmSolution { dirs, alpha, lower, upper, p, upper_slack: sup.slack, rounds, support });
        }
        // column generation: add the peak direction of the dual function
        let k = dirs.nrows();
        dirs = dirs.insert_row(k, 0.0);
        for c in 0..dirs.ncols() {
            dirs[(k, c)] = sup.argmax[c];
        }
        rounds += 1;
    }
}

/// Reduces a combination f = Σ_j α_j relu(ū_jᵀx) to at most n atoms without changing any margin y_i f(x_i) and
/// without increasing ‖α‖₁ (the support argument of ICLR'19 Lemma B.1 / Claims B.3–B.4, done constructively).
///
/// While more than n atoms remain: pick n + 1 of them (the smallest, plus one more row for ‖α‖₁ when more than n + 1
/// remain), find δ ≠ 0 on them with Φδ = 0 (a null vector from an SVD, residual checked), and move α + tδ until the
/// first atom reaches zero, in the direction that does not increase Σ_j sign(α_j)δ_j. Returns the surviving atoms.
pub fn reduce_support(
    x: &DMatrix<f64>,
    dirs: &DMatrix<f64>,
    alpha: &DVector<f64>,
) -> Result<(DMatrix<f64>, DVector<f64>)> {
    let n = x.nrows();
    if dirs.nrows() != alpha.len() || dirs.ncols() != x.ncols() {
        return Err(Error::shape("directions × weights", format!("{} × {}", alpha.len(), x.ncols()), dirs.nrows()));
    }
    crate::error::ensure_finite("weights", alpha.as_slice())?;
    let amax = alpha.amax();
    let mut keep: Vec<usize> = (0..alpha.len()).filter(|&j| alpha[j] != 0.0 && alpha[j].abs() > 1e-14 * amax).collect();
    let mut a: Vec<f64> = alpha.iter().copied().collect();
    let phi = relu_features(x, dirs);
    let scale = phi.amax().max(f64::MIN_POSITIVE);
    let mut guard = 0;
    while keep.len() > n {
        guard += 1;
        if guard > 10 * alpha.len() + 10 {
            return Err(Error::Numerical("support reduction did not terminate".into()));
        }
        keep.sort_by(|&p, &q| a[p].abs().partial_cmp(&a[q].abs()).unwrap_or(std::cmp::Ordering::Equal));
        let with_norm = keep.len() > n + 1;
        let cols: Vec<usize> = keep[..if with_norm { n + 2 } else { n + 1 }].to_vec();
        let c = cols.len();
        let rows = if with_norm { n + 1 } else { n };
        // square system padded with zero rows: the right singular vector of the smallest singular value is a null vector
        let mut m = DMatrix::zeros(c, c);
        for (jj, &j) in cols.iter().enumerate() {
            for i in 0..n {
                m[(i, jj)] = phi[(i, j)] / scale;
            }
            if with_norm {
                m[(n, jj)] = a[j].signum();
            }
        }
        let svd = m.clone().try_svd(false, true, 1e-14, 10_000).ok_or_else(|| Error::Numerical("SVD failed".into()))?;
        let vt = svd.v_t.ok_or_else(|| Error::Numerical("SVD without V".into()))?;
        let (kmin, _) = svd
            .singular_values
            .iter()
            .enumerate()
            .fold((0, f64::INFINITY), |b, (i, s)| if *s < b.1 { (i, *s) } else { b });
        let delta: Vec<f64> = (0..c).map(|jj| vt[(kmin, jj)]).collect();
        let resid = (m.rows(0, rows) * DVector::from_vec(delta.clone())).amax();
        if resid > 1e-9 {
            return Err(Error::Numerical(format!("support reduction: null-vector residual {resid:.2e}")));
        }
        let slope: f64 = cols.iter().zip(&delta).map(|(&j, d)| a[j].signum() * d).sum();
        // candidate directions: ±δ; allowed if ‖α‖₁ does not increase
        let mut best: Option<(f64, usize, f64)> = None; // (t, index to zero, direction sign)
        for sgn in [1.0, -1.0] {
            if sgn * slope > 1e-12 {
                continue;
            }
            let mut tmin = f64::INFINITY;
            let mut arg = usize::MAX;
            for (jj, &j) in cols.iter().enumerate() {
                let dj = sgn * delta[jj];
                if a[j] * dj < 0.0 {
                    let t = -a[j] / dj;
                    if t < tmin {
                        tmin = t;
                        arg = jj;
                    }
                }
            }
            if arg != usize::MAX && best.is_none_or(|b| tmin < b.0) {
                best = Some((tmin, arg, sgn));
            }
        }
        let (t, arg, sgn) = best.ok_or_else(|| Error::Numerical("support reduction: no admissible step".into()))?;
        for (jj, &j) in cols.iter().enumerate() {
            a[j] += t * sgn * delta[jj];
        }
        a[cols[arg]] = 0.0;
        keep.retain(|&j| a[j] != 0.0);
    }
    keep.sort_unstable();
    let d = DMatrix::from_fn(keep.len(), dirs.ncols(), |r, c| dirs[(keep[r], c)]);
    let w = DVector::from_iterator(keep.len(), keep.iter().map(|&j| a[j]));
    Ok((d, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Multipliers become a probability vector; zero, infinite or NaN mass is refused, not divided by.
    #[test]
    fn dual_weights_normalize_and_refuse_massless_or_non_finite_multipliers() {
        let p = dual_weights(&[0.5, -1e-12, 1.5]).unwrap();
        assert_eq!(p.as_slice(), &[0.25, 0.0, 0.75]);
        for bad in [vec![0.0, 0.0], vec![-1.0, 0.0], vec![f64::INFINITY, 1.0], vec![f64::NAN, 1.0]] {
            assert!(matches!(dual_weights(&bad), Err(Error::Solver(_))), "{bad:?} accepted");
        }
    }
    use crate::data::sphere;

    fn xor2() -> Dataset {
        // XOR in 2-D, no bias: separable by ReLU features (four neurons)
        let x = DMatrix::from_row_slice(4, 2, &[1.0, 1.0, -1.0, -1.0, 1.0, -1.0, -1.0, 1.0]);
        Dataset::binary(x, DVector::from_vec(vec![1.0, 1.0, -1.0, -1.0])).unwrap()
    }

    #[test]
    fn xor_closed_form() {
        // α = ¼[δ_{(1,1)/√2} + δ_{−(1,1)/√2} − δ_{(1,−1)/√2} − δ_{(−1,1)/√2}] gives y f = √2/4 on every point;
        // the dual p = uniform gives sup = √2/4 too, so γ_ℓ1 = √2/4 exactly.
        let sol = l1_svm(&xor2(), &sphere::circle(16).unwrap(), &L1SvmOptions::default()).unwrap();
        let exact = 2f64.sqrt() / 4.0;
        assert!((sol.lower - exact).abs() < 1e-7, "lower {}", sol.lower);
        assert!(sol.upper >= exact - 1e-12 && sol.upper - exact < 1e-7, "upper {}", sol.upper);
    }

    #[test]
    fn column_generation_closes_gap_on_a_coarse_dictionary() {
        let x = DMatrix::from_row_slice(5, 2, &[-1.0, 1.0, -0.4, 1.0, 0.1, 1.0, 0.5, 1.0, 0.9, 1.0]);
        let ds = Dataset::binary(x, DVector::from_vec(vec![1.0, -1.0, 1.0, -1.0, 1.0])).unwrap();
        let sol = l1_svm(&ds, &sphere::circle(7).unwrap(), &L1SvmOptions::default()).unwrap();
        assert!(sol.lower <= sol.upper + 1e-12);
        assert!(sol.rel_gap() < 1e-5, "gap {}", sol.rel_gap());
        let (d, a) = reduce_support(ds.x(), &sol.dirs, &sol.alpha).unwrap();
        assert!(a.len() <= ds.n());
        let m = l1_margin(&ds, &d, &a).unwrap();
        assert!(m >= sol.lower * (1.0 - 1e-9), "reduced margin {m} < {}", sol.lower);
    }

    #[test]
    fn dictionary_margin_brackets_the_finite_lp_and_sees_a_non_separating_dictionary() {
        // two points on a line with a bias, opposite labels: the dictionary {(1, 0)} gives relu(x) ≥ 0 at both points
        // of x ≥ 0 — it cannot separate them — while adding (−1, 1) (active at the left point only) can
        let x = DMatrix::from_row_slice(2, 2, &[0.0, 1.0, 1.0, 1.0]);
        let ds = Dataset::binary(x, DVector::from_vec(vec![1.0, -1.0])).unwrap();
        let one = DMatrix::from_row_slice(1, 2, &[1.0, 0.0]);
        let (lo, hi) = dictionary_margin(&ds, &one, 1e-10).unwrap();
        assert!(lo <= 1e-9 && hi <= 1e-9 && lo <= hi + 1e-12, "[{lo}, {hi}]");
        let two = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, -1.0, 1.0]);
        let (lo, hi) = dictionary_margin(&ds, &two, 1e-10).unwrap();
        // closed form: α on (−1,1)/√2 alone gives margins (1/√2, 0)·… ; the LP optimum is positive and bracketed
        assert!(lo > 0.0 && lo <= hi * (1.0 + 1e-8), "[{lo}, {hi}]");
        let sol = l1_svm(&ds, &two, &L1SvmOptions::default()).unwrap();
        assert!(hi <= sol.upper * (1.0 + 1e-8), "a finite dictionary cannot beat the sphere: {hi} > {}", sol.upper);
    }

    #[test]
    fn non_separable_and_bad_dictionaries() {
        // x and 2x with opposite labels: relu(ūᵀ2x) = 2relu(ūᵀx), no homogeneous feature separates them
        let x = DMatrix::from_row_slice(2, 2, &[1.0, 0.5, 2.0, 1.0]);
        let ds = Dataset::binary(x, DVector::from_vec(vec![1.0, -1.0])).unwrap();
        let e = l1_svm(&ds, &sphere::circle(32).unwrap(), &L1SvmOptions::default());
        assert!(matches!(e, Err(Error::NotSeparable(_))), "{e:?}");
        let mut bad = sphere::circle(8).unwrap();
        bad[(3, 0)] = 0.0;
        bad[(3, 1)] = 0.0;
        assert!(matches!(l1_svm(&xor2(), &bad, &L1SvmOptions::default()), Err(Error::InvalidParameter { .. })));
        bad[(3, 0)] = f64::NAN;
        assert!(matches!(l1_svm(&xor2(), &bad, &L1SvmOptions::default()), Err(Error::NonFinite { .. })));
    }
}

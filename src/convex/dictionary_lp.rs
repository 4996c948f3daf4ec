//! The ℓ1-SVM LP over a large *fixed* dictionary, solved exactly by row and column generation.
//!
//! Over unit directions ū_1..ū_k (the dictionary) and points (x_i, y_i), i = 1..n, with Φ_ij = relu(ū_jᵀx_i), the LP is
//!
//! (P) γ_D = max_{‖α‖₁ ≤ 1} min_i y_i (Φα)_i,  with dual  (D) γ_D = min_{p ∈ Δ_n} max_j |Σ_i p_i y_i Φ_ij|.
//!
//! Building (P) for n = 1000 points and k = 8000 directions gives an interior-point KKT system with a dense
//! 1000 × 16000 block; factorising it is what made `repro width --tier full` run for more than 25 minutes. The optimum
//! is sparse (few active directions, few support points), so this module never builds the n × 2k LP:
//!
//! 1. keep a working set R of points and C of directions (start: `init_points` evenly spaced points, and the
//!    `init_dirs` directions most correlated with the labels on R, i.e. the largest |Σ_{i∈R} y_i Φ_ij|);
//! 2. solve the restricted LP on R × C with [`super::l1_svm`]'s clarabel LP, giving α_C and dual weights p_R ∈ Δ_R,
//!    and its value γ_RC = min_{i∈R} y_i(Φα)_i/‖α‖₁ (recomputed from α);
//! 3. **price columns**: g_j = Σ_{i∈R} p_i y_i Φ_ij for *every* j; add the directions with |g_j| > γ_RC + slack,
//!    most violated first, at most `add_dirs` per round (the restricted dual p is infeasible for (D) on them);
//! 4. **price rows**: m_i = y_i(Φα)_i/‖α‖₁ for *every* point i; add the points with m_i < γ_RC − slack, most violated
//!    first, at most `add_points` per round (α is not feasible at level γ_RC on them);
//! 5. repeat until neither adds (or the bracket below has closed to `tol`). Sets only grow, so this terminates.
//!
//! The result does not trust the solver: for the final α (extended by zero off C, any weights) and p (extended by zero
//! off R, clipped and renormalised onto the simplex) weak duality gives
//!
//! lower = min_{i ≤ n} y_i(Φα)_i/‖α‖₁ ≤ γ_D ≤ max_{j ≤ k} |Σ_{i ≤ n} p_i y_i Φ_ij| = upper,
//!
//! since min_i y_i(Φα)_i ≤ Σ_i p_i y_i (Φα)_i = Σ_j α_j (Σ_i p_i y_i Φ_ij) ≤ ‖α‖₁ max_j |Σ_i p_i y_i Φ_ij|. Both sides
//! are recomputed here over *all* n points and *all* k directions. When neither pricing step adds anything,
//! γ_RC − slack ≤ lower and upper ≤ γ_RC + slack, so the bracket has relative width ≈ 2·`tol`.
//!
//! This bounds the *dictionary* LP value γ_D ≤ γ_ℓ1 (the whole-sphere value); for a whole-sphere upper bound use
//! [`super::l1_svm::l1_svm`].

use super::l1_svm::{normalize_dictionary, solve_lp};
use crate::data::{Dataset, Task};
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};
use rayon::prelude::*;

/// Options of [`dictionary_lp`].
#[derive(Debug, Clone, Copy)]
pub struct DictionaryLpOptions {
    /// Relative pricing slack: a column is added when |g_j| > γ_RC + tol·|γ_RC| (+ 1e-12·max‖x_i‖), a point when
    /// m_i < γ_RC − tol·|γ_RC| (− the same); also stop once (upper − lower) ≤ tol·upper.
    pub tol: f64,
    /// Gap/feasibility tolerance of the restricted LPs (clarabel).
    pub solver_tol: f64,
    /// Size of the initial point set R (evenly spaced indices; all points when n is smaller).
    pub init_points: usize,
    /// Size of the initial direction set C (the most label-correlated directions on R).
    pub init_dirs: usize,
    /// At most this many points added per round.
    pub add_points: usize,
    /// At most this many directions added per round.
    pub add_dirs: usize,
    /// At most this many restricted LPs are solved.
    pub max_rounds: usize,
}

impl Default for DictionaryLpOptions {
    fn default() -> Self {
        DictionaryLpOptions {
            tol: 1e-7,
            solver_tol: 1e-10,
            init_points: 200,
            init_dirs: 200,
            add_points: 100,
            add_dirs: 200,
            max_rounds: 100,
        }
    }
}

/// What one round of [`dictionary_lp`] saw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DictionaryLpRound {
    /// |R| of the restricted LP solved in this round.
    pub points: usize,
    /// |C| of the restricted LP solved in this round.
    pub dirs: usize,
    /// γ_RC: the restricted LP's margin on R, recomputed from α.
    pub gamma: f64,
    /// min over all n points of the margin of this round's α (a lower bound on γ_D).
    pub lower: f64,
    /// max over all k directions of |Σ_i p_i y_i Φ_ij| for this round's p (an upper bound on γ_D).
    pub upper: f64,
    /// Points added after this round.
    pub added_points: usize,
    /// Directions added after this round.
    pub added_dirs: usize,
    /// Wall time of the restricted LP solve, seconds.
    pub lp_seconds: f64,
    /// The solver tolerance the restricted LP was accepted at (`solver_tol`, or 100× / 10⁴× it after an
    /// `AlmostSolved` status; the bracket does not depend on it).
    pub solver_tol: f64,
}

/// The dictionary LP value γ_D bracketed by a primal α and a dual p that are both checked on the full problem.
#[derive(Debug, Clone)]
pub struct DictionaryLpSolution {
    /// Weights on the k dictionary directions (zero off the working set), scaled to ‖α‖₁ = 1.
    pub alpha: DVector<f64>,
    /// Dual weights on the n points (zero off the working set), on the simplex.
    pub p: DVector<f64>,
    /// min_i y_i(Φα)_i over all n points: a lower bound on γ_D.
    pub lower: f64,
    /// max_j |Σ_i p_i y_i Φ_ij| over all k directions: an upper bound on γ_D.
    pub upper: f64,
    /// Final working set of point indices (sorted).
    pub points: Vec<usize>,
    /// Final working set of direction indices (sorted).
    pub dirs: Vec<usize>,
    /// Number of directions with |α_j| > 1e-9·max|α|.
    pub support: usize,
    /// Number of points with p_i > 1e-9·max p.
    pub support_points: usize,
    /// Per-round record.
    pub rounds: Vec<DictionaryLpRound>,
    /// True when the loop stopped because neither pricing step added anything (or the bracket closed to `tol`),
    /// false when `max_rounds` ran out first (the bracket is still valid, only wider).
    pub converged: bool,
}

impl DictionaryLpSolution {
    /// Relative width of the bracket, (upper − lower)/upper.
    pub fn rel_gap(&self) -> f64 {
        (self.upper - self.lower) / self.upper
    }
}

/// Row-major copy of the rows `idx` of `m`.
fn rows_of(m: &DMatrix<f64>, idx: &[usize]) -> Vec<f64> {
    let d = m.ncols();
    let mut out = Vec::with_capacity(idx.len() * d);
    for &i in idx {
        out.extend((0..d).map(|c| m[(i, c)]));
    }
    out
}

fn relu_dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(u, v)| u * v).sum::<f64>().max(0.0)
}

/// g_j = Σ_{r} w_r relu(ū_jᵀx_r) for every direction j (rows of `dirs_rm`, row-major k × d), points `x_rm` (row-major).
fn price_columns(x_rm: &[f64], w: &[f64], dirs_rm: &[f64], d: usize) -> Vec<f64> {
    dirs_rm.par_chunks(d).map(|u| x_rm.chunks(d).zip(w).map(|(x, wi)| wi * relu_dot(x, u)).sum()).collect()
}

/// f_i = Σ_{c} a_c relu(ū_cᵀx_i) for every point i (rows of `x_rm`), directions `dirs_rm` with weights `a`.
fn evaluate(x_rm: &[f64], dirs_rm: &[f64], a: &[f64], d: usize) -> Vec<f64> {
    x_rm.par_chunks(d).map(|x| dirs_rm.chunks(d).zip(a).map(|(u, ac)| ac * relu_dot(x, u)).sum()).collect()
}

/// The restricted LP at tolerance `tol`; when clarabel stops short of it (status other than Solved — typically
/// `AlmostSolved` on a degenerate restricted problem) retried at 100× and 10⁴× the tolerance. Accepting a looser solve
/// is safe here: the bracket is recomputed from α and p on the full problem and pricing only steers the working sets.
fn solve_restricted(phi_y: &DMatrix<f64>, tol: f64) -> Result<(DVector<f64>, DVector<f64>, f64)> {
    let mut last = None;
    for t in [tol, 1e2 * tol, 1e4 * tol] {
        match solve_lp(phi_y, t) {
            Ok((a, p, true)) => return Ok((a, p, t)),
            Ok((_, _, false)) => {
                last = Some(Error::Solver(format!("restricted LP only AlmostSolved at tolerance {t:.0e}")))
            }
            Err(Error::Solver(msg)) => last = Some(Error::Solver(format!("{msg} (at tolerances {tol:.0e} … {t:.0e})"))),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| Error::Solver("restricted LP".into())))
}

/// Indices `cand` sorted by `key` ascending (most violated first), truncated to `cap`.
fn most_violated(mut cand: Vec<(usize, f64)>, cap: usize) -> Vec<usize> {
    cand.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    cand.into_iter().take(cap).map(|(i, _)| i).collect()
}

/// Solves the ℓ1-SVM LP over the fixed dictionary `dirs` (k × d rows, nonzero; normalised here) by row and column
/// generation and returns the value bracketed by certificates checked on all points and all directions (module doc).
///
/// Errors: a regression dataset, bad options, an empty dictionary ([`Error::Empty`]), NaN/∞ directions
/// ([`Error::NonFinite`]), zero directions ([`Error::InvalidParameter`]), a wrong dimension ([`Error::ShapeMismatch`]),
/// a restricted LP not solved even at 10⁴ × `solver_tol` ([`Error::Solver`]), and [`Error::NotSeparable`] when the certified upper bound is
/// ≤ 1e-9·max‖x_i‖ or the converged margin is ≤ 0 (no combination of the dictionary separates the data).
pub fn dictionary_lp(data: &Dataset, dirs: &DMatrix<f64>, opts: &DictionaryLpOptions) -> Result<DictionaryLpSolution> {
    if data.task() != Task::Binary {
        return Err(Error::param("task", "regression", "the ℓ1-SVM needs ±1 labels"));
    }
    let o = opts;
    if !(o.tol >= 0.0 && o.tol.is_finite() && o.solver_tol > 0.0)
        || o.init_points == 0
        || o.init_dirs == 0
        || o.add_points == 0
        || o.add_dirs == 0
        || o.max_rounds == 0
    {
        return Err(Error::param(
            "DictionaryLpOptions",
            format!("{o:?}"),
            "tol ≥ 0, solver_tol > 0, and all sizes and max_rounds ≥ 1",
        ));
    }
    let dirs = normalize_dictionary(dirs, data.d())?;
    let (n, k, d) = (data.n(), dirs.nrows(), data.d());
    let scale = data.max_norm();
    let abs_slack = 1e-12 * scale;
    let x_all = rows_of(data.x(), &(0..n).collect::<Vec<_>>());
    let u_all = rows_of(&dirs, &(0..k).collect::<Vec<_>>());
    let y: Vec<f64> = data.y().iter().copied().collect();

    // initial working sets
    let mut in_r = vec![false; n];
    let mut points: Vec<usize> = if o.init_points >= n {
        (0..n).collect()
    } else {
        let mut v: Vec<usize> = (0..o.init_points).map(|t| t * n / o.init_points).collect();
        v.dedup();
        v
    };
    points.iter().for_each(|&i| in_r[i] = true);
    let mut in_c = vec![false; k];
    let mut cols: Vec<usize> = if o.init_dirs >= k {
        (0..k).collect()
    } else {
        let w: Vec<f64> = points.iter().map(|&i| y[i]).collect();
        let g = price_columns(&rows_of(data.x(), &points), &w, &u_all, d);
        most_violated(g.iter().enumerate().map(|(j, v)| (j, -v.abs())).collect(), o.init_dirs)
    };
    cols.iter().for_each(|&j| in_c[j] = true);

    let mut rounds = Vec::new();
    loop {
        // restricted LP on R × C
        let x_r = rows_of(data.x(), &points);
        let u_c = rows_of(&dirs, &cols);
        let phi_y = DMatrix::from_fn(points.len(), cols.len(), |r, c| {
            y[points[r]] * relu_dot(&x_r[r * d..(r + 1) * d], &u_c[c * d..(c + 1) * d])
        });
        let t0 = std::time::Instant::now();
        let (alpha_c, p_r, solver_tol) = solve_restricted(&phi_y, o.solver_tol)?;
        let lp_seconds = t0.elapsed().as_secs_f64();
        let l1 = alpha_c.lp_norm(1);
        // margins of α on all points (0 when the LP returned α ≈ 0, i.e. γ_RC ≤ 0 up to the solver tolerance)
        let margins: Vec<f64> = if l1 > 1e-300 {
            evaluate(&x_all, &u_c, alpha_c.as_slice(), d).iter().zip(&y).map(|(f, yi)| yi * f / l1).collect()
        } else {
            vec![0.0; n]
        };
        let lower = margins.iter().copied().fold(f64::INFINITY, f64::min);
        let gamma = points.iter().map(|&i| margins[i]).fold(f64::INFINITY, f64::min);
        let w: Vec<f64> = points.iter().zip(p_r.iter()).map(|(&i, pi)| pi * y[i]).collect();
        let g = price_columns(&x_r, &w, &u_all, d);
        let upper = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if !(upper.is_finite() && lower.is_finite()) {
            return Err(Error::Numerical(format!("dictionary LP: non-finite bracket [{lower}, {upper}]")));
        }
        if upper <= 1e-9 * scale {
            return Err(Error::NotSeparable(format!(
                "no combination of the {k} directions separates the data: certified γ_D ≤ {upper:.3e}"
            )));
        }
        let slack = o.tol * gamma.abs() + abs_slack;
        let new_cols = most_violated(
            (0..k).filter(|&j| !in_c[j] && g[j].abs() > gamma + slack).map(|j| (j, -g[j].abs())).collect(),
            o.add_dirs,
        );
        let new_points = most_violated(
            (0..n).filter(|&i| !in_r[i] && margins[i] < gamma - slack).map(|i| (i, margins[i])).collect(),
            o.add_points,
        );
        let closed = upper - lower <= o.tol * upper;
        let done = closed || (new_cols.is_empty() && new_points.is_empty());
        let (na, nc) = if done { (0, 0) } else { (new_points.len(), new_cols.len()) };
        rounds.push(DictionaryLpRound {
            points: points.len(),
            dirs: cols.len(),
            gamma,
            lower,
            upper,
            added_points: na,
            added_dirs: nc,
            lp_seconds,
            solver_tol,
        });
        if done || rounds.len() >= o.max_rounds {
            if !(lower > 0.0) {
                return Err(Error::NotSeparable(format!(
                    "no positive margin on the {k} directions (best {lower:.3e}, certified γ_D ≤ {upper:.3e})"
                )));
            }
            let mut alpha = DVector::zeros(k);
            for (c, &j) in cols.iter().enumerate() {
                alpha[j] = alpha_c[c] / l1;
            }
            let mut p = DVector::zeros(n);
            for (r, &i) in points.iter().enumerate() {
                p[i] = p_r[r];
            }
            let amax = alpha.amax();
            let pmax = p.amax();
            let support = alpha.iter().filter(|a| a.abs() > 1e-9 * amax).count();
            let support_points = p.iter().filter(|v| **v > 1e-9 * pmax).count();
            points.sort_unstable();
            cols.sort_unstable();
            return Ok(DictionaryLpSolution {
                alpha,
                p,
                lower,
                upper,
                points,
                dirs: cols,
                support,
                support_points,
                rounds,
                converged: done,
            });
        }
        for i in new_points {
            in_r[i] = true;
            points.push(i);
        }
        for j in new_cols {
            in_c[j] = true;
            cols.push(j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convex::l1_svm::{l1_margin, relu_features};
    use crate::data::Teacher;
    use crate::data::sphere;

    /// Each invalid option alone is refused with a typed error (not only when several are bad at once).
    #[test]
    fn every_invalid_option_alone_is_refused() {
        let (ds, dirs) = teacher_problem(1, 3, 20, 3);
        let good = DictionaryLpOptions::default();
        let bad: Vec<DictionaryLpOptions> = vec![
            DictionaryLpOptions { tol: -1.0, ..good },
            DictionaryLpOptions { tol: f64::INFINITY, ..good },
            DictionaryLpOptions { solver_tol: 0.0, ..good },
            DictionaryLpOptions { init_points: 0, ..good },
            DictionaryLpOptions { init_dirs: 0, ..good },
            DictionaryLpOptions { add_points: 0, ..good },
            DictionaryLpOptions { add_dirs: 0, ..good },
            DictionaryLpOptions { max_rounds: 0, ..good },
        ];
        for o in bad {
            assert!(matches!(dictionary_lp(&ds, &dirs, &o), Err(Error::InvalidParameter { .. })), "{o:?} accepted");
        }
    }

    /// The plain LP over the whole dictionary (one clarabel solve, no working sets): its value recomputed from α.
    fn plain_value(ds: &Dataset, dirs: &DMatrix<f64>) -> f64 {
        let u = normalize_dictionary(dirs, ds.d()).unwrap();
        let phi = relu_features(ds.x(), &u);
        let phi_y = DMatrix::from_fn(ds.n(), u.nrows(), |i, j| ds.y()[i] * phi[(i, j)]);
        let (alpha, _, _) = solve_lp(&phi_y, 1e-10).unwrap();
        l1_margin(ds, &u, &alpha).unwrap()
    }

    fn teacher_problem(seed: u64, d: usize, n: usize, k: usize) -> (Dataset, DMatrix<f64>) {
        let mut rng = crate::seed::stream(seed, &["test", "dictionary_lp"], 0);
        let t = Teacher::random(d, 6, &mut rng).unwrap();
        let ds = t.classification(n, 0.05, &mut rng).unwrap();
        (ds, sphere::uniform(d, k, &mut rng).unwrap())
    }

    #[test]
    fn agrees_with_the_plain_lp_on_random_problems() {
        for (seed, d, n, k) in [(1, 3, 60, 150), (2, 5, 80, 300), (3, 8, 120, 400), (4, 2, 40, 64)] {
            let (ds, dict) = teacher_problem(seed, d, n, k);
            let opts = DictionaryLpOptions {
                init_points: 15,
                init_dirs: 10,
                add_points: 7,
                add_dirs: 9,
                ..Default::default()
            };
            let sol = dictionary_lp(&ds, &dict, &opts).unwrap();
            let plain = plain_value(&ds, &dict);
            assert!(sol.converged, "seed {seed}: {:?}", sol.rounds);
            assert!(sol.rounds.len() > 1, "seed {seed}: the working sets should have had to grow");
            assert!(sol.lower <= sol.upper * (1.0 + 1e-12), "seed {seed}: {} > {}", sol.lower, sol.upper);
            assert!(sol.rel_gap() < 1e-6, "seed {seed}: gap {}", sol.rel_gap());
            // the plain LP's primal value can exceed neither our dual bound, nor fall below our primal by more than tol
            assert!(plain <= sol.upper * (1.0 + 1e-9), "seed {seed}: plain {plain} > upper {}", sol.upper);
            assert!((plain - sol.lower).abs() <= 1e-6 * plain, "seed {seed}: plain {plain} vs lower {}", sol.lower);
            // the returned α and p are what the bracket says, recomputed independently
            let u = normalize_dictionary(&dict, ds.d()).unwrap();
            let m = l1_margin(&ds, &u, &sol.alpha).unwrap();
            assert!((m - sol.lower).abs() <= 1e-12 * m.abs().max(1.0), "seed {seed}");
            let corr = relu_features(ds.x(), &u).transpose() * sol.p.component_mul(ds.y());
            assert!((corr.amax() - sol.upper).abs() <= 1e-12, "seed {seed}");
            assert!((sol.p.sum() - 1.0).abs() < 1e-12 && sol.p.min() >= 0.0);
        }
    }

    /// Teacher-like scale (d = 20, n = 400, k = 1500): the plain LP is still solvable in a few minutes.
    /// `cargo test --lib dictionary_lp -- --ignored`.
    #[test]
    #[ignore]
    fn agrees_with_the_plain_lp_at_teacher_scale() {
        let mut rng = crate::seed::stream(7, &["test", "dictionary_lp", "teacher"], 0);
        let t = Teacher::random(20, 10, &mut rng).unwrap();
        let ds = t.classification(400, 0.1, &mut rng).unwrap();
        let dict = sphere::uniform(20, 1500, &mut rng).unwrap();
        let t0 = std::time::Instant::now();
        let sol = dictionary_lp(&ds, &dict, &DictionaryLpOptions::default()).unwrap();
        let t1 = t0.elapsed().as_secs_f64();
        let plain = plain_value(&ds, &dict);
        let t2 = t0.elapsed().as_secs_f64() - t1;
        eprintln!(
            "working sets: [{}, {}] in {} rounds, {t1:.1} s; plain LP {plain} in {t2:.1} s",
            sol.lower,
            sol.upper,
            sol.rounds.len()
        );
        assert!(sol.converged && sol.rel_gap() < 1e-6);
        assert!(plain <= sol.upper * (1.0 + 1e-9) && (plain - sol.lower).abs() <= 1e-6 * plain);
    }

    #[test]
    fn one_round_when_the_working_set_is_everything() {
        let (ds, dict) = teacher_problem(5, 4, 30, 40);
        let opts = DictionaryLpOptions { init_points: 1000, init_dirs: 1000, ..Default::default() };
        let sol = dictionary_lp(&ds, &dict, &opts).unwrap();
        assert_eq!(sol.rounds.len(), 1);
        assert!((sol.lower - plain_value(&ds, &dict)).abs() < 1e-7);
    }

    #[test]
    fn non_separable_and_bad_dictionaries() {
        // x and 2x with opposite labels: relu(ūᵀ2x) = 2relu(ūᵀx), no dictionary separates them
        let x = DMatrix::from_row_slice(3, 2, &[1.0, 0.5, 2.0, 1.0, -1.0, 0.3]);
        let ds = Dataset::binary(x, DVector::from_vec(vec![1.0, -1.0, 1.0])).unwrap();
        let opts = DictionaryLpOptions { init_points: 1, init_dirs: 2, ..Default::default() };
        let e = dictionary_lp(&ds, &sphere::circle(32).unwrap(), &opts);
        assert!(matches!(e, Err(Error::NotSeparable(_))), "{e:?}");
        let (ds, _) = teacher_problem(6, 2, 20, 8);
        let mut bad = sphere::circle(8).unwrap();
        bad[(3, 0)] = 0.0;
        bad[(3, 1)] = 0.0;
        assert!(matches!(dictionary_lp(&ds, &bad, &opts), Err(Error::InvalidParameter { .. })));
        bad[(3, 0)] = f64::NAN;
        assert!(matches!(dictionary_lp(&ds, &bad, &opts), Err(Error::NonFinite { .. })));
        assert!(matches!(dictionary_lp(&ds, &DMatrix::zeros(0, 2), &opts), Err(Error::Empty(_))));
        assert!(matches!(
            dictionary_lp(&ds, &sphere::circle(8).unwrap().transpose(), &opts),
            Err(Error::ShapeMismatch { .. })
        ));
        let zero = DictionaryLpOptions { add_dirs: 0, ..opts };
        assert!(matches!(dictionary_lp(&ds, &sphere::circle(8).unwrap(), &zero), Err(Error::InvalidParameter { .. })));
    }
}

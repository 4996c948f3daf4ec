//! The one door to the conic solver (clarabel): every LP/QP of the crate is posed as
//!
//! ```text
//!   minimize ½ vᵀPv + qᵀv   subject to   A v + s = b,   s ∈ {0}^{m₀} × ℝ₊^{m₁}
//! ```
//!
//! (the first m₀ rows equalities, the rest inequalities A v ≤ b), solved with explicit gap/feasibility tolerances,
//! at most 200 iterations, verbose off. Solver types never leave this file.
//!
//! **Status policy.** `Solved` and `AlmostSolved` return a [`ConicSolution`] whose [`ConicSolution::exact`] says
//! which; every other status is an [`Error::Solver`]. No caller trusts the solver's numbers: each recomputes its own
//! certificate (a primal value from the returned point, a dual bound from the returned multipliers) and decides from
//! that, so an `AlmostSolved` point can only yield a verdict when the recomputed certificate closes — otherwise the
//! bracket stays open and the claim is Inconclusive.

use crate::{Error, Result};
use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettingsBuilder, DefaultSolver, IPSolver, NonnegativeConeT, SolverStatus, SupportedConeT, ZeroConeT,
};
use nalgebra::DMatrix;

/// A sparse m × n matrix given by (row, column, value) triplets; repeated positions add up.
#[derive(Clone, Debug)]
pub(crate) struct Triplets {
    rows: usize,
    cols: usize,
    entries: Vec<(usize, usize, f64)>,
}

impl Triplets {
    /// An empty m × n matrix.
    pub(crate) fn new(rows: usize, cols: usize) -> Self {
        Triplets { rows, cols, entries: Vec::new() }
    }

    /// Adds `v` at (i, j).
    pub(crate) fn push(&mut self, i: usize, j: usize, v: f64) {
        self.entries.push((i, j, v));
    }

    /// The nonzero entries of a dense matrix.
    pub(crate) fn from_dense(a: &DMatrix<f64>) -> Self {
        let mut t = Triplets::new(a.nrows(), a.ncols());
        for j in 0..a.ncols() {
            for i in 0..a.nrows() {
                if a[(i, j)] != 0.0 {
                    t.push(i, j, a[(i, j)]);
                }
            }
        }
        t
    }

    fn to_csc(&self) -> CscMatrix<f64> {
        let (ri, (ci, vv)): (Vec<usize>, (Vec<usize>, Vec<f64>)) =
            self.entries.iter().map(|&(i, j, v)| (i, (j, v))).unzip();
        CscMatrix::new_from_triplets(self.rows, self.cols, ri, ci, vv)
    }
}

/// A conic program in the form of the module doc. `p` (upper triangle used) is `None` for an LP.
pub(crate) struct ConicProgram<'a> {
    /// What the program is, for error messages.
    pub what: &'a str,
    /// Quadratic term P (n × n, upper triangle), or `None` for an LP.
    pub p: Option<&'a Triplets>,
    /// Linear term q (length n).
    pub q: &'a [f64],
    /// Constraint matrix A (m × n).
    pub a: &'a Triplets,
    /// Right-hand side b (length m).
    pub b: &'a [f64],
    /// m₀: the first `equalities` rows are equalities; the rest are A v ≤ b.
    pub equalities: usize,
    /// Gap and feasibility tolerance.
    pub tol: f64,
}

/// The solver's point: primal v and dual multipliers z (one per row of A, ≥ 0 on inequality rows). No objective value
/// is handed out: callers recompute whatever they decide on from the point.
#[derive(Clone, Debug)]
pub(crate) struct ConicSolution {
    /// Primal variables.
    pub x: Vec<f64>,
    /// Dual multipliers of the rows of A.
    pub z: Vec<f64>,
    /// True for status `Solved`, false for `AlmostSolved` (see the module's status policy).
    pub exact: bool,
}

/// Solves `prog`; see the module doc for the status policy.
pub(crate) fn solve(prog: &ConicProgram) -> Result<ConicSolution> {
    let n = prog.q.len();
    let m = prog.b.len();
    if prog.a.rows != m || prog.a.cols != n || prog.equalities > m {
        return Err(Error::shape(
            "conic program: A vs (len b, len q)",
            format!("{m} × {n}"),
            format!("{} × {}", prog.a.rows, prog.a.cols),
        ));
    }
    if !(prog.tol > 0.0) {
        return Err(Error::param("solver tolerance", prog.tol, "must be > 0"));
    }
    let p = match prog.p {
        Some(t) if t.rows != n || t.cols != n => {
            return Err(Error::shape("conic program: P", format!("{n} × {n}"), format!("{} × {}", t.rows, t.cols)));
        }
        Some(t) => t.to_csc(),
        None => CscMatrix::zeros((n, n)),
    };
    let mut cones: Vec<SupportedConeT<f64>> = Vec::new();
    if prog.equalities > 0 {
        cones.push(ZeroConeT(prog.equalities));
    }
    if m > prog.equalities {
        cones.push(NonnegativeConeT(m - prog.equalities));
    }
    let settings = DefaultSettingsBuilder::default()
        .verbose(false)
        .tol_gap_abs(prog.tol)
        .tol_gap_rel(prog.tol)
        .tol_feas(prog.tol)
        .max_iter(200)
        .build()
        .map_err(|e| Error::Solver(format!("{}: solver settings: {e:?}", prog.what)))?;
    let mut solver = DefaultSolver::new(&p, prog.q, &prog.a.to_csc(), prog.b, &cones, settings)
        .map_err(|e| Error::Solver(format!("{}: solver setup: {e:?}", prog.what)))?;
    solver.solve();
    let sol = &solver.solution;
    let exact = match sol.status {
        SolverStatus::Solved => true,
        SolverStatus::AlmostSolved => false,
        s => return Err(Error::Solver(format!("{} ended with status {s:?}", prog.what))),
    };
    Ok(ConicSolution { x: sol.x.clone(), z: sol.z.clone(), exact })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// min −v₁ − v₂ s.t. v₁ + v₂ = 1 (equality), v ≥ 0: value −1 exactly.
    #[test]
    fn lp_with_equality_and_inequalities() {
        let mut a = Triplets::new(3, 2);
        a.push(0, 0, 1.0);
        a.push(0, 1, 1.0);
        a.push(1, 0, -1.0);
        a.push(2, 1, -1.0);
        let prog = ConicProgram {
            what: "test LP",
            p: None,
            q: &[-1.0, -1.0],
            a: &a,
            b: &[1.0, 0.0, 0.0],
            equalities: 1,
            tol: 1e-10,
        };
        let s = solve(&prog).unwrap();
        assert!(s.exact);
        assert!((s.x[0] + s.x[1] - 1.0).abs() < 1e-8);
    }

    /// min ½v² − v: v = 1, value −½.
    #[test]
    fn qp_and_bad_shapes() {
        let mut p = Triplets::new(1, 1);
        p.push(0, 0, 1.0);
        let a = Triplets::from_dense(&DMatrix::from_element(1, 1, -1.0));
        let prog =
            ConicProgram { what: "test QP", p: Some(&p), q: &[-1.0], a: &a, b: &[0.0], equalities: 0, tol: 1e-10 };
        let s = solve(&prog).unwrap();
        assert!((s.x[0] - 1.0).abs() < 1e-7, "{s:?}");
        let bad = ConicProgram { b: &[0.0, 1.0], ..prog };
        assert!(matches!(solve(&bad), Err(Error::ShapeMismatch { .. })));
    }

    /// An infeasible LP (v ≤ −1 and v ≥ 0) is a typed solver error, not a number.
    #[test]
    fn infeasible_is_an_error() {
        let a = Triplets::from_dense(&DMatrix::from_column_slice(2, 1, &[1.0, -1.0]));
        let prog = ConicProgram {
            what: "infeasible LP",
            p: None,
            q: &[1.0],
            a: &a,
            b: &[-1.0, 0.0],
            equalities: 0,
            tol: 1e-9,
        };
        assert!(matches!(solve(&prog), Err(Error::Solver(_))));
    }
}

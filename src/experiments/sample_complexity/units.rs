//! The sweep's units of work: one kernel unit (the four kernel methods) and one net unit per (master seed, d,
//! replicate), their estimated costs, running them, and assembling their curves into a [`Sweep`].
//!
//! Canonical order: d in the configuration's order, then replicate, then kernel before net — the order of the
//! sweep's curves (d, replicate, method), so [`assemble`] gives the same [`Sweep`] for any set of results that covers
//! the units exactly once, however they were computed.

use super::{Curve, KERNEL_METHODS, Sweep, SweepConfig, kernel_curves, net_curve};
use crate::experiments::shard::check_cover;
use crate::{Error, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which half of a replicate a unit computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// The four kernel methods ([`KERNEL_METHODS`]) on one pool, test sample and held-out pool.
    Kernel,
    /// The weakly regularized net.
    Net,
}

/// The key of one unit of work. Its randomness is the ChaCha streams derived from (seed, label, d, replicate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unit {
    /// Master seed.
    pub seed: u64,
    /// Input dimension.
    pub d: usize,
    /// Replicate index.
    pub replicate: usize,
    /// Kernel methods or net.
    pub family: Family,
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fam = match self.family {
            Family::Kernel => "kernel",
            Family::Net => "net",
        };
        write!(f, "seed {} d {} replicate {} {fam}", self.seed, self.d, self.replicate)
    }
}

/// A unit and its curves (four kernel curves in [`KERNEL_METHODS`] order, or the one net curve).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitResult {
    /// Which unit.
    pub unit: Unit,
    /// Its curves.
    pub curves: Vec<Curve>,
}

/// Every unit of the sweep, in canonical order (net units only when the sweep trains nets).
pub fn units(cfg: &SweepConfig, seed: u64) -> Vec<Unit> {
    let mut out = Vec::new();
    for &d in &cfg.dims {
        for replicate in 0..cfg.replicates {
            out.push(Unit { seed, d, replicate, family: Family::Kernel });
            if cfg.with_net {
                out.push(Unit { seed, d, replicate, family: Family::Net });
            }
        }
    }
    out
}

/// Estimated cost of a unit in seconds on one core (only ratios matter: they balance the shards), fitted to replicate
/// 0 of the full and xl tiers on one core. Kernel: the grid stops near n ≈ d², each n costing an eigendecomposition,
/// an SVM and the oracle's normal equations on 20n held-out points; measured ≈ 1.4·10⁻⁷·d^4.5 s at d = 24 … 48 and
/// growing like d^6.5 from there (0.86, 5.3, 34 s at d = 32, 48, 64), so max(1.4·10⁻⁷·d^4.5, 6.2·10⁻¹¹·d^6.5), scaled
/// by the held-out factor. Net: L-BFGS on up to 8d–16d points, ≈ 0.024·restarts·(width/8)·d s.
pub fn cost(cfg: &SweepConfig, unit: &Unit) -> f64 {
    let d = unit.d as f64;
    match unit.family {
        Family::Kernel => (cfg.holdout_factor as f64 + 5.0) / 25.0 * (1.4e-7 * d.powf(4.5)).max(6.2e-11 * d.powf(6.5)),
        Family::Net => 0.024 * cfg.net_restarts as f64 * (cfg.net_width as f64 / 8.0) * d,
    }
}

/// Runs one unit.
pub fn run_unit(cfg: &SweepConfig, unit: &Unit) -> Result<UnitResult> {
    let curves = match unit.family {
        Family::Kernel => kernel_curves(cfg, unit.seed, unit.d, unit.replicate)?,
        Family::Net => vec![net_curve(cfg, unit.seed, unit.d, unit.replicate)?],
    };
    Ok(UnitResult { unit: *unit, curves })
}

/// Runs the given units in parallel (rayon); results in the order of `units`, the first error returned.
pub fn run_units(cfg: &SweepConfig, units: &[Unit]) -> Result<Vec<UnitResult>> {
    cfg.validate()?;
    units.par_iter().map(|u| run_unit(cfg, u)).collect()
}

/// The sweep from unit results in any order: checks that they cover the configuration's units exactly once and that
/// each result holds the curves its unit computes, then lays the curves out in canonical order.
pub fn assemble(cfg: &SweepConfig, seed: u64, results: Vec<UnitResult>) -> Result<Sweep> {
    let expected = units(cfg, seed);
    let keys: Vec<Unit> = results.iter().map(|r| r.unit).collect();
    check_cover(&expected, &[("the results", &keys)])?;
    let mut by_unit: BTreeMap<Unit, Vec<Curve>> = BTreeMap::new();
    for r in results {
        let want: Vec<&str> = match r.unit.family {
            Family::Kernel => KERNEL_METHODS.to_vec(),
            Family::Net => vec!["net"],
        };
        let got: Vec<&str> = r.curves.iter().map(|c| c.method.as_str()).collect();
        let placed = r.curves.iter().all(|c| c.d == r.unit.d && c.replicate == r.unit.replicate);
        if got != want || !placed {
            return Err(Error::Merge(format!(
                "unit [{}] holds curves {got:?} (d, replicate as recorded), expected {want:?} at its own d and replicate",
                r.unit
            )));
        }
        by_unit.insert(r.unit, r.curves);
    }
    let mut curves = Vec::new();
    for u in &expected {
        curves.extend(by_unit.remove(u).unwrap_or_default());
    }
    Ok(Sweep { config: cfg.clone(), curves })
}

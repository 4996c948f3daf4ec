//! The robustness sweep: the same checks at many master seeds, with per-check verdict counts, the worst seed and the
//! margin by which each check's rule was met or missed there.
//!
//! A verdict is worth something only if it does not depend on which master seed was the default. A sweep runs the
//! selected checks once per master seed (each run exactly as `verify --seed S` would, so any seed of the table can be
//! replayed alone) and reports, per check, how often it got its expected verdict (Supported for a claim, Refuted for a
//! control), the seed where it came closest to failing, and that seed's margin on the expected side — the
//! [`crate::stats::Margin`] of its rule in the rule's own units (`support` for a claim, `refute` for a control).

use super::{Kind, Outcome, RunConfig, Suite};
use crate::stats::Verdict;
use crate::{Error, Result};
use serde::Serialize;
use std::str::FromStr;

/// The largest sweep accepted (a typed error beyond, instead of an allocation that cannot succeed).
pub const MAX_SEEDS: usize = 100_000;

/// Which master seeds a sweep runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedSet {
    /// `count` seeds derived from a base seed: S_i = seed::derive(base, ["robustness"], i), i = 0..count.
    Derived {
        /// Number of seeds.
        count: usize,
    },
    /// The literal seeds a, a + 1, …, b − 1.
    Range(u64, u64),
}

impl FromStr for SeedSet {
    type Err = Error;

    /// `N` (N derived seeds) or `A..B` (the literal seeds A to B − 1), at most [`MAX_SEEDS`] seeds.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || {
            Error::param("seeds", s, "expected N (derived seeds) or A..B (literal seeds A to B − 1), 1 to 100000 seeds")
        };
        if let Some((a, b)) = s.split_once("..") {
            let (a, b): (u64, u64) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
            if b <= a || b - a > MAX_SEEDS as u64 {
                return Err(bad());
            }
            return Ok(SeedSet::Range(a, b));
        }
        let count: usize = s.trim().parse().map_err(|_| bad())?;
        if count == 0 || count > MAX_SEEDS {
            return Err(bad());
        }
        Ok(SeedSet::Derived { count })
    }
}

impl SeedSet {
    /// The master seeds, in order; `base` is the run's `--seed` (used by [`SeedSet::Derived`]).
    pub fn seeds(&self, base: u64) -> Vec<u64> {
        match *self {
            SeedSet::Derived { count } => {
                (0..count as u64).map(|i| crate::seed::derive(base, &["robustness"], i)).collect()
            }
            SeedSet::Range(a, b) => (a..b).collect(),
        }
    }
}

/// One check at one seed.
#[derive(Debug, Clone, Serialize)]
pub struct SeedOutcome {
    /// The master seed.
    pub seed: u64,
    /// The verdict there.
    pub verdict: Verdict,
    /// The rule's margin on the expected side (None when the rule reports none).
    pub margin: Option<f64>,
    /// The part of the rule that binds the margin.
    pub part: String,
    /// The error message, if the check failed to run.
    pub error: Option<String>,
}

/// One check across the sweep.
#[derive(Debug, Clone, Serialize)]
pub struct CheckRobustness {
    /// Check id.
    pub id: String,
    /// Claim or control.
    pub kind: Kind,
    /// The expected verdict (Supported for a claim, Refuted for a control).
    pub expected: Verdict,
    /// Seeds at which the check got each verdict.
    pub supported: usize,
    /// See `supported`.
    pub refuted: usize,
    /// See `supported`.
    pub inconclusive: usize,
    /// The seed where the check came closest to (or went furthest past) failing: a seed with an unexpected verdict if
    /// there is one, else the smallest expected-side margin.
    pub worst_seed: u64,
    /// That seed's expected-side margin.
    pub worst_margin: Option<f64>,
    /// The part of the rule that binds it.
    pub worst_part: String,
    /// Every seed's outcome, in seed order.
    pub per_seed: Vec<SeedOutcome>,
}

impl CheckRobustness {
    /// Seeds at which the check got its expected verdict.
    pub fn as_expected(&self) -> usize {
        self.per_seed.iter().filter(|s| s.verdict == self.expected).count()
    }

    /// Seeds at which a claim was Refuted or a control Supported (the errors that must never happen).
    pub fn opposite(&self) -> usize {
        match self.expected {
            Verdict::Supported => self.refuted,
            _ => self.supported,
        }
    }
}

/// The whole sweep.
#[derive(Debug, Clone, Serialize)]
pub struct Robustness {
    /// Tier of every run.
    pub tier: &'static str,
    /// The master seeds, in order.
    pub seeds: Vec<u64>,
    /// One row per check, in suite order.
    pub checks: Vec<CheckRobustness>,
}

impl Robustness {
    /// True when every check got its expected verdict at every seed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.as_expected() == self.seeds.len())
    }

    /// Builds the per-check summary from one run per seed (each run's outcomes in the same suite order).
    pub fn from_runs(tier: &'static str, seeds: Vec<u64>, runs: &[Vec<Outcome>]) -> Result<Self> {
        if runs.len() != seeds.len() || runs.is_empty() {
            return Err(Error::shape("robustness: runs vs seeds", seeds.len(), runs.len()));
        }
        let mut checks = Vec::new();
        for (j, first) in runs[0].iter().enumerate() {
            let expected = if first.kind == Kind::Control { Verdict::Refuted } else { Verdict::Supported };
            let mut per_seed = Vec::with_capacity(seeds.len());
            for (seed, run) in seeds.iter().zip(runs) {
                let o = run.get(j).filter(|o| o.id == first.id).ok_or_else(|| {
                    Error::Numerical(format!("robustness: run at seed {seed} does not list {} at {j}", first.id))
                })?;
                let m = o.evidence.margin.as_ref();
                let margin = m.map(|m| if expected == Verdict::Supported { m.support } else { m.refute });
                per_seed.push(SeedOutcome {
                    seed: *seed,
                    verdict: o.verdict(),
                    margin: margin.filter(|v| v.is_finite()),
                    part: m
                        .map(|m| if expected == Verdict::Supported { m.part.clone() } else { m.refute_part.clone() })
                        .unwrap_or_default(),
                    error: o.error.clone(),
                });
            }
            let count = |v: Verdict| per_seed.iter().filter(|s| s.verdict == v).count();
            // Worst: an unexpected verdict first (earliest seed), else the smallest margin, else the first seed.
            let worst = per_seed
                .iter()
                .find(|s| s.verdict != expected)
                .or_else(|| {
                    per_seed
                        .iter()
                        .filter(|s| s.margin.is_some())
                        .min_by(|a, b| a.margin.unwrap_or(f64::INFINITY).total_cmp(&b.margin.unwrap_or(f64::INFINITY)))
                })
                .unwrap_or(&per_seed[0]);
            checks.push(CheckRobustness {
                id: first.id.clone(),
                kind: first.kind,
                expected,
                supported: count(Verdict::Supported),
                refuted: count(Verdict::Refuted),
                inconclusive: count(Verdict::Inconclusive),
                worst_seed: worst.seed,
                worst_margin: worst.margin,
                worst_part: worst.part.clone(),
                per_seed,
            });
        }
        Ok(Robustness { tier, seeds, checks })
    }
}

impl Suite {
    /// Runs the selected checks of `config` once per seed of `seeds` (the config's own seed is the base of derived
    /// seeds), calling `on_seed(i, seeds)` as seed i finishes, and summarizes them. Seeds run one after another, the
    /// checks of each in parallel as in [`Suite::run_with`]; the result does not depend on the schedule.
    pub fn run_seeds(
        &self,
        config: &RunConfig,
        seeds: &SeedSet,
        on_seed: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Robustness> {
        let list = seeds.seeds(config.seed);
        let mut runs = Vec::with_capacity(list.len());
        for (i, s) in list.iter().enumerate() {
            let mut c = config.clone();
            c.seed = *s;
            runs.push(self.run(&c)?.outcomes);
            on_seed(i + 1, list.len());
        }
        Robustness::from_runs(config.tier.as_str(), list, &runs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::{Claim, Context, Evidence, Tier};
    use crate::stats::Decision;

    /// A check whose verdict depends on the seed's parity, with a margin equal to the seed mod 7.
    struct Parity(&'static str);
    impl Claim for Parity {
        fn id(&self) -> &str {
            self.0
        }
        fn check(&self, ctx: &mut Context) -> crate::Result<Evidence> {
            let m = (ctx.seed % 7) as f64;
            let v = if ctx.seed % 2 == 0 { Verdict::Supported } else { Verdict::Inconclusive };
            Ok(Evidence::from_decision(Decision::new(v, "parity").with_margin(m, -m)))
        }
    }

    const TOML: &str = r#"
[[claim]]
id = "user.parity"
kind = "claim"
source = "test"
statement = "even seeds"
"#;

    #[test]
    fn seed_sets_parse_and_derive_deterministically() {
        assert_eq!("3".parse::<SeedSet>().unwrap(), SeedSet::Derived { count: 3 });
        assert_eq!("10..13".parse::<SeedSet>().unwrap().seeds(0), vec![10, 11, 12]);
        for bad in ["0", "5..5", "x", "3..1", "", "0..18446744073709551615", "100001"] {
            assert!(bad.parse::<SeedSet>().is_err(), "{bad}");
        }
        let a = SeedSet::Derived { count: 4 }.seeds(7);
        assert_eq!(a, SeedSet::Derived { count: 4 }.seeds(7));
        assert_eq!(a.len(), 4);
        assert_ne!(a, SeedSet::Derived { count: 4 }.seeds(8));
    }

    #[test]
    fn counts_worst_seed_and_margin() {
        let suite = Suite::empty().with_manifest(TOML).unwrap().with(Parity("user.parity"));
        let r = suite.run_seeds(&RunConfig::new(Tier::Quick, 0), &SeedSet::Range(10, 15), &|_, _| {}).unwrap();
        assert_eq!(r.seeds, vec![10, 11, 12, 13, 14]);
        let c = &r.checks[0];
        assert_eq!((c.supported, c.refuted, c.inconclusive), (3, 0, 2));
        assert_eq!(c.as_expected(), 3);
        assert_eq!(c.opposite(), 0);
        // the first unexpected verdict is the worst seed
        assert_eq!(c.worst_seed, 11);
        assert!(!r.passed());
        // with only even seeds: every verdict as expected; the worst is the smallest margin (14 mod 7 = 0)
        let r = suite.run_seeds(&RunConfig::new(Tier::Quick, 0), &SeedSet::Range(12, 13), &|_, _| {}).unwrap();
        assert!(r.passed());
        let even = Suite::empty().with_manifest(TOML).unwrap().with(Parity("user.parity"));
        let seeds = SeedSet::Range(12, 15);
        let r = even.run_seeds(&RunConfig::new(Tier::Quick, 0), &seeds, &|_, _| {}).unwrap();
        let c = &r.checks[0];
        assert_eq!(c.per_seed.iter().map(|s| s.margin).collect::<Vec<_>>(), vec![Some(5.0), Some(6.0), Some(0.0)]);
        assert_eq!(c.worst_seed, 13, "seed 13 is inconclusive, so it is the worst");
    }
}

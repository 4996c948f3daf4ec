//! The sample-complexity figure as a job that can run whole, or as shards merged later: the configuration a partial
//! result file records, the shard run, and the merge.
//!
//! A partial of this job ([`JobPartial`]) has `"experiment": "sample-complexity"`, `"config"` = [`Job`] (seed, tier
//! name and the full [`SweepConfig`]), unit keys [`Unit`] and results [`UnitResult`] (format in
//! [`crate::experiments::shard`]). The unsharded run and the merge both end in [`super::units::assemble`] and
//! [`super::fit`], so a merge of shards that cover the job exactly once gives the very same [`SampleComplexity`].

use super::units::{assemble, cost, run_units, units};
use super::{Label, SampleComplexity, SweepConfig, Unit, UnitResult, cached, fit};
use crate::experiments::shard::{Partial, Shard, check_cover, check_same_config};
use crate::tier::Tier;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The experiment name in partial files.
pub const EXPERIMENT: &str = "sample-complexity";

/// A partial result file of the sample-complexity job.
pub type JobPartial = Partial<Job, Unit, UnitResult>;

/// Everything the figure's results depend on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    /// Master seed.
    pub seed: u64,
    /// Tier name ("quick", "full", "xl"), or "custom" for a sweep read from a file; written into the figure's JSON.
    pub tier: String,
    /// The sweep.
    pub sweep: SweepConfig,
}

impl Job {
    /// The XOR sweep with nets at `tier`.
    pub fn for_tier(tier: Tier, seed: u64) -> Job {
        Job { seed, tier: tier.as_str().to_string(), sweep: SweepConfig::for_tier(tier, Label::Xor, true) }
    }

    /// A sweep given in full (tier name "custom").
    pub fn custom(sweep: SweepConfig, seed: u64) -> Job {
        Job { seed, tier: "custom".to_string(), sweep }
    }

    /// Every unit of the job, canonical order.
    pub fn units(&self) -> Vec<Unit> {
        units(&self.sweep, self.seed)
    }

    /// The units of `shard` (balanced by [`cost`]), canonical order.
    pub fn shard_units(&self, shard: Shard) -> Vec<Unit> {
        let all = self.units();
        let costs: Vec<f64> = all.iter().map(|u| cost(&self.sweep, u)).collect();
        shard.slice(&costs).into_iter().map(|i| all[i]).collect()
    }

    /// Runs the units of `shard` and returns the partial result.
    pub fn run_shard(&self, shard: Shard) -> Result<JobPartial> {
        self.sweep.validate()?;
        let mine = self.shard_units(shard);
        let results = run_units(&self.sweep, &mine)?;
        Partial::new(EXPERIMENT, self.clone(), shard, mine, results)
    }

    /// Runs the whole job in this process (sharing the sweep with the claims through the memo) and fits the slopes.
    pub fn run(&self) -> Result<SampleComplexity> {
        fit(cached(&self.sweep, self.seed)?, self.seed)
    }
}

/// Merges named partials: they must share one configuration ([`check_same_config`]), each must hold the results of
/// exactly the units it lists, and together they must cover the job's units exactly once ([`check_cover`]). Returns
/// the job and the figure, identical to [`Job::run`] on the same job.
pub fn merge(parts: Vec<(String, JobPartial)>) -> Result<(Job, SampleComplexity)> {
    check_same_config(&parts)?;
    let job = parts[0].1.config.clone();
    if parts[0].1.experiment != EXPERIMENT {
        return Err(Error::Merge(format!(
            "{}: experiment {:?}, expected {EXPERIMENT:?}",
            parts[0].0, parts[0].1.experiment
        )));
    }
    job.sweep.validate()?;
    for (name, p) in &parts {
        if let Some((u, r)) = p.units.iter().zip(&p.results).find(|(u, r)| **u != r.unit) {
            return Err(Error::Merge(format!(
                "{name}: unit [{u}] is listed but the result in its place is [{}]",
                r.unit
            )));
        }
    }
    let lists: Vec<(&str, &[Unit])> = parts.iter().map(|(n, p)| (n.as_str(), p.units.as_slice())).collect();
    check_cover(&job.units(), &lists)?;
    let results: Vec<UnitResult> = parts.into_iter().flat_map(|(_, p)| p.results).collect();
    let sweep = assemble(&job.sweep, job.seed, results)?;
    let figure = fit(Arc::new(sweep), job.seed)?;
    Ok((job, figure))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiments::sample_complexity::Family;

    #[test]
    fn xl_shards_partition_the_units_and_spread_the_largest() {
        let job = Job::for_tier(Tier::Xl, 1);
        let all = job.units();
        assert_eq!(all.len(), 8 * 16 * 2);
        let mut seen = Vec::new();
        for k in 1..=16 {
            let mine = job.shard_units(Shard::new(k, 16).unwrap());
            assert_eq!(mine.len(), 16);
            let big = mine.iter().filter(|u| u.d == 96 && u.family == Family::Kernel).count();
            assert_eq!(big, 1, "shard {k}/16 holds {big} of the d = 96 kernel units");
            seen.extend(mine);
        }
        seen.sort();
        let mut want = all.clone();
        want.sort();
        assert_eq!(seen, want);
    }

    #[test]
    fn partial_survives_json_bit_for_bit() {
        let mut job = Job::custom(SweepConfig::for_tier(Tier::Quick, Label::Xor, false), 2);
        job.sweep.dims = vec![4, 6];
        job.sweep.replicates = 2;
        let part = job.run_shard(Shard::new(1, 2).unwrap()).unwrap();
        let back: JobPartial = serde_json::from_str(&serde_json::to_string(&part).unwrap()).unwrap();
        assert_eq!(back.results, part.results);
        assert_eq!(back.config, part.config);
    }
}

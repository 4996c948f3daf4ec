//! Shards: a long computation split into independent units of work, the k-th of K deterministic balanced slices of
//! them, the partial result file one slice produces, and the checks that partials can be merged.
//!
//! **Units.** An experiment lists its units of work in a canonical order (for the sample-complexity sweep: one per
//! (master seed, d, replicate, kernel-or-net)). Every unit draws its randomness from its own ChaCha stream, derived from
//! its key alone, so a unit's result is the same whichever shard, process or thread runs it.
//!
//! **Slices.** `Shard { index: k, count: K }` with 1 ≤ k ≤ K (written `k/K`, as in `--shard 2/3`). The units are sorted
//! by estimated cost, largest first (ties keep the canonical order), and dealt to the K shards in snake order
//! 1, 2, …, K, K, …, 2, 1, 1, 2, …: every shard gets ⌊N/K⌋ or ⌈N/K⌉ units and a similar mix of large and small ones.
//! Within a shard the units keep the canonical order.
//!
//! **Partial result file** (JSON, [`Partial`]):
//! ```text
//! { "format": "regmatters-partial/1",       // PARTIAL_FORMAT
//!   "experiment": "sample-complexity",
//!   "config_hash": "fnv1a64:0123456789abcdef", // FNV-1a 64 of the compact JSON of "config"
//!   "config": { … },                          // everything the results depend on
//!   "shard": { "index": 2, "count": 3 },
//!   "units": [ key, … ],                      // the unit keys this file covers
//!   "results": [ result, … ] }                // one per unit, in the order of "units"
//! ```
//!
//! **Merging** ([`check_same_config`], [`check_cover`]): the partials must carry one configuration (equal hashes, and
//! each hash must match its own configuration) and their unit lists must cover the configuration's units exactly
//! once. Every violation is named: the files whose configuration differs, the units missing, the units present in
//! more than one file (with the files), and units that do not belong to the configuration.
//!
//! **From the environment** ([`Shard::from_env`]): a Slurm job array sets `SLURM_ARRAY_TASK_ID`,
//! `SLURM_ARRAY_TASK_COUNT` and `SLURM_ARRAY_TASK_MIN` (k = ID − MIN + 1, K = COUNT; the array must be contiguous,
//! `SLURM_ARRAY_TASK_STEP` = 1); a Kubernetes indexed Job sets `JOB_COMPLETION_INDEX` (0-based, k = index + 1) and
//! the count comes from `REGMATTERS_SHARD_COUNT` (set it to the Job's `completions`).

use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Display;

/// The format tag of a partial result file.
pub const PARTIAL_FORMAT: &str = "regmatters-partial/1";

/// The environment variable that gives the shard count next to `JOB_COMPLETION_INDEX`.
pub const SHARD_COUNT_VAR: &str = "REGMATTERS_SHARD_COUNT";

/// The k-th (1-based) of K slices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// k, 1 ≤ k ≤ count.
    pub index: usize,
    /// K ≥ 1.
    pub count: usize,
}

impl Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = Error;
    /// Parses `k/K`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = |why: &str| Error::param("shard", s, why);
        let (k, n) = s.split_once('/').ok_or_else(|| bad("expected k/K, e.g. 2/3"))?;
        let index: usize = k.trim().parse().map_err(|_| bad("k in k/K must be a whole number"))?;
        let count: usize = n.trim().parse().map_err(|_| bad("K in k/K must be a whole number"))?;
        Shard::new(index, count).map_err(|_| bad("need 1 ≤ k ≤ K (k is 1-based)"))
    }
}

impl Shard {
    /// The k-th of K slices; errors unless 1 ≤ k ≤ K.
    pub fn new(index: usize, count: usize) -> Result<Shard> {
        if count == 0 || index == 0 || index > count {
            return Err(Error::param("shard", format!("{index}/{count}"), "need 1 ≤ k ≤ K (k is 1-based)"));
        }
        Ok(Shard { index, count })
    }

    /// The shard a scheduler assigned through the environment, with the variables it came from; `None` outside a job
    /// array. `var` looks a variable up (pass `|k| std::env::var(k).ok()`). Slurm is read first, then Kubernetes.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Option<(Shard, &'static str)>> {
        let num = |name: &str| -> Result<Option<usize>> {
            match var(name) {
                None => Ok(None),
                Some(v) => v
                    .trim()
                    .parse::<usize>()
                    .map(Some)
                    .map_err(|_| Error::param(name, &v, "must be a non-negative whole number")),
            }
        };
        if let Some(id) = num("SLURM_ARRAY_TASK_ID")? {
            let count = num("SLURM_ARRAY_TASK_COUNT")?
                .ok_or_else(|| Error::param("SLURM_ARRAY_TASK_COUNT", "unset", "needed next to SLURM_ARRAY_TASK_ID"))?;
            let step = num("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1);
            if step != 1 {
                return Err(Error::param("SLURM_ARRAY_TASK_STEP", step, "the job array must be contiguous (step 1)"));
            }
            let min = num("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let index = id
                .checked_sub(min)
                .map(|k| k + 1)
                .ok_or_else(|| Error::param("SLURM_ARRAY_TASK_ID", id, "is below SLURM_ARRAY_TASK_MIN"))?;
            let shard = Shard::new(index, count)
                .map_err(|_| Error::param("SLURM_ARRAY_TASK_ID", id, "outside MIN … MIN + COUNT − 1"))?;
            return Ok(Some((shard, "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT")));
        }
        if let Some(idx) = num("JOB_COMPLETION_INDEX")? {
            let count = num(SHARD_COUNT_VAR)?.ok_or_else(|| {
                Error::param(SHARD_COUNT_VAR, "unset", "needed next to JOB_COMPLETION_INDEX (set it to completions)")
            })?;
            let shard = Shard::new(idx + 1, count)
                .map_err(|_| Error::param("JOB_COMPLETION_INDEX", idx, "must be below REGMATTERS_SHARD_COUNT"))?;
            return Ok(Some((shard, "JOB_COMPLETION_INDEX/REGMATTERS_SHARD_COUNT")));
        }
        Ok(None)
    }

    /// The shard to run: an explicit `k/K` (or `off`: no sharding, whatever the environment says), else the
    /// environment's ([`Shard::from_env`]), else none. Returns the shard and where it came from.
    pub fn resolve(
        explicit: Option<&str>,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<(Shard, &'static str)>> {
        match explicit {
            Some("off") => Ok(None),
            Some(s) => Ok(Some((s.parse()?, "--shard"))),
            None => Shard::from_env(var),
        }
    }

    /// Positions (into `costs`) of the units of this shard, ascending: the snake deal of the cost-sorted units.
    pub fn slice(&self, costs: &[f64]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..costs.len()).collect();
        order.sort_by(|&a, &b| costs[b].total_cmp(&costs[a]).then(a.cmp(&b)));
        let k = self.count;
        let mut mine: Vec<usize> = order
            .iter()
            .enumerate()
            .filter(|(p, _)| {
                let (round, j) = (p / k, p % k);
                let owner = if round % 2 == 0 { j } else { k - 1 - j };
                owner + 1 == self.index
            })
            .map(|(_, &u)| u)
            .collect();
        mine.sort_unstable();
        mine
    }
}

/// One shard's results: the configuration, the units it covers and their results (format in the module docs).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Partial<C, K, R> {
    /// [`PARTIAL_FORMAT`].
    pub format: String,
    /// Which experiment ("sample-complexity").
    pub experiment: String,
    /// [`config_hash`] of `config`.
    pub config_hash: String,
    /// Everything the results depend on.
    pub config: C,
    /// Which slice this is.
    pub shard: Shard,
    /// The unit keys covered, canonical order.
    pub units: Vec<K>,
    /// One result per unit, in the order of `units`.
    pub results: Vec<R>,
}

impl<C: Serialize, K, R> Partial<C, K, R> {
    /// A partial of `experiment` for `shard`, hashing `config`.
    pub fn new(experiment: &str, config: C, shard: Shard, units: Vec<K>, results: Vec<R>) -> Result<Self> {
        Ok(Partial {
            format: PARTIAL_FORMAT.to_string(),
            experiment: experiment.to_string(),
            config_hash: config_hash(&config)?,
            config,
            shard,
            units,
            results,
        })
    }
}

/// The content hash of a configuration: `fnv1a64:` and the 16 hex digits of FNV-1a (64-bit) over its compact JSON.
pub fn config_hash<C: Serialize>(config: &C) -> Result<String> {
    let text = serde_json::to_string(config).map_err(|e| Error::Format(format!("configuration: {e}")))?;
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for &b in text.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    Ok(format!("fnv1a64:{h:016x}"))
}

/// Checks that every named partial carries the same configuration and that each hash matches its configuration;
/// the error names the files of each configuration seen.
pub fn check_same_config<C: Serialize + PartialEq, K, R>(parts: &[(String, Partial<C, K, R>)]) -> Result<()> {
    let Some((first_name, first)) = parts.first() else {
        return Err(Error::Merge("no partial result files given".into()));
    };
    for (name, p) in parts {
        if p.format != PARTIAL_FORMAT {
            return Err(Error::Merge(format!("{name}: format {:?}, expected {PARTIAL_FORMAT:?}", p.format)));
        }
        if p.experiment != first.experiment {
            return Err(Error::Merge(format!(
                "mismatched experiments: {first_name} is {:?}, {name} is {:?}",
                first.experiment, p.experiment
            )));
        }
        let actual = config_hash(&p.config)?;
        if actual != p.config_hash {
            return Err(Error::Merge(format!(
                "{name}: recorded config_hash {} but its configuration hashes to {actual} (file edited?)",
                p.config_hash
            )));
        }
        if p.units.len() != p.results.len() {
            return Err(Error::Merge(format!("{name}: {} units but {} results", p.units.len(), p.results.len())));
        }
    }
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, p) in parts {
        groups.entry(p.config_hash.as_str()).or_default().push(name);
    }
    if groups.len() > 1 || parts.iter().any(|(_, p)| p.config != first.config) {
        let list: Vec<String> = groups.iter().map(|(h, files)| format!("{h}: {}", files.join(", "))).collect();
        return Err(Error::Merge(format!(
            "mismatched configurations: the partials belong to {} different configurations ({})",
            groups.len().max(2),
            list.join("; ")
        )));
    }
    Ok(())
}

/// Checks that the named unit lists cover `expected` exactly once; the error lists the missing units, the
/// duplicated ones with the files holding them, and the foreign ones (not in `expected`) with their file.
pub fn check_cover<K: Ord + Display>(expected: &[K], parts: &[(&str, &[K])]) -> Result<()> {
    let mut seen: BTreeMap<&K, Vec<&str>> = BTreeMap::new();
    for (name, units) in parts {
        for u in *units {
            seen.entry(u).or_default().push(name);
        }
    }
    let wanted: std::collections::BTreeSet<&K> = expected.iter().collect();
    let missing: Vec<String> = expected.iter().filter(|u| !seen.contains_key(u)).map(|u| format!("[{u}]")).collect();
    let duplicated: Vec<String> = seen
        .iter()
        .filter(|(u, files)| files.len() > 1 && wanted.contains(*u))
        .map(|(u, files)| format!("[{u}] in {}", files.join(" and ")))
        .collect();
    let foreign: Vec<String> = seen
        .iter()
        .filter(|(u, _)| !wanted.contains(*u))
        .map(|(u, files)| format!("[{u}] in {}", files.join(" and ")))
        .collect();
    if missing.is_empty() && duplicated.is_empty() && foreign.is_empty() {
        return Ok(());
    }
    let mut msg = Vec::new();
    let show = |what: &str, v: &[String]| {
        let head: Vec<&str> = v.iter().take(8).map(String::as_str).collect();
        let more = if v.len() > 8 { format!(" … and {} more", v.len() - 8) } else { String::new() };
        format!("{} {what} unit(s): {}{more}", v.len(), head.join("; "))
    };
    if !missing.is_empty() {
        msg.push(show("missing", &missing));
    }
    if !duplicated.is_empty() {
        msg.push(show("duplicated", &duplicated));
    }
    if !foreign.is_empty() {
        msg.push(show("foreign", &foreign));
    }
    Err(Error::Merge(format!("the partials do not cover the configuration exactly once: {}", msg.join(". "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!("2/3".parse::<Shard>().unwrap(), Shard { index: 2, count: 3 });
        for bad in ["0/3", "4/3", "1/0", "a/3", "3", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn slices_partition_and_balance() {
        let costs: Vec<f64> = (0..23).map(|i| ((i * 7) % 11) as f64).collect();
        for k in 1..=6 {
            let mut all = Vec::new();
            for i in 1..=k {
                let s = Shard::new(i, k).unwrap().slice(&costs);
                assert!(s.len() == 23 / k || s.len() == 23 / k + 1, "k={k}: {}", s.len());
                assert!(s.windows(2).all(|w| w[0] < w[1]));
                all.extend(s);
            }
            all.sort_unstable();
            assert_eq!(all, (0..23).collect::<Vec<_>>());
        }
    }

    #[test]
    fn environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        assert_eq!(Shard::from_env(env(&[])).unwrap(), None);
        let slurm =
            env(&[("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_COUNT", "3"), ("SLURM_ARRAY_TASK_MIN", "0")]);
        assert_eq!(Shard::from_env(slurm).unwrap().unwrap().0, Shard { index: 1, count: 3 });
        let slurm1 =
            env(&[("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_COUNT", "3"), ("SLURM_ARRAY_TASK_MIN", "1")]);
        assert_eq!(Shard::from_env(slurm1).unwrap().unwrap().0, Shard { index: 3, count: 3 });
        assert!(Shard::from_env(env(&[("SLURM_ARRAY_TASK_ID", "1")])).is_err());
        let stepped =
            env(&[("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_COUNT", "2"), ("SLURM_ARRAY_TASK_STEP", "2")]);
        assert!(Shard::from_env(stepped).is_err());
        let k8s = env(&[("JOB_COMPLETION_INDEX", "4"), ("REGMATTERS_SHARD_COUNT", "5")]);
        assert_eq!(Shard::from_env(k8s).unwrap().unwrap().0, Shard { index: 5, count: 5 });
        assert!(Shard::from_env(env(&[("JOB_COMPLETION_INDEX", "0")])).is_err());
        assert!(Shard::from_env(env(&[("JOB_COMPLETION_INDEX", "5"), ("REGMATTERS_SHARD_COUNT", "5")])).is_err());
        assert_eq!(Shard::resolve(Some("off"), env(&[("JOB_COMPLETION_INDEX", "0")])).unwrap(), None);
        assert_eq!(Shard::resolve(Some("1/2"), env(&[])).unwrap().unwrap().0, Shard { index: 1, count: 2 });
    }

    #[test]
    fn cover_names_missing_duplicated_foreign() {
        let expected = [1, 2, 3, 4];
        assert!(check_cover(&expected, &[("a", &[1, 3][..]), ("b", &[2, 4][..])]).is_ok());
        let e = check_cover(&expected, &[("a", &[1, 3][..]), ("b", &[3, 9][..])]).unwrap_err().to_string();
        assert!(e.contains("missing") && e.contains("[2]") && e.contains("[4]"), "{e}");
        assert!(e.contains("duplicated") && e.contains("[3] in a and b"), "{e}");
        assert!(e.contains("foreign") && e.contains("[9] in b"), "{e}");
    }
}

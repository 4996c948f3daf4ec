//! What a check is given to run: tier, seeds, output folder, progress sink.

use crate::seed::{self, Rng};
pub use crate::tier::Tier;
use std::path::PathBuf;

/// A sink for short progress messages (the CLI connects a progress bar).
pub type ProgressSink = std::sync::Arc<dyn Fn(&str) + Send + Sync>;

/// Everything a [`super::Claim::check`] may use. All randomness must come from [`Context::rng`].
///
/// Cloning is cheap (the progress sink is shared); the runner gives every concurrently running check its own clone.
#[derive(Clone)]
pub struct Context {
    /// Quick or full.
    pub tier: Tier,
    /// The master seed of the run.
    pub seed: u64,
    /// Id of the check being run (set by the runner); streams are derived from it.
    pub claim_id: String,
    /// Where artifacts (CSV/SVG) go; `None` means do not write files.
    pub out_dir: Option<PathBuf>,
    progress: Option<ProgressSink>,
    overrides: std::sync::Arc<super::Overrides>,
    /// The parameters the current check declares (set by the runner); only these read an override.
    pub(super) declared: &'static [super::Param],
    /// The pre-registered thresholds of the current check (set by the runner from the manifest).
    pub(super) thresholds: std::sync::Arc<std::collections::BTreeMap<String, super::manifest::Threshold>>,
    /// The thresholds the current check has read, with their values (reported in its outcome).
    pub(super) read: std::sync::Arc<std::sync::Mutex<std::collections::BTreeMap<String, f64>>>,
}

impl Context {
    /// A context for `tier` and master `seed`, writing no files.
    pub fn new(tier: Tier, seed: u64) -> Self {
        Context {
            tier,
            seed,
            claim_id: String::new(),
            out_dir: None,
            progress: None,
            overrides: Default::default(),
            declared: &[],
            thresholds: Default::default(),
            read: Default::default(),
        }
    }

    /// Sets parameter overrides (`verify --set KEY=VALUE`); see [`super::params`].
    pub fn with_overrides(mut self, overrides: super::Overrides) -> Self {
        self.overrides = std::sync::Arc::new(overrides);
        self
    }

    /// Parameter `key` of the current check: its override when the run has one and the check lists `key` in
    /// [`super::Claim::parameters`], else `default` (the tier's value).
    pub fn param<T: super::params::ParamValue>(&self, key: &str, default: T) -> crate::Result<T> {
        if self.declared.iter().any(|p| p.key == key) {
            super::params::read(&self.overrides, key, default)
        } else {
            Ok(default)
        }
    }

    /// The overrides of the run.
    pub fn overrides(&self) -> &super::Overrides {
        &self.overrides
    }

    /// Sets the output folder for artifacts.
    pub fn with_out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Sets a progress sink (the CLI connects a progress bar here).
    pub fn with_progress(mut self, sink: ProgressSink) -> Self {
        self.progress = Some(sink);
        self
    }

    /// The pre-registered threshold `name` of the current check, from `theorems/claims.toml` (the claim's
    /// `[claim.thresholds]`, for a control overridden by its own). An unknown name is an error naming the check, so a
    /// rule cannot run on a threshold that is not registered. The value read is recorded in the check's outcome.
    pub fn threshold(&self, name: &str) -> crate::Result<f64> {
        let t = self.thresholds.get(name).ok_or_else(|| {
            crate::Error::Manifest(format!(
                "{}: no threshold `{name}` in theorems/claims.toml (registered: {})",
                self.claim_id,
                self.thresholds.keys().cloned().collect::<Vec<_>>().join(", ")
            ))
        })?;
        let v = t.at(self.tier).ok_or_else(|| {
            crate::Error::Manifest(format!(
                "{}: threshold `{name}` has no value for tier {}",
                self.claim_id,
                self.tier.as_str()
            ))
        })?;
        if let Ok(mut r) = self.read.lock() {
            r.insert(name.to_string(), v);
        }
        Ok(v)
    }

    /// The thresholds read so far by the current check (name → value).
    pub fn thresholds_read(&self) -> std::collections::BTreeMap<String, f64> {
        self.read.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// The stream for replicate `replicate` of the current check: derived from (seed, claim id, replicate).
    pub fn rng(&self, replicate: u64) -> Rng {
        seed::stream(self.seed, &[&self.claim_id], replicate)
    }

    /// A named sub-stream (e.g. "train" vs "test" data) for replicate `replicate` of the current check.
    pub fn rng_named(&self, label: &str, replicate: u64) -> Rng {
        seed::stream(self.seed, &[&self.claim_id, label], replicate)
    }

    /// Reports progress (a short message); a no-op without a sink.
    pub fn progress(&self, msg: &str) {
        if let Some(p) = &self.progress {
            p(msg);
        }
    }

    /// The path for an artifact named `file` in the output folder (creating the folder), or `None`.
    pub fn artifact_path(&self, file: &str) -> crate::Result<Option<PathBuf>> {
        match &self.out_dir {
            None => Ok(None),
            Some(dir) => {
                std::fs::create_dir_all(dir)?;
                Ok(Some(dir.join(file)))
            }
        }
    }
}

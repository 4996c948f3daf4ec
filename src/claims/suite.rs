//! The suite: a set of checks (built-in and a user's) matched to their manifest entries, and the runner that
//! `verify`, the tests and a user's own crate share.
//!
//! ```no_run
//! use regmatters::claims::{RunConfig, Suite, Tier};
//! # fn main() -> regmatters::Result<()> {
//! let suite = Suite::builtin()?; // every built-in claim and control, with theorems/claims.toml
//! let run = suite.run(&RunConfig::new(Tier::Quick, 20191208).only("ntk.lower_bound"))?;
//! assert!(run.passed());
//! # Ok(()) }
//! ```
//!
//! A user's crate adds its own checks and their manifest: `Suite::builtin()?.with_manifest(MY_TOML)?.with(MyClaim)`
//! (or start from [`Suite::empty`]). [`Suite::validate`] — called by every run — fails when a check has no manifest
//! entry, an entry has no check, a control has no parent claim, or a `uses` edge points nowhere.

use super::manifest::{Entry, Manifest};
use super::{Claim, Context, Evidence, Kind, Outcome, ProgressSink, Tier};
use crate::stats::{Decision, Verdict};
use crate::{Error, Result};
use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

/// Checks plus the manifest that describes them.
pub struct Suite {
    checks: Vec<Box<dyn Claim>>,
    manifest: Manifest,
}

/// What one run of the suite is asked to do.
#[derive(Clone)]
pub struct RunConfig {
    /// Quick or full.
    pub tier: Tier,
    /// Master seed.
    pub seed: u64,
    /// Id pattern (prefix, `*` wildcard); `None` runs everything.
    pub only: Option<String>,
    /// How many checks run at once (`0`: as many as rayon has threads).
    pub jobs: usize,
    /// Folder for artifacts written by the checks.
    pub out_dir: Option<PathBuf>,
    /// Progress messages from inside the checks.
    pub progress: Option<ProgressSink>,
    /// Parameter overrides (`verify --set KEY=VALUE`); every key must be declared by a selected check.
    pub overrides: super::Overrides,
}

impl RunConfig {
    /// Every check at `tier` and master `seed`, as many at once as rayon has threads, no artifacts.
    pub fn new(tier: Tier, seed: u64) -> Self {
        RunConfig { tier, seed, only: None, jobs: 0, out_dir: None, progress: None, overrides: Default::default() }
    }

    /// Selects checks by id pattern (see [`matches`]).
    pub fn only(mut self, pattern: &str) -> Self {
        self.only = Some(pattern.to_string());
        self
    }

    /// Runs at most `jobs` checks at once.
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.jobs = jobs;
        self
    }

    /// Overrides parameter `key` with `value` (as typed; parsed by the checks that declare the key).
    pub fn set(mut self, key: &str, value: &str) -> Self {
        self.overrides.insert(key.to_string(), value.to_string());
        self
    }

    /// The context a check of this run starts from.
    pub fn context(&self) -> Context {
        let mut ctx = Context::new(self.tier, self.seed);
        if !self.overrides.is_empty() {
            ctx = ctx.with_overrides(self.overrides.clone());
        }
        if let Some(dir) = &self.out_dir {
            ctx = ctx.with_out_dir(dir);
        }
        if let Some(p) = &self.progress {
            ctx = ctx.with_progress(p.clone());
        }
        ctx
    }
}

/// The outcomes of one run, in suite order.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Run {
    /// Master seed.
    pub seed: u64,
    /// Tier.
    pub tier: Tier,
    /// One outcome per selected check.
    pub outcomes: Vec<Outcome>,
    /// The parameter overrides of the run (empty: every check at its tier's defaults).
    pub overrides: super::Overrides,
}

impl Run {
    /// Every claim Supported and every control Refuted.
    pub fn passed(&self) -> bool {
        self.outcomes.iter().all(Outcome::as_expected)
    }
}

/// Does `id` match `pattern`? A pattern selects ids by prefix; `*` matches any run of characters.
/// So `ntk.lower_bound` selects the claim and its controls (`ntk.lower_bound:…`), and `*:*` every control.
pub fn matches(pattern: &str, id: &str) -> bool {
    fn go(p: &[u8], s: &[u8]) -> bool {
        match p.split_first() {
            None => true, // prefix semantics: the rest of the id is free
            Some((b'*', rest)) => (0..=s.len()).any(|k| go(rest, &s[k..])),
            Some((c, rest)) => s.first() == Some(c) && go(rest, &s[1..]),
        }
    }
    go(pattern.as_bytes(), id.as_bytes())
}

impl Suite {
    /// No checks, no manifest entries.
    pub fn empty() -> Self {
        Suite { checks: Vec::new(), manifest: Manifest::default() }
    }

    /// Every built-in claim and control with the built-in manifest (`theorems/claims.toml`).
    pub fn builtin() -> Result<Self> {
        Ok(Suite { checks: super::builtin::checks(), manifest: Manifest::builtin()? })
    }

    /// Adds the entries of a manifest in TOML (the same format as `theorems/claims.toml`); an id already present is
    /// an error.
    pub fn with_manifest(mut self, toml: &str) -> Result<Self> {
        self.manifest.extend(Manifest::parse(toml)?)?;
        Ok(self)
    }

    /// Adds one check (its manifest entry comes from [`Suite::with_manifest`]).
    pub fn with(mut self, check: impl Claim + 'static) -> Self {
        self.checks.push(Box::new(check));
        self
    }

    /// Adds one boxed check.
    pub fn register(&mut self, check: Box<dyn Claim>) {
        self.checks.push(check);
    }

    /// The manifest of every check in the suite.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The checks, in suite order.
    pub fn checks(&self) -> impl Iterator<Item = &dyn Claim> {
        self.checks.iter().map(|c| c.as_ref())
    }

    /// The manifest entry of `id`.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.manifest.get(id)
    }

    /// Checks and manifest agree: every check has an entry and every entry a check, ids are unique and well formed,
    /// every control has its parent claim, every `uses` edge points to an entry.
    pub fn validate(&self) -> Result<()> {
        let mut problems = self.manifest.problems();
        let mut seen = BTreeSet::new();
        for c in &self.checks {
            let id = c.id();
            if id.is_empty() || id.contains(char::is_whitespace) {
                problems.push(format!("check id {id:?} is empty or contains whitespace"));
            }
            if !seen.insert(id) {
                problems.push(format!("check {id} is registered twice"));
            }
            if self.manifest.get(id).is_none() {
                problems.push(format!("registered check {id} has no manifest entry"));
            }
        }
        for e in &self.manifest.entries {
            if !seen.contains(e.id.as_str()) {
                problems.push(format!("manifest entry {} has no registered check", e.id));
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(Error::Manifest(problems.join("\n"))) }
    }

    /// The checks whose id matches `pattern` (all for `None`), in suite order. An empty pattern, or one that
    /// matches nothing, is an error.
    pub fn select(&self, pattern: Option<&str>) -> Result<Vec<&dyn Claim>> {
        if pattern.is_some_and(|p| p.trim().is_empty()) {
            return Err(Error::param("only", "''", "an empty pattern selects nothing; omit it to run every check"));
        }
        let chosen: Vec<&dyn Claim> = self.checks().filter(|c| pattern.is_none_or(|p| matches(p, c.id()))).collect();
        if chosen.is_empty() {
            return Err(Error::param("only", pattern.unwrap_or_default(), "no registered check matches this pattern"));
        }
        Ok(chosen)
    }

    /// The settable parameters of the checks `pattern` selects: key → (the ids that declare it, its description).
    pub fn parameters(
        &self,
        pattern: Option<&str>,
    ) -> Result<std::collections::BTreeMap<&'static str, (Vec<String>, &'static str)>> {
        Ok(super::params::declared(self.select(pattern)?))
    }

    /// Checks `overrides` against the parameters of the checks `pattern` selects (before any work).
    pub fn check_overrides(&self, pattern: Option<&str>, overrides: &super::Overrides) -> Result<()> {
        super::params::validate(&self.select(pattern)?, overrides)
    }

    /// Runs one check by exact id under `ctx`.
    pub fn run_id(&self, id: &str, ctx: &mut Context) -> Result<Outcome> {
        let check =
            self.checks().find(|c| c.id() == id).ok_or_else(|| Error::param("id", id, "no such check in the suite"))?;
        Ok(self.run_one(check, ctx))
    }

    /// Runs one check under `ctx` (setting the context's claim id) and records its outcome. A check that returns an
    /// error or panics becomes an `Inconclusive` outcome with the message in `error`.
    pub fn run_one(&self, check: &dyn Claim, ctx: &mut Context) -> Outcome {
        ctx.claim_id = check.id().to_string();
        ctx.declared = check.parameters();
        ctx.thresholds = std::sync::Arc::new(self.manifest.thresholds_for(check.id()));
        ctx.read = Default::default();
        let start = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| check.check(ctx))).unwrap_or_else(|payload| {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic payload".into());
            Err(Error::Numerical(format!("the check panicked: {msg}")))
        });
        let seconds = start.elapsed().as_secs_f64();
        let entry = self.manifest.get(check.id());
        let (mut evidence, error) = match result {
            Ok(ev) => (ev, None),
            Err(e) => (
                Evidence::from_decision(Decision::new(Verdict::Inconclusive, "the check returned an error")),
                Some(e.to_string()),
            ),
        };
        // A rule changed after seeing results says so in every report of the check, not only in the manifest.
        if let Some(e) = entry {
            evidence.notes.extend(e.post_hoc.iter().map(|p| format!("post hoc: {p}")));
        }
        Outcome {
            id: check.id().to_string(),
            source: entry.map(|e| e.source.clone()).unwrap_or_default(),
            kind: entry.map(|e| e.kind).unwrap_or_else(|| Kind::of_id(check.id())),
            evidence,
            seconds,
            error,
            parameters: super::params::applied(check, ctx.overrides()),
            post_hoc: entry.is_some_and(|e| !e.post_hoc.is_empty()),
            thresholds: ctx.thresholds_read(),
        }
    }

    /// Validates the suite, then runs the selected checks with up to `config.jobs` at once (each on its own clone of
    /// the context), calls `on_done` as each one finishes, and returns the outcomes in suite order.
    ///
    /// Outcomes do not depend on the number of jobs or on the schedule: a check draws only from its own streams
    /// (seed, id, replicate), and results shared between checks are memoized by (seed, configuration). The checks run
    /// on plain scoped threads, not on rayon workers, so a check that waits for a shared result never stalls the
    /// rayon pool its own parallel loops use.
    pub fn run_with(&self, config: &RunConfig, on_done: &(dyn Fn(&Outcome) + Sync)) -> Result<Run> {
        self.validate()?;
        let selected = self.select(config.only.as_deref())?;
        super::params::validate(&selected, &config.overrides)?;
        let workers = if config.jobs == 0 { rayon::current_num_threads() } else { config.jobs };
        let ctx = config.context();
        let next = AtomicUsize::new(0);
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|scope| {
            for _ in 0..workers.clamp(1, selected.len().max(1)) {
                let tx = tx.clone();
                let (next, selected, ctx) = (&next, &selected, &ctx);
                scope.spawn(move || {
                    let mut local = ctx.clone();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(check) = selected.get(index) else { break };
                        let outcome = self.run_one(*check, &mut local);
                        on_done(&outcome);
                        if tx.send((index, outcome)).is_err() {
                            break;
                        }
                    }
                });
            }
        });
        drop(tx);
        let mut done: Vec<(usize, Outcome)> = rx.into_iter().collect();
        done.sort_by_key(|(i, _)| *i);
        Ok(Run {
            seed: config.seed,
            tier: config.tier,
            outcomes: done.into_iter().map(|(_, o)| o).collect(),
            overrides: config.overrides.clone(),
        })
    }

    /// [`Suite::run_with`] without a completion callback.
    pub fn run(&self, config: &RunConfig) -> Result<Run> {
        self.run_with(config, &|_| {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_matching() {
        assert!(matches("ntk.lower_bound", "ntk.lower_bound"));
        assert!(matches("ntk.lower_bound", "ntk.lower_bound:degree-one-label"));
        assert!(matches("ntk", "ntk.non_focus"));
        assert!(!matches("ntk.non", "ntk.lower_bound"));
        assert!(matches("*:*", "margin.limit:unregularized-bias"));
        assert!(!matches("*:*", "margin.limit"));
        assert!(matches("*limit", "margin.limit"));
    }

    #[test]
    fn builtin_suite_is_consistent() {
        let suite = Suite::builtin().unwrap();
        suite.validate().unwrap();
        assert!(suite.select(Some("")).is_err());
        assert!(suite.select(Some("no.such")).is_err());
    }

    struct Fixed(&'static str, Verdict);
    impl Claim for Fixed {
        fn id(&self) -> &str {
            self.0
        }
        fn check(&self, _: &mut Context) -> Result<Evidence> {
            Ok(Evidence::from_decision(Decision::new(self.1, "fixed")))
        }
    }

    const USER_TOML: &str = r#"
[[claim]]
id = "user.fixed"
kind = "claim"
source = "a test"
statement = "always supported"

[[claim]]
id = "user.fixed:twin"
kind = "control"
strength = "sanity"
source = "a test"
statement = "always refuted"
uses = ["user.fixed"]
"#;

    #[test]
    fn a_users_checks_run_through_the_suite() {
        let suite = Suite::empty()
            .with_manifest(USER_TOML)
            .unwrap()
            .with(Fixed("user.fixed", Verdict::Supported))
            .with(Fixed("user.fixed:twin", Verdict::Refuted));
        let run = suite.run(&RunConfig::new(Tier::Quick, 1)).unwrap();
        assert!(run.passed());
        assert_eq!(run.outcomes[1].kind, Kind::Control);
        assert_eq!(run.outcomes[0].source, "a test");
        // a check without an entry, and an entry without a check, are both rejected
        let orphan = Suite::empty().with_manifest(USER_TOML).unwrap().with(Fixed("user.fixed", Verdict::Supported));
        let err = orphan.validate().unwrap_err().to_string();
        assert!(err.contains("user.fixed:twin has no registered check"), "{err}");
        let extra = Suite::empty().with(Fixed("user.other", Verdict::Supported));
        assert!(extra.validate().unwrap_err().to_string().contains("has no manifest entry"));
        // a duplicate id across manifests is rejected
        assert!(Suite::empty().with_manifest(USER_TOML).unwrap().with_manifest(USER_TOML).is_err());
    }

    #[test]
    fn a_panicking_check_is_an_error_outcome() {
        struct Panics;
        impl Claim for Panics {
            fn id(&self) -> &str {
                "user.fixed"
            }
            fn check(&self, _: &mut Context) -> Result<Evidence> {
                panic!("boom")
            }
        }
        let suite = Suite::empty().with_manifest(USER_TOML).unwrap().with(Panics);
        let o = suite.run_id("user.fixed", &mut Context::new(Tier::Quick, 1)).unwrap();
        assert_eq!(o.verdict(), Verdict::Inconclusive);
        assert!(o.error.unwrap().contains("boom"));
    }
}

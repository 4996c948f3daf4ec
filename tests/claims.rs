//! One test per entry of the theorem map (`theorems/claims.toml`) and master seed: each claim must come out Supported
//! and each falsification control Refuted, at the quick tier, at the default master seed and at two more fixed seeds
//! ([`EXTRA_SEEDS`], chosen once, before any result at them was seen). The same trials at the full tier, and the
//! robustness sweep over 100 derived master seeds (`suite [100 seeds]`: every check its expected verdict at ≥ 98 of
//! them, no claim ever Refuted, no control ever Supported), are ignored by default (`cargo test --test claims --
//! --ignored`). The list is generated from the manifest, so a new manifest entry is a new test with no test code to
//! write.
//!
//! One more trial, `suite [family-wise α]`, sums the refutation α that the claims' rules spent at the default seed and
//! fails if it exceeds [`regmatters::stats::FAMILY_BUDGET`] (it reuses the per-claim runs: each (id, tier, seed) is
//! run once, whichever trial asks first).
//!
//! `suite [every threshold read]` fails when a threshold registered in `theorems/claims.toml` is read by no rule.
//!
//! Filter as usual: `cargo test --test claims -- margin.limit` runs the claim and its controls.

use libtest_mimic::{Arguments, Failed, Trial};
use regmatters::claims::{Context, Kind, Outcome, RunConfig, SeedSet, Suite, Tier};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// Master seeds tested besides the default, fixed before any result at them was seen.
const EXTRA_SEEDS: [u64; 2] = [1, 2026];

/// The ignored robustness sweep: 100 master seeds derived from the default, quick tier.
fn sweep(suite: &Suite) -> Result<(), Failed> {
    let config = RunConfig::new(Tier::Quick, regmatters::seed::DEFAULT_SEED);
    let r = suite.run_seeds(&config, &SeedSet::Derived { count: 100 }, &|_, _| {}).map_err(|e| e.to_string())?;
    let table = regmatters::report::robustness_table(&r);
    let weak: Vec<&str> =
        r.checks.iter().filter(|c| c.as_expected() < 98 || c.opposite() > 0).map(|c| c.id.as_str()).collect();
    if weak.is_empty() { Ok(()) } else { Err(format!("not robust: {weak:?}\n{table}").into()) }
}

/// One run per (id, tier name, seed), shared by the trials that need it (`OnceLock` blocks a second asker until the
/// first run ends, so nothing runs twice).
type Runs = HashMap<(String, &'static str, u64), OnceLock<Result<Outcome, String>>>;

fn run<'a>(suite: &Suite, runs: &'a Runs, id: &str, tier: Tier, seed: u64) -> Result<&'a Outcome, Failed> {
    let cell = runs.get(&(id.to_string(), tier.as_str(), seed)).ok_or_else(|| format!("{id}: no run slot"))?;
    cell.get_or_init(|| suite.run_id(id, &mut Context::new(tier, seed)).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| e.clone().into())
}

/// The suite's family-wise error: the refutation α spent by all claims at the default seed, quick tier, must not
/// exceed the budget (Bonferroni: it bounds the chance that any true claim is wrongly Refuted).
fn family_wise(suite: &Suite, runs: &Runs) -> Result<(), Failed> {
    let default = regmatters::seed::DEFAULT_SEED;
    let mut spent = 0.0;
    let mut rows = Vec::new();
    for e in suite.manifest().entries.iter().filter(|e| e.kind == Kind::Claim) {
        let a = run(suite, runs, &e.id, Tier::Quick, default)?.evidence.refute_alpha;
        if !(a.is_finite() && a >= 0.0) {
            return Err(format!("{}: refutation α {a} is not a probability", e.id).into());
        }
        spent += a;
        rows.push(format!("{} {a:.1e}", e.id));
    }
    if spent <= regmatters::stats::FAMILY_BUDGET {
        Ok(())
    } else {
        Err(format!("Σα = {spent:.2e} > budget {:e}: {}", regmatters::stats::FAMILY_BUDGET, rows.join(", ")).into())
    }
}

/// Every threshold registered in `theorems/claims.toml` is read by a rule: by the entry's own check, or — for a
/// claim's threshold, which its controls inherit — by one of its controls (quick tier, default seed). A registered
/// number no rule reads would be a second, dead copy.
fn thresholds_read(suite: &Suite, runs: &Runs) -> Result<(), Failed> {
    let default = regmatters::seed::DEFAULT_SEED;
    let mut unread = Vec::new();
    for e in &suite.manifest().entries {
        let family: Vec<&str> = suite
            .manifest()
            .entries
            .iter()
            .map(|c| c.id.as_str())
            .filter(|c| *c == e.id || (e.kind == Kind::Claim && c.split(':').next() == Some(e.id.as_str())))
            .collect();
        for name in e.thresholds.keys() {
            let mut read = false;
            for id in &family {
                read |= run(suite, runs, id, Tier::Quick, default)?.thresholds.contains_key(name);
            }
            if !read {
                unread.push(format!("{}.{name}", e.id));
            }
        }
    }
    if unread.is_empty() { Ok(()) } else { Err(format!("registered but never read: {unread:?}").into()) }
}

fn check(suite: &Suite, runs: &Runs, id: &str, tier: Tier, seed: u64) -> Result<(), Failed> {
    let expected = suite.entry(id).map(|e| e.kind.expected()).ok_or_else(|| format!("{id}: no manifest entry"))?;
    let outcome = run(suite, runs, id, tier, seed)?;
    if outcome.verdict() == expected {
        Ok(())
    } else {
        Err(format!(
            "{id} at tier {}, seed {seed}: expected {expected}, got {}\n{}",
            tier.as_str(),
            outcome.verdict(),
            serde_json::to_string_pretty(outcome).unwrap_or_default()
        )
        .into())
    }
}

fn main() {
    let args = Arguments::from_args();
    let suite = Arc::new(Suite::builtin().expect("the built-in suite loads"));
    suite.validate().expect("the built-in suite and its manifest agree");
    let default = regmatters::seed::DEFAULT_SEED;
    let plan = || {
        std::iter::once((Tier::Quick, default))
            .chain(EXTRA_SEEDS.iter().map(|&s| (Tier::Quick, s)))
            .chain(std::iter::once((Tier::Full, default)))
    };
    let runs: Arc<Runs> = Arc::new(
        suite
            .manifest()
            .entries
            .iter()
            .flat_map(|e| plan().map(move |(t, s)| ((e.id.clone(), t.as_str(), s), OnceLock::new())))
            .collect(),
    );
    let mut trials = Vec::new();
    for entry in &suite.manifest().entries {
        for (tier, seed) in plan() {
            let (s, r, id) = (suite.clone(), runs.clone(), entry.id.clone());
            let name = match (tier, seed == default) {
                (Tier::Quick, true) => id.clone(),
                (Tier::Quick, false) => format!("{id} [seed {seed}]"),
                _ => format!("{id} [full]"),
            };
            let trial = Trial::test(name, move || check(&s, &r, &id, tier, seed)).with_kind(entry.kind.as_str());
            trials.push(trial.with_ignored_flag(tier == Tier::Full));
        }
    }
    let (s, r) = (suite.clone(), runs.clone());
    trials.push(Trial::test("suite [family-wise α]", move || family_wise(&s, &r)));
    let (s, r) = (suite.clone(), runs.clone());
    trials.push(Trial::test("suite [every threshold read]", move || thresholds_read(&s, &r)));
    let s = suite.clone();
    trials.push(Trial::test("suite [100 seeds]", move || sweep(&s)).with_ignored_flag(true));
    libtest_mimic::run(&args, trials).exit();
}

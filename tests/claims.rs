//! One test per entry of the theorem map (`theorems/claims.toml`): each claim must come out Supported and each
//! falsification control Refuted, at the quick tier and the default master seed. The same trials at the full tier
//! are ignored by default (`cargo test --test claims -- --ignored`). The list is generated from the manifest, so a
//! new manifest entry is a new test with no test code to write.
//!
//! Filter as usual: `cargo test --test claims -- margin.limit` runs the claim and its controls.

use libtest_mimic::{Arguments, Failed, Trial};
use regmatters::claims::{Context, Suite, Tier};
use std::sync::Arc;

fn check(suite: &Suite, id: &str, tier: Tier, seed: u64) -> Result<(), Failed> {
    let expected = suite.entry(id).map(|e| e.kind.expected()).ok_or_else(|| format!("{id}: no manifest entry"))?;
    let outcome = suite.run_id(id, &mut Context::new(tier, seed)).map_err(|e| e.to_string())?;
    if outcome.verdict() == expected {
        Ok(())
    } else {
        Err(format!(
            "{id} at tier {}, seed {seed}: expected {expected}, got {}\n{}",
            tier.as_str(),
            outcome.verdict(),
            serde_json::to_string_pretty(&outcome).unwrap_or_default()
        )
        .into())
    }
}

fn main() {
    let args = Arguments::from_args();
    let suite = Arc::new(Suite::builtin().expect("the built-in suite loads"));
    suite.validate().expect("the built-in suite and its manifest agree");
    let seed = regmatters::seed::DEFAULT_SEED;
    let mut trials = Vec::new();
    for entry in &suite.manifest().entries {
        for tier in [Tier::Quick, Tier::Full] {
            let (s, id) = (suite.clone(), entry.id.clone());
            let name = if tier == Tier::Quick { id.clone() } else { format!("{id} [full]") };
            let trial = Trial::test(name, move || check(&s, &id, tier, seed)).with_kind(entry.kind.as_str());
            trials.push(trial.with_ignored_flag(tier == Tier::Full));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

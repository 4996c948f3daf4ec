//! A worked extension: add your own conjecture and its false twin, and run them through the same suite, table and
//! JSON as the built-in claims.
//!
//! Conjecture: for ū uniform on the sphere S^{d−1}, E[relu(ū₁)²] = 1/(2d) (by symmetry E[ū₁²] = 1/d, and relu keeps
//! half of it). This is the identity behind ‖φ(x)‖² = κ‖x‖²/(2d) for the lifted ReLU features of the paper.
//! Its false twin, "E[relu(ū₁)²] = 1/d", must be refuted by the same rule.
//!
//! The checks are code (below); id, kind, source and statement live in `new_conjecture.toml` beside this file.
//! Run: `cargo run --release --example new_conjecture` (add `-- --with-builtin` to run them beside the paper's
//! claims). `cargo test` runs the test at the bottom.

use rand_distr::{Distribution, StandardNormal};
use regmatters::claims::{Claim, Context, Evidence, Run, RunConfig, Suite, Tier};
use regmatters::stats::{Levels, mean_ci};

/// E[relu(ū₁)²] by Monte Carlo against a claimed closed form.
struct ReluSecondMoment {
    id: &'static str,
    /// The value claimed for E[relu(ū₁)²] as a function of d.
    claimed: fn(f64) -> f64,
}

impl Claim for ReluSecondMoment {
    fn id(&self) -> &str {
        self.id
    }

    fn check(&self, ctx: &mut Context) -> regmatters::Result<Evidence> {
        let d = 10;
        let samples = ctx.tier.pick(20_000, 1_000_000);
        let mut rng = ctx.rng(0); // the seeded stream for (master seed, this id, replicate 0)
        let values: Vec<f64> = (0..samples)
            .map(|_| {
                let g: Vec<f64> = (0..d).map(|_| StandardNormal.sample(&mut rng)).collect();
                let u1 = g[0] / g.iter().map(|a| a * a).sum::<f64>().sqrt();
                u1.max(0.0).powi(2)
            })
            .collect();
        // z = 4: a two-sided false-alarm probability of about 6e-5 per check.
        let decision = mean_ci(&values, Levels::SUITE).decide_contains("relu(u1)^2", (self.claimed)(d as f64), 0.0);
        Ok(Evidence::from_decision(decision).summary(format!("d = {d}, {samples} samples")))
    }
}

/// The example's suite: its two checks with their manifest; with `builtin`, beside every claim of the paper.
fn suite(builtin: bool) -> regmatters::Result<Suite> {
    let base = if builtin { Suite::builtin()? } else { Suite::empty() };
    Ok(base
        .with_manifest(include_str!("new_conjecture.toml"))?
        .with(ReluSecondMoment { id: "user.relu_second_moment", claimed: |d| 1.0 / (2.0 * d) })
        .with(ReluSecondMoment { id: "user.relu_second_moment:no-half", claimed: |d| 1.0 / d }))
}

/// Runs the example's checks (only those: `only = "user."`).
fn run(builtin: bool) -> regmatters::Result<Run> {
    suite(builtin)?.run(&RunConfig::new(Tier::Quick, regmatters::seed::DEFAULT_SEED).only("user."))
}

fn main() -> regmatters::Result<()> {
    let builtin = std::env::args().any(|a| a == "--with-builtin");
    let run = run(builtin)?;
    print!("{}", regmatters::report::table(&run.outcomes));
    print!("{}", regmatters::report::footer(&run.outcomes));
    println!("{}", regmatters::report::to_json(&run)?);
    std::process::exit(if run.passed() { 0 } else { 1 })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_conjecture_is_supported_and_its_twin_refuted_through_the_suite() {
        let run = super::run(true).expect("the example's suite runs");
        assert!(run.passed(), "{}", regmatters::report::table(&run.outcomes));
        assert_eq!(run.outcomes.len(), 2);
        let table = regmatters::report::table(&run.outcomes);
        assert!(table.contains("user.relu_second_moment:no-half"), "{table}");
        let json = regmatters::report::to_json(&run).unwrap();
        assert!(json.contains("\"id\": \"user.relu_second_moment\""), "{json}");
        assert!(json.contains("\"kind\": \"control\""), "{json}");
    }
}

//! A worked extension: add your own conjecture to the suite.
//!
//! Conjecture: for ū uniform on the sphere S^{d−1}, E[relu(ū₁)²] = 1/(2d) (by symmetry E[ū₁²] = 1/d, and relu keeps
//! half of it). This is the identity behind ‖φ(x)‖² = κ‖x‖²/(2d) for the lifted ReLU features of the paper.
//! Its false twin, "E[relu(ū₁)²] = 1/d", must be refuted by the same rule.
//!
//! Run: `cargo run --release --example new_conjecture`.

use rand_distr::{Distribution, StandardNormal};
use regmatters::claims::{Claim, Context, Evidence, Tier, run_one};
use regmatters::stats::mean_ci;

struct ReluSecondMoment {
    id: &'static str,
    /// The value claimed for E[relu(ū₁)²] as a function of d.
    claimed: fn(f64) -> f64,
}

impl Claim for ReluSecondMoment {
    fn id(&self) -> &'static str {
        self.id
    }
    fn source(&self) -> &'static str {
        "user conjecture (cf. ICLR'19 Cor. C.4)"
    }
    fn check(&self, ctx: &mut Context) -> regmatters::Result<Evidence> {
        let d = 10;
        let samples = ctx.tier.pick(20_000, 1_000_000);
        let mut rng = ctx.rng(0);
        let values: Vec<f64> = (0..samples)
            .map(|_| {
                let g: Vec<f64> = (0..d).map(|_| StandardNormal.sample(&mut rng)).collect();
                let u1 = g[0] / g.iter().map(|a| a * a).sum::<f64>().sqrt();
                u1.max(0.0).powi(2)
            })
            .collect();
        // z = 4: a two-sided false-alarm probability of about 6e-5 per check.
        let decision = mean_ci(&values, 4.0).decide_contains("relu(u1)^2", (self.claimed)(d as f64), 0.0);
        Ok(Evidence::from_decision(decision).alpha(6.3e-5).summary(format!("d = {d}, {samples} samples")))
    }
}

fn main() {
    let checks = [
        ReluSecondMoment { id: "user.relu_second_moment", claimed: |d| 1.0 / (2.0 * d) },
        ReluSecondMoment { id: "user.relu_second_moment:no-half", claimed: |d| 1.0 / d },
    ];
    let mut ctx = Context::new(Tier::Quick, regmatters::seed::DEFAULT_SEED);
    for c in &checks {
        let o = run_one(c, &mut ctx);
        println!(
            "{:<34} {:<8} expected {:<10} {} | {}",
            o.id,
            o.kind.as_str(),
            o.kind.expected().as_str(),
            o.verdict,
            o.rule
        );
        println!("    metrics: {}", serde_json::to_string(&o.metrics).unwrap_or_default());
    }
}

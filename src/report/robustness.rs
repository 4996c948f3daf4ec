//! The robustness table printed by `regmatters verify --seeds`, and its JSON.

use crate::claims::Robustness;

/// One row per check: expected verdict, counts of Supported / Refuted / Inconclusive over the seeds, the number of
/// seeds with the expected verdict, the worst seed and its expected-side margin (with the binding part of the rule).
pub fn robustness_table(r: &Robustness) -> String {
    let n = r.seeds.len();
    let idw = r.checks.iter().map(|c| c.id.chars().count()).max().unwrap_or(2).max(2);
    let mut out = format!(
        "{:<idw$}  {:<10}  {:>5} {:>5} {:>5}  {:>9}  {:>20}  {:>12}  binding part\n",
        "id", "expected", "S", "R", "I", "as exp.", "worst seed", "margin"
    );
    for c in &r.checks {
        let mark = if c.as_expected() == n { "✓" } else { "✗" };
        let margin = c.worst_margin.map(|m| format!("{m:+.4e}")).unwrap_or_else(|| "—".into());
        out.push_str(&format!(
            "{:<idw$}  {:<10}  {:>5} {:>5} {:>5}  {mark} {:>3}/{:<3}  {:>20}  {:>12}  {}\n",
            c.id,
            c.expected.as_str(),
            c.supported,
            c.refuted,
            c.inconclusive,
            c.as_expected(),
            n,
            c.worst_seed,
            margin,
            c.worst_part
        ));
    }
    let all = r.checks.iter().filter(|c| c.as_expected() == n).count();
    let opposite: usize = r.checks.iter().map(|c| c.opposite()).sum();
    out.push_str(&format!(
        "{n} master seeds (tier {}): {all}/{} checks got their expected verdict at every seed; {opposite} times a claim \
         was Refuted or a control Supported\n",
        r.tier,
        r.checks.len()
    ));
    out.push_str(
        "margin: distance into the expected region of the rule (support for a claim, refute for a control) in the \
         rule's own units; worst seed: the first unexpected verdict, else the smallest margin\n",
    );
    out
}

/// The sweep as pretty JSON: the base seed (`--seed`, from which derived seeds come), tier, version, the parameter
/// overrides, whether every check got its expected verdict at every seed, and per check the counts, the worst seed
/// and every seed's verdict and margin.
pub fn robustness_json(r: &Robustness, base_seed: u64, parameters: &crate::claims::Overrides) -> crate::Result<String> {
    let v = serde_json::json!({
        "seed": base_seed,
        "seeds": r.seeds,
        "tier": r.tier,
        "version": env!("CARGO_PKG_VERSION"),
        "parameters": parameters,
        "passed": r.passed(),
        "robustness": r,
    });
    serde_json::to_string_pretty(&v).map_err(|e| crate::Error::Format(e.to_string()))
}

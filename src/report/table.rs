//! The verdict table printed by `regmatters verify`.

use crate::claims::Outcome;

fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        s.chars().take(width.saturating_sub(1)).collect::<String>() + "…"
    }
}

/// One row per outcome: id, source, verdict (with ✓ when as expected, ✗ otherwise), key numbers, seconds.
pub fn table(outcomes: &[Outcome]) -> String {
    let idw = outcomes.iter().map(|o| o.id.chars().count()).max().unwrap_or(2).max(2);
    let mut out = format!("{:<idw$}  {:<34}  {:<15}  {:>7}  {}\n", "id", "source", "verdict", "seconds", "key numbers");
    for o in outcomes {
        let mark = if o.as_expected() { "✓" } else { "✗" };
        let verdict = format!("{mark} {}", o.verdict());
        let key = match &o.error {
            Some(e) => format!("error: {e}"),
            None => o.evidence.summary.clone(),
        };
        out.push_str(&format!(
            "{:<idw$}  {:<34}  {:<15}  {:>7.2}  {}\n",
            o.id,
            clip(&o.source, 34),
            verdict,
            o.seconds,
            key
        ));
    }
    out
}

/// The closing lines: counts, the α budget, and whether the run is healthy.
pub fn footer(outcomes: &[Outcome]) -> String {
    let claims = outcomes.iter().filter(|o| o.kind == crate::claims::Kind::Claim).count();
    let controls = outcomes.len() - claims;
    let bad: Vec<&str> = outcomes.iter().filter(|o| !o.as_expected()).map(|o| o.id.as_str()).collect();
    let alpha_of = |kind| outcomes.iter().filter(|o| o.kind == kind).map(|o| o.evidence.alpha).sum::<f64>();
    let mut s = format!(
        "{} claims, {} falsification controls; error budget (Bonferroni sum of the α of every confidence statement \
         the rules relied on): claims {:.3}, controls {:.3}\n",
        claims,
        controls,
        alpha_of(crate::claims::Kind::Claim),
        alpha_of(crate::claims::Kind::Control)
    );
    if bad.is_empty() {
        s.push_str("every claim Supported and every control Refuted\n");
    } else {
        s.push_str(&format!("NOT as expected: {}\n", bad.join(", ")));
    }
    s
}

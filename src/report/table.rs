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

/// The closing lines: counts, the family-wise error figure, and whether the run is healthy.
pub fn footer(outcomes: &[Outcome]) -> String {
    let claims = outcomes.iter().filter(|o| o.kind == crate::claims::Kind::Claim).count();
    let controls = outcomes.len() - claims;
    let bad: Vec<&str> = outcomes.iter().filter(|o| !o.as_expected()).map(|o| o.id.as_str()).collect();
    let mut s = format!("{claims} claims, {controls} falsification controls; {}\n", family_wise_line(outcomes));
    if bad.is_empty() {
        s.push_str("every claim Supported and every control Refuted\n");
    } else {
        s.push_str(&format!("NOT as expected: {}\n", bad.join(", ")));
    }
    s
}

/// The honest error-rate line: by Bonferroni, the chance that this run wrongly refuted any claim that is true is at
/// most the sum of the refutation α its claims' randomized rules spent (see [`crate::stats::levels`]); support is at
/// a one-sided 95% bound per statement, so a true claim can come out Inconclusive more often than that.
pub fn family_wise_line(outcomes: &[Outcome]) -> String {
    let spent: f64 =
        outcomes.iter().filter(|o| o.kind == crate::claims::Kind::Claim).map(|o| o.evidence.refute_alpha).sum();
    format!(
        "P[any true claim wrongly Refuted] ≤ {spent:.1e} (Bonferroni over the claims' randomized refutation bounds, \
         each at one-sided α = {:e}; budget {:e}); support at one-sided {}%",
        crate::stats::REFUTE_ALPHA,
        crate::stats::FAMILY_BUDGET,
        100.0 * (1.0 - crate::stats::SUPPORT_ALPHA)
    )
}

/// The `--explain` view: per outcome, its statement-level rule and every number it decided on, one per line, and the
/// margin of the rule (how far inside its support or refutation region the numbers sit).
pub fn explain(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    for o in outcomes {
        out.push_str(&format!("── {} ({}, {}) — {}\n", o.id, o.kind.as_str(), o.source, o.verdict()));
        for part in o.evidence.rule.split("; AND ") {
            out.push_str(&format!("   rule: {part}\n"));
        }
        if let Some(m) = &o.evidence.margin {
            let at = |p: &str| if p.is_empty() { String::new() } else { format!(" (binding part: {p})") };
            out.push_str(&format!(
                "   margin: support {:+.4e}{}, refute {:+.4e}{}\n",
                m.support,
                at(&m.part),
                m.refute,
                at(&m.refute_part)
            ));
        }
        for (k, v) in &o.evidence.metrics {
            let text = v.to_string();
            let text = if text.chars().count() > 160 { clip(&text, 160) } else { text };
            out.push_str(&format!("   {k} = {text}\n"));
        }
        for n in &o.evidence.notes {
            out.push_str(&format!("   note: {n}\n"));
        }
        if let Some(e) = &o.error {
            out.push_str(&format!("   error: {e}\n"));
        }
    }
    out
}

/// The `--list` view: one line per check of the suite — id, kind and source — with its manifest statement.
pub fn listing(entries: &[crate::claims::manifest::Entry]) -> String {
    let idw = entries.iter().map(|e| e.id.chars().count()).max().unwrap_or(2).max(2);
    let mut out = format!("{:<idw$}  {:<8}  {}\n", "id", "kind", "source");
    for e in entries {
        out.push_str(&format!("{:<idw$}  {:<8}  {}\n", e.id, e.kind.as_str(), e.source));
    }
    out
}

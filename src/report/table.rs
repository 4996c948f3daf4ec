//! The verdict table printed by `regmatters verify`.

use crate::claims::Outcome;

fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        s.chars().take(width.saturating_sub(1)).collect::<String>() + "…"
    }
}

/// The width [`table`] wraps to when none is given: 100 columns.
pub const DEFAULT_WIDTH: usize = 100;

/// Splits `text` into lines of at most `width` characters, at spaces where possible.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let (n, w) = (line.chars().count(), word.chars().count());
        if n > 0 && n + 1 + w > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        // a word longer than the width is cut where it must be
        while line.chars().count() > width {
            let head: String = line.chars().take(width).collect();
            line = line.chars().skip(width).collect();
            lines.push(head);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Wraps every line of `text` to `width` columns (continuation lines indented by two spaces).
pub fn wrap_text(text: &str, width: usize) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.chars().count() <= width {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        for (i, l) in wrap(line, width.saturating_sub(2)).iter().enumerate() {
            if i > 0 {
                out.push_str("  ");
            }
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

/// [`table_width`] at [`DEFAULT_WIDTH`] columns.
pub fn table(outcomes: &[Outcome]) -> String {
    table_width(outcomes, DEFAULT_WIDTH)
}

/// One row per outcome: id (with `*` when it ran with a non-default parameter, † when a threshold or rule of it was
/// changed after it first ran), source, verdict (with ✓ when as
/// expected, ✗ otherwise), seconds, key numbers — the key numbers wrapped so that no line is wider than `width`
/// columns (on continuation lines of their own when the fixed columns leave them less than 30).
pub fn table_width(outcomes: &[Outcome], width: usize) -> String {
    let mark_of = |o: &Outcome| {
        let set = if o.parameters.is_empty() { "" } else { " *" };
        let post = if o.post_hoc { " †" } else { "" };
        format!("{set}{post}")
    };
    let idw = outcomes.iter().map(|o| o.id.chars().count() + mark_of(o).chars().count()).max().unwrap_or(2).max(2);
    // id, verdict and seconds always; the source when it fits; the key numbers inline when 30 columns are left
    let base = idw + 2 + 15 + 2 + 7;
    let src = if width >= base + 2 + 26 { 26 } else { 0 };
    let fixed = base + 2 + if src > 0 { src + 2 } else { 0 };
    let (inline, indent) = if width >= fixed + 30 { (true, fixed) } else { (false, 4) };
    let keyw = width.saturating_sub(indent).max(20);
    let row = |id: &str, source: &str, verdict: &str, seconds: &str| {
        let source = if src > 0 { format!("{:<src$}  ", clip(source, src)) } else { String::new() };
        format!("{id:<idw$}  {source}{verdict:<15}  {seconds:>7}  ")
    };
    let mut out = row("id", "source", "verdict", "seconds");
    if inline {
        out.push_str("key numbers\n");
    } else {
        out = format!("{}\n{}key numbers\n", out.trim_end(), " ".repeat(indent));
    }
    for o in outcomes {
        let mark = if o.as_expected() { "✓" } else { "✗" };
        let verdict = format!("{mark} {}", o.verdict());
        let mut key = match &o.error {
            Some(e) => format!("error: {e}"),
            None => o.evidence.summary.clone(),
        };
        if !o.parameters.is_empty() {
            let set: Vec<String> = o.parameters.iter().map(|(k, v)| format!("{k}={v}")).collect();
            key = format!("[set {}] {key}", set.join(" "));
        }
        let id = format!("{}{}", o.id, mark_of(o));
        let head = row(&id, &o.source, &verdict, &format!("{:.2}", o.seconds));
        let lines = wrap(&key, keyw);
        if inline {
            out.push_str(&head);
            for (i, l) in lines.iter().enumerate() {
                if i > 0 {
                    out.push_str(&" ".repeat(indent));
                }
                out.push_str(l);
                out.push('\n');
            }
        } else {
            out.push_str(head.trim_end());
            out.push('\n');
            for l in &lines {
                out.push_str(&" ".repeat(indent));
                out.push_str(l);
                out.push('\n');
            }
        }
    }
    out
}

/// The closing lines: counts, the family-wise error figure, and whether the run is healthy.
pub fn footer(outcomes: &[Outcome]) -> String {
    let claims = outcomes.iter().filter(|o| o.kind == crate::claims::Kind::Claim).count();
    let controls = outcomes.len() - claims;
    let bad: Vec<&str> = outcomes.iter().filter(|o| !o.as_expected()).map(|o| o.id.as_str()).collect();
    let mut s = format!("{claims} claims, {controls} falsification controls; {}\n", family_wise_line(outcomes));
    let set: std::collections::BTreeSet<String> =
        outcomes.iter().flat_map(|o| o.parameters.iter().map(|(k, v)| format!("{k}={v}"))).collect();
    if !set.is_empty() {
        s.push_str(&format!(
            "* ran with non-default parameters ({}); the tier's defaults are what the decision rules were fixed for\n",
            set.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    let post: Vec<&str> = outcomes.iter().filter(|o| o.post_hoc).map(|o| o.id.as_str()).collect();
    if !post.is_empty() {
        s.push_str(&format!(
            "† {} of {} checks had a threshold or rule changed after they first ran (post hoc; the reason is in each \
             check's notes, `--explain`, and in theorems/claims.toml)\n",
            post.len(),
            outcomes.len()
        ));
    }
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

/// The settable parameters of the listed checks (`verify --set KEY=VALUE`): key, description, the checks that read
/// it — wrapped to `width` columns.
pub fn parameter_listing(
    params: &std::collections::BTreeMap<&'static str, (Vec<String>, &'static str)>,
    width: usize,
) -> String {
    if params.is_empty() {
        return "no settable parameters in the selected checks\n".into();
    }
    let kw = params.keys().map(|k| k.chars().count()).max().unwrap_or(3).max(3);
    let mut out =
        String::from("\nparameters (verify --set KEY=VALUE; the value applies to every selected check listed):\n");
    for (k, (ids, doc)) in params {
        let text = format!("{doc} — {}", ids.join(", "));
        for (i, l) in wrap(&text, width.saturating_sub(kw + 4)).iter().enumerate() {
            let key = if i == 0 { *k } else { "" };
            out.push_str(&format!("  {key:<kw$}  {l}\n"));
        }
    }
    out
}

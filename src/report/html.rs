//! The HTML report of `regmatters verify --report DIR` (and `repro … --report DIR`): one self-contained page — inline
//! CSS, inline SVG, no script, no external resource — that a reader opens in a browser.
//!
//! A verify page holds, in order: the run (tier, seed, version, overall pass, the family-wise error line, any
//! parameter overrides), the theorem map as the dependency graph coloured by verdict ([`super::graph`]), a summary
//! table with one row per check, one section per check (statement, source, rule, margin, every deciding number,
//! notes, its controls or its parent claim), and the robustness table when the run was a `--seeds` sweep.
//!
//! Every check's section is an `<article class="check" id="ID" data-id="ID" data-verdict="…">`, so a test (or a
//! browser's DOM) can find each check by its id.

use crate::claims::manifest::Manifest;
use crate::claims::{Kind, Outcome, Robustness, Run};
use serde_json::Value;
use std::fmt::Write as _;

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page's style sheet (inline; no web fonts).
const CSS: &str = "\
:root{--ok:#b7e4b0;--bad:#f4a6a6;--none:#dddddd;--ink:#1d1d1f;--muted:#5f6368;--rule:#d0d4d9}\n\
*{box-sizing:border-box}\n\
body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:var(--ink);background:#fafbfc}\n\
main{max-width:1180px;margin:0 auto;padding:24px 28px 60px}\n\
h1{font-size:26px;margin:0 0 4px}\n\
h2{font-size:20px;margin:36px 0 10px;border-bottom:1px solid var(--rule);padding-bottom:4px}\n\
h3{font-size:16px;margin:0;font-family:ui-monospace,'DejaVu Sans Mono',monospace;word-break:break-all}\n\
code,.mono{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:13px}\n\
.lede{color:var(--muted);margin:0 0 14px}\n\
.status{display:inline-block;padding:4px 12px;border-radius:14px;font-weight:600}\n\
.pass{background:var(--ok)}.fail{background:var(--bad)}\n\
dl.run{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:12px 0}\n\
dl.run dt{color:var(--muted)}dl.run dd{margin:0}\n\
.graph{overflow-x:auto;background:#fff;border:1px solid var(--rule);border-radius:6px;padding:8px}\n\
.graph svg{display:block;width:100%;height:auto;min-width:900px}\n\
table{border-collapse:collapse;width:100%;background:#fff}\n\
th,td{border-bottom:1px solid var(--rule);padding:4px 8px;text-align:left;vertical-align:top}\n\
th{background:#f1f3f5;font-weight:600}\n\
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n\
table.summary{table-layout:fixed}\n\
table.summary td{word-break:break-word}\n\
table.summary td.src{font-size:12px;color:var(--muted)}\n\
table.summary td.key{font-size:13px;color:var(--muted)}\n\
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;white-space:nowrap}\n\
.as-expected{background:var(--ok)}.unexpected{background:var(--bad)}\n\
article.check{background:#fff;border:1px solid var(--rule);border-left:6px solid var(--ok);border-radius:6px;padding:12px 16px;margin:14px 0}\n\
article.check.unexpected-check{border-left-color:#d9534f}\n\
.check header{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:baseline;margin-bottom:6px}\n\
.check .meta{color:var(--muted);font-size:13px}\n\
.check .statement{margin:4px 0 8px}\n\
.check h4{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:10px 0 4px}\n\
.check ul{margin:0;padding-left:20px}\n\
.check li.rule{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:13px;margin:2px 0;word-break:break-word}\n\
table.metrics td:first-child{width:34%;font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:13px;word-break:break-all}\n\
table.metrics td.value{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:13px;word-break:break-all}\n\
details summary{cursor:pointer}\n\
.error{color:#a00}\n\
.override{background:#fff3bf;padding:0 4px;border-radius:3px}\n\
footer{margin-top:40px;color:var(--muted);font-size:13px}\n";

/// What a verify page shows.
pub struct VerifyPage<'a> {
    /// The manifest of the suite that ran (statements, sources, edges).
    pub manifest: &'a Manifest,
    /// The run whose checks the page details (for a `--seeds` sweep: the run at the first seed).
    pub run: &'a Run,
    /// The sweep, when the run was `verify --seeds`.
    pub robustness: Option<&'a Robustness>,
    /// Parameter overrides of the run (`--set KEY=VALUE`), as given.
    pub overrides: &'a [(String, String)],
    /// The command line that produced the run.
    pub command: &'a str,
}

/// A number for a human: integers as they are, others with six significant digits; ±f64::MAX (the "+∞" of a
/// one-sided bracket) as ±∞.
fn number(x: f64) -> String {
    if x.abs() == f64::MAX || x.is_infinite() {
        return if x > 0.0 { "+∞".into() } else { "−∞".into() };
    }
    if x == x.trunc() && x.abs() < 1e15 {
        return format!("{x:.0}");
    }
    let a = x.abs();
    if (1e-3..1e6).contains(&a) {
        let digits = (5 - a.log10().floor() as i32).max(0) as usize;
        let s = format!("{x:.digits$}");
        let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
        return s;
    }
    format!("{x:.5e}")
}

/// A JSON value as compact text with numbers shortened by [`number`].
fn value_text(v: &Value) -> String {
    match v {
        Value::Null => "null (not finite)".into(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) => number(f),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Array(a) => format!("[{}]", a.iter().map(value_text).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => {
            format!("{{{}}}", o.iter().map(|(k, v)| format!("{k}: {}", value_text(v))).collect::<Vec<_>>().join(", "))
        }
    }
}

/// A value cell: short values inline; long ones folded behind their first characters.
fn value_cell(v: &Value) -> String {
    let text = value_text(v);
    let n = text.chars().count();
    if n <= 160 {
        return escape(&text);
    }
    let head: String = text.chars().take(120).collect();
    let full: String = if n > 20_000 { text.chars().take(20_000).collect::<String>() + " …" } else { text };
    format!("<details><summary>{}… ({n} characters)</summary>{}</details>", escape(&head), escape(&full))
}

fn badge(o: &Outcome) -> String {
    let (class, mark) = if o.as_expected() { ("as-expected", "✓") } else { ("unexpected", "✗") };
    format!("<span class=\"badge {class}\">{mark} {}</span>", o.verdict())
}

fn margin_text(o: &Outcome) -> String {
    match &o.evidence.margin {
        None => "—".into(),
        Some(m) => {
            let side = if o.kind == Kind::Control { m.refute } else { m.support };
            format!("{:+.3e}", side)
        }
    }
}

/// The whole verify page.
pub fn verify_page(p: &VerifyPage) -> crate::Result<String> {
    let run = p.run;
    let outcomes = &run.outcomes;
    let passed = run.passed();
    let claims = outcomes.iter().filter(|o| o.kind == Kind::Claim).count();
    let mut s = String::new();
    let title = format!("regmatters verify — tier {}, seed {}", run.tier.as_str(), run.seed);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{CSS}</style>\n\
         </head>\n<body>\n<main>\n",
        escape(&title)
    );
    let _ = writeln!(s, "<h1>regmatters verify</h1>");
    let _ = writeln!(
        s,
        "<p class=\"lede\">Numerical checks of <i>Regularization Matters</i> (Wei, Lee, Liu, Ma 2019): each claim is \
         decided by a rule fixed in advance and paired with a falsification control that the same rule must refute.</p>"
    );
    let (class, text) = if passed {
        ("pass", "passed: every claim Supported and every control Refuted".to_string())
    } else {
        let bad: Vec<&str> = outcomes.iter().filter(|o| !o.as_expected()).map(|o| o.id.as_str()).collect();
        ("fail", format!("not passed: {} not as expected ({})", bad.len(), bad.join(", ")))
    };
    let _ = writeln!(s, "<p><span class=\"status {class}\" id=\"status\">{}</span></p>", escape(&text));
    let _ = writeln!(s, "<dl class=\"run\">");
    let mut row = |k: &str, v: String| {
        let _ = writeln!(s, "<dt>{}</dt><dd>{v}</dd>", escape(k));
    };
    row("tier", escape(run.tier.as_str()));
    match p.robustness {
        Some(r) => row(
            "seeds",
            format!(
                "{} master seeds ({}); checks detailed below at seed {}",
                r.seeds.len(),
                escape(&seed_list(&r.seeds)),
                run.seed
            ),
        ),
        None => row("seed", run.seed.to_string()),
    }
    row("version", escape(env!("CARGO_PKG_VERSION")));
    row("checks", format!("{claims} claims, {} falsification controls", outcomes.len() - claims));
    row("error rate", escape(&super::table::family_wise_line(outcomes)));
    if p.overrides.is_empty() {
        row("parameters", "the tier's defaults".into());
    } else {
        let list: Vec<String> = p
            .overrides
            .iter()
            .map(|(k, v)| format!("<code class=\"override\">{}={}</code>", escape(k), escape(v)))
            .collect();
        row("parameters", format!("non-default: {}", list.join(" ")));
    }
    row("command", format!("<code>{}</code>", escape(p.command)));
    let _ = writeln!(s, "</dl>");

    // the theorem map
    let _ = writeln!(s, "<section id=\"graph\">\n<h2>Theorem map</h2>");
    let _ = writeln!(
        s,
        "<p class=\"lede\">Arrows point from a statement to what it uses; green: as expected (claim Supported, control \
         Refuted), red: not as expected, grey: not run. Hover a box for its statement.</p>"
    );
    let svg = super::graph::svg(p.manifest, outcomes)?;
    let _ = writeln!(s, "<div class=\"graph\">\n{}</div>\n</section>", svg.trim_end());

    // summary table
    let _ = writeln!(s, "<section id=\"summary\">\n<h2>Checks</h2>");
    let _ = writeln!(
        s,
        "<table class=\"summary\">\n<colgroup><col style=\"width:27%\"><col style=\"width:7%\"><col style=\"width:17%\">\
         <col style=\"width:11%\"><col style=\"width:9%\"><col style=\"width:7%\"><col style=\"width:22%\"></colgroup>\n<thead><tr><th>id</th><th>kind</th><th>source</th><th>verdict</th>\
         <th title=\"distance into the expected region of the rule, in the rule's own units\">margin</th>\
         <th>seconds</th><th>key numbers</th></tr></thead>\n<tbody>"
    );
    for o in outcomes {
        let key = match &o.error {
            Some(e) => format!("<span class=\"error\">error: {}</span>", escape(e)),
            None => escape(&o.evidence.summary),
        };
        let _ = writeln!(
            s,
            "<tr data-id=\"{id}\"><td><a href=\"#{id}\"><code>{id}</code></a>{post}</td><td>{}</td><td class=\"src\">{}</td><td>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{:.2}</td><td class=\"key\">{key}</td></tr>",
            o.kind.as_str(),
            escape(&o.source),
            badge(o),
            margin_text(o),
            o.seconds,
            id = escape(&o.id),
            post = if o.post_hoc {
                " <span class=\"post-hoc\" title=\"a threshold or rule was changed after the check first ran\">†</span>"
            } else {
                ""
            },
        );
    }
    let _ = writeln!(s, "</tbody>\n</table>\n</section>");

    // one section per check
    let _ = writeln!(s, "<section id=\"details\">\n<h2>Each check: statement, rule and the numbers it decided on</h2>");
    for o in outcomes {
        check_article(&mut s, p.manifest, outcomes, o);
    }
    let _ = writeln!(s, "</section>");

    if let Some(r) = p.robustness {
        robustness_section(&mut s, r);
    }
    let _ = writeln!(
        s,
        "<footer>Written by regmatters {} — a self-contained page: no script, no external resource.</footer>\n\
         </main>\n</body>\n</html>",
        escape(env!("CARGO_PKG_VERSION"))
    );
    Ok(s)
}

fn seed_list(seeds: &[u64]) -> String {
    if seeds.len() <= 6 {
        return seeds.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
    }
    let contiguous = seeds.windows(2).all(|w| w[1] == w[0] + 1);
    if contiguous {
        format!("{}..{}", seeds[0], seeds[seeds.len() - 1] + 1)
    } else {
        format!("{}, {}, {}, …, {}", seeds[0], seeds[1], seeds[2], seeds[seeds.len() - 1])
    }
}

fn check_article(s: &mut String, manifest: &Manifest, outcomes: &[Outcome], o: &Outcome) {
    let entry = manifest.get(&o.id);
    let id = escape(&o.id);
    let extra = if o.as_expected() { "" } else { " unexpected-check" };
    let _ = writeln!(
        s,
        "<article class=\"check{extra}\" id=\"{id}\" data-id=\"{id}\" data-verdict=\"{}\" data-kind=\"{}\">",
        o.verdict().as_str(),
        o.kind.as_str()
    );
    let _ = writeln!(
        s,
        "<header><h3>{id}{}</h3>{}<span class=\"meta\">{} · {} · expected {} · {:.2} s</span></header>",
        if o.post_hoc { " †" } else { "" },
        badge(o),
        o.kind.as_str(),
        escape(&o.source),
        o.kind.expected(),
        o.seconds
    );
    if let Some(e) = entry {
        let _ = writeln!(s, "<p class=\"statement\">{}</p>", escape(&e.statement));
    }
    // controls of a claim, or the claim a control belongs to
    match o.kind {
        Kind::Claim => {
            let prefix = format!("{}:", o.id);
            let controls: Vec<&Outcome> = outcomes.iter().filter(|c| c.id.starts_with(&prefix)).collect();
            if !controls.is_empty() {
                let _ = writeln!(s, "<h4>Falsification controls</h4>\n<ul>");
                for c in controls {
                    let _ = writeln!(
                        s,
                        "<li><a href=\"#{cid}\"><code>{cid}</code></a> {}</li>",
                        badge(c),
                        cid = escape(&c.id)
                    );
                }
                let _ = writeln!(s, "</ul>");
            }
        }
        Kind::Control => {
            if let Some((parent, _)) = o.id.split_once(':') {
                let verdict = outcomes.iter().find(|c| c.id == parent).map(badge).unwrap_or_default();
                let _ = writeln!(
                    s,
                    "<h4>Control of</h4>\n<ul><li><a href=\"#{pid}\"><code>{pid}</code></a> {verdict}</li></ul>",
                    pid = escape(parent)
                );
            }
        }
    }
    if let Some(e) = entry.filter(|e| !e.uses.is_empty()) {
        let uses: Vec<String> = e
            .uses
            .iter()
            .map(|u| {
                if outcomes.iter().any(|c| &c.id == u) {
                    format!("<a href=\"#{u}\"><code>{u}</code></a>", u = escape(u))
                } else {
                    format!("<code>{}</code>", escape(u))
                }
            })
            .collect();
        let _ = writeln!(s, "<h4>Uses</h4>\n<p>{}</p>", uses.join(", "));
    }
    let _ = writeln!(s, "<h4>Rule</h4>\n<ul>");
    for part in o.evidence.rule.split("; AND ") {
        let _ = writeln!(s, "<li class=\"rule\">{}</li>", escape(part));
    }
    let _ = writeln!(s, "</ul>");
    let _ = writeln!(s, "<h4>Margin</h4>");
    match &o.evidence.margin {
        Some(m) => {
            let part = if m.part.is_empty() {
                String::new()
            } else {
                format!(" — binding part: <code>{}</code>", escape(&m.part))
            };
            let _ = writeln!(s, "<p class=\"mono\">support {:+.4e}, refute {:+.4e}{part}</p>", m.support, m.refute);
        }
        None => {
            let _ = writeln!(s, "<p>—</p>");
        }
    }
    if o.evidence.refute_alpha > 0.0 {
        let _ = writeln!(s, "<p class=\"meta\">refutation α spent: {:.1e}</p>", o.evidence.refute_alpha);
    }
    if !o.evidence.metrics.is_empty() {
        let _ = writeln!(s, "<h4>Deciding numbers</h4>\n<table class=\"metrics\"><tbody>");
        for (k, v) in &o.evidence.metrics {
            let _ = writeln!(s, "<tr><td>{}</td><td class=\"value\">{}</td></tr>", escape(k), value_cell(v));
        }
        let _ = writeln!(s, "</tbody></table>");
    }
    if !o.evidence.notes.is_empty() {
        let _ = writeln!(s, "<h4>Notes</h4>\n<ul>");
        for n in &o.evidence.notes {
            let _ = writeln!(s, "<li>{}</li>", escape(n));
        }
        let _ = writeln!(s, "</ul>");
    }
    if let Some(e) = &o.error {
        let _ = writeln!(s, "<h4>Error</h4>\n<p class=\"error\">{}</p>", escape(e));
    }
    let _ = writeln!(s, "</article>");
}

fn robustness_section(s: &mut String, r: &Robustness) {
    let n = r.seeds.len();
    let _ = writeln!(s, "<section id=\"robustness\">\n<h2>Robustness over {n} master seeds</h2>");
    let all = r.checks.iter().filter(|c| c.as_expected() == n).count();
    let opposite: usize = r.checks.iter().map(|c| c.opposite()).sum();
    let _ = writeln!(
        s,
        "<p>{all}/{} checks got their expected verdict at every seed; {opposite} times a claim was Refuted or a \
         control Supported. Margin: distance into the expected region of the rule at the worst seed (the first \
         unexpected verdict, else the smallest margin).</p>",
        r.checks.len()
    );
    let _ = writeln!(
        s,
        "<table class=\"robustness\">\n<thead><tr><th>id</th><th>expected</th><th>S</th><th>R</th><th>I</th>\
         <th>as expected</th><th>worst seed</th><th>margin</th><th>binding part</th></tr></thead>\n<tbody>"
    );
    for c in &r.checks {
        let ok = c.as_expected() == n;
        let class = if ok { "as-expected" } else { "unexpected" };
        let margin = c.worst_margin.map(|m| format!("{m:+.4e}")).unwrap_or_else(|| "—".into());
        let _ = writeln!(
            s,
            "<tr data-id=\"{id}\"><td><a href=\"#{id}\"><code>{id}</code></a></td><td>{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td><span class=\"badge {class}\">{} / {n}</span></td>\
             <td class=\"num\">{}</td><td class=\"num\">{margin}</td><td><code>{}</code></td></tr>",
            c.expected,
            c.supported,
            c.refuted,
            c.inconclusive,
            c.as_expected(),
            c.worst_seed,
            escape(&c.worst_part),
            id = escape(&c.id),
        );
    }
    let _ = writeln!(s, "</tbody>\n</table>\n</section>");
}

/// The root `<svg …>` tag of `svg` with a `viewBox` from its width and height when it has none, so CSS can scale
/// the figure to the page width and keep its aspect ratio.
fn scalable(svg: &str) -> String {
    let Some(start) = svg.find("<svg") else { return svg.to_string() };
    let Some(len) = svg[start..].find('>') else { return svg.to_string() };
    let tag = &svg[start..start + len];
    if tag.contains("viewBox") {
        return svg.to_string();
    }
    let attr = |name: &str| -> Option<f64> {
        let key = format!(" {name}=\"");
        let i = tag.find(&key)? + key.len();
        let j = tag[i..].find('"')?;
        tag[i..i + j].trim_end_matches("px").parse().ok()
    };
    match (attr("width"), attr("height")) {
        (Some(w), Some(h)) => format!("{}<svg viewBox=\"0 0 {w} {h}\"{}", &svg[..start], &svg[start + 4..]),
        _ => svg.to_string(),
    }
}

/// A `repro` page: the figure's SVG files inline, with the lines the command printed (its findings) and the run's
/// seed, tier and version.
pub fn repro_page(figure: &str, tier: &str, seed: u64, lines: &[String], svgs: &[(String, String)]) -> String {
    let mut s = String::new();
    let title = format!("regmatters repro {figure} — tier {tier}, seed {seed}");
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{CSS}\
         .figure{{background:#fff;border:1px solid var(--rule);border-radius:6px;padding:8px;margin:12px 0;overflow-x:auto}}\n\
         .figure svg{{display:block;width:100%;height:auto}}\n\
         </style>\n</head>\n<body>\n<main>\n<h1>regmatters repro {}</h1>\n",
        escape(&title),
        escape(figure)
    );
    let _ = writeln!(
        s,
        "<dl class=\"run\"><dt>tier</dt><dd>{}</dd><dt>seed</dt><dd>{seed}</dd><dt>version</dt><dd>{}</dd></dl>",
        escape(tier),
        escape(env!("CARGO_PKG_VERSION"))
    );
    if !lines.is_empty() {
        let _ = writeln!(s, "<section id=\"findings\">\n<h2>Findings</h2>\n<ul>");
        for l in lines {
            let _ = writeln!(s, "<li class=\"mono\">{}</li>", escape(l));
        }
        let _ = writeln!(s, "</ul>\n</section>");
    }
    let _ = writeln!(s, "<section id=\"figures\">\n<h2>Figures</h2>");
    for (name, svg) in svgs {
        let body = svg.trim_start();
        let body = match body.strip_prefix("<?xml") {
            Some(rest) => rest.split_once("?>").map(|(_, b)| b).unwrap_or(rest).trim_start(),
            None => body,
        };
        let _ = writeln!(
            s,
            "<figure class=\"figure\" id=\"{}\">\n{}\n<figcaption><code>{}</code></figcaption>\n</figure>",
            escape(name),
            scalable(body.trim_end()),
            escape(name)
        );
    }
    let _ = writeln!(
        s,
        "</section>\n<footer>Written by regmatters {} — a self-contained page: no script, no external resource.</footer>\n\
         </main>\n</body>\n</html>",
        escape(env!("CARGO_PKG_VERSION"))
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_infinity_is_named() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.123456789), "0.123457");
        assert_eq!(number(1234.5678), "1234.57");
        assert_eq!(number(f64::MAX), "+∞");
        assert_eq!(number(-f64::MAX), "−∞");
        assert_eq!(number(1.5e-7), "1.50000e-7");
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(
            scalable("<svg width=\"800\" height=\"600\" xmlns=\"x\"><g/></svg>"),
            "<svg viewBox=\"0 0 800 600\" width=\"800\" height=\"600\" xmlns=\"x\"><g/></svg>"
        );
        let kept = "<svg viewBox=\"0 0 1 1\" width=\"5\" height=\"5\"></svg>";
        assert_eq!(scalable(kept), kept);
    }
}

//! The claims' dependency graph (the manifest's `uses` edges) as SVG, nodes coloured by the last verdicts:
//! green = as expected (claim Supported / control Refuted), red = not as expected, grey = not run.
//! Layout: a node's column is the length of the longest `uses` chain below it; controls sit beside their claim.

use crate::claims::Outcome;
use crate::claims::manifest::Manifest;
use std::collections::BTreeMap;

/// Font size of a node's label, in pixels (the SVG's monospace default).
const FONT: f64 = 11.0;
/// Advance of one monospace character, in em (DejaVu Sans Mono and Liberation Mono: 0.60; a little room added).
const CHAR_W: f64 = 0.64;
/// Padding between a node's box and its label, in pixels.
const PAD: f64 = 8.0;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Renders the graph; errors on a dependency cycle.
pub fn svg(manifest: &Manifest, outcomes: &[Outcome]) -> crate::Result<String> {
    let ids: Vec<&str> = manifest.entries.iter().map(|e| e.id.as_str()).collect();
    let mut depth: BTreeMap<&str, usize> = BTreeMap::new();
    fn level<'a>(
        id: &'a str,
        m: &'a Manifest,
        memo: &mut BTreeMap<&'a str, usize>,
        stack: &mut Vec<&'a str>,
    ) -> crate::Result<usize> {
        if let Some(d) = memo.get(id) {
            return Ok(*d);
        }
        if stack.contains(&id) {
            return Err(crate::Error::Manifest(format!("dependency cycle through {id}")));
        }
        stack.push(id);
        let mut d = 0;
        if let Some(e) = m.get(id) {
            for u in &e.uses {
                d = d.max(1 + level(u, m, memo, stack)?);
            }
        }
        stack.pop();
        memo.insert(id, d);
        Ok(d)
    }
    for id in &ids {
        level(id, manifest, &mut depth, &mut Vec::new())?;
    }
    let mut columns: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for id in &ids {
        columns.entry(depth[id]).or_default().push(id);
    }
    let label = |e: &crate::claims::manifest::Entry| {
        let verdict = outcomes.iter().find(|o| o.id == e.id).map(|o| o.verdict().as_str()).unwrap_or("not run");
        format!("{} [{}]", e.id, verdict)
    };
    let longest = manifest.entries.iter().map(|e| label(e).chars().count()).max().unwrap_or(10);
    let (w, h, gx, gy) = (longest as f64 * CHAR_W * FONT + 2.0 * PAD, 26.0, 80.0, 12.0);
    let mut pos: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for (c, col) in &columns {
        for (r, id) in col.iter().enumerate() {
            pos.insert(id, (20.0 + *c as f64 * (w + gx), 40.0 + r as f64 * (h + gy)));
        }
    }
    let header =
        "regmatters claims: arrows point from a claim to what it uses; green = as expected, red = not, grey = not run";
    let width = (40.0 + columns.len() as f64 * (w + gx)).max(40.0 + header.chars().count() as f64 * CHAR_W * 13.0);
    let height = 60.0 + columns.values().map(|c| c.len()).max().unwrap_or(1) as f64 * (h + gy);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"monospace\" font-size=\"11\">\n\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">\
         <path d=\"M0,0 L10,5 L0,10 z\" fill=\"#888\"/></marker></defs>\n\
         <text x=\"20\" y=\"22\" font-size=\"13\">{header}</text>\n"
    );
    for e in &manifest.entries {
        let (x1, y1) = pos[e.id.as_str()];
        for u in &e.uses {
            if let Some((x2, y2)) = pos.get(u.as_str()) {
                s.push_str(&format!(
                    "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#888\" stroke-width=\"1\" marker-end=\"url(#arrow)\"/>\n",
                    x1,
                    y1 + h / 2.0,
                    x2 + w,
                    y2 + h / 2.0
                ));
            }
        }
    }
    for e in &manifest.entries {
        let (x, y) = pos[e.id.as_str()];
        let fill = match outcomes.iter().find(|o| o.id == e.id) {
            None => "#dddddd",
            Some(o) if o.as_expected() => "#b7e4b0",
            Some(_) => "#f4a6a6",
        };
        s.push_str(&format!(
            "<g><title>{}</title><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w}\" height=\"{h}\" rx=\"4\" fill=\"{fill}\" stroke=\"#333\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text></g>\n",
            escape(&format!("{} — {}: {}", e.id, e.source, e.statement)),
            x + PAD,
            y + 17.0,
            escape(&label(e)),
        ));
    }
    s.push_str("</svg>\n");
    Ok(s)
}

//! Every figure `repro` writes, rendered from quick-tier (or, for sample complexity, a small custom sweep's) data and
//! read back as SVG text: axis labels and legend entries present, the certified bracket drawn as a band of non-zero
//! height, tick labels free of float noise (`9.999999999999999e-5`), and no text starting left of the canvas. Needs
//! no renderer.

use regmatters::experiments::sample_complexity::{Job, Label, SweepConfig};
use regmatters::experiments::{kernel_vs_net, lazy_vs_regularized, margin_path, wgf, width_study};
use regmatters::report::figures;
use regmatters::tier::Tier;
use std::path::PathBuf;

const SEED: u64 = 7;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("regmatters-figures-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn read(d: &std::path::Path, file: &str) -> String {
    std::fs::read_to_string(d.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The text of every `<text>` element.
fn texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text") {
        rest = &rest[i..];
        let Some(open) = rest.find('>') else { break };
        let Some(close) = rest.find("</text>") else { break };
        out.push(rest[open + 1..close].trim().to_string());
        rest = &rest[close..];
    }
    out
}

/// The value of attribute `name` in an element's opening tag.
fn attr(tag: &str, name: &str) -> Option<f64> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    tag[i..].split('"').next()?.parse().ok()
}

/// Heights of the filled rects in the band colour.
fn band_heights(svg: &str) -> Vec<f64> {
    svg.split('<')
        .filter(|t| t.starts_with("rect") && t.contains("fill=\"#FFAA3C\""))
        .filter_map(|t| attr(t, "height"))
        .collect()
}

/// A run of five or more 0s or 9s after a digit or a point: the trace of an unformatted float.
fn noisy(s: &str) -> bool {
    let b: Vec<char> = s.chars().collect();
    for i in 0..b.len() {
        for d in ['0', '9'] {
            if b[i] == d
                && i > 0
                && i + 5 <= b.len()
                && (b[i - 1].is_ascii_digit() || b[i - 1] == '.')
                && b[i..].iter().take(5).all(|c| *c == d)
            {
                return true;
            }
        }
    }
    false
}

/// The checks every figure must pass; `needles` are axis labels and legend entries it must show.
fn check(svg: &str, needles: &[&str]) {
    let t = texts(svg);
    assert!(!t.is_empty(), "no text at all");
    for n in needles {
        assert!(t.iter().any(|x| x.contains(n)), "missing text {n:?}; have {t:?}");
    }
    for x in &t {
        assert!(!noisy(x), "float noise in {x:?}");
    }
    for tag in svg.split('<').filter(|s| s.starts_with("text ")) {
        let x = attr(tag, "x").unwrap_or(0.0);
        assert!(x >= 0.0, "text left of the canvas: {tag}");
    }
}

#[test]
fn noise_detector_catches_raw_floats() {
    assert!(noisy("9.999999999999999e-5"));
    assert!(noisy("0.30000000000000004"));
    assert!(!noisy("1e-4") && !noisy("2000 test points") && !noisy("0.01") && !noisy("10"));
}

#[test]
fn margin_path_figures() {
    let d = dir("margin");
    let r = margin_path::margin_path(&margin_path::MarginPathConfig::for_tier(Tier::Quick)).expect("margin path");
    figures::margin_path(&r, SEED, &d).expect("write");
    let svg = read(&d, "margin_path.svg");
    check(
        &svg,
        &[
            "λ (regularization strength, log scale)",
            "normalized margin γ_λ",
            "certified bracket",
            "rate floor",
            "1e-10",
        ],
    );
    let bands = band_heights(&svg);
    assert!(bands.iter().filter(|h| **h >= 5.0).count() >= 2, "bracket bands {bands:?}");
    check(&read(&d, "margin_functions.svg"), &["input x", "f(x) / ‖Θ‖²", "ℓ1-SVM / 2", "net, λ = "]);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn width_figure() {
    let d = dir("width");
    let r = width_study::width_study(Tier::Quick, SEED, &|_| {}).expect("width study");
    figures::width_study(&r, &d).expect("write");
    let svg = read(&d, "width.svg");
    check(&svg, &["width m (hidden units, log scale)", "0-1 test error", "normalized margin γ", "trained net"]);
    for w in &r.rows {
        assert!(texts(&svg).contains(&w.width.to_string()), "no tick for width {}", w.width);
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn wgf_figure() {
    let d = dir("wgf");
    let f = wgf::flow_figure(Tier::Quick, SEED).expect("flow figure");
    figures::wgf(&f, &d).expect("write");
    let svg = read(&d, "wgf.svg");
    check(
        &svg,
        &[
            "gradient step t",
            "L[ρ_t] − L_lower (log scale)",
            "signed weight",
            "certified bracket of L*",
            "plain (σ = 0)",
            "π/2",
        ],
    );
    let steps = texts(&svg).iter().filter(|t| t.parse::<f64>().is_ok_and(|v| v > 0.0 && v <= f.steps as f64)).count();
    assert!(steps >= 4, "step axis has {steps} ticks");
    assert!(band_heights(&svg).iter().filter(|h| **h > 1.0).count() >= f.panels.len());
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn kernel_vs_net_figure() {
    let d = dir("kvn");
    let r = kernel_vs_net::kernel_vs_net(Tier::Quick, SEED).expect("kernel vs net");
    figures::kernel_vs_net(&r, &d).expect("write");
    check(
        &read(&d, "kernel_vs_net.svg"),
        &[
            "training samples n (log scale)",
            "0-1 test error",
            "test MSE",
            "net bound (Thm 3.1)",
            "kernel T₂ (Lemma D.5)",
        ],
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn lazy_vs_regularized_figure() {
    let d = dir("lazy");
    let r = lazy_vs_regularized::lazy_vs_regularized(Tier::Quick, SEED).expect("lazy vs regularized");
    figures::lazy_vs_regularized(&r, &d).expect("write");
    check(
        &read(&d, "lazy_vs_regularized.svg"),
        &[
            "GD step (log scale; step 0 at 1)",
            "fraction of patterns changed",
            "λ = 0 (unregularized)",
            "standard error",
        ],
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn sample_complexity_figures() {
    let d = dir("sc");
    let mut sweep = SweepConfig::for_tier(Tier::Quick, Label::Xor, false);
    sweep.dims = vec![4, 6, 8];
    sweep.replicates = 2;
    sweep.test_points = 1000;
    let r = Job::custom(sweep, SEED).run().expect("sweep");
    figures::sample_complexity(&r, "custom", &d).expect("write");
    check(&read(&d, "sample_complexity.svg"), &["input dimension d (log scale)", "n* (training samples", "slope"]);
    check(
        &read(&d, "sample_complexity_curves.svg"),
        &["training samples n (log scale)", "0-1 test error", "target error"],
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn claim_graph_labels_fit_their_boxes() {
    let suite = regmatters::claims::Suite::builtin().expect("suite");
    let svg = regmatters::report::graph::svg(suite.manifest(), &[]).expect("graph");
    let width = svg.split('<').find(|t| t.starts_with("rect")).and_then(|t| attr(t, "width")).expect("a node");
    for label in texts(&svg).iter().skip(1) {
        let need = label.chars().count() as f64 * 0.6 * 11.0;
        assert!(need < width - 8.0, "label {label:?} needs {need} px, box is {width}");
    }
}

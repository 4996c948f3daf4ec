//! `regmatters repro` end to end for the figure reproductions: each quick-tier run writes its CSV + SVG + JSON,
//! the JSON parses and carries the expected keys, and every finding records a verdict, a rule and its numbers.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

/// Runs `regmatters repro FIGURE --tier quick --seed 7 --out DIR`; returns DIR and the printed summary.
fn repro(figure: &str) -> (PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("regmatters-repro-{}-{figure}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(env!("CARGO_BIN_EXE_regmatters"))
        .args(["repro", figure, "--tier", "quick", "--seed", "7", "--out"])
        .arg(&dir)
        .output()
        .expect("run regmatters");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "repro {figure} failed; stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, stdout)
}

fn files(dir: &std::path::Path, stem: &str) -> Value {
    for ext in ["csv", "svg", "json"] {
        let p = dir.join(format!("{stem}.{ext}"));
        let len = std::fs::metadata(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).len();
        assert!(len > 100, "{} is nearly empty ({len} bytes)", p.display());
    }
    let svg = std::fs::read_to_string(dir.join(format!("{stem}.svg"))).unwrap();
    assert!(svg.starts_with("<svg") || svg.contains("<svg"), "not an SVG");
    serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{stem}.json"))).unwrap()).expect("valid JSON")
}

fn check_findings(v: &Value, expected: usize) {
    let f = v["findings"].as_array().expect("findings array");
    assert_eq!(f.len(), expected);
    for x in f {
        assert!(x["statement"].is_string() && x["rule"].is_string(), "{x}");
        assert!(["supported", "refuted", "inconclusive"].contains(&x["verdict"].as_str().unwrap_or("")), "{x}");
        assert!(x["reproduced"].is_boolean() && x["metrics"].is_object(), "{x}");
    }
}

/// The verdicts of the findings, in order.
fn verdicts(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|x| x["verdict"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Every finding records a margin whose support side is a number, and the printed summary lists each finding.
fn check_margins_and_lines(v: &Value, stdout: &str) {
    for x in v["findings"].as_array().expect("findings array") {
        assert!(x["margin"]["support"].is_f64(), "no support margin: {x}");
        let line = format!("[{}] {}", x["verdict"].as_str().unwrap_or(""), x["statement"].as_str().unwrap_or(""));
        assert!(stdout.contains(&line), "{line:?} not printed:\n{stdout}");
    }
}

#[test]
fn lazy_vs_regularized_quick() {
    let (dir, stdout) = repro("lazy-vs-regularized");
    assert!(stdout.contains("lazy-vs-regularized:"), "{stdout}");
    let v = files(&dir, "lazy_vs_regularized");
    assert_eq!(v["figure"], "lazy-vs-regularized");
    assert_eq!(v["tier"], "quick");
    assert_eq!(v["seed"].as_u64(), Some(7));
    for side in ["unregularized", "regularized"] {
        for key in ["normalized_margin", "test_error", "activation_change_train", "activation_change_test"] {
            let x = v["final"][side][key].as_f64().unwrap_or_else(|| panic!("final.{side}.{key}"));
            assert!(x.is_finite());
        }
        let c = v["final"][side]["activation_change_train"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
    }
    assert!(v["setting"]["trials"].as_u64().unwrap() >= 5);
    check_findings(&v, 3);
    // the paper's findings: none may come out the opposite way (all three are Supported at this seed; a finding over
    // 5 quick-tier trials can be Inconclusive at another seed, so only "not Refuted" is asserted)
    assert!(verdicts(&v).iter().all(|x| x != "refuted"), "{:?}", verdicts(&v));
    // the CSV has one row per (trial, λ, checkpoint)
    let s = &v["setting"];
    let rows = std::fs::read_to_string(dir.join("lazy_vs_regularized.csv")).unwrap().lines().count() - 1;
    let want = s["trials"].as_u64().unwrap() as usize * 2 * s["checkpoints"].as_array().unwrap().len();
    assert_eq!(rows, want);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn kernel_vs_net_quick() {
    let (dir, stdout) = repro("kernel-vs-net");
    assert!(stdout.contains("kernel-vs-net:"), "{stdout}");
    let v = files(&dir, "kernel_vs_net");
    assert_eq!(v["figure"], "kernel-vs-net");
    let ns = v["ns"].as_array().expect("ns").len();
    assert!(ns >= 3);
    for task in ["classification", "regression"] {
        for key in ["net_test_error", "net_bound", "kernel_test_error", "kernel_bound"] {
            let a = v[task][key].as_array().unwrap_or_else(|| panic!("{task}.{key}"));
            assert_eq!(a.len(), ns, "{task}.{key}");
            assert!(a.iter().all(|x| x.as_f64().is_some_and(|x| x.is_finite() && x >= 0.0)), "{task}.{key}: {a:?}");
        }
    }
    check_findings(&v, 5);
    // none of Figure 3's findings may come out the opposite way (all five are Supported at this seed)
    assert!(verdicts(&v).iter().all(|x| x != "refuted"), "{:?}", verdicts(&v));
    let rows = std::fs::read_to_string(dir.join("kernel_vs_net.csv")).unwrap().lines().count() - 1;
    assert_eq!(rows, ns * v["setting"]["trials"].as_u64().unwrap() as usize);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_json_has_seed_tier_version_parameters_and_report_inlines_the_figures() {
    for (figure, json) in [("margin-path", "margin_path.json"), ("wgf", "wgf.json")] {
        let (dir, stdout) = repro(figure);
        let v: Value = serde_json::from_str(&std::fs::read_to_string(dir.join(json)).unwrap()).unwrap();
        assert_eq!(v["seed"], 7, "{figure}");
        assert_eq!(v["tier"], "quick", "{figure}");
        assert!(v["version"].is_string(), "{figure}");
        assert!(v["parameters"].is_object(), "{figure}: {}", v["parameters"]);
        // margin-path: ceiling, shrinks, ends small — certified and seed-free (the 1-D task has no random draw), so
        // Supported at every seed. wgf: the perturbed flow reaches U + ε from every start, the plain flow from the
        // dead and zero starts stays at R(0) — Supported at 20 of 20 master seeds (9000–9019), support margins
        // ≥ 0.0093 (reach, ε = 0.01) and 0.092 (stuck).
        let n = if figure == "margin-path" { 3 } else { 2 };
        check_findings(&v, n);
        check_margins_and_lines(&v, &stdout);
        assert_eq!(verdicts(&v), vec!["supported"; n], "{figure}: {}", v["findings"]);
        let _ = std::fs::remove_dir_all(&dir);
    }
    let dir = std::env::temp_dir().join(format!("regmatters-repro-report-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(env!("CARGO_BIN_EXE_regmatters"))
        .args(["repro", "margin-path", "--seed", "7", "--out"])
        .arg(&dir)
        .arg("--report")
        .arg(dir.join("html"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // progress on stderr (not a terminal here): a start and an end line
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("repro margin-path (tier quick): computing") && err.contains("computed in"), "{err}");
    let text = std::fs::read_to_string(dir.join("html/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&text);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let figures: Vec<String> =
        doc.select(&sel("figure.figure")).filter_map(|f| f.value().attr("id").map(str::to_string)).collect();
    assert_eq!(figures, ["margin_path.svg", "margin_functions.svg"]);
    assert_eq!(doc.select(&sel("figure.figure > svg")).count(), 2, "the SVGs inline");
    assert!(doc.select(&sel("script, link, img, [src]")).next().is_none(), "self-contained");
    assert!(doc.select(&sel("#findings li")).count() >= 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn width_quick() {
    let (dir, stdout) = repro("width");
    assert!(stdout.contains("width:"), "{stdout}");
    let v = files(&dir, "width");
    assert_eq!(v["figure"], "width");
    let r = &v["result"];
    let widths = r["rows"].as_array().expect("rows").len();
    let reps = r["replicates"].as_u64().expect("replicates") as usize;
    assert!(reps >= 2, "the quick tier trains several inits per width");
    assert_eq!(r["replicate_rows"].as_array().expect("replicate_rows").len(), widths * (reps - 1));
    let rows = std::fs::read_to_string(dir.join("width.csv")).unwrap().lines().count() - 1;
    assert_eq!(rows, widths * reps, "one CSV row per trained net");
    check_findings(&v, 2);
    check_margins_and_lines(&v, &stdout);
    // Neither finding is robust at the quick tier (one data set, widths 4 … 64, 4 inits each): over master seeds
    // 9000–9019 the margin finding was Supported at 15 and Inconclusive at 5, the test-error finding Supported at 9
    // and Inconclusive at 11 (the error is flat within its noise at many seeds, as at the second full-tier seed).
    // Neither was ever Refuted; that is what is asserted.
    for (k, x) in verdicts(&v).iter().enumerate() {
        assert_ne!(x, "refuted", "width finding {k}: {}", v["findings"][k]);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sample_complexity_quick() {
    let (dir, stdout) = repro("sample-complexity");
    assert!(stdout.contains("sample-complexity:"), "{stdout}");
    let v = files(&dir, "sample_complexity");
    assert_eq!(v["figure"], "sample-complexity");
    check_findings(&v, 3);
    check_margins_and_lines(&v, &stdout);
    // kernel slopes > 1.5, net slope < 1.5, kernel/net ratio slope > 0: each Supported at 20 of 20 master seeds
    // (9000–9019), smallest support margins 0.051, 0.089 and 0.31 (slope units). At this test's seed 7 the kernel
    // finding is Inconclusive: the SVM's lower 95% bound is 1.493, 0.007 below 1.5 (slope 1.63) — the pre-asymptotic
    // kernel slope sits close to the threshold — so it is asserted not Refuted; the other two are Supported.
    let v2 = verdicts(&v);
    assert_ne!(v2[0], "refuted", "{}", v["findings"][0]);
    assert_eq!(v2[1..], ["supported", "supported"], "{}", v["findings"]);
    let _ = std::fs::remove_dir_all(&dir);
}

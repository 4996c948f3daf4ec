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
    let rows = std::fs::read_to_string(dir.join("kernel_vs_net.csv")).unwrap().lines().count() - 1;
    assert_eq!(rows, ns * v["setting"]["trials"].as_u64().unwrap() as usize);
    let _ = std::fs::remove_dir_all(&dir);
}

//! `regmatters verify` end to end: JSON schema, exit status, seeds and thread counts.

use serde_json::Value;
use std::process::Command;

/// Runs `regmatters verify --only PATTERN --seed SEED --json FILE` with RAYON_NUM_THREADS = `threads`; returns the
/// exit code and the parsed JSON.
fn verify(pattern: &str, seed: u64, threads: usize, tag: &str) -> (i32, Value) {
    let dir = std::env::temp_dir().join(format!("regmatters-cli-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("report.json");
    let out = Command::new(env!("CARGO_BIN_EXE_regmatters"))
        .args(["verify", "--only", pattern, "--seed", &seed.to_string(), "--json"])
        .arg(&json)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .expect("run regmatters");
    let code = out.status.code().unwrap_or(-1);
    let text = std::fs::read_to_string(&json).unwrap_or_else(|e| {
        panic!(
            "no JSON ({e}); stdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, serde_json::from_str(&text).expect("valid JSON"))
}

/// The cheap checks used here: the foundation group (it includes randomized claims).
const PATTERN: &str = "nets.";

fn claims(v: &Value) -> &Vec<Value> {
    v["claims"].as_array().expect("claims array")
}

#[test]
fn json_matches_schema_and_exit_status() {
    let (code, v) = verify(PATTERN, 1, 2, "schema");
    assert_eq!(v["seed"].as_u64(), Some(1));
    assert_eq!(v["tier"].as_str(), Some("quick"));
    let cs = claims(&v);
    assert!(!cs.is_empty());
    let mut healthy = true;
    for c in cs {
        for key in ["id", "source", "kind", "verdict", "rule", "metrics", "seconds"] {
            assert!(c.get(key).is_some(), "missing {key} in {c}");
        }
        let kind = c["kind"].as_str().unwrap();
        assert!(kind == "claim" || kind == "control");
        let verdict = c["verdict"].as_str().unwrap();
        assert!(["supported", "refuted", "inconclusive"].contains(&verdict));
        assert!(c["metrics"].is_object());
        healthy &= (kind == "claim" && verdict == "supported") || (kind == "control" && verdict == "refuted");
    }
    assert_eq!(
        code == 0,
        healthy,
        "exit status must be 0 exactly when every claim is supported and every control refuted"
    );
}

fn strip_seconds(v: &Value) -> Vec<(String, String, Value)> {
    claims(v)
        .iter()
        .map(|c| {
            (c["id"].as_str().unwrap().to_string(), c["verdict"].as_str().unwrap().to_string(), c["metrics"].clone())
        })
        .collect()
}

#[test]
fn same_seed_bit_identical_other_threads_same_verdicts() {
    let (_, a) = verify(PATTERN, 7, 2, "a");
    let (_, b) = verify(PATTERN, 7, 2, "b");
    assert_eq!(strip_seconds(&a), strip_seconds(&b), "same seed and thread count must give identical metrics");
    let (_, c) = verify(PATTERN, 7, 1, "c");
    let verdicts = |v: &Value| claims(v).iter().map(|c| (c["id"].clone(), c["verdict"].clone())).collect::<Vec<_>>();
    assert_eq!(verdicts(&a), verdicts(&c), "thread count must not change verdicts");
    // Metrics may differ in the last bits across thread counts (parallel reductions); they must agree to 1e-9
    // relative, far below any tolerance a decision rule uses.
    for ((id, _, ma), (_, _, mc)) in strip_seconds(&a).iter().zip(strip_seconds(&c).iter()) {
        assert!(close(ma, mc, 1e-9), "{id}: metrics differ across thread counts:\n{ma}\n{mc}");
    }
}

/// Structural equality of JSON values with numbers compared to `rel` relative tolerance.
fn close(a: &Value, b: &Value, rel: f64) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (x - y).abs() <= rel * x.abs().max(y.abs()).max(1e-300)
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| close(p, q, rel)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w, rel)))
        }
        _ => a == b,
    }
}

#[test]
fn another_seed_changes_samples_not_verdicts() {
    let (_, a) = verify(PATTERN, 11, 2, "s11");
    let (_, b) = verify(PATTERN, 12, 2, "s12");
    let verdicts = |v: &Value| claims(v).iter().map(|c| (c["id"].clone(), c["verdict"].clone())).collect::<Vec<_>>();
    assert_eq!(verdicts(&a), verdicts(&b));
    assert_ne!(strip_seconds(&a), strip_seconds(&b), "a different seed must change the sampled metrics");
}

#[test]
fn unknown_pattern_is_an_error() {
    let out =
        Command::new(env!("CARGO_BIN_EXE_regmatters")).args(["verify", "--only", "no.such.claim"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no registered check"));
}

#[test]
fn list_and_explain() {
    let out =
        Command::new(env!("CARGO_BIN_EXE_regmatters")).args(["verify", "--list", "--only", "ntk"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for id in ["ntk.lower_bound", "ntk.lower_bound:degree-one-label", "ntk.non_focus"] {
        assert!(text.lines().any(|l| l.starts_with(id)), "{id} missing from\n{text}");
    }
    assert!(!text.contains("margin.limit"), "--only is honoured by --list");
    let out = Command::new(env!("CARGO_BIN_EXE_regmatters"))
        .args(["verify", "--only", "nets.homogeneity:wrong-degree", "--explain"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("── nets.homogeneity:wrong-degree"), "{text}");
    assert!(text.contains("   rule: ") && text.contains("   margin: support"), "{text}");
}

#[test]
fn seeds_sweep_prints_the_robustness_table_and_json() {
    let json = std::env::temp_dir().join(format!("regmatters-seeds-{}.json", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_regmatters"))
        .args(["verify", "--seeds", "3", "--only", "nets.homogeneity", "--json"])
        .arg(&json)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("3 master seeds") && text.contains("nets.homogeneity:wrong-degree"), "{text}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["passed"], true);
    let checks = v["robustness"]["checks"].as_array().unwrap();
    assert_eq!(checks.len(), checks_with_prefix("nets.homogeneity"));
    for c in checks {
        assert_eq!(c["per_seed"].as_array().unwrap().len(), 3);
        assert!(c["per_seed"][0]["margin"].is_number(), "{c}");
    }
    let _ = std::fs::remove_file(&json);
    let bad = Command::new(env!("CARGO_BIN_EXE_regmatters")).args(["verify", "--seeds", "5..5"]).output().unwrap();
    assert_ne!(bad.status.code(), Some(0));
}

#[test]
fn set_overrides_a_parameter_and_records_it() {
    let dir = std::env::temp_dir().join(format!("regmatters-set-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("set.json");
    let out = Command::new(env!("CARGO_BIN_EXE_regmatters"))
        .args(["verify", "--only", "nets.homogeneity", "--set", "replicates=3", "--json"])
        .arg(&json)
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}{}", String::from_utf8_lossy(&out.stderr));
    // the table marks every row run at a non-default value, and says which
    assert!(text.lines().any(|l| l.starts_with("nets.homogeneity *")), "{text}");
    assert!(text.contains("[set replicates=3]") && text.contains("non-default parameters (replicates=3)"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 100), "table wider than COLUMNS:\n{text}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["parameters"]["replicates"], "3");
    assert_eq!(v["passed"], true);
    for c in claims(&v) {
        assert_eq!(c["parameters"]["replicates"], "3", "{c}");
        assert_eq!(c["metrics"]["replicates"], 3, "the check ran with the override");
    }
    // a narrow terminal: the source column is dropped and the key numbers go on lines of their own
    let narrow = Command::new(env!("CARGO_BIN_EXE_regmatters"))
        .args(["verify", "--only", "nets.homogeneity", "--set", "replicates=3"])
        .env("COLUMNS", "60")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&narrow.stdout);
    assert!(text.lines().all(|l| l.chars().count() <= 60), "table wider than COLUMNS=60:\n{text}");
    assert!(text.contains("    [set replicates=3] worst"), "{text}");
    // without --set: the defaults, an empty parameter map, no mark
    let (_, d) = verify("nets.homogeneity", regmatters::seed::DEFAULT_SEED, 2, "default");
    assert_eq!(d["parameters"], serde_json::json!({}));
    for c in claims(&d) {
        assert!(c.get("parameters").is_none(), "{c}");
        assert_eq!(c["metrics"]["replicates"], 20);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unknown_or_malformed_set_is_refused_with_the_valid_keys() {
    let run = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_regmatters")).args(args).output().unwrap();
    let out = run(&["verify", "--only", "nets.homogeneity", "--set", "dims=8,16"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown parameter dims") && err.contains("valid keys: replicates (nets.homogeneity"),
        "{err}"
    );
    let out = run(&["verify", "--only", "nets.homogeneity", "--set", "replicates"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("KEY=VALUE"));
    // a value the check cannot take is the check's error, named by key and value
    let out = run(&["verify", "--only", "nets.homogeneity", "--set", "replicates=0", "--explain"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("invalid parameter replicates = 0"), "{text}");
    // --list shows the settable keys of the selection
    let out = run(&["verify", "--list", "--only", "kernel.feature_mean"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("parameters (verify --set KEY=VALUE") && text.contains("  dims "), "{text}");
}

#[test]
fn progress_goes_to_stderr_when_piped() {
    let out =
        Command::new(env!("CARGO_BIN_EXE_regmatters")).args(["verify", "--only", "nets.homogeneity"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let text = String::from_utf8_lossy(&out.stdout);
    // stderr is not a terminal here: one line per finished check
    let n = checks_with_prefix("nets.homogeneity");
    assert_eq!(err.lines().filter(|l| l.starts_with('[')).count(), n, "{err}");
    assert!(err.contains(&format!("/{n}] nets.homogeneity")), "{err}");
    assert!(!text.contains(&format!("/{n}]")), "progress stays off stdout");
}

/// How many manifest entries (the claim and its controls) `--only prefix` selects.
fn checks_with_prefix(prefix: &str) -> usize {
    regmatters::claims::manifest::Manifest::builtin()
        .unwrap()
        .entries
        .iter()
        .filter(|e| e.id.starts_with(prefix))
        .count()
}

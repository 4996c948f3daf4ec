//! No panic for any integer a user can type: the binary is run on arbitrary integer arguments of `spectrum`, `eig`
//! and `verify` and must exit 0 (work done) or 2 (a typed error) — never with a panic (101) or a signal (abort).
//!
//! Cases: 200 by default; `PROPTEST_CASES=10000 cargo test --test cli_props` runs more (each case is one process).

use proptest::prelude::*;
use std::process::Command;

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Small values (where the work really runs), values near the edges and anything in between.
fn integer() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..40).prop_map(|v| v.to_string()),
        any::<u64>().prop_map(|v| v.to_string()),
        Just(u64::MAX.to_string()),
        Just(i64::MAX.to_string()),
        Just("18446744073709551616".to_string()),
        Just("-1".to_string()),
    ]
}

fn run(args: &[String]) -> Option<i32> {
    let out = Command::new(env!("CARGO_BIN_EXE_regmatters")).args(args).output().unwrap();
    let code = out.status.code();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked") && !err.contains("memory allocation"), "{args:?}: {err}");
    code
}

fn matrix_file() -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("regmatters-cli-props-{}.npy", std::process::id()));
    if !p.exists() {
        let k = nalgebra::DMatrix::from_fn(12, 12, |i, j| 1.0 / (1.0 + i as f64 + j as f64));
        regmatters::npy::write_matrix(&p, &k).unwrap();
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(200), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn spectrum_never_panics(d in integer(), n in integer(), seed in integer()) {
        let args: Vec<String> =
            ["--max-memory", "4M", "spectrum", "--d", &d, "--n", &n, "--seed", &seed].iter().map(|s| s.to_string()).collect();
        let code = run(&args);
        prop_assert!(matches!(code, Some(0) | Some(2)), "{args:?}: {code:?}");
    }

    #[test]
    fn eig_never_panics(top in integer(), mem in integer()) {
        let p = matrix_file();
        let args: Vec<String> = vec![
            "--max-memory".into(), format!("{mem}K"), "eig".into(), "--input".into(), p.display().to_string(),
            "--top".into(), top.clone(),
        ];
        let code = run(&args);
        prop_assert!(matches!(code, Some(0) | Some(2)), "{args:?}: {code:?}");
    }

    #[test]
    fn verify_arguments_never_panic(jobs in integer(), seeds in integer(), seed in integer()) {
        let args: Vec<String> = ["verify", "--list", "--jobs", &jobs, "--seeds", &seeds, "--seed", &seed]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let code = run(&args);
        prop_assert!(matches!(code, Some(0) | Some(2)), "{args:?}: {code:?}");
    }
}

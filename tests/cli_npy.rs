//! The `kernel`, `eig` and `spectrum` subcommands through `.npy` files: results equal the library's, bad input fails
//! with a clear message and exit code 2.

use nalgebra::DMatrix;
use regmatters::kernels::{Kind, cross, gram};
use regmatters::linalg::eigen::sym_eigen;
use regmatters::npy;
use std::path::PathBuf;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_regmatters"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("regmatters-cli-npy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn points(n: usize, d: usize, shift: f64) -> DMatrix<f64> {
    DMatrix::from_fn(n, d, |i, j| ((i * 7 + j * 3) as f64 * 0.37 + shift).sin())
}

#[test]
fn kernel_and_eig_round_trip_through_npy() {
    let x = points(60, 4, 0.0);
    let z = points(25, 4, 1.0);
    let (px, pz, pk, pc) = (tmp("x.npy"), tmp("z.npy"), tmp("k.npy"), tmp("c.npy"));
    npy::write_matrix(&px, &x).unwrap();
    npy::write_matrix(&pz, &z).unwrap();
    let st = bin().args(["kernel", "--kind", "ntk", "--input"]).arg(&px).arg("--output").arg(&pk).status().unwrap();
    assert!(st.success());
    assert_eq!(npy::read_matrix(&pk).unwrap(), gram(Kind::Ntk, &x).unwrap());
    let st = bin()
        .args(["kernel", "--kind", "relu-sphere", "--input"])
        .arg(&px)
        .arg("--input2")
        .arg(&pz)
        .arg("--output")
        .arg(&pc)
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(npy::read_matrix(&pc).unwrap(), cross(Kind::ReluSphere, &x, &z).unwrap());

    let (pw, pv, pj) = (tmp("w.npy"), tmp("v.npy"), tmp("eig.json"));
    let st = bin()
        .args(["eig", "--input"])
        .arg(&pk)
        .arg("--values")
        .arg(&pw)
        .arg("--vectors")
        .arg(&pv)
        .arg("--json")
        .arg(&pj)
        .status()
        .unwrap();
    assert!(st.success());
    let e = sym_eigen(&gram(Kind::Ntk, &x).unwrap()).unwrap();
    let w = npy::read_vector(&pw).unwrap();
    assert!((w - &e.values).amax() <= 1e-12 * e.values.amax());
    assert_eq!(npy::read_matrix(&pv).unwrap().shape(), (60, 60));
    let j: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&pj).unwrap()).unwrap();
    assert_eq!(j["n"], 60);
    assert!(j["residual"].as_f64().unwrap() <= 1e-12);
    assert!(j["orthogonality"].as_f64().unwrap() <= 1e-12);

    let st = bin().args(["eig", "--top", "5", "--input"]).arg(&pk).arg("--values").arg(&pw).status().unwrap();
    assert!(st.success());
    let w = npy::read_vector(&pw).unwrap();
    assert_eq!(w.len(), 5);
    assert!((w[4] - e.values[59]).abs() <= 1e-9 * e.values[59]);
}

#[test]
fn bad_inputs_fail_with_exit_code_2() {
    // non-square and non-symmetric matrices to eig, mismatched dimensions to kernel, a file that is not .npy
    let (pa, pb, px, pz, pk) = (tmp("a.npy"), tmp("b.npy"), tmp("x2.npy"), tmp("z2.npy"), tmp("k2.npy"));
    npy::write_matrix(&pa, &DMatrix::<f64>::zeros(3, 4)).unwrap();
    let mut b = DMatrix::<f64>::identity(3, 3);
    b[(0, 2)] = 1.0;
    npy::write_matrix(&pb, &b).unwrap();
    npy::write_matrix(&px, &points(5, 3, 0.0)).unwrap();
    npy::write_matrix(&pz, &points(5, 2, 0.0)).unwrap();
    for (args, needle) in [
        (vec!["eig".into(), "--input".into(), pa.clone().into_os_string()], "shape mismatch"),
        (vec!["eig".into(), "--input".into(), pb.clone().into_os_string()], "symmetric"),
        (
            vec![
                "kernel".into(),
                "--kind".into(),
                "ntk".into(),
                "--input".into(),
                px.clone().into_os_string(),
                "--input2".into(),
                pz.clone().into_os_string(),
                "--output".into(),
                pk.clone().into_os_string(),
            ],
            "shape mismatch",
        ),
        (vec!["eig".into(), "--input".into(), "Cargo.toml".into()], "format error"),
    ] {
        let out = bin().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    let out = bin().args(["kernel", "--kind", "rbf", "--input", "x", "--output", "y"]).output().unwrap();
    assert!(!out.status.success());
}

#[test]
fn spectrum_reports_outliers_and_captured_fraction() {
    let pj = tmp("spectrum.json");
    let st = bin().args(["spectrum", "--d", "8", "--n", "300", "--json"]).arg(&pj).status().unwrap();
    assert!(st.success());
    let j: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&pj).unwrap()).unwrap();
    assert_eq!(j["population"].as_array().unwrap().len(), 9);
    assert!(j["captured_fraction_top_1_plus_d"].as_f64().unwrap() < 5.0 * 9.0 / 300.0);
    assert!(j["residual"].as_f64().unwrap() <= 1e-12);
}

#[test]
fn eig_top_is_by_magnitude_and_reports_the_path_it_ran() {
    // Q D Q with a Householder Q: indefinite, eigenvalue of largest magnitude −40, the rest in (0, 30]
    let n = 300;
    let lam: Vec<f64> = (0..n).map(|i| if i == 0 { -40.0 } else { 30.0 * i as f64 / (n - 1) as f64 }).collect();
    let v = nalgebra::DVector::from_fn(n, |i, _| ((i * 37 % 101) as f64 - 50.0) / 50.0).normalize();
    let q = DMatrix::<f64>::identity(n, n) - 2.0 * &v * v.transpose();
    let k = &q * DMatrix::from_diagonal(&nalgebra::DVector::from_vec(lam)) * &q;
    let k = (&k + k.transpose()) * 0.5;
    let (pk, pw, pj) = (tmp("indef.npy"), tmp("indef_w.npy"), tmp("indef.json"));
    npy::write_matrix(&pk, &k).unwrap();
    for (top, method) in [("5", "krylov-schur"), ("100", "dense decomposition")] {
        let st = bin()
            .args(["eig", "--top", top, "--input"])
            .arg(&pk)
            .arg("--values")
            .arg(&pw)
            .arg("--json")
            .arg(&pj)
            .status()
            .unwrap();
        assert!(st.success());
        let w = npy::read_vector(&pw).unwrap();
        assert!((w[0] + 40.0).abs() <= 1e-9, "--top {top}: {w}");
        let j: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&pj).unwrap()).unwrap();
        assert!(j["method"].as_str().unwrap().contains(method), "--top {top}: {}", j["method"]);
    }
}

#[test]
fn kernel_is_scale_invariant_and_refuses_unrepresentable_results() {
    let x = points(30, 3, 0.2);
    let (p1, pb, ps, ph, pk) = (tmp("s1.npy"), tmp("sbig.npy"), tmp("ssmall.npy"), tmp("shuge.npy"), tmp("sk.npy"));
    npy::write_matrix(&p1, &x).unwrap();
    npy::write_matrix(&pb, &(&x * 1e150)).unwrap();
    npy::write_matrix(&ps, &(&x * 1e-150)).unwrap();
    npy::write_matrix(&ph, &(&x * 1e160)).unwrap();
    let k1 = gram(Kind::Ntk, &x).unwrap();
    for (p, factor) in [(&pb, 1e300), (&ps, 1e-300)] {
        let st = bin().args(["kernel", "--kind", "ntk", "--input"]).arg(p).arg("--output").arg(&pk).status().unwrap();
        assert!(st.success());
        let k = npy::read_matrix(&pk).unwrap() / factor;
        assert!((k - &k1).amax() <= 1e-14 * k1.amax());
    }
    let out = bin().args(["kernel", "--kind", "ntk", "--input"]).arg(&ph).arg("--output").arg(&pk).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not representable"));
}

#[test]
fn bad_output_paths_fail_before_work_and_leave_nothing_behind() {
    let pk = tmp("out_k.npy");
    npy::write_matrix(&pk, &gram(Kind::Ntk, &points(20, 3, 0.0)).unwrap()).unwrap();
    let pw = tmp("out_w.npy");
    let _ = std::fs::remove_file(&pw);
    let missing = tmp("no-such-folder").join("v.npy");
    let out = bin()
        .args(["eig", "--input"])
        .arg(&pk)
        .arg("--values")
        .arg(&pw)
        .arg("--vectors")
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--vectors") && err.contains("does not exist"), "{err}");
    assert!(!pw.exists(), "the values file was written although the run failed");
    // an I/O error names its path once; a 1-D array is refused with a hint; --max-memory refuses before allocating
    let out = bin().args(["eig", "--input", "/nonexistent/k.npy"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("/nonexistent/k.npy").count(), 1, "{err}");
    assert_eq!(err.matches("No such file").count(), 1, "{err}");
    let pv = tmp("one_d.npy");
    npy::write_vector(&pv, &nalgebra::DVector::from_vec(vec![1.0, 2.0, 3.0])).unwrap();
    let out = bin().args(["kernel", "--kind", "ntk", "--input"]).arg(&pv).arg("--output").arg(&pw).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reshape"));
    let out = bin().args(["--max-memory", "1K", "eig", "--input"]).arg(&pk).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--max-memory") && err.contains("estimated"), "{err}");
    let out = bin().args(["spectrum", "--d", "8", "--n", "9223372036854775807"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

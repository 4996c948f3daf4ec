//! Sharded sample-complexity sweeps end to end, each shard a separate process: `repro sample-complexity --shard k/K`
//! then `merge` writes the very bytes of the unsharded run (quick tier, K = 3); the merge does not depend on K
//! (1, 2, 5); missing, duplicated and foreign partials fail with a message naming the problem and write nothing;
//! the shard comes from the Slurm / Kubernetes variables when no flag is given, and the Slurm script runs through
//! that path; GNU parallel drives the shards when it is installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The variables a scheduler may set; removed from every child unless a test sets them on purpose.
const SCHEDULER_VARS: [&str; 6] = [
    "SLURM_ARRAY_TASK_ID",
    "SLURM_ARRAY_TASK_COUNT",
    "SLURM_ARRAY_TASK_MIN",
    "SLURM_ARRAY_TASK_STEP",
    "JOB_COMPLETION_INDEX",
    "REGMATTERS_SHARD_COUNT",
];

/// A tiny sweep (3 dimensions × 2 replicates, kernel and net units: 12 units), seconds in all.
const TINY: &str = r#"
dims = [6, 8, 10]
replicates = 2
test_points = 1000
target_error = 0.1
kernel_max_factor = 2.0
net_max_factor = 16.0
holdout_factor = 20
label = "Xor"
with_net = true
net_width = 4
net_restarts = 1
ridges = [1e-6, 1e-3, 1e-1, 1.0]
"#;

const FILES: [&str; 4] =
    ["sample_complexity.json", "sample_complexity.csv", "sample_complexity.svg", "sample_complexity_curves.svg"];

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("regmatters-shard-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_regmatters"));
    for v in SCHEDULER_VARS {
        c.env_remove(v);
    }
    c
}

fn ok(out: Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{what} failed ({:?}); stdout:\n{stdout}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The arguments selecting the sweep: the quick tier, or the tiny sweep file.
fn which(tiny: Option<&Path>) -> Vec<String> {
    match tiny {
        Some(p) => vec!["--sweep".into(), p.display().to_string()],
        None => vec!["--tier".into(), "quick".into()],
    }
}

fn tiny_file(dir: &Path) -> PathBuf {
    let p = dir.join("tiny.toml");
    std::fs::write(&p, TINY).unwrap();
    p
}

fn unsharded(tiny: Option<&Path>, seed: u64, out: &Path) {
    let o = bin()
        .args(["repro", "sample-complexity", "--seed", &seed.to_string()])
        .args(which(tiny))
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    ok(o, "unsharded run");
}

/// Runs shard k of K as its own process; returns the partial's path.
fn shard(tiny: Option<&Path>, seed: u64, k: usize, n: usize, parts: &Path) -> PathBuf {
    let spec = format!("{k}/{n}");
    let o = bin()
        .args(["repro", "sample-complexity", "--seed", &seed.to_string(), "--shard", &spec])
        .args(which(tiny))
        .arg("--out")
        .arg(parts)
        .output()
        .unwrap();
    let stdout = ok(o, &format!("shard {spec}"));
    assert!(stdout.contains(&format!("shard {spec}")), "{stdout}");
    let p = parts.join(format!("sample_complexity.part-{k}-of-{n}.json"));
    assert!(p.is_file(), "{} missing", p.display());
    p
}

fn merge(parts: &[PathBuf], out: &Path) -> Output {
    bin().arg("merge").args(parts).arg("--out").arg(out).output().unwrap()
}

fn assert_same_files(a: &Path, b: &Path) {
    for f in FILES {
        let (x, y) = (std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap());
        assert!(x.len() > 100, "{f} nearly empty");
        assert!(x == y, "{f} differs between {} and {}", a.display(), b.display());
    }
}

/// Acceptance: three shards as three processes, merged, equal the unsharded run byte for byte (quick tier).
#[test]
fn three_shards_merge_to_the_unsharded_bytes() {
    let dir = scratch("k3");
    unsharded(None, 7, &dir.join("whole"));
    let parts: Vec<PathBuf> = (1..=3).map(|k| shard(None, 7, k, 3, &dir.join("parts"))).collect();
    let stdout = ok(merge(&parts, &dir.join("merged")), "merge");
    assert!(stdout.contains("merge: 3 partials"), "{stdout}");
    assert_same_files(&dir.join("whole"), &dir.join("merged"));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("merged/sample_complexity.json")).unwrap()).unwrap();
    assert_eq!(v["tier"], "quick");
    assert_eq!(v["seed"].as_u64(), Some(7));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The merged result is the same for K = 1, 2, 5 (and equals the unsharded run); partials hold disjoint units.
#[test]
fn merge_does_not_depend_on_the_shard_count() {
    let dir = scratch("kany");
    let tiny = tiny_file(&dir);
    unsharded(Some(&tiny), 3, &dir.join("whole"));
    for n in [1, 2, 5] {
        let parts_dir = dir.join(format!("parts{n}"));
        let parts: Vec<PathBuf> = (1..=n).map(|k| shard(Some(&tiny), 3, k, n, &parts_dir)).collect();
        let mut units = Vec::new();
        for p in &parts {
            let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            assert_eq!(v["format"], "regmatters-partial/1");
            assert!(v["config_hash"].as_str().unwrap().starts_with("fnv1a64:"));
            let u = v["units"].as_array().unwrap();
            assert!(u.len() == 12 / n || u.len() == 12 / n + 1, "K = {n}: unbalanced shard of {} units", u.len());
            units.extend(u.iter().map(|x| x.to_string()));
        }
        units.sort();
        units.dedup();
        assert_eq!(units.len(), 12, "K = {n}: the shards do not partition the 12 units");
        let out = dir.join(format!("merged{n}"));
        ok(merge(&parts, &out), &format!("merge K = {n}"));
        assert_same_files(&dir.join("whole"), &out);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Missing, duplicated and foreign partials: non-zero exit, a message naming the problem, no output folder.
#[test]
fn bad_partial_sets_fail_clearly_and_write_nothing() {
    let dir = scratch("bad");
    let tiny = tiny_file(&dir);
    let parts: Vec<PathBuf> = (1..=3).map(|k| shard(Some(&tiny), 3, k, 3, &dir.join("parts"))).collect();
    let foreign = shard(Some(&tiny), 4, 1, 3, &dir.join("other-seed"));
    let cases: [(&str, Vec<PathBuf>, &[&str]); 4] = [
        ("missing", vec![parts[0].clone(), parts[2].clone()], &["missing", "replicate"]),
        (
            "duplicated",
            vec![parts[0].clone(), parts[1].clone(), parts[2].clone(), parts[1].clone()],
            &["duplicated", "part-2-of-3.json and"],
        ),
        ("foreign", vec![parts[0].clone(), parts[1].clone(), foreign], &["mismatched configurations", "other-seed"]),
        ("not a partial", vec![parts[0].clone(), tiny.clone()], &["not a partial result file", "tiny.toml"]),
    ];
    for (what, files, needles) in cases {
        let out = dir.join(format!("out-{}", what.replace(' ', "-")));
        let o = merge(&files, &out);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{what}: merge succeeded");
        for n in needles {
            assert!(stderr.contains(n), "{what}: message lacks {n:?}:\n{stderr}");
        }
        assert!(!out.exists(), "{what}: {} was created", out.display());
    }
    // An edited configuration no longer matches its hash.
    let text = std::fs::read_to_string(&parts[0]).unwrap().replace("\"test_points\": 1000", "\"test_points\": 1001");
    let edited = dir.join("edited.json");
    std::fs::write(&edited, text).unwrap();
    let o = merge(&[edited, parts[1].clone(), parts[2].clone()], &dir.join("out-edited"));
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("hashes to"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Without --shard the shard comes from the Slurm array variables (array 1-3 here, so MIN = 1) or from Kubernetes'
/// JOB_COMPLETION_INDEX with REGMATTERS_SHARD_COUNT; `--shard off` ignores them; the Slurm script's shard and merge
/// modes run as a job array would run them.
#[test]
fn scheduler_variables_select_the_shard() {
    let dir = scratch("env");
    let tiny = tiny_file(&dir);
    let base = || {
        let mut c = bin();
        c.args(["repro", "sample-complexity", "--seed", "3"]).args(which(Some(&tiny)));
        c
    };
    let slurm_dir = dir.join("slurm");
    for id in 1..=3 {
        let o = base()
            .env("SLURM_ARRAY_TASK_ID", id.to_string())
            .env("SLURM_ARRAY_TASK_COUNT", "3")
            .env("SLURM_ARRAY_TASK_MIN", "1")
            .arg("--out")
            .arg(&slurm_dir)
            .output()
            .unwrap();
        let stdout = ok(o, "slurm task");
        assert!(stdout.contains("SLURM_ARRAY_TASK_ID"), "{stdout}");
    }
    let k8s_dir = dir.join("k8s");
    for idx in 0..2 {
        let o = base()
            .env("JOB_COMPLETION_INDEX", idx.to_string())
            .env("REGMATTERS_SHARD_COUNT", "2")
            .arg("--out")
            .arg(&k8s_dir)
            .output()
            .unwrap();
        ok(o, "indexed job");
    }
    let o = base().env("JOB_COMPLETION_INDEX", "0").arg("--out").arg(dir.join("nocount")).output().unwrap();
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("REGMATTERS_SHARD_COUNT"));
    let o = base()
        .env("JOB_COMPLETION_INDEX", "0")
        .args(["--shard", "off", "--out"])
        .arg(dir.join("whole"))
        .output()
        .unwrap();
    ok(o, "--shard off");
    let list = |d: &Path, n: usize| -> Vec<PathBuf> {
        (1..=n).map(|k| d.join(format!("sample_complexity.part-{k}-of-{n}.json"))).collect()
    };
    ok(merge(&list(&slurm_dir, 3), &dir.join("m-slurm")), "merge slurm");
    ok(merge(&list(&k8s_dir, 2), &dir.join("m-k8s")), "merge k8s");
    assert_same_files(&dir.join("whole"), &dir.join("m-slurm"));
    assert_same_files(&dir.join("whole"), &dir.join("m-k8s"));

    // The Slurm script: three array tasks (array 0-2) in mode shard, then the merge job's mode merge.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/slurm/sample_complexity.sbatch");
    let run_script = |mode: &str, id: Option<usize>| {
        let mut c = Command::new("bash");
        c.arg(&script).arg(mode).current_dir(&dir);
        for v in SCHEDULER_VARS {
            c.env_remove(v);
        }
        c.env("REGMATTERS", env!("CARGO_BIN_EXE_regmatters"))
            .env("SWEEP", &tiny)
            .env("SEED", "3")
            .env("PARTS", dir.join("script-parts"))
            .env("OUT", dir.join("script-out"));
        if let Some(id) = id {
            c.env("SLURM_ARRAY_TASK_ID", id.to_string())
                .env("SLURM_ARRAY_TASK_COUNT", "3")
                .env("SLURM_ARRAY_TASK_MIN", "0")
                .env("SLURM_CPUS_PER_TASK", "1");
        }
        ok(c.output().unwrap(), &format!("sbatch script {mode} {id:?}"))
    };
    for id in 0..3 {
        run_script("shard", Some(id));
    }
    run_script("merge", None);
    assert_same_files(&dir.join("whole"), &dir.join("script-out"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The GNU parallel recipe of docs/CLUSTER.md on the local cores, when `parallel` is installed (skipped otherwise).
#[test]
fn gnu_parallel_recipe() {
    let has_parallel = Command::new("parallel").arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    if !has_parallel {
        eprintln!("gnu_parallel_recipe: GNU parallel is not installed; skipped");
        return;
    }
    let dir = scratch("parallel");
    let tiny = tiny_file(&dir);
    unsharded(Some(&tiny), 5, &dir.join("whole"));
    let exe = env!("CARGO_BIN_EXE_regmatters");
    let cmd = format!(
        "parallel --will-cite --halt now,fail=1 -j2 {exe} repro sample-complexity --sweep {t} --seed 5 --shard {{}}/4 \
         --out {p} ::: 1 2 3 4 && {exe} merge {p}/sample_complexity.part-*-of-4.json --out {m}",
        t = tiny.display(),
        p = dir.join("parts").display(),
        m = dir.join("merged").display()
    );
    let mut c = Command::new("bash");
    c.args(["-c", &cmd]);
    for v in SCHEDULER_VARS {
        c.env_remove(v);
    }
    ok(c.output().unwrap(), "GNU parallel recipe");
    assert_same_files(&dir.join("whole"), &dir.join("merged"));
    let _ = std::fs::remove_dir_all(&dir);
}

//! Memory at scale: NTK kernel assembly and every kernel solve the sample-complexity engine uses, at n = 5000.
//!
//! `cargo run --release --example scale -- [n] [d]` (defaults n = 5000, d = 40, hypercube XOR data). Prints the
//! wall time of each phase and the process's peak resident memory (Linux `VmHWM`) after it, next to the size of one
//! n × n matrix, so a reader can count how many n × n matrices were alive at the peak:
//! K itself, the eigendecomposition's working copy and its eigenvectors V (the ridge path keeps V, not V∘V). The SVM
//! runs before the eigendecomposition so that its own peak (K plus the support block Q_FF it factorizes) is visible.

use regmatters::data::XorHypercube;
use regmatters::kernels::predict::{RidgePath, Svm, SvmOptions};
use regmatters::kernels::{Kind, gram};
use std::time::Instant;

/// Peak resident set size in MiB (`VmHWM` of /proc/self/status), if the platform reports it.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn report(phase: &str, start: Instant, matrix_mib: f64) {
    let peak = peak_mib();
    println!(
        "{phase:<34} {:>8.2} s   peak RSS {:>8} MiB  ({} n×n matrices)",
        start.elapsed().as_secs_f64(),
        peak.map_or("?".into(), |p| format!("{p:.0}")),
        peak.map_or("?".into(), |p| format!("{:.2}", p / matrix_mib)),
    );
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(5000);
    let d: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(40);
    let matrix_mib = (n * n * 8) as f64 / (1024.0 * 1024.0);
    println!("n = {n}, d = {d}: one n×n f64 matrix = {matrix_mib:.0} MiB; threads = {}", rayon::current_num_threads());
    let mut rng = regmatters::seed::stream(regmatters::seed::DEFAULT_SEED, &["example.scale"], 0);
    let data = XorHypercube::new(d)?.dataset(n, &mut rng)?;
    report("data", Instant::now(), matrix_mib);

    let t = Instant::now();
    let k = gram(Kind::Ntk, data.x())?;
    report("NTK Gram assembly", t, matrix_mib);

    let t = Instant::now();
    let svm = Svm::fit(&k, data.y(), SvmOptions { tol: 1e-6, ..SvmOptions::default() })?;
    report("hard-margin SVM", t, matrix_mib);
    let t = Instant::now();
    // K is not needed after this: the path decomposes it in its own memory
    let path = RidgePath::from_matrix(k, data.y())?;
    report("eigendecomposition (ridge path)", t, matrix_mib);

    let t = Instant::now();
    let rhos: Vec<f64> = [1e-8, 1e-6, 1e-4, 1e-2, 1.0].iter().map(|&c| path.relative_ridge(c)).collect();
    let fits = path.path(&rhos)?;
    let best = fits.iter().map(|f| f.loo_mse).fold(f64::INFINITY, f64::min);
    let alpha0 = path.ridgeless(1e-10)?;
    report("ridge path (5 ridges, LOO) + ridgeless", t, matrix_mib);

    println!(
        "best LOO mse {best:.4}; ‖α₀‖ = {:.3e}; SVM margin ∈ [{:.4e}, {:.4e}] ({} active-set steps, {} epochs, {} \
         support vectors)",
        alpha0.norm(),
        svm.margin_lower,
        svm.margin_upper,
        svm.active_set_steps,
        svm.epochs,
        svm.support
    );
    Ok(())
}

//! `regmatters spectrum`: empirical kernel spectrum on hypercube XOR data beside the population eigenvalues by Walsh
//! degree, the count of outliers above the predicted bulk edge, and the fraction of ‖y‖² captured by the top 1 + d
//! eigenvectors.

use indicatif::ProgressBar;
use regmatters::kernels::spectrum::{bulk_edge, captured_fraction, multiplicity, outliers, population_eigenvalues};
use regmatters::kernels::{self, Kind};
use regmatters::linalg::{eigen, residual};
use regmatters::memory::{Limit, f64s};
use regmatters::output;
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `regmatters spectrum`.
#[derive(clap::Args)]
pub struct Args {
    /// Input dimension d (x uniform on {−1, +1}^d, y = x₁x₂).
    #[arg(long)]
    pub d: usize,
    /// Number of samples n.
    #[arg(long)]
    pub n: usize,
    /// Master seed of the data stream.
    #[arg(long, default_value_t = regmatters::seed::DEFAULT_SEED)]
    pub seed: u64,
    /// Kernel: step, relu, ntk, relu-sphere or gauss-sphere.
    #[arg(long, default_value = "ntk")]
    pub kernel: Kind,
    /// Write the full report (population and empirical eigenvalues, counts, fractions) here.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// Runs the subcommand; returns the process exit code.
pub fn run(args: Args, limit: &Limit) -> anyhow::Result<i32> {
    let (d, n) = (args.d, args.n);
    if d < 2 || n < d.saturating_add(2) {
        anyhow::bail!("need d ≥ 2 (the label is x₁x₂) and n ≥ d + 2, got d = {d}, n = {n}");
    }
    if let Some(p) = &args.json {
        output::check_file("--json", p)?;
    }
    // the population side first: it bounds d
    let mu = population_eigenvalues(args.kernel, d)?;
    // Memory before sampling: X (n × d), K (n × n) and the decomposition of a copy with vectors (measured peak 4.26
    // n × n matrices): 5.5 n × n in all.
    let needed = f64s(&[n, d]).saturating_add(f64s(&[n, n]).saturating_mul(55) / 10);
    limit.check(&format!("the {n} × {n} {} kernel matrix and its eigendecomposition", args.kernel), needed)?;
    let bar = ProgressBar::new_spinner();
    bar.set_message("sampling and assembling the kernel matrix");
    let mut rng = regmatters::seed::stream(args.seed, &["spectrum", "xor_hypercube"], 0);
    let data = regmatters::data::XorHypercube::new(d)?.dataset(n, &mut rng)?;
    let (x, y) = (data.x(), data.y());
    let t = Instant::now();
    let k = kernels::gram(args.kernel, x)?;
    bar.set_message("eigendecomposition");
    let e = eigen::sym_eigen(&k)?;
    let res = residual::eigen_residual(&k, &e)?;
    let secs = t.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let nf = n as f64;
    let desc: Vec<f64> = e.values.iter().rev().copied().collect();
    let edge = bulk_edge(&mu, d, n);
    let n_out = outliers(&desc, edge);
    let frac = captured_fraction(&e.top(1 + d).vectors, y)?;
    let r0 = desc[0] / (nf * mu[0]);
    let mean1 = desc[1..=d].iter().sum::<f64>() / d as f64;
    let r1 = mean1 / (nf * mu[1]);
    println!("{} kernel on XOR hypercube data, d = {d}, n = {n}, seed {} ({secs:.2} s)", args.kernel, args.seed);
    println!("degree  multiplicity  n·μ_ℓ");
    for (l, m) in mu.iter().enumerate().take(6) {
        println!("{l:>6}  {:>12}  {:.6e}", multiplicity(d, l), nf * m);
    }
    println!("top eigenvalue / nμ₀ = {r0:.5}; mean of next d / nμ₁ = {r1:.5}");
    println!("outliers above the bulk edge {edge:.4e}: {n_out} (1 + d = {})", 1 + d);
    println!(
        "fraction of ‖y‖² captured by the top 1 + d eigenvectors: {frac:.6} (5(1 + d)/n = {:.6})",
        5.0 * (1 + d) as f64 / nf
    );
    println!("residual {:.2e}, orthogonality {:.2e}", res.residual, res.orthogonality);
    if let Some(p) = &args.json {
        let v = serde_json::json!({
            "command": "spectrum", "version": env!("CARGO_PKG_VERSION"), "seed": args.seed, "tier": null,
            "note": "no tier: d and n are given directly; non-finite numbers are written as null",
            "parameters": {"kernel": args.kernel.name(), "d": d, "n": n, "seed": args.seed},
            "kernel": args.kernel.name(), "d": d, "n": n, "seconds": secs,
            "population": mu, "population_times_n": mu.iter().map(|m| m * nf).collect::<Vec<_>>(),
            "multiplicity": (0..=d).map(|l| multiplicity(d, l)).collect::<Vec<_>>(),
            "empirical_desc": desc, "bulk_edge": edge, "outliers": n_out,
            "ratio_top_to_n_mu0": r0, "ratio_next_d_to_n_mu1": r1, "captured_fraction_top_1_plus_d": frac,
            "residual": res.residual, "orthogonality": res.orthogonality,
        });
        output::write_atomic(p, serde_json::to_string_pretty(&v)?.as_bytes())?;
    }
    Ok(0)
}

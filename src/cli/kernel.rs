//! `regmatters kernel`: assemble a kernel matrix from `.npy` inputs (rows are points).

use anyhow::Context as _;
use regmatters::kernels::{self, Kind};
use regmatters::npy;
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `regmatters kernel`.
#[derive(clap::Args)]
pub struct Args {
    /// Kernel: step, relu, ntk or relu-sphere.
    #[arg(long)]
    pub kind: Kind,
    /// Points X (n × d, rows are points), .npy.
    #[arg(long)]
    pub input: PathBuf,
    /// Optional second set Z (m × d); then the output is the n × m cross-kernel K(x_i, z_j).
    #[arg(long)]
    pub input2: Option<PathBuf>,
    /// Output matrix K (.npy, f64).
    #[arg(long)]
    pub output: PathBuf,
    /// Write a JSON summary (shape, seconds) here.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// Runs the subcommand; returns the process exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let x = npy::read_matrix(&args.input).with_context(|| format!("reading {}", args.input.display()))?;
    let z = match &args.input2 {
        Some(p) => Some(npy::read_matrix(p).with_context(|| format!("reading {}", p.display()))?),
        None => None,
    };
    let t = Instant::now();
    let k = match &z {
        Some(z) => kernels::cross(args.kind, &x, z)?,
        None => kernels::gram(args.kind, &x)?,
    };
    let secs = t.elapsed().as_secs_f64();
    npy::write_matrix(&args.output, &k).with_context(|| format!("writing {}", args.output.display()))?;
    println!(
        "{} kernel: {}×{} from X {}×{} in {:.3} s → {}",
        args.kind,
        k.nrows(),
        k.ncols(),
        x.nrows(),
        x.ncols(),
        secs,
        args.output.display()
    );
    if let Some(p) = &args.json {
        let v = serde_json::json!({
            "command": "kernel", "kind": args.kind.name(), "rows": k.nrows(), "cols": k.ncols(),
            "d": x.ncols(), "seconds": secs, "threads": rayon::current_num_threads(),
        });
        std::fs::write(p, serde_json::to_string_pretty(&v)?)?;
    }
    Ok(0)
}

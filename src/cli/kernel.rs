//! `regmatters kernel`: assemble a kernel matrix from `.npy` inputs (rows are points).

use regmatters::kernels::{self, Kind};
use regmatters::memory::{Limit, f64s};
use regmatters::npy;
use regmatters::output::{self, Staged};
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `regmatters kernel`.
#[derive(clap::Args)]
pub struct Args {
    /// Kernel: step, relu, ntk, relu-sphere or gauss-sphere.
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
pub fn run(args: Args, limit: &Limit) -> anyhow::Result<i32> {
    output::check_file("--output", &args.output)?;
    if let Some(p) = &args.json {
        output::check_file("--json", p)?;
    }
    // Memory before reading: X (n × d) and Z (m × d) plus their power-of-two normalized copies, and K (n × m).
    let dims = |p: &std::path::Path| -> anyhow::Result<(usize, usize)> {
        match npy::shape(p)?.as_slice() {
            [r, c] => Ok((*r, *c)),
            _ => Ok((0, 0)), // read_matrix below reports the shape
        }
    };
    let (n, d) = dims(&args.input)?;
    let m = match &args.input2 {
        Some(p) => dims(p)?.0,
        None => n,
    };
    let needed = f64s(&[n, d, 2]).saturating_add(f64s(&[m, d, 2])).saturating_add(f64s(&[n, m]));
    limit.check(&format!("the {n} × {m} {} kernel matrix (with its inputs)", args.kind), needed)?;
    let x = npy::read_matrix(&args.input)?;
    let z = match &args.input2 {
        Some(p) => Some(npy::read_matrix(p)?),
        None => None,
    };
    let t = Instant::now();
    let k = match &z {
        Some(z) => kernels::cross(args.kind, &x, z)?,
        None => kernels::gram(args.kind, &x)?,
    };
    let secs = t.elapsed().as_secs_f64();
    let mut staged = Staged::new();
    npy::stage_matrix(&mut staged, &args.output, &k)?;
    if let Some(p) = &args.json {
        let v = serde_json::json!({
            "command": "kernel", "version": env!("CARGO_PKG_VERSION"), "seed": null, "tier": null,
            "note": "deterministic command: no seed or tier",
            "parameters": {"kind": args.kind.name(), "input": args.input, "input2": args.input2, "output": args.output},
            "rows": k.nrows(), "cols": k.ncols(), "d": x.ncols(), "seconds": secs,
            "threads": rayon::current_num_threads(),
        });
        staged.stage(p, serde_json::to_string_pretty(&v)?.as_bytes())?;
    }
    staged.commit()?;
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
    Ok(0)
}

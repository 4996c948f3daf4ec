//! `regmatters merge PARTIALS… --out DIR`: check that partial result files (from `repro … --shard k/K`) share one
//! configuration and cover it exactly once, then write the same files as the unsharded run — one library call
//! ([`regmatters::report::partial::merge`]). On any problem it names it, writes nothing and exits non-zero.

use regmatters::report::partial::{self, Merged};
use std::path::PathBuf;

/// Arguments of `regmatters merge`.
#[derive(clap::Args)]
pub struct Args {
    /// Partial result files (`*.part-k-of-K.json`).
    #[arg(required = true)]
    pub partials: Vec<PathBuf>,
    /// Output folder for the merged figure.
    #[arg(long, default_value = "repro")]
    pub out: PathBuf,
}

/// Runs the merge; returns the process exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    match partial::merge(&args.partials, &args.out)? {
        Merged::SampleComplexity { job, figure, written } => {
            for f in &figure.fits {
                println!("{:<10} slope {:.2}  95% CI [{:.2}, {:.2}]", f.method, f.slope, f.ci.0, f.ci.1);
            }
            for f in &figure.findings {
                println!("[{}] {}", f.verdict(), f.statement);
            }
            let names: Vec<String> =
                written.iter().filter_map(|p| p.file_name().map(|f| f.to_string_lossy().into_owned())).collect();
            println!(
                "merge: {} partials, {} units of sample-complexity (tier {}, seed {}); wrote {} to {}",
                args.partials.len(),
                job.units().len(),
                job.tier,
                job.seed,
                names.join(", "),
                args.out.display()
            );
        }
    }
    Ok(0)
}

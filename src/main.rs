//! `regmatters` command line: a thin shell over the library.
//!
//! - `verify`   run the registered claims and controls, print the verdict table, optionally JSON and the graph
//! - `repro`    regenerate a figure of the paper (CSV + SVG + JSON), or one shard of it (`--shard k/K`)
//! - `merge`    merge shards' partial result files into the figure the unsharded run writes
//! - `kernel`   assemble a kernel matrix from `.npy` inputs
//! - `eig`      symmetric eigendecomposition of a `.npy` matrix
//! - `spectrum` empirical vs population kernel spectrum on hypercube XOR data

mod cli;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "regmatters",
    version,
    about = "Proof companion for 'Regularization Matters' (Wei, Lee, Liu, Ma 2019)"
)]
struct Cli {
    /// Refuse to start work whose estimated memory exceeds BYTES (suffixes K, M, G, T: 8G, 512M); default 80% of
    /// MemAvailable from /proc/meminfo (4G if unreadable). Applies to kernel, eig and spectrum.
    #[arg(long, global = true, value_name = "BYTES", value_parser = parse_max_memory)]
    max_memory: Option<u64>,
    #[command(subcommand)]
    command: Command,
}

fn parse_max_memory(s: &str) -> Result<u64, String> {
    regmatters::memory::parse_bytes(s).map_err(|e| e.to_string())
}

#[derive(Subcommand)]
enum Command {
    /// Run the claims and their falsification controls; exit 0 only if every claim is Supported and every control
    /// Refuted.
    Verify(cli::verify::Args),
    /// Reproduce a figure of the paper.
    Repro(cli::repro::Args),
    /// Merge partial result files of `repro --shard k/K` into the unsharded run's files (byte-identical JSON).
    Merge(cli::merge::Args),
    /// Assemble a kernel matrix from .npy inputs (rows are points).
    Kernel(cli::kernel::Args),
    /// Symmetric eigendecomposition of a .npy matrix (values ascending).
    Eig(cli::eig::Args),
    /// Empirical kernel spectrum on hypercube XOR data beside the population eigenvalues by Walsh degree.
    Spectrum(cli::spectrum::Args),
}

fn main() {
    let cli = Cli::parse();
    let limit = regmatters::memory::Limit::resolve(cli.max_memory);
    let result = match cli.command {
        Command::Verify(a) => cli::verify::run(a),
        Command::Repro(a) => cli::repro::run(a),
        Command::Merge(a) => cli::merge::run(a),
        Command::Kernel(a) => cli::kernel::run(a, &limit),
        Command::Eig(a) => cli::eig::run(a, &limit),
        Command::Spectrum(a) => cli::spectrum::run(a, &limit),
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    }
}

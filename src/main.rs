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
    #[command(subcommand)]
    command: Command,
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
    let result = match cli.command {
        Command::Verify(a) => cli::verify::run(a),
        Command::Repro(a) => cli::repro::run(a),
        Command::Merge(a) => cli::merge::run(a),
        Command::Kernel(a) => cli::kernel::run(a),
        Command::Eig(a) => cli::eig::run(a),
        Command::Spectrum(a) => cli::spectrum::run(a),
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    }
}

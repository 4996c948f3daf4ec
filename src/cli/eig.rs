//! `regmatters eig`.

/// Arguments of `regmatters eig`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the subcommand; returns the process exit code.
pub fn run(_args: Args) -> anyhow::Result<i32> {
    anyhow::bail!("`regmatters eig` is not implemented yet")
}

//! `regmatters spectrum`.

/// Arguments of `regmatters spectrum`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the subcommand; returns the process exit code.
pub fn run(_args: Args) -> anyhow::Result<i32> {
    anyhow::bail!("`regmatters spectrum` is not implemented yet")
}

//! `regmatters repro` — see [`super::Figure`].

/// Writes the figure's CSV + SVG + JSON into `args.out`; returns the exit code.
pub fn run(_args: &super::Args) -> anyhow::Result<i32> {
    anyhow::bail!("this reproduction is not implemented yet")
}

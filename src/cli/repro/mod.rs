//! `regmatters repro NAME`: regenerate a figure of the paper as CSV + SVG + JSON in the output folder.

mod findings;
mod kernel_vs_net;
mod lazy_vs_regularized;
mod margin_path;
mod plot;
mod sample_complexity;
mod wgf;
mod width;

use regmatters::claims::Tier;
use std::path::PathBuf;

/// Which figure.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Figure {
    /// Figure 2: normalized margin vs λ approaching the certified ℓ1-SVM bracket (1-D input with bias).
    MarginPath,
    /// Appendix F.2 width study: test error and normalized margin vs width.
    Width,
    /// NeurIPS simulation: λ = 0 vs λ > 0 from the same large initialization.
    LazyVsRegularized,
    /// n*(d) per method on log–log axes with fitted slopes.
    SampleComplexity,
    /// Figure 3: net vs kernel SVM test error and bounds vs n (d = 20 teacher).
    KernelVsNet,
    /// Perturbed vs plain Wasserstein gradient descent against the certified optimum.
    Wgf,
}

/// Arguments of `regmatters repro`.
#[derive(clap::Args)]
pub struct Args {
    /// The figure to reproduce.
    #[arg(value_enum)]
    pub figure: Figure,
    /// quick or full (paper scale).
    #[arg(long, default_value = "quick")]
    pub tier: Tier,
    /// Master seed.
    #[arg(long, default_value_t = regmatters::seed::DEFAULT_SEED)]
    pub seed: u64,
    /// Output folder.
    #[arg(long, default_value = "repro")]
    pub out: PathBuf,
}

/// Runs the reproduction; returns the process exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    std::fs::create_dir_all(&args.out)?;
    match args.figure {
        Figure::MarginPath => margin_path::run(&args),
        Figure::Width => width::run(&args),
        Figure::LazyVsRegularized => lazy_vs_regularized::run(&args),
        Figure::SampleComplexity => sample_complexity::run(&args),
        Figure::KernelVsNet => kernel_vs_net::run(&args),
        Figure::Wgf => wgf::run(&args),
    }
}

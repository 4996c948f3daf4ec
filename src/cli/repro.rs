//! `regmatters repro NAME`: regenerate a figure of the paper as CSV + SVG + JSON in the output folder — one library
//! call for the experiment ([`regmatters::experiments`]) and one for its files ([`regmatters::report::figures`]).

use regmatters::claims::Tier;
use regmatters::experiments::{kernel_vs_net, lazy_vs_regularized, margin_path, sample_complexity, wgf, width_study};
use regmatters::report::figures;
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
    let (tier, seed, out) = (args.tier, args.seed, args.out.as_path());
    let progress = |m: &str| eprintln!("{m}");
    let written = match args.figure {
        Figure::MarginPath => {
            let r = margin_path::margin_path(&margin_path::MarginPathConfig::for_tier(tier))?;
            let hi = r.gamma_l1_upper / 2.0;
            let last = r.path.last();
            println!(
                "margin-path: γ* ∈ [{:.6}, {hi:.6}]; γ_λ/γ_UB at λ = {:e}: {:.4}",
                r.gamma_l1_lower / 2.0,
                last.map(|q| q.lambda).unwrap_or(f64::NAN),
                last.map(|q| q.margin / hi).unwrap_or(f64::NAN)
            );
            figures::margin_path(&r, seed, out)?
        }
        Figure::Width => {
            let r = width_study::width_study(tier, seed, &progress)?;
            if let Some(e) = &r.floor_error {
                eprintln!("width: no dictionary floor: {e}");
            }
            figures::width_study(&r, out)?
        }
        Figure::LazyVsRegularized => {
            let r = lazy_vs_regularized::lazy_vs_regularized(tier, seed)?;
            for f in &r.findings {
                println!("[{}] {}", f.verdict(), f.statement);
            }
            figures::lazy_vs_regularized(&r, out)?
        }
        Figure::SampleComplexity => {
            let r = sample_complexity::sample_complexity(tier, seed)?;
            for f in &r.fits {
                println!("{:<10} slope {:.2}  95% CI [{:.2}, {:.2}]", f.method, f.slope, f.ci.0, f.ci.1);
            }
            figures::sample_complexity(&r, tier.as_str(), out)?
        }
        Figure::KernelVsNet => {
            let r = kernel_vs_net::kernel_vs_net(tier, seed)?;
            for f in &r.findings {
                println!("[{}] {}", f.verdict(), f.statement);
            }
            figures::kernel_vs_net(&r, out)?
        }
        Figure::Wgf => figures::wgf(&wgf::flow_figure(tier, seed)?, out)?,
    };
    let names: Vec<String> =
        written.iter().filter_map(|p| p.file_name().map(|f| f.to_string_lossy().into_owned())).collect();
    let name = clap::ValueEnum::to_possible_value(&args.figure).map(|v| v.get_name().to_string()).unwrap_or_default();
    println!("{name}: wrote {} to {}", names.join(", "), out.display());
    Ok(0)
}

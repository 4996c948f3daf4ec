//! `regmatters repro NAME`: regenerate a figure of the paper as CSV + SVG + JSON in the output folder — one library
//! call for the experiment ([`regmatters::experiments`]) and one for its files ([`regmatters::report::figures`]).

use regmatters::claims::Tier;
use regmatters::experiments::sample_complexity::{Job, SweepConfig};
use regmatters::experiments::shard::Shard;
use regmatters::experiments::{kernel_vs_net, lazy_vs_regularized, margin_path, wgf, width_study};
use regmatters::report::{figures, partial};
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
    /// quick, full (paper scale) or xl (sample-complexity to d = 96 with 16 replicates; other figures as full).
    #[arg(long, default_value = "quick")]
    pub tier: Tier,
    /// Master seed.
    #[arg(long, default_value_t = regmatters::seed::DEFAULT_SEED)]
    pub seed: u64,
    /// Output folder.
    #[arg(long, default_value = "repro")]
    pub out: PathBuf,
    /// sample-complexity only: run the k-th of K balanced slices of the units of work (1 ≤ k ≤ K) and write the
    /// partial result file OUT/sample_complexity.part-k-of-K.json for `regmatters merge`. Without the flag the
    /// shard comes from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (minus SLURM_ARRAY_TASK_MIN) or from
    /// JOB_COMPLETION_INDEX/REGMATTERS_SHARD_COUNT when those are set; `off` runs unsharded whatever they say.
    #[arg(long, value_name = "k/K")]
    pub shard: Option<String>,
    /// sample-complexity only: the sweep as a TOML file with every field of the sweep configuration (tier "custom").
    #[arg(long, value_name = "FILE", conflicts_with = "tier")]
    pub sweep: Option<PathBuf>,
}

/// Runs the reproduction; returns the process exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    if !matches!(args.figure, Figure::SampleComplexity) && (args.sweep.is_some() || args.shard.is_some()) {
        anyhow::bail!("--shard and --sweep apply to sample-complexity only");
    }
    regmatters::output::check_dir("--out", &args.out)?;
    std::fs::create_dir_all(&args.out).map_err(|e| regmatters::Error::file("creating", &args.out, e))?;
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
            let job = match &args.sweep {
                Some(path) => Job::custom(
                    SweepConfig::from_toml(
                        &std::fs::read_to_string(path).map_err(|e| regmatters::Error::file("reading", path, e))?,
                    )?,
                    seed,
                ),
                None => Job::for_tier(tier, seed),
            };
            if let Some((shard, source)) = Shard::resolve(args.shard.as_deref(), |k| std::env::var(k).ok())? {
                let part = job.run_shard(shard)?;
                let path = partial::write(&part, "sample_complexity", out)?;
                println!(
                    "sample-complexity: shard {shard} (from {source}): {} of {} units; wrote {}",
                    part.units.len(),
                    job.units().len(),
                    path.display()
                );
                return Ok(0);
            }
            let r = job.run()?;
            for f in &r.fits {
                println!("{:<10} slope {:.2}  95% CI [{:.2}, {:.2}]", f.method, f.slope, f.ci.0, f.ci.1);
            }
            figures::sample_complexity(&r, &job.tier, out)?
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

//! `regmatters repro NAME`: regenerate a figure of the paper as CSV + SVG + JSON in the output folder — one library
//! call for the experiment ([`regmatters::experiments`]) and one for its files ([`regmatters::report::figures`]).

use regmatters::claims::Tier;
use regmatters::experiments::sample_complexity::{Job, SweepConfig};
use regmatters::experiments::shard::Shard;
use regmatters::experiments::{kernel_vs_net, lazy_vs_regularized, margin_path, wgf, width_study};
use regmatters::report::{figures, partial};
use std::io::IsTerminal;
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
    /// Also write a self-contained HTML page (DIR/index.html) with the figure's SVGs inline, its findings, seed, tier
    /// and version.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
}

/// Progress of a figure's computation on stderr: a spinner with the elapsed time when stderr is a terminal (whether
/// or not stdout is piped), else a line when the work starts and one when it ends.
struct Spinner {
    bar: Option<indicatif::ProgressBar>,
    name: String,
    start: std::time::Instant,
}

impl Spinner {
    fn start(name: &str, tier: Tier) -> Self {
        let bar = if std::io::stderr().is_terminal() {
            let b = indicatif::ProgressBar::new_spinner();
            if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
                b.set_style(style);
            }
            b.set_message(format!("repro {name} (tier {}): computing", tier.as_str()));
            b.enable_steady_tick(std::time::Duration::from_millis(200));
            Some(b)
        } else {
            eprintln!("repro {name} (tier {}): computing …", tier.as_str());
            None
        };
        Spinner { bar, name: name.to_string(), start: std::time::Instant::now() }
    }

    /// A message from inside the computation (printed above the spinner, or as a line).
    fn say(&self, m: &str) {
        match &self.bar {
            Some(b) => b.println(m),
            None => eprintln!("{m}"),
        }
    }

    fn finish(&self) {
        let secs = self.start.elapsed().as_secs_f64();
        match &self.bar {
            Some(b) => b.finish_and_clear(),
            None => eprintln!("repro {}: computed in {secs:.1} s", self.name),
        }
    }
}

/// Adds `seed`, `tier`, `version` and `parameters` to the top level of a JSON file a figure writer wrote, where it
/// lacks them (rewritten through a temporary file and a rename).
fn stamp(path: &std::path::Path, seed: u64, tier: &str, parameters: &serde_json::Value) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(path).map_err(|e| regmatters::Error::file("reading", path, e))?;
    let mut v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| regmatters::Error::Format(format!("{}: {e}", path.display())))?;
    if let Some(o) = v.as_object_mut() {
        o.entry("seed").or_insert(seed.into());
        o.entry("tier").or_insert(tier.into());
        o.entry("version").or_insert(env!("CARGO_PKG_VERSION").into());
        o.entry("parameters").or_insert(parameters.clone());
    }
    let out = regmatters::report::json::null_non_finite(&v.to_string())?;
    regmatters::output::write_atomic(path, out.as_bytes())?;
    Ok(())
}

/// Runs the reproduction; returns the process exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    if !matches!(args.figure, Figure::SampleComplexity) && (args.sweep.is_some() || args.shard.is_some()) {
        anyhow::bail!("--shard and --sweep apply to sample-complexity only");
    }
    regmatters::output::check_dir("--out", &args.out)?;
    if let Some(d) = &args.report {
        regmatters::output::check_dir("--report", d)?;
    }
    std::fs::create_dir_all(&args.out).map_err(|e| regmatters::Error::file("creating", &args.out, e))?;
    let (tier, seed, out) = (args.tier, args.seed, args.out.as_path());
    let name = clap::ValueEnum::to_possible_value(&args.figure).map(|v| v.get_name().to_string()).unwrap_or_default();
    let spinner = Spinner::start(&name, tier);
    let progress = |m: &str| spinner.say(m);
    // the lines printed about the result (also the report's findings)
    let mut lines: Vec<String> = Vec::new();
    let parameters: serde_json::Value;
    let written = match args.figure {
        Figure::MarginPath => {
            let config = margin_path::MarginPathConfig::for_tier(tier);
            parameters = serde_json::to_value(&config).unwrap_or_default();
            let r = margin_path::margin_path(&config)?;
            let hi = r.gamma_l1_upper / 2.0;
            let last = r.path.last();
            lines.push(format!(
                "margin-path: γ* ∈ [{:.6}, {hi:.6}]; γ_λ/γ_UB at λ = {:e}: {:.4}",
                r.gamma_l1_lower / 2.0,
                last.map(|q| q.lambda).unwrap_or(f64::NAN),
                last.map(|q| q.margin / hi).unwrap_or(f64::NAN)
            ));
            for f in &r.findings {
                lines.push(format!("[{}] {}", f.verdict(), f.statement));
            }
            figures::margin_path(&r, seed, out)?
        }
        Figure::Width => {
            let r = width_study::width_study(tier, seed, &progress)?;
            if let Some(e) = &r.floor_error {
                progress(&format!("width: no dictionary floor: {e}"));
            }
            parameters = serde_json::json!({
                "d": r.d, "n": r.n, "n_test": r.n_test, "lambdas": r.lambdas,
                "max_iterations_per_stage": r.max_iterations_per_stage, "replicates": r.replicates,
                "widths": r.rows.iter().map(|w| w.width).collect::<Vec<_>>(),
            });
            for f in &r.findings {
                lines.push(format!("[{}] {}", f.verdict(), f.statement));
            }
            figures::width_study(&r, out)?
        }
        Figure::LazyVsRegularized => {
            let r = lazy_vs_regularized::lazy_vs_regularized(tier, seed)?;
            parameters = serde_json::to_value(&r.setting).unwrap_or_default();
            for f in &r.findings {
                lines.push(format!("[{}] {}", f.verdict(), f.statement));
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
            parameters = serde_json::to_value(&job.sweep).unwrap_or_default();
            if let Some((shard, source)) = Shard::resolve(args.shard.as_deref(), |k| std::env::var(k).ok())? {
                let part = job.run_shard(shard)?;
                spinner.finish();
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
                lines.push(format!("{:<10} slope {:.2}  95% CI [{:.2}, {:.2}]", f.method, f.slope, f.ci.0, f.ci.1));
            }
            for f in &r.findings {
                lines.push(format!("[{}] {}", f.verdict(), f.statement));
            }
            figures::sample_complexity(&r, &job.tier, out)?
        }
        Figure::KernelVsNet => {
            let r = kernel_vs_net::kernel_vs_net(tier, seed)?;
            parameters = serde_json::to_value(&r.setting).unwrap_or_default();
            for f in &r.findings {
                lines.push(format!("[{}] {}", f.verdict(), f.statement));
            }
            figures::kernel_vs_net(&r, out)?
        }
        Figure::Wgf => {
            let p = wgf::WgfParams::for_tier(tier);
            let f = wgf::flow_figure(tier, seed)?;
            parameters = serde_json::json!({
                "lambda": p.lambda, "eta": p.eta, "sigma": p.sigma, "births": p.births,
                "max_particles": p.max_particles, "init_particles": p.init_particles, "init_radius": p.init_radius,
                "steps": f.steps, "eps": f.eps,
            });
            for x in &f.findings {
                lines.push(format!("[{}] {}", x.verdict(), x.statement));
            }
            figures::wgf(&f, out)?
        }
    };
    spinner.finish();
    for l in &lines {
        println!("{l}");
    }
    let tier_name = match (&args.figure, &args.sweep) {
        (Figure::SampleComplexity, Some(_)) => "custom",
        _ => tier.as_str(),
    };
    for p in written.iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        stamp(p, seed, tier_name, &parameters)?;
    }
    let names: Vec<String> =
        written.iter().filter_map(|p| p.file_name().map(|f| f.to_string_lossy().into_owned())).collect();
    println!("{name}: wrote {} to {}", names.join(", "), out.display());
    if let Some(dir) = &args.report {
        let mut svgs = Vec::new();
        for p in written.iter().filter(|p| p.extension().is_some_and(|e| e == "svg")) {
            let text = std::fs::read_to_string(p).map_err(|e| regmatters::Error::file("reading", p, e))?;
            svgs.push((p.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(), text));
        }
        let page = regmatters::report::html::repro_page(&name, tier_name, seed, &lines, &svgs);
        std::fs::create_dir_all(dir).map_err(|e| regmatters::Error::file("creating", dir, e))?;
        let path = dir.join("index.html");
        regmatters::output::write_atomic(&path, page.as_bytes())?;
        println!("HTML report written to {}", path.display());
    }
    Ok(0)
}

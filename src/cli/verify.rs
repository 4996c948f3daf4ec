//! `regmatters verify`: run the registry, print the table, write JSON / the dependency graph.

use indicatif::{ProgressBar, ProgressStyle};
use regmatters::claims::{self, Context, Tier};
use regmatters::report;
use std::path::PathBuf;

/// Arguments of `regmatters verify`.
#[derive(clap::Args)]
pub struct Args {
    /// quick (seconds) or full (paper scale).
    #[arg(long, default_value = "quick")]
    pub tier: Tier,
    /// Master seed; every random stream is derived from it.
    #[arg(long, default_value_t = regmatters::seed::DEFAULT_SEED)]
    pub seed: u64,
    /// Select ids by prefix (`*` is a wildcard): `ntk.lower_bound` runs the claim and its controls.
    #[arg(long)]
    pub only: Option<String>,
    /// Write the JSON report here.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Folder for artifacts (CSV/SVG) written by the checks.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Draw the claims' dependency graph, coloured by verdict, as SVG here.
    #[arg(long)]
    pub graph: Option<PathBuf>,
    /// How many checks run at once (default: the number of rayon threads). Verdicts do not depend on it; the seconds
    /// column is each check's wall time, so it grows when checks share the cores.
    #[arg(long)]
    pub jobs: Option<usize>,
}

/// Runs the selected checks; exit code 0 only when every claim is Supported and every control Refuted.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let selected: Vec<_> = claims::registry()
        .into_iter()
        .filter(|c| args.only.as_deref().is_none_or(|p| claims::matches(p, c.id())))
        .collect();
    if selected.is_empty() {
        anyhow::bail!("no registered check matches {:?}", args.only.unwrap_or_default());
    }
    let bar = ProgressBar::new(selected.len() as u64);
    bar.set_style(ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed} {msg}")?);
    let sink_bar = bar.clone();
    let mut ctx = Context::new(args.tier, args.seed)
        .with_progress(std::sync::Arc::new(move |m| sink_bar.set_message(m.to_string())));
    if let Some(dir) = &args.out {
        ctx = ctx.with_out_dir(dir);
    }
    // As many checks at once as rayon has threads (RAYON_NUM_THREADS=1 runs them one by one); verdicts and metrics do
    // not depend on this number (tests/cli_verify.rs checks 1 vs 2).
    let workers = args.jobs.unwrap_or_else(rayon::current_num_threads);
    let done_bar = bar.clone();
    let outcomes = claims::run_all(&selected, &ctx, workers, &|o| {
        done_bar.set_message(o.id.clone());
        done_bar.inc(1);
    });
    bar.finish_and_clear();
    println!("regmatters verify — tier {}, seed {}", args.tier.as_str(), args.seed);
    print!("{}", report::table(&outcomes));
    print!("{}", report::footer(&outcomes));
    if let Some(path) = &args.json {
        std::fs::write(path, report::to_json(args.seed, args.tier, &outcomes)?)?;
        println!("JSON report written to {}", path.display());
    }
    if let Some(path) = &args.graph {
        let manifest = claims::manifest::Manifest::builtin()?;
        std::fs::write(path, report::graph::svg(&manifest, &outcomes)?)?;
        println!("dependency graph written to {}", path.display());
    }
    Ok(if outcomes.iter().all(|o| o.as_expected()) { 0 } else { 1 })
}

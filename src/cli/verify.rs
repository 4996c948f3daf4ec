//! `regmatters verify`: run the suite, print the table, write JSON / the dependency graph.

use indicatif::{ProgressBar, ProgressStyle};
use regmatters::claims::{RunConfig, SeedSet, Suite, Tier};
use regmatters::output;
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
    #[arg(long, value_parser = parse_jobs)]
    pub jobs: Option<usize>,
    /// Robustness sweep: run the selected checks at N master seeds derived from --seed, or at the literal seeds
    /// A..B (A to B − 1), and print per check the verdict counts, the worst seed and its margin. Exit 0 only when every
    /// check got its expected verdict at every seed.
    #[arg(long)]
    pub seeds: Option<SeedSet>,
    /// List the checks (id, kind, source) and exit without running anything.
    #[arg(long)]
    pub list: bool,
    /// After the table, print each check's rule, margin and every number it decided on.
    #[arg(long)]
    pub explain: bool,
}

fn parse_jobs(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1 (omit --jobs for the number of rayon threads)".into()),
        Ok(j) => Ok(j),
        Err(e) => Err(format!("{e}")),
    }
}

/// Runs the selected checks; exit code 0 only when every claim is Supported and every control Refuted.
pub fn run(args: Args) -> anyhow::Result<i32> {
    if args.only.as_deref().is_some_and(|p| p.trim().is_empty()) {
        anyhow::bail!("--only '': an empty pattern selects nothing; omit --only to run every check");
    }
    // every output path is checked before any check runs
    for (what, p) in [("--json", &args.json), ("--graph", &args.graph)] {
        if let Some(p) = p {
            output::check_file(what, p)?;
        }
    }
    if let Some(d) = &args.out {
        output::check_dir("--out", d)?;
    }
    let suite = Suite::builtin()?;
    if args.list {
        let chosen: Vec<&str> = suite.select(args.only.as_deref())?.iter().map(|c| c.id()).collect();
        let entries: Vec<_> =
            suite.manifest().entries.iter().filter(|e| chosen.contains(&e.id.as_str())).cloned().collect();
        print!("{}", report::table::listing(&entries));
        return Ok(0);
    }
    if let Some(seeds) = &args.seeds {
        return sweep(&suite, &args, seeds);
    }
    let selected = suite.select(args.only.as_deref())?.len();
    let bar = ProgressBar::new(selected as u64);
    bar.set_style(ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed} {msg}")?);
    let sink_bar = bar.clone();
    let mut config = RunConfig::new(args.tier, args.seed).jobs(args.jobs.unwrap_or(0));
    config.only = args.only.clone();
    config.out_dir = args.out.clone();
    config.progress = Some(std::sync::Arc::new(move |m| sink_bar.set_message(m.to_string())));
    let done_bar = bar.clone();
    let run = suite.run_with(&config, &|o| {
        done_bar.set_message(o.id.clone());
        done_bar.inc(1);
    })?;
    bar.finish_and_clear();
    println!("regmatters verify — tier {}, seed {}", args.tier.as_str(), args.seed);
    print!("{}", report::table(&run.outcomes));
    print!("{}", report::footer(&run.outcomes));
    if args.explain {
        print!("{}", report::table::explain(&run.outcomes));
    }
    if let Some(path) = &args.json {
        output::write_atomic(path, report::to_json(&run)?.as_bytes())?;
        println!("JSON report written to {}", path.display());
    }
    if let Some(path) = &args.graph {
        output::write_atomic(path, report::graph::svg(suite.manifest(), &run.outcomes)?.as_bytes())?;
        println!("dependency graph written to {}", path.display());
    }
    Ok(if run.passed() { 0 } else { 1 })
}

/// `verify --seeds`: the robustness sweep.
fn sweep(suite: &Suite, args: &Args, seeds: &SeedSet) -> anyhow::Result<i32> {
    let count = seeds.seeds(args.seed).len();
    let bar = ProgressBar::new(count as u64);
    bar.set_style(ProgressStyle::with_template("{bar:30} {pos}/{len} seeds {elapsed}")?);
    let mut config = RunConfig::new(args.tier, args.seed).jobs(args.jobs.unwrap_or(0));
    config.only = args.only.clone();
    let r = suite.run_seeds(&config, seeds, &|i, _| bar.set_position(i as u64))?;
    bar.finish_and_clear();
    println!("regmatters verify --seeds — tier {}, {count} master seeds", args.tier.as_str());
    print!("{}", report::robustness_table(&r));
    if let Some(path) = &args.json {
        output::write_atomic(path, report::json::null_non_finite(&report::robustness_json(&r)?)?.as_bytes())?;
        println!("JSON report written to {}", path.display());
    }
    Ok(if r.passed() { 0 } else { 1 })
}

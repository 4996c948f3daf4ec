//! `regmatters verify`: run the suite, print the table, write JSON / the dependency graph.

use indicatif::{ProgressBar, ProgressStyle};
use regmatters::claims::{Overrides, Robustness, RunConfig, SeedSet, Suite, Tier};
use regmatters::output;
use regmatters::report;
use std::io::IsTerminal;
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
    /// Write a self-contained HTML report (DIR/index.html): the theorem map coloured by verdict, per check its
    /// statement, rule, margin, deciding numbers and controls, and with --seeds the robustness table.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Override a documented parameter of the selected checks (repeatable): `--set replicates=10`,
    /// `--set dims=8,16,32`. `--list` shows each check's keys; an unknown key is refused with the valid ones. The
    /// value is recorded in the JSON and the row is marked `*` in the table.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_set)]
    pub set: Vec<(String, String)>,
}

/// The command line as typed, for the report.
fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("regmatters {}", args.join(" "))
}

/// Writes DIR/index.html; returns its path.
fn write_report(dir: &std::path::Path, page: &report::html::VerifyPage) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| regmatters::Error::file("creating", dir, e))?;
    let path = dir.join("index.html");
    output::write_atomic(&path, report::html::verify_page(page)?.as_bytes())?;
    Ok(path)
}

fn parse_jobs(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1 (omit --jobs for the number of rayon threads)".into()),
        Ok(j) => Ok(j),
        Err(e) => Err(format!("{e}")),
    }
}

/// Parses `--set KEY=VALUE`.
fn parse_set(s: &str) -> Result<(String, String), String> {
    regmatters::claims::params::parse_setting(s).map_err(|e| e.to_string())
}

/// The width the table wraps to: `COLUMNS` when set, else the terminal's width, else 100 when stdout is not a
/// terminal.
pub fn table_width() -> usize {
    if let Some(c) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()).filter(|&c| c >= 20) {
        return c;
    }
    if std::io::stdout().is_terminal() {
        if let Some((_, cols)) = console::Term::stdout().size_checked() {
            return (cols as usize).max(40);
        }
    }
    report::table::DEFAULT_WIDTH
}

/// Progress on stderr: a bar when stderr is a terminal (whatever stdout is), else one line per finished step, so a
/// piped or logged run shows its progress as it goes.
pub struct Progress {
    bar: Option<ProgressBar>,
    len: u64,
    done: std::sync::atomic::AtomicU64,
    start: std::time::Instant,
}

impl Progress {
    /// Progress over `len` steps; `unit` names them in the bar.
    pub fn new(len: u64, unit: &str) -> anyhow::Result<Self> {
        let bar = if std::io::stderr().is_terminal() {
            let b = ProgressBar::new(len);
            b.set_style(ProgressStyle::with_template(&format!(
                "{{bar:30}} {{pos}}/{{len}} {unit} {{elapsed}} {{msg}}"
            ))?);
            Some(b)
        } else {
            None
        };
        Ok(Progress { bar, len, done: 0.into(), start: std::time::Instant::now() })
    }

    /// A message about the running step (shown in the bar only).
    pub fn message(&self, m: &str) {
        if let Some(b) = &self.bar {
            b.set_message(m.to_string());
        }
    }

    /// One step finished; `what` says which and how it came out.
    pub fn step(&self, what: &str) {
        let k = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        match &self.bar {
            Some(b) => {
                b.set_message(what.to_string());
                b.set_position(k);
            }
            None => eprintln!("[{k}/{}] {what} ({:.1} s elapsed)", self.len, self.start.elapsed().as_secs_f64()),
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
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
    for (what, d) in [("--out", &args.out), ("--report", &args.report)] {
        if let Some(d) = d {
            output::check_dir(what, d)?;
        }
    }
    let suite = Suite::builtin()?;
    let overrides: Overrides = args.set.iter().cloned().collect();
    // unknown keys are refused before any work, with the valid keys of the selected checks
    suite.check_overrides(args.only.as_deref(), &overrides)?;
    let width = table_width();
    if args.list {
        let chosen: Vec<&str> = suite.select(args.only.as_deref())?.iter().map(|c| c.id()).collect();
        let entries: Vec<_> =
            suite.manifest().entries.iter().filter(|e| chosen.contains(&e.id.as_str())).cloned().collect();
        print!("{}", report::table::listing(&entries));
        print!("{}", report::table::parameter_listing(&suite.parameters(args.only.as_deref())?, width));
        return Ok(0);
    }
    let mut config = RunConfig::new(args.tier, args.seed).jobs(args.jobs.unwrap_or(0));
    config.only = args.only.clone();
    config.overrides = overrides;
    if let Some(seeds) = &args.seeds {
        return sweep(&suite, &args, config, seeds, width);
    }
    let selected = suite.select(args.only.as_deref())?.len();
    let progress = std::sync::Arc::new(Progress::new(selected as u64, "checks")?);
    config.out_dir = args.out.clone();
    let sink = progress.clone();
    config.progress = Some(std::sync::Arc::new(move |m| sink.message(m)));
    let run = suite.run_with(&config, &|o| {
        let mark = if o.as_expected() { "✓" } else { "✗" };
        progress.step(&format!("{} {mark} {} ({:.1} s)", o.id, o.verdict(), o.seconds));
    })?;
    progress.finish();
    println!("regmatters verify — tier {}, seed {}", args.tier.as_str(), args.seed);
    print!("{}", report::table::table_width(&run.outcomes, width));
    print!("{}", report::table::wrap_text(&report::footer(&run.outcomes), width));
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
    if let Some(dir) = &args.report {
        let command = command_line();
        let set = args.set.clone();
        let page = report::html::VerifyPage {
            manifest: suite.manifest(),
            run: &run,
            robustness: None,
            overrides: &set,
            command: &command,
        };
        println!("HTML report written to {}", write_report(dir, &page)?.display());
    }
    Ok(if run.passed() { 0 } else { 1 })
}

/// `verify --seeds`: the robustness sweep.
fn sweep(suite: &Suite, args: &Args, config: RunConfig, seeds: &SeedSet, width: usize) -> anyhow::Result<i32> {
    let list = seeds.seeds(args.seed);
    let count = list.len();
    let progress = Progress::new(count as u64, "seeds")?;
    // one run per seed, as Suite::run_seeds does, keeping the first seed's outcomes for the report's detail
    let mut runs = Vec::with_capacity(count);
    let mut first = None;
    for s in &list {
        let mut c = config.clone();
        c.seed = *s;
        let run = suite.run(&c)?;
        let bad = run.outcomes.iter().filter(|o| !o.as_expected()).count();
        runs.push(run.outcomes.clone());
        first.get_or_insert(run);
        progress.step(&format!("seed {s}: {bad} not as expected"));
    }
    let r = Robustness::from_runs(config.tier.as_str(), list, &runs)?;
    progress.finish();
    println!("regmatters verify --seeds — tier {}, {count} master seeds", args.tier.as_str());
    if !config.overrides.is_empty() {
        let set: Vec<String> = config.overrides.iter().map(|(k, v)| format!("{k}={v}")).collect();
        println!("non-default parameters: {}", set.join(", "));
    }
    print!("{}", report::table::wrap_text(&report::robustness_table(&r), width));
    if let Some(path) = &args.json {
        let text = report::robustness_json(&r, args.seed, &config.overrides)?;
        output::write_atomic(path, report::json::null_non_finite(&text)?.as_bytes())?;
        println!("JSON report written to {}", path.display());
    }
    if let (Some(dir), Some(run)) = (&args.report, &first) {
        let command = command_line();
        let set = args.set.clone();
        let page = report::html::VerifyPage {
            manifest: suite.manifest(),
            run,
            robustness: Some(&r),
            overrides: &set,
            command: &command,
        };
        println!("HTML report written to {}", write_report(dir, &page)?.display());
    }
    Ok(if r.passed() { 0 } else { 1 })
}

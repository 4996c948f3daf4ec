//! `regmatters eig`: symmetric eigendecomposition of a `.npy` matrix (values ascending).

use regmatters::linalg::{eigen, lanczos, residual};
use regmatters::memory::{Limit, f64s};
use regmatters::npy;
use regmatters::output::{self, Staged};
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `regmatters eig`.
#[derive(clap::Args)]
pub struct Args {
    /// Symmetric matrix K (.npy).
    #[arg(long)]
    pub input: PathBuf,
    /// Write the eigenvalues (ascending) here.
    #[arg(long)]
    pub values: Option<PathBuf>,
    /// Write the eigenvectors (columns, same order as the values) here.
    #[arg(long)]
    pub vectors: Option<PathBuf>,
    /// Only K eigenpairs (Krylov–Schur / Lanczos), still ascending; which ones: see --which.
    #[arg(long)]
    pub top: Option<usize>,
    /// With --top: `magnitude` (the K of largest |λ|, the default; the largest λ for a PSD kernel), `largest` (the K
    /// largest λ of an indefinite matrix, via the shift K + σI) or `smallest` (the K smallest λ, via σI − K).
    #[arg(long, value_enum, default_value_t = Which::Magnitude)]
    pub which: Which,
    /// Skip the eigenvectors (faster; no residual check). Ignored with --top or --vectors.
    #[arg(long)]
    pub values_only: bool,
    /// Write n, seconds, residual ‖KV − VΛ‖_max/‖K‖_max and orthogonality ‖VᵀV − I‖_max here.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// Which eigenpairs `--top` returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Which {
    /// Largest magnitude |λ|.
    Magnitude,
    /// Algebraically largest λ.
    Largest,
    /// Algebraically smallest λ.
    Smallest,
}

impl Which {
    fn library(self) -> lanczos::Which {
        match self {
            Which::Magnitude => lanczos::Which::Magnitude,
            Which::Largest => lanczos::Which::Largest,
            Which::Smallest => lanczos::Which::Smallest,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Which::Magnitude => "largest |λ|",
            Which::Largest => "largest λ",
            Which::Smallest => "smallest λ",
        }
    }
}

/// Runs the subcommand; returns the process exit code.
pub fn run(args: Args, limit: &Limit) -> anyhow::Result<i32> {
    for (what, p) in [("--values", &args.values), ("--vectors", &args.vectors), ("--json", &args.json)] {
        if let Some(p) = p {
            output::check_file(what, p)?;
        }
    }
    let want_vectors = args.top.is_some() || args.vectors.is_some() || !args.values_only;
    // Memory before reading, in n × n matrices: values only 1.3 (K reduced in place, measured 1.18); values and
    // vectors from eigen::SPLIT_MIN_N on 3.0 (K, V and the two half-size eigenvector matrices of the blocked top-level
    // merge, 2.5, plus reading; the residual check re-reads K after the decomposition has dropped it and works in
    // column blocks), below it 5.5 (faer's two n × n merge buffers); top-k: K, a shifted copy for largest/smallest,
    // and n × (k + max(8, k/4)) Krylov vectors twice.
    let n = match npy::shape(&args.input)?.as_slice() {
        [r, _] => *r,
        _ => 0, // read_matrix below reports the shape
    };
    let nn = f64s(&[n, n]);
    let needed = match args.top {
        Some(kk) => {
            let shifted = if args.which == Which::Magnitude { 1 } else { 2 };
            let m = kk.saturating_add((kk / 4).max(8)).min(n);
            nn.saturating_mul(shifted).saturating_add(f64s(&[n, m, 4]))
        }
        None if want_vectors && n >= eigen::SPLIT_MIN_N => nn.saturating_mul(3),
        None if want_vectors => nn.saturating_mul(55) / 10,
        None => nn.saturating_mul(13) / 10,
    };
    limit.check(&format!("the eigendecomposition of the {n} × {n} matrix"), needed)?;
    let k = npy::read_matrix(&args.input)?;
    let n = k.nrows();
    let opts = eigen::EigOptions::default();
    let t = Instant::now();
    // The full decompositions consume K (reduced in its own memory); the residual check reads K again from the file,
    // after the decomposition has released its workspace, and forms KV and VᵀV in column blocks (memory K + V).
    let mut top_path = None;
    let (values, e, kept) = if let Some(kk) = args.top {
        let (e, path) = lanczos::top_k_which(&k, kk, args.which.library())?;
        top_path = Some(path);
        (e.values.clone(), Some(e), Some(k))
    } else if want_vectors {
        let e = eigen::eig_in_place(k, opts)?;
        (e.values.clone(), Some(e), None)
    } else {
        (eigen::eigvals_in_place(k, opts)?, None, None)
    };
    let secs = t.elapsed().as_secs_f64();
    let res = match &e {
        Some(e) => {
            let k = match kept {
                Some(k) => k,
                None => npy::read_matrix(&args.input)?,
            };
            Some(residual::eigen_residual(&k, e)?)
        }
        None => None,
    };
    // every output is staged and renamed into place together at the end: a failure leaves none of them behind
    let mut staged = Staged::new();
    if let Some(p) = &args.values {
        npy::stage_vector(&mut staged, p, &values)?;
    }
    if let (Some(p), Some(e)) = (&args.vectors, &e) {
        npy::stage_matrix(&mut staged, p, &e.vectors)?;
    }
    let method = match top_path {
        Some(path) => {
            let shift = match args.which {
                Which::Magnitude => "",
                Which::Largest => ", on the shift K + σI",
                Which::Smallest => ", on the shift σI − K",
            };
            format!("top-{} by {}: {}{shift}", values.len(), args.which.describe(), path.describe())
        }
        None if want_vectors && n >= eigen::SPLIT_MIN_N => {
            "one-stage tridiagonalization (faer), divide-and-conquer with a blocked top-level merge".to_string()
        }
        None if want_vectors => "one-stage tridiagonalization + divide-and-conquer (faer)".to_string(),
        None if n >= eigen::TWO_STAGE_MIN_N => "two-stage dense → band → tridiagonal, implicit QR".to_string(),
        None => "one-stage tridiagonalization, implicit QR (faer)".to_string(),
    };
    println!("n = {n}, {} eigenvalues in {secs:.3} s ({method})", values.len());
    if let Some(r) = &res {
        println!(
            "residual ‖KV − VΛ‖_max/‖K‖_max = {:.3e}, orthogonality ‖VᵀV − I‖_max = {:.3e}",
            r.residual, r.orthogonality
        );
    }
    let show = values.len().min(5);
    let by_magnitude = args.top.is_some() && args.which == Which::Magnitude;
    if by_magnitude {
        let mut by_abs: Vec<f64> = values.iter().copied().collect();
        by_abs.sort_by(|a, b| b.abs().total_cmp(&a.abs()));
        println!("largest |λ|: {:?}", &by_abs[..show]);
    } else if args.top.is_some() && args.which == Which::Smallest {
        println!("smallest: {:?}", values.iter().take(show).collect::<Vec<_>>());
    } else {
        println!("largest: {:?}", values.iter().rev().take(show).collect::<Vec<_>>());
    }
    if let Some(p) = &args.json {
        let which = clap::ValueEnum::to_possible_value(&args.which).map(|v| v.get_name().to_string());
        let v = serde_json::json!({
            "command": "eig", "version": env!("CARGO_PKG_VERSION"), "seed": null, "tier": null,
            "note": "deterministic command: no seed or tier",
            "parameters": {"input": args.input, "top": args.top, "which": args.top.map(|_| which),
                           "values_only": args.values_only},
            "n": n, "count": values.len(), "seconds": secs, "method": method,
            "threads": rayon::current_num_threads(),
            "residual": res.map(|r| r.residual), "orthogonality": res.map(|r| r.orthogonality),
        });
        staged.stage(p, serde_json::to_string_pretty(&v)?.as_bytes())?;
    }
    staged.commit()?;
    Ok(0)
}

//! `regmatters eig`: symmetric eigendecomposition of a `.npy` matrix (values ascending).

use anyhow::Context as _;
use regmatters::linalg::{eigen, lanczos, residual};
use regmatters::npy;
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
pub fn run(args: Args) -> anyhow::Result<i32> {
    let k = npy::read_matrix(&args.input).with_context(|| format!("reading {}", args.input.display()))?;
    let n = k.nrows();
    let want_vectors = args.top.is_some() || args.vectors.is_some() || !args.values_only;
    let opts = eigen::EigOptions::default();
    let t = Instant::now();
    // The full decompositions consume K (reduced in its own memory); the residual check reads K again from the file.
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
                None => {
                    npy::read_matrix(&args.input).with_context(|| format!("re-reading {}", args.input.display()))?
                }
            };
            Some(residual::eigen_residual(&k, e)?)
        }
        None => None,
    };
    if let Some(p) = &args.values {
        npy::write_vector(p, &values)?;
    }
    if let (Some(p), Some(e)) = (&args.vectors, &e) {
        npy::write_matrix(p, &e.vectors)?;
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
        let v = serde_json::json!({
            "command": "eig", "n": n, "count": values.len(), "seconds": secs, "method": method,
            "threads": rayon::current_num_threads(),
            "residual": res.map(|r| r.residual), "orthogonality": res.map(|r| r.orthogonality),
        });
        std::fs::write(p, serde_json::to_string_pretty(&v)?)?;
    }
    Ok(0)
}

//! Times the two tridiagonal solvers of the eigenvectors path on one NTK matrix of ±1 data (d = 40): faer's one-call
//! divide and conquer against the blocked top-level merge (`linalg::merge`), alternating, with residuals.
//!
//! `RAYON_NUM_THREADS=2 cargo run --release --example merge_probe -- 4096 3` (n, reps).

use nalgebra::DMatrix;
use regmatters::kernels::{Kind, gram};
use regmatters::linalg::eigen::{EigOptions, eig_in_place_with};
use regmatters::linalg::residual::eigen_residual;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<usize> = std::env::args().skip(1).map(|a| a.parse()).collect::<Result<_, _>>()?;
    let n = args.first().copied().unwrap_or(2048);
    let reps = args.get(1).copied().unwrap_or(3);
    let mut rng = regmatters::seed::stream(20191208, &["examples/merge_probe"], n as u64);
    let x = DMatrix::from_fn(n, 40, |_, _| if rand::Rng::random::<bool>(&mut rng) { 1.0 } else { -1.0 });
    let k = gram(Kind::Ntk, &x)?;
    for rep in 0..reps {
        for split in [false, true] {
            let t = Instant::now();
            let e = eig_in_place_with(k.clone(), EigOptions::default(), split)?;
            let secs = t.elapsed().as_secs_f64();
            let r = eigen_residual(&k, &e)?;
            let name = if split { "blocked top-level merge" } else { "faer one call" };
            println!(
                "n = {n} rep {rep} {name:>24}: {secs:.3} s (residual {:.2e}, orthogonality {:.2e})",
                r.residual, r.orthogonality
            );
        }
    }
    Ok(())
}

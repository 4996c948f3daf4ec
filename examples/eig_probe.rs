//! One-off timing of the top-k eigensolver against the full decomposition (README, Performance; too slow for
//! criterion with many samples): NTK matrix of ±1 data (d = 40) at size n.
//! Run: `RAYON_NUM_THREADS=2 cargo run --release --example eig_probe -- [n] [k] [mode]` with mode 0 = top-k only,
//! 1 = full only, 2 = both (defaults 8192 64 2). Prints seconds, residual and orthogonality.

use nalgebra::DMatrix;
use rand::Rng as _;
use regmatters::kernels::{Kind, gram};
use regmatters::linalg::eigen::sym_eigen;
use regmatters::linalg::lanczos::top_k;
use regmatters::linalg::residual::eigen_residual;
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let n = args.first().copied().unwrap_or(8192);
    let k = args.get(1).copied().unwrap_or(64);
    let mode = args.get(2).copied().unwrap_or(2);
    let mut rng = regmatters::seed::stream(20191208, &["bench/eigen"], n as u64);
    let x = DMatrix::from_fn(n, 40, |_, _| if rng.random::<bool>() { 1.0 } else { -1.0 });
    let km = gram(Kind::Ntk, &x).expect("gram");
    let mut top_vals = None;
    if mode != 1 {
        let t = Instant::now();
        let e = top_k(&km, k).expect("top-k");
        let s = t.elapsed().as_secs_f64();
        let r = eigen_residual(&km, &e).expect("residual");
        println!("top-{k} n={n}: {s:.3} s, residual {:.2e}, orthogonality {:.2e}", r.residual, r.orthogonality);
        if r.orthogonality > 1e-8 {
            let g = e.vectors.transpose() * &e.vectors;
            for a in 0..k {
                for b in 0..k {
                    let want = if a == b { 1.0 } else { 0.0 };
                    if (g[(a, b)] - want).abs() > 1e-8 {
                        println!("  VᵀV[{a},{b}] = {:.3e} (λ = {:.6e}, {:.6e})", g[(a, b)], e.values[a], e.values[b]);
                    }
                }
            }
        }
        top_vals = Some(e.values);
    }
    if mode != 0 {
        let t = Instant::now();
        let e = sym_eigen(&km).expect("full");
        let s = t.elapsed().as_secs_f64();
        let r = eigen_residual(&km, &e).expect("residual");
        println!("full n={n}: {s:.3} s, residual {:.2e}, orthogonality {:.2e}", r.residual, r.orthogonality);
        if let Some(tv) = top_vals {
            let full = e.top(k).values;
            let worst = tv.iter().zip(full.iter()).map(|(a, b)| (a - b).abs() / b.abs()).fold(0.0, f64::max);
            println!("top-{k} vs full: worst relative difference {worst:.2e}");
        }
    }
}

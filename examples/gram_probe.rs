//! Timing probe for the Gram assembly (README, Performance): GEMM alone and the four kernels' Gram matrices on ±1
//! data, printed per repetition.
//! Run: `RAYON_NUM_THREADS=2 cargo run --release --example gram_probe -- [n] [d] [reps]` (defaults 4000 40 5).

use nalgebra::DMatrix;
use rand::Rng as _;
use regmatters::kernels::{Kind, gram};
use regmatters::linalg::gram::inner_products;
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let n = args.first().copied().unwrap_or(4000);
    let d = args.get(1).copied().unwrap_or(40);
    let reps = args.get(2).copied().unwrap_or(5);
    let mut rng = regmatters::seed::stream(20191208, &["probe/gram"], 0);
    let x = DMatrix::from_fn(n, d, |_, _| if rng.random::<bool>() { 1.0 } else { -1.0 });
    for _ in 0..reps {
        let t = Instant::now();
        let g = inner_products(&x, &x).expect("gemm");
        let mut line = format!("n={n} d={d}: plain gemm {:.4} s", t.elapsed().as_secs_f64());
        drop(g);
        for kind in Kind::ALL {
            let t = Instant::now();
            let k = gram(kind, &x).expect("gram");
            line += &format!(", {kind} {:.4} s", t.elapsed().as_secs_f64());
            std::hint::black_box(k);
        }
        println!("{line}");
    }
}

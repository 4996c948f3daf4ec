//! Criterion bench `gram` (see README, Performance): NTK Gram assembly (GEMM + closed form, one triangle, mirrored)
//! at n = 4000, d = 40 (against NumPy's vectorized closed form, scripts/lapack_reference.py) and n = 8192, d = 64.

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use nalgebra::DMatrix;
use rand::Rng as _;
use regmatters::kernels::{Kind, gram};
use std::hint::black_box;

fn pm1(n: usize, d: usize, label: &str) -> DMatrix<f64> {
    let mut rng = regmatters::seed::stream(20191208, &["bench/gram", label], 0);
    DMatrix::from_fn(n, d, |_, _| if rng.random::<bool>() { 1.0 } else { -1.0 })
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("gram");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    for (n, d) in [(4000usize, 40usize), (8192, 64)] {
        let x = pm1(n, d, &format!("{n}x{d}"));
        g.bench_function(format!("ntk n={n} d={d}"), |b| b.iter(|| black_box(gram(Kind::Ntk, &x).unwrap())));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

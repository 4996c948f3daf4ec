//! Criterion bench `gram` (see README, Performance): NTK Gram assembly (GEMM + closed form, one triangle, mirrored)
//! at n = 4000, d = 40 (against NumPy's vectorized closed form, scripts/lapack_reference.py) and n = 8192, d = 64, on
//! ±1 data (the hypercube lookup path: 2d + 1 tabulated values) and on Gaussian data of the same shape (the closed
//! form evaluated per entry); the Gaussian-on-the-sphere kernel (exp per entry) on both.

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use nalgebra::DMatrix;
use rand::Rng as _;
use regmatters::kernels::{Kind, gram};
use std::hint::black_box;

fn pm1(n: usize, d: usize, label: &str) -> DMatrix<f64> {
    let mut rng = regmatters::seed::stream(20191208, &["bench/gram", label], 0);
    DMatrix::from_fn(n, d, |_, _| if rng.random::<bool>() { 1.0 } else { -1.0 })
}

fn gaussian(n: usize, d: usize, label: &str) -> DMatrix<f64> {
    let mut rng = regmatters::seed::stream(20191208, &["bench/gram", label, "gaussian"], 0);
    DMatrix::from_fn(n, d, |_, _| rng.sample::<f64, _>(rand_distr::StandardNormal))
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("gram");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    for (n, d) in [(4000usize, 40usize), (8192, 64)] {
        let x = pm1(n, d, &format!("{n}x{d}"));
        g.bench_function(format!("ntk n={n} d={d}"), |b| b.iter(|| black_box(gram(Kind::Ntk, &x).unwrap())));
    }
    let (x, z) = (pm1(4000, 40, "4000x40"), gaussian(4000, 40, "4000x40"));
    g.bench_function("ntk gaussian n=4000 d=40", |b| b.iter(|| black_box(gram(Kind::Ntk, &z).unwrap())));
    for (data, name) in [(&x, "pm1"), (&z, "gaussian")] {
        g.bench_function(format!("gauss-sphere {name} n=4000 d=40"), |b| {
            b.iter(|| black_box(gram(Kind::GaussSphere, data).unwrap()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Criterion bench `eigen` (see README, Performance): full symmetric eigendecomposition of the NTK matrix of ±1 data
//! (d = 40) with faer (values + vectors, values only) at n ∈ {1024, 2048, 4096}, nalgebra's `SymmetricEigen` up to
//! n = 2048, and the top-64 Krylov–Schur eigenpairs at n = 8192.
//! Select groups with criterion filters, e.g. `cargo bench --bench eigen -- faer`.

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use nalgebra::DMatrix;
use rand::Rng as _;
use regmatters::kernels::{Kind, gram};
use regmatters::linalg::eigen::{sym_eigen, sym_eigenvalues};
use regmatters::linalg::lanczos::top_k;
use std::hint::black_box;

fn ntk(n: usize) -> DMatrix<f64> {
    let mut rng = regmatters::seed::stream(20191208, &["bench/eigen"], n as u64);
    let x = DMatrix::from_fn(n, 40, |_, _| if rng.random::<bool>() { 1.0 } else { -1.0 });
    gram(Kind::Ntk, &x).unwrap()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("eigen");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    for n in [1024usize, 2048, 4096] {
        let k = ntk(n);
        g.bench_function(format!("faer vectors n={n}"), |b| b.iter(|| black_box(sym_eigen(&k).unwrap())));
        g.bench_function(format!("faer values n={n}"), |b| b.iter(|| black_box(sym_eigenvalues(&k).unwrap())));
        if n <= 2048 {
            g.bench_function(format!("nalgebra vectors n={n}"), |b| {
                b.iter(|| black_box(k.clone().try_symmetric_eigen(1e-14, 10_000).unwrap()))
            });
        }
    }
    let k = ntk(8192);
    g.bench_function("top-k k=64 n=8192", |b| b.iter(|| black_box(top_k(&k, 64).unwrap())));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Criterion bench `eigen` (docs/PERFORMANCE.md, "Eigendecomposition"): symmetric eigendecomposition of the NTK matrix
//! of ±1 data (d = 40) at n ∈ {1024, 2048, 4096} — eigenvalues only by the two-stage reduction (dense → band →
//! tridiagonal) and by faer's one-stage tridiagonalization, values + vectors by the one-stage path, each on a fresh copy
//! consumed in place — nalgebra's `SymmetricEigen` up to n = 2048, and the top-64 Krylov–Schur eigenpairs at n = 8192.
//! Select groups with criterion filters, e.g. `cargo bench --bench eigen -- values`.

use criterion::{BatchSize, Criterion, SamplingMode, criterion_group, criterion_main};
use nalgebra::DMatrix;
use rand::Rng as _;
use regmatters::kernels::{Kind, gram};
use regmatters::linalg::eigen::{EigOptions, Method, eig_in_place, eigvals_in_place};
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
    let opts = |method| EigOptions { method, ..EigOptions::default() };
    for n in [1024usize, 2048, 4096] {
        let k = ntk(n);
        for (name, method) in [("two-stage", Method::TwoStage), ("one-stage", Method::OneStage)] {
            g.bench_function(format!("values {name} n={n}"), |b| {
                b.iter_batched(
                    || k.clone(),
                    |k| black_box(eigvals_in_place(k, opts(method)).unwrap()),
                    BatchSize::LargeInput,
                )
            });
        }
        g.bench_function(format!("vectors one-stage n={n}"), |b| {
            b.iter_batched(
                || k.clone(),
                |k| black_box(eig_in_place(k, EigOptions::default()).unwrap()),
                BatchSize::LargeInput,
            )
        });
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

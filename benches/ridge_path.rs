//! Criterion bench `ridge_path` (see README, Performance): a 20-ridge kernel ridge path with leave-one-out at
//! n = 2000 — from a given eigendecomposition, and end to end (decomposition included).

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use nalgebra::{DMatrix, DVector};
use rand::Rng as _;
use regmatters::kernels::predict::RidgePath;
use regmatters::kernels::{Kind, gram};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let n = 2000;
    let mut rng = regmatters::seed::stream(20191208, &["bench/ridge_path"], 0);
    let x = DMatrix::from_fn(n, 40, |_, _| if rng.random::<bool>() { 1.0 } else { -1.0 });
    let y = DVector::from_fn(n, |i, _| x[(i, 0)] * x[(i, 1)]);
    let k = gram(Kind::Ntk, &x).unwrap();
    let path = RidgePath::new(&k, &y).unwrap();
    let rhos: Vec<f64> = (0..20).map(|i| path.relative_ridge(10f64.powf(-6.0 + 0.3 * i as f64))).collect();
    let mut g = c.benchmark_group("ridge_path");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.bench_function("20 ridges + LOO n=2000 (given eigen)", |b| b.iter(|| black_box(path.path(&rhos).unwrap())));
    g.bench_function("eigen + 20 ridges + LOO n=2000", |b| {
        b.iter(|| black_box(RidgePath::new(&k, &y).unwrap().path(&rhos).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

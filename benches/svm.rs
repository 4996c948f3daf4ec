//! Criterion bench `svm` (see README, Performance): the certified hard-margin NTK SVM on hypercube XOR data
//! (d = 40, tol 1e-6) at n = 500, 1000 and 2000 — the active-set solver, and at n = 500 also pure coordinate ascent
//! (`max_active_set: 0`, the previous solver; at n = 1000 it needs ≈ 10⁴ sweeps, tens of seconds) for comparison.

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use regmatters::data::XorHypercube;
use regmatters::kernels::predict::{Svm, SvmOptions};
use regmatters::kernels::{Kind, gram};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let opts = SvmOptions { tol: 1e-6, ..SvmOptions::default() };
    let mut g = c.benchmark_group("svm");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    for n in [500, 1000, 2000] {
        let mut rng = regmatters::seed::stream(20191208, &["bench/svm"], n as u64);
        let data = XorHypercube::new(40).unwrap().dataset(n, &mut rng).unwrap();
        let k = gram(Kind::Ntk, data.x()).unwrap();
        g.bench_function(format!("active set n={n}"), |b| b.iter(|| black_box(Svm::fit(&k, data.y(), opts).unwrap())));
        if n == 500 {
            let ca = SvmOptions { max_active_set: 0, ..opts };
            g.bench_function(format!("coordinate ascent n={n}"), |b| {
                b.iter(|| black_box(Svm::fit(&k, data.y(), ca).unwrap()))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Criterion bench `flow_step`: one perturbed Wasserstein step (move + shrink + births + prune) at N = 4096
//! particles, n = 64 points (1-D input + bias), for the relu and the smooth feature map.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use nalgebra::{DMatrix, DVector};
use regmatters::flow::{Activation, Flow, FlowConfig, Particles, Problem};
use regmatters::seed;

fn problem(act: Activation) -> Problem {
    let n = 64;
    let x = DMatrix::from_fn(n, 2, |i, j| if j == 0 { -1.0 + 2.0 * i as f64 / (n - 1) as f64 } else { 1.0 });
    let y = DVector::from_fn(n, |i, _| if (3.0 * x[(i, 0)]).sin() >= 0.0 { 1.0 } else { -1.0 });
    Problem::new(x, y, 0.01, act).expect("valid problem")
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("flow_step");
    g.sample_size(10);
    for act in [Activation::Relu, Activation::SMOOTH] {
        let pb = problem(act);
        let mut rng = seed::stream(1, &["bench-flow"], 0);
        let init = Particles::uniform_sphere(3, 4096 - 8, 0.5, 1.0, &mut rng).expect("init");
        let cfg = FlowConfig { eta: 0.5, sigma: 0.02, births: 8, max_particles: 4096 };
        let flow = Flow::new(&pb, init, cfg).expect("flow");
        g.bench_function(format!("N4096_n64_{}", act.name()), |b| {
            b.iter_batched(
                || (flow.clone(), seed::stream(1, &["bench-births"], 0)),
                |(mut f, mut r)| f.step(&mut r).expect("step"),
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

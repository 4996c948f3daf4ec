//! Times the eigenvalue paths on the NTK matrix of ±1 data: `cargo run --release --example two_stage_probe -- N [method]`.
use nalgebra::DMatrix;
use rand::Rng as _;
use regmatters::kernels::{Kind, gram};
use regmatters::linalg::eigen::{EigOptions, Method, eig_in_place, eigvals_in_place, sym_eigen};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1024);
    let what = args.get(2).map(String::as_str).unwrap_or("all");
    let mut rng = regmatters::seed::stream(20191208, &["probe"], n as u64);
    let x = DMatrix::from_fn(n, 40, |_, _| if rng.random::<bool>() { 1.0 } else { -1.0 });
    let k = gram(Kind::Ntk, &x).unwrap();
    let opts = |m| EigOptions { method: m, ..EigOptions::default() };
    let mut base = None;
    if what == "all" || what == "one" {
        let t = Instant::now();
        let v1 = eigvals_in_place(k.clone(), opts(Method::OneStage)).unwrap();
        println!("one-stage values n={n}: {:.3} s", t.elapsed().as_secs_f64());
        base = Some(v1);
    }
    if what == "all" || what == "two" {
        let t = Instant::now();
        let v2 = eigvals_in_place(k.clone(), opts(Method::TwoStage)).unwrap();
        println!("two-stage values n={n}: {:.3} s", t.elapsed().as_secs_f64());
        if let Some(b) = &base {
            let scale = k.amax();
            println!("max |Δλ|/‖K‖ = {:.2e}", (&v2 - b).amax() / scale);
        }
    }
    if what == "all" || what == "vec" {
        let t = Instant::now();
        let e = eig_in_place(k.clone(), EigOptions::default()).unwrap();
        println!("in-place vectors n={n}: {:.3} s", t.elapsed().as_secs_f64());
        let r = regmatters::linalg::residual::eigen_residual(&k, &e).unwrap();
        println!("{r:?}");
        let t = Instant::now();
        let _ = sym_eigen(&k).unwrap();
        println!("sym_eigen n={n}: {:.3} s", t.elapsed().as_secs_f64());
    }
}

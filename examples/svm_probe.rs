use regmatters::data::XorHypercube;
use regmatters::kernels::predict::{Svm, SvmOptions};
use regmatters::kernels::{Kind, gram};
use std::time::Instant;
fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(2000);
    let d: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(40);
    let mut rng = regmatters::seed::stream(regmatters::seed::DEFAULT_SEED, &["example.scale"], 0);
    let data = XorHypercube::new(d)?.dataset(n, &mut rng)?;
    let k = gram(Kind::Ntk, data.x())?;
    let t = Instant::now();
    let svm = Svm::fit(&k, data.y(), SvmOptions { tol: 1e-6, ..SvmOptions::default() })?;
    println!(
        "n {n} d {d}: {:.2} s as {} epochs {} support {} conv {} bracket [{:.6e}, {:.6e}]",
        t.elapsed().as_secs_f64(),
        svm.active_set_steps,
        svm.epochs,
        svm.support,
        svm.converged,
        svm.margin_lower,
        svm.margin_upper
    );
    Ok(())
}

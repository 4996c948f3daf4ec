use regmatters::convex::l1_logistic::*;
use regmatters::convex::l1_svm::*;
use regmatters::convex::sphere;
use std::time::Instant;

fn run(data: &regmatters::data::Dataset, dict: &nalgebra::DMatrix<f64>) {
    let t = Instant::now();
    let svm = l1_svm(data, dict, &L1SvmOptions::default()).unwrap();
    eprintln!(
        "svm {:?} lower {} upper {} rounds {} support {}",
        t.elapsed(),
        svm.lower,
        svm.upper,
        svm.rounds,
        svm.support
    );
    let mut prev: Option<LogisticSolution> = None;
    for lambda in [1e-2, 1e-3, 1e-4, 1e-6, 1e-8, 1e-10] {
        let t = Instant::now();
        let s = l1_logistic(data, dict, lambda, prev.as_ref(), &LogisticOptions::default()).unwrap();
        eprintln!(
            "λ {lambda:e}: {:?} newton {} rounds {} gap/λ {:.3e} margin {} ratio {}",
            t.elapsed(),
            s.newton_steps,
            s.rounds,
            s.scaled_gap(),
            s.margin,
            s.margin / (svm.upper / 2.0)
        );
        prev = Some(s);
    }
}

#[test]
fn timing() {
    run(&regmatters::data::line1d().with_bias(), &sphere::circle(2000).unwrap());
    run(&regmatters::claims::margin::limit::rings2d().with_bias(), &sphere::fibonacci_s2(1000).unwrap());
}

//! Property tests of the particle flow and its certificate: homogeneity of Φ, V and the velocity; mass–radius folding;
//! the certified lower bound below every measure tried; exact mass bookkeeping.

use proptest::prelude::*;
use regmatters::convex::measure::{MeasureConfig, certify, lower_bound};
use regmatters::flow::{Activation, Flow, FlowConfig, Particles, Problem};
use regmatters::seed;
use std::sync::OnceLock;

fn line(act: Activation) -> Problem {
    let d = regmatters::data::line1d().with_bias();
    Problem::from_dataset(&d, 0.01, act).unwrap()
}

fn acts() -> impl Strategy<Value = Activation> {
    prop_oneof![Just(Activation::Relu), (0.1f64..2.0).prop_map(|delta| Activation::SmoothRelu { delta })]
}

fn theta3() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-2.0f64..2.0, 3)
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

/// Certificates of the line problem for relu and the default smooth activation (computed once).
fn certs() -> &'static [(Problem, f64); 2] {
    static C: OnceLock<[(Problem, f64); 2]> = OnceLock::new();
    C.get_or_init(|| {
        let cfg = MeasureConfig::default();
        let mk = |act| {
            let pb = line(act);
            let c = certify(&pb, &cfg).unwrap();
            (pb, c.lower)
        };
        [mk(Activation::Relu), mk(Activation::SMOOTH)]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn phi_and_v_are_two_homogeneous(act in acts(), th in theta3(), c in 0.01f64..10.0) {
        let pb = line(act);
        let scaled: Vec<f64> = th.iter().map(|t| c * t).collect();
        for (a, b) in pb.phi(&scaled).iter().zip(pb.phi(&th)) {
            prop_assert!(close(*a, c * c * b, 1e-12));
        }
        let v = |t: &[f64]| pb.lambda * t.iter().map(|x| x * x).sum::<f64>();
        prop_assert!(close(v(&scaled), c * c * v(&th), 1e-12));
    }

    #[test]
    fn velocity_is_one_homogeneous(act in acts(), th in theta3(), c in 0.01f64..10.0, pv in prop::collection::vec(-0.2f64..0.2, 8)) {
        let pb = line(act);
        let scaled: Vec<f64> = th.iter().map(|t| c * t).collect();
        let v1 = pb.velocity(&scaled, &pv);
        let v0 = pb.velocity(&th, &pv);
        for (a, b) in v1.iter().zip(&v0) {
            prop_assert!((a - c * b).abs() <= 1e-10 * (1.0 + c * b.abs()));
        }
    }

    #[test]
    fn folding_mass_into_radius_keeps_objective_and_next_step(act in acts(), seed_ in 0u64..1000, m in prop::collection::vec(0.01f64..3.0, 12)) {
        let pb = line(act);
        let mut rng = seed::stream(seed_, &["fold"], 0);
        let mut p = Particles::uniform_sphere(3, 12, 0.7, 1.0, &mut rng).unwrap();
        p.mass = m;
        let q = p.folded();
        prop_assert!(close(p.objective(&pb).unwrap(), q.objective(&pb).unwrap(), 1e-12));
        let cfg = FlowConfig { eta: 0.5, sigma: 0.0, births: 1, max_particles: 64 };
        let mut f1 = Flow::new(&pb, p, cfg).unwrap();
        let mut f2 = Flow::new(&pb, q, cfg).unwrap();
        f1.step(&mut rng).unwrap();
        f2.step(&mut rng).unwrap();
        prop_assert!(close(f1.objective().unwrap(), f2.objective().unwrap(), 1e-11));
    }

    #[test]
    fn lower_bound_never_exceeds_any_measure(which in 0usize..2, seed_ in 0u64..10_000, k in 1usize..40, r in 0.05f64..5.0) {
        let (pb, lower) = &certs()[which];
        let mut rng = seed::stream(seed_, &["lower"], 0);
        let mut p = Particles::uniform_sphere(3, k, r, 1.0, &mut rng).unwrap();
        for (j, m) in p.mass.iter_mut().enumerate() {
            *m *= 1.0 + (j % 3) as f64;
        }
        prop_assert!(p.objective(pb).unwrap() >= *lower - 1e-12);
    }

    #[test]
    fn lower_bound_from_any_gradient_is_valid(seed_ in 0u64..10_000, f in prop::collection::vec(-3.0f64..3.0, 8)) {
        // the weak-duality bound from an arbitrary p = ∇R(f) is below the certified upper end and below random measures
        let pb = line(Activation::Relu);
        let p = pb.risk_grad(&f);
        let (lb, scale, _) = lower_bound(&pb, &p, &MeasureConfig::default()).unwrap();
        prop_assert!(scale > 0.0 && scale <= 1.0);
        let mut rng = seed::stream(seed_, &["anyp"], 0);
        let q = Particles::uniform_sphere(3, 8, 1.0, 1.0, &mut rng).unwrap();
        prop_assert!(q.objective(&pb).unwrap() >= lb - 1e-12);
    }

    #[test]
    fn mass_bookkeeping_is_exact(seed_ in 0u64..1000, sigma in 0.0f64..0.5, eta in 0.05f64..1.0, steps in 1usize..60) {
        let pb = line(Activation::Relu);
        let mut rng = seed::stream(seed_, &["mass"], 0);
        let p = Particles::uniform_sphere(3, 8, 0.3, 2.0, &mut rng).unwrap();
        // no pruning: budget large enough
        let cfg = FlowConfig { eta, sigma, births: 3, max_particles: 8 + 3 * 60 };
        let mut flow = Flow::new(&pb, p, cfg).unwrap();
        for _ in 0..steps {
            flow.step(&mut rng).unwrap();
        }
        let keep = 1.0 - eta * sigma;
        let formula = 2.0 * keep.powi(steps as i32) + (1.0 - keep.powi(steps as i32));
        prop_assert!((flow.particles.total_mass() - formula).abs() < 1e-12);
        prop_assert!((flow.ledger.expected - formula).abs() < 1e-12);
        prop_assert_eq!(flow.ledger.pruned, 0.0);
    }

    #[test]
    fn mass_ledger_accounts_for_pruning(seed_ in 0u64..1000, steps in 10usize..80) {
        let pb = line(Activation::SMOOTH);
        let mut rng = seed::stream(seed_, &["prune"], 0);
        let p = Particles::uniform_sphere(3, 8, 0.3, 2.0, &mut rng).unwrap();
        let cfg = FlowConfig { eta: 0.5, sigma: 0.2, births: 4, max_particles: 16 };
        let mut flow = Flow::new(&pb, p, cfg).unwrap();
        for _ in 0..steps {
            flow.step(&mut rng).unwrap();
            prop_assert!(flow.particles.len() <= 16);
        }
        prop_assert!(flow.ledger.pruned > 0.0);
        prop_assert!((flow.particles.total_mass() - flow.ledger.expected).abs() < 1e-12);
    }
}

#[test]
fn certificate_lower_is_below_a_trained_flow() {
    // an independent route to L*: the perturbed flow itself never goes below the certified lower bound
    let (pb, lower) = &certs()[0];
    let mut rng = seed::stream(9, &["flow-lower"], 0);
    let p = Particles::uniform_sphere(3, 64, 0.1, 1.0, &mut rng).unwrap();
    let mut flow = Flow::new(pb, p, FlowConfig { eta: 1.0, sigma: 0.02, births: 4, max_particles: 256 }).unwrap();
    for _ in 0..500 {
        flow.step(&mut rng).unwrap();
        assert!(flow.objective().unwrap() >= *lower - 1e-12);
    }
}

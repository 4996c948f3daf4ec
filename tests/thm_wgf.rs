//! Perturbed Wasserstein gradient descent: claims `wgf.convergence`, `wgf.discrete` and their controls, plus the
//! certificate's own checks (bracket width on the quick problem, the 3-D certificate, lower ≤ any measure tried).

mod common;
use common::{assert_refuted, assert_supported, assert_verdict_at};
use regmatters::claims::wgf::setup::{WgfParams, certificate, line_problem, plane_problem};
use regmatters::claims::{Tier, Verdict};
use regmatters::flow::{Activation, Particles};

#[test]
fn convergence_is_supported() {
    let o = assert_supported("wgf.convergence");
    assert!(o.metrics.contains_key("line/relu.slope.slope"), "{:?}", o.metrics.keys());
    assert!(o.metrics.contains_key("line/smooth.slope.slope"), "{:?}", o.metrics.keys());
}

#[test]
fn discrete_is_supported() {
    assert_supported("wgf.discrete");
}

#[test]
fn plain_flow_from_dead_start_is_refuted() {
    assert_refuted("wgf.convergence:plain-dead-start");
}

#[test]
fn plain_flow_from_zero_start_is_refuted() {
    assert_refuted("wgf.convergence:plain-zero-start");
}

#[test]
fn plain_flow_stall_is_refuted() {
    assert_refuted("wgf.convergence:plain-stall");
}

#[test]
fn plain_flow_always_reaches_is_refuted() {
    assert_refuted("wgf.convergence:plain-always-reaches");
}

#[test]
fn eta_free_step_count_is_refuted() {
    assert_refuted("wgf.discrete:eta-free-steps");
}

#[test]
fn quick_bracket_closes_and_brackets_the_flow() {
    let params = WgfParams::for_tier(Tier::Quick);
    for act in [Activation::Relu, Activation::SMOOTH] {
        let pb = line_problem(act, params.lambda).unwrap();
        let c = certificate(&pb, &params).unwrap();
        assert!(c.gap() <= 1e-3 && c.gap() >= 0.0, "{act:?}: bracket [{}, {}]", c.lower, c.upper);
        // the grid measure attains U, recomputed by the flow's own objective
        let l = c.to_particles().unwrap().objective(&pb).unwrap();
        assert!((l - c.upper).abs() < 1e-9, "{l} vs {}", c.upper);
        // R(0) lies above the bracket: the stationary starts are bad
        assert!(pb.risk_at_zero() > c.upper + 0.1);
    }
}

#[test]
fn plane_certificate_with_lipschitz_slack() {
    let params = WgfParams::for_tier(Tier::Quick);
    for act in [Activation::Relu, Activation::SMOOTH] {
        let pb = plane_problem(act, params.lambda).unwrap();
        let c = certificate(&pb, &params).unwrap();
        assert_eq!(c.sphere.method, "branch-and-bound");
        assert!(c.sphere.slack >= 0.0 && c.sphere.slack <= 1e-6, "slack {}", c.sphere.slack);
        assert!(c.gap() >= 0.0 && c.gap() <= 1e-2, "{act:?}: bracket [{}, {}]", c.lower, c.upper);
        let mut rng = regmatters::seed::stream(5, &["plane"], 0);
        for _ in 0..20 {
            let p = Particles::uniform_sphere(4, 16, 2.0, 1.0, &mut rng).unwrap();
            assert!(p.objective(&pb).unwrap() >= c.lower);
        }
    }
}

#[test]
#[ignore = "full tier"]
fn wgf_full_tier() {
    assert_verdict_at("wgf.convergence", Verdict::Supported, Tier::Full);
    assert_verdict_at("wgf.discrete", Verdict::Supported, Tier::Full);
    assert_verdict_at("wgf.convergence:plain-dead-start", Verdict::Refuted, Tier::Full);
    assert_verdict_at("wgf.convergence:plain-zero-start", Verdict::Refuted, Tier::Full);
    assert_verdict_at("wgf.convergence:plain-always-reaches", Verdict::Refuted, Tier::Full);
    assert_verdict_at("wgf.discrete:eta-free-steps", Verdict::Refuted, Tier::Full);
}

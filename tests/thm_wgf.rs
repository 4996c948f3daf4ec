//! The certificate of `wgf.convergence`: the bracket of the convex problem over measures closes on the quick
//! problem and lies below every measure tried, in 2-D (exact circle) and 3-D (branch and bound with Lipschitz slack).

use regmatters::experiments::wgf::{WgfParams, certificate, line_problem, plane_problem};
use regmatters::flow::{Activation, Particles};
use regmatters::tier::Tier;

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

//! The theorem map (`theorems/claims.toml`) and the built-in checks must agree, and every further test the manifest
//! names must exist.

use regmatters::claims::Suite;
use regmatters::claims::manifest::{Manifest, Strength};
use std::path::Path;

#[test]
fn manifest_matches_the_suite_and_named_tests_exist() {
    let suite = Suite::builtin().expect("the built-in suite loads");
    if let Err(e) = suite.validate() {
        panic!("theorem map out of sync with the code:\n{e}");
    }
    if let Err(e) = suite.manifest().check_tests_exist(Path::new(env!("CARGO_MANIFEST_DIR"))) {
        panic!("the manifest names a test that does not exist:\n{e}");
    }
}

#[test]
fn the_check_catches_a_missing_entry_and_a_missing_test() {
    // Falsification of the check itself: an entry with no check and a nonexistent test must be rejected.
    let text = r#"
[[claim]]
id = "no.such_claim"
kind = "claim"
source = "nowhere"
statement = "nothing"
tests = ["tests/manifest.rs::absent_test_function"]
"#;
    let err = Suite::builtin().unwrap().with_manifest(text).unwrap().validate().unwrap_err().to_string();
    assert!(err.contains("no.such_claim has no registered check"), "{err}");
    let bad = Manifest::parse(text).unwrap();
    let err = bad.check_tests_exist(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap_err().to_string();
    // The needle is built at run time so that this file does not itself contain it.
    let needle = format!("no `fn {}(`", "absent_test_function");
    assert!(err.contains(&needle), "{err}");
}

/// The claims that still have only sanity controls. Every claim is to get a near-miss control (a false twin a careful
/// reader could believe); until then this list is the honest record of the gap, and the test fails both when a claim
/// loses its near-miss and when one gains it without being struck from the list.
const WITHOUT_NEAR_MISS: [&str; 0] = [];

#[test]
fn every_control_has_a_strength_and_the_near_miss_gap_is_the_recorded_one() {
    let m = Manifest::builtin().unwrap();
    assert!(m.problems().is_empty(), "{:?}", m.problems());
    let controls: Vec<_> = m.entries.iter().filter(|e| e.id.contains(':')).collect();
    assert!(controls.iter().all(|e| e.strength.is_some()));
    let near = controls.iter().filter(|e| e.strength == Some(Strength::NearMiss)).count();
    assert!(near >= 16, "{near} near-miss controls");
    assert_eq!(m.claims_without_near_miss(), WITHOUT_NEAR_MISS.to_vec());
}

#[test]
fn a_control_without_strength_and_a_claim_with_one_are_rejected() {
    let text = r#"
[[claim]]
id = "x.y"
kind = "claim"
strength = "sanity"
source = "s"
statement = "t"

[[claim]]
id = "x.y:twin"
kind = "control"
source = "s"
statement = "t"
uses = ["x.y"]
"#;
    let p = Manifest::parse(text).unwrap().problems().join("\n");
    assert!(p.contains("x.y:twin has no strength"), "{p}");
    assert!(p.contains("x.y: a claim has no strength"), "{p}");
    assert!(Manifest::parse(&text.replace("sanity", "strong")).is_err(), "unknown strength values are rejected");
}

#[test]
fn thresholds_are_inherited_by_controls_and_malformed_ones_are_rejected() {
    let text = r#"
[[claim]]
id = "x.y"
kind = "claim"
source = "s"
statement = "t"
[claim.thresholds]
slope = { value = 1.5, why = "the midpoint" }
gap = { quick = 0.07, full = 0.05, why = "per tier" }

[[claim]]
id = "x.y:twin"
kind = "control"
strength = "near-miss"
source = "s"
statement = "t"
uses = ["x.y"]
[claim.thresholds]
slope = { value = 0.5, why = "the twin's" }
"#;
    let m = Manifest::parse(text).unwrap();
    assert!(m.problems().is_empty(), "{:?}", m.problems());
    let twin = m.thresholds_for("x.y:twin");
    assert_eq!(twin["slope"].value, Some(0.5));
    assert_eq!(twin["gap"].at(regmatters::claims::Tier::Full), Some(0.05));
    assert_eq!(m.thresholds_for("x.y")["slope"].value, Some(1.5));
    let bad =
        text.replace("quick = 0.07, full = 0.05", "quick = 0.07").replace("why = \"the midpoint\"", "why = \" \"");
    let p = Manifest::parse(&bad).unwrap().problems().join("\n");
    assert!(p.contains("x.y: threshold gap needs either"), "{p}");
    assert!(p.contains("x.y: threshold slope has no derivation"), "{p}");
}

#[test]
fn a_check_reading_an_unregistered_threshold_gets_a_typed_error() {
    let ctx = regmatters::claims::Context::new(regmatters::claims::Tier::Quick, 1);
    let err = ctx.threshold("no_such_threshold").unwrap_err().to_string();
    assert!(err.contains("no threshold `no_such_threshold`"), "{err}");
}

//! The theorem map (`theorems/claims.toml`) and the registry must agree, and every test the manifest names must exist.

use regmatters::claims::{manifest::Manifest, registry};
use std::path::Path;

#[test]
fn manifest_matches_registry_and_tests_exist() {
    let m = Manifest::builtin().expect("manifest parses");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Err(e) = m.check_against(&registry(), root) {
        panic!("theorem map out of sync:\n{e}");
    }
}

#[test]
fn manifest_check_catches_a_missing_entry_and_a_missing_test() {
    // Falsification of the check itself: a manifest with an unknown id and a nonexistent test must be rejected.
    let bad = Manifest::parse(
        r#"
[[claim]]
id = "no.such_claim"
kind = "claim"
source = "nowhere"
statement = "nothing"
tests = ["tests/manifest.rs::absent_test_function"]
"#,
    )
    .unwrap();
    let err = bad.check_against(&registry(), Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap_err().to_string();
    assert!(err.contains("no registered check"), "{err}");
    // The needle is built at run time so that this file does not itself contain it.
    let needle = format!("no `fn {}(`", "absent_test_function");
    assert!(err.contains(&needle), "{err}");
}

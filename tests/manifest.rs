//! The theorem map (`theorems/claims.toml`) and the built-in checks must agree, and every further test the manifest
//! names must exist.

use regmatters::claims::Suite;
use regmatters::claims::manifest::Manifest;
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

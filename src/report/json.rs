//! The JSON report of `regmatters verify --json`:
//! `{"seed", "tier", "version", "parameters", "passed", "claims": [{"id", "source", "kind", "verdict", "rule",
//! "metrics", "seconds", "parameters" (only when non-default), …}]}`; `parameters` at the top holds the run's
//! `--set KEY=VALUE` overrides (`{}` when every check ran at its tier's defaults).
//!
//! Numbers that are not finite are written as `null`, never as a clamped value: NaN and ±∞ become `null` (as
//! serde_json does), and so does ±f64::MAX (1.797e308), which a one-sided bracket uses as its "+∞" upper end; a
//! report that contains such a `null` says so in a top-level `"note"`.

use crate::claims::{Outcome, Run, Tier};
use serde::Serialize;

/// The whole report.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// Master seed.
    pub seed: u64,
    /// Tier.
    pub tier: Tier,
    /// Crate version that produced the report.
    pub version: &'static str,
    /// Parameter overrides of the run (`verify --set`); empty for the tier's defaults.
    pub parameters: &'a crate::claims::Overrides,
    /// Every claim Supported and every control Refuted.
    pub passed: bool,
    /// One record per check, in suite order.
    pub claims: &'a [Outcome],
}

/// Serializes the report (pretty-printed, keys of metrics sorted, so equal runs give equal bytes up to `seconds`).
pub fn to_json(run: &Run) -> crate::Result<String> {
    let r = Report {
        seed: run.seed,
        tier: run.tier,
        version: env!("CARGO_PKG_VERSION"),
        parameters: &run.overrides,
        passed: run.passed(),
        claims: &run.outcomes,
    };
    let v = serde_json::to_value(&r).map_err(|e| crate::Error::Format(e.to_string()))?;
    finish(v)
}

/// The note added to a report holding `null` for a non-finite number.
pub const NON_FINITE_NOTE: &str = "null stands for a number that is not finite (NaN, +inf or -inf; ±1.797e308 = ±f64::MAX is the +inf sentinel of a \
     one-sided bracket)";

/// Replaces ±f64::MAX by `null` everywhere in `v`; returns how many `null`s (old and new) stand for numbers.
fn nullify(v: &mut serde_json::Value) -> usize {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.as_f64().is_some_and(|x| x.abs() == f64::MAX) => {
            *v = Value::Null;
            1
        }
        Value::Null => 1,
        Value::Array(a) => a.iter_mut().map(nullify).sum(),
        Value::Object(o) => o.values_mut().map(nullify).sum(),
        _ => 0,
    }
}

/// Pretty JSON of a report object with ±f64::MAX written as `null` and, if any `null` appears, the
/// [`NON_FINITE_NOTE`] under `"note"`.
fn finish(mut v: serde_json::Value) -> crate::Result<String> {
    let nulls = nullify(&mut v);
    if let (true, Some(o)) = (nulls > 0, v.as_object_mut()) {
        o.insert("note".into(), serde_json::Value::String(NON_FINITE_NOTE.into()));
    }
    serde_json::to_string_pretty(&v).map_err(|e| crate::Error::Format(e.to_string()))
}

/// Re-serializes a JSON report written by this crate with the non-finite rule of this module.
pub fn null_non_finite(text: &str) -> crate::Result<String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| crate::Error::Format(e.to_string()))?;
    finish(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamped_infinities_become_null_with_a_note() {
        let t = serde_json::json!({"a": f64::MAX, "b": [1.0, -f64::MAX, f64::NAN], "c": 2.5}).to_string();
        let out = null_non_finite(&t).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(v["a"].is_null() && v["b"][1].is_null() && v["b"][2].is_null() && v["c"] == 2.5);
        assert_eq!(v["note"], NON_FINITE_NOTE);
        assert!(!out.replace(NON_FINITE_NOTE, "").contains("1.797"));
        let clean = null_non_finite(r#"{"a": 1.0}"#).unwrap();
        assert!(!clean.contains("note"));
    }
}

//! Documented parameters of a check that a run may override (`verify --set KEY=VALUE`): sizes such as the
//! dimension `d`, the sample size `n`, the number of `replicates`, a grid of λ.
//!
//! A check lists its parameters in [`super::Claim::parameters`] and reads each one through [`super::Context::param`]
//! with the tier's value as the default, so a run without overrides does exactly what it did before. An override
//! applies to every selected check that lists its key; a key that no selected check lists is an
//! [`Error::UnknownSetting`] naming the valid keys. Overrides change sizes only, never a rule or a threshold.

use crate::{Error, Result};
use std::collections::BTreeMap;

/// One documented parameter of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The key of `--set KEY=VALUE`.
    pub key: &'static str,
    /// What it is, in a few words (with the value format for lists).
    pub doc: &'static str,
}

impl Param {
    /// A parameter with its key and description.
    pub const fn new(key: &'static str, doc: &'static str) -> Self {
        Param { key, doc }
    }
}

/// Overrides of a run: key → value as typed.
pub type Overrides = BTreeMap<String, String>;

/// A value a parameter can take, parsed from the text of `--set`.
pub trait ParamValue: Sized {
    /// Parses the text; `None` when it is not a value of this type (or out of its valid range).
    fn parse_param(text: &str) -> Option<Self>;
    /// What a valid value looks like, for the error message.
    fn expected() -> &'static str;
}

impl ParamValue for usize {
    fn parse_param(text: &str) -> Option<Self> {
        text.trim().parse::<usize>().ok().filter(|&v| v >= 1)
    }
    fn expected() -> &'static str {
        "a positive integer"
    }
}

impl ParamValue for f64 {
    fn parse_param(text: &str) -> Option<Self> {
        text.trim().parse::<f64>().ok().filter(|v| v.is_finite() && *v > 0.0)
    }
    fn expected() -> &'static str {
        "a finite number > 0"
    }
}

impl<T: ParamValue> ParamValue for Vec<T> {
    fn parse_param(text: &str) -> Option<Self> {
        let v: Option<Vec<T>> = text.split(',').map(T::parse_param).collect();
        v.filter(|v| !v.is_empty())
    }
    fn expected() -> &'static str {
        "a comma-separated list of positive values (e.g. 8,16,32)"
    }
}

/// Parses `KEY=VALUE`.
pub fn parse_setting(text: &str) -> Result<(String, String)> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
            Ok((k.trim().to_string(), v.trim().to_string()))
        }
        _ => Err(Error::param("set", text, "expected KEY=VALUE, e.g. --set replicates=10")),
    }
}

/// Reads parameter `key` from `overrides`, or `default` when it is not overridden.
pub(super) fn read<T: ParamValue>(overrides: &Overrides, key: &str, default: T) -> Result<T> {
    match overrides.get(key) {
        None => Ok(default),
        Some(text) => {
            T::parse_param(text).ok_or_else(|| Error::param(key, text, &format!("expected {}", T::expected())))
        }
    }
}

/// The keys the given checks declare, each with the ids that declare it and its description.
pub fn declared<'a>(
    checks: impl IntoIterator<Item = &'a dyn super::Claim>,
) -> BTreeMap<&'static str, (Vec<String>, &'static str)> {
    let mut keys: BTreeMap<&'static str, (Vec<String>, &'static str)> = BTreeMap::new();
    for c in checks {
        for p in c.parameters() {
            keys.entry(p.key).or_insert_with(|| (Vec::new(), p.doc)).0.push(c.id().to_string());
        }
    }
    keys
}

/// Every override must be a key some selected check declares.
pub(super) fn validate(checks: &[&dyn super::Claim], overrides: &Overrides) -> Result<()> {
    let keys = declared(checks.iter().copied());
    for key in overrides.keys() {
        if !keys.contains_key(key.as_str()) {
            let valid: Vec<String> = keys.iter().map(|(k, (ids, _))| format!("{k} ({})", ids.join(", "))).collect();
            return Err(Error::UnknownSetting { key: key.clone(), valid });
        }
    }
    Ok(())
}

/// The overrides that apply to `check` (the keys it declares).
pub(super) fn applied(check: &dyn super::Claim, overrides: &Overrides) -> BTreeMap<String, String> {
    check.parameters().iter().filter_map(|p| overrides.get(p.key).map(|v| (p.key.to_string(), v.clone()))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_and_bad_ones_are_named() {
        let mut o = Overrides::new();
        assert_eq!(read(&o, "n", 7usize).unwrap(), 7);
        o.insert("n".into(), "12".into());
        o.insert("grid".into(), "1e-2, 1e-3".into());
        o.insert("bad".into(), "0".into());
        assert_eq!(read(&o, "n", 7usize).unwrap(), 12);
        assert_eq!(read(&o, "grid", vec![1.0f64]).unwrap(), vec![1e-2, 1e-3]);
        let e = read(&o, "bad", 3usize).unwrap_err().to_string();
        assert!(e.contains("bad = 0") && e.contains("positive integer"), "{e}");
        assert!(read(&o, "grid", 1usize).is_err());
        assert_eq!(parse_setting("d = 8").unwrap(), ("d".into(), "8".into()));
        for bad in ["d", "=3", "d=", ""] {
            assert!(parse_setting(bad).is_err(), "{bad}");
        }
    }
}

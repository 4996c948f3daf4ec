//! One error type for every kind of bad input and numerical failure in the crate.
//!
//! Library code never panics on user input: every public entry point validates what it is given and returns one of
//! these variants, whose message says what is wrong and where.

/// Everything that can go wrong in `regmatters`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A NaN or infinite value where a finite number is required.
    #[error("non-finite value in {what} at index {index}")]
    NonFinite {
        /// Which input held the value.
        what: String,
        /// Flat (column-major) index of the first offending entry.
        index: usize,
    },
    /// Two inputs whose shapes must agree do not.
    #[error("shape mismatch in {what}: expected {expected}, got {got}")]
    ShapeMismatch {
        /// Which inputs disagree.
        what: String,
        /// The shape that was required.
        expected: String,
        /// The shape that was given.
        got: String,
    },
    /// An input that must hold at least one element is empty.
    #[error("empty input: {0}")]
    Empty(String),
    /// A parameter outside its valid range (λ ≤ 0, width 0, a probability outside (0, 1), …).
    #[error("invalid parameter {name} = {value}: {reason}")]
    InvalidParameter {
        /// Name of the parameter.
        name: String,
        /// The value that was given, formatted.
        value: String,
        /// What the valid range is.
        reason: String,
    },
    /// A class label outside the allowed set.
    #[error("invalid label {label} at index {index}: {reason}")]
    InvalidLabel {
        /// The label, formatted.
        label: String,
        /// Index of the example.
        index: usize,
        /// What labels are allowed.
        reason: String,
    },
    /// A margin was asked of data that the model (or no model of the class) separates.
    #[error("not separable: {0}")]
    NotSeparable(String),
    /// A decomposition or iteration failed to meet its accuracy requirement.
    #[error("numerical failure: {0}")]
    Numerical(String),
    /// An external solver (LP/QP) returned a status we cannot certify.
    #[error("solver failure: {0}")]
    Solver(String),
    /// A result that exists mathematically but lies outside the f64 range (overflow, or a nonzero value below the
    /// smallest normal number).
    #[error("not representable in f64: {0}")]
    NotRepresentable(String),
    /// File-system error.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// A file whose contents are not in the expected format (.npy header, manifest TOML, JSON).
    #[error("format error: {0}")]
    Format(String),
    /// Partial result files that cannot be merged (mismatched configurations, units missing, duplicated or foreign).
    #[error("merge error: {0}")]
    Merge(String),
    /// The theorem manifest disagrees with the registry or the test files.
    #[error("manifest error: {0}")]
    Manifest(String),
}

/// Crate-wide result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Shorthand for [`Error::InvalidParameter`].
    pub fn param(name: &str, value: impl std::fmt::Display, reason: &str) -> Self {
        Error::InvalidParameter { name: name.to_string(), value: value.to_string(), reason: reason.to_string() }
    }

    /// Shorthand for [`Error::ShapeMismatch`].
    pub fn shape(what: &str, expected: impl std::fmt::Display, got: impl std::fmt::Display) -> Self {
        Error::ShapeMismatch { what: what.to_string(), expected: expected.to_string(), got: got.to_string() }
    }
}

/// Returns an error naming the first non-finite entry of `values`.
pub fn ensure_finite(what: &str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(Error::NonFinite { what: what.to_string(), index }),
        None => Ok(()),
    }
}

/// Returns an error unless `value` is finite and strictly positive.
pub fn ensure_positive(name: &str, value: f64) -> Result<()> {
    if value.is_finite() && value > 0.0 { Ok(()) } else { Err(Error::param(name, value, "must be finite and > 0")) }
}

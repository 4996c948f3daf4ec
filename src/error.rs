//! One error type for every kind of bad input and numerical failure in the crate.
//!
//! Library code never panics on user input: every public entry point validates what it is given and returns one of
//! these variants, whose message says what is wrong and where.

/// Everything that can go wrong in `regmatters`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A NaN or infinite value where a finite number is required.
    #[error("non-finite value {value} in {what} at {location}")]
    NonFinite {
        /// Which input held the value.
        what: String,
        /// Where the first offending entry is: `index i` of a vector, `row i, column j` (0-based) of a matrix.
        location: String,
        /// The value (NaN, inf or -inf), formatted.
        value: String,
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
    /// File-system error on a named file: the operation, the path and the system's reason, each said once.
    #[error("{op} {}: {err}", path.display())]
    File {
        /// What was being done: `reading`, `writing`, `creating`, …
        op: &'static str,
        /// The file or folder.
        path: std::path::PathBuf,
        /// The system's error (not a `source`, so error chains do not repeat it).
        err: std::io::Error,
    },
    /// File-system error where no path is known (prefer [`Error::File`]).
    #[error("i/o error: {0}")]
    Io(std::io::Error),
    /// The estimated memory of a command exceeds the limit.
    #[error(
        "{what} needs an estimated {} ({needed} bytes), above the memory limit of {} ({limit_source}); \
         use a smaller problem or raise the limit with --max-memory BYTES (suffixes K, M, G, T)",
        crate::error::human_bytes(*needed), crate::error::human_bytes(*limit)
    )]
    Memory {
        /// What would be allocated.
        what: String,
        /// Estimated bytes.
        needed: u128,
        /// The limit in bytes.
        limit: u64,
        /// Where the limit comes from (`--max-memory`, 80% of MemAvailable, the fallback).
        limit_source: String,
    },
    /// A file whose contents are not in the expected format (.npy header, manifest TOML, JSON).
    #[error("format error: {0}")]
    Format(String),
    /// Partial result files that cannot be merged (mismatched configurations, units missing, duplicated or foreign).
    #[error("merge error: {0}")]
    Merge(String),
    /// A `--set KEY=VALUE` whose key no selected check declares.
    #[error(
        "unknown parameter {key} for the selected checks; valid keys: {}",
        if valid.is_empty() { "none (the selected checks have no settable parameters)".to_string() } else { valid.join("; ") }
    )]
    UnknownSetting {
        /// The key that was given.
        key: String,
        /// The keys the selected checks declare, each with the checks that declare it.
        valid: Vec<String>,
    },
    /// The theorem manifest disagrees with the registry or the test files.
    #[error("manifest error: {0}")]
    Manifest(String),
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

/// Bytes in binary units, e.g. `74.5 GiB`.
pub fn human_bytes(b: impl Into<u128>) -> String {
    let b = b.into();
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < units.len() {
        v /= 1024.0;
        u += 1;
    }
    match u {
        0 => format!("{b} B"),
        _ if v >= 1024.0 => format!("{v:.2e} {}", units[u]),
        _ => format!("{v:.1} {}", units[u]),
    }
}

/// Crate-wide result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Shorthand for [`Error::InvalidParameter`].
    pub fn param(name: &str, value: impl std::fmt::Display, reason: &str) -> Self {
        Error::InvalidParameter { name: name.to_string(), value: value.to_string(), reason: reason.to_string() }
    }

    /// Shorthand for [`Error::File`].
    pub fn file(op: &'static str, path: impl AsRef<std::path::Path>, err: std::io::Error) -> Self {
        Error::File { op, path: path.as_ref().to_path_buf(), err }
    }

    /// Shorthand for [`Error::ShapeMismatch`].
    pub fn shape(what: &str, expected: impl std::fmt::Display, got: impl std::fmt::Display) -> Self {
        Error::ShapeMismatch { what: what.to_string(), expected: expected.to_string(), got: got.to_string() }
    }
}

/// Returns an error naming the first non-finite entry of `values` by its index.
pub fn ensure_finite(what: &str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(Error::NonFinite {
            what: what.to_string(),
            location: format!("index {index}"),
            value: values[index].to_string(),
        }),
        None => Ok(()),
    }
}

/// Returns an error naming the first non-finite entry (in column-major order) of a matrix with `rows` rows stored
/// column-major in `values`, by its row and column (0-based).
pub fn ensure_finite_matrix(what: &str, values: &[f64], rows: usize) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(Error::NonFinite {
            what: what.to_string(),
            location: format!("row {}, column {} (0-based)", index % rows.max(1), index / rows.max(1)),
            value: values[index].to_string(),
        }),
        None => Ok(()),
    }
}

/// Returns an error unless `value` is finite and strictly positive.
pub fn ensure_positive(name: &str, value: f64) -> Result<()> {
    if value.is_finite() && value > 0.0 { Ok(()) } else { Err(Error::param(name, value, "must be finite and > 0")) }
}

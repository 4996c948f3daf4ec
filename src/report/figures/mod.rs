//! The paper's figures as files: each writer takes an experiment's typed result and writes CSV (every number
//! plotted), SVG (plotters' SVG backend, no fonts or C libraries) and JSON (the result itself, with seed and tier)
//! into a folder, returning the paths written.

mod kernel_vs_net;
mod lazy_vs_regularized;
mod margin_path;
mod plot;
mod sample_complexity;
mod wgf;
mod width_study;

pub use kernel_vs_net::write as kernel_vs_net;
pub use lazy_vs_regularized::write as lazy_vs_regularized;
pub use margin_path::write as margin_path;
pub use sample_complexity::write as sample_complexity;
pub use wgf::write as wgf;
pub use width_study::write as width_study;

use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// What a figure writer's drawing code may fail with (plotters' and `fmt`'s errors).
type DrawResult<T = ()> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Converts a drawing error into the crate's error, naming the file.
fn drawn<T>(file: &Path, r: DrawResult<T>) -> Result<T> {
    r.map_err(|e| Error::Format(format!("drawing {}: {e}", file.display())))
}

/// Writes `text` to `dir/name` and records the path.
fn put(dir: &Path, name: &str, text: &str, written: &mut Vec<PathBuf>) -> Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|e| Error::Format(format!("writing {}: {e}", path.display())))?;
    written.push(path);
    Ok(())
}

/// Serializes `value` as pretty JSON into `dir/name`, with the crate version added to a top-level object and
/// non-finite numbers written as `null` (see [`crate::report::json`]).
fn put_json<T: serde::Serialize>(dir: &Path, name: &str, value: &T, written: &mut Vec<PathBuf>) -> Result<()> {
    let mut v = serde_json::to_value(value).map_err(|e| Error::Format(e.to_string()))?;
    if let Some(o) = v.as_object_mut() {
        o.entry("version").or_insert_with(|| env!("CARGO_PKG_VERSION").into());
    }
    let text = super::json::null_non_finite(&v.to_string())?;
    put(dir, name, &text, written)
}

//! Partial result files on disk: writing one shard's partial, reading partials back, and `merge` — check, then write
//! the same files as the unsharded run.
//!
//! A partial of shard k/K of experiment `E` is written as `DIR/E.part-k-of-K.json` (pretty JSON, the format of
//! [`crate::experiments::shard`]; `E` is the figure's file stem, `sample_complexity`). [`merge`] reads every file,
//! checks that they share one configuration and cover it exactly once, and only then creates the output folder and
//! writes the figure's files; on any error nothing is written.

use crate::experiments::sample_complexity::SampleComplexity;
use crate::experiments::sample_complexity::job::{self, EXPERIMENT, Job, JobPartial};
use crate::experiments::shard::{PARTIAL_FORMAT, Partial, Shard};
use crate::{Error, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The file name of shard `shard`'s partial of the figure with file stem `stem`.
pub fn file_name(stem: &str, shard: Shard) -> String {
    format!("{stem}.part-{}-of-{}.json", shard.index, shard.count)
}

/// Writes `partial` into `dir` (created if needed) as [`file_name`]; returns the path.
pub fn write<C: Serialize, K: Serialize, R: Serialize>(
    partial: &Partial<C, K, R>,
    stem: &str,
    dir: &Path,
) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Format(format!("creating {}: {e}", dir.display())))?;
    let path = dir.join(file_name(stem, partial.shard));
    let text = serde_json::to_string_pretty(partial).map_err(|e| Error::Format(e.to_string()))?;
    std::fs::write(&path, text).map_err(|e| Error::Format(format!("writing {}: {e}", path.display())))?;
    Ok(path)
}

/// The fields every partial starts with, read before the experiment-specific parse.
#[derive(serde::Deserialize)]
struct Header {
    format: String,
    experiment: String,
}

/// Reads one file: its text and experiment name; errors name the file.
fn read_header(path: &Path) -> Result<(String, String)> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Merge(format!("reading {}: {e}", path.display())))?;
    let h: Header = serde_json::from_str(&text)
        .map_err(|e| Error::Merge(format!("{}: not a partial result file ({e})", path.display())))?;
    if h.format != PARTIAL_FORMAT {
        return Err(Error::Merge(format!("{}: format {:?}, expected {PARTIAL_FORMAT:?}", path.display(), h.format)));
    }
    Ok((text, h.experiment))
}

/// What a merge produced.
#[derive(Debug)]
pub enum Merged {
    /// The sample-complexity figure.
    SampleComplexity {
        /// The job the partials belong to.
        job: Job,
        /// The merged figure.
        figure: SampleComplexity,
        /// Files written.
        written: Vec<PathBuf>,
    },
}

/// Merges partial result files into `out`: reads and checks them all, then writes the figure's files (the same bytes
/// as the unsharded run of the same configuration). On any error — unreadable or foreign files, mismatched
/// configurations, units missing or duplicated — returns it and writes nothing.
pub fn merge(paths: &[PathBuf], out: &Path) -> Result<Merged> {
    if paths.is_empty() {
        return Err(Error::Merge("no partial result files given".into()));
    }
    let mut texts = Vec::new();
    for p in paths {
        let (text, experiment) = read_header(p)?;
        if experiment != EXPERIMENT {
            return Err(Error::Merge(format!(
                "{}: experiment {experiment:?} cannot be merged (known: {EXPERIMENT:?})",
                p.display()
            )));
        }
        texts.push((p.display().to_string(), text));
    }
    let mut parts = Vec::new();
    for (name, text) in texts {
        let partial: JobPartial = serde_json::from_str(&text)
            .map_err(|e| Error::Merge(format!("{name}: not a {EXPERIMENT} partial ({e})")))?;
        parts.push((name, partial));
    }
    let (job, figure) = job::merge(parts)?;
    std::fs::create_dir_all(out).map_err(|e| Error::Format(format!("creating {}: {e}", out.display())))?;
    let written = super::figures::sample_complexity(&figure, &job.tier, out)?;
    Ok(Merged::SampleComplexity { job, figure, written })
}

//! Output files: validated before any work starts, written through a temporary file in the same folder and renamed
//! into place, so a run that fails leaves no half-written or partial set of outputs behind.
//!
//! - [`check_file`] — a path a command will write: not a folder, its parent folder exists and accepts a new file
//!   (probed by creating and removing a temporary file there).
//! - [`check_dir`] — a folder a command will write into: an existing folder that accepts files, or a path whose
//!   nearest existing ancestor is a writable folder (the folder is created later).
//! - [`Staged`] — several outputs of one command as a unit: each is written to `.NAME.tmp-PID-N` beside its target;
//!   [`Staged::commit`] renames them all into place; dropping an uncommitted `Staged` (an error on the way) removes
//!   every temporary file, and no target is touched.
//! - [`write_atomic`] — one file, the same way.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The folder a file path lives in (`.` for a bare file name).
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A fresh temporary path beside `path`.
fn temp_beside(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    parent_of(path).join(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

/// Probes that `dir` (an existing folder) accepts a new file.
fn probe_writable(dir: &Path, what: &str, target: &Path) -> Result<()> {
    let probe = temp_beside(&dir.join("probe"));
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => {
            Err(Error::param(what, target.display(), &format!("cannot create files in folder {}: {e}", dir.display())))
        }
    }
}

/// Checks an output file path before work starts: it is not a folder, its parent folder exists and is writable.
/// `what` names the option (e.g. `--json`) in the error.
pub fn check_file(what: &str, path: &Path) -> Result<()> {
    if path.as_os_str().is_empty() {
        return Err(Error::param(what, "''", "an output path must not be empty"));
    }
    if path.is_dir() {
        return Err(Error::param(what, path.display(), "is a folder, expected a file path"));
    }
    let dir = parent_of(path);
    if !dir.is_dir() {
        return Err(Error::param(what, path.display(), &format!("folder {} does not exist", dir.display())));
    }
    probe_writable(dir, what, path)
}

/// Checks an output folder before work starts: an existing writable folder, or a new path whose nearest existing
/// ancestor is a writable folder.
pub fn check_dir(what: &str, path: &Path) -> Result<()> {
    if path.as_os_str().is_empty() {
        return Err(Error::param(what, "''", "an output folder must not be empty"));
    }
    let mut p = path;
    loop {
        if p.is_dir() {
            return probe_writable(p, what, path);
        }
        if p.exists() {
            return Err(Error::param(what, path.display(), &format!("{} exists and is not a folder", p.display())));
        }
        p = parent_of(p);
    }
}

/// Outputs written to temporary files, renamed into place together by [`Staged::commit`]; removed on drop otherwise.
#[derive(Debug, Default)]
pub struct Staged {
    files: Vec<(PathBuf, PathBuf)>,
}

impl Staged {
    /// An empty set of outputs.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `bytes` to a temporary file beside `path`.
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> Result<()> {
        self.stage_with(path, |w| std::io::Write::write_all(w, bytes))
    }

    /// Streams the output into a temporary file beside `path` through a buffered writer (no in-memory copy).
    pub fn stage_with(
        &mut self,
        path: &Path,
        write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
    ) -> Result<()> {
        use std::io::Write as _;
        let tmp = temp_beside(path);
        let result = std::fs::File::create(&tmp).and_then(|f| {
            let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
            write(&mut w)?;
            w.flush()
        });
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::file("writing", path, e));
        }
        self.files.push((tmp, path.to_path_buf()));
        Ok(())
    }

    /// Renames every staged file into place, in staging order.
    pub fn commit(mut self) -> Result<()> {
        let files = std::mem::take(&mut self.files);
        let mut rest = files.into_iter();
        while let Some((tmp, dest)) = rest.next() {
            if let Err(e) = std::fs::rename(&tmp, &dest) {
                let _ = std::fs::remove_file(&tmp);
                for (t, _) in rest {
                    let _ = std::fs::remove_file(t);
                }
                return Err(Error::file("writing", &dest, e));
            }
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (tmp, _) in &self.files {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Writes one file through a temporary file and a rename: on any error the target is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut s = Staged::new();
    s.stage(path, bytes)?;
    s.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("regmatters-output-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn entries(d: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn a_failed_write_leaves_no_file_behind() {
        let d = dir("failed");
        let mut s = Staged::new();
        s.stage(&d.join("values.npy"), b"first").unwrap();
        let err = s.stage(&d.join("missing").join("vectors.npy"), b"second").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("missing/vectors.npy") && msg.matches("No such file").count() == 1, "{msg}");
        drop(s);
        assert!(entries(&d).is_empty(), "{:?}", entries(&d));
    }

    #[test]
    fn commit_renames_everything_into_place() {
        let d = dir("commit");
        let mut s = Staged::new();
        s.stage(&d.join("a"), b"1").unwrap();
        s.stage(&d.join("b"), b"2").unwrap();
        assert_eq!(entries(&d).len(), 2);
        s.commit().unwrap();
        assert_eq!(entries(&d), vec!["a", "b"]);
        write_atomic(&d.join("a"), b"3").unwrap();
        assert_eq!(std::fs::read(d.join("a")).unwrap(), b"3");
        assert_eq!(entries(&d), vec!["a", "b"]);
    }

    #[test]
    fn paths_are_checked_before_work() {
        let d = dir("check");
        assert!(check_file("--json", &d.join("r.json")).is_ok());
        let e = check_file("--json", &d).unwrap_err().to_string();
        assert!(e.contains("is a folder"), "{e}");
        let e = check_file("--json", &d.join("nope").join("r.json")).unwrap_err().to_string();
        assert!(e.contains("does not exist") && e.contains("nope"), "{e}");
        assert!(check_file("--json", Path::new("")).is_err());
        assert!(check_dir("--out", &d.join("new").join("deeper")).is_ok());
        std::fs::write(d.join("file"), b"x").unwrap();
        let e = check_dir("--out", &d.join("file").join("sub")).unwrap_err().to_string();
        assert!(e.contains("not a folder"), "{e}");
        assert!(entries(&d) == vec!["file"], "{:?}", entries(&d));
    }
}

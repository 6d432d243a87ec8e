//! Advisory locks on result directories: one lock file beside each directory that a run, a
//! sweep, a merge, a calibration or a sensitivity analysis writes, held for the whole work.
//!
//! The lock of `PARENT/NAME` is the file `PARENT/.NAME.pluri-lock`, locked exclusively with
//! `flock` (through [`std::fs::File::try_lock`]): the kernel releases it when the process ends
//! in any way (SIGKILL and power cuts included), and the lock holds across process
//! namespaces (containers) and, on file systems that forward it (NFS), across machines
//! sharing the disk. Whether a directory is being written is therefore never judged by a
//! process id.
//!
//! The file is removed when the lock is released normally. A process that takes a lock
//! checks afterwards that the file it locked is still the one at the path (another process
//! may have removed it in between), and tries again if not: so at most one process ever holds
//! the lock of a directory.

use super::OutputError;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Suffix of lock files: `.NAME.pluri-lock` beside the directory `NAME`.
pub const LOCK_SUFFIX: &str = ".pluri-lock";

/// The exclusive lock of one result directory, released (and its file removed) when dropped.
#[derive(Debug)]
pub struct DirLock {
    path: PathBuf,
    file: File,
}

/// The lock file of directory `dir`: `.NAME.pluri-lock` in its parent.
pub fn lock_path(dir: &Path) -> PathBuf {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    parent.join(format!(".{name}{LOCK_SUFFIX}"))
}

impl DirLock {
    /// Takes the lock of `dir` without waiting; [`OutputError::Locked`] when another process
    /// holds it. The parent of `dir` must exist.
    pub fn acquire(dir: &Path) -> Result<DirLock, OutputError> {
        match DirLock::try_acquire(dir)? {
            Some(lock) => Ok(lock),
            None => {
                let path = lock_path(dir);
                let holder = fs::read_to_string(&path)
                    .ok()
                    .map(|t| t.trim().chars().take(200).collect::<String>())
                    .filter(|t| !t.is_empty());
                Err(OutputError::Locked {
                    dir: dir.to_path_buf(),
                    lock: path,
                    holder,
                })
            }
        }
    }

    /// Takes the lock of `dir` if it is free: `Ok(None)` when another process holds it.
    pub fn try_acquire(dir: &Path) -> Result<Option<DirLock>, OutputError> {
        let path = lock_path(dir);
        let io = |source| OutputError::Io {
            path: path.clone(),
            source,
        };
        // A process that releases the lock removes its file; one that locked the removed file
        // meanwhile holds nothing and tries again. A few rounds settle any race.
        for _ in 0..64 {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(io)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => return Ok(None),
                Err(fs::TryLockError::Error(e)) => return Err(io(e)),
            }
            if same_file(&file, &path) {
                let mut lock = DirLock { path, file };
                lock.describe_holder();
                return Ok(Some(lock));
            }
        }
        Err(io(std::io::Error::other(
            "the lock file keeps being replaced by other processes",
        )))
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes who holds the lock into its file, for the message another process gives.
    /// Best effort: the lock does not depend on it.
    fn describe_holder(&mut self) {
        let host = fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_default();
        let text = format!(
            "held by pluri (process {}{})\n",
            std::process::id(),
            if host.is_empty() {
                String::new()
            } else {
                format!(" on {host}")
            }
        );
        let _ = self.file.set_len(0);
        let _ = self.file.write_all(text.as_bytes());
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Removed while still locked, so no other process can hold a lock on a file that is
        // about to disappear; the lock itself goes when the file is closed.
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_refuses_a_second_taker_and_is_free_once_dropped() {
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("out");
        let first = DirLock::acquire(&dir).expect("first");
        assert!(first.path().ends_with(".out.pluri-lock"));
        assert!(DirLock::try_acquire(&dir).expect("try").is_none());
        let e = DirLock::acquire(&dir).err().map(|e| e.to_string());
        let e = e.unwrap_or_default();
        assert!(
            e.contains("another pluri process") && e.contains("out"),
            "{e}"
        );
        assert!(
            e.contains(&format!("process {}", std::process::id())),
            "{e}"
        );
        drop(first);
        assert!(
            !lock_path(&dir).exists(),
            "the lock file goes with the lock"
        );
        let again = DirLock::try_acquire(&dir).expect("try").expect("free");
        drop(again);
    }

    #[test]
    fn a_lock_file_left_by_a_killed_process_is_free() {
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("out");
        fs::write(lock_path(&dir), "held by pluri (process 1)\n").expect("write");
        let lock = DirLock::acquire(&dir).expect("a file nobody locks is free");
        drop(lock);
    }
}

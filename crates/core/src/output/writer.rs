//! The one place that creates result directories and files.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The destination holds a result already.
    #[error("{0} already exists: pass --force to replace it, or --out to write elsewhere")]
    Exists(PathBuf),
    /// A file system operation failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The destination, or a folder on the way to it, is a file.
    #[error("{path} is a file, not a directory: choose another --out")]
    NotADirectory {
        /// The file in the way.
        path: PathBuf,
    },
    /// A serializer failed.
    #[error("cannot serialize {file}: {message}")]
    Serialize {
        /// File being produced.
        file: String,
        /// Why.
        message: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A result directory being written: files go to a temporary sibling until [`RunDir::commit`].
#[derive(Debug)]
pub struct RunDir {
    dest: PathBuf,
    tmp: PathBuf,
    force: bool,
    done: bool,
}

impl RunDir {
    /// Checks the destination and creates the temporary directory beside it.
    /// Without `force`, an existing destination is an error before any work is done.
    pub fn create(dest: &Path, force: bool) -> Result<RunDir, OutputError> {
        let parent = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let Some(file) = dest.ancestors().find(|a| a.is_file()) {
            return Err(OutputError::NotADirectory {
                path: file.to_path_buf(),
            });
        }
        if dest.exists() && !force {
            return Err(OutputError::Exists(dest.to_path_buf()));
        }
        fs::create_dir_all(parent).map_err(io(parent))?;
        remove_stale_partials(parent)?;
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "run".into());
        let tmp = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        fs::create_dir_all(&tmp).map_err(io(&tmp))?;
        Ok(RunDir {
            dest: dest.to_path_buf(),
            tmp,
            force,
            done: false,
        })
    }

    /// Where files go until commit.
    pub fn staging(&self) -> &Path {
        &self.tmp
    }

    /// Where the directory will be.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Writes one file into the staging directory. An I/O error names the file at its
    /// destination (the staging directory is removed when the `RunDir` is dropped).
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.write_with(name, |w| w.write_all(bytes))
    }

    /// Writes one file into the staging directory through a buffered writer, so a large
    /// file is streamed rather than built in memory. An I/O error names the file at its
    /// destination. The file is flushed to the disk (fsync) before [`RunDir::commit`] can
    /// rename the directory, so a power cut never leaves a complete-looking directory of
    /// empty files.
    pub fn write_with(
        &self,
        name: &str,
        fill: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
    ) -> Result<(), OutputError> {
        let path = self.tmp.join(name);
        let shown = self.dest.join(name);
        let file = fs::File::create(&path).map_err(io(&shown))?;
        let mut w = BufWriter::with_capacity(1 << 16, file);
        fill(&mut w).map_err(io(&shown))?;
        w.flush().map_err(io(&shown))?;
        w.get_ref().sync_all().map_err(io(&shown))
    }

    /// Moves the finished directory into place (replacing an old one only with `force`).
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        if self.dest.exists() {
            if !self.force {
                return Err(OutputError::Exists(self.dest.clone()));
            }
            // Named after the staging directory, so a kill between the renames leaves a
            // directory that the next run's clean-up recognises by its dead PID.
            let mut old = self.tmp.clone().into_os_string();
            old.push(".old");
            let old = PathBuf::from(old);
            fs::rename(&self.dest, &old).map_err(io(&self.dest))?;
            if let Err(e) = fs::rename(&self.tmp, &self.dest) {
                // Put the old result back rather than leave it under a name the next run's
                // clean-up removes.
                let _ = fs::rename(&old, &self.dest);
                return Err(io(&self.dest)(e));
            }
            // The new result is in place: an old one that cannot be removed now is removed by
            // the next run into this folder (its name carries this process's PID).
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&self.tmp, &self.dest).map_err(io(&self.dest))?;
        }
        self.done = true;
        Ok(self.dest.clone())
    }
}

/// The PID in the name of a staging directory, `.NAME.partial-PID` (or `.NAME.partial-PID.old`,
/// an old result being replaced with `--force`); `None` for any other name.
fn staging_pid(file_name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?;
    let (_, tail) = rest.rsplit_once(".partial-")?;
    tail.strip_suffix(".old").unwrap_or(tail).parse().ok()
}

/// Whether process `pid` is running. Where this cannot be known (no `/proc`), it is taken to be
/// running, so that nothing another run may still be writing is ever removed.
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Removes the staging directories that runs killed before their end (SIGKILL, power cut)
/// left in `parent`: those named `.NAME.partial-PID` whose process is no longer running.
/// A directory whose PID is running (or cannot be checked) is kept.
fn remove_stale_partials(parent: &Path) -> Result<Vec<PathBuf>, OutputError> {
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(removed);
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = staging_pid(&name.to_string_lossy()) else {
            continue;
        };
        let path = entry.path();
        if pid != std::process::id() && !process_alive(pid) && path.is_dir() {
            fs::remove_dir_all(&path).map_err(io(&path))?;
            removed.push(path);
        }
    }
    Ok(removed)
}

impl Drop for RunDir {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfinished_directory_is_never_at_the_destination() {
        let root = tempfile::tempdir().expect("tempdir");
        let dest = root.path().join("run");
        {
            let d = RunDir::create(&dest, false).expect("create");
            d.write("weekly.csv", b"week\n0\n").expect("write");
            assert!(!dest.exists());
        }
        assert!(!dest.exists(), "a dropped RunDir leaves nothing behind");
        assert_eq!(fs::read_dir(root.path()).expect("read").count(), 0);
    }

    #[test]
    fn stale_partials_of_dead_processes_are_removed_and_live_ones_kept() {
        let root = tempfile::tempdir().expect("tempdir");
        // PIDs above the kernel's maximum (4194304) are never alive.
        let dead = root.path().join(".run.partial-4294967295");
        let dead_old = root.path().join(".other.partial-4294967294.old");
        let live = root
            .path()
            .join(format!(".run.partial-{}", std::process::id()));
        let unrelated = root.path().join(".run.partial-notapid");
        for d in [&dead, &dead_old, &live, &unrelated] {
            fs::create_dir_all(d.join("sub")).expect("mkdir");
        }
        let removed = remove_stale_partials(root.path()).expect("clean");
        assert_eq!(removed.len(), 2, "{removed:?}");
        assert!(!dead.exists() && !dead_old.exists());
        assert!(live.exists() && unrelated.exists());
        // Creating a run directory cleans its parent the same way.
        fs::create_dir_all(&dead).expect("mkdir");
        let d = RunDir::create(&root.path().join("run"), false).expect("create");
        assert!(!dead.exists());
        d.commit().expect("commit");
    }

    #[test]
    fn staging_names_are_recognised_by_their_pid() {
        assert_eq!(staging_pid(".default.partial-123"), Some(123));
        assert_eq!(staging_pid(".a.b.partial-7.old"), Some(7));
        assert_eq!(staging_pid("default.partial-123"), None);
        assert_eq!(staging_pid(".default.partial-"), None);
        assert_eq!(staging_pid(".default"), None);
    }

    #[test]
    fn existing_result_needs_force() {
        let root = tempfile::tempdir().expect("tempdir");
        let dest = root.path().join("run");
        let d = RunDir::create(&dest, false).expect("create");
        d.write("a", b"1").expect("write");
        d.commit().expect("commit");
        assert!(matches!(
            RunDir::create(&dest, false),
            Err(OutputError::Exists(_))
        ));
        let d = RunDir::create(&dest, true).expect("forced");
        d.write("b", b"2").expect("write");
        d.commit().expect("commit");
        assert!(dest.join("b").exists() && !dest.join("a").exists());
    }
}

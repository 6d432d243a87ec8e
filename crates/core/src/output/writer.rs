//! The one place that creates result directories and files.

use super::error::OutputError;
use super::lock::DirLock;
use super::owned::{self, Contents};
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A result directory being written: files go to a temporary sibling until [`RunDir::commit`].
/// The directory's lock ([`DirLock`]) is held from [`RunDir::create`] until the `RunDir` is
/// dropped.
#[derive(Debug)]
pub struct RunDir {
    dest: PathBuf,
    tmp: PathBuf,
    force: bool,
    done: bool,
    contents: &'static Contents,
    _lock: DirLock,
}

impl RunDir {
    /// A run directory ([`owned::RUN`]): checks the destination and creates the temporary
    /// directory beside it. Without `force`, an existing destination is an error before any
    /// work is done; with it, only a run directory that pluri wrote may be replaced.
    pub fn create(dest: &Path, force: bool) -> Result<RunDir, OutputError> {
        RunDir::create_as(dest, force, &owned::RUN)
    }

    /// As [`RunDir::create`], for a result directory of the kind `contents` describes: takes
    /// the destination's lock, refuses a destination that exists (without `force`) or that is
    /// not a directory of that kind written by pluri (with it), removes the staging
    /// directories that dead processes left beside it, and creates its own.
    pub fn create_as(
        dest: &Path,
        force: bool,
        contents: &'static Contents,
    ) -> Result<RunDir, OutputError> {
        let parent = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let Some(file) = dest.ancestors().find(|a| a.is_file()) {
            return Err(OutputError::NotADirectory {
                path: file.to_path_buf(),
            });
        }
        if dest.exists() {
            if !force {
                return Err(OutputError::Exists(dest.to_path_buf()));
            }
            // Before anything is created, so a refused directory is left exactly as it was.
            contents.check_replaceable(dest)?;
        }
        fs::create_dir_all(parent).map_err(io(parent))?;
        let lock = DirLock::acquire(dest)?;
        if dest.exists() && force {
            contents.check_replaceable(dest)?;
        }
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "run".into());
        remove_stale_partials(parent, &name)?;
        let tmp = parent.join(format!(".{name}.partial-{}", std::process::id()));
        fs::create_dir(&tmp).map_err(io(&tmp))?;
        Ok(RunDir {
            dest: dest.to_path_buf(),
            tmp,
            force,
            done: false,
            contents,
            _lock: lock,
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

    /// Moves the finished directory into place (replacing an old one only with `force`, and
    /// only one that pluri wrote).
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        if self.dest.exists() {
            if !self.force {
                return Err(OutputError::Exists(self.dest.clone()));
            }
            self.contents.check_replaceable(&self.dest)?;
            // Named after the staging directory, so a kill between the renames leaves a
            // directory that the next run's clean-up removes (its lock is free by then).
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
            // The new result is in place. The old one is removed entry by entry: should
            // anything foreign have appeared in it meanwhile, it is kept under a visible name.
            if self.contents.remove(&old).is_err() && old.exists() {
                let mut kept = self.dest.clone().into_os_string();
                kept.push(format!(".kept-{}", std::process::id()));
                let _ = fs::rename(&old, PathBuf::from(kept));
            }
        } else {
            fs::rename(&self.tmp, &self.dest).map_err(io(&self.dest))?;
        }
        self.done = true;
        Ok(self.dest.clone())
    }
}

/// The destination a staging directory `.NAME.partial-PID` (or `.NAME.partial-PID.old`, an
/// old result being replaced with `--force`) belongs to: `NAME`; `None` for any other name.
fn staging_owner(file_name: &str) -> Option<&str> {
    let rest = file_name.strip_prefix('.')?;
    let (name, tail) = rest.rsplit_once(".partial-")?;
    let id = tail.strip_suffix(".old").unwrap_or(tail);
    (!name.is_empty() && !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(name)
}

/// Removes the staging directories that runs killed before their end (SIGKILL, power cut)
/// left in `parent`: `.NAME.partial-ID` whose destination's lock is free. Those of `own` (whose
/// lock this process holds) are all stale; those whose lock another process holds are kept.
/// Whether a writer is alive is judged by its lock alone, never by a process id, so this is
/// right across process namespaces and machines sharing the disk.
fn remove_stale_partials(parent: &Path, own: &str) -> Result<Vec<PathBuf>, OutputError> {
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(removed);
    };
    let mut stale: Vec<(String, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Some(owner) = staging_owner(&name) else {
            continue;
        };
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            stale.push((owner.to_string(), entry.path()));
        }
    }
    stale.sort();
    let mut i = 0;
    while i < stale.len() {
        let owner = stale[i].0.clone();
        let group: Vec<PathBuf> = stale[i..]
            .iter()
            .take_while(|(o, _)| *o == owner)
            .map(|(_, p)| p.clone())
            .collect();
        i += group.len();
        let lock = if owner == own {
            None
        } else {
            match DirLock::try_acquire(&parent.join(&owner))? {
                Some(lock) => Some(lock),
                None => continue,
            }
        };
        for path in group {
            fs::remove_dir_all(&path).map_err(io(&path))?;
            removed.push(path);
        }
        drop(lock);
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
    fn stale_partials_are_removed_when_their_lock_is_free_and_live_ones_kept() {
        let root = tempfile::tempdir().expect("tempdir");
        // A staging directory is judged by its destination's lock, never by a PID: these
        // carry this process's own PID and are stale all the same.
        let pid = std::process::id();
        let dead = root.path().join(format!(".run.partial-{pid}"));
        let dead_old = root.path().join(".other.partial-4294967294.old");
        let live = root.path().join(".busy.partial-1");
        let unrelated = root.path().join(".run.partial-notapid");
        for d in [&dead, &dead_old, &live, &unrelated] {
            fs::create_dir_all(d.join("sub")).expect("mkdir");
        }
        let busy = DirLock::acquire(&root.path().join("busy")).expect("lock");
        let removed = remove_stale_partials(root.path(), "none").expect("clean");
        assert_eq!(removed.len(), 2, "{removed:?}");
        assert!(!dead.exists() && !dead_old.exists());
        assert!(live.exists() && unrelated.exists());
        // Creating a run directory cleans its parent the same way.
        let dead = root.path().join(".run.partial-1");
        fs::create_dir_all(&dead).expect("mkdir");
        let d = RunDir::create(&root.path().join("run"), false).expect("create");
        assert!(!dead.exists() && live.exists());
        d.commit().expect("commit");
        drop(busy);
        let d = RunDir::create(&root.path().join("x"), false).expect("create");
        assert!(!live.exists(), "free once its lock is released");
        drop(d);
    }

    #[test]
    fn staging_names_are_recognised_with_their_destination() {
        assert_eq!(staging_owner(".default.partial-123"), Some("default"));
        assert_eq!(staging_owner(".a.b.partial-7.old"), Some("a.b"));
        assert_eq!(staging_owner("default.partial-123"), None);
        assert_eq!(staging_owner(".default.partial-"), None);
        assert_eq!(staging_owner(".default"), None);
    }

    #[test]
    fn a_second_writer_of_the_same_destination_is_refused_while_the_first_works() {
        let root = tempfile::tempdir().expect("tempdir");
        let dest = root.path().join("run");
        let first = RunDir::create(&dest, false).expect("create");
        let e = RunDir::create(&dest, true).err().map(|e| e.to_string());
        assert!(e.unwrap_or_default().contains("another pluri process"));
        first.commit().expect("commit");
        assert!(!root.path().join(".run.pluri-lock").exists() || dest.exists());
    }

    #[test]
    fn force_never_replaces_a_directory_holding_a_users_files() {
        let root = tempfile::tempdir().expect("tempdir");
        let dest = root.path().join("d");
        fs::create_dir_all(dest.join("sub")).expect("mkdir");
        fs::write(dest.join("thesis.txt"), "x").expect("write");
        fs::write(dest.join("sub/notes.md"), "y").expect("write");
        let e = RunDir::create(&dest, true).err().map(|e| e.to_string());
        let e = e.unwrap_or_default();
        assert!(
            e.contains("thesis.txt") && e.contains("not a run directory"),
            "{e}"
        );
        assert_eq!(
            fs::read_to_string(dest.join("thesis.txt")).ok().as_deref(),
            Some("x")
        );
        assert_eq!(
            fs::read_dir(root.path()).expect("read").count(),
            1,
            "nothing created"
        );
    }

    #[test]
    fn existing_result_needs_force() {
        let root = tempfile::tempdir().expect("tempdir");
        let dest = root.path().join("run");
        let d = RunDir::create(&dest, false).expect("create");
        for f in ["summary.json", "scenario.toml", "weekly.csv"] {
            d.write(f, b"1").expect("write");
        }
        d.commit().expect("commit");
        assert!(matches!(
            RunDir::create(&dest, false),
            Err(OutputError::Exists(_))
        ));
        let d = RunDir::create(&dest, true).expect("forced");
        for f in ["summary.json", "scenario.toml", "zones.csv"] {
            d.write(f, b"2").expect("write");
        }
        d.commit().expect("commit");
        assert!(dest.join("zones.csv").exists() && !dest.join("weekly.csv").exists());
        let leftovers: Vec<_> = fs::read_dir(root.path())
            .expect("read")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            leftovers.len(),
            1,
            "no lock, staging or old directory left: {leftovers:?}"
        );
    }
}

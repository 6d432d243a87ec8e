//! Which directories are pluri's own: `--force` replaces a directory only when everything in it
//! is something pluri writes there, and removes nothing else, ever.
//!
//! Each kind of result directory is described by a [`Contents`]: the files that identify it,
//! the names of the files and figures pluri writes there, and its sub-directories. A directory
//! is replaceable when it is empty, or when it holds its identifying files and nothing but
//! such entries (temporary names of interrupted writes included). Anything else (a user's
//! notes, a sub-directory pluri does not write, a symbolic link) makes `--force` refuse the
//! directory, naming what is in the way.

use super::lock::LOCK_SUFFIX;
use super::OutputError;
use std::fs;
use std::path::{Path, PathBuf};

/// What pluri writes in one kind of result directory.
#[derive(Debug, Clone, Copy)]
pub struct Contents {
    /// The kind, for messages ("run directory").
    pub kind: &'static str,
    /// Entries that identify it: all must be there (a `/` reaches into a sub-directory).
    pub identity: &'static [&'static str],
    /// Names of the files pluri writes there.
    pub files: &'static [&'static str],
    /// Names of the tables pluri may also write there in another format (a run's Parquet
    /// tables, `--tables parquet`).
    pub tables: &'static [&'static str],
    /// Stems of the figures pluri draws there (`STEM.png`, `STEM.svg`); a stem ending in `-`
    /// stands for every stem it begins.
    pub figures: &'static [&'static str],
    /// Sub-directories pluri writes there, with what they hold.
    pub dirs: &'static [(&'static str, &'static Contents)],
    /// Also files named `NNNNNN.json` (run records, a sweep's `runs/`) and
    /// `NNNNNN.weekly.parquet` (their weekly series, a Parquet sweep's).
    pub numbered_json: bool,
}

/// What a run directory holds (`pluri run`).
pub const RUN: Contents = Contents {
    kind: "run directory",
    identity: &[
        pluri_schema::run::SUMMARY_FILE,
        pluri_schema::run::SCENARIO_FILE,
    ],
    files: &[
        pluri_schema::run::SCENARIO_FILE,
        pluri_schema::run::WEEKLY_FILE,
        pluri_schema::run::BY_STRUCTURE_TYPE_FILE,
        pluri_schema::run::TIES_FILE,
        pluri_schema::run::ZONES_FILE,
        pluri_schema::run::STRUCTURES_FILE,
        pluri_schema::run::INTERVENTIONS_FILE,
        pluri_schema::run::SUMMARY_FILE,
        "timings.json",
    ],
    tables: pluri_schema::run::PARQUET_FILES,
    figures: &[
        "cooperation",
        "access",
        "workload",
        "structures",
        "delegation",
        "territory",
        "territory-",
    ],
    dirs: &[],
    numbered_json: false,
};

/// What a sensitivity directory holds (`pluri sensitivity`).
pub const SENSITIVITY: Contents = Contents {
    kind: "sensitivity directory",
    identity: &[],
    files: &[
        pluri_schema::sweep::SENSITIVITY_FILE,
        pluri_schema::sweep::MORRIS_FILE,
        pluri_schema::sweep::SOBOL_FILE,
        "timings.json",
    ],
    tables: &[],
    figures: &["morris", "sobol"],
    dirs: &[],
    numbered_json: false,
};

impl Contents {
    fn file_ok(&self, name: &str) -> bool {
        if self.files.contains(&name) || self.tables.contains(&name) {
            return true;
        }
        if self.numbered_json {
            let stem = name
                .strip_suffix(".json")
                .or_else(|| name.strip_suffix(".weekly.parquet"));
            if let Some(stem) = stem {
                if !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_digit()) {
                    return true;
                }
            }
        }
        // Temporary names of interrupted atomic writes: `.NAME.PID.tmp`, `.STEM.partial.EXT`.
        if name.starts_with('.') && name.ends_with(".tmp") {
            return true;
        }
        if let Some(rest) = name.strip_prefix('.') {
            // The lock of a sub-directory, left by a killed process.
            if let Some(sub) = rest.strip_suffix(LOCK_SUFFIX) {
                if self.dirs.iter().any(|(d, _)| *d == sub) {
                    return true;
                }
            }
            for ext in ["png", "svg"] {
                if let Some(stem) = rest.strip_suffix(&format!(".partial.{ext}")) {
                    if self.figure_ok(stem) {
                        return true;
                    }
                }
            }
        }
        ["png", "svg"].iter().any(|ext| {
            name.strip_suffix(&format!(".{ext}"))
                .is_some_and(|stem| self.figure_ok(stem))
        })
    }

    /// A staging directory `.SUB.partial-ID` of one of its sub-directories (a merge into
    /// a calibration's `sweep/` that was killed).
    fn is_staging(&self, name: &str) -> bool {
        name.strip_prefix('.')
            .and_then(|r| r.split_once(".partial-"))
            .is_some_and(|(sub, _)| self.dirs.iter().any(|(d, _)| *d == sub))
    }

    fn figure_ok(&self, stem: &str) -> bool {
        !stem.is_empty()
            && self.figures.iter().any(|f| match f.strip_suffix('-') {
                Some(prefix) => stem.len() > f.len() && stem.starts_with(*f) && !prefix.is_empty(),
                None => stem == *f,
            })
    }

    /// The entries of `dir` that pluri does not write there (paths), empty when every entry
    /// is pluri's. Symbolic links are never pluri's.
    pub fn foreign(&self, dir: &Path) -> Result<Vec<PathBuf>, OutputError> {
        let mut out = Vec::new();
        self.collect_foreign(dir, &mut out)?;
        Ok(out)
    }

    fn collect_foreign(&self, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), OutputError> {
        let io = |source| OutputError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut entries: Vec<_> = fs::read_dir(dir)
            .map_err(io)?
            .collect::<Result<_, _>>()
            .map_err(io)?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            let kind = e.file_type().map_err(io)?;
            if kind.is_file() && self.file_ok(&name) {
                continue;
            }
            if kind.is_dir() {
                if let Some((_, sub)) = self.dirs.iter().find(|(d, _)| *d == name) {
                    sub.collect_foreign(&path, out)?;
                    continue;
                }
                if self.is_staging(&name) {
                    continue;
                }
            }
            out.push(path);
        }
        Ok(())
    }

    /// Whether `--force` may replace `dir`: `Ok` when it is absent, empty, or a directory of
    /// this kind holding nothing but what pluri writes there; otherwise
    /// [`OutputError::NotOurs`] naming what is in the way.
    pub fn check_replaceable(&self, dir: &Path) -> Result<(), OutputError> {
        let meta = match fs::symlink_metadata(dir) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(source) => {
                return Err(OutputError::Io {
                    path: dir.to_path_buf(),
                    source,
                })
            }
        };
        let not_ours = |reason: String| OutputError::NotOurs {
            path: dir.to_path_buf(),
            kind: self.kind,
            reason,
        };
        if !meta.is_dir() {
            return Err(not_ours(if meta.file_type().is_symlink() {
                "it is a symbolic link".into()
            } else {
                "it is not a directory".into()
            }));
        }
        let empty = fs::read_dir(dir)
            .map_err(|source| OutputError::Io {
                path: dir.to_path_buf(),
                source,
            })?
            .next()
            .is_none();
        if empty {
            return Ok(());
        }
        let foreign = self.foreign(dir)?;
        if !foreign.is_empty() {
            let shown: Vec<String> = foreign
                .iter()
                .take(5)
                .map(|p| {
                    p.strip_prefix(dir)
                        .unwrap_or(p)
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
            return Err(not_ours(format!(
                "it holds {}{} that pluri did not write",
                shown.join(", "),
                if foreign.len() > 5 {
                    format!(" and {} more", foreign.len() - 5)
                } else {
                    String::new()
                }
            )));
        }
        if let Some(missing) = self.identity.iter().find(|i| !dir.join(i).exists()) {
            // Only temporary files and empty folders (a writer killed at its start) hold
            // nothing of value: such a directory is replaceable all the same.
            if self.has_content(dir) {
                return Err(not_ours(format!("it has no {missing}")));
            }
        }
        Ok(())
    }

    /// Whether `dir` holds a file other than a temporary or hidden one, at any depth.
    fn has_content(&self, dir: &Path) -> bool {
        let Ok(entries) = fs::read_dir(dir) else {
            return true;
        };
        entries.flatten().any(|e| {
            let hidden = e.file_name().to_string_lossy().starts_with('.');
            match e.file_type() {
                Ok(t) if t.is_dir() => self.has_content(&e.path()),
                Ok(t) if t.is_file() => !hidden,
                _ => true,
            }
        })
    }

    /// Removes `dir` after checking it is replaceable ([`Contents::check_replaceable`]),
    /// entry by entry: only what pluri writes there is removed, and a directory that is not
    /// empty afterwards (something appeared meanwhile) is kept, with an error naming it.
    pub fn remove(&self, dir: &Path) -> Result<(), OutputError> {
        self.check_replaceable(dir)?;
        if fs::symlink_metadata(dir).is_err() {
            return Ok(());
        }
        self.remove_entries(dir)
    }

    fn remove_entries(&self, dir: &Path) -> Result<(), OutputError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| OutputError::Io { path, source }
        };
        for e in fs::read_dir(dir).map_err(io(dir))? {
            let e = e.map_err(io(dir))?;
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            let kind = e.file_type().map_err(io(&path))?;
            if kind.is_file() && self.file_ok(&name) {
                fs::remove_file(&path).map_err(io(&path))?;
            } else if kind.is_dir() {
                if let Some((_, sub)) = self.dirs.iter().find(|(d, _)| *d == name) {
                    sub.remove_entries(&path)?;
                } else if self.is_staging(&name) {
                    fs::remove_dir_all(&path).map_err(io(&path))?;
                }
            }
        }
        fs::remove_dir(dir).map_err(|source| OutputError::NotOurs {
            path: dir.to_path_buf(),
            kind: self.kind,
            reason: format!(
                "files pluri did not write appeared in it while it was being replaced ({source}); what remains is kept"
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(p: &Path) {
        if let Some(d) = p.parent() {
            fs::create_dir_all(d).expect("mkdir");
        }
        fs::write(p, b"x").expect("write");
    }

    #[test]
    fn every_parquet_table_of_a_run_is_a_file_of_a_run_directory() {
        for name in pluri_schema::run::PARQUET_FILES {
            assert!(RUN.file_ok(name), "{name}");
        }
    }

    #[test]
    fn a_run_directory_with_a_users_file_is_not_replaceable_and_nothing_is_removed() {
        let root = tempfile::tempdir().expect("tempdir");
        let d = root.path().join("d");
        for f in ["summary.json", "scenario.toml", "weekly.csv", "access.png"] {
            touch(&d.join(f));
        }
        RUN.check_replaceable(&d).expect("pluri's own");
        touch(&d.join("thesis.txt"));
        touch(&d.join("sub/notes.md"));
        let e = RUN
            .remove(&d)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("thesis.txt") && e.contains("sub"), "{e}");
        assert!(d.join("thesis.txt").exists() && d.join("sub/notes.md").exists());
        assert!(
            d.join("weekly.csv").exists(),
            "nothing is removed on refusal"
        );
    }

    #[test]
    fn a_sensitivity_directory_pluri_wrote_is_replaceable_with_its_copy_of_the_file() {
        let root = tempfile::tempdir().expect("tempdir");
        let d = root.path().join("d");
        for f in ["sensitivity.toml", "morris.csv", "sobol.csv", "morris.png"] {
            touch(&d.join(f));
        }
        SENSITIVITY.check_replaceable(&d).expect("pluri's own");
        touch(&d.join("notes.toml"));
        assert!(SENSITIVITY.check_replaceable(&d).is_err());
    }

    #[test]
    fn a_directory_without_the_identifying_files_is_not_a_run_directory() {
        let root = tempfile::tempdir().expect("tempdir");
        let d = root.path().join("d");
        touch(&d.join("weekly.csv"));
        let e = RUN.check_replaceable(&d).err().map(|e| e.to_string());
        assert!(e.unwrap_or_default().contains("summary.json"));
        fs::remove_file(d.join("weekly.csv")).expect("rm");
        RUN.check_replaceable(&d)
            .expect("an empty directory is replaceable");
        RUN.check_replaceable(&root.path().join("absent"))
            .expect("absent");
    }

    #[test]
    fn only_pluris_figure_names_count_as_its_figures() {
        assert!(RUN.file_ok("territory-b.png") && RUN.file_ok(".access.partial.svg"));
        assert!(!RUN.file_ok("photo.png") && !RUN.file_ok("territory-.png"));
        assert!(!RUN.file_ok("notes.tmp"), "only hidden temporary names");
    }

    #[test]
    fn a_pluri_directory_is_removed_entry_by_entry() {
        static RUNS: Contents = Contents {
            kind: "runs",
            identity: &[],
            files: &[],
            tables: &[],
            figures: &[],
            dirs: &[],
            numbered_json: true,
        };
        static SWEEPISH: Contents = Contents {
            kind: "sweep directory",
            identity: &["manifest.json"],
            files: &["manifest.json"],
            tables: &[],
            figures: &["sweep-"],
            dirs: &[("runs", &RUNS)],
            numbered_json: false,
        };
        let root = tempfile::tempdir().expect("tempdir");
        let d = root.path().join("s");
        for f in [
            "manifest.json",
            "runs/000001.json",
            "sweep-x.png",
            ".runs.pluri-lock",
        ] {
            touch(&d.join(f));
        }
        // A killed merge's staging directory of `runs` counts as pluri's.
        touch(&d.join(".runs.partial-12/000001.json"));
        assert!(SWEEPISH.foreign(&d).expect("foreign").is_empty());
        SWEEPISH.remove(&d).expect("removed");
        assert!(!d.exists());
        touch(&d.join("manifest.json"));
        touch(&d.join("runs/mine.json"));
        assert!(SWEEPISH.remove(&d).is_err());
        assert!(d.join("runs/mine.json").exists());
    }
}

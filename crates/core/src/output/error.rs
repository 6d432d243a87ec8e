//! Why results could not be written: each error names the path and what to do.

use std::path::PathBuf;

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
    /// `--force` was asked to replace a directory that pluri did not write.
    #[error(
        "{path} is not a {kind} written by pluri ({reason}): --force replaces only pluri's own \
         result directories and never deletes anything else; move your files away, or choose another --out"
    )]
    NotOurs {
        /// The directory.
        path: PathBuf,
        /// The kind of result directory expected.
        kind: &'static str,
        /// What is in the way.
        reason: String,
    },
    /// Another process is writing the same directory.
    #[error(
        "{dir} is being written by another pluri process ({}lock {}): wait for it to finish, or choose another --out",
        holder.as_ref().map(|h| format!("{h}; ")).unwrap_or_default(),
        lock.display()
    )]
    Locked {
        /// The directory.
        dir: PathBuf,
        /// Its lock file.
        lock: PathBuf,
        /// Who holds it, as written in the lock file.
        holder: Option<String>,
    },
}

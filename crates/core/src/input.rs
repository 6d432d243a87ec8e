//! Reading pluri's input files (scenarios, sweep, sensitivity and calibration files, observed
//! tables, files of a result directory read back): bounded reading, TOML parsing with short
//! excerpts of the parser's message, and [`InputError`], the errors of reading, parsing and
//! validating such a file that every kind of input shares.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Which of pluri's inputs a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A scenario file: messages call it a scenario.
    Scenario,
    /// A file of a study (a sweep, sensitivity or calibration file, an observed table, a
    /// file of a sweep directory read back): messages name it by its path alone.
    Study,
}

impl InputKind {
    /// What a message says before the path of a file of this kind.
    fn prefix(self) -> &'static str {
        match self {
            InputKind::Scenario => "scenario ",
            InputKind::Study => "",
        }
    }
}

/// What went wrong with an input file: it could not be read, is not of its format's shape,
/// or says something impossible. Each names the file, the line when known, the field and
/// the fix.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file could not be read.
    #[error("cannot read {}{}: {source}", kind.prefix(), path.display())]
    Read {
        /// What the file is.
        kind: InputKind,
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The text is not TOML of the file's shape (toml's message carries the line and column).
    #[error("{origin}: {message}")]
    Parse {
        /// File name or other origin of the text.
        origin: String,
        /// toml's message, with line, column and the offending key.
        message: String,
    },
    /// The file is well-formed but says something impossible.
    #[error("{origin}{}: `{field}`: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        /// File name or other origin of the text.
        origin: String,
        /// 1-based line, when known.
        line: Option<usize>,
        /// Dotted path of the field, or the column at fault.
        field: String,
        /// What is wrong and what to do.
        message: String,
    },
}

/// Reads an input file of `kind` as text, bounded ([`read_input`]).
pub fn read(kind: InputKind, path: &Path) -> Result<String, InputError> {
    read_input(path).map_err(|source| InputError::Read {
        kind,
        path: path.to_path_buf(),
        source,
    })
}

/// Parses TOML text of `T`'s shape; `origin` names it in errors, whose message is toml's
/// ([`excerpt`]).
pub fn parse_toml<T: serde::de::DeserializeOwned>(
    text: &str,
    origin: &str,
) -> Result<T, InputError> {
    toml::from_str(text).map_err(|e| InputError::Parse {
        origin: origin.to_string(),
        message: excerpt(e.to_string().trim_end()),
    })
}

/// The 1-based line of byte offset `at` in `text`.
pub fn line_of(text: &str, at: usize) -> usize {
    let end = at.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Largest input file read (scenario, sweep, calibration, sensitivity file, observed table):
/// the largest shipped one is about 0.1 MiB.
pub const MAX_INPUT_BYTES: u64 = 16 << 20;

/// Longest line of an input file quoted in an error message, in characters.
pub const MAX_EXCERPT_CHARS: usize = 200;

/// Reads an input file as text, bounded: a regular file (or a pipe, such as `/dev/stdin`) of
/// at most [`MAX_INPUT_BYTES`]. A device (`/dev/urandom`), a directory or a socket is refused
/// before anything is read, and a pipe that gives more than the limit is refused once the
/// limit is passed; the error says what to give instead.
pub fn read_input(path: &Path) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind};
    let meta = std::fs::metadata(path)?;
    let kind = meta.file_type();
    #[cfg(unix)]
    let pipe = {
        use std::os::unix::fs::FileTypeExt;
        kind.is_fifo()
    };
    #[cfg(not(unix))]
    let pipe = false;
    if !kind.is_file() && !pipe {
        let what = if kind.is_dir() {
            "a directory"
        } else {
            "a device or socket"
        };
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("it is {what}, not a file: give the path of a TOML or CSV file"),
        ));
    }
    let too_large = || {
        Error::new(
            ErrorKind::InvalidInput,
            format!(
                "larger than {} MiB, the most an input file may hold: is it the right file?",
                MAX_INPUT_BYTES >> 20
            ),
        )
    };
    if meta.len() > MAX_INPUT_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|_| {
        Error::new(
            ErrorKind::InvalidData,
            "not UTF-8 text: give a TOML or CSV file",
        )
    })
}

/// A parser's message with every line cut to [`MAX_EXCERPT_CHARS`] characters (a quoted
/// line of an input file can be megabytes long), and at most 40 lines.
pub fn excerpt(message: &str) -> String {
    let mut out = String::new();
    for (i, line) in message.lines().enumerate() {
        if i == 40 {
            out.push_str("\n...");
            break;
        }
        if i > 0 {
            out.push('\n');
        }
        let mut chars = line.char_indices();
        match chars.nth(MAX_EXCERPT_CHARS) {
            Some((cut, _)) => {
                out.push_str(&line[..cut]);
                out.push_str(&format!(
                    " ... ({} more characters)",
                    line[cut..].chars().count()
                ));
            }
            None => out.push_str(line),
        }
    }
    out
}

/// A user's text quoted in a message: at most 80 characters, `...` for the rest.
pub fn quoted(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{:?}...", &text[..cut]),
        None => format!("{text:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_of_a_parser_message_are_cut() {
        let long = format!("line 1\n  | x = \"{}\n", "a".repeat(50_000_000));
        let m = excerpt(&long);
        assert!(m.len() < 400, "{}", m.len());
        assert!(m.contains("more characters") && m.starts_with("line 1"));
        assert_eq!(excerpt("short\nlines"), "short\nlines");
    }

    #[test]
    fn a_device_a_directory_and_an_oversized_file_are_refused_before_reading_them() {
        let urandom = Path::new("/dev/urandom");
        if urandom.exists() {
            let e = read_input(urandom).err().map(|e| e.to_string());
            assert!(e.unwrap_or_default().contains("not a file"));
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let e = read_input(dir.path()).err().map(|e| e.to_string());
        assert!(e.unwrap_or_default().contains("a directory"));
        let big = dir.path().join("big.toml");
        let f = std::fs::File::create(&big).expect("create");
        f.set_len(MAX_INPUT_BYTES + 1).expect("sparse");
        let e = read_input(&big).err().map(|e| e.to_string());
        assert!(e.unwrap_or_default().contains("16 MiB"));
        std::fs::write(&big, "name = \"x\"\n").expect("write");
        assert_eq!(read_input(&big).ok().as_deref(), Some("name = \"x\"\n"));
    }

    #[test]
    fn an_unreadable_scenario_is_called_a_scenario_and_a_study_file_goes_by_its_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("missing.toml");
        let say = |kind| {
            read(kind, &missing)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        let path = missing.display();
        assert!(say(InputKind::Scenario).starts_with(&format!("cannot read scenario {path}: ")));
        assert!(say(InputKind::Study).starts_with(&format!("cannot read {path}: ")));
    }
}

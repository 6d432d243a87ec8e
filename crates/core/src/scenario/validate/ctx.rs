//! The origin of a scenario's text and the errors that name its file, line and field.

use crate::input::{self, InputError};
use crate::scenario::error::ScenarioError;

/// Where a scenario's text comes from, to name the file and line of each error.
pub(super) struct Ctx<'a> {
    /// The text, when there is one (a scenario changed by `--set` has none).
    pub(super) src: Option<&'a str>,
    /// The file name or other origin of the text.
    pub(super) origin: &'a str,
}

impl Ctx<'_> {
    pub(super) fn line(&self, span: std::ops::Range<usize>) -> Option<usize> {
        Some(input::line_of(self.src?, span.start))
    }

    /// An error on a field that has no span of its own (a plain value of the top level or of
    /// a table): its line is found by its key in the text, when it is written there.
    pub(super) fn err_key(&self, field: &str, msg: String) -> ScenarioError {
        InputError::Invalid {
            origin: self.origin.to_string(),
            line: self.src.and_then(|s| key_line(s, field)),
            field: field.to_string(),
            message: msg,
        }
        .into()
    }

    pub(super) fn err(
        &self,
        span: Option<std::ops::Range<usize>>,
        field: &str,
        msg: String,
    ) -> ScenarioError {
        InputError::Invalid {
            origin: self.origin.to_string(),
            line: span.and_then(|s| self.line(s)),
            field: field.to_string(),
            message: msg,
        }
        .into()
    }
}

/// The 1-based line where the dotted key `path` is set in TOML text `src` (`weeks`,
/// `coordination.meeting_share`), under its table header or as a dotted key; `None` when it
/// is not written there (a default) or is written in another form (an inline table).
pub(super) fn key_line(src: &str, path: &str) -> Option<usize> {
    let mut table = String::new();
    for (i, line) in src.lines().enumerate() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix('[') {
            let inner = rest.trim_start_matches('[');
            table = inner
                .split(']')
                .next()
                .unwrap_or("")
                .split('.')
                .map(|p| p.trim().trim_matches('"'))
                .collect::<Vec<_>>()
                .join(".");
            if t.starts_with("[[") {
                // An array of tables: its keys carry spans of their own.
                table = format!("{table}[]");
            }
            continue;
        }
        if t.starts_with('#') {
            continue;
        }
        let Some((key, _)) = t.split_once('=') else {
            continue;
        };
        let key: Vec<&str> = key.split('.').map(|p| p.trim().trim_matches('"')).collect();
        let key = key.join(".");
        let full = if table.is_empty() {
            key
        } else {
            format!("{table}.{key}")
        };
        if full == path {
            return Some(i + 1);
        }
    }
    None
}

//! Python exceptions of pluri: one class per kind of failure, each carrying the message the
//! command line prints (the error and its causes, each said once) and, for scenarios, the
//! file, line and field at fault as attributes.

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::PyErr;
use std::error::Error;

pyo3::create_exception!(
    pluri,
    PluriError,
    PyException,
    "Any failure of pluri; its message is the one `pluri` prints after `error:`."
);
pyo3::create_exception!(
    pluri,
    ScenarioError,
    PluriError,
    "A scenario that cannot be read, overridden or validated: `file`, `line` and `field` say where."
);
pyo3::create_exception!(
    pluri,
    SweepError,
    PluriError,
    "A sweep file or sweep directory that is wrong, or a sweep that failed."
);
pyo3::create_exception!(
    pluri,
    CompareError,
    PluriError,
    "A comparison whose arms or settings are wrong, or that failed."
);
pyo3::create_exception!(
    pluri,
    CalibrateError,
    PluriError,
    "A calibration file that is wrong, or a calibration that failed."
);
pyo3::create_exception!(
    pluri,
    OutputError,
    PluriError,
    "A result directory that could not be written."
);

/// The error and its causes joined by `: `, each said once, as `pluri` prints them.
pub fn chain(e: &dyn Error) -> String {
    let mut msg = String::new();
    let mut cause: Option<&dyn Error> = Some(e);
    while let Some(c) = cause {
        let text = c.to_string();
        if !msg.contains(&text) {
            if !msg.is_empty() {
                msg.push_str(": ");
            }
            msg.push_str(&text);
        }
        cause = c.source();
    }
    msg
}

/// Where a scenario error is: file (or origin), 1-based line and dotted field, when known.
fn place(e: &pluri::ScenarioError) -> Place {
    match e {
        pluri::ScenarioError::Input(i) => input_place(i),
        pluri::ScenarioError::Set { arg, .. } => (
            None,
            None,
            // One override names its field; several validated together name none.
            (arg.matches('=').count() == 1)
                .then(|| arg.split_once('=').map(|(path, _)| path.trim().to_string()))
                .flatten(),
        ),
    }
}

/// File, line and field of an input file's error.
fn input_place(e: &pluri::InputError) -> Place {
    use pluri::InputError as I;
    match e {
        I::Read { path, .. } => (Some(path.display().to_string()), None, None),
        I::Parse { origin, message } => (Some(origin.clone()), toml_line(message), None),
        I::Invalid {
            origin,
            line,
            field,
            ..
        } => (Some(origin.clone()), *line, Some(field.clone())),
    }
}

/// File, line and dotted field of an error, when known.
type Place = (Option<String>, Option<usize>, Option<String>);

/// The line of toml's parse message (`TOML parse error at line 3, column 7`).
fn toml_line(message: &str) -> Option<usize> {
    let rest = &message[message.find("line ")? + "line ".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// A Python exception of class `T` with the message of `e`, and `file`, `line`, `field`
/// attributes (None when unknown).
fn raise<T: pyo3::type_object::PyTypeInfo>(
    e: &dyn Error,
    file: Option<String>,
    line: Option<usize>,
    field: Option<String>,
) -> PyErr {
    let err = PyErr::new::<T, _>(chain(e));
    Python::attach(|py| {
        let value = err.value(py);
        // Setting attributes on a fresh exception cannot fail but for lack of memory, in
        // which case the exception goes without them.
        let _ = value.setattr("file", file);
        let _ = value.setattr("line", line);
        let _ = value.setattr("field", field);
    });
    err
}

/// A scenario error as a `pluri.ScenarioError`.
pub fn scenario(e: &pluri::ScenarioError) -> PyErr {
    let (file, line, field) = place(e);
    raise::<ScenarioError>(e, file, line, field)
}

/// A sweep error as a `pluri.SweepError` (a `pluri.ScenarioError` when its scenario is at fault).
pub fn sweep(e: &pluri::sweep::SweepError) -> PyErr {
    if let pluri::sweep::SweepError::Input(i) = e {
        let (file, line, field) = input_place(i);
        return raise::<SweepError>(e, file, line, field);
    }
    study::<SweepError>(e)
}

/// A comparison error as a `pluri.CompareError` (a `pluri.ScenarioError` when an arm's
/// scenario is at fault).
pub fn compare(e: &pluri::compare::CompareError) -> PyErr {
    study::<CompareError>(e)
}

/// A calibration error as a `pluri.CalibrateError` (a `pluri.ScenarioError` when its
/// scenario is at fault).
pub fn calibrate(e: &pluri::calibrate::CalibrateError) -> PyErr {
    if let pluri::calibrate::CalibrateError::Input(i) = e {
        let (file, line, field) = input_place(i);
        return raise::<CalibrateError>(e, file, line, field);
    }
    study::<CalibrateError>(e)
}

/// A study's error as `T`, or as a `pluri.ScenarioError` when a scenario among its causes
/// is at fault.
fn study<T: pyo3::type_object::PyTypeInfo>(e: &(dyn Error + 'static)) -> PyErr {
    match find_scenario_error(e) {
        Some(s) => {
            let (file, line, field) = place(s);
            raise::<ScenarioError>(e, file, line, field)
        }
        None => raise::<T>(e, None, None, None),
    }
}

/// An error writing a result directory as a `pluri.OutputError`.
pub fn output(e: &pluri::OutputError) -> PyErr {
    raise::<OutputError>(e, None, None, None)
}

/// Any other failure as a `pluri.PluriError`.
pub fn other(e: &dyn Error) -> PyErr {
    raise::<PluriError>(e, None, None, None)
}

/// The scenario error among `e` and its causes, if any.
fn find_scenario_error<'a>(e: &'a (dyn Error + 'static)) -> Option<&'a pluri::ScenarioError> {
    let mut cause: Option<&(dyn Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(s) = c.downcast_ref::<pluri::ScenarioError>() {
            return Some(s);
        }
        cause = c.source();
    }
    None
}

//! `--set PATH=VALUE`: override any scenario field by its dotted path.
//!
//! Paths walk the effective scenario (every default filled in), so a path that names no
//! field is an error that lists the fields there are. List entries are named by their
//! `name` (`structures.msp_nord.coordinator_fte`). A value must have the field's type
//! (an integer is accepted where a number is expected).

use super::raw::RawScenario;
use super::{Params, ScenarioError};
use toml::Value;

/// The effective scenario as a TOML value tree.
pub fn to_value(raw: &RawScenario) -> Result<Value, ScenarioError> {
    Value::try_from(raw).map_err(|e| ScenarioError::Set {
        arg: String::new(),
        message: format!("internal: the scenario cannot be turned into TOML ({e})"),
    })
}

/// Reads a scenario back from the value tree; `args` names the overrides in errors.
pub fn from_value(value: Value, args: &str) -> Result<RawScenario, ScenarioError> {
    // Through text, so that span-carrying entries deserialize as from a file.
    let text = toml::to_string(&value).map_err(|e| ScenarioError::Set {
        arg: args.to_string(),
        message: e.to_string(),
    })?;
    toml::from_str(&text).map_err(|e| ScenarioError::Set {
        arg: args.to_string(),
        message: e.message().to_string(),
    })
}

/// Parses `VALUE` as a TOML value; a bare word that is not TOML is taken as a string.
pub fn parse_value(text: &str) -> Value {
    let doc = format!("v = {text}");
    match toml::from_str::<toml::Table>(&doc) {
        Ok(mut t) => t
            .remove("v")
            .unwrap_or_else(|| Value::String(text.to_string())),
        Err(_) => Value::String(text.to_string()),
    }
}

/// Applies one `PATH=VALUE` argument to the value tree.
pub fn apply_arg(root: &mut Value, arg: &str) -> Result<(), ScenarioError> {
    let fail = |message: String| ScenarioError::Set {
        arg: arg.to_string(),
        message,
    };
    let (path, text) = arg.split_once('=').ok_or_else(|| {
        fail("expected PATH=VALUE, for example structures.msp_nord.coordinator_fte=0.5".into())
    })?;
    set_path(root, path.trim(), parse_value(text.trim())).map_err(fail)
}

/// Whether an error message of [`set_path`] blames the path (no such field or entry, not a
/// field) rather than the value: sweep and calibration files point such errors at their
/// `path` line. The phrases are those of `set_path`'s messages, kept beside them.
pub fn blames_path(message: &str) -> bool {
    [
        "has no field",
        "no entry named",
        "names a",
        "not a dotted path",
        "is a value, not a section",
    ]
    .iter()
    .any(|k| message.contains(k))
}

/// Sets `path` in `root` to `value`; the message of an error says what exists instead.
pub fn set_path(root: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let segments: Vec<&str> = path.split('.').collect();
    if path.is_empty() || segments.iter().any(|s| s.is_empty()) {
        return Err(format!(
            "{path:?} is not a dotted path such as population.elderly_share"
        ));
    }
    let mut node = root;
    let mut walked = String::new();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let here = if walked.is_empty() {
            "the scenario".to_string()
        } else {
            format!("`{walked}`")
        };
        node = match node {
            Value::Table(t) => {
                if last {
                    return assign(
                        t,
                        seg,
                        value,
                        &format!("{walked}{}{seg}", if walked.is_empty() { "" } else { "." }),
                    );
                }
                let keys: Vec<String> = t.keys().cloned().collect();
                t.get_mut(*seg).ok_or_else(|| {
                    format!("{here} has no field `{seg}`; it has: {}", keys.join(", "))
                })?
            }
            Value::Array(items) => {
                let names: Vec<String> = items
                    .iter()
                    .filter_map(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_string))
                    .collect();
                let pos = names.iter().position(|n| n == seg).ok_or_else(|| {
                    format!(
                        "{here} has no entry named `{seg}`; entries are: {}",
                        names.join(", ")
                    )
                })?;
                if last {
                    return Err(format!("`{path}` names a whole entry: add the field to set, for example {path}.name"));
                }
                &mut items[pos]
            }
            _ => {
                return Err(format!(
                    "`{walked}` is a value, not a section: nothing is below it"
                ))
            }
        };
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(seg);
    }
    Err(format!("`{path}` names a section: add the field to set"))
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "true or false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

fn assign(t: &mut toml::Table, key: &str, value: Value, full: &str) -> Result<(), String> {
    let intervention = full.starts_with("interventions.");
    // A date is kept as its text (`--set start_date=2013-01-01` reads as a TOML date).
    let value = match value {
        Value::Datetime(d) if full == "start_date" || (intervention && key == "date") => {
            Value::String(d.to_string())
        }
        v => v,
    };
    if intervention {
        // An intervention has a week or a date: setting one replaces the other.
        match key {
            "week" => t.remove("date"),
            "date" => t.remove("week"),
            _ => None,
        };
    }
    let Some(old) = t.get(key) else {
        if intervention || full == "start_date" {
            // Optional fields are absent until set; serde refuses unknown ones.
            t.insert(key.to_string(), value);
            return Ok(());
        }
        let keys: Vec<&str> = t.keys().map(String::as_str).collect();
        let parent = full
            .rsplit_once('.')
            .map(|(p, _)| format!("`{p}`"))
            .unwrap_or_else(|| "the scenario".into());
        return Err(format!(
            "{parent} has no field `{key}`; it has: {}",
            keys.join(", ")
        ));
    };
    let value = match (old, value) {
        (Value::Table(_), _) => {
            return Err(format!(
                "`{full}` is a section: set one of its fields instead"
            ));
        }
        (Value::Array(items), _) if items.iter().any(Value::is_table) => {
            return Err(format!(
                "`{full}` is a list of entries: set a field of one entry, by its name"
            ));
        }
        (Value::Float(_), Value::Integer(i)) => Value::Float(i as f64),
        (o, v) if std::mem::discriminant(o) != std::mem::discriminant(&v) => {
            return Err(format!(
                "`{full}` takes {}, not {} ({v})",
                type_name(o),
                type_name(&v)
            ));
        }
        (_, v) => v,
    };
    t.insert(key.to_string(), value);
    Ok(())
}

/// Parameters with `path` (a behavioural parameter such as `structural.msp_incentive`) set to `value`.
pub fn set_param(params: &Params, path: &str, value: Value) -> Result<Params, String> {
    let mut tree = Value::try_from(params).map_err(|e| e.to_string())?;
    set_path(&mut tree, path, value)?;
    tree.try_into::<Params>()
        .map_err(|e| format!("`{path}`: {}", e.message()))
}

#[cfg(test)]
mod tests {
    use crate::scenario::Scenario;

    fn base() -> Scenario {
        Scenario::default_scenario().expect("default scenario is valid")
    }

    #[test]
    fn sets_a_parameter_by_path() {
        let s = base()
            .with_sets(&["population.elderly_share=0.3"])
            .expect("valid set");
        assert_eq!(s.params.population.elderly_share.get(), 0.3);
    }

    #[test]
    fn sets_a_list_entry_by_name() {
        let s = base();
        let name = s.structures[0].name.clone();
        let s = s
            .with_sets(&[format!("structures.{name}.coordinator_fte=0.75")])
            .expect("valid set");
        assert_eq!(s.structures[0].coordinator_fte, 0.75);
    }

    #[test]
    fn unknown_path_is_an_error_listing_the_fields() {
        let e = base()
            .with_sets(&["population.eldrly_share=0.3"])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("no field `eldrly_share`") && e.contains("elderly_share"),
            "{e}"
        );
    }

    #[test]
    fn wrong_type_is_an_error() {
        let e = base()
            .with_sets(&["weeks=many"])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("takes an integer"), "{e}");
    }

    #[test]
    fn out_of_range_value_is_an_error() {
        assert!(base().with_sets(&["population.elderly_share=1.5"]).is_err());
    }

    #[test]
    fn unknown_entry_name_lists_entries() {
        let e = base()
            .with_sets(&["structures.nowhere.gps=3"])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("no entry named `nowhere`"), "{e}");
    }
}

//! The arms of a comparison: scenario files, `--arm NAME:PATH=VALUE,...` variants of the
//! first one, and the first one `--without` one of its interventions; their names, and what
//! differs between each arm's effective scenario and the first's.

use super::error::CompareError;
use pluri_core::Scenario;
use std::path::PathBuf;
use toml::Value;

/// One arm: a named, validated scenario.
#[derive(Debug, Clone)]
pub struct Arm {
    /// Unique name, safe as a file name.
    pub name: String,
    /// Where it comes from, as the report says it.
    pub source: String,
    /// The effective scenario (every override applied; its seed is replaced run by run).
    pub scenario: Scenario,
    /// What differs from the first arm, one `path: first -> this` each (empty for the first).
    pub differs: Vec<String>,
}

/// What the arms are, as given on the command line.
#[derive(Debug, Clone, Default)]
pub struct ArmsSpec {
    /// Scenario files, each an arm; the first is the reference (at least one).
    pub scenarios: Vec<PathBuf>,
    /// `PATH=VALUE` overrides applied to every arm (`--set`).
    pub sets: Vec<String>,
    /// `NAME:PATH=VALUE,...` variants of the first scenario (`--arm`).
    pub variants: Vec<String>,
    /// Interventions of the first scenario to leave out, an arm each (`--without`).
    pub without: Vec<String>,
}

/// The longest `--arm` name, as for scenario names: it names files (`scenarios/<arm>.toml`),
/// and a file name holds at most 255 bytes.
const MAX_NAME: usize = 80;

/// The most `path: a -> b` lines kept per arm (the rest are counted).
const MAX_DIFFERS: usize = 40;

impl ArmsSpec {
    /// Loads and validates every arm, names them uniquely and says what differs from the
    /// first. At least two arms are needed.
    pub fn build(&self) -> Result<Vec<Arm>, CompareError> {
        let mut arms: Vec<Arm> = Vec::new();
        for path in &self.scenarios {
            let shown = path.display().to_string();
            let scenario = Scenario::from_file(path)
                .and_then(|s| s.with_sets(&self.sets))
                .map_err(|source| CompareError::Scenario {
                    arm: shown.clone(),
                    source,
                })?;
            let name = unique(&arms, file_safe(scenario.name()));
            let source = if self.sets.is_empty() {
                format!("scenario file {shown}")
            } else {
                format!("scenario file {shown} with --set {}", self.sets.join(" "))
            };
            arms.push(Arm {
                name,
                source,
                scenario,
                differs: Vec::new(),
            });
        }
        let Some(first) = arms.first().cloned() else {
            return Err(CompareError::Argument {
                given: "pluri compare".into(),
                message: "no scenario file: give at least one, the reference arm".into(),
            });
        };
        for given in &self.variants {
            let (name, sets) = parse_variant(given)?;
            if let Some(a) = arms.iter().find(|a| a.name.eq_ignore_ascii_case(&name)) {
                return Err(CompareError::Argument {
                    given: format!("--arm {given}"),
                    message: format!(
                        "an arm is already named {:?}: choose another name (one that differs in more than case, as each names a file)",
                        a.name
                    ),
                });
            }
            let scenario =
                first
                    .scenario
                    .with_sets(&sets)
                    .map_err(|source| CompareError::Scenario {
                        arm: name.clone(),
                        source,
                    })?;
            arms.push(Arm {
                name,
                source: format!("{} with --set {}", first.name, sets.join(" ")),
                scenario,
                differs: Vec::new(),
            });
        }
        for intervention in &self.without {
            let name = unique(&arms, file_safe(&format!("without-{intervention}")));
            let scenario = first
                .scenario
                .without_intervention(intervention)
                .map_err(|source| CompareError::Scenario {
                    arm: name.clone(),
                    source,
                })?;
            arms.push(Arm {
                name,
                source: format!("{} without intervention {intervention}", first.name),
                scenario,
                differs: Vec::new(),
            });
        }
        if arms.len() < 2 {
            return Err(CompareError::OneArm(first.name));
        }
        let reference = tree(&first.scenario)?;
        for arm in arms.iter_mut().skip(1) {
            let mut lines = Vec::new();
            diff(&reference, &tree(&arm.scenario)?, "", &mut lines);
            if lines.len() > MAX_DIFFERS {
                let more = lines.len() - MAX_DIFFERS;
                lines.truncate(MAX_DIFFERS);
                lines.push(format!("... and {more} more"));
            }
            arm.differs = lines;
        }
        Ok(arms)
    }
}

/// Parses `NAME:PATH=VALUE,PATH=VALUE`: a comma starts a new override only where the text
/// after it holds an `=` before any further comma (so `[1, 2]` values stay whole).
pub fn parse_variant(given: &str) -> Result<(String, Vec<String>), CompareError> {
    let fail = |message: &str| CompareError::Argument {
        given: format!("--arm {given}"),
        message: format!(
            "{message}: write NAME:PATH=VALUE[,PATH=VALUE...], for example \
             coordinated:structures.msp_b.coordinator_fte=1.0"
        ),
    };
    let (name, rest) = given
        .split_once(':')
        .ok_or_else(|| fail("no `:` after the arm's name"))?;
    let name = name.trim();
    if name.is_empty() || name.len() > MAX_NAME || file_safe(name) != name {
        return Err(fail(&format!(
            "the name must be 1 to {MAX_NAME} letters, digits, `-`, `_` or `.` (it names a file)"
        )));
    }
    let mut sets: Vec<String> = Vec::new();
    for piece in rest.split(',') {
        match sets.last_mut() {
            Some(last) if !piece.contains('=') => {
                last.push(',');
                last.push_str(piece);
            }
            _ => sets.push(piece.to_string()),
        }
    }
    let sets: Vec<String> = sets.into_iter().map(|s| s.trim().to_string()).collect();
    if sets.iter().any(|s| !s.contains('=')) || sets.is_empty() {
        return Err(fail("no PATH=VALUE override"));
    }
    Ok((name.to_string(), sets))
}

/// `name`, or `name-2`, `name-3`... if an arm already has it, in any case (arms name files,
/// and file names ignore case on macOS and Windows).
fn unique(arms: &[Arm], name: String) -> String {
    let taken = |n: &str| arms.iter().any(|a| a.name.eq_ignore_ascii_case(n));
    if !taken(&name) {
        return name;
    }
    (2..)
        .map(|i| format!("{name}-{i}"))
        .find(|n| !taken(n))
        .unwrap_or(name)
}

/// A name made safe as a file name: letters, digits, `-`, `_` and `.` kept, others `-`.
pub(crate) fn file_safe(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches(|c| c == '-' || c == '.').to_string();
    if s.is_empty() {
        "arm".to_string()
    } else {
        s
    }
}

fn tree(s: &Scenario) -> Result<Value, CompareError> {
    s.to_toml_value().map_err(|source| CompareError::Scenario {
        arm: s.name().to_string(),
        source,
    })
}

/// Top-level fields that say nothing of the policy (the seed is replaced run by run).
const IGNORED: &[&str] = &["name", "description", "seed"];

/// Appends `path: a -> b` for every leaf that differs between `a` and `b`; lists of named
/// entries (zones, structures, interventions) are matched by name.
fn diff(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match (a, b) {
        (Value::Table(ta), Value::Table(tb)) => {
            let mut keys: Vec<&String> = ta.keys().collect();
            keys.extend(tb.keys().filter(|k| !ta.contains_key(*k)));
            for key in keys {
                if path.is_empty() && IGNORED.contains(&key.as_str()) {
                    continue;
                }
                match (ta.get(key), tb.get(key)) {
                    (Some(x), Some(y)) => diff(x, y, &join(key), out),
                    (Some(x), None) => out.push(format!("{}: {} -> absent", join(key), show(x))),
                    (None, Some(y)) => out.push(format!("{}: absent -> {}", join(key), show(y))),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(xa), Value::Array(xb)) if named(xa) && named(xb) => {
            let name = |v: &Value| {
                v.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            for x in xa {
                let n = name(x);
                match xb.iter().find(|y| name(y) == n) {
                    Some(y) => diff(x, y, &join(&n), out),
                    None => out.push(format!("{}: present -> absent", join(&n))),
                }
            }
            for y in xb {
                let n = name(y);
                if !xa.iter().any(|x| name(x) == n) {
                    out.push(format!("{}: absent -> present", join(&n)));
                }
            }
        }
        _ if a != b => out.push(format!("{path}: {} -> {}", show(a), show(b))),
        _ => {}
    }
}

/// Whether a list holds named entries only (an empty list does).
fn named(items: &[Value]) -> bool {
    items.iter().all(|v| v.get("name").is_some())
}

/// A value as inline TOML, cut at 80 characters.
fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        s.chars().take(77).collect::<String>() + "..."
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variant_splits_on_commas_that_start_an_override() {
        let (name, sets) = parse_variant("more:a.b=1,c=[1, 2],d.e=x").expect("valid");
        assert_eq!(name, "more");
        assert_eq!(sets, ["a.b=1", "c=[1, 2]", "d.e=x"]);
        assert!(parse_variant("no-colon").is_err());
        assert!(parse_variant("bad name:a=1").is_err());
        assert!(parse_variant("x:").is_err());
        // A name of 300 characters used to be accepted, and its scenario file could not be
        // written once every run was done.
        assert!(parse_variant(&format!("{}:a=1", "a".repeat(80))).is_ok());
        let e = parse_variant(&format!("{}:a=1", "a".repeat(300)))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("1 to 80 letters"), "{e}");
    }

    #[test]
    fn differences_name_each_changed_leaf_and_entry() {
        let a: Value = toml::from_str(
            "name = \"a\"\nseed = 1\nweeks = 10\n[[structures]]\nname = \"m\"\ngps = 2\n\
             [[interventions]]\nname = \"p\"\nweek = 3\n",
        )
        .expect("toml");
        let b: Value = toml::from_str(
            "name = \"b\"\nseed = 2\nweeks = 10\n[[structures]]\nname = \"m\"\ngps = 3\n",
        )
        .expect("toml");
        let mut out = Vec::new();
        diff(&a, &b, "", &mut out);
        assert_eq!(
            out,
            [
                "interventions: [{ name = \"p\", week = 3 }] -> absent",
                "structures.m.gps: 2 -> 3",
            ]
        );
        let mut none = Vec::new();
        diff(&a, &a, "", &mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn names_that_differ_only_in_case_are_made_unique() {
        let text = |name: &str| {
            format!(
                "name = \"{name}\"\nweeks = 2\n[[zones]]\nname = \"z\"\npopulation = 500\nrurality = \"rural\"\nx_km = 0.0\ny_km = 0.0\n"
            )
        };
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let files: Vec<PathBuf> = ["pta", "PTA"]
            .iter()
            .map(|n| {
                let p = dir.path().join(format!("{n}.toml"));
                std::fs::write(&p, text(n)).unwrap_or_else(|e| panic!("{e}"));
                p
            })
            .collect();
        let arms = ArmsSpec {
            scenarios: files.clone(),
            ..ArmsSpec::default()
        }
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = arms.iter().map(|a| a.name.as_str()).collect();
        // Were "pta" and "PTA", whose scenarios/<arm>.toml are one file where case is ignored.
        assert_eq!(names, ["pta", "PTA-2"]);
        let e = ArmsSpec {
            scenarios: files[..1].to_vec(),
            variants: vec!["Pta:weeks=1".into()],
            ..ArmsSpec::default()
        }
        .build()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            e.contains("--arm Pta:weeks=1") && e.contains("\"pta\""),
            "{e}"
        );
    }

    #[test]
    fn names_are_made_unique_and_safe() {
        assert_eq!(
            file_safe("without platform/opens"),
            "without-platform-opens"
        );
        assert_eq!(file_safe("../"), "arm");
    }
}

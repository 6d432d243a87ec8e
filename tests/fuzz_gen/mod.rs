//! Generators of the structure-aware fuzz tests (`tests/fuzz_scenarios.rs`): scenario tables
//! edited field by field, typed values weighted toward the edges, sweep files built from parts
//! that may each be wrong, and TOML-shaped text; those of the study inputs are in [`studies`].
#![allow(dead_code)]

pub mod studies;

use proptest::prelude::*;
use toml::{Table, Value};

/// About how many GPs and other professionals `s` starts with: its zones' populations times
/// the densities of its `[workforce]` (GPs by each zone's rurality factor), as the model
/// builds the territory.
pub fn starting_staff(s: &pluri::Scenario) -> (f64, f64) {
    let shown: Value = toml::from_str(&s.to_commented_toml()).expect("shown scenario is TOML");
    let w = |k: &str| {
        let v = &shown["workforce"][k];
        v.as_float()
            .or_else(|| v.as_integer().map(|i| i as f64))
            .unwrap_or_else(|| panic!("workforce.{k}"))
    };
    let gps = s
        .zones()
        .iter()
        .map(|z| {
            let factor = w(&format!("{}_gp_factor", z.rurality.as_str()));
            (z.population as f64 * w("gps_per_100k") * factor / 1e5).round()
        })
        .sum();
    let others = s.population() as f64
        * (w("psychologists_per_100k") + w("social_workers_per_100k") + w("nurses_per_100k"))
        / 1e5;
    (gps, others)
}

/// Whether `s` is small enough to simulate in a fuzz case: at most 60,000 residents, 5,000
/// GPs, 5,000 other professionals, 64 zones, 256 MiB and `max_weeks` weeks (warm-up included).
pub fn small_enough(s: &pluri::Scenario, max_weeks: u32) -> bool {
    let (gps, others) = starting_staff(s);
    s.population() <= 60_000
        && gps <= 5_000.0
        && others <= 5_000.0
        && s.zones().len() <= 64
        && s.estimated_memory_bytes() <= 256 << 20
        && s.weeks() + s.warmup_weeks() <= max_weeks
}

/// The effective small scenario as a TOML table: every field written out.
pub fn base_table() -> Table {
    let text = crate::common::small(&[]).to_commented_toml();
    toml::from_str(&text).expect("pluri show output is TOML")
}

/// A step of a path in the table: a key, or an entry of an array of tables.
#[derive(Debug, Clone)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Every leaf (non-table value) of `t`, with its path.
pub fn leaves(t: &Table) -> Vec<Vec<Seg>> {
    fn walk(v: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
        match v {
            Value::Table(t) => {
                for (k, x) in t {
                    path.push(Seg::Key(k.clone()));
                    walk(x, path, out);
                    path.pop();
                }
            }
            Value::Array(a) if a.iter().all(Value::is_table) && !a.is_empty() => {
                for (i, x) in a.iter().enumerate() {
                    path.push(Seg::Index(i));
                    walk(x, path, out);
                    path.pop();
                }
            }
            _ => out.push(path.clone()),
        }
    }
    let mut out = Vec::new();
    walk(&Value::Table(t.clone()), &mut Vec::new(), &mut out);
    out
}

pub fn get<'a>(v: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    let mut cur = v;
    for s in path {
        cur = match s {
            Seg::Key(k) => cur.get(k)?,
            Seg::Index(i) => cur.get(*i)?,
        };
    }
    Some(cur)
}

pub fn get_mut<'a>(v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    let mut cur = v;
    for s in path {
        cur = match s {
            Seg::Key(k) => cur.as_table_mut()?.get_mut(k)?,
            Seg::Index(i) => cur.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(cur)
}

/// The `--set` path of a leaf: list entries by their name.
pub fn dotted(t: &Value, path: &[Seg]) -> String {
    let mut parts = Vec::new();
    let mut cur = Some(t);
    for s in path {
        match s {
            Seg::Key(k) => {
                parts.push(k.clone());
                cur = cur.and_then(|c| c.get(k));
            }
            Seg::Index(i) => {
                cur = cur.and_then(|c| c.get(*i));
                let name = cur
                    .and_then(|c| c.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or("?");
                parts.push(name.to_string());
            }
        }
    }
    parts.join(".")
}

/// Arbitrary values, weighted toward the edges: zero, one, huge, tiny, negative, NaN, infinite,
/// empty and odd strings, arrays, and the names the small scenario uses.
pub fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (-3.0f64..3.0).prop_map(Value::Float),
        2 => prop::sample::select(vec![
            0.0, -0.0, 1.0, 0.5, 1e-300, 1e300, -1e300, f64::MAX, f64::MIN_POSITIVE,
            f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1.000_000_1, 0.999_999_9,
        ])
        .prop_map(Value::Float),
        3 => (0i64..200).prop_map(Value::Integer),
        2 => prop::sample::select(vec![
            0i64, 1, -1, 65_535, 65_536, 60_000, 2_000_000_000, 4_294_967_295, 4_294_967_296,
            i64::MAX, i64::MIN, 1_000_000_000_000,
        ])
        .prop_map(Value::Integer),
        1 => any::<bool>().prop_map(Value::Boolean),
        2 => prop::sample::select(vec![
            "", "x", "bourg", "vallee", "msp_a", "msp_b", "dac", "hopital", "msp", "dac",
            "hospital", "solo", "rural", "urban", "nurse", "gp", "fund_coordinator",
            "set_parameter", "population.elderly_share", "weeks", "é", "a b", "../x",
        ])
        .prop_map(|s| Value::String(s.to_string())),
        1 => "[a-z_]{0,12}".prop_map(Value::String),
        1 => prop::collection::vec((0i64..5).prop_map(Value::Integer), 0..3).prop_map(Value::Array),
        1 => prop::collection::vec(
            prop::sample::select(vec!["msp_a", "msp_b", "dac", "nowhere"])
                .prop_map(|s| Value::String(s.to_string())),
            0..3
        )
        .prop_map(Value::Array),
    ]
}

/// A value for a field whose type is known only when the edit is applied: mostly of the
/// field's own type (so that most scenarios pass the parser and reach the validator and the
/// engine), sometimes anything.
#[derive(Debug, Clone)]
pub struct Typed {
    float: f64,
    int: i64,
    boolean: bool,
    other: Value,
    same_type: bool,
}

pub fn typed() -> impl Strategy<Value = Typed> {
    let float = prop_oneof![
        4 => 0.0f64..1.0,
        2 => 0.0f64..20.0,
        1 => prop::sample::select(vec![0.0, 1.0, 1e-300, 1e300, f64::NAN, f64::INFINITY, -1.0]),
    ];
    let int = prop_oneof![
        4 => 0i64..10,
        2 => 0i64..1000,
        1 => prop::sample::select(vec![0i64, 65_535, 60_000, 4_294_967_295, 1_000_000_000_000, -1]),
    ];
    (
        float,
        int,
        any::<bool>(),
        any_value(),
        prop::bool::weighted(0.85),
    )
        .prop_map(|(float, int, boolean, other, same_type)| Typed {
            float,
            int,
            boolean,
            other,
            same_type,
        })
}

impl Typed {
    /// The value to put where `old` is.
    pub fn for_slot(&self, old: &Value) -> Value {
        if !self.same_type {
            return self.other.clone();
        }
        match old {
            Value::Float(_) => Value::Float(self.float),
            Value::Integer(_) => Value::Integer(self.int),
            Value::Boolean(_) => Value::Boolean(self.boolean),
            _ => self.other.clone(),
        }
    }
}

/// One change to the scenario table.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Give leaf `i` (modulo the number of leaves) a new value.
    Set(usize, Typed),
    /// Remove leaf `i`.
    Remove(usize),
    /// Remove entry `i` of a list (`zones`, `structures`, `interventions`).
    DropEntry(&'static str, usize),
    /// Duplicate entry `i` of a list.
    CopyEntry(&'static str, usize),
    /// Add an entry with these fields to a list.
    Add(&'static str, Vec<(&'static str, Value)>),
}

pub const LISTS: [&str; 3] = ["zones", "structures", "interventions"];
pub const KINDS: [&str; 9] = [
    "solo",
    "group_practice",
    "msp",
    "health_centre",
    "msma",
    "dac",
    "hospital",
    "social_services",
    "castle",
];
pub const ACTIONS: [&str; 10] = [
    "fund_coordinator",
    "train_coordinators",
    "open_platform",
    "close_platform",
    "deploy_msma",
    "add_professionals",
    "sign_protocols",
    "introduce_info_system",
    "set_parameter",
    "abolish",
];
pub const FIELDS: [&str; 18] = [
    "name",
    "week",
    "zone",
    "gps",
    "psychologists",
    "social_workers",
    "nurses",
    "coordinator_fte",
    "fte",
    "count",
    "profession",
    "structures",
    "target_kind",
    "path",
    "value",
    "capacity_per_week",
    "reach_minutes",
    "active",
];

pub fn new_entry() -> impl Strategy<Value = Edit> {
    let structure = (
        prop::sample::select(KINDS.to_vec()),
        "[a-z]{1,6}",
        prop::collection::vec((prop::sample::select(FIELDS.to_vec()), any_value()), 0..6),
    )
        .prop_map(|(kind, name, mut fields)| {
            fields.insert(0, ("name", Value::String(name)));
            fields.insert(1, ("kind", Value::String(kind.to_string())));
            fields.insert(2, ("zone", Value::String("bourg".into())));
            Edit::Add("structures", fields)
        });
    let intervention = (
        prop::sample::select(ACTIONS.to_vec()),
        "[a-z]{1,6}",
        0i64..6,
        prop::collection::vec((prop::sample::select(FIELDS.to_vec()), any_value()), 0..5),
    )
        .prop_map(|(action, name, week, mut fields)| {
            fields.insert(0, ("name", Value::String(name)));
            fields.insert(1, ("week", Value::Integer(week)));
            fields.insert(2, ("action", Value::String(action.to_string())));
            Edit::Add("interventions", fields)
        });
    prop_oneof![structure, intervention]
}

pub fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        8 => (any::<usize>(), typed()).prop_map(|(i, v)| Edit::Set(i, v)),
        1 => any::<usize>().prop_map(Edit::Remove),
        1 => (prop::sample::select(LISTS.to_vec()), any::<usize>()).prop_map(|(l, i)| Edit::DropEntry(l, i)),
        1 => (prop::sample::select(LISTS.to_vec()), any::<usize>()).prop_map(|(l, i)| Edit::CopyEntry(l, i)),
        2 => new_entry(),
    ]
}

/// Applies the edits to the small scenario (4 weeks, no warm-up) and returns its TOML text.
pub fn scenario_text(edits: &[Edit]) -> Option<String> {
    let mut t = base_table();
    t.insert("weeks".into(), Value::Integer(4));
    t.insert("warmup_weeks".into(), Value::Integer(0));
    let mut root = Value::Table(t);
    for e in edits {
        match e {
            Edit::Set(i, v) => {
                let all = leaves(root.as_table()?);
                let path = &all[i % all.len()];
                if let Some(slot) = get_mut(&mut root, path) {
                    *slot = v.for_slot(slot);
                }
            }
            Edit::Remove(i) => {
                let all = leaves(root.as_table()?);
                let path = &all[i % all.len()];
                if let Some((Seg::Key(k), parent)) = path.split_last() {
                    if let Some(Value::Table(t)) = get_mut(&mut root, parent) {
                        t.remove(k);
                    }
                }
            }
            Edit::DropEntry(list, i) => {
                if let Some(Value::Array(a)) = root.get_mut(*list) {
                    if !a.is_empty() {
                        let n = a.len();
                        a.remove(i % n);
                    }
                }
            }
            Edit::CopyEntry(list, i) => {
                if let Some(Value::Array(a)) = root.get_mut(*list) {
                    if !a.is_empty() {
                        let x = a[i % a.len()].clone();
                        a.push(x);
                    }
                }
            }
            Edit::Add(list, fields) => {
                let mut entry = Table::new();
                for (k, v) in fields {
                    entry.insert((*k).to_string(), v.clone());
                }
                let t = root.as_table_mut()?;
                let a = t.entry(*list).or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(a) = a {
                    a.push(Value::Table(entry));
                }
            }
        }
    }
    toml::to_string(&root).ok()
}

/// Sweep files over the small scenario, built from parts that may each be wrong.
pub fn sweep_text() -> impl Strategy<Value = String> {
    let t = base_table();
    let root = Value::Table(t.clone());
    // Numeric fields (what sweeps vary), with the base value that gives each its type.
    let numeric: Vec<(String, Value)> = leaves(&t)
        .iter()
        .filter_map(|p| {
            let v = get(&root, p)?;
            (v.is_float() || v.is_integer()).then(|| (dotted(&root, p), v.clone()))
        })
        .collect();
    // TOML serializes tables only: write `v = [...]` and keep what follows `v = `.
    let list = |v: Vec<Value>| {
        let mut t = Table::new();
        t.insert("v".into(), Value::Array(v));
        toml::to_string(&t)
            .ok()
            .and_then(|s| s.trim().strip_prefix("v = ").map(String::from))
            .unwrap_or_default()
    };
    let param = (
        prop::sample::select(numeric),
        prop::bool::weighted(0.1),
        "[a-z_.]{0,20}",
        prop::collection::vec(typed(), 0..4),
    )
        .prop_map(move |((path, old), garbage, other, typed)| {
            let path = if garbage { other } else { path };
            let values: Vec<Value> = typed.iter().map(|t| t.for_slot(&old)).collect();
            format!("path = \"{path}\"\nvalues = {}\n", list(values))
        });
    let range = (
        prop::bool::weighted(0.9),
        prop::collection::vec(typed(), 0..4),
    )
        .prop_map(move |(ordered, typed)| {
            let mut v: Vec<Value> = typed
                .iter()
                .map(|t| t.for_slot(&Value::Float(0.0)))
                .collect();
            if ordered && v.len() == 2 {
                let key = |x: &Value| x.as_float().unwrap_or(f64::NAN);
                if key(&v[0]) > key(&v[1]) {
                    v.swap(0, 1);
                }
            }
            format!("range = {}\n", list(v))
        });
    let entry = (param, prop::bool::weighted(0.3), range).prop_map(|(p, ranged, r)| {
        if ranged {
            // A range replaces the values: `path = ...` then `range = [...]`.
            let path = p.lines().next().unwrap_or_default().to_string();
            format!("[[param]]\n{path}\n{r}")
        } else {
            format!("[[param]]\n{p}")
        }
    });
    let pick = |good: Vec<&'static str>, bad: Vec<&'static str>| prop_oneof![9 => prop::sample::select(good), 1 => prop::sample::select(bad)];
    (
        pick(vec!["s", "sweep-1"], vec!["", "a b"]),
        prop::option::of(any::<u64>()),
        prop_oneof![9 => 1i64..4, 1 => prop::sample::select(vec![0i64, -1, 4_294_967_296])],
        pick(
            vec![
                "[\"weeks=3\", \"warmup_weeks=0\"]",
                "[\"weeks=3\", \"warmup_weeks=0\", \"population.elderly_share=0.3\"]",
            ],
            vec!["[\"weeks=3\", \"nonsense\"]", "[\"weeks=0\"]", "[]"],
        ),
        pick(vec!["grid", "random", "lhs"], vec!["sobol"]),
        prop_oneof![9 => (1i64..5).prop_map(Some), 1 => prop::sample::select(vec![None, Some(0), Some(-1), Some(100_000_001), Some(i64::MAX)])],
        prop::collection::vec(entry, 0..4),
        prop::bool::weighted(0.95),
        prop::option::weighted(0.3, studies::plot_indicators_line()),
    )
        .prop_map(
            |(name, seed, replicates, set, kind, samples, params, base_ok, plot)| {
                let base = if base_ok {
                    crate::common::small_file()
                } else {
                    "missing.toml".to_string()
                };
                let mut s = format!("name = \"{name}\"\nbase = \"{base}\"\n");
                if let Some(seed) = seed {
                    s.push_str(&format!("seed = {}\n", seed >> 1));
                }
                if let Some(plot) = plot {
                    s.push_str(&plot);
                }
                s.push_str(&format!(
                    "replicates = {replicates}\nset = {set}\n[design]\nkind = \"{kind}\"\n"
                ));
                // A grid takes no samples, the others need them: mostly as they should.
                if let Some(n) = samples.filter(|_| kind != "grid") {
                    s.push_str(&format!("samples = {n}\n"));
                }
                for p in params {
                    s.push_str(&p);
                }
                s
            },
        )
}

/// TOML-shaped text: headers, keys and values from pluri's vocabulary, in any order, some
/// of them malformed.
pub fn toml_like_text() -> impl Strategy<Value = String> {
    let t = base_table();
    let mut keys: Vec<String> = leaves(&t)
        .iter()
        .filter_map(|p| match p.last() {
            Some(Seg::Key(k)) => Some(k.clone()),
            _ => None,
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys.extend(
        [
            "path",
            "values",
            "range",
            "samples",
            "kind",
            "base",
            "replicates",
        ]
        .map(String::from),
    );
    let header = prop::sample::select(vec![
        "[population]",
        "[workforce]",
        "[coordination]",
        "[design]",
        "[[zones]]",
        "[[structures]]",
        "[[interventions]]",
        "[[param]]",
        "[[regions]]",
        "[zones]",
        "[[population]]",
        "[",
        "[[x]]",
    ])
    .prop_map(String::from);
    let raw_value = prop::sample::select(vec![
        "1",
        "0",
        "-1",
        "1.5",
        "nan",
        "-inf",
        "+inf",
        "\"x\"",
        "\"bourg\"",
        "true",
        "[]",
        "[1, 2]",
        "{}",
        "{ a = 1 }",
        "1979-05-27",
        "\"unterminated",
        "0x10",
        "1e999",
        "",
        "18446744073709551616",
        "9223372036854775807",
    ])
    .prop_map(String::from);
    let value = prop_oneof![3 => any_value().prop_map(|v| v.to_string()), 2 => raw_value];
    let line = prop_oneof![
        1 => header,
        5 => (prop::sample::select(keys), value).prop_map(|(k, v)| format!("{k} = {v}")),
    ];
    prop::collection::vec(line, 0..40).prop_map(|l| l.join("\n"))
}

//! Generators of the study fuzz tests (`tests/fuzz_compare.rs`, `tests/fuzz_studies.rs`):
//! `pluri compare` arguments (`--arm NAME:PATH=VALUE,...`, `--without`, `--set`, settings),
//! observed tables of calibration files, `plot_indicators` lists of sweep files, and byte
//! edits of sealed run files. Values are weighted toward the edges, as in [`super::typed`].

use super::{base_table, dotted, get, leaves, typed};
use proptest::prelude::*;
use toml::Value;

/// Interventions the compare fixtures add to the small scenario, for `--without` to leave out.
pub const INTERVENTIONS: &str = r#"
[[interventions]]
name = "fund"
week = 1
action = "fund_coordinator"
structures = ["msp_b"]
fte = 0.5

[[interventions]]
name = "platform-closes"
week = 0
action = "close_platform"
structures = ["dac"]
"#;

/// Names an `--arm` may be given: valid ones, one the first arm has, file names that are
/// not safe, empty, long, non-ASCII.
pub fn arm_name() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => prop::sample::select(vec!["coordinated", "a", "b-2", "x.y", "v_1", "without-fund"])
            .prop_map(String::from),
        2 => prop::sample::select(vec![
            "small", "small-2", "Small", "", " ", "a b", "../up", "a/b", "é", "-x", ".", "..",
            "x:y", "arm", "nul\0", "tab\t",
        ])
        .prop_map(String::from),
        1 => "[a-z]{1,3}".prop_map(|s| s.repeat(100)),
    ]
}

/// One `PATH=VALUE` piece of an `--arm` or `--set`: a leaf of the small scenario with a
/// value (mostly of its own type), or a malformed piece.
pub fn override_piece() -> impl Strategy<Value = String> {
    let t = base_table();
    let root = Value::Table(t.clone());
    let all: Vec<(String, Value)> = leaves(&t)
        .iter()
        .filter_map(|p| Some((dotted(&root, p), get(&root, p)?.clone())))
        .collect();
    prop_oneof![
        4 => (prop::sample::select(all), typed())
            .prop_map(|((path, old), v)| format!("{path}={}", v.for_slot(&old))),
        5 => prop::sample::select(vec![
            "weeks=2", "weeks=1", "warmup_weeks=0", "structures.msp_a.coordinator_fte=1.0",
            "structures.msp_b.coordinator_fte=0.0", "interventions.fund.week=1",
            "interventions.fund.fte=2.0", "population.elderly_share=0.3",
        ])
        .prop_map(String::from),
        1 => prop::sample::select(vec![
            "", "=", "weeks", "=1", "nope=1", "weeks=", " weeks = 2 ", "weeks=0", "weeks=1e9",
            "seed=5", "name=\"other\"", "zones=[1, 2]", "structures.nowhere.gps=1",
            "interventions.fund.week=99", "population.elderly_share=nan",
            "workforce.gps_per_100k=1e300", "zones.bourg.population=50000000",
            "structures.msp_a.gps=4294967295",
        ])
        .prop_map(String::from),
    ]
}

/// An `--arm` argument: a name, usually a `:`, and 0 to 3 overrides joined by commas (a
/// value may itself hold commas, as `[1, 2]` does).
pub fn arm_arg() -> impl Strategy<Value = String> {
    (
        arm_name(),
        prop::bool::weighted(0.9),
        prop_oneof![9 => prop::collection::vec(override_piece(), 1..4), 1 => Just(Vec::new())],
        prop_oneof![
            9 => prop::sample::select(vec![",", ", "]),
            1 => prop::sample::select(vec![",,", " , "]),
        ],
    )
        .prop_map(|(name, colon, pieces, sep)| {
            let colon = if colon { ":" } else { "" };
            format!("{name}{colon}{}", pieces.join(sep))
        })
}

/// A `--without` argument: an intervention the fixtures have, or not.
pub fn without_arg() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(vec!["fund", "platform-closes"]),
        1 => prop::sample::select(vec!["nope", "", "a/b", "../x", "Fund"]),
    ]
    .prop_map(String::from)
}

/// A confidence level: mostly usual ones, then the edges of (0, 1) and beyond.
pub fn level() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => prop::sample::select(vec![0.95, 0.9, 0.99, 0.5, 0.8]),
        1 => 0.0f64..1.0,
        2 => prop::sample::select(vec![
            0.0, -0.0, 1.0, -0.95, 95.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY,
            1e-320, f64::MIN_POSITIVE, 1e-12, 0.999_999, 0.999_999_999,
            0.999_999_999_999_9, 1.0 - f64::EPSILON, 1.0 - f64::EPSILON / 2.0,
        ]),
    ]
}

/// A positive number a precision should be, or anything that should be refused.
pub fn precision_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => prop::sample::select(vec![0.1, 0.01, 1.0, 2.0, 100.0]),
        1 => 0.0f64..10.0,
        2 => prop::sample::select(vec![
            0.0, -0.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e-320, 1e-300,
            f64::MIN_POSITIVE, 1e300, f64::MAX,
        ]),
    ]
}

/// An indicator name for `--precision`: a real one, or a near miss.
pub fn indicator_name(known: Vec<String>) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(known),
        1 => prop::sample::select(vec![
            "", "meetings", "weekly.", "weekly.week", "MSPS_END", " msps_end", "msps_end ",
            "weekly.meetings.x", "é",
        ])
        .prop_map(String::from),
    ]
}

/// A replicate count: mostly small, then the edges of `u32`.
pub fn replicates() -> impl Strategy<Value = u32> {
    prop_oneof![
        4 => 2u32..5,
        2 => prop::sample::select(vec![0u32, 1, 1_000, 1_000_000, 1_000_001, u32::MAX]),
    ]
}

/// Text for numbers of an observed table: ordinary figures, the edges the bounds name
/// (10^12, 10^-6, widths of 10^-9), values beyond them, and text that is not a number.
pub fn observed_number() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (1u32..5_000).prop_map(|n| n.to_string()),
        2 => (0.0f64..2.0).prop_map(|x| format!("{x}")),
        3 => prop::sample::select(vec![
            "", "", "0", "-0", "-5", "1", "2", "1e12", "1000000000000", "1.0000001e12",
            "999999999999.9999", "1e-6", "0.000001", "9.99e-7", "1e-9", "2e-9", "1e-320",
            "4.9e-324", "1e308", "1.7976931348623157e308", "1e309", "NaN", "nan", "inf",
            "-inf", "infinity", "+1", "0x10", "1,5", "1 000", "١٢", "1e", ".", "-", "+",
            "00012", "1_000",
        ])
        .prop_map(String::from),
    ]
}

/// The `value`, `low` and `high` of a row: mostly a point figure or a range as they should
/// be (of any size), else three numbers each of which may be anything.
pub fn observed_figure() -> impl Strategy<Value = (String, String, String)> {
    let n = || observed_number();
    prop_oneof![
        3 => n().prop_map(|v| (v, String::new(), String::new())),
        2 => (n(), n()).prop_map(|(a, b)| (String::new(), a, b)),
        2 => (0.0f64..100.0, 0.0f64..100.0, 0.0f64..1.0).prop_map(|(a, b, t)| {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let v = lo + t * (hi - lo);
            (format!("{v}"), format!("{lo}"), format!("{hi}"))
        }),
        2 => (n(), n(), n()),
    ]
}

/// A text field of an observed table: usual, empty, huge, or holding what CSV quotes.
pub fn observed_text(usual: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        24 => prop::sample::select(usual.to_vec()).prop_map(String::from),
        1 => Just(String::new()),
        1 => prop::sample::select(vec![
            "a,b", "\"quoted\"", "line\nbreak", "é", " padded ", "\u{feff}bom", "x\ry",
        ])
        .prop_map(String::from),
        1 => (1usize..4).prop_map(|k| "x".repeat(k * 40_000)),
    ]
}

/// One row of an observed table, as its 11 fields.
pub fn observed_row() -> impl Strategy<Value = Vec<String>> {
    (
        observed_text(&["msps", "msps", "gps"]),
        prop_oneof![
            8 => prop::sample::select(vec!["2000-01-01", "2000-01-05", "2000-01-08", "2000-01-14"])
                .prop_map(String::from),
            1 => prop::sample::select(vec![
                "", "2000-02-30", "2000-13-01", "2000-1-1", "1999-12-31", "2100-01-01",
                "0000-01-01", "9999-12-31", "-2000-01-01", "2000-01-01T00:00", "20000101",
            ])
            .prop_map(String::from),
        ],
        observed_figure(),
        observed_text(&["observed", "observed", "target", ""]),
        observed_text(&["MSPs", "count"]),
        observed_text(&["DGOS", "Drees"]),
        observed_text(&["report", "doc"]),
        observed_text(&["2000", ""]),
        observed_text(&["", "note"]),
    )
        .prop_map(|(a, b, (c, d, e), f, g, h, i, j, k)| vec![a, b, c, d, e, f, g, h, i, j, k])
}

/// The header of an observed table: usually the 11 columns, sometimes one missing, one
/// renamed, reordered or duplicated.
pub const OBSERVED_COLUMNS: [&str; 11] = [
    "indicator",
    "date",
    "value",
    "low",
    "high",
    "kind",
    "unit",
    "publisher",
    "document",
    "published",
    "note",
];

/// A change to the header: none, or one column removed, renamed, swapped with the next, or
/// repeated.
#[derive(Debug, Clone)]
pub enum HeaderEdit {
    None,
    Remove(usize),
    Rename(usize),
    Swap(usize),
    Repeat(usize),
}

pub fn header_edit() -> impl Strategy<Value = HeaderEdit> {
    prop_oneof![
        24 => Just(HeaderEdit::None),
        1 => (0usize..11).prop_map(HeaderEdit::Remove),
        1 => (0usize..11).prop_map(HeaderEdit::Rename),
        1 => (0usize..10).prop_map(HeaderEdit::Swap),
        1 => (0usize..11).prop_map(HeaderEdit::Repeat),
    ]
}

/// A CSV field, quoted when it needs to be (a few fields are left unquoted on purpose by
/// `raw`).
pub fn csv_field(s: &str, raw: bool) -> String {
    if raw || !s.contains([',', '"', '\n', '\r']) {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('"', "\"\""))
    }
}

/// The text of an observed table: a header, then rows (one of them ragged at times).
pub fn observed_table() -> impl Strategy<Value = String> {
    (
        header_edit(),
        prop::collection::vec(observed_row(), 0..4),
        prop::bool::weighted(0.05),
        prop::bool::weighted(0.05),
    )
        .prop_map(|(edit, rows, raw, ragged)| {
            let mut cols: Vec<String> = OBSERVED_COLUMNS.iter().map(|c| c.to_string()).collect();
            let mut order: Vec<usize> = (0..cols.len()).collect();
            match edit {
                HeaderEdit::None => {}
                HeaderEdit::Remove(i) => {
                    cols.remove(i);
                    order.remove(i);
                }
                HeaderEdit::Rename(i) => cols[i] = format!("{}_", cols[i]),
                HeaderEdit::Swap(i) => cols.swap(i, i + 1),
                HeaderEdit::Repeat(i) => {
                    cols.push(cols[i].clone());
                    order.push(i);
                }
            }
            let mut text = cols.join(",");
            text.push('\n');
            for (r, row) in rows.iter().enumerate() {
                let mut fields: Vec<String> =
                    order.iter().map(|&i| csv_field(&row[i], raw)).collect();
                if ragged && r == 0 {
                    fields.pop();
                }
                text.push_str(&fields.join(","));
                text.push('\n');
            }
            text
        })
}

/// A `plot_indicators = ...` line of a sweep file: headline names (some repeated), names
/// that are not headline indicators, values that are not strings, or not a list at all.
pub fn plot_indicators_line() -> impl Strategy<Value = String> {
    let names: Vec<&'static str> = pluri::results::HEADLINE.to_vec();
    let entry = prop_oneof![
        8 => prop::sample::select(names.clone()).prop_map(|n| format!("\"{n}\"")),
        2 => prop::sample::select(vec![
            "\"happiness\"", "\"\"", "\"weekly.meetings\"", "\"msps_end \"", "\"MSPS_END\"",
            "1", "true", "[]", "\"é\"",
        ])
        .prop_map(String::from),
    ];
    prop_oneof![
        8 => prop::collection::vec(entry, 0..5).prop_map(|v| format!("[{}]", v.join(", "))),
        1 => Just(format!(
            "[{}]",
            names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
        )),
        1 => prop::sample::select(vec!["\"msps_end\"", "1", "{}", "[[\"msps_end\"]]"])
            .prop_map(String::from),
    ]
    .prop_map(|v| format!("plot_indicators = {v}\n"))
}

/// One change to the bytes of a file.
#[derive(Debug, Clone)]
pub enum ByteEdit {
    /// Byte at position (modulo the length) replaced.
    Replace(usize, u8),
    /// Byte inserted before position.
    Insert(usize, u8),
    /// Byte at position removed.
    Delete(usize),
    /// The file cut at position.
    Truncate(usize),
    /// A digit of the file (the `i`-th, modulo their count) changed by one.
    Digit(usize),
}

/// Bytes JSON gives meaning to, and some it does not expect.
fn byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        3 => prop::sample::select(b"0123456789.-+eE\",:{}[] \nnul".to_vec()),
        1 => any::<u8>(),
    ]
}

pub fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        4 => (any::<usize>(), byte()).prop_map(|(i, b)| ByteEdit::Replace(i, b)),
        1 => (any::<usize>(), byte()).prop_map(|(i, b)| ByteEdit::Insert(i, b)),
        1 => any::<usize>().prop_map(ByteEdit::Delete),
        1 => any::<usize>().prop_map(ByteEdit::Truncate),
        4 => any::<usize>().prop_map(ByteEdit::Digit),
    ]
}

/// `bytes` with the edits applied in order.
pub fn apply_byte_edits(bytes: &[u8], edits: &[ByteEdit]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    for e in edits {
        let n = b.len().max(1);
        match *e {
            ByteEdit::Replace(i, x) => {
                if !b.is_empty() {
                    b[i % n] = x;
                }
            }
            ByteEdit::Insert(i, x) => b.insert(i % (b.len() + 1), x),
            ByteEdit::Delete(i) => {
                if !b.is_empty() {
                    b.remove(i % n);
                }
            }
            ByteEdit::Truncate(i) => b.truncate(i % n),
            ByteEdit::Digit(i) => {
                let digits: Vec<usize> = (0..b.len()).filter(|&j| b[j].is_ascii_digit()).collect();
                if !digits.is_empty() {
                    let j = digits[i % digits.len()];
                    b[j] = if b[j] == b'9' { b'0' } else { b[j] + 1 };
                }
            }
        }
    }
    b
}

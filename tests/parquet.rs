//! Parquet tables (`pluri run --tables`, `tables = "parquet"` in a sweep file): read back
//! with the parquet crate, they hold the CSV files' columns and numbers, row for row; a
//! sharded Parquet sweep merges into the bytes of an unsharded one; a resume rewrites the
//! same bytes; bad formats are refused with a clear message.

mod common;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, UInt32Type, UInt64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use common::{pluri, small_file, tmp};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::fs;
use std::path::{Path, PathBuf};

/// A Parquet file's column names, its rows (as batches) and its `pluri` manifest.
fn read_parquet(path: &Path) -> (Vec<String>, Vec<RecordBatch>, serde_json::Value) {
    let file = fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let manifest = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|k| k.key == "pluri"))
        .and_then(|k| k.value.clone())
        .map(|v| serde_json::from_str(&v).expect("the manifest is JSON"))
        .unwrap_or(serde_json::Value::Null);
    let names = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let batches = builder
        .build()
        .expect("a reader")
        .collect::<Result<Vec<_>, _>>()
        .expect("batches");
    (names, batches, manifest)
}

/// A CSV file's header and rows, as text.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r
        .headers()
        .expect("a header")
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("a row").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// Whether Arrow cell `row` of `col` is the number or text of CSV cell `text` (an empty
/// cell is a null).
fn same_cell(col: &dyn Array, row: usize, text: &str) -> bool {
    if col.is_null(row) {
        return text.is_empty();
    }
    match col.data_type() {
        DataType::UInt32 => text.parse() == Ok(col.as_primitive::<UInt32Type>().value(row)),
        DataType::UInt64 => text.parse() == Ok(col.as_primitive::<UInt64Type>().value(row)),
        DataType::Int64 => text.parse() == Ok(col.as_primitive::<Int64Type>().value(row)),
        DataType::Float64 => {
            let v = col.as_primitive::<Float64Type>().value(row);
            text.parse::<f64>()
                .is_ok_and(|x| x == v || (x.is_nan() && v.is_nan()))
        }
        DataType::Boolean => text == col.as_boolean().value(row).to_string(),
        DataType::Utf8 => text == col.as_string::<i32>().value(row),
        other => panic!("a column of type {other}"),
    }
}

/// Asserts that the Parquet rows `rows` (those of `batches` whose column `skip` columns on
/// are compared) hold every cell of the CSV file: same columns in the same order, same
/// numbers. Gives the rows compared.
fn assert_same_table(csv: &Path, parquet: &[RecordBatch], names: &[String], skip: usize) -> usize {
    let (header, rows) = read_csv(csv);
    if header.is_empty() {
        // A CSV table without rows is an empty file; its Parquet twin keeps its columns.
        assert!(names.len() > skip, "{}: columns", csv.display());
        assert_eq!(parquet.iter().map(RecordBatch::num_rows).sum::<usize>(), 0);
        return 0;
    }
    assert_eq!(names[skip..], header[..], "{}: columns", csv.display());
    let mut i = 0;
    for batch in parquet {
        for r in 0..batch.num_rows() {
            let want = rows
                .get(i)
                .unwrap_or_else(|| panic!("{}: more Parquet rows than CSV rows", csv.display()));
            for (c, text) in want.iter().enumerate() {
                let col = batch.column(skip + c);
                assert!(
                    same_cell(col.as_ref(), r, text),
                    "{}: row {i}, column {}: CSV {text:?}, Parquet {:?}",
                    csv.display(),
                    header[c],
                    arrow_cell(col.as_ref(), r)
                );
            }
            i += 1;
        }
    }
    assert_eq!(i, rows.len(), "{}: rows", csv.display());
    i
}

fn arrow_cell(col: &dyn Array, row: usize) -> String {
    format!("{:?}", col.slice(row, 1))
}

fn run(dir: &Path, out: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(out);
    pluri()
        .args(["--quiet", "run", &small_file(), "--no-plots", "--out"])
        .arg(&out)
        .args(["--set", "weeks=30", "--set", "warmup_weeks=2"])
        .args(extra)
        .assert()
        .success();
    out
}

#[test]
fn a_runs_parquet_tables_hold_every_cell_of_its_csv_tables_dated_or_not() {
    let d = tmp();
    for (out, extra) in [
        ("plain", &[][..]),
        ("dated", &["--set", "start_date=2012-01-01"][..]),
    ] {
        let both = run(
            d.path(),
            out,
            &[&["--tables", "csv,parquet"], extra].concat(),
        );
        for parquet in pluri::results::PARQUET_FILES {
            let csv = both.join(parquet.replace(".parquet", ".csv"));
            let (names, batches, manifest) = read_parquet(&both.join(parquet));
            let rows = assert_same_table(&csv, &batches, &names, 0);
            if *parquet != "interventions.parquet" {
                assert!(rows > 0, "{parquet} has rows to compare");
            }
            assert_eq!(manifest["table"], parquet.replace(".parquet", ""));
            // The run's identity, as its summary gives it.
            let summary: serde_json::Value = serde_json::from_str(
                &fs::read_to_string(both.join("summary.json")).expect("a summary"),
            )
            .expect("JSON");
            for key in ["scenario", "seed", "weeks", "scenario_hash"] {
                assert_eq!(manifest[key], summary[key], "{key}: {manifest}");
            }
            assert_eq!(manifest["pluri_version"], env!("CARGO_PKG_VERSION"));
        }
        if out == "dated" {
            let (names, _, _) = read_parquet(&both.join("weekly.parquet"));
            assert_eq!(names[1], "date");
        }
    }
}

#[test]
fn parquet_alone_replaces_the_csv_tables_with_the_same_bytes_at_any_thread_count() {
    let d = tmp();
    let both = run(d.path(), "both", &["--tables", "csv,parquet"]);
    let alone = run(
        d.path(),
        "alone",
        &["--tables", "parquet", "--threads", "1"],
    );
    for parquet in pluri::results::PARQUET_FILES {
        assert!(
            fs::read(both.join(parquet)).ok() == fs::read(alone.join(parquet)).ok(),
            "{parquet} differs between 2 threads and 1"
        );
        let csv = parquet.replace(".parquet", ".csv");
        assert!(
            !alone.join(&csv).exists(),
            "{csv} written with --tables parquet"
        );
    }
    for kept in ["summary.json", "scenario.toml"] {
        assert!(alone.join(kept).exists(), "{kept}");
    }
    // A Parquet run directory is a run directory: --force replaces it.
    run(d.path(), "alone", &["--tables", "parquet", "--force"]);
}

#[test]
fn a_bad_tables_value_is_refused_with_the_formats_accepted() {
    let d = tmp();
    let out = pluri()
        .args(["run", &small_file(), "--tables", "xlsx", "--out"])
        .arg(d.path().join("r"))
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("xlsx") && err.contains("csv") && err.contains("parquet"),
        "{err}"
    );
    assert!(!d.path().join("r").exists());
    let file = sweep_file(d.path(), "tables = \"xlsx\"\n");
    let out = pluri()
        .arg("sweep")
        .arg(&file)
        .arg("--out")
        .arg(d.path().join("s"))
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("xlsx") && err.contains("parquet") && err.contains("line 6"),
        "{err}"
    );
}

/// A sweep of 4 points x 2 replicates of short runs of the small scenario, with `extra`
/// (a `tables` line, or nothing) at line 6.
fn sweep_file(dir: &Path, extra: &str) -> PathBuf {
    let text = format!(
        r#"name = "pq"
base = "{}"
seed = 11
replicates = 2
set = ["weeks=20", "warmup_weeks=2"]
{extra}
[design]
kind = "grid"

[[param]]
path = "structures.msp_a.coordinator_fte"
values = [0.0, 1.5]

[[param]]
path = "coordination.training_multiplier"
values = [1, 2.5]
"#,
        small_file()
    );
    let path = dir.join(if extra.is_empty() {
        "csv.toml"
    } else {
        "pq.toml"
    });
    fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

fn sweep(file: &Path, out: &Path, extra: &[&str]) {
    pluri()
        .args(["--quiet", "sweep"])
        .arg(file)
        .arg("--no-plots")
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

const SWEEP_TABLES: [&str; 5] = [
    "runs.csv",
    "points.csv",
    "runs.parquet",
    "points.parquet",
    "weekly.parquet",
];

fn bytes(dir: &Path) -> Vec<(&'static str, Vec<u8>)> {
    SWEEP_TABLES
        .iter()
        .map(|n| {
            let b =
                fs::read(dir.join(n)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(n).display()));
            (*n, b)
        })
        .collect()
}

#[test]
fn a_parquet_sweeps_tables_hold_its_csv_numbers_and_each_runs_weekly_series() {
    let d = tmp();
    let pq = d.path().join("pq");
    sweep(&sweep_file(d.path(), "tables = \"parquet\"\n"), &pq, &[]);
    let csv = d.path().join("csv");
    sweep(&sweep_file(d.path(), ""), &csv, &[]);
    // The CSV tables are those of the same sweep without Parquet.
    for t in ["runs.csv", "points.csv"] {
        assert!(
            fs::read(pq.join(t)).ok() == fs::read(csv.join(t)).ok(),
            "{t}"
        );
    }
    let (names, batches, manifest) = read_parquet(&pq.join("runs.parquet"));
    assert_eq!(
        assert_same_table(&pq.join("runs.csv"), &batches, &names, 0),
        8
    );
    assert_eq!(manifest["table"], "runs");
    assert_eq!(
        manifest["parameters"][1],
        "coordination.training_multiplier"
    );
    let (names, batches, _) = read_parquet(&pq.join("points.parquet"));
    assert_eq!(
        assert_same_table(&pq.join("points.csv"), &batches, &names, 0),
        4
    );
    // Run 5's weekly series is the weekly.csv of the command that re-runs it alone.
    let rec: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(pq.join("runs/000005.json")).expect("run 5"))
            .expect("JSON");
    let command = rec["command"].as_str().expect("a command");
    let alone = d.path().join("run5");
    let status = std::process::Command::new("sh")
        .current_dir(&pq)
        .arg("-c")
        .arg(format!(
            "{} --quiet {} --no-plots --out '{}'",
            assert_cmd::cargo::cargo_bin("pluri").display(),
            command.strip_prefix("pluri ").expect("pluri ..."),
            alone.display()
        ))
        .status()
        .expect("pluri runs");
    assert!(status.success(), "{command}");
    let (names, batches, manifest) = read_parquet(&pq.join("weekly.parquet"));
    assert_eq!(names[..4], ["run", "point", "replicate", "seed"]);
    assert_eq!(manifest["table"], "weekly");
    // Runs of 20 weeks, in run order: run 5's are rows 100 to 119.
    assert_eq!(batches.len(), 1, "160 rows read as one batch");
    let run5 = vec![batches[0].slice(100, 20)];
    let run_col = run5[0].column(0).as_primitive::<UInt64Type>();
    assert!(run_col.iter().all(|r| r == Some(5)), "{run_col:?}");
    assert_eq!(
        assert_same_table(&alone.join("weekly.csv"), &run5, &names, 4),
        20
    );
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    assert_eq!(rows, 8 * 20, "every run's weeks, in run order");
}

#[test]
fn sharded_parquet_sweeps_merge_and_resume_into_the_bytes_of_one_sweep() {
    let d = tmp();
    let file = sweep_file(d.path(), "tables = \"parquet\"\n");
    let whole = d.path().join("whole");
    sweep(&file, &whole, &["--threads", "2"]);
    let mut shards = Vec::new();
    for k in 1..=3 {
        let out = d.path().join(format!("s{k}"));
        sweep(
            &file,
            &out,
            &["--shard", &format!("{k}/3"), "--threads", "1"],
        );
        assert!(
            !out.join("weekly.parquet").exists(),
            "a shard writes no table"
        );
        shards.push(out);
    }
    let merged = d.path().join("merged");
    pluri()
        .args(["--quiet", "merge", "--no-plots"])
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    assert!(
        bytes(&merged) == bytes(&whole),
        "merged tables differ from the unsharded sweep's"
    );
    // A shard that lost a run's weekly series is refused, naming the file.
    fs::remove_file(shards[1].join("runs/000001.weekly.parquet")).expect("removed");
    let out = pluri()
        .args(["--quiet", "merge", "--no-plots"])
        .args(&shards)
        .arg("--out")
        .arg(d.path().join("m2"))
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("000001.weekly.parquet"), "{err}");
    assert!(!d.path().join("m2").exists());
    // A resume of the unsharded sweep that re-runs a lost run rewrites the same bytes; one
    // whose run file has lost its series is refused before any run.
    let before = bytes(&whole);
    for f in ["000003.json", "000003.weekly.parquet"] {
        fs::remove_file(whole.join("runs").join(f)).expect("removed");
    }
    sweep(&file, &whole, &["--resume"]);
    assert!(bytes(&whole) == before, "a resume changed the tables");
    fs::remove_file(whole.join("runs/000002.weekly.parquet")).expect("removed");
    let out = pluri()
        .args(["--quiet", "sweep"])
        .arg(&file)
        .args(["--no-plots", "--resume", "--out"])
        .arg(&whole)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("000002.weekly.parquet") && err.contains("000002.json"),
        "{err}"
    );
}

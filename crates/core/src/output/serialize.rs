//! Pure serializers: results in, bytes out (to any writer). No paths, no clocks.

use crate::results::RunResults;
use crate::scenario::Scenario;
use pluri_schema::run::{
    BY_STRUCTURE_TYPE_FILE, INTERVENTIONS_FILE, SCENARIO_FILE, STRUCTURES_FILE, SUMMARY_FILE,
    TIES_FILE, WEEKLY_FILE, ZONES_FILE,
};
use rayon::prelude::*;
use serde::Serialize;
use std::io::{self, Write};

/// Version of the program, recorded in summaries.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The run's summary: identity of the run and headline indicators (no timings: those vary).
pub fn summary_json(scenario: &Scenario, results: &RunResults) -> serde_json::Value {
    let mut headline = serde_json::Map::new();
    for (k, v) in results.headline() {
        headline.insert(k.to_string(), serde_json::json!(v));
    }
    let mut summary = serde_json::json!({
        "scenario": scenario.name,
        "description": scenario.description,
        "seed": scenario.seed,
        "weeks": scenario.weeks,
        "scenario_hash": scenario.hash(),
        "pluri_version": VERSION,
        "residents": scenario.population(),
        "zones": scenario.zones.len(),
        "headline": headline,
    });
    // Only a dated scenario's summary has the key, so an undated one's is as it always was.
    if let (Some(date), Some(map)) = (scenario.start_date, summary.as_object_mut()) {
        map.insert("start_date".into(), serde_json::json!(date.to_string()));
    }
    summary
}

/// Writes one file of a run directory (a name of [`super::RUN_FILES`]) to `w`, row by row,
/// so that no file is ever held whole in memory.
pub fn write_run_file(
    name: &str,
    scenario: &Scenario,
    results: &RunResults,
    w: &mut (dyn Write + Send),
) -> io::Result<()> {
    match name {
        SCENARIO_FILE => w.write_all(scenario.to_commented_toml().as_bytes()),
        WEEKLY_FILE => write_csv(w, &results.weekly),
        BY_STRUCTURE_TYPE_FILE => write_csv(w, &results.by_structure_type),
        TIES_FILE => write_rows(w, results.ties.len(), |i| results.ties.at(i)),
        ZONES_FILE => write_csv(w, &results.zones),
        STRUCTURES_FILE => write_csv(w, &results.structures),
        INTERVENTIONS_FILE => write_csv(w, &results.interventions),
        SUMMARY_FILE => {
            serde_json::to_writer_pretty(&mut *w, &summary_json(scenario, results))?;
            Ok(())
        }
        other => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{other} is not a file of a run directory"),
        )),
    }
}

/// Serializes rows as CSV with a header taken from the row type's field names, as the run
/// files are written.
pub fn csv_bytes<T: Serialize + Sync>(rows: &[T]) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    write_csv(&mut bytes, rows)?;
    Ok(bytes)
}

/// Streams rows as CSV with a header taken from the row type's field names: see
/// [`write_rows`].
fn write_csv<T: Serialize + Sync>(w: &mut (dyn Write + Send), rows: &[T]) -> io::Result<()> {
    write_rows(w, rows.len(), |i| &rows[i])
}

/// Streams `n` rows (`row(i)` the `i`th) as CSV with a header taken from the row type's field
/// names, or nothing if there is no row. Rows are formatted by chunks in parallel, a few
/// chunks per thread at a time, and each batch is written while the next one is formatted:
/// the bytes of one writer going through every row, with a bounded buffer.
fn write_rows<T: Serialize>(
    w: &mut (dyn Write + Send),
    n: usize,
    row: impl Fn(usize) -> T + Sync,
) -> io::Result<()> {
    const CHUNK: usize = 1 << 13;
    let batch = CHUNK * 4 * rayon::current_num_threads().max(1);
    let format = |start: usize| -> Vec<io::Result<Vec<u8>>> {
        let end = (start + batch).min(n);
        (start..end)
            .into_par_iter()
            .step_by(CHUNK)
            .map(|lo| {
                let mut csv = csv::WriterBuilder::new()
                    .has_headers(lo == 0)
                    .from_writer(Vec::new());
                for i in lo..(lo + CHUNK).min(end) {
                    csv.serialize(row(i)).map_err(csv_io)?;
                }
                csv.into_inner()
                    .map_err(|e| io::Error::other(e.to_string()))
            })
            .collect()
    };
    let write = |w: &mut (dyn Write + Send), parts: Vec<io::Result<Vec<u8>>>| {
        parts.into_iter().try_for_each(|part| w.write_all(&part?))
    };
    let mut formatted = Vec::new();
    for start in (0..n).step_by(batch) {
        let previous = std::mem::take(&mut formatted);
        let (written, next) = rayon::join(|| write(&mut *w, previous), || format(start));
        written?;
        formatted = next;
    }
    write(w, formatted)
}

/// The I/O error inside a CSV error, or the CSV error as an I/O error.
fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        name: String,
        value: f64,
        n: u32,
    }

    /// The bytes of one CSV writer going through every row in order.
    fn one_writer(rows: &[Row]) -> Vec<u8> {
        let mut csv = csv::Writer::from_writer(Vec::new());
        for r in rows {
            csv.serialize(r).expect("in memory");
        }
        csv.into_inner().expect("in memory")
    }

    /// Rows formatted by chunks in parallel give the bytes of one writer, one header and
    /// rows in order, whatever the number of rows (none, within a chunk, across chunks and
    /// batches) and of threads; fields that need quoting are quoted the same way.
    #[test]
    fn chunked_csv_is_the_csv_of_one_writer() {
        for threads in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a thread pool");
            for n in [0, 1, 7, 8192, 8193, 3 * 32768 + 11, 5 * 8192 * 4] {
                let rows: Vec<Row> = (0..n)
                    .map(|i| Row {
                        name: if i % 97 == 0 {
                            format!("a \"quoted\", name {i}")
                        } else {
                            format!("r{i}")
                        },
                        value: i as f64 / 7.0,
                        n: i as u32,
                    })
                    .collect();
                let mut bytes = Vec::new();
                pool.install(|| write_csv(&mut bytes, &rows))
                    .expect("in memory");
                assert!(bytes == one_writer(&rows), "{n} rows on {threads} threads");
            }
        }
    }
}

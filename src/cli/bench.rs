//! `pluri bench`: throughput and memory at several sizes, against this machine's limits.

use anyhow::Context;
use pluri_core::bench::{self, BenchRow, Reference};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `pluri bench`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  pluri bench\n  pluri bench --sizes 100000,1000000,10000000 --weeks 104 --out output/bench.csv\n  pluri --threads 1 bench --scenario scenarios/msma.toml"
)]
pub struct BenchArgs {
    /// Scenario to scale (default: the embedded default scenario).
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Residents at each size, comma-separated; each size runs in its own process.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "30000,100000,300000,1000000,3000000"
    )]
    pub sizes: Vec<u64>,
    /// Recorded weeks (default: the scenario's); the warm-up is kept and counted, and
    /// interventions after the last week are left out.
    #[arg(long, value_name = "N")]
    pub weeks: Option<u32>,
    /// CSV of the results.
    #[arg(long, value_name = "FILE", default_value = "output/bench.csv")]
    pub out: PathBuf,
    /// Do not draw the scaling figure (drawn beside the CSV, same name, .png and .svg).
    #[arg(long)]
    pub no_plots: bool,
    /// Memory streamed for the bandwidth reference (MiB).
    #[arg(long, value_name = "MIB", default_value_t = 512)]
    pub reference_mib: usize,
    /// Patients of the simplified weekly kernel run as a reference (260 weeks, one core;
    /// 1 to 100,000,000, about 10 bytes each).
    #[arg(long, value_name = "N", default_value_t = 300_000,
          value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub kernel_residents: u64,
    /// Internal: run one size in this process and print its measurement as JSON.
    #[arg(long, hide = true)]
    pub child: Option<u64>,
}

fn scenario(args: &BenchArgs) -> anyhow::Result<pluri_core::Scenario> {
    let s = match &args.scenario {
        Some(p) => pluri_core::Scenario::from_file(p)?,
        None => pluri_core::Scenario::default_scenario()?,
    };
    Ok(match args.weeks {
        // A benchmark measures throughput: interventions beyond the horizon are left out
        // rather than refused.
        Some(w) => s.with_horizon(w.clamp(1, 60_000 - s.warmup_weeks().min(59_999)))?,
        None => s,
    })
}

/// Runs the benchmark (or, with `--child`, one size of it).
pub fn run(args: &BenchArgs, quiet: bool) -> anyhow::Result<()> {
    let base = scenario(args)?;
    if let Some(size) = args.child {
        let s = base.with_population(size)?;
        super::common::check_memory(&s)?;
        let mut row = bench::measure(&s);
        if let Some(peak) = bench::peak_memory_bytes() {
            row.peak_memory_mib = peak as f64 / (1u64 << 20) as f64;
            row.bytes_per_resident = peak as f64 / row.residents.max(1) as f64;
        }
        println!("{}", serde_json::to_string(&row)?);
        return Ok(());
    }
    if !quiet {
        eprintln!(
            "measuring this machine's references ({} MiB streamed, 10^8 ChaCha8 draws, random reads, the simplified kernel with {} patients)...",
            args.reference_mib, args.kernel_residents
        );
    }
    let reference = bench::reference(args.reference_mib << 20, args.kernel_residents as usize);
    let cpu = bench::cpu_model();
    let exe = std::env::current_exe().context("finding the pluri executable")?;
    let mut rows = Vec::new();
    for &size in &args.sizes {
        if !quiet {
            eprintln!("{size} residents...");
        }
        let mut cmd = std::process::Command::new(&exe);
        cmd.args([
            "--threads",
            &rayon::current_num_threads().to_string(),
            "bench",
            "--child",
            &size.to_string(),
        ]);
        if let Some(p) = &args.scenario {
            cmd.arg("--scenario").arg(p);
        }
        if let Some(w) = args.weeks {
            cmd.args(["--weeks", &w.to_string()]);
        }
        let out = cmd
            .output()
            .with_context(|| format!("running the {size}-resident size"))?;
        if !out.status.success() {
            anyhow::bail!(
                "the {size}-resident size failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        let row: BenchRow =
            serde_json::from_slice(&out.stdout).context("reading a size's measurement")?;
        rows.push(row);
    }
    write_csv(&args.out, &rows, &reference, &cpu)?;
    let figures = if args.no_plots {
        Vec::new()
    } else {
        draw(&args.out, &rows)?
    };
    if !quiet {
        let mut o = std::io::stdout().lock();
        super::common::ignore_broken_pipe(print_table(&mut o, &rows, &reference, &cpu, &args.out))?;
        for f in &figures {
            super::common::ignore_broken_pipe(writeln!(o, "figure: {}", f.display()))?;
        }
    }
    Ok(())
}

/// Draws the scaling figure beside the CSV `out` (same name, `.png` and `.svg`).
fn draw(out: &std::path::Path, rows: &[BenchRow]) -> anyhow::Result<Vec<PathBuf>> {
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let stem = out
        .file_stem()
        .map_or_else(|| "bench".into(), |s| s.to_string_lossy());
    pluri_plot::plot_scaling(rows, dir, &stem, pluri_plot::Format::Both)
        .context("drawing the scaling figure (pass --no-plots to skip it)")
}

#[derive(serde::Serialize)]
struct CsvRow<'a> {
    residents: u64,
    weeks: u32,
    threads: usize,
    wall_seconds: f64,
    patient_weeks_per_second: f64,
    episodes_per_second: f64,
    peak_memory_mib: f64,
    bytes_per_resident: f64,
    stream_gb_per_s: f64,
    chacha8_draws_per_s: f64,
    random_read_ns: f64,
    fraction_of_streaming_limit: f64,
    kernel_patient_weeks_per_s: f64,
    fraction_of_kernel: f64,
    cpu: &'a str,
}

/// pluri's throughput per thread as a share of the streaming limit of one core.
fn fraction(row: &BenchRow, r: &Reference) -> f64 {
    row.patient_weeks_per_second / (r.streaming_patient_weeks_per_s * row.threads as f64)
}

/// pluri's throughput per thread as a share of the simplified kernel's on one core.
fn of_kernel(row: &BenchRow, r: &Reference) -> f64 {
    row.patient_weeks_per_second / (r.kernel_patient_weeks_per_s * row.threads as f64)
}

fn write_csv(
    path: &std::path::Path,
    rows: &[BenchRow],
    r: &Reference,
    cpu: &str,
) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.serialize(CsvRow {
            residents: row.residents,
            weeks: row.weeks,
            threads: row.threads,
            wall_seconds: row.wall_seconds,
            patient_weeks_per_second: row.patient_weeks_per_second,
            episodes_per_second: row.episodes_per_second,
            peak_memory_mib: row.peak_memory_mib,
            bytes_per_resident: row.bytes_per_resident,
            stream_gb_per_s: r.stream_gb_per_s,
            chacha8_draws_per_s: r.chacha8_draws_per_s,
            random_read_ns: r.random_read_ns,
            fraction_of_streaming_limit: fraction(row, r),
            kernel_patient_weeks_per_s: r.kernel_patient_weeks_per_s,
            fraction_of_kernel: of_kernel(row, r),
            cpu,
        })?;
    }
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let tmp = path.with_extension("csv.partial");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn print_table(
    o: &mut dyn Write,
    rows: &[BenchRow],
    r: &Reference,
    cpu: &str,
    path: &std::path::Path,
) -> std::io::Result<()> {
    writeln!(o, "this machine: {cpu}")?;
    writeln!(
        o,
        "one core: memory {:.1} GB/s ({:.2e} patient-weeks/s if a week only read the {} bytes of each patient), ChaCha8 {:.2e} draws/s, a random read out of cache {:.0} ns",
        r.stream_gb_per_s,
        r.streaming_patient_weeks_per_s,
        bench::PATIENT_BYTES,
        r.chacha8_draws_per_s,
        r.random_read_ns
    )?;
    writeln!(
        o,
        "one core: the reference weekly kernel (docs/PERFORMANCE.md) {:.2e} patient-weeks/s",
        r.kernel_patient_weeks_per_s
    )?;
    writeln!(
        o,
        "{:>11} {:>6} {:>7} {:>9} {:>15} {:>13} {:>10} {:>9} {:>9} {:>10}",
        "residents",
        "weeks",
        "threads",
        "wall s",
        "patient-wk/s",
        "episodes/s",
        "peak MiB",
        "B/res.",
        "of limit",
        "of kernel"
    )?;
    for row in rows {
        writeln!(
            o,
            "{:>11} {:>6} {:>7} {:>9.3} {:>15.3e} {:>13.3e} {:>10.1} {:>9.1} {:>8.1}% {:>9.1}%",
            row.residents,
            row.weeks,
            row.threads,
            row.wall_seconds,
            row.patient_weeks_per_second,
            row.episodes_per_second,
            row.peak_memory_mib,
            row.bytes_per_resident,
            100.0 * fraction(row, r),
            100.0 * of_kernel(row, r)
        )?;
    }
    writeln!(o, "results: {}", path.display())
}

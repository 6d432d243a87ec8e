//! The built-in benchmark: a run measured (at the sizes [`Scenario::with_population`] scales
//! it to), and references for this machine's limits (streaming memory, drawing random
//! numbers) measured in the same run.

use crate::Scenario;
use rand::{RngCore, SeedableRng};
use serde::Serialize;

pub use pluri_schema::bench::BenchRow;
use std::time::Instant;

mod kernel;

/// Bytes of patient state per resident kept through a run (next week, GP, profile, wait, follow).
pub const PATIENT_BYTES: f64 = crate::model::Patients::BYTES as f64;

/// Simulates `s` and measures it (peak memory is filled in by the caller, who knows it).
pub fn measure(s: &Scenario) -> BenchRow {
    let start = Instant::now();
    let r = crate::simulate(s);
    let wall = start.elapsed().as_secs_f64().max(1e-9);
    let weeks = s.weeks() + s.warmup_weeks();
    let residents = s.population();
    let episodes: u64 = r.weekly.iter().map(|w| w.episodes).sum::<u64>() * u64::from(weeks)
        / u64::from(s.weeks().max(1));
    BenchRow {
        residents,
        weeks,
        threads: rayon::current_num_threads(),
        wall_seconds: wall,
        patient_weeks_per_second: residents as f64 * f64::from(weeks) / wall,
        episodes_per_second: episodes as f64 / wall,
        peak_memory_mib: 0.0,
        bytes_per_resident: 0.0,
    }
}

/// The processor's model as the system names it (`model name` in `/proc/cpuinfo`), or
/// "unknown": hosts of one kind differ by processor, and their speeds with them.
pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .as_deref()
        .and_then(model_name)
        .unwrap_or_else(|| "unknown".to_string())
}

/// The first non-empty `model name` of a `/proc/cpuinfo` text.
fn model_name(cpuinfo: &str) -> Option<String> {
    cpuinfo
        .lines()
        .filter_map(|line| proc_field(line, "model name"))
        .find(|v| !v.is_empty())
        .map(str::to_string)
}

/// The value of a `/proc` line `key: value` (trimmed), if the line's key is `key`.
fn proc_field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let (k, v) = line.split_once(':')?;
    (k.trim() == key).then(|| v.trim())
}

/// Bytes of the first `key: N kB` line of the `/proc` file `path`, if there is one (Linux).
pub fn proc_kib_bytes(path: &str, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    let value = text.lines().find_map(|line| proc_field(line, key))?;
    let kib: u64 = value.split_whitespace().next()?.parse().ok()?;
    Some(kib * 1024)
}

/// This machine's limits, measured now on one core.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Reference {
    /// Sequential read bandwidth (GB/s), summing a large `u64` array.
    pub stream_gb_per_s: f64,
    /// ChaCha8 `u32` draws per second.
    pub chacha8_draws_per_s: f64,
    /// Patient-weeks per second per core if a week did nothing but read every patient's state.
    pub streaming_patient_weeks_per_s: f64,
    /// Mean time of one dependent read at a random place in a 64 MiB block (nanoseconds):
    /// what a look-up costs when it misses the caches, as a GP's ties or a patient's bytes
    /// may. (A virtual machine gets a share of the processor's last-level cache: on a host
    /// reporting 260 MiB of it, a 16 MiB block already cost 107 ns a read, 64 MiB 142 ns.)
    pub random_read_ns: f64,
    /// Patient-weeks per second of the simplified weekly kernel of pluri's design notes
    /// ([`kernel`]) on one core: what the design pluri stands on does here without the model.
    pub kernel_patient_weeks_per_s: f64,
}

/// Largest block chased for the random-read reference (bytes).
const RANDOM_BLOCK_MAX: usize = 64 << 20;

/// Nanoseconds per dependent read in a random cycle through `bytes` of `u32` indices
/// (Sattolo's shuffle makes it one cycle, so every read waits for the one before).
fn random_read_ns(bytes: usize, seed: u64) -> f64 {
    use rand::Rng;
    let n = (bytes / 4).clamp(1 << 12, RANDOM_BLOCK_MAX / 4);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut next: Vec<u32> = (0..n as u32).collect();
    for i in (1..n).rev() {
        next.swap(i, rng.random_range(0..i));
    }
    let reads = (8 * n).min(1 << 22);
    let t = Instant::now();
    let mut at = 0u32;
    for _ in 0..reads {
        at = next[at as usize];
    }
    std::hint::black_box(at);
    t.elapsed().as_secs_f64() * 1e9 / reads as f64
}

/// Weeks of the kernel reference, as in the notes.
pub const KERNEL_WEEKS: u32 = 260;

/// Measures the references: streams `bytes` of memory a few times, draws 100 million numbers,
/// chases a random cycle through up to 64 MiB, runs the kernel for `kernel_residents` patients
/// over [`KERNEL_WEEKS`] weeks.
pub fn reference(bytes: usize, kernel_residents: usize) -> Reference {
    let words = (bytes / 8).max(1 << 16);
    let data: Vec<u64> = (0..words as u64).collect();
    let mut best = f64::MAX;
    let mut sink = 0u64;
    for _ in 0..3 {
        let t = Instant::now();
        sink = sink.wrapping_add(data.iter().fold(0u64, |a, &x| a.wrapping_add(x)));
        best = best.min(t.elapsed().as_secs_f64());
    }
    let stream = (words * 8) as f64 / best.max(1e-9) / 1e9;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(sink);
    let n = 100_000_000u64;
    let t = Instant::now();
    let mut acc = 0u32;
    for _ in 0..n {
        acc = acc.wrapping_add(rng.next_u32());
    }
    let draws = n as f64 / t.elapsed().as_secs_f64().max(1e-9);
    std::hint::black_box(acc);
    let residents = kernel_residents.max(1);
    let t = Instant::now();
    std::hint::black_box(kernel::run(residents, KERNEL_WEEKS, u64::from(acc)));
    let kernel = residents as f64 * f64::from(KERNEL_WEEKS) / t.elapsed().as_secs_f64().max(1e-9);
    Reference {
        stream_gb_per_s: stream,
        chacha8_draws_per_s: draws,
        streaming_patient_weeks_per_s: stream * 1e9 / PATIENT_BYTES,
        random_read_ns: random_read_ns(bytes, u64::from(acc)),
        kernel_patient_weeks_per_s: kernel,
    }
}

/// Peak resident memory of this process so far (bytes), from /proc (Linux), if known.
pub fn peak_memory_bytes() -> Option<u64> {
    proc_kib_bytes("/proc/self/status", "VmHWM")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cpu_model_is_the_first_model_name_of_cpuinfo() {
        let info = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel\t\t: 207\n\
                    model name\t: Intel(R) Xeon(R) Processor\n\nprocessor\t: 1\n\
                    model name\t: Other\n";
        assert_eq!(
            model_name(info).as_deref(),
            Some("Intel(R) Xeon(R) Processor")
        );
        // `model` alone is not the name; an empty name is no name.
        assert_eq!(model_name("model\t\t: 207\nmodel name\t:  \n"), None);
        assert_eq!(model_name(""), None);
    }

    #[test]
    fn a_proc_kib_line_gives_bytes_and_a_missing_key_none() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("status");
        std::fs::write(
            &path,
            "VmPeak:\t  9 kB\nVmHWM:\t    1234 kB\nVmHWMx: 7 kB\n",
        )
        .expect("write");
        let path = path.to_str().expect("utf-8 path");
        assert_eq!(proc_kib_bytes(path, "VmHWM"), Some(1234 * 1024));
        assert_eq!(proc_kib_bytes(path, "VmRSS"), None);
        assert_eq!(proc_kib_bytes("/no/such/file", "VmHWM"), None);
    }

    #[test]
    fn a_random_read_out_of_cache_costs_more_than_one_in_cache() {
        // 16 KiB stays in the first-level cache; 64 MiB does not fit any cache here. A cycle
        // that the shuffle left in order would be prefetched and cost as little as the small
        // one. The best of five small runs, so that a test thread preempted once does not fail.
        let small = (1..=5)
            .map(|seed| random_read_ns(16 << 10, seed))
            .fold(f64::INFINITY, f64::min);
        let large = random_read_ns(64 << 20, 1);
        assert!(small > 0.0, "in cache: {small} ns");
        assert!(
            large > 2.0 * small,
            "{large} ns against {small} ns in cache"
        );
    }
}

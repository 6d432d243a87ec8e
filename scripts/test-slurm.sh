#!/usr/bin/env bash
# test-slurm.sh -- end-to-end test of sweeps and calibrations on a real (single-node) SLURM
# cluster: starts the cluster (../shared/slurm/single-node.sh, beside the repository),
# submits the documented job array and dependent merge (scripts/slurm/submit.sh) for
# scenarios/sweeps/small.toml, then for a small calibration (submit.sh --calibrate: shards,
# then merge and scoring), waits (bounded) for each, and compares the merged tables, and
# the calibration's scores.csv, accepted.csv, calibrated.toml and report.md, byte for byte
# with the same sweep and calibration run unsharded. Always stops the cluster; never skips: if the
# cluster cannot start, it fails and says why. Must run as root.
#
#   PLURI_BIN           release binary to test [built here with cargo build --release]
#   SLURM_TEST_SHARDS   shards in the array [4]
#   SLURM_TEST_TIMEOUT  seconds to wait for each submission's jobs [300]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sn="$root/../shared/slurm/single-node.sh"
shards="${SLURM_TEST_SHARDS:-4}"
timeout="${SLURM_TEST_TIMEOUT:-300}"
export SLURM_CONF="${SLURM_CONF_DIR:-/etc/slurm}/slurm.conf"
fail() { echo "[test-slurm] FAIL: $*" >&2; exit 1; }
log() { echo "[test-slurm] $*"; }

[[ $EUID -eq 0 ]] || fail "must run as root (the cluster script installs packages and runs daemons)"
[[ -x "$sn" ]] || fail "$sn not found or not executable: the shared folder must sit beside the repository"

if [[ -z "${PLURI_BIN:-}" ]]; then
    log "building the release binary"
    (cd "$root" && cargo build --release --quiet) || fail "cargo build --release failed"
    PLURI_BIN="${CARGO_TARGET_DIR:-$root/target}/release/pluri"
fi
[[ -x "$PLURI_BIN" ]] || fail "PLURI_BIN=$PLURI_BIN is not an executable"
export PLURI_BIN="$(realpath "$PLURI_BIN")"

work="$(mktemp -d /tmp/pluri-slurm-test.XXXXXX)"
started=0
cleanup() {
    local rc=$?
    if ((started)); then "$sn" stop >/dev/null || { echo "[test-slurm] cluster stop failed" >&2; rc=1; }; fi
    if ((rc == 0)); then rm -rf "$work"; log "PASS (${SECONDS} s)"; else echo "[test-slurm] FAIL (rc=$rc); files kept in $work" >&2; fi
    exit "$rc"
}
trap cleanup EXIT

started=1
"$sn" start || fail "the SLURM cluster did not start (see the messages above)"

# on_cluster OUT [--calibrate] FILE: submits FILE in $shards shards with submit.sh, waits
# (bounded) for the array and its dependent job, and fails unless every job COMPLETED.
on_cluster() {
    local out="$1" ids array merge q states deadline=$((SECONDS + timeout))
    shift
    ids="$("$root/scripts/slurm/submit.sh" "$@" "$out" "$shards")" || fail "submit.sh $* failed"
    array="$(sed -n 's/.*array=\([0-9]*\).*/\1/p' <<<"$ids")"
    merge="$(sed -n 's/.*merge=\([0-9]*\).*/\1/p' <<<"$ids")"
    [[ -n "$array" && -n "$merge" ]] || fail "submit.sh printed '$ids', not array=ID merge=ID"
    log "submitted $* as array $array ($shards shards) and merge $merge"
    while :; do
        q="$(squeue -h -j "$array,$merge" -o '%i %T %r' 2>/dev/null || true)"
        [[ -z "$q" ]] && break
        if grep -q DependencyNeverSatisfied <<<"$q"; then
            cat "$out"/logs/*.out >&2 2>/dev/null || true
            fail "the merge can never run (a shard failed):"$'\n'"$q"
        fi
        ((SECONDS < deadline)) || fail "jobs not finished after ${timeout}s:"$'\n'"$q"
        sleep 0.5
    done
    states="$(for j in "$array" "$merge"; do scontrol show job "$j" 2>/dev/null; done | grep -o 'JobState=[A-Z_]*' || true)"
    [[ "$(grep -c 'JobState=COMPLETED' <<<"$states")" -eq $((shards + 1)) ]] ||
        { cat "$out"/logs/*.out >&2 2>/dev/null || true; fail "not every job COMPLETED: $(tr '\n' ' ' <<<"$states")"; }
}

# same WHOLE CLUSTER FILE...: each FILE is in both directories, with the same bytes.
same() {
    local whole="$1" cluster="$2" f
    shift 2
    for f in "$@"; do
        [[ -f "$whole/$f" ]] || fail "the unsharded run wrote no $f"
        [[ -f "$cluster/$f" ]] || fail "the cluster run wrote no $f"
        cmp -s "$whole/$f" "$cluster/$f" ||
            { diff -u "$whole/$f" "$cluster/$f" | head -40 >&2 || true; fail "$f differs from the unsharded run (diff above)"; }
    done
}

sweep="$root/scenarios/sweeps/small.toml"
log "unsharded reference sweep"
"$PLURI_BIN" --quiet sweep "$sweep" --out "$work/whole"
on_cluster "$work/cluster" "$sweep"
same "$work/whole" "$work/cluster/sweep" runs.csv points.csv
log "merged tables of $shards SLURM shards are byte-identical to the unsharded sweep ($(($(wc -l <"$work/whole/runs.csv") - 1)) runs)"

# A calibration of the small scenario against a made-up table: 8 sets x 2 replicates.
cal="$work/cal"
mkdir "$cal"
cp "$root/scenarios/small.toml" "$cal/small.toml"
cat >"$cal/observed.csv" <<'TABLE'
indicator,date,value,low,high,kind,unit,publisher,document,published,note
gps_in_msp,2000-07-01,8,,,observed,GPs,pluri,scripts/test-slurm.sh,2026,made up for a test
gps_in_msp,2001-07-01,,9,11,observed,GPs,pluri,scripts/test-slurm.sh,2026,made up for a test
TABLE
cat >"$cal/cal.toml" <<'CAL'
name = "slurm-test"
scenario = "small.toml"
start_date = "2000-01-01"
seed = 8
samples = 8
replicates = 2
observed = ["observed.csv"]
discrepancy_sd = 0.02

[[param]]
path = "structural.msp_join_rate_per_year"
range = [0.0, 0.1]

[[indicator]]
observed = "gps_in_msp"
simulated = "gps_in_msp"
CAL
log "unsharded reference calibration"
"$PLURI_BIN" --quiet calibrate "$cal/cal.toml" --out "$work/cal-whole"
on_cluster "$work/cal-cluster" --calibrate "$cal/cal.toml"
# Every shard ran its share of the 16 runs (so the scoring job ran none).
ran=0
for k in $(seq 1 "$shards"); do
    r="$(find "$work/cal-cluster/shards/shard-$k/sweep/runs" -name '*.json' | wc -l)" ||
        fail "calibration shard $k left no runs folder"
    ((r > 0)) || fail "calibration shard $k ran no run"
    ran=$((ran + r))
done
((ran == 16)) || fail "the calibration shards ran $ran runs, not 16"
# OUT holds the files of an unsharded calibration (beside shards/ and logs/), the same bytes.
files() { (cd "$1" && find . -path ./shards -prune -o -path ./logs -prune -o -type f -print | sort); }
diff <(files "$work/cal-whole") <(files "$work/cal-cluster") >&2 ||
    fail "the cluster calibration wrote other files than the unsharded one (diff above)"
same "$work/cal-whole" "$work/cal-cluster" scores.csv accepted.csv calibrated.toml report.md \
    sweep/runs.csv sweep/points.csv
kept="$(grep -o '[0-9]* of 8 sets kept' "$work/cal-whole/report.md")" || fail "report.md says no 'N of 8 sets kept'"
log "$shards SLURM calibration shards, merged and scored, match the unsharded calibration byte for byte ($kept)"

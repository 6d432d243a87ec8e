#!/usr/bin/env bash
# test-slurm.sh -- end-to-end test of sweeps on a real (single-node) SLURM cluster:
# starts the cluster (../shared/slurm/single-node.sh, beside the repository), submits the
# documented job array and dependent merge (scripts/slurm/submit.sh) for
# scenarios/sweeps/small.toml, waits (bounded), and compares the merged tables byte for
# byte with the same sweep run unsharded. Always stops the cluster; never skips: if the
# cluster cannot start, it fails and says why. Must run as root.
#
#   PLURI_BIN           release binary to test [built here with cargo build --release]
#   SLURM_TEST_SHARDS   shards in the array [4]
#   SLURM_TEST_TIMEOUT  seconds to wait for the jobs [300]
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

sweep="$root/scenarios/sweeps/small.toml"
log "unsharded reference sweep"
"$PLURI_BIN" --quiet sweep "$sweep" --out "$work/whole"

ids="$("$root/scripts/slurm/submit.sh" "$sweep" "$work/cluster" "$shards")" || fail "submit.sh failed"
array="$(sed -n 's/.*array=\([0-9]*\).*/\1/p' <<<"$ids")"
merge="$(sed -n 's/.*merge=\([0-9]*\).*/\1/p' <<<"$ids")"
[[ -n "$array" && -n "$merge" ]] || fail "submit.sh printed '$ids', not array=ID merge=ID"
log "submitted array $array ($shards shards) and merge $merge"

deadline=$((SECONDS + timeout))
while :; do
    q="$(squeue -h -j "$array,$merge" -o '%i %T %r' 2>/dev/null || true)"
    [[ -z "$q" ]] && break
    if grep -q DependencyNeverSatisfied <<<"$q"; then
        cat "$work"/cluster/logs/*.out >&2 2>/dev/null || true
        fail "the merge can never run (a shard failed):"$'\n'"$q"
    fi
    ((SECONDS < deadline)) || fail "jobs not finished after ${timeout}s:"$'\n'"$q"
    sleep 0.5
done

states="$(for j in "$array" "$merge"; do scontrol show job "$j" 2>/dev/null; done | grep -o 'JobState=[A-Z_]*' || true)"
[[ "$(grep -c 'JobState=COMPLETED' <<<"$states")" -eq $((shards + 1)) ]] ||
    { cat "$work"/cluster/logs/*.out >&2 2>/dev/null || true; fail "not every job COMPLETED: $(tr '\n' ' ' <<<"$states")"; }

for t in runs.csv points.csv; do
    [[ -f "$work/cluster/sweep/$t" ]] || fail "the merge wrote no $t"
    cmp "$work/whole/$t" "$work/cluster/sweep/$t" || fail "$t differs from the unsharded sweep"
done
log "merged tables of $shards SLURM shards are byte-identical to the unsharded sweep ($(($(wc -l <"$work/whole/runs.csv") - 1)) runs)"

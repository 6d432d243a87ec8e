#!/usr/bin/env bash
# submit.sh -- run a pluri sweep on a SLURM cluster: a job array of N shards, then a merge
# job that starts only if every shard succeeded (--dependency=afterok).
#
#   scripts/slurm/submit.sh SWEEP.toml OUT N [sbatch options for the array...]
#
# Shards go to OUT/shards/shard-K, logs to OUT/logs, the merged sweep (runs.csv,
# points.csv) to OUT/sweep. Prints "array=ID merge=ID". PLURI_BIN names the binary
# [pluri on PATH]; it and OUT must be visible from the compute nodes.
set -euo pipefail

if [[ $# -lt 3 ]]; then
    echo "usage: $0 SWEEP.toml OUT SHARDS [sbatch options...]" >&2
    exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sweep="$(realpath "$1")"
out="$(realpath -m "$2")"
n="$3"
shift 3
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "SHARDS must be a positive whole number, not '$n'" >&2; exit 2; }
[[ -f "$sweep" ]] || { echo "no sweep file $sweep" >&2; exit 2; }
pluri="$(command -v "${PLURI_BIN:-pluri}" || true)"
[[ -n "$pluri" ]] || { echo "pluri not found: put it on PATH or set PLURI_BIN" >&2; exit 2; }
pluri="$(realpath "$pluri")"
mkdir -p "$out/shards" "$out/logs"

array="$(sbatch --parsable --array="1-$n" -D "$out" -o "$out/logs/shard-%a.out" \
    --export="ALL,PLURI_BIN=$pluri" "$@" "$here/sweep-array.sh" "$sweep" "$out/shards")"
array="${array%%;*}"
# The merge runs under /bin/sh: the shard list is spelled out here.
shards=""
for k in $(seq 1 "$n"); do shards="$shards '$out/shards/shard-$k'"; done
merge="$(sbatch --parsable --job-name=pluri-merge -D "$out" -o "$out/logs/merge.out" \
    --dependency="afterok:$array" \
    --wrap "'$pluri' --quiet merge $shards --out '$out/sweep' --force")"
merge="${merge%%;*}"
echo "array=$array merge=$merge"

#!/usr/bin/env bash
# submit.sh -- run a pluri sweep or calibration on a SLURM cluster: a job array of N shards
# (sweep-array.sh), then a job that starts only if every shard succeeded
# (--dependency=afterok) and merges them.
#
#   scripts/slurm/submit.sh [--calibrate] FILE.toml OUT N [sbatch options for the array...]
#
# Shards go to OUT/shards/shard-K, logs to OUT/logs. A sweep file: the merged sweep
# (runs.csv, points.csv) goes to OUT/sweep. With --calibrate, a calibration file: the
# dependent job merges the shards' sweep/ folders into OUT/sweep and scores them with
# `pluri calibrate FILE --out OUT --resume`, so OUT holds what an unsharded calibration
# writes (scores.csv, accepted.csv, calibrated.toml, report.md, the figure, sweep/).
# Prints "array=ID merge=ID". PLURI_BIN names the binary [pluri on PATH]; it, FILE and OUT
# must be visible from the compute nodes.
set -euo pipefail

usage() {
    cat >&2 <<USAGE
usage: $0 [--calibrate] FILE.toml OUT SHARDS [sbatch options for the array...]
  FILE.toml    a sweep file, or with --calibrate a calibration file
  OUT          output directory (shards, logs and the merged result go there)
  SHARDS       number of array tasks
USAGE
    exit 2
}
die() { echo "submit.sh: $*" >&2; exit 2; }
cmd=sweep
if [[ "${1:-}" == --calibrate ]]; then
    cmd=calibrate
    shift
fi
[[ $# -ge 3 ]] || usage
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
file="$(realpath -m "$1")"
out="$(realpath -m "$2")"
n="$3"
shift 3
[[ "$n" =~ ^[1-9][0-9]*$ ]] || die "SHARDS must be a positive whole number, not '$n'"
[[ -f "$file" ]] || die "no such file: $file"
pluri="$(command -v "${PLURI_BIN:-pluri}" || true)"
[[ -n "$pluri" ]] || die "pluri not found: put it on PATH or set PLURI_BIN"
pluri="$(realpath "$pluri")"
[[ "$file$out$pluri" != *"'"* ]] || die "paths must not contain a single quote: $file $out $pluri"
mkdir -p "$out/shards" "$out/logs"

flag=() sub=""
if [[ $cmd == calibrate ]]; then flag=(--calibrate) sub=/sweep; fi
array="$(sbatch --parsable --job-name="pluri-$cmd" --array="1-$n" -D "$out" \
    -o "$out/logs/shard-%a.out" --export="ALL,PLURI_BIN=$pluri" "$@" \
    "$here/sweep-array.sh" "${flag[@]}" "$file" "$out/shards")"
array="${array%%;*}"
# The dependent job runs under /bin/sh: the shard list is spelled out here.
shards=""
for k in $(seq 1 "$n"); do shards="$shards '$out/shards/shard-$k$sub'"; done
if [[ $cmd == sweep ]]; then
    job="'$pluri' --quiet merge $shards --out '$out/sweep' --force"
else
    job="set -e; '$pluri' --quiet merge $shards --out '$out/sweep' --force --no-plots;"
    job="$job '$pluri' --quiet calibrate '$file' --out '$out' --resume"
fi
merge="$(sbatch --parsable --job-name=pluri-merge -D "$out" -o "$out/logs/merge.out" \
    --dependency="afterok:$array" --wrap "$job")"
merge="${merge%%;*}"
echo "array=$array merge=$merge"

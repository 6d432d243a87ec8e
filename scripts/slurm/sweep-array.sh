#!/usr/bin/env bash
# sweep-array.sh -- one task of a SLURM job array running a pluri sweep or calibration:
# task K of N runs `pluri sweep SWEEP.toml --shard K/N` (with --calibrate: `pluri calibrate
# CAL.toml --shard K/N`, the runs only, no scoring) into OUTROOT/shard-K. Submit it with
# submit.sh, or:
#
#   sbatch --array=1-N scripts/slurm/sweep-array.sh [--calibrate] FILE.toml OUTROOT
#
# Array task ids must be 1..N (shards are numbered from 1). A requeued or re-submitted task
# resumes its shard (--resume): finished runs are kept. PLURI_BIN names the binary [pluri].
#SBATCH --job-name=pluri-sweep
#SBATCH --cpus-per-task=2
set -euo pipefail

cmd=sweep
if [[ "${1:-}" == --calibrate ]]; then
    cmd=calibrate
    shift
fi
if [[ $# -ne 2 ]]; then
    echo "usage: sbatch --array=1-N $0 [--calibrate] FILE.toml OUTROOT" >&2
    exit 2
fi
: "${SLURM_ARRAY_TASK_ID:?not running as a SLURM array task (submit with sbatch --array=1-N)}"
k="$SLURM_ARRAY_TASK_ID"
# SLURM_ARRAY_TASK_COUNT is the number of tasks; with --array=1-N it is N.
n="${SLURM_ARRAY_TASK_COUNT:-$SLURM_ARRAY_TASK_MAX}"
# Use the CPUs SLURM gave the task, not every core of the node.
export RAYON_NUM_THREADS="${SLURM_CPUS_PER_TASK:-1}"
exec "${PLURI_BIN:-pluri}" --quiet "$cmd" "$1" --shard "$k/$n" --out "$2/shard-$k" --resume

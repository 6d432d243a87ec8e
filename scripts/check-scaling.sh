#!/usr/bin/env bash
# check-scaling.sh -- does a scaled-down France say what the full-size one says?
#
# Runs a scenario made of [[regions]] (default: the calibrated France of 2012, scaled 1/100)
# R times with derived seeds, and the same scenario FACTOR times larger M times: every
# region's zones, residents, MSPs, platforms, hospitals and social services multiplied by
# FACTOR and its radius by sqrt(FACTOR), so zones keep their size, spacing and make-up (every
# density in the scenario is already per resident). Then compares, at the end of each
# simulated year, MSPs and GPs per 100,000 residents and the share of residents without a
# declared GP: the larger runs' mean against the scaled replicates' mean and standard
# deviation (z = difference / sd of one scaled run). Writes OUT/scaling.csv and prints it.
#
#   scripts/check-scaling.sh [--factor F] [--replicates R] [--large-replicates M]
#                            [--out DIR] [--scenario FILE] [--weeks N] [--set PATH=VALUE ...]
#
# Defaults: F = 100 (the full size of France), R = 20, M = 1, OUT = output/check-scaling,
# FILE = scenarios/calibration/france-2012-calibrated.toml. --set is passed to every run
# (a parameter set to check), and so is --weeks. PLURI_BIN: the pluri binary [target/release/pluri].
# A full-size run of the default file takes about 5 minutes on 2 cores. OUT is overwritten.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
factor=100 reps=20 large_reps=1 out="$root/output/check-scaling"
scenario="$root/scenarios/calibration/france-2012-calibrated.toml"
sets=()
usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while (($#)); do
    case "$1" in
        --factor) factor="${2:?--factor needs a number}"; shift 2 ;;
        --replicates) reps="${2:?--replicates needs a number}"; shift 2 ;;
        --large-replicates) large_reps="${2:?--large-replicates needs a number}"; shift 2 ;;
        --out) out="${2:?--out needs a directory}"; shift 2 ;;
        --scenario) scenario="${2:?--scenario needs a file}"; shift 2 ;;
        --set) sets+=(--set "${2:?--set needs PATH=VALUE}"); shift 2 ;;
        --weeks) sets+=(--weeks "${2:?--weeks needs a number}"); shift 2 ;;
        -h|--help) usage ;;
        *) echo "check-scaling: unknown argument '$1'" >&2; usage ;;
    esac
done
[[ "$factor" =~ ^[0-9]+$ && "$factor" -ge 2 ]] || { echo "check-scaling: --factor must be a whole number of at least 2, not '$factor'" >&2; exit 2; }
[[ "$reps" =~ ^[0-9]+$ && "$reps" -ge 2 ]] || { echo "check-scaling: --replicates must be at least 2 (a spread needs two runs), not '$reps'" >&2; exit 2; }
[[ "$large_reps" =~ ^[0-9]+$ && "$large_reps" -ge 1 ]] || { echo "check-scaling: --large-replicates must be at least 1, not '$large_reps'" >&2; exit 2; }
[[ -f "$scenario" ]] || { echo "check-scaling: no scenario file $scenario" >&2; exit 2; }
pluri="${PLURI_BIN:-$root/target/release/pluri}"
[[ -x "$pluri" ]] || { echo "check-scaling: $pluri is not built: run cargo build --release (or set PLURI_BIN)" >&2; exit 2; }

# The larger territory: each region's counts x factor, its radius x sqrt(factor).
mapfile -t scale_up < <(awk -v f="$factor" '
    /^\[\[regions\]\]/ { inr = 1; name = ""; next }
    /^\[/ { inr = 0 }
    inr && /^name *=/ { gsub(/[" ]/, "", $0); split($0, kv, "="); name = kv[2]; next }
    inr && /^(zones|population|msps|dacs|hospitals|social_services|radius_km) *=/ {
        split($0, kv, "="); key = kv[1]; gsub(/ /, "", key); v = kv[2]; sub(/#.*/, "", v)
        v = (key == "radius_km") ? v * sqrt(f) : v * f
        printf "--set\nregions.%s.%s=%s\n", name, key, (key == "radius_km") ? sprintf("%.3f", v) : sprintf("%d", v)
    }' "$scenario")
((${#scale_up[@]})) || { echo "check-scaling: $scenario has no [[regions]] to scale" >&2; exit 2; }

mkdir -p "$out"
seed0=$(awk -F= '/^seed *=/ { gsub(/ /, "", $2); print $2; exit }' "$scenario")
seed0=${seed0:-1}
run() { # dir seed [extra args]
    local dir="$1" seed="$2"; shift 2
    "$pluri" run "$scenario" --seed "$seed" "${sets[@]}" "$@" --no-plots --force -q --out "$dir"
}
echo "check-scaling: $reps scaled runs of $(basename "$scenario")" >&2
for ((r = 0; r < reps; r++)); do run "$out/scaled/rep-$r" $((seed0 + r)); done
echo "check-scaling: $large_reps run(s) $factor times larger (${scale_up[*]})" >&2
for ((r = 0; r < large_reps; r++)); do
    start=$SECONDS
    run "$out/large/rep-$r" $((seed0 + 1000 + r)) "${scale_up[@]}"
    echo "check-scaling: larger run $r took $((SECONDS - start)) s" >&2
done

# Year-end rows of weekly.csv: MSPs and GPs per 100,000 residents, share without a GP.
awk -F, -v out="$out/scaling.csv" '
    FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; large = (FILENAME ~ /\/large\//); next }
    (($(col["week"]) + 1) % 52) == 0 {
        y = ($(col["week"]) + 1) / 52
        res = $(col["residents"])
        v["msps_per_100k"] = $(col["msps"]) * 1e5 / res
        v["gps_per_100k"] = $(col["gps"]) * 1e5 / res
        v["without_gp_share"] = $(col["without_gp_share"])
        for (k in v) {
            key = k SUBSEP y; years[y] = 1; names[k] = 1
            if (large) { ls[key] += v[k]; ln[key]++ } else { s[key] += v[k]; ss[key] += v[k] * v[k]; n[key]++ }
        }
    }
    END {
        print "indicator,year,scaled_mean,scaled_sd,scaled_runs,large_mean,large_runs,z" > out
        worst = 0; over2 = 0; over3 = 0; total = 0
        for (k in names) for (y = 1; y in years; y++) {
            key = k SUBSEP y
            if (!(key in n) || !(key in ln)) continue
            m = s[key] / n[key]; var = (ss[key] - n[key] * m * m) / (n[key] - 1); sd = var > 0 ? sqrt(var) : 0
            lm = ls[key] / ln[key]
            z = sd > 0 ? (lm - m) / sd : (lm == m ? 0 : 999)
            printf "%s,%d,%.6g,%.6g,%d,%.6g,%d,%.3f\n", k, y, m, sd, n[key], lm, ln[key], z >> out
            a = z < 0 ? -z : z; total++
            if (a > worst) worst = a
            if (a > 2) over2++
            if (a > 3) over3++
        }
        printf "%d comparisons: largest |z| %.2f; %d beyond 2 sd, %d beyond 3 sd\n", total, worst, over2, over3
    }' "$out"/scaled/rep-*/weekly.csv "$out"/large/rep-*/weekly.csv
{ head -n 1 "$out/scaling.csv"; tail -n +2 "$out/scaling.csv" | sort -t, -k1,1 -k2,2n; } |
    awk -F, '{ printf "%-17s %4s %12s %11s %11s %11s %10s %8s\n", $1, $2, $3, $4, $5, $6, $7, $8 }' 
echo "check-scaling: table in $out/scaling.csv" >&2

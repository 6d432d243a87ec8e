#!/usr/bin/env bash
# replicates.sh -- do two pluri binaries simulate the same model? (for changes that alter results)
#
# Runs the same one-point sweep of N replicates (same run seeds) with BIN_A and BIN_B, then
# compares every indicator of the two `runs.csv`: each binary's mean, the relative shift and
# z = (mean B - mean A) / sqrt(var A / N + var B / N). A change that gives another
# realisation of the same model (other draws, same expectations) leaves every |z| at chance
# level: among 23 indicators the largest is under 3 in 94% of comparisons (were they
# independent). A larger one names an indicator whose expectation moved
# (docs/PERFORMANCE.md, "Changes that alter results"). The runs use every processor; results
# do not depend on it.
#
#   scripts/replicates.sh BIN_A BIN_B [--replicates N] [--scenario FILE] [--seed S]
#                                     [--set PATH=VALUE ...]
#
# Defaults: 500 replicates of the embedded default scenario (about 2 minutes a binary on
# this project's 2-core machine), sweep seed 777. Exits 0 whatever the shifts; 2 on bad
# arguments, 1 if a sweep fails.
set -euo pipefail

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
(($# >= 2)) || usage
a="$1" b="$2"
shift 2
replicates=500 scenario="" seed=777 sets=()
while (($#)); do
    case "$1" in
        --replicates) replicates="${2:?--replicates needs a number}"; shift 2 ;;
        --scenario) scenario="${2:?--scenario needs a file}"; shift 2 ;;
        --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
        --set) sets+=("${2:?--set needs PATH=VALUE}"); shift 2 ;;
        -h|--help) usage ;;
        *) echo "replicates.sh: unknown argument '$1'" >&2; usage ;;
    esac
done
[[ "$replicates" =~ ^[1-9][0-9]*$ ]] && ((replicates >= 2)) ||
    { echo "replicates.sh: --replicates needs a whole number of at least 2, not '$replicates'" >&2; exit 2; }
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "replicates.sh: --seed needs a whole number, not '$seed'" >&2; exit 2; }
for bin in "$a" "$b"; do
    [[ -x "$bin" ]] || { echo "replicates.sh: '$bin' is not an executable file" >&2; exit 2; }
done
if [[ -n "$scenario" ]]; then
    [[ -f "$scenario" ]] || { echo "replicates.sh: no scenario file '$scenario'" >&2; exit 2; }
    scenario="$(cd "$(dirname "$scenario")" && pwd)/$(basename "$scenario")"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A sweep needs one varied parameter: the scenario's own `outcomes.max_wait_weeks`, so the
# single point is the scenario as it is.
show_args=()
[[ -n "$scenario" ]] && show_args+=("$scenario")
for s in "${sets[@]}"; do show_args+=(--set "$s"); done
wait_weeks="$("$a" show "${show_args[@]}" | sed -n 's/^max_wait_weeks = \([0-9]*\)$/\1/p' | head -n 1)"
[[ -n "$wait_weeks" ]] || { echo "replicates.sh: could not read outcomes.max_wait_weeks from '$a show'" >&2; exit 1; }
{
    echo 'name = "replicates"'
    [[ -n "$scenario" ]] && printf 'base = "%s"\n' "$scenario"
    echo "seed = $seed"
    echo "replicates = $replicates"
    printf 'set = ['
    for s in "${sets[@]}"; do printf '"%s", ' "$s"; done
    echo ']'
    echo '[design]'
    echo 'kind = "grid"'
    echo '[[param]]'
    echo 'path = "outcomes.max_wait_weeks"'
    echo "values = [$wait_weeks]"
} >"$work/sweep.toml"

for side in a b; do
    bin="$a"
    [[ "$side" == b ]] && bin="$b"
    if ! "$bin" sweep "$work/sweep.toml" --out "$work/$side" --no-plots --quiet 2>"$work/$side.err"; then
        echo "replicates.sh: the sweep of $bin failed:" >&2
        cat "$work/$side.err" >&2
        exit 1
    fi
done

python3 - "$work/a/runs.csv" "$work/b/runs.csv" "$replicates" <<'EOF'
import csv, math, sys
def load(path):
    rows = list(csv.DictReader(open(path)))
    skip = {"run", "point", "replicate", "seed", "outcomes.max_wait_weeks"}
    return {c: [float(r[c]) for r in rows] for c in rows[0] if c not in skip}
a, b, n = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
def moments(x):
    m = sum(x) / len(x)
    return m, sum((v - m) ** 2 for v in x) / (len(x) - 1)
print(f"{'indicator':40} {'mean A':>14} {'mean B':>14} {'B/A - 1':>9} {'z':>7}")
largest = (0.0, "")
for c in a:
    (ma, va), (mb, vb) = moments(a[c]), moments(b[c])
    se = math.sqrt(va / n + vb / n)
    z = (mb - ma) / se if se > 0 else (0.0 if mb == ma else math.inf)
    rel = f"{mb / ma - 1:+.5f}" if ma != 0 else "-"
    print(f"{c:40} {ma:14.6g} {mb:14.6g} {rel:>9} {z:+7.2f}")
    if abs(z) >= abs(largest[0]):
        largest = (z, c)
print(f"largest |z|: {abs(largest[0]):.2f} ({largest[1]}) over {len(a)} indicators, {n} replicates each")
EOF

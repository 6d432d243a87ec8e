#!/usr/bin/env bash
# paired.sh -- compare two pluri binaries on one host at the same moment.
#
# Runs BIN_A and BIN_B at the same time, each on one thread pinned to its own processor
# (`taskset`), ROUNDS times, swapping the processors each round; prints each run's phase
# times and each round's ratio B/A (consultations and the whole simulation), then the
# geometric means, and says whether the two runs' outputs were identical (every file but
# timings.json). On a host whose speed drifts within the hour, alternated runs cannot rank
# two binaries; runs side by side see the same host (docs/PERFORMANCE.md, "Paired method").
#
#   scripts/paired.sh BIN_A BIN_B [--rounds N] [--scenario FILE] [--weeks N]
#                                 [--set PATH=VALUE ...]
#
# Defaults: 4 rounds of France's first half-year (scenarios/france.toml, 26 weeks after its
# 52 of warm-up, with its three interventions moved to weeks 5, 10 and 15 so that they fall
# in it): about 35 s a round on this project's 2-core machine. --set adds to those (or, with
# --scenario, replaces them). Needs two processors.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
(($# >= 2)) || usage
a="$1" b="$2"
shift 2
rounds=4 scenario="$root/scenarios/france.toml" weeks=26
sets=(--set interventions.pacte-training.week=5
    --set interventions.msp-info-systems.week=10
    --set interventions.coordinator-every-msp.week=15)
own_sets=()
while (($#)); do
    case "$1" in
        --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
        --scenario) scenario="${2:?--scenario needs a file}"; sets=(); shift 2 ;;
        --weeks) weeks="${2:?--weeks needs a number}"; shift 2 ;;
        --set) own_sets+=(--set "${2:?--set needs PATH=VALUE}"); shift 2 ;;
        -h|--help) usage ;;
        *) echo "paired.sh: unknown argument '$1'" >&2; usage ;;
    esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "paired.sh: --rounds needs a whole number of at least 1, not '$rounds'" >&2; exit 2; }
for bin in "$a" "$b"; do
    [[ -x "$bin" ]] || { echo "paired.sh: '$bin' is not an executable file" >&2; exit 2; }
done
(($(nproc) >= 2)) || { echo "paired.sh: needs two processors, this machine has $(nproc)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
args=(--threads 1 run "$scenario" --weeks "$weeks" "${sets[@]}" "${own_sets[@]}" --no-plots -q --force)

# Prints "consult refer prepare upkeep simulate" (seconds) of a run's timings.json.
phases() {
    python3 - "$1/timings.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
p = d["phase_seconds"]
print(*(p[k] for k in ("consult", "refer", "prepare", "upkeep")), d["simulate_seconds"])
EOF
}

printf '%-6s %-4s %4s %8s %8s %8s %8s %8s\n' round bin cpu consult refer prepare upkeep simulate
ratios="$work/ratios"
: >"$ratios"
identical=yes
for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then ca=0 cb=1; else ca=1 cb=0; fi
    # Each binary writes under a parent of its own: a binary that clears other runs' staging
    # directories must not see the other's (one from before locks were written would look
    # abandoned).
    mkdir -p "$work/ra" "$work/rb"
    taskset -c "$ca" "$a" "${args[@]}" --out "$work/ra/a" >/dev/null 2>"$work/a.err" &
    pa=$!
    taskset -c "$cb" "$b" "${args[@]}" --out "$work/rb/b" >/dev/null 2>"$work/b.err" &
    pb=$!
    status=0
    wait "$pa" || status=$?
    wait "$pb" || status=$?
    if ((status != 0)); then
        echo "paired.sh: a run failed (exit $status):" >&2
        cat "$work/a.err" "$work/b.err" >&2
        exit 1
    fi
    read -r ac ar ap au as < <(phases "$work/ra/a")
    read -r bc br bp bu bs < <(phases "$work/rb/b")
    printf '%-6s %-4s %4s %8.3f %8.3f %8.3f %8.3f %8.3f\n' "$r" A "$ca" "$ac" "$ar" "$ap" "$au" "$as"
    printf '%-6s %-4s %4s %8.3f %8.3f %8.3f %8.3f %8.3f\n' "$r" B "$cb" "$bc" "$br" "$bp" "$bu" "$bs"
    echo "$bc $ac $bs $as" >>"$ratios"
    if ! diff -r -q -x timings.json "$work/ra/a" "$work/rb/b" >/dev/null; then
        identical=no
    fi
    rm -rf "$work/ra" "$work/rb"
done
python3 - "$ratios" <<'EOF'
import math, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
def show(name, pairs):
    ratios = [b / a for b, a in pairs if a > 0 and b > 0]
    if len(ratios) < len(pairs):
        print(f"B/A {name}: a time was zero (a run too short to compare)")
        return
    gm = math.exp(sum(map(math.log, ratios)) / len(ratios))
    print(f"B/A {name}:", ", ".join(f"{x:.3f}" for x in ratios), f"(geometric mean {gm:.3f})")
show("consultations", [(r[0], r[1]) for r in rows])
show("simulation", [(r[2], r[3]) for r in rows])
EOF
echo "outputs identical in every round: $identical"

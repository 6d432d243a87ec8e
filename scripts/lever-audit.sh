#!/usr/bin/env bash
# lever-audit.sh -- which parameters move the model's indicators, and which do nothing.
#
# Screens every behavioural parameter of the default scenario (the sections `pluri show`
# prints: territory ... outcomes) with a Morris design over all headline indicators, decides
# for each parameter whether it moves an indicator beyond replicate noise, and writes
# docs/LEVERS.md. Three steps, all with the given binary:
#
#   1. noise: REPLICATES seeds (a sweep) at the default point and at each of POINTS points of
#      a Latin hypercube over the parameters' ranges give each indicator's standard deviation
#      between seeds, pooled over the points (an indicator can be constant at the default
#      point, departures say, and vary elsewhere);
#   2. Morris: `pluri sensitivity` over every parameter (range: default +/- 50%, cut to the
#      valid range; a few by hand, see RANGES below), TRAJECTORIES trajectories, 4 levels;
#   3. the four coordination time shares, which must add up to 1 and so cannot move alone:
#      each is moved from -50% to +50% with the other three rescaled to keep the sum, one
#      pair of runs per seed (TRAJECTORIES seeds).
#
#   scripts/lever-audit.sh [--bin PATH] [--weeks N] [--trajectories R] [--replicates N]
#                          [--points M] [--threads T] [--work DIR] [--doc FILE]
#
# Defaults: target/release/pluri, the default scenario's 260 weeks (after its 52 of warm-up;
# at least 131, as its intervention falls in week 130), R = 10, 20 replicates, M = 4, all
# cores, work files in output/lever-audit, docs/LEVERS.md. About R x (parameters - 3) +
# (M + 1) x replicates + 8 R runs of the default scenario: 1,450 with the defaults, about
# an hour on 2 cores; `--weeks 156 --trajectories 8 --replicates 12 --threads 1` (the
# command of the committed docs/LEVERS.md) takes about 10 minutes on one core.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage() { sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
bin="$root/target/release/pluri" weeks="" trajectories=10 replicates=20 points=4 threads=
work="$root/output/lever-audit" doc="$root/docs/LEVERS.md"
while (($#)); do
    case "$1" in
        --bin) bin="${2:?--bin needs a path}"; shift 2 ;;
        --weeks) weeks="${2:?--weeks needs a number}"; shift 2 ;;
        --trajectories) trajectories="${2:?--trajectories needs a number}"; shift 2 ;;
        --replicates) replicates="${2:?--replicates needs a number}"; shift 2 ;;
        --threads) threads="${2:?--threads needs a number}"; shift 2 ;;
        --points) points="${2:?--points needs a number}"; shift 2 ;;
        --work) work="${2:?--work needs a directory}"; shift 2 ;;
        --doc) doc="${2:?--doc needs a file}"; shift 2 ;;
        -h|--help) usage ;;
        *) echo "lever-audit.sh: unknown argument '$1'" >&2; usage ;;
    esac
done
[[ -x "$bin" ]] || { echo "lever-audit.sh: '$bin' is not an executable file (cargo build --release)" >&2; exit 2; }
for n in "$trajectories" "$replicates" "$points" ${weeks:+"$weeks"} ${threads:+"$threads"}; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "lever-audit.sh: '$n' is not a whole number >= 1" >&2; exit 2; }
done
((trajectories >= 2 && replicates >= 3)) || { echo "lever-audit.sh: needs --trajectories >= 2 and --replicates >= 3" >&2; exit 2; }
mkdir -p "$work"
command="scripts/lever-audit.sh${weeks:+ --weeks $weeks} --trajectories $trajectories --replicates $replicates --points $points${threads:+ --threads $threads}"
started=$(date +%s)

python3 - "$bin" "$work" "$doc" "$trajectories" "$replicates" "$weeks" "$command" "$started" "$threads" "$points" <<'EOF'
import csv, json, math, os, random, subprocess, sys, time, tomllib

BIN, WORK, DOC, R, N, WEEKS, COMMAND, STARTED, THREADS, M = sys.argv[1:11]
R, N, STARTED, M = int(R), int(N), int(STARTED), int(M)
LEVELS = 4
DELTA = LEVELS / (2 * (LEVELS - 1))  # a Morris step, in units of a parameter's range
FAMILY_ERROR = 0.05  # chance that a parameter with no effect is said to move some indicator
SEED = 2024
SHARES = ["meeting_share", "case_share", "protocol_share", "networking_share"]
# Ranges chosen by hand: defaults of 0 (no +/- 50%) and ages (where +/- 50% is absurd).
RANGES = {
    "delegation.alone_base": (-0.5, 0.5),
    "structural.support_programme": (0.0, 1.0),
    "workforce.gp_age_mean": (40.0, 60.0),
    "structural.retirement_age": (60.0, 72.0),
    "structural.newcomer_age": (27.0, 45.0),
    "platform.handover_base": (-1.0, 1.0),
}

GLOBAL = ["--threads", THREADS] if THREADS else []

def run(args):
    done = subprocess.run([BIN, *GLOBAL, *args], text=True, capture_output=True)
    if done.returncode != 0:
        raise SystemExit(f"lever-audit.sh: pluri {' '.join(args)} failed:\n{done.stderr}")
    return done

def valid(sets):
    args = ["-q", "check"]
    for s in sets:
        args += ["--set", s]
    return subprocess.run([BIN, *args], capture_output=True).returncode == 0

def fmt(v):
    if isinstance(v, int):
        return str(v)
    t = f"{v:.6g}"
    return t if any(c in t for c in ".e") else t + ".0"

# The parameters, their defaults and sections, as `pluri show` prints them.
shown = tomllib.loads(run(["show"]).stdout)
sections = [k for k, v in shown.items() if isinstance(v, dict)]
params = [(f"{s}.{k}", v) for s in sections for k, v in shown[s].items()
          if isinstance(v, (int, float)) and not isinstance(v, bool)]
weeks_set = [f"weeks={WEEKS}"] if WEEKS else []
if WEEKS and not valid(weeks_set):
    run(["-q", "check", "--set", weeks_set[0]])  # says why, and stops

def rng(path, d):
    """(low, high) around default d, both ends valid."""
    if path in RANGES:
        lo, hi = RANGES[path]
    elif isinstance(d, int):
        lo, hi = max(0, math.floor(d * 0.5 + 0.5)), math.floor(d * 1.5 + 0.5)
        hi = max(hi, lo + 1)
    elif d == 0:
        raise SystemExit(f"lever-audit.sh: {path} defaults to 0: give it a range in RANGES")
    else:
        lo, hi = sorted((d * 0.5, d * 1.5))
    # Pull an invalid end halfway to the default (shares above 1, counts below their floor).
    for _ in range(8):
        if valid([f"{path}={fmt(lo)}"]):
            break
        lo = (lo + d) / 2 if not isinstance(d, int) else lo + 1
    for _ in range(8):
        if valid([f"{path}={fmt(hi)}"]):
            break
        hi = 1.0 if (not isinstance(d, int) and d <= 1.0 and hi > 1.0) else (
            (hi + d) / 2 if not isinstance(d, int) else hi - 1)
    if not (valid([f"{path}={fmt(lo)}"]) and valid([f"{path}={fmt(hi)}"])) or lo >= hi:
        raise SystemExit(f"lever-audit.sh: no valid range found for {path} around {d}")
    return lo, hi

screened = [(p, d, rng(p, d)) for p, d in params if p.split(".")[1] not in SHARES]
shares = [(p, d) for p, d in params if p.split(".")[1] in SHARES]

# Headline indicators and residents: one run's summary.
one = os.path.join(WORK, "one-run")
run(["-q", "run", "--no-plots", "--force", "--out", one]
    + [x for w in weeks_set for x in ("--set", w)])
one_summary = json.load(open(os.path.join(one, "summary.json")))
indicators = sorted(one_summary["headline"])
RESIDENTS = one_summary["residents"]

def toml_list(xs):
    return "[" + ", ".join(json.dumps(x) for x in xs) + "]"

# 1. Noise: N seeds at the default point, and at M points of a Latin hypercube.
def noise_sweep(name, design):
    path = os.path.join(WORK, f"{name}.toml")
    with open(path, "w") as f:
        f.write(f'name = "lever-{name}"\nseed = {SEED}\nreplicates = {N}\n'
                f"set = {toml_list(weeks_set)}\n{design}")
    run(["-q", "sweep", path, "--out", os.path.join(WORK, name), "--force", "--no-plots"])
    return list(csv.DictReader(open(os.path.join(WORK, name, "runs.csv"))))
t0 = time.time()
rows = noise_sweep("noise", '[design]\nkind = "grid"\n[[param]]\n'
                   'path = "structural.msp_incentive"\nvalues = [1.0]\n')
spread = noise_sweep("spread", f'[design]\nkind = "lhs"\nsamples = {M}\n' + "".join(
    f'[[param]]\npath = "{p}"\nrange = [{fmt(lo)}, {fmt(hi)}]\n' for p, _, (lo, hi) in screened))
noise_secs = time.time() - t0
def stats(xs):
    m = sum(xs) / len(xs)
    return m, math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))
base = {i: stats([float(r[i]) for r in rows]) for i in indicators}
points = [rows] + [[r for r in spread if r["point"] == str(k)] for k in range(M)]
# Each indicator's noise: the standard deviation between seeds, pooled over the M + 1 points
# (the root mean square of the points' standard deviations).
sigma = {i: math.sqrt(sum(stats([float(r[i]) for r in pt])[1] ** 2 for pt in points) / len(points))
         for i in indicators}
DOF = len(points) * (N - 1)
# The mu* a parameter with no effect but to change the random draws would get: the mean
# |y(a) - y(b)| / delta of two independent replicates, 2 sigma / (sqrt(pi) delta).
def noise_mu(i, delta):
    return 2 * sigma[i] / (math.sqrt(math.pi) * delta)

# The threshold of the signal-to-noise ratio. For a parameter that only changes the draws,
# with Gaussian noise of the same variance everywhere, the ratio is the mean of R values
# |X - Y| (X, Y independent, sd 1) over 2 s / sqrt(pi), s^2 a pooled variance estimate of
# DOF degrees of freedom (chi-squared / DOF): its distribution depends on R and DOF only.
# The threshold is its quantile 1 - FAMILY_ERROR / (indicators), so that such a parameter
# moves some indicator with probability at most FAMILY_ERROR (Bonferroni).
def null_quantile(q, samples=200_000):
    rnd = random.Random(SEED)
    g = rnd.gauss
    out = []
    for _ in range(samples):
        mean_abs = sum(abs(g(0, 1) - g(0, 1)) for _ in range(R)) / R
        sd = math.sqrt(rnd.gammavariate(DOF / 2, 2) / DOF)
        out.append(mean_abs / (2 * sd / math.sqrt(math.pi)))
    out.sort()
    return out[min(samples - 1, int(q * samples))]
THRESHOLD = null_quantile(1 - FAMILY_ERROR / len(indicators))

# 2. Morris over every other parameter.
sens = os.path.join(WORK, "levers.toml")
with open(sens, "w") as f:
    f.write("# Generated by scripts/lever-audit.sh: every behavioural parameter of the default\n"
            "# scenario, default +/- 50% (cut to its valid range).\n")
    f.write(f'name = "levers"\nseed = {SEED}\nset = {toml_list(weeks_set)}\n'
            f"indicators = {toml_list(indicators)}\n[morris]\ntrajectories = {R}\nlevels = {LEVELS}\n")
    for p, d, (lo, hi) in screened:
        f.write(f'\n[[param]]\npath = "{p}"\nrange = [{fmt(lo)}, {fmt(hi)}]\n')
t0 = time.time()
run(["-q", "sensitivity", sens, "--out", os.path.join(WORK, "morris"), "--force", "--no-plots"])
morris_secs = time.time() - t0
mu = {}
for r in csv.DictReader(open(os.path.join(WORK, "morris", "morris.csv"))):
    mu[(r["parameter"], r["indicator"])] = float(r["mu_star"])

# 3. The coordination shares, each moved with the others rescaled; seeds 1..R.
t0 = time.time()
share_default = {p: d for p, d in shares}
def share_sets(moved, factor):
    x = share_default[moved] * factor
    rest = sum(d for p, d in shares if p != moved)
    return [f"{p}={fmt(x if p == moved else d * (1 - x) / rest)}" for p, d in shares]
def headline(sets, seed, tag):
    out = os.path.join(WORK, "shares", tag)
    args = ["-q", "run", "--seed", str(seed), "--no-plots", "--force", "--out", out]
    for s in weeks_set + sets:
        args += ["--set", s]
    run(args)
    return json.load(open(os.path.join(out, "summary.json")))["headline"]
for p, d in shares:
    effects = {i: [] for i in indicators}
    for seed in range(1, R + 1):
        lo = headline(share_sets(p, 0.5), seed, "lo")
        hi = headline(share_sets(p, 1.5), seed, "hi")
        for i in indicators:
            effects[i].append(abs(hi[i] - lo[i]))  # the whole range: delta = 1
    for i in indicators:
        mu[(p, i)] = sum(effects[i]) / R
shares_secs = time.time() - t0

# Verdicts. The signal-to-noise ratio of a parameter on an indicator is its mu* over the
# noise-only mu*; an indicator equal in every replicate has no noise, and any effect on it
# is real (ratio infinite when mu* > 0).
def delta_of(p):
    return 1.0 if p in share_default else DELTA
def snr(p, i):
    m, n = mu[(p, i)], noise_mu(i, delta_of(p))
    if n > 0:
        return m / n
    return math.inf if m > 0 else 0.0
OUTPUT_ONLY_MAX = 2  # a parameter moving at most this many indicators, and nothing else at all
verdicts = []
for p, d in params:
    ratios = {i: snr(p, i) for i in indicators}
    top = max(indicators, key=lambda i: ratios[i])
    moved = [i for i in indicators if ratios[i] >= THRESHOLD]
    touched = [i for i in indicators if mu[(p, i)] > 0]
    rng_txt = ("-50% to +50%, others rescaled" if p in share_default
               else "{} to {}".format(*map(fmt, next(r for q, _, r in screened if q == p))))
    if not touched:
        verdict = "dead (inert: changes no indicator at all in this scenario)"
        kind = "dead"
    elif not moved:
        verdict = "dead (moves nothing beyond noise)"
        kind = "dead"
    elif len(touched) <= OUTPUT_ONLY_MAX:
        verdict = "pure output scale (moves only " + ", ".join(f"`{i}`" for i in touched) + ")"
        kind = "output"
    else:
        ranked = sorted(moved, key=lambda i: -ratios[i])
        verdict = "moves " + ", ".join(f"`{i}`" for i in ranked[:3]) + (
            f" and {len(ranked) - 3} more" if len(ranked) > 3 else "")
        kind = "moves"
    m, s = base[top]
    rel = mu[(p, top)] * delta_of(p) / abs(m) if m else math.nan
    verdicts.append((p, d, rng_txt, ratios[top], top, rel, verdict, kind))

def num(x):
    if math.isinf(x):
        return "∞"
    return f"{x:.1f}" if x < 100 else f"{x:.0f}"
def pct(x):
    return "–" if math.isnan(x) else f"{100 * x:.1f}%"

elapsed = time.time() - STARTED
dead = [v for v in verdicts if v[7] == "dead"]
output = [v for v in verdicts if v[7] == "output"]
moves = [v for v in verdicts if v[7] == "moves"]
g = lambda i: base[i][0]
scen = f"the default scenario (`pluri show`), {WEEKS or shown['weeks']} weeks after {shown['warmup_weeks']} of warm-up"

L = []
w = L.append
w("# Levers: which parameters move the indicators\n")
w("Generated by `scripts/lever-audit.sh`; do not edit by hand. A Morris screening of every "
  f"behavioural parameter ({len(params)}) of {scen}, over every headline indicator "
  f"({len(indicators)}; `docs/OUTPUTS.md`). Parameters are moved one at a time within their "
  "range (default ±50%, cut to the valid range; ages and defaults of 0 by hand), so a "
  "verdict is about this scenario and these ranges: a lever dead here may act in a scenario "
  "with other structures.\n")
threads_txt = "all cores" if not THREADS else f"{THREADS} thread" + ("" if THREADS == "1" else "s")
w(f"Command: `{COMMAND}` (binary `target/release/pluri`): {elapsed / 60:.0f} minutes on "
  f"{threads_txt} (noise {noise_secs / 60:.1f} min, Morris {morris_secs / 60:.1f} min, "
  f"coordination shares {shares_secs / 60:.1f} min), {len(rows) + len(spread) + R * (len(screened) + 1) + 2 * R * len(shares)} runs.\n")
w(f"## Dead levers ({len(dead)})\n")
w("Parameters that move no headline indicator beyond noise in this scenario. The next step "
  "is to make each matter (a mechanism that reads it) or to remove it.\n")
for v in dead:
    w(f"- `{v[0]}` (largest signal-to-noise ratio {num(v[3])}, on `{v[4]}`): {v[6]}")
w("")
w(f"## Pure output scales ({len(output)})\n")
w("Parameters that change no behaviour (every other indicator is identical, draw for draw) "
  "and only scale or threshold what an output counts.\n")
for v in output:
    w(f"- `{v[0]}`: {v[6]}")
w("")
w("## How a verdict is decided\n")
w(f"Every run of the Morris design uses the same seed (common random numbers), {R} "
  f"trajectories on a {LEVELS}-level grid, so each elementary effect is a difference between "
  f"two runs a step of Δ = {DELTA:.3g} of the range apart, divided by Δ; μ* is the mean "
  "absolute effect, in the indicator's unit per range of the parameter. A parameter that "
  "changed nothing but the random draws would still get a μ*: two runs whose draws "
  "diverge differ like two replicates, so its μ* is about 2σ / (√π Δ), σ the indicator's "
  f"standard deviation between {N} seeds, pooled over the default point and {M} points of a "
  "Latin hypercube over the ranges (an indicator constant at the default point, such as "
  "departures, varies elsewhere). The **signal-to-noise ratio** "
  "of a parameter on an indicator is its μ* over that noise-only μ*; a parameter **moves** an "
  f"indicator when the ratio is at least {THRESHOLD:.2f}. The threshold is the quantile "
  f"1 − {FAMILY_ERROR:g}/{len(indicators)} of the ratio of a parameter that only changes the "
  f"draws (Gaussian noise; the mean of {R} absolute differences of two replicates over the "
  f"noise-only μ* estimated with {DOF} degrees of freedom; 200,000 simulated draws), so such a parameter is "
  f"said to move some indicator with probability at most {FAMILY_ERROR:g} (Bonferroni over "
  "the indicators). With so few trajectories the test has little power: a parameter called "
  "dead may have an effect smaller than a few standard deviations of the noise. An "
  "indicator equal in every replicate at every point has no noise: any effect on it counts. A parameter is **dead** when it moves no indicator, and **inert** "
  "when every indicator is identical with it at either end of its range (the parameter is "
  "never read in this scenario, or only where nothing depends on it). A **pure output "
  f"scale** moves at most {OUTPUT_ONLY_MAX} indicators and leaves every other one identical, "
  "draw for draw.\n")
w("The four coordination time shares must add up to 1, so none can move alone: each is "
  f"moved from −50% to +50% of its default with the other three rescaled in proportion, in "
  f"{R} pairs of runs (seeds 1 to {R}, the same seed at both ends), Δ = 1.\n")
w("## Every parameter\n")
w("Ratio: the largest signal-to-noise ratio over the headline indicators (μ* over the "
  "noise-only μ*); indicator: where it is largest; effect: μ* × Δ on that indicator, over "
  "its mean at the default point (a step of two thirds of the range).\n")
w("| parameter | default | range | ratio | indicator | effect | verdict |")
w("|---|---|---|---|---|---|---|")
for p, d, r_, ratio, top, rel, verdict, kind in verdicts:
    w(f"| `{p}` | {fmt(d) if isinstance(d, int) else d} | {r_} | {num(ratio)} | `{top}` | {pct(rel)} | {verdict} |")
w("")
w(f"## Noise ({N} seeds at each point)\n")
w("Mean and standard deviation at the default point; pooled standard deviation over it and "
  f"the {M} points of the hypercube, and the noise-only μ* it gives.\n")
w("| indicator | mean | standard deviation | pooled | noise-only μ* (Δ = 2/3) |")
w("|---|---|---|---|---|")
for i in indicators:
    m, s = base[i]
    w(f"| `{i}` | {m:.4g} | {s:.3g} | {sigma[i]:.3g} | {noise_mu(i, DELTA):.3g} |")
w("")
w("## Known discrepancies with public figures\n")
w("Defaults and outputs that sourced figures (`data/`, `docs/MODEL.md`) contradict, to be "
  "resolved in the model. Model values: means over the noise replicates above.\n")
cpg = g("consultations_per_gp_per_year")
mean_list = (1 - g("without_gp_share_end")) * RESIDENTS / g("gps_end")
w(f"- **GP supply against demand.** The model's GPs give {cpg:,.0f} consultations a year "
  "each, against about 5,000 per full-year liberal GP (CNAM 2019, IQVIA 2018; "
  "`data/demography/gp_activity.csv`), and use "
  f"{100 * g('gp_utilisation'):.0f}% of their capacity (`workforce.gp_consultations_per_week` "
  "= 100, about 4,600 a year): the same consultations would take "
  f"{5000 / cpg:.1f} times fewer GPs. `workforce.gps_per_100k` = 149 counts liberal, salaried "
  "and mixed GPs (DREES RPPS), while the liberal GPs who carry the lists are about 52,500, "
  f"78 per 100,000 (CNAM 2020). The model's mean list, {mean_list:.0f} residents of all "
  "ages, is below the CNAM's 960–1,001 adult patients per GP (2021).")
w(f"- **Demand.** {g('consultations_per_resident_per_year'):.1f} consultations per resident a "
  "year (own GP and walk-in), against 2.8 per resident from IQVIA's 190 million GP "
  "consultations of 2018 and the APL's 3.3–3.8 accessible consultations "
  "(`data/demography/gp_activity.csv`): `demand.base_episodes_per_year` and the extras are "
  "high, or count episodes that are not GP consultations.")
w(f"- **GPs refusing new patients.** {100 * g('gps_refusing_new_share_end'):.1f}% of GPs have a "
  "full list (`workforce.gp_list_max` = 1,400) and "
  f"{100 * g('gps_fully_booked_share'):.0f}% are fully booked in a week: a GP refuses new "
  "patients only at a list of 1,400, far above the mean list, so refusals do not follow "
  f"from workload, and utilisation ({100 * g('gp_utilisation'):.0f}%) says nothing of who "
  "refuses. No public figure of the share of GPs refusing new patients is in `data/` yet.")
w(f"- **Unmet needs.** {100 * g('unmet_need_share'):.0f}% of needs are unmet: "
  f"{100 * g('unmet_failed_share'):.0f} points are failed outcomes of tasks done "
  f"(`delegation.alone_success` = 0.5, `delegated_success` = 0.85), "
  f"{100 * g('unmet_dropped_share'):.0f} tasks dropped by the GP and "
  f"{100 * g('unmet_refused_share'):.0f} tasks refused (a full target or a resisting professional): the headline "
  "is mostly draws whose probabilities no public figure gives.")
w(f"- **Waiting.** {g('waiting_per_1000'):.2f} patients per 1,000 residents wait at the end of "
  f"a week (time to appointment {g('time_to_appointment_days'):.2f} days), and the number "
  "grows through a run: lists are capped by a ceiling, not by GP time, and never shrink, so "
  "in rural zones a growing number of GPs is fully booked week after week (`docs/MODEL.md`, "
  "What is simplified).")
w("")
with open(DOC, "w") as f:
    f.write("\n".join(L))
print(f"lever-audit.sh: {len(moves)} parameters move an indicator, {len(output)} are output scales, "
      f"{len(dead)} are dead; {DOC} written in {elapsed / 60:.0f} min")
EOF

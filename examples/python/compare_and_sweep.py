# %% [markdown]
# # pluri from Python: a comparison and a small sweep
#
# A notebook-style script (cells marked `# %%`, as Jupyter, VS Code and Spyder read them).
# Run it whole with `python examples/python/compare_and_sweep.py` from the repository, or
# cell by cell. Needs the package (`docs/PYTHON.md`), matplotlib, pandas and pyarrow.
# `PLURI_EXAMPLE_QUICK=1` makes every run tiny (the test script checks it this way).

# %%
import argparse
import os
from pathlib import Path

import matplotlib.pyplot as plt
import pyarrow as pa

import pluri

repo = Path(os.environ.get("PLURI_REPO", Path.cwd()))
quick = os.environ.get("PLURI_EXAMPLE_QUICK") == "1"
parser = argparse.ArgumentParser()
parser.add_argument("--out", default="output/python-example")
args, _ = parser.parse_known_args()  # a notebook kernel passes arguments of its own
out = Path(args.out)
out.mkdir(parents=True, exist_ok=True)
small = repo / "scenarios" / "small.toml"
weeks = 8 if quick else 104
replicates = 2 if quick else 10

# %% [markdown]
# ## One run: its tables are Arrow, read by pandas, polars or pyarrow without a copy

# %%
run = pluri.run(small, seed=1, weeks=weeks)
weekly = pa.table(run.weekly).to_pandas()
weekly[["week", "delegated_share", "needs_unmet", "waiting"]].tail()

# %% [markdown]
# ## A comparison: does a coordinator in the second MSP change anything?
#
# Both arms run the same replicate seeds, so each indicator's difference is paired.

# %%
comparison = pluri.compare(
    small,
    arms={"coordinated": {"structures.msp_b.coordinator_fte": 1.0}},
    replicates=replicates,
    weeks=weeks,
    out=out / "compare",
    force=True,
)
differences = pa.table(comparison.differences).to_pandas()
shown = ["delegated_share", "unmet_need_share", "interorg_referral_share", "meetings_per_year"]
d = differences[differences["indicator"].isin(shown)].set_index("indicator").loc[shown]
d[["mean_first", "mean_arm", "difference", "ci_low", "ci_high", "verdict"]]

# %%
fig, ax = plt.subplots(figsize=(7, 3.5))
relative = d["difference"] / d["mean_first"].where(d["mean_first"] != 0)
low = (d["difference"] - d["ci_low"]) / d["mean_first"].abs()
high = (d["ci_high"] - d["difference"]) / d["mean_first"].abs()
ax.errorbar(100 * relative, range(len(d)), xerr=[100 * low, 100 * high], fmt="o")
ax.axvline(0, color="grey", lw=0.8)
ax.set_yticks(range(len(d)), d.index)
ax.set_xlabel(f"coordinated vs {comparison.arms[0]}: difference, % of reference (95% CI)")
fig.tight_layout()
fig.savefig(out / "comparison.png", dpi=100)

# %% [markdown]
# ## A small sweep: coordinator time in the first MSP against delegation
#
# The sweep file names the base scenario, the `--set` paths varied and the design; its runs
# go to a directory that can be resumed (`resume=True`) after an interruption.

# %%
if quick:
    sweep_file = out / "sweep.toml"
    sweep_file.write_text(
        f'name = "example"\nbase = "{small}"\nseed = 2024\nreplicates = 2\n'
        f'set = ["weeks={weeks}", "warmup_weeks=4"]\n[design]\nkind = "grid"\n'
        '[[param]]\npath = "structures.msp_a.coordinator_fte"\nvalues = [0.0, 1.0, 2.0]\n'
    )
else:
    sweep_file = repo / "scenarios" / "sweeps" / "small.toml"
sweep = pluri.sweep(sweep_file, out / "sweep", force=True)
runs = pa.table(sweep.runs).to_pandas()
means = runs.groupby("structures.msp_a.coordinator_fte")["delegated_share"].agg(["mean", "std"])
means

# %%
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.scatter(runs["structures.msp_a.coordinator_fte"], runs["delegated_share"], alpha=0.4,
           label="runs")
ax.errorbar(means.index, means["mean"], yerr=means["std"].fillna(0), fmt="o-", label="mean ± sd")
ax.set_xlabel("coordinator FTE in msp_a")
ax.set_ylabel("share of tasks delegated")
ax.legend()
fig.tight_layout()
fig.savefig(out / "sweep.png", dpi=100)
print(f"figures: {out / 'comparison.png'}, {out / 'sweep.png'}; report: {comparison.out / 'report.html'}")

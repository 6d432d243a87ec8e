"""pluri from Python: scenarios, runs whose tables are Arrow, sweeps, comparisons and
calibrations over the same library as the ``pluri`` command line (``docs/PYTHON.md``).

>>> import pluri
>>> s = pluri.Scenario.from_file("scenarios/small.toml").with_sets({"weeks": 20})
>>> r = pluri.run(s, seed=3)
>>> import polars as pl; pl.DataFrame(r.weekly)        # or pyarrow.table(r.weekly)
>>> r.write("output/small-3")                          # what `pluri run --no-plots` writes
"""

from ._api import (
    Calibration,
    Comparison,
    Results,
    Scenario,
    SweepResult,
    calibrate,
    compare,
    run,
    sweep,
    to_pandas,
)
from ._native import (
    HEADLINE,
    WEEKLY_COLUMNS,
    CalibrateError,
    CompareError,
    OutputError,
    PluriError,
    ScenarioError,
    SweepError,
    __version__,
)

__all__ = [
    "HEADLINE",
    "WEEKLY_COLUMNS",
    "CalibrateError",
    "Calibration",
    "CompareError",
    "Comparison",
    "OutputError",
    "PluriError",
    "Results",
    "Scenario",
    "ScenarioError",
    "SweepError",
    "SweepResult",
    "__version__",
    "calibrate",
    "compare",
    "run",
    "sweep",
    "to_pandas",
]

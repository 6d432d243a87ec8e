"""An EMA Workbench model of a pluri scenario (``ema-workbench`` 3.x; 2.x works too):
uncertainties and levers are ``--set`` paths, outcomes are pluri's headline indicators
(at the end of the run) and weekly series, and replications are seeds.

>>> from ema_workbench import perform_experiments
>>> from pluri.ema import model
>>> m = model("scenarios/small.toml", weeks=26, replications=3,
...           uncertainties={"population.elderly_share": (0.15, 0.35)},
...           levers={"structures.msp_b.coordinator_fte": (0.0, 1.0)},
...           outcomes=["unmet_need_share", "delegated_share"], series=["waiting"])
>>> experiments, outcomes = perform_experiments(m, scenarios=10, policies=1)
>>> outcomes["unmet_need_share"].shape      # (experiments, replications)
(10, 3)
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Optional, Sequence, Union

from . import _native
from ._api import PathLike, Scenario, _scenario_of, run


def identifier(path: str) -> str:
    """The EMA Workbench name of a ``--set`` path (names must be Python identifiers):
    ``structures.msp_b.coordinator_fte`` -> ``structures__msp_b__coordinator_fte``."""
    name = re.sub(r"\W", "_", path.replace(".", "__"))
    return name if name.isidentifier() else f"p_{name}"


def _parameter(path: str, spec: Any):
    """An EMA parameter named after ``path`` whose value goes to ``path``: a ``(low, high)``
    pair of floats (real), of ints (integer), a list of choices (categorical), or a ready
    EMA parameter (its ``variable_name`` is set to the path)."""
    import ema_workbench as ema  # noqa: PLC0415 (optional dependency)

    name = identifier(path)
    if isinstance(spec, ema.em_framework.parameters.Parameter):
        spec.variable_name = path
        return spec
    if isinstance(spec, tuple) and len(spec) == 2:
        low, high = spec
        if isinstance(low, int) and isinstance(high, int) and not isinstance(low, bool):
            return ema.IntegerParameter(name, low, high, variable_name=path)
        return ema.RealParameter(name, float(low), float(high), variable_name=path)
    if isinstance(spec, (list, tuple)):
        return ema.CategoricalParameter(name, list(spec), variable_name=path)
    raise TypeError(
        f"{path}: give (low, high), a list of choices, or an ema_workbench parameter, "
        f"not {spec!r}"
    )


class PluriFunction:
    """The callable the EMA Workbench model runs: one pluri run per call, ``--set`` paths
    and ``seed`` as keyword arguments, outcomes as a dict. Picklable (it holds the
    scenario's TOML), so multiprocessing evaluators can ship it."""

    def __init__(
        self,
        scenario: Scenario,
        outcomes: Sequence[str],
        series: Sequence[str],
        weeks: Optional[int],
    ):
        self.toml = scenario.to_toml()
        self.origin = scenario.name
        self.outcomes = list(outcomes)
        self.series = list(series)
        self.weeks = weeks
        self._scenario: Optional[Scenario] = scenario

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_scenario"] = None
        return state

    def __call__(self, seed: int = 0, **sets: Any) -> dict[str, Any]:
        if self._scenario is None:
            self._scenario = Scenario.from_toml(self.toml, self.origin)
        s = self._scenario.with_sets(sets) if sets else self._scenario
        results = run(s, seed=int(seed), weeks=self.weeks, progress=False)
        headline = results.headline
        out: dict[str, Any] = {name: headline[name] for name in self.outcomes}
        if self.series:
            import numpy as np  # noqa: PLC0415

            for name, values in zip(self.series, results._native.weekly_series(self.series)):
                out[name] = np.asarray(values, dtype=float)
        return out


def model(
    scenario: Union[Scenario, PathLike, None] = None,
    *,
    uncertainties: Optional[Mapping[str, Any]] = None,
    levers: Optional[Mapping[str, Any]] = None,
    outcomes: Optional[Sequence[str]] = None,
    series: Sequence[str] = (),
    replications: Union[int, Sequence[int]] = 1,
    weeks: Optional[int] = None,
    name: str = "pluri",
):
    """An ``ema_workbench.ReplicatorModel`` of ``scenario``.

    - ``uncertainties`` and ``levers``: ``{path: (low, high) | [choices] | Parameter}``,
      ``path`` a ``--set`` path; EMA names are :func:`identifier` of the paths.
    - ``outcomes``: headline indicators (default: all of :data:`pluri.HEADLINE`), each an
      array over replications; ``series``: columns of ``weekly.csv``, each an array of
      weekly series over replications (``ArrayOutcome`` both).
    - ``replications``: a number of seeds (the scenario's seed, +1, +2...) or the seeds.
    """
    import ema_workbench as ema  # noqa: PLC0415 (optional dependency)

    s = _scenario_of(scenario)
    names = list(_native.HEADLINE)
    wanted = list(outcomes) if outcomes is not None else names
    unknown = [o for o in wanted if o not in names]
    if unknown:
        raise KeyError(f"unknown indicator(s) {', '.join(unknown)}: one of {', '.join(names)}")
    fn = PluriFunction(s, wanted, series, weeks)
    columns = list(_native.WEEKLY_COLUMNS)
    missing = [c for c in series if c not in columns]
    if missing:
        raise KeyError(f"unknown weekly column(s) {', '.join(missing)}: one of {', '.join(columns)}")
    m = ema.ReplicatorModel(name, function=fn)
    if isinstance(replications, int):
        seeds = [s.seed + i for i in range(replications)]
    else:
        seeds = [int(x) for x in replications]
    m.replications = [{"seed": seed} for seed in seeds]
    m.uncertainties = [_parameter(p, spec) for p, spec in (uncertainties or {}).items()]
    m.levers = [_parameter(p, spec) for p, spec in (levers or {}).items()]
    # A replicated model gives each outcome as a list over replications: arrays, which
    # `ema_workbench.util.process_replications` reduces (to their mean by default).
    m.outcomes = [ema.ArrayOutcome(o) for o in wanted] + [ema.ArrayOutcome(c) for c in series]
    return m

"""A batch simulator of the shape SALib, sbi and AutoEmulate call: parameter sets in
(rows of ``thetas``, columns named by ``--set`` paths), pluri's indicators out (a row per
set). Runs go in parallel with the GIL released; the same rows and seeds give the same
array at any thread count.

>>> from pluri.batch import simulate
>>> y = simulate([[0.2], [0.4]], seeds=[1, 1], scenario="scenarios/small.toml",
...              parameters=["population.elderly_share"], indicators=["unmet_need_share"])
>>> y.shape
(2, 1)
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence, Union

from . import _native
from ._api import PathLike, Scenario, _scenario_of, set_text
from ._progress import progress_for


def _numpy():
    try:
        import numpy  # noqa: PLC0415
    except ImportError as e:  # pragma: no cover - numpy is the one requirement here
        raise ImportError("pluri.batch needs numpy: pip install numpy") from e
    return numpy


def simulate(
    thetas,
    seeds: Union[int, Sequence[int]] = 0,
    *,
    scenario: Union[Scenario, PathLike, None] = None,
    parameters: Sequence[str],
    indicators: Optional[Sequence[str]] = None,
    weeks: Optional[int] = None,
    progress: Any = False,
):
    """Simulates each row of ``thetas`` (shape ``(n, len(parameters))``, or ``(len(parameters),)``
    for one set) and returns a float64 array of shape ``(n, len(indicators))`` of headline
    indicators (default: all of :data:`pluri.HEADLINE`, in that order).

    ``seeds`` is one seed for every row (common random numbers) or one per row. Parameter
    values are given to their ``--set`` path as numbers; whole-number paths (counts, weeks)
    take integers."""
    np = _numpy()
    x = np.asarray(thetas, dtype=float)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2 or x.shape[1] != len(parameters):
        raise ValueError(
            f"thetas has shape {x.shape}: expected (n, {len(parameters)}), one column per "
            f"parameter ({', '.join(parameters)})"
        )
    n = x.shape[0]
    if np.ndim(seeds) == 0:
        seed_list = [int(seeds)] * n
    else:
        seed_list = [int(s) for s in np.asarray(seeds).ravel()]
        if len(seed_list) != n:
            raise ValueError(f"{len(seed_list)} seeds for {n} parameter sets: give one per set")
    names = list(_native.HEADLINE)
    wanted = list(indicators) if indicators is not None else names
    unknown = [i for i in wanted if i not in names]
    if unknown:
        raise KeyError(
            f"unknown indicator(s) {', '.join(unknown)}: one of {', '.join(names)}"
        )
    columns = [names.index(i) for i in wanted]
    sets = [
        [f"{path}={set_text(_number(v))}" for path, v in zip(parameters, row)] for row in x
    ]
    s = _scenario_of(scenario)
    with progress_for(progress, f"simulate {s.name}", "run") as callback:
        rows = _native.headlines(
            s._native, sets, seed_list, None if weeks is None else int(weeks), callback
        )
    out = np.asarray(rows, dtype=float).reshape(n, len(names))
    return out[:, columns]


def _number(v: float):
    """A whole float as an int (so that count fields accept it), any other as it is."""
    return int(v) if float(v).is_integer() and abs(v) < 2**53 else float(v)


def simulator(
    *,
    scenario: Union[Scenario, PathLike, None] = None,
    parameters: Sequence[str],
    indicators: Optional[Sequence[str]] = None,
    weeks: Optional[int] = None,
    seed: int = 0,
) -> Callable:
    """``f(thetas, seeds=seed)`` with the other arguments of :func:`simulate` fixed: the
    one-argument callable SALib (``Y = f(X)``), sbi and AutoEmulate expect."""
    s = _scenario_of(scenario)

    def f(thetas, seeds: Union[int, Sequence[int]] = seed):
        return simulate(
            thetas,
            seeds,
            scenario=s,
            parameters=parameters,
            indicators=indicators,
            weeks=weeks,
        )

    return f

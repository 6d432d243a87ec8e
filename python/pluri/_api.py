"""The documented API: :class:`Scenario`, :func:`run` and its :class:`Results`,
:func:`sweep`, :func:`compare` and :func:`calibrate`, over the compiled ``pluri._native``."""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from . import _native
from ._progress import progress_for

PathLike = Union[str, "os.PathLike[str]"]
Sets = Union[Mapping[str, Any], Iterable[str], None]


def set_text(value: Any) -> str:
    """The ``VALUE`` of a ``--set PATH=VALUE`` for a Python value: numbers, booleans, strings
    and lists of them, as TOML (numpy scalars are taken as Python numbers)."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(set_text(v) for v in value) + "]"
    raise TypeError(
        f"cannot give {value!r} ({type(value).__name__}) to --set: use a number, a boolean, "
        "a string or a list of them"
    )


def set_args(sets: Sets) -> list[str]:
    """``PATH=VALUE`` arguments from a mapping ``{path: value}`` or strings ``"PATH=VALUE"``."""
    if sets is None:
        return []
    if isinstance(sets, Mapping):
        return [f"{path}={set_text(value)}" for path, value in sets.items()]
    if isinstance(sets, str):
        return [sets]
    return [str(s) for s in sets]


class Scenario:
    """A validated scenario. Read with :meth:`from_file`, :meth:`from_toml` or
    :meth:`default`; change with :meth:`with_sets` and :meth:`with_seed` (each returns a
    new, validated scenario, as ``--set`` and ``--seed`` do)."""

    __slots__ = ("_native", "path")

    def __init__(self, native: "_native.Scenario", path: Optional[Path] = None):
        self._native = native
        self.path = path

    @classmethod
    def from_file(cls, path: PathLike) -> "Scenario":
        """Reads, parses and validates a scenario file (raises :class:`pluri.ScenarioError`)."""
        return cls(_native.Scenario.from_file(os.fspath(path)), Path(path))

    @classmethod
    def from_toml(cls, text: str, origin: str = "<text>") -> "Scenario":
        """Parses and validates scenario text; ``origin`` names it in errors."""
        return cls(_native.Scenario.from_toml(text, origin))

    @classmethod
    def default(cls) -> "Scenario":
        """The embedded default scenario (what ``pluri run`` runs without a file)."""
        return cls(_native.Scenario.default())

    def with_sets(self, sets: Sets) -> "Scenario":
        """A copy with overrides by dotted path: ``{"weeks": 52,
        "structures.msp_b.coordinator_fte": 1.0}`` (or ``["PATH=VALUE", ...]``)."""
        return Scenario(self._native.with_sets(set_args(sets)), self.path)

    def with_seed(self, seed: int) -> "Scenario":
        """A copy with another seed."""
        return Scenario(self._native.with_seed(int(seed)), self.path)

    name = property(lambda self: self._native.name, doc="The scenario's name.")
    description = property(lambda self: self._native.description, doc="Its description.")
    seed = property(lambda self: self._native.seed, doc="Its seed.")
    weeks = property(lambda self: self._native.weeks, doc="Weeks simulated.")
    population = property(lambda self: self._native.population, doc="Residents.")
    start_date = property(lambda self: self._native.start_date, doc="First day, if dated.")
    hash = property(lambda self: self._native.hash, doc="The hash results record.")

    def to_toml(self) -> str:
        """The effective scenario as commented TOML (``scenario.toml`` of a run)."""
        return self._native.to_toml()

    def __repr__(self) -> str:
        return repr(self._native)


TABLES = ("weekly", "by_structure_type", "zones", "structures", "interventions", "ties")


class Results:
    """A finished run. Its tables (:attr:`weekly`, :attr:`by_structure_type`,
    :attr:`zones`, :attr:`structures`, :attr:`interventions`, :attr:`ties`) are Arrow
    tables with the CSV files' columns, read without a copy by ``pyarrow.table(t)``,
    ``polars.DataFrame(t)`` or :meth:`to_pandas`."""

    __slots__ = ("_native",)

    def __init__(self, native: "_native.Results"):
        self._native = native

    @property
    def scenario(self) -> Scenario:
        """The scenario simulated, seed and weeks applied."""
        return Scenario(self._native.scenario)

    weekly = property(lambda self: self._native.weekly, doc="weekly.csv: a row a week.")
    by_structure_type = property(
        lambda self: self._native.by_structure_type,
        doc="by_structure_type.csv: a row a week and kind of structure.",
    )
    zones = property(lambda self: self._native.zones, doc="zones.csv: a row per zone.")
    structures = property(
        lambda self: self._native.structures, doc="structures.csv: a row per structure."
    )
    interventions = property(
        lambda self: self._native.interventions,
        doc="interventions.csv: a row per intervention applied.",
    )
    ties = property(lambda self: self._native.ties, doc="ties.csv: a row per final tie.")

    def table(self, name: str):
        """A table by name (``"weekly"`` or ``"weekly.csv"``)."""
        key = name.removesuffix(".csv")
        if key not in TABLES:
            raise KeyError(f"{name!r} is not a table of a run: one of {', '.join(TABLES)}")
        return getattr(self._native, key)

    def to_pandas(self, name: str = "weekly"):
        """A table as a pandas DataFrame (through pyarrow, or polars if only it is installed)."""
        return to_pandas(self.table(name))

    @property
    def headline(self) -> dict[str, float]:
        """Headline indicators (``summary.json``'s ``headline``), in their order."""
        return dict(self._native.headline())

    @property
    def summary(self) -> dict[str, Any]:
        """``summary.json``: the run's identity and headline indicators."""
        return json.loads(self._native.file_text("summary.json"))

    def file_text(self, name: str) -> str:
        """The text of a file of the run directory (``weekly.csv``, ``scenario.toml``...)."""
        return self._native.file_text(name)

    def write(self, dir: PathLike, force: bool = False) -> Path:
        """Writes the result directory as ``pluri run --no-plots`` does (without its
        ``timings.json``), atomically; an existing one is replaced only with ``force``."""
        return Path(self._native.write(os.fspath(dir), force))

    def __repr__(self) -> str:
        s = self._native.scenario
        return f"Results(scenario={s.name!r}, seed={s.seed}, weeks={s.weeks})"


def to_pandas(table):
    """An Arrow table (PyCapsule) as a pandas DataFrame."""
    try:
        import pyarrow  # noqa: PLC0415

        return pyarrow.table(table).to_pandas()
    except ImportError:
        import polars  # noqa: PLC0415

        return polars.DataFrame(table).to_pandas()


def _scenario_of(scenario: Union[Scenario, PathLike, None]) -> Scenario:
    if scenario is None:
        return Scenario.default()
    if isinstance(scenario, Scenario):
        return scenario
    return Scenario.from_file(scenario)


def run(
    scenario: Union[Scenario, PathLike, None] = None,
    *,
    seed: Optional[int] = None,
    weeks: Optional[int] = None,
    sets: Sets = None,
    progress: Any = True,
) -> Results:
    """Simulates a scenario (a :class:`Scenario`, a file, or the default one) as
    ``pluri run [--set ...] [--weeks N] [--seed S]`` does, with the GIL released.
    ``progress``: True for a tqdm bar when tqdm is installed, False, or ``f(done, total)``."""
    s = _scenario_of(scenario)
    if sets:
        s = s.with_sets(sets)
    with progress_for(progress, s.name, "week") as callback:
        native = _native.run(
            s._native,
            seed=None if seed is None else int(seed),
            weeks=None if weeks is None else int(weeks),
            progress=callback,
        )
    return Results(native)


@dataclass(frozen=True)
class SweepResult:
    """A sweep's directory and what it ran. :attr:`runs` is an Arrow table of every
    finished run (``runs.csv``'s columns); ``points.csv`` and the figures are in :attr:`out`."""

    out: Path
    name: str
    runs_total: int
    already: int
    ran: int
    interrupted: bool
    wall_seconds: float
    runs: Any


def sweep(
    path: PathLike,
    out: Optional[PathLike] = None,
    *,
    resume: bool = False,
    force: bool = False,
    shard: Optional[str] = None,
    plots: bool = False,
    progress: Any = True,
) -> SweepResult:
    """Runs a sweep file as ``pluri sweep FILE [--out DIR] [--resume] [--force] [--shard K/N]``
    does (figures only with ``plots``). Ctrl-C keeps every finished run; ``resume=True``
    finishes it."""
    with progress_for(progress, f"sweep {Path(path).stem}", "run") as callback:
        o = _native.sweep(
            os.fspath(path),
            None if out is None else os.fspath(out),
            resume,
            force,
            shard,
            plots,
            callback,
        )
    return SweepResult(
        out=Path(o.out),
        name=o.name,
        runs_total=o.runs_total,
        already=o.already,
        ran=o.ran,
        interrupted=o.interrupted,
        wall_seconds=o.wall_seconds,
        runs=o.runs,
    )


@dataclass(frozen=True)
class Comparison:
    """A comparison's directory (``report.html``, tables, figures) and its tables as Arrow:
    :attr:`differences` (``differences.csv``), :attr:`arm_means` (``arms.csv``) and
    :attr:`weekly` (``weekly.csv``)."""

    out: Path
    arms: list
    differences: Any
    arm_means: Any
    weekly: Any


def compare(
    scenarios: Union[PathLike, Sequence[PathLike]],
    *,
    replicates: int = 10,
    seed: Optional[int] = None,
    sets: Sets = None,
    weeks: Optional[int] = None,
    arms: Optional[Mapping[str, Mapping[str, Any]]] = None,
    without: Sequence[str] = (),
    out: Optional[PathLike] = None,
    level: float = 0.95,
    relative_precision: float = 0.1,
    precision: Optional[Mapping[str, float]] = None,
    question: Optional[str] = None,
    independent_seeds: bool = False,
    force: bool = False,
    plots: bool = False,
    progress: Any = True,
) -> Comparison:
    """Compares policies as ``pluri compare`` does: the first scenario file is the reference
    arm; each further file, each ``arms={"name": {path: value, ...}}`` variant of the first
    and each ``without=["intervention"]`` is an arm; every arm runs the same replicate
    seeds. Writes the comparison directory (figures in the report only with ``plots``)."""
    if isinstance(scenarios, (str, os.PathLike)):
        scenarios = [scenarios]
    variants = [
        f"{name}:" + ",".join(set_args(overrides)) for name, overrides in (arms or {}).items()
    ]
    args = _CompareArgs(
        scenarios=[os.fspath(p) for p in scenarios],
        replicates=int(replicates),
        seed=None if seed is None else int(seed),
        sets=set_args(sets),
        weeks=None if weeks is None else int(weeks),
        arms=variants,
        without=list(without),
        out=None if out is None else os.fspath(out),
        level=float(level),
        relative_precision=float(relative_precision),
        precision=[(k, float(v)) for k, v in (precision or {}).items()],
        question=question,
        independent_seeds=bool(independent_seeds),
        force=bool(force),
        plots=bool(plots),
    )
    with progress_for(progress, "compare", "run") as callback:
        o = _native.compare(args, callback)
    return Comparison(
        out=Path(o.out),
        arms=list(o.arms),
        differences=o.differences,
        arm_means=o.arm_means,
        weekly=o.weekly,
    )


@dataclass
class _CompareArgs:
    scenarios: list
    replicates: int
    seed: Optional[int]
    sets: list
    weeks: Optional[int]
    arms: list
    without: list
    out: Optional[str]
    level: float
    relative_precision: float
    precision: list
    question: Optional[str]
    independent_seeds: bool
    force: bool
    plots: bool


@dataclass(frozen=True)
class Calibration:
    """A calibration's directory (``report.md``, ``accepted.csv``, ``calibrated.toml``) and
    :attr:`scores`, an Arrow table of every parameter set scored."""

    out: Path
    name: str
    ran: int
    interrupted: bool
    accepted: int
    scores: Any


def calibrate(
    path: PathLike,
    out: Optional[PathLike] = None,
    *,
    resume: bool = False,
    force: bool = False,
    shard: Optional[str] = None,
    plots: bool = False,
    progress: Any = True,
) -> Calibration:
    """Runs a calibration file as ``pluri calibrate FILE [--out DIR] ...`` does."""
    with progress_for(progress, f"calibrate {Path(path).stem}", "run") as callback:
        o = _native.calibrate(
            os.fspath(path),
            None if out is None else os.fspath(out),
            resume,
            force,
            shard,
            plots,
            callback,
        )
    return Calibration(
        out=Path(o.out),
        name=o.name,
        ran=o.ran,
        interrupted=o.interrupted,
        accepted=o.accepted,
        scores=o.scores,
    )

"""A run from Python is the command line's run: same files byte for byte, same tables."""

import csv
import io
import os
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import pluri
from conftest import cli

WEEKS = 20
SEED = 11


@pytest.fixture(scope="module")
def results(small):
    return pluri.run(pluri.Scenario.from_file(small), seed=SEED, weeks=WEEKS, progress=False)


def test_a_run_written_from_python_equals_the_command_lines_byte_for_byte(
    results, small, pluri_bin, tmp_path
):
    ours = results.write(tmp_path / "python")
    theirs = tmp_path / "cli"
    cli(pluri_bin, "run", str(small), "--seed", str(SEED), "--weeks", str(WEEKS),
        "--no-plots", "--out", str(theirs))
    written = sorted(p.name for p in ours.iterdir())
    assert written == sorted(_run_files())
    # timings.json varies from run to run; it is the one file Python leaves out.
    assert sorted(p.name for p in theirs.iterdir()) == sorted(written + ["timings.json"])
    for name in written:
        assert (ours / name).read_bytes() == (theirs / name).read_bytes(), name


def _run_files():
    return [
        "scenario.toml", "weekly.csv", "by_structure_type.csv", "ties.csv", "zones.csv",
        "structures.csv", "interventions.csv", "summary.json",
    ]


@pytest.mark.parametrize("name", pluri._api.TABLES)
def test_every_table_has_the_csv_files_columns_and_numbers(results, name):
    text = results.file_text(f"{name}.csv")
    table = pa.table(results.table(name))
    if not text:
        assert table.num_rows == 0
        return
    header = next(csv.reader(io.StringIO(text)))
    assert table.column_names == header
    from_csv = pd.read_csv(io.StringIO(text), keep_default_na=False)
    from_arrow = table.to_pandas()
    assert len(from_arrow) == len(from_csv)
    for col in header:
        a, b = from_arrow[col].tolist(), from_csv[col].tolist()
        if from_csv[col].dtype.kind == "f" or from_arrow[col].dtype.kind == "f":
            assert [float(x) for x in a] == [float(x) for x in b], col
        else:
            assert [str(x) for x in a] == [str(x) for x in b], col


def test_polars_pandas_and_pyarrow_read_the_tables(results):
    weekly = pl.DataFrame(results.weekly)
    assert weekly.height == WEEKS
    assert weekly["week"].to_list() == list(range(WEEKS))
    assert pa.table(results.ties).num_rows == pl.DataFrame(results.ties).height > 0
    frame = results.to_pandas("zones")
    assert isinstance(frame, pd.DataFrame) and len(frame) == 5


def test_the_headline_is_the_summarys(results):
    summary = results.summary
    assert summary["seed"] == SEED and summary["weeks"] == WEEKS
    assert list(results.headline) == list(pluri.HEADLINE)
    assert results.headline == pytest.approx(summary["headline"], rel=0, abs=0)


def test_the_same_seed_gives_the_same_run_and_another_seed_another(small):
    s = pluri.Scenario.from_file(small)
    a = pluri.run(s, seed=1, weeks=8, progress=False)
    b = pluri.run(s.with_seed(1).with_sets({"weeks": 8}), progress=False)
    c = pluri.run(s, seed=2, weeks=8, progress=False)
    assert a.file_text("weekly.csv") == b.file_text("weekly.csv")
    assert a.file_text("weekly.csv") != c.file_text("weekly.csv")


def test_with_sets_changes_what_is_simulated_as_set_does(small, pluri_bin, tmp_path):
    sets = {"structures.msp_b.coordinator_fte": 1.0, "population.elderly_share": 0.3}
    s = pluri.Scenario.from_file(small).with_sets(sets)
    r = pluri.run(s, seed=5, weeks=10, progress=False)
    cli(pluri_bin, "run", str(small), "--seed", "5", "--weeks", "10", "--no-plots",
        "--set", "structures.msp_b.coordinator_fte=1.0", "--set", "population.elderly_share=0.3",
        "--out", str(tmp_path / "cli"))
    for name in ("weekly.csv", "structures.csv", "scenario.toml"):
        assert r.file_text(name) == (tmp_path / "cli" / name).read_text(), name


def test_progress_is_called_with_each_week(small):
    seen = []
    pluri.run(small, seed=1, weeks=6, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(w, 6) for w in range(1, 7)]


def test_an_existing_directory_is_replaced_only_with_force(results, tmp_path):
    out = results.write(tmp_path / "r")
    with pytest.raises(pluri.OutputError):
        results.write(out)
    assert results.write(out, force=True) == out


TINY_DATED = """
name = "tiny"
weeks = 8
start_date = "2012-01-01"
[[zones]]
name = "town"
population = 3000
rurality = "rural"
x_km = 0.0
y_km = 0.0
"""


def test_a_dated_scenarios_tables_have_the_date_column_after_the_week():
    r = pluri.run(pluri.Scenario.from_toml(TINY_DATED, "tiny.toml"), progress=False)
    weekly = pa.table(r.weekly)
    header = r.file_text("weekly.csv").splitlines()[0].split(",")
    assert weekly.column_names == header and header[:2] == ["week", "date"]
    dates = [line.split(",")[1] for line in r.file_text("weekly.csv").splitlines()[1:]]
    assert weekly.column("date").to_pylist() == dates
    # No intervention: an empty file, and a table with the columns of a dated one.
    assert r.file_text("interventions.csv") == ""
    assert pa.table(r.interventions).column_names[:3] == ["week", "date", "name"]


def test_an_exception_of_the_progress_callback_stops_the_run_and_is_raised(small):
    weeks = []

    def progress(done, total):
        weeks.append(done)
        if done == 3:
            raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        pluri.run(small, seed=1, weeks=50, progress=progress)
    assert weeks == [1, 2, 3]


def test_a_progress_bar_leaves_the_run_as_it_is(small):
    quiet = pluri.run(small, seed=2, weeks=6, progress=False)
    shown = pluri.run(small, seed=2, weeks=6, progress=True)
    assert quiet.file_text("weekly.csv") == shown.file_text("weekly.csv")
    assert pluri.WEEKLY_COLUMNS[0] == "week" and "date" not in pluri.WEEKLY_COLUMNS
    assert pluri.to_pandas(shown.weekly)["week"].tolist() == list(range(6))

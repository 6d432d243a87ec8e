"""Sweeps, comparisons and calibrations from Python equal the command line's."""

import pyarrow as pa
import pytest

import pluri
from conftest import cli


def _sweep_file(tmp_path, small):
    path = tmp_path / "tiny.toml"
    path.write_text(
        f'name = "tiny"\nbase = "{small}"\nseed = 5\nreplicates = 2\n'
        'set = ["weeks=10", "warmup_weeks=4"]\n[design]\nkind = "grid"\n'
        '[[param]]\npath = "structures.msp_a.coordinator_fte"\nvalues = [0.0, 1.0]\n'
    )
    return path


def test_a_sweep_from_python_writes_the_command_lines_tables(tmp_path, small, pluri_bin):
    path = _sweep_file(tmp_path, small)
    done = []
    result = pluri.sweep(path, tmp_path / "py", progress=lambda d, t: done.append((d, t)))
    assert (result.ran, result.interrupted, result.runs_total) == (4, False, 4)
    assert done and done[-1] == (4, 4)
    cli(pluri_bin, "sweep", str(path), "--no-plots", "--out", str(tmp_path / "cli"))
    for name in ("runs.csv", "points.csv"):
        assert (result.out / name).read_bytes() == (tmp_path / "cli" / name).read_bytes()
    runs = pa.table(result.runs)
    header = (result.out / "runs.csv").read_text().splitlines()[0].split(",")
    assert runs.column_names == header
    assert runs.num_rows == 4
    again = pluri.sweep(path, tmp_path / "py", resume=True, progress=False)
    assert (again.ran, again.already) == (0, 4)


def test_a_comparison_from_python_writes_the_command_lines_tables(tmp_path, small, pluri_bin):
    c = pluri.compare(
        small,
        arms={"coordinated": {"structures.msp_b.coordinator_fte": 1.0}},
        replicates=3,
        weeks=10,
        seed=3,
        out=tmp_path / "py",
        progress=False,
    )
    assert c.arms == ["small", "coordinated"]
    cli(pluri_bin, "compare", str(small), "--arm",
        "coordinated:structures.msp_b.coordinator_fte=1.0", "--replicates", "3",
        "--weeks", "10", "--seed", "3", "--no-plots", "--out", str(tmp_path / "cli"))
    for name in ("differences.csv", "arms.csv", "weekly.csv", "runs.csv"):
        assert (c.out / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
    differences = pa.table(c.differences)
    header = (c.out / "differences.csv").read_text().splitlines()[0].split(",")
    assert differences.column_names == header
    assert set(differences.column("arm").to_pylist()) == {"coordinated"}


def test_a_bad_arm_raises_a_scenario_error(tmp_path, small):
    with pytest.raises(pluri.ScenarioError, match="no field"):
        pluri.compare(small, arms={"x": {"nowhere.at_all": 1}}, replicates=2, weeks=4,
                      out=tmp_path / "c", progress=False)
    with pytest.raises(pluri.ScenarioError, match='no intervention named "no-such"'):
        pluri.compare(small, without=["no-such"], replicates=2, weeks=4,
                      out=tmp_path / "c", progress=False)
    with pytest.raises(pluri.CompareError, match="one arm only"):
        pluri.compare(small, replicates=2, weeks=4, out=tmp_path / "c", progress=False)


def test_a_bad_sweep_file_raises_with_its_line(tmp_path, small):
    path = tmp_path / "bad.toml"
    path.write_text(f'name = "bad"\nbase = "{small}"\nreplicates = 0\n')
    with pytest.raises(pluri.SweepError) as e:
        pluri.sweep(path, tmp_path / "out", progress=False)
    assert (e.value.file, e.value.line) == (str(path), 1)
    assert str(e.value).startswith(f"{path}: TOML parse error at line 1")
    assert "missing field `design`" in str(e.value)


def test_a_sweep_stopped_from_python_keeps_its_finished_runs_and_resumes(tmp_path, small):
    path = _sweep_file(tmp_path, small)

    def stop(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pluri.sweep(path, tmp_path / "s", progress=stop)
    finished = list((tmp_path / "s" / "runs").glob("*.json"))
    assert 1 <= len(finished) <= 4
    assert not (tmp_path / "s" / "runs.csv").exists() or len(finished) == 4
    again = pluri.sweep(path, tmp_path / "s", resume=True, progress=False)
    assert (again.already + again.ran, again.interrupted) == (4, False)
    whole = pluri.sweep(path, tmp_path / "whole", progress=False)
    assert (again.out / "runs.csv").read_bytes() == (whole.out / "runs.csv").read_bytes()


HEAD = "indicator,date,value,low,high,kind,unit,publisher,document,published,note\n"
DATES = [("2000-07-01", 25), ("2001-01-01", 51), ("2001-07-01", 77), ("2001-12-20", 102)]
SETS = {"structural.msp_incentive": 10, "workforce.gps_per_100k": 600}


def _calibration_file(tmp_path, small):
    """A calibration of small.toml against GPs in MSPs simulated with a known joining rate."""
    truth = pluri.Scenario.from_file(small).with_sets(
        {**SETS, "structural.msp_join_rate_per_year": 0.02}
    )
    weekly = pa.table(pluri.run(truth, seed=777, progress=False).weekly)
    gps = weekly.column("gps_in_msp").to_pylist()
    observed = tmp_path / "truth.csv"
    observed.write_text(HEAD + "".join(
        f"gps_in_msp,{d},{gps[row]},,,observed,GPs,pluri,synthetic,2026,simulated\n"
        for d, row in DATES
    ))
    path = tmp_path / "cal.toml"
    path.write_text(
        f'name = "synthetic"\nscenario = "{small}"\nstart_date = "2000-01-01"\nseed = 5\n'
        f'samples = 6\nreplicates = 1\n'
        f'set = ["structural.msp_incentive=10", "workforce.gps_per_100k=600"]\n'
        f'observed = ["{observed}"]\nobservation_sd = 0.1\ndiscrepancy_sd = 0.05\n'
        '[[param]]\npath = "structural.msp_join_rate_per_year"\nrange = [0.0, 0.1]\n'
        '[[indicator]]\nobserved = "gps_in_msp"\nsimulated = "gps_in_msp"\n'
    )
    return path


def test_a_calibration_from_python_scores_as_the_command_line_does(tmp_path, small, pluri_bin):
    path = _calibration_file(tmp_path, small)
    cal = pluri.calibrate(path, tmp_path / "py", progress=False)
    assert (cal.ran, cal.interrupted) == (6, False)
    scores = pa.table(cal.scores)
    assert scores.num_rows == 6
    assert scores.column_names[:2] == ["point", "structural.msp_join_rate_per_year"]
    assert cal.accepted == sum(scores.column("accepted").to_pylist())
    cli(pluri_bin, "calibrate", str(path), "--no-plots", "--out", str(tmp_path / "cli"))
    for name in ("scores.csv", "accepted.csv", "calibrated.toml"):
        assert (cal.out / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name

"""Errors are Python exceptions carrying the command line's message, file, line and field."""

import pytest

import pluri
from conftest import cli

BAD = 'name = "bad"\nweeks = 10\n[[zones]]\nname = "town"\npopulation = -3\n'
INVALID = (
    'name = "invalid"\nweeks = 10\n[[zones]]\nname = "town"\npopulation = 3000\n'
    'rurality = "rural"\nx_km = 0.0\ny_km = 0.0\n\n[[structures]]\nname = "msp_x"\n'
    'kind = "msp"\nzone = "nowhere"\ngps = 2\n'
)


def test_a_malformed_scenario_raises_with_its_file_and_line(tmp_path, pluri_bin):
    path = tmp_path / "bad.toml"
    path.write_text(BAD)
    with pytest.raises(pluri.ScenarioError) as e:
        pluri.Scenario.from_file(path)
    assert e.value.file == str(path)
    assert e.value.line == 5
    assert str(path) in str(e.value) and "line 5" in str(e.value)
    out = cli(pluri_bin, "run", str(path), "--out", str(tmp_path / "x"), check=False)
    assert out.returncode != 0
    assert out.stderr.strip() == f"error: {e.value}"


def test_an_impossible_value_raises_with_its_file_line_and_field(tmp_path, pluri_bin):
    path = tmp_path / "invalid.toml"
    path.write_text(INVALID)
    with pytest.raises(pluri.ScenarioError) as e:
        pluri.Scenario.from_file(path)
    assert (e.value.file, e.value.line, e.value.field) == (
        str(path), 13, "structures.msp_x.zone"
    )
    assert str(e.value).startswith(f'{path}:13: `structures.msp_x.zone`: no zone named "nowhere"')
    out = cli(pluri_bin, "check", str(path), check=False)
    assert out.returncode != 0
    assert out.stderr.strip() == f"error: {e.value}"


def test_with_sets_of_an_unknown_path_raises_naming_it(small, pluri_bin, tmp_path):
    s = pluri.Scenario.from_file(small)
    with pytest.raises(pluri.ScenarioError) as e:
        s.with_sets({"nonexistent.field": 3})
    assert e.value.field == "nonexistent.field"
    assert "has no field `nonexistent`" in str(e.value)
    out = cli(pluri_bin, "run", str(small), "--set", "nonexistent.field=3", "--out",
              str(tmp_path / "x"), check=False)
    assert out.stderr.strip() == f"error: {e.value}"


def test_text_names_its_origin_and_a_missing_file_is_a_scenario_error(tmp_path):
    with pytest.raises(pluri.ScenarioError) as e:
        pluri.Scenario.from_toml(BAD, "inline.toml")
    assert e.value.file == "inline.toml" and e.value.line == 5
    with pytest.raises(pluri.ScenarioError, match="cannot read"):
        pluri.Scenario.from_file(tmp_path / "missing.toml")
    assert issubclass(pluri.ScenarioError, pluri.PluriError)


def test_a_value_python_cannot_give_to_set_is_refused(small):
    with pytest.raises(TypeError, match="cannot give"):
        pluri.Scenario.from_file(small).with_sets({"weeks": object()})

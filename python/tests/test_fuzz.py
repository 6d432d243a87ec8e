"""The Python entry points under malformed input: 500 scenario texts mutated from the small
scenario, and 500 sets of overrides of random paths and values. Whatever the input, pluri
either gives a scenario (that runs) or raises a `pluri.PluriError` with a message; never
another exception, and never a Rust panic (pyo3 raises those as `PanicException`, which is not an
`Exception` and so fails the test)."""

import random

import pytest

import pluri

# Values that test the parsers' and validators' edges.
EDGES = [
    "0", "-1", "1e308", "-1e308", "nan", "inf", "4294967296", "18446744073709551616",
    "0.5", "\"\"", "\"x\"", "true", "[]", "{}", "\"\\u0000\"", "1.0e-320", "\"é\"",
]

# Values an override might well be given.
PLAUSIBLE = ["1", "2", "10", "52", "0.5", "0.1", "0.9"]

# Override paths: real ones, near misses and junk.
PATHS = [
    "weeks", "seed", "warmup_weeks", "start_date", "population.elderly_share",
    "workforce.gps_per_100k", "workforce.gp_list_max", "workforce.colleague_cover",
    "structures.msp_a.gps", "structures.msp_a.coordinator_fte", "structures.dac.capacity_per_week",
    "zones.bourg.population", "coordination.meeting_share", "platform.max_queue_weeks",
    "structures.nowhere.gps", "workforce", "workforce.", ".weeks", "a.b.c.d", "",
]


def mutate(rng: random.Random, text: str) -> str:
    """One to three random edits of `text`: a line dropped, doubled or swapped, a number or a
    value replaced by an edge value, bytes inserted."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        kind = rng.randrange(5)
        if kind == 0:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[i])
        elif kind == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == 3 and "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            lines[i] = f"{key}= {rng.choice(EDGES)}"
        else:
            at = rng.randrange(len(lines[i]) + 1)
            junk = rng.choice(["[", "]", "\"", "=", "#", "\t", "[[zones]]", "\u00ff", "0x"])
            lines[i] = lines[i][:at] + junk + lines[i][at:]
        if not lines:
            lines = [""]
    return "\n".join(lines)


def check_runs(scenario: pluri.Scenario) -> None:
    """A scenario accepted runs a few weeks, or refuses with a pluri error."""
    try:
        pluri.run(scenario.with_sets({"weeks": 3, "warmup_weeks": 0}), progress=False)
    except pluri.PluriError as e:
        assert str(e), "an error without a message"


def test_mutated_scenario_texts_give_a_scenario_or_a_pluri_error(small):
    text = small.read_text()
    rng = random.Random(20261208)
    accepted = refused = 0
    for case in range(500):
        mutated = mutate(rng, text)
        try:
            scenario = pluri.Scenario.from_toml(mutated, f"case-{case}.toml")
        except pluri.ScenarioError as e:
            refused += 1
            assert f"case-{case}.toml" in str(e), str(e)
            continue
        accepted += 1
        check_runs(scenario)
    # Both sides of the parser are reached.
    assert accepted > 5 and refused > 20, (accepted, refused)


def test_overrides_of_random_paths_and_values_give_a_scenario_or_a_pluri_error(small):
    base = pluri.Scenario.from_file(small)
    rng = random.Random(8122026)
    accepted = refused = 0
    values = EDGES + PLAUSIBLE * 3
    for _ in range(500):
        sets = [f"{rng.choice(PATHS)}={rng.choice(values)}" for _ in range(rng.randint(1, 2))]
        try:
            scenario = base.with_sets(sets)
        except pluri.ScenarioError as e:
            refused += 1
            assert str(e)
            continue
        accepted += 1
        check_runs(scenario)
    assert accepted > 5 and refused > 20, (accepted, refused)


@pytest.mark.parametrize("junk", ["", "\x00", "[[zones]]\n", "weeks = -1\n", "é" * 10000])
def test_degenerate_texts_raise_a_scenario_error(junk):
    with pytest.raises(pluri.ScenarioError):
        pluri.Scenario.from_toml(junk)

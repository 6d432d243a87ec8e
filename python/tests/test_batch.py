"""The batch function SALib, sbi and AutoEmulate call: rows in, rows out, seeded."""

import numpy as np
import pytest

import pluri
from pluri.batch import simulate, simulator

PARAMS = ["structures.msp_a.coordinator_fte", "gp_traits.delegation_propensity_mean"]
INDICATORS = ["delegated_share", "unmet_need_share", "meetings_per_year"]


def test_the_batch_function_returns_a_row_per_parameter_set(small):
    thetas = np.array([[0.0, 0.25], [1.0, 0.4], [2.0, 0.55]])
    y = simulate(thetas, seeds=3, scenario=small, parameters=PARAMS,
                 indicators=INDICATORS, weeks=12)
    assert y.shape == (3, 3) and y.dtype == np.float64
    assert np.all(np.isfinite(y))
    everything = simulate(thetas[:1], seeds=3, scenario=small, parameters=PARAMS, weeks=12)
    assert everything.shape == (1, len(pluri.HEADLINE))


def test_the_batch_function_is_deterministic_per_seed_and_equals_single_runs(small):
    thetas = np.array([[0.5, 0.3], [1.5, 0.5]])
    kw = dict(scenario=small, parameters=PARAMS, indicators=INDICATORS, weeks=12)
    a = simulate(thetas, seeds=[4, 9], **kw)
    b = simulate(thetas, seeds=[4, 9], **kw)
    c = simulate(thetas, seeds=[5, 9], **kw)
    assert np.array_equal(a, b)
    assert not np.array_equal(a[0], c[0]) and np.array_equal(a[1], c[1])
    s = pluri.Scenario.from_file(small).with_sets(dict(zip(PARAMS, [0.5, 0.3])))
    one = pluri.run(s, seed=4, weeks=12, progress=False).headline
    assert a[0].tolist() == [one[i] for i in INDICATORS]


def test_the_one_argument_simulator_is_what_salib_calls(small):
    f = simulator(scenario=small, parameters=PARAMS, indicators=INDICATORS[:1], weeks=8)
    x = np.array([[0.5, 0.3], [1.0, 0.4]])
    assert f(x).shape == (2, 1)
    assert np.array_equal(f(x), f(x, 0))


def test_wrong_shapes_unknown_indicators_and_bad_values_are_refused(small):
    with pytest.raises(ValueError, match="expected"):
        simulate(np.zeros((2, 3)), scenario=small, parameters=PARAMS)
    with pytest.raises(ValueError, match="one per set"):
        simulate(np.zeros((2, 2)), seeds=[1, 2, 3], scenario=small, parameters=PARAMS)
    with pytest.raises(KeyError, match="nonsense"):
        simulate(np.zeros((1, 2)), scenario=small, parameters=PARAMS, indicators=["nonsense"])
    with pytest.raises(pluri.ScenarioError, match="no field"):
        simulate(np.zeros((1, 1)), scenario=small, parameters=["nowhere.at_all"])

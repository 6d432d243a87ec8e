"""The EMA Workbench adapter, on the real ema-workbench from PyPI."""

import ema_workbench
import numpy as np
import pytest

import pluri
from pluri.ema import identifier, model

OUTCOMES = ["unmet_need_share", "delegated_share"]


@pytest.fixture(scope="module")
def study(small):
    m = model(
        small,
        weeks=12,
        replications=2,
        uncertainties={"gp_traits.delegation_propensity_mean": (0.25, 0.55)},
        levers={"structures.msp_a.coordinator_fte": (0.0, 2.0)},
        outcomes=OUTCOMES,
        series=["waiting"],
    )
    experiments, outcomes = ema_workbench.perform_experiments(m, scenarios=10, policies=1)
    return m, experiments, outcomes


def test_the_ema_workbench_adapter_runs_a_ten_experiment_study(study):
    m, experiments, outcomes = study
    assert len(experiments) == 10
    assert ema_workbench.__version__.split(".")[0] in {"2", "3"}
    for name in OUTCOMES:
        assert outcomes[name].shape == (10, 2)
        assert np.all(np.isfinite(outcomes[name]))
    assert outcomes["waiting"].shape == (10, 2, 12)
    # The uncertainty varies, so its outcomes do.
    assert len(set(outcomes["delegated_share"][:, 0].round(12))) > 1


def test_an_experiment_of_the_study_is_the_pluri_run_with_its_sets_and_seed(study, small):
    m, experiments, outcomes = study
    row = experiments.iloc[3]
    delegation = row[identifier("gp_traits.delegation_propensity_mean")]
    fte = row[identifier("structures.msp_a.coordinator_fte")]
    s = pluri.Scenario.from_file(small).with_sets(
        {"gp_traits.delegation_propensity_mean": float(delegation),
         "structures.msp_a.coordinator_fte": float(fte)}
    )
    replicate = 1
    r = pluri.run(s, seed=s.seed + replicate, weeks=12, progress=False)
    assert outcomes["unmet_need_share"][3, replicate] == r.headline["unmet_need_share"]


def test_unknown_outcomes_are_refused_before_any_run(small):
    with pytest.raises(KeyError, match="nonsense"):
        model(small, outcomes=["nonsense"])
    with pytest.raises(KeyError, match="nonsense"):
        model(small, series=["nonsense"])

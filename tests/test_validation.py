"""Validation against published facts: the whole suite (slow) and its measurements."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from simulator.analysis.validation import (
    EXPERIMENTS,
    FACT_BY_ID,
    FACTS,
    REPO_EXPERIMENTS,
    _share_at_least,
    _status_share,
    _unemployment_durations,
)
from simulator.model.employees import State
from simulator.scenario import load_scenario

BIN = Path(sys.executable).parent


def test_every_fact_has_an_experiment_and_a_justified_tolerance() -> None:
    measured = {e.name for e in EXPERIMENTS}
    assert len(FACTS) >= 8 and len(FACT_BY_ID) == len(FACTS)
    for f in FACTS:
        assert f.experiment in measured
        assert f.source and f.why and f.measured
        lo, hi = f.accepted
        assert lo <= f.low <= f.high <= hi
    for e in EXPERIMENTS:
        for name in e.scenarios:
            load_scenario(REPO_EXPERIMENTS / f"{name}.yaml")  # valid scenario files


def _fake_model(history: np.ndarray, displaced_month: np.ndarray) -> SimpleNamespace:
    wf = SimpleNamespace(history=history, displaced_month=displaced_month)
    return SimpleNamespace(workforce=wf, horizon=history.shape[0])


def test_status_share_counts_each_worker_while_observed() -> None:
    u, r = State.unemployed, State.reemployed
    # worker 0 displaced at month 0 finds work at month 2; worker 1 displaced at month 1
    history = np.array([[u, 0], [u, u], [r, u], [r, u]], dtype=np.int8)
    model = _fake_model(history, np.array([0, 1]))
    who = np.array([0, 1])
    assert _status_share(model, who, range(2, 3)) == pytest.approx(1 / 2)  # w0 at 2, w1 at 3
    assert _status_share(model, who, range(3, 4)) == pytest.approx(1.0)  # only w0 observed


def test_unemployment_durations_pool_the_stock_of_every_month() -> None:
    u, r = State.unemployed, State.reemployed
    history = np.array([[u], [u], [u], [r]], dtype=np.int8)  # one spell of three months
    durations = _unemployment_durations(_fake_model(history, np.array([0])), np.array([0]))
    assert durations.tolist() == [0.5, 1.5, 2.5]
    assert _share_at_least(durations, 1.0) == pytest.approx(2 / 3)


@pytest.mark.slow
def test_validate_model_reproduces_every_published_fact(tmp_path: Path) -> None:
    out = tmp_path / "validation"
    res = subprocess.run(
        [str(BIN / "outsim"), "validate-model", "--replications", "4", "--out", str(out), "-q"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    table = pd.read_csv(out / "validation.csv")
    failed = table.loc[~table["pass"], ["fact", "model_mean", "accepted_low", "accepted_high"]]
    assert res.returncode == 0, f"{res.stderr}\n{failed.to_string()}"
    assert table["pass"].all() and len(table) == len(FACTS)
    html = (out / "validation.html").read_text(encoding="utf-8")
    for f in FACTS:
        assert f'data-fact="{f.id}"' in html

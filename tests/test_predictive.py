"""Posterior predictive checks (issue 26): each validation fact's interval with the calibrated
constants drawn from a posterior, and where the fact's accepted band lies against it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.analysis.calibrate import Posterior
from simulator.analysis.replications import child_seeds
from simulator.analysis.validation import (
    EXPERIMENTS,
    FACT_BY_ID,
    FACTS,
    package_experiments,
    run_experiments,
)
from simulator.analysis.validation.predictive import position, predictive_row, run_predictive
from simulator.scenario.schema import LocalEconomy

from .reliability_helpers import outsim

DISPLACED = tuple(e for e in EXPERIMENTS if e.name == "displaced_workers")
JOB_FINDING = "local_economy.displaced_job_finding"


def point(value: float) -> Posterior:
    """A posterior with all its weight on one value of the job-finding rate."""
    draws = pd.DataFrame({JOB_FINDING: [value], "weight": [1.0]})
    return Posterior(draws, pd.DataFrame(), 0, 0.0)


def test_the_band_is_placed_against_the_interval() -> None:
    fact = FACT_BY_ID["dws_reemployed"]  # published 0.65-0.70, widened by its tolerance
    low, high = fact.accepted
    assert position(fact, low - 0.2, low - 0.1) == "above"
    assert position(fact, high + 0.1, high + 0.2) == "below"
    assert position(fact, low - 0.1, low + 0.001) == "inside"  # they overlap
    assert position(fact, float("nan"), 0.5) == "none"
    assert position(FACT_BY_ID["cfi_gap_closes"], 0.1, 0.2) == "none"  # a direction


def test_a_row_is_the_5th_median_and_95th_percentile_of_the_finite_draws() -> None:
    values = [*np.linspace(0.0, 1.0, 101), float("nan")]
    row = predictive_row(FACT_BY_ID["dws_reemployed"], values)
    assert row["predictive_low"] == pytest.approx(0.05)
    assert row["predictive_median"] == pytest.approx(0.5)
    assert row["predictive_high"] == pytest.approx(0.95)
    assert row["predictive_draws"] == 101
    assert predictive_row(FACT_BY_ID["dws_reemployed"], [0.5])["band_position"] == "none"


def test_a_draw_runs_the_suites_replication_with_the_constants_put_in() -> None:
    """Draw k runs on the seed of the suite's replication k with the draw's constants in every
    scenario: at the default value it reproduces the suite to the last bit; a higher
    job-finding rate re-employs more."""
    folder = package_experiments()
    seeds = child_seeds(7, 3)
    at_default = [
        run_experiments(s, folder, lambda: None, DISPLACED)["dws_reemployed"] for s in seeds
    ]
    default = LocalEconomy().displaced_job_finding
    table = run_predictive(point(default), 3, 7, experiments=DISPLACED).set_index("fact")
    assert table.loc["dws_reemployed", "predictive_median"] == np.median(at_default)
    assert table.loc["dws_reemployed", "predictive_draws"] == 3
    measured = {f.id for f in FACTS if f.experiment == "displaced_workers"}
    assert set(table.index) == measured and "dws_slack_market_reemployed" not in measured
    fast = run_predictive(point(0.32), 3, 7, experiments=DISPLACED).set_index("fact")
    slow = run_predictive(point(0.12), 3, 7, experiments=DISPLACED).set_index("fact")
    assert (
        fast.loc["dws_reemployed", "predictive_low"] > slow.loc["dws_reemployed", "predictive_high"]
    )
    assert slow.loc["dws_reemployed", "band_position"] == "above"


def test_the_cli_refuses_a_posterior_file_alone_or_one_that_is_not_a_posterior(tmp_path) -> None:
    bad = tmp_path / "posterior.csv"
    bad.write_text("a,b\n1,2\n")
    out = tmp_path / "validation"
    alone = outsim("validate-model", "--posterior-file", bad, "--out", out, cwd=tmp_path)
    assert alone.code == 2 and "give --posterior as well" in alone.err
    wrong = outsim(
        "validate-model", "--posterior", "--posterior-file", bad, "--out", out, cwd=tmp_path
    )
    assert wrong.code == 2 and "--posterior-file" in wrong.err
    assert "weight" in wrong.err and "Traceback" not in wrong.err
    assert not out.exists()


def test_the_report_documents_and_terminal_show_the_predictive_interval(tmp_path) -> None:
    """A validation table with its predictive columns: validation.csv keeps them, the page
    and docs/VALIDATION.md's results table give the interval and where the band lies, and the
    terminal table has the column; without them nothing changes."""
    import io

    from rich.console import Console

    from simulator.analysis.validation import fact_row
    from simulator.cli.checks import validation_table
    from simulator.outputs.validation.docs import results_table
    from simulator.outputs.validation.report import render_validation, save_validation

    facts = [FACT_BY_ID["dws_reemployed"], FACT_BY_ID["cfi_gap_closes"]]
    plain = pd.DataFrame([fact_row(f, [0.6, 0.61, 0.62]) for f in facts])
    rows = [predictive_row(f, [0.5, 0.55, 0.6]) for f in facts]
    table = plain.merge(pd.DataFrame(rows), on="fact")
    html = render_validation(table, 3, 1, "test")
    assert "Posterior 90%" in html and 'id="predictive"' in html
    assert "50.5% – 59.5% (band above)" in html
    assert 'data-position="none"' in html  # the direction fact: no band to place
    assert "Posterior 90%" not in render_validation(plain, 3, 1, "test")
    doc = results_table(table, 3, 1, 40)
    assert "| posterior 90% (band) |" in doc and "50.5% – 59.5% (above)" in doc
    assert "accepted band overlaps the 90% posterior predictive interval of 0 of 1" in doc
    save_validation(table, tmp_path / "v", 3, 1, "test")
    back = pd.read_csv(tmp_path / "v" / "validation.csv")
    assert list(back["band_position"]) == ["above", "none"]  # read back as written
    console = Console(file=io.StringIO(), width=200)
    console.print(validation_table(table))
    assert "posterior 90%" in console.file.getvalue()

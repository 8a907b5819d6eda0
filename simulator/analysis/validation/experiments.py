"""The validation experiments: scenarios run together and the measurement of their facts.

Each :class:`Experiment` names scenarios in the validation folder (shipped with the package:
``simulator/scenarios/validation/``), run with common random numbers — replication *k* of
every scenario uses the same seed, so variants differ only by their settings and the same
worker is the same person in each — and a function turning the finished models into one
value per fact and replication. Everything is measured from what happened in the runs
(states, quits, breaches), the way the source measured it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from simulator.analysis.displacement import earnings_vs_counterfactual, lost_or_left, share_in_state
from simulator.analysis.kpis import in_house_turnover, vendor_turnover
from simulator.analysis.validation.regional import measure_regional_shock, measure_regional_wave
from simulator.model.employees import PART_TIME_HOURS, State
from simulator.model.model import OutsourcingModel

WEEKS_PER_MONTH = 52.0 / 12.0
SURVEY_WINDOW = range(1, 37)  # months since displacement a DWS January survey covers
SETTLE = 6  # months after go-live or start before turnover is measured

Models = Mapping[str, list[OutsourcingModel]]  # scenario -> its runs in this replication


@dataclass(frozen=True)
class Experiment:
    """Scenarios run together (same seeds) and the measurement of their facts."""

    name: str
    scenarios: tuple[str, ...]  # files in the validation folder
    # the finished runs of each scenario and region -> one value per fact
    measure: Callable[[Any], dict[str, float]]
    description: str = ""
    runs: int = 1  # runs of each scenario per replication (for rare events)
    facts: tuple[str, ...] = field(default=())
    regions: tuple[str, ...] = ()  # region files in the validation folder (``RegionModel``)

    @property
    def files(self) -> tuple[str, ...]:
        """Every scenario and region file the experiment runs (without ``.yaml``)."""
        return self.scenarios + self.regions


def series(model: OutsourcingModel) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)


# -- displaced workers -------------------------------------------------------------------------
def _age_at_displacement(model: OutsourcingModel, who: np.ndarray) -> np.ndarray:
    wf = model.workforce
    return wf.age[who] - (model.horizon - wf.displaced_month[who]) / 12.0


def _survey_share(model: OutsourcingModel, who: np.ndarray, *states: State) -> float:
    start = model.workforce.displaced_month[who]
    return sum(share_in_state(model, who, start, SURVEY_WINDOW, s) or 0.0 for s in states)


def _earnings_path(model: OutsourcingModel, who: np.ndarray, months: range) -> float:
    """Earnings over the counterfactual path ``months`` after displacement, in the labour
    force (the studies follow workers attached to the state's labour market)."""
    start = model.workforce.displaced_month[who]
    ratio = earnings_vs_counterfactual(model, who, start, months, labour_force_only=True)
    return float("nan") if ratio is None else ratio


def _unemployment_durations(model: OutsourcingModel, who: np.ndarray) -> np.ndarray:
    """Ongoing spell lengths [months] of the unemployed job losers among ``who``, pooled over
    every month: the stock a monthly labour-force survey would find if such layoffs kept
    coming. A spell begun from outside the labour force is a re-entrant's, which the survey
    counts apart from job losers', so it is left out."""
    hist = model.workforce.history[:, who]
    spell = np.zeros(len(who))
    reentrant = np.zeros(len(who), dtype=bool)
    before = np.full(len(who), -1)
    pooled = []
    for month in range(hist.shape[0]):
        unemployed = hist[month] == State.unemployed
        starts = unemployed & (spell == 0)
        reentrant = np.where(starts, before == State.left_labour_force, reentrant & unemployed)
        spell = np.where(unemployed, spell + 1, 0)
        loser = unemployed & ~reentrant
        pooled.append(spell[loser] - 0.5)  # mid-month: a spell begun this month is ~2 weeks
        before = hist[month]
    return np.concatenate(pooled) if pooled else np.zeros(0)


def _share_at_least(durations: np.ndarray, months: float) -> float:
    return float((durations >= months).mean()) if len(durations) else float("nan")


def _tenured(model: OutsourcingModel) -> np.ndarray:
    """The survey's population: workers who lost or left a job of 3+ years' tenure."""
    who = lost_or_left(model)
    return who[model.workforce.tenure[who] >= 3.0]


def _full_time_pay(model: OutsourcingModel, who: np.ndarray) -> np.ndarray:
    """First new job's full-time pay over the old, of those of ``who`` re-employed full time."""
    wf = model.workforce
    return wf.first_pay_ratio[who[(wf.first_job_month[who] >= 0) & ~wf.part_time[who]]]


def measure_displaced(models: Models) -> dict[str, float]:
    (model,) = models["displaced_workers"]
    who = lost_or_left(model)
    tenured = _tenured(model)
    age = _age_at_displacement(model, who)
    prime = who[(age >= 25) & (age < 55)]
    pay = _full_time_pay(model, who)
    durations = _unemployment_durations(model, who)
    return {
        "dws_reemployed": _survey_share(model, tenured, State.reemployed),
        "dws_unemployed": _survey_share(model, tenured, State.unemployed, State.retraining),
        "dws_not_in_labour_force": _survey_share(model, tenured, State.left_labour_force),
        "dws_new_job_pays_less": float((pay < 1.0).mean()),
        "dws_new_job_loses_20": float((pay < 0.8).mean()),
        "dws_new_job_gains_20": float((pay >= 1.2).mean()),
        "new_job_mean_ratio": float(pay.mean()),
        "earnings_first_year": _earnings_path(model, prime, range(0, 12)),
        "earnings_five_years": _earnings_path(model, prime, range(48, 60)),
        "cps_unemployed_15_weeks": _share_at_least(durations, 15 / WEEKS_PER_MONTH),
        "cps_unemployed_27_weeks": _share_at_least(durations, 27 / WEEKS_PER_MONTH),
    }


def _tenured_aged(model: OutsourcingModel, low: float, high: float) -> np.ndarray:
    """Displaced workers with 3+ years of tenure, aged [low, high) at displacement."""
    who = _tenured(model)
    age = _age_at_displacement(model, who)
    return who[(age >= low) & (age < high)]


def measure_by_age(models: Models) -> dict[str, float]:
    """The DWS age groups: prime age from the main layoff, older groups from the same layoff
    of an older workforce (many more workers aged 55+)."""
    (main,), (older,) = models["displaced_workers"], models["older_workers"]
    prime = _tenured_aged(main, 25, 55)
    late, oldest = _tenured_aged(older, 55, 65), _tenured_aged(older, 65, 200)
    reemployed = State.reemployed
    return {
        "dws_age_gradient": _survey_share(main, prime, reemployed)
        - _survey_share(older, late, reemployed),
        "dws_older_not_in_labour_force": _survey_share(older, late, State.left_labour_force),
        "dws_oldest_reemployed": _survey_share(older, oldest, reemployed),
        "dws_oldest_not_in_labour_force": _survey_share(older, oldest, State.left_labour_force),
    }


MARKETS = {"recession": "recession_market", "moderate": "moderate_market", "slack": "slack_market"}


def _lost_earnings(model: OutsourcingModel, months: range) -> float:
    """Share of counterfactual earnings lost ``months`` after displacement by displaced workers
    with 3+ years of tenure aged under 50 (Davis & von Wachter's sample), the jobless and those
    out of the labour force at zero, as in administrative earnings records."""
    who = _tenured_aged(model, 0, 50)
    ratio = earnings_vs_counterfactual(model, who, model.workforce.displaced_month[who], months)
    return float("nan") if ratio is None else 1.0 - ratio


def market_status(model: OutsourcingModel, label: str) -> dict[str, float]:
    """The survey's re-employed and unemployed shares of one market's layoff."""
    tenured = _tenured(model)
    return {
        f"dws_{label}_market_reemployed": _survey_share(model, tenured, State.reemployed),
        f"dws_{label}_market_unemployed": _survey_share(
            model, tenured, State.unemployed, State.retraining
        ),
    }


def measure_markets(models: Models) -> dict[str, float]:
    """The same layoff in the labour markets of the survey years (their own unemployment and
    job openings): status when surveyed, the pay of new jobs, and lost earnings against the
    same layoff in normal times."""
    out: dict[str, float] = {}
    for label, name in MARKETS.items():
        (model,) = models[name]
        out.update(market_status(model, label))
    (recovery,) = models["recovery_market"]
    out["dws_recovery_market_reemployed"] = _survey_share(
        recovery, _tenured(recovery), State.reemployed
    )
    (before,) = models["prerecession_market"]
    pay = _full_time_pay(before, lost_or_left(before))
    out["dws_prerecession_new_job_pays_less"] = float((pay < 1.0).mean())
    out["dws_prerecession_new_job_loses_20"] = float((pay < 0.8).mean())
    (recession,) = models["recession_market"]
    wf = recession.workforce
    tenured = _tenured(recession)
    found = tenured[wf.first_job_month[tenured] >= 0]
    # weekly earnings of the new job over the old: full-time pay times part-time hours
    weekly = wf.first_pay_ratio[found] * np.where(wf.part_time[found], PART_TIME_HOURS, 1.0)
    out["dws_recession_new_job_pays_less"] = float((weekly < 1.0).mean())
    (normal,), (slack,) = models["displaced_workers"], models["slack_market"]
    five_years = range(0, 60)
    out["recession_earnings_loss_ratio"] = _lost_earnings(slack, five_years) / _lost_earnings(
        normal, five_years
    )
    return out


DISCOUNT = 0.05  # Davis & von Wachter's discount rate [per year]


def loss_present_value(model: OutsourcingModel, who: np.ndarray, years: int = 20) -> float:
    """Present value at 5% of the earnings lost in the ``years`` years after displacement, in
    years of earnings [years]: each simulated year's loss against the comparison path, and
    the last simulated year's loss held for the years beyond the run (an assumption: the
    studies find losses still there 15-20 years on)."""
    start = model.workforce.displaced_month[who]
    losses = []
    for year in range(1, years + 1):
        ratio = earnings_vs_counterfactual(model, who, start, range(12 * (year - 1), 12 * year))
        if ratio is None:
            break
        losses.append(1.0 - ratio)
    if not losses:
        return float("nan")
    losses += [losses[-1]] * (years - len(losses))
    return float(sum(loss / (1.0 + DISCOUNT) ** k for k, loss in enumerate(losses)))


def measure_long_run(models: Models) -> dict[str, float]:
    """Ten years after the normal-times layoff: the present value of lost earnings of
    Davis & von Wachter's sample (3+ years of tenure, under 50 at displacement)."""
    (model,) = models["long_run"]
    return {"earnings_loss_present_value": loss_present_value(model, _tenured_aged(model, 0, 50))}


def _never_jobless(model: OutsourcingModel) -> float:
    wf = model.workforce
    who = lost_or_left(model)
    jobless = np.isin(wf.history[:, who], (State.unemployed, State.retraining)).any(axis=0)
    return float((~jobless).mean())


def measure_notice(models: Models) -> dict[str, float]:
    (with_notice,), (without,) = models["notice"], models["displaced_workers"]
    return {"notice_direct_moves": 100.0 * (_never_jobless(with_notice) - _never_jobless(without))}


def measure_training(models: Models) -> dict[str, float]:
    """Effect of training on participants' re-employment, against the same workers (same
    seed, same people) when no programme exists, by time since the programme ended."""
    (trained,), (untrained,) = models["retraining_effects"], models["displaced_workers"]
    wf = trained.workforce
    who = np.flatnonzero(wf.training_started >= 0)
    end = wf.training_started[who] + trained.scenario.policies.local_jobs.retraining.duration_months

    def effect(months: range) -> float:
        with_ = share_in_state(trained, who, end, months)
        without = share_in_state(untrained, who, end, months)
        if with_ is None or without is None:
            return float("nan")
        return 100.0 * (with_ - without)

    return {
        "training_short_run": effect(range(0, 12)),
        "training_two_to_three_years": effect(range(24, 37)),
    }


def measure_multiplier(models: Models) -> dict[str, float]:
    (model,) = models["local_multiplier"]
    last = series(model).iloc[-12:]
    lost, moved = last["local_jobs_lost"].sum(), last["tradable_jobs_lost"].sum()
    return {"local_multiplier": float(lost / moved) if moved else float("nan")}


# -- customers and vendors ---------------------------------------------------------------------
def _after_transfer(model: OutsourcingModel, settle: int) -> pd.DataFrame:
    ts = series(model)
    start = int(np.argmax(ts["outsourced_share"].to_numpy() > 0)) + settle
    return ts.iloc[start:]


def measure_service_gap(models: Models) -> dict[str, float]:
    def gaps(model: OutsourcingModel) -> tuple[float, float]:
        ts = _after_transfer(model, settle=SETTLE)
        csat = float((ts["csat_in_house"] - ts["csat_vendor"]).mean())
        fcr = float(100.0 * (ts["fcr_in_house"] - ts["fcr_vendor"]).mean())
        return csat, fcr

    (weak,), (strong,) = models["weak_vendor"], models["strong_vendor"]
    weak_csat, weak_fcr = gaps(weak)
    strong_csat, _ = gaps(strong)
    return {
        "cfi_csat_gap": weak_csat,
        "cfi_fcr_gap": weak_fcr,
        "cfi_gap_closes": strong_csat / weak_csat if weak_csat > 0 else float("nan"),
    }


def measure_attrition(models: Models) -> dict[str, float]:
    def settled(name: str) -> pd.DataFrame:
        (model,) = models[name]
        ts = series(model)
        return ts[ts["month"] >= SETTLE]

    low = vendor_turnover(settled("vendor_pay_low")) or float("nan")
    high = vendor_turnover(settled("vendor_pay_high")) or float("nan")
    in_house = in_house_turnover(settled("in_house_turnover")) or float("nan")
    return {
        "vendor_turnover": low,
        "vendor_quit_pay_elasticity": float(np.log(high / low) / np.log(1.2)),
        "in_house_below_vendor_turnover": low - in_house,
    }


def _breaches(model: OutsourcingModel, holder: str, start: int, months: int = 24) -> int:
    """Breaches at ``holder`` in the ``months`` months from ``start``."""
    return sum(1 for t, h in model.breach_log if h == holder and start <= t < start + months)


def _vendor_breaches(model: OutsourcingModel, months: int = 24) -> int:
    """Breaches at the vendor in its first ``months`` months holding records."""
    (vendor,) = [v.name for v in model.scenario.vendors]
    start = int(np.argmax(series(model)["outsourced_share"].to_numpy() > 0))
    return _breaches(model, vendor, start, months)


def measure_breach(models: Models) -> dict[str, float]:
    # Ponemon's figure: the company itself, holding its ~60,000 customers' full records at
    # average security from month 0 (the reference holding), over its first 24 months
    own = [_breaches(m, "in_house", 0) for m in models["breach_full_records"]]
    full = [_vendor_breaches(m) for m in models["breach_full_records"]]
    minimised = [_vendor_breaches(m) for m in models["breach_minimised"]]
    return {
        "ponemon_breach_24_months": float(np.mean([b > 0 for b in own])),
        "breach_minimisation_ratio": sum(minimised) / sum(full) if sum(full) else float("nan"),
    }


EXPERIMENTS: tuple[Experiment, ...] = (
    Experiment(
        "displaced_workers",
        ("displaced_workers",),
        measure_displaced,
        "All customer service moves out at month 3: 2,000 agents displaced in normal times "
        "(4% unemployment), no notice, followed for five years.",
    ),
    Experiment(
        "displaced_by_age",
        ("displaced_workers", "older_workers"),
        measure_by_age,
        "The same layoff, and the same layoff of an older workforce (mean age 58), for the "
        "survey's age groups.",
    ),
    Experiment(
        "labour_markets",
        (
            *("displaced_workers", "prerecession_market", "recession_market"),
            *("slack_market", "moderate_market", "recovery_market"),
        ),
        measure_markets,
        "The same layoff in the labour markets in which the surveys' cohorts lost their jobs: "
        "2005-07 (unemployment 4.8%, openings 3.0% of the labour force), 2007-09 (6.6%, "
        "2.4%), 2009-11 (9.3%, 1.9%), 2011-13 (8.1%, 2.4%) and 2013-15 (6.3%, 3.1%), from BLS "
        "JOLTS and CPS, against normal times (4%, 4.5%).",
    ),
    Experiment(
        "long_run",
        ("long_run",),
        measure_long_run,
        "The normal-times layoff followed for ten years after displacement.",
    ),
    Experiment(
        "notice",
        ("displaced_workers", "notice"),
        measure_notice,
        "The same layoff with three months' written notice (same seeds: the same workers).",
    ),
    Experiment(
        "retraining_effects",
        ("displaced_workers", "retraining_effects"),
        measure_training,
        "The same layoff with and without a retraining programme open to every worker who "
        "wants it (same seeds: the same workers).",
    ),
    Experiment(
        "local_multiplier",
        ("local_multiplier",),
        measure_multiplier,
        "The same layoff in a mid-size region (labour force 150,000).",
    ),
    Experiment(
        "service_gap",
        ("weak_vendor", "strong_vendor"),
        measure_service_gap,
        "Half the contacts go offshore to a vendor hiring at low proficiency with no cultural "
        "training, or at strong proficiency with training and joint sessions.",
    ),
    Experiment(
        "vendor_attrition",
        ("vendor_pay_low", "vendor_pay_high", "in_house_turnover"),
        measure_attrition,
        "A large offshore vendor runs all contacts at the local standard wage, or 20% above "
        "it; an in-house centre with no plan for comparison.",
    ),
    Experiment(
        "breach",
        ("breach_full_records", "breach_minimised"),
        measure_breach,
        "A company of 60,000 customers at average security holds their full records; its "
        "vendor at average security holds full records, or 40% of the fields; 25 runs per "
        "replication, since breaches are rare.",
        runs=25,
    ),
    Experiment(
        "regional_wave",
        (),
        measure_regional_wave,
        "Twelve contact-centre firms (about 2,900 agents) in a region of 250,000 workers move "
        "all customer service offshore, their starts spread over five years; the same region "
        "without the wave on the same seeds; ten years.",
        regions=("regional_wave", "regional_no_wave"),
    ),
    Experiment(
        "regional_shock",
        (),
        measure_regional_shock,
        "The same twelve firms all move customer service offshore at once (months 6-18); the "
        "same region without the shock on the same seeds; eleven years.",
        regions=("regional_shock", "regional_shock_calm"),
    ),
)

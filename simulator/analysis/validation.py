"""Validation: the default calibration against published facts, one experiment per setting.

Each :class:`Fact` is a published figure with its source, the range accepted around it (the
published range widened by a stated tolerance, with the reason) and the experiment that
measures it the way it was measured in the world. Each :class:`Experiment` is a set of small
scenarios in ``experiments/validation/`` run with common random numbers (replication *k* of
every scenario uses the same seed, so variants differ only by their settings) and a
function that turns the finished models into one value per fact and replication.

A fact passes when the model's mean over replications lies in the accepted range. The 95%
interval of the mean is reported alongside so a reader can judge how settled the value is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.analysis.replications import child_seeds
from simulator.analysis.statistics import mean_interval
from simulator.model.employees import State
from simulator.model.model import OutsourcingModel
from simulator.scenario import load_scenario

WEEKS_PER_MONTH = 52.0 / 12.0
REPO_EXPERIMENTS = Path(__file__).resolve().parents[2] / "experiments" / "validation"

Models = Mapping[str, OutsourcingModel]
Probes = Mapping[str, np.ndarray]


@dataclass(frozen=True)
class Fact:
    """A published fact and how close the model must come to it."""

    id: str
    claim: str
    source: str
    published: str  # the published value or range, as text
    low: float  # published range [unit]
    high: float
    tolerance: float  # added on both sides [unit]
    why: str  # why this tolerance
    unit: str
    experiment: str
    measured: str  # how the experiment mirrors the measurement

    @property
    def accepted(self) -> tuple[float, float]:
        return self.low - self.tolerance, self.high + self.tolerance


@dataclass(frozen=True)
class Experiment:
    """Scenarios run together (same seeds) and the measurement of their facts."""

    name: str
    scenarios: tuple[str, ...]  # files in experiments/validation/
    measure: Callable[[Models, Probes], dict[str, float]]
    probe: Callable[[OutsourcingModel], float] | None = None  # recorded every month
    description: str = ""
    facts: tuple[str, ...] = field(default=())


# -- measurements on displaced workers -----------------------------------------------------
def _share_in_state(
    model: OutsourcingModel,
    who: np.ndarray,
    start: np.ndarray,
    months: range,
    state: State = State.reemployed,
) -> float:
    """Share of workers ``who`` in ``state`` ``months`` after their own month ``start``
    (averaged over the months, each worker counted while still observed)."""
    hist = model.workforce.history
    hits, seen = 0, 0
    for k in months:
        t = start + k
        ok = t < model.horizon
        hits += int((hist[t[ok], who[ok]] == state).sum())
        seen += int(ok.sum())
    return hits / seen if seen else float("nan")


def _status_share(
    model: OutsourcingModel, who: np.ndarray, months: range, state: State = State.reemployed
) -> float:
    """Share of workers ``who`` in ``state`` ``months`` after their displacement."""
    return _share_in_state(model, who, model.workforce.displaced_month[who], months, state)


def _displaced(model: OutsourcingModel) -> np.ndarray:
    wf = model.workforce
    return np.flatnonzero(wf.displaced & (wf.displaced_month >= 0))


def _age_at_displacement(model: OutsourcingModel, who: np.ndarray) -> np.ndarray:
    wf = model.workforce
    return wf.age[who] - (model.horizon - wf.displaced_month[who]) / 12.0


def _tenure_at_displacement(model: OutsourcingModel, who: np.ndarray) -> np.ndarray:
    wf = model.workforce
    return wf.tenure[who] + wf.displaced_month[who] / 12.0


def _unemployment_durations(model: OutsourcingModel, who: np.ndarray) -> np.ndarray:
    """Ongoing spell lengths [months] of the unemployed among ``who``, pooled over every
    month: the stock a monthly labour-force survey would find if such layoffs kept coming."""
    hist = model.workforce.history[:, who]
    spell = np.zeros(len(who))
    pooled = []
    for month in range(hist.shape[0]):
        unemployed = hist[month] == State.unemployed
        spell = np.where(unemployed, spell + 1, 0)
        pooled.append(spell[unemployed] - 0.5)  # mid-month: a spell begun this month is ~2 weeks
    return np.concatenate(pooled) if pooled else np.zeros(0)


def _share_at_least(durations: np.ndarray, months: float) -> float:
    return float((durations >= months).mean()) if len(durations) else float("nan")


def measure_displaced(models: Models, probes: Probes) -> dict[str, float]:
    model = models["displaced_workers"]
    wf = model.workforce
    who = _displaced(model)
    tenured = who[_tenure_at_displacement(model, who) >= 3.0]
    age = _age_at_displacement(model, who)
    prime = who[(age >= 25) & (age < 55)]
    older = who[(age >= 55) & (age < 65)]
    found = who[wf.first_job_month[who] >= 0]
    ratio = wf.new_wage[found] / wf.wage[found]
    durations = _unemployment_durations(model, who)
    return {
        "dws_reemployed_2_3_years": _status_share(model, tenured, range(24, 37)),
        "dws_age_gradient": _status_share(model, prime, range(24, 37))
        - _status_share(model, older, range(24, 37)),
        "dws_new_job_pays_less": float((ratio < 1.0).mean()),
        "dws_new_job_loses_20": float((ratio < 0.8).mean()),
        "cps_unemployed_15_weeks": _share_at_least(durations, 15 / WEEKS_PER_MONTH),
        "cps_unemployed_27_weeks": _share_at_least(durations, 27 / WEEKS_PER_MONTH),
    }


def measure_training(models: Models, probes: Probes) -> dict[str, float]:
    """Effect of training on participants' re-employment, against the same workers (same
    seed, same people) when no programme exists, by time since the programme ended."""
    trained, untrained = models["retraining_effects"], models["displaced_workers"]
    wf = trained.workforce
    who = np.flatnonzero(wf.training_started >= 0)
    end = wf.training_started[who] + trained.scenario.policies.local_jobs.retraining.duration_months

    def effect(months: range) -> float:
        with_ = _share_in_state(trained, who, end, months)
        without = _share_in_state(untrained, who, end, months)
        return 100.0 * (with_ - without)

    return {
        "training_short_run": effect(range(0, 12)),
        "training_two_to_three_years": effect(range(24, 37)),
    }


def measure_multiplier(models: Models, probes: Probes) -> dict[str, float]:
    model = models["local_multiplier"]
    lost = probes["local_multiplier"]
    displaced = len(_displaced(model))
    return {"local_multiplier": float(lost.max() / displaced) if displaced else float("nan")}


def _local_jobs_lost(model: OutsourcingModel) -> float:
    return float(model.economy.jobs_lost)


# -- customers and vendors -----------------------------------------------------------------
def _series(model: OutsourcingModel) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)


def _after_transfer(model: OutsourcingModel, settle: int) -> pd.DataFrame:
    ts = _series(model)
    start = int(np.argmax(ts["outsourced_share"].to_numpy() > 0)) + settle
    return ts.iloc[start:]


def measure_service_gap(models: Models, probes: Probes) -> dict[str, float]:
    def gaps(model: OutsourcingModel) -> tuple[float, float]:
        ts = _after_transfer(model, settle=6)
        csat = float((ts["csat_in_house"] - ts["csat_vendor"]).mean())
        fcr = float(100.0 * (ts["fcr_in_house"] - ts["fcr_vendor"]).mean())
        return csat, fcr

    weak_csat, weak_fcr = gaps(models["weak_vendor"])
    strong_csat, _ = gaps(models["strong_vendor"])
    return {
        "cfi_csat_gap": weak_csat,
        "cfi_fcr_gap": weak_fcr,
        "cfi_gap_closes": strong_csat / weak_csat if weak_csat > 0 else float("nan"),
    }


def _vendor_quit_hazard(model: OutsourcingModel) -> float:
    """Mean monthly quit probability of the first vendor's staff this month."""
    vendor = model.vendors[0]
    h = vendor.attrition_hazard()
    return float(h.sum() / vendor.active.sum()) if vendor.active.any() else float("nan")


def measure_attrition(models: Models, probes: Probes) -> dict[str, float]:
    def settled(name: str) -> float:
        h = probes[name]
        start = int(np.argmax(np.isfinite(h))) + 6
        return float(np.nanmean(h[start:]))

    low, high = settled("vendor_pay_low"), settled("vendor_pay_high")
    return {
        # turnover as centres report it: a year's quits over average headcount
        "vendor_attrition_range": 12.0 * low,
        "vendor_quit_pay_elasticity": float(np.log(high / low) / np.log(1.2)),
    }


def _vendor_breach_probability(model: OutsourcingModel) -> float:
    holders = [h for h in model.privacy.holders if h.third_party]
    return float(model.privacy.breach_probability(holders[0])) if holders else 0.0


def measure_breach(models: Models, probes: Probes) -> dict[str, float]:
    def two_years(name: str) -> float:
        p = probes[name]
        start = int(np.argmax(p > 0))
        window = p[start : start + 24]
        return float(1.0 - np.prod(1.0 - window))

    full, minimised = two_years("breach_full_records"), two_years("breach_minimised")
    return {
        "ponemon_breach_24_months": full,
        "breach_minimisation_ratio": minimised / full if full > 0 else float("nan"),
    }


EXPERIMENTS: tuple[Experiment, ...] = (
    Experiment(
        "displaced_workers",
        ("displaced_workers",),
        measure_displaced,
        description="All customer service moves out at month 3: 2,000 agents displaced in "
        "normal times, followed for four years.",
    ),
    Experiment(
        "retraining_effects",
        ("displaced_workers", "retraining_effects"),
        measure_training,
        description="The same layoff with and without a retraining programme open to every "
        "worker who wants it (same seeds: the same workers).",
    ),
    Experiment(
        "local_multiplier",
        ("local_multiplier",),
        measure_multiplier,
        probe=_local_jobs_lost,
        description="The same layoff in a mid-size region (labour force 150,000).",
    ),
    Experiment(
        "service_gap",
        ("weak_vendor", "strong_vendor"),
        measure_service_gap,
        description="Half the contacts go offshore to a vendor hiring at low proficiency "
        "with no cultural training, or at strong proficiency with training and joint sessions.",
    ),
    Experiment(
        "vendor_attrition",
        ("vendor_pay_low", "vendor_pay_high"),
        measure_attrition,
        probe=_vendor_quit_hazard,
        description="An offshore vendor runs all contacts at the local standard wage, or 20% "
        "above it.",
    ),
    Experiment(
        "breach",
        ("breach_full_records", "breach_minimised"),
        measure_breach,
        probe=_vendor_breach_probability,
        description="A vendor at average security holds full records, or 40% of the fields.",
    ),
)

FACTS: tuple[Fact, ...] = (
    Fact(
        "dws_reemployed_2_3_years",
        "Long-tenured displaced workers re-employed 2-3 years after job loss",
        "BLS Displaced Worker Survey, January 2020-2024 releases",
        "about 65-70%",
        0.65,
        0.70,
        0.06,
        "Survey rates vary by release (cohort and business cycle) by a few points and the "
        "survey's time since loss spans 1-3 years; the model measures 24-36 months.",
        "share",
        "displaced_workers",
        "Workers with 3+ years of tenure at displacement; share re-employed, averaged over "
        "months 24-36 after displacement.",
    ),
    Fact(
        "dws_age_gradient",
        "Older displaced workers are re-employed far less often than prime-age workers",
        "BLS Displaced Worker Survey 2024 (re-employment by age)",
        "55-64 well below 25-54 (≥ 10 points)",
        0.10,
        0.35,
        0.0,
        "A one-sided fact (‘well below’): the gap must be at least 10 points and not absurd.",
        "share",
        "displaced_workers",
        "Re-employment share at 24-36 months, age 25-54 minus age 55-64 at displacement.",
    ),
    Fact(
        "dws_new_job_pays_less",
        "Re-employed displaced workers earning less than in the lost job",
        "BLS Displaced Worker Survey (2001-03 cohort)",
        "57%",
        0.57,
        0.57,
        0.07,
        "A single cohort's survey share; cohorts differ by several points with the cycle.",
        "share",
        "displaced_workers",
        "Share of re-employed workers whose first new job pays less than the old one.",
    ),
    Fact(
        "dws_new_job_loses_20",
        "Re-employed displaced workers losing 20% or more of earnings",
        "BLS Displaced Worker Survey (2001-03 cohort)",
        "about a third",
        0.30,
        0.36,
        0.05,
        "‘About a third’ read as 30-36%; cohort variation of a few points.",
        "share",
        "displaced_workers",
        "Share of re-employed workers whose first new job pays under 80% of the old one.",
    ),
    Fact(
        "cps_unemployed_15_weeks",
        "Unemployed permanent job losers jobless 15 weeks or more",
        "BLS Current Population Survey 2024, table 29",
        "44.9%",
        0.449,
        0.449,
        0.08,
        "CPS measures the national stock of all permanent job losers; the model pools one "
        "mass layoff's unemployed over every month (the stock of a steady flow of such "
        "layoffs). Occupation and local-market mix differ.",
        "share",
        "displaced_workers",
        "Among displaced workers unemployed in any month (not in training), share whose "
        "ongoing spell is 15+ weeks; pooled over all months.",
    ),
    Fact(
        "cps_unemployed_27_weeks",
        "Unemployed permanent job losers jobless 27 weeks or more",
        "BLS Current Population Survey 2024, table 29",
        "25.2%",
        0.252,
        0.252,
        0.07,
        "As for 15+ weeks.",
        "share",
        "displaced_workers",
        "As for 15+ weeks, with spells of 27+ weeks.",
    ),
    Fact(
        "training_short_run",
        "Training effects on participants' employment are about zero or negative in the "
        "short run (lock-in)",
        "Card, Kluve & Weber (JEEA 2018) meta-analysis",
        "≈ 0 in the year after the programme (often slightly negative)",
        -5.0,
        2.0,
        0.0,
        "‘Close to zero’ read as -5 to +2 points, the spread of short-run estimates for "
        "training programmes in the meta-analysis.",
        "percentage points",
        "retraining_effects",
        "Participants' re-employment in the 12 months after their programme ends, with the "
        "programme minus the same workers (same seed) without one.",
    ),
    Fact(
        "training_two_to_three_years",
        "Training raises participants' employment 2-3 years on",
        "Card & Sullivan (NBER w2173); Card, Kluve & Weber (2018)",
        "+2 to +5 points",
        2.0,
        5.0,
        1.5,
        "Card, Kluve & Weber find somewhat larger effects 2-3 years after completion for "
        "human-capital programmes than Card & Sullivan's range.",
        "percentage points",
        "retraining_effects",
        "Participants' re-employment 24-36 months after their programme ends, with minus without.",
    ),
    Fact(
        "local_multiplier",
        "Local jobs lost per tradable job lost",
        "Moretti (AER P&P 2010); van Dijk (2014); Bartik & Sotherland (Upjohn WP 19-301)",
        "≈ 1.0 for less-skilled jobs (1.6 manufacturing; total multiplier near 1.5)",
        0.5,
        1.6,
        0.0,
        "The published range already spans re-analyses (0.5 additional jobs) to the "
        "manufacturing estimate.",
        "jobs per job",
        "local_multiplier",
        "Peak local jobs lost through lost spending per customer-service job moved out.",
    ),
    Fact(
        "cfi_csat_gap",
        "Customers served offshore at low proficiency are markedly less satisfied",
        "CFI Group Contact Center Satisfaction Index (2009-2010)",
        "58 vs 79: a gap of 21 points",
        21.0,
        21.0,
        8.0,
        "One industry index averaged over many centres of mixed quality; the model's vendor "
        "is one configuration, so a band of 8 points.",
        "0-100 points",
        "service_gap",
        "In-house minus vendor CSAT, months 6+ after the transfer, low-proficiency vendor.",
    ),
    Fact(
        "cfi_fcr_gap",
        "…and see fewer problems resolved at first contact",
        "CFI Group Contact Center Satisfaction Index (2009-2010)",
        "42% vs 68%: a gap of 26 points",
        26.0,
        26.0,
        10.0,
        "As for CSAT; FCR definitions also differ between centres.",
        "percentage points",
        "service_gap",
        "In-house minus vendor first-contact resolution, months 6+ after the transfer.",
    ),
    Fact(
        "cfi_gap_closes",
        "With strong proficiency, training and communication the gap mostly closes",
        "CFI Group; Walsh et al. (2012); Wang et al. (2013)",
        "most of the gap closes (remaining gap ≤ 40% of the weak vendor's)",
        0.0,
        0.4,
        0.0,
        "A qualitative fact, read as at least 60% of the gap closing.",
        "ratio",
        "service_gap",
        "CSAT gap of the strong vendor over the CSAT gap of the weak vendor.",
    ),
    Fact(
        "vendor_attrition_range",
        "Vendor agent attrition",
        "Holman, Batt & Holtgrewe (2007); Batt et al. (2005)",
        "25-50% a year",
        0.25,
        0.50,
        0.0,
        "The published range already spans sectors and countries.",
        "share/year",
        "vendor_attrition",
        "Annual turnover (12 × the mean monthly quit probability of the vendor's staff, i.e. "
        "a year's quits over average headcount) at standard pay, from month 6.",
    ),
    Fact(
        "vendor_quit_pay_elasticity",
        "Attrition falls as relative pay rises",
        "Webber (2015); Manning (2003): labour-supply elasticity to the firm 0.7-1.1",
        "quit elasticity to relative pay ≈ -0.4 to -0.55",
        -0.55,
        -0.40,
        0.15,
        "Converting a separation elasticity into a quit elasticity is approximate.",
        "elasticity",
        "vendor_attrition",
        "ln(quit hazard at 1.2× pay / at 1.0× pay) / ln 1.2, the vendor staff's mean monthly "
        "quit probability from month 6 of the contract.",
    ),
    Fact(
        "ponemon_breach_24_months",
        "Chance of a material breach over two years for a holder of full records at "
        "average security",
        "Ponemon Cost of Data Breach (2016)",
        "≈ 26% (10,000+ records within 24 months)",
        0.26,
        0.26,
        0.06,
        "A self-reported survey across several hundred firms in one year.",
        "probability",
        "breach",
        "1 - product of (1 - monthly breach probability) of the vendor over its first 24 "
        "months holding records.",
    ),
    Fact(
        "breach_minimisation_ratio",
        "Data minimisation cuts breach risk in proportion to exposure",
        "CALIBRATION: exposure-proportional risk (Ponemon; Verizon DBIR)",
        "ratio ≈ fields shared (0.4)",
        0.4,
        0.4,
        0.1,
        "Proportionality is a design statement, not a measured elasticity.",
        "ratio",
        "breach",
        "Two-year breach chance with 40% of fields shared over that with full records.",
    ),
)

FACT_BY_ID = {f.id: f for f in FACTS}


def _run(
    scenario_path: Path, seed: np.random.SeedSequence, probe: Callable | None
) -> tuple[OutsourcingModel, np.ndarray]:
    model = OutsourcingModel(load_scenario(scenario_path), seed)
    values = []
    while model.running and model.month < model.horizon:
        model.step()
        if probe is not None:
            values.append(probe(model))
    return model, np.asarray(values, dtype=float)


def run_validation(
    replications: int = 10,
    seed: int = 20261129,
    folder: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Run every experiment and return one row per fact with the model's value and verdict."""
    folder = Path(folder) if folder is not None else REPO_EXPERIMENTS
    missing = [s for e in EXPERIMENTS for s in e.scenarios if not (folder / f"{s}.yaml").exists()]
    if missing:
        raise FileNotFoundError(
            f"{folder}: missing validation scenarios {', '.join(sorted(set(missing)))}"
        )
    seeds = child_seeds(seed, replications)
    values: dict[str, list[float]] = {f.id: [] for f in FACTS}
    total = replications * len(EXPERIMENTS)
    done = 0
    for s in seeds:
        for exp in EXPERIMENTS:
            models, probes = {}, {}
            for name in exp.scenarios:
                models[name], probes[name] = _run(folder / f"{name}.yaml", s, exp.probe)
            for fact_id, value in exp.measure(models, probes).items():
                values[fact_id].append(value)
            done += 1
            if progress:
                progress(done, total)
    rows = []
    for f in FACTS:
        v = np.asarray(values[f.id], dtype=float)
        v = v[np.isfinite(v)]
        mean, low, high = mean_interval(v) if len(v) else (np.nan, np.nan, np.nan)
        lo, hi = f.accepted
        rows.append(
            {
                "fact": f.id,
                "claim": f.claim,
                "source": f.source,
                "published": f.published,
                "unit": f.unit,
                "model_mean": mean,
                "model_ci95_low": low,
                "model_ci95_high": high,
                "accepted_low": lo,
                "accepted_high": hi,
                "tolerance": f.tolerance,
                "tolerance_reason": f.why,
                "pass": bool(np.isfinite(mean) and lo <= mean <= hi),
                "experiment": f.experiment,
                "measured": f.measured,
                "replications": len(v),
            }
        )
    return pd.DataFrame(rows)

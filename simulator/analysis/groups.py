"""Who bears the plan: displacement, re-employment and earnings by group of workers.

HR reads a plan by the people in it. Every in-house worker at the start belongs to an age
band and a tenure band (and, with a roster, a site); for each group this gives how many
were displaced, how many of those were back in work 12 and 24 months later, their
earnings against the path they would have had (``earnings_vs_counterfactual``), and their
months without work. Bands are those at the start of the plan (month 0).

One replication gives counts (:func:`group_counts`: people, people observed, dollars,
months) and, from them, rates (:func:`group_outcomes`). Over replications
(:func:`over_replications`) every rate is pooled — the people of all replications together,
sum of numerators over sum of denominators — with a 95% interval:

- for a share of people (displaced share, re-employed at 12 and 24 months) the wider of
  two: the Wilson interval of the pooled counts (``statistics.wilson_interval``: each
  person an independent trial; it stays inside 0-1 and does not shrink to a point when
  nobody, or everybody, in a small group is back at work) and the cluster bootstrap below;
- for every rate, a percentile bootstrap that resamples whole replications
  (``statistics.ratio_interval``, seeded): replications are independent, but the people
  in one replication are not — they share its labour market, its vendors and its layoff
  order — so the replication, not the person, is the unit resampled. It needs at least
  ``statistics.MIN_CLUSTERS`` replications; with fewer, an earnings ratio or months jobless
  has no interval (NaN) and a share only its Wilson interval;
- staff at the start and displaced are means per replication, displaced with its t-interval
  over replications (``statistics.mean_interval``, cut at zero).

A group is *too few to say* (:data:`TOO_FEW`) when it holds fewer than that many people per
replication on average: fewer than :data:`TOO_FEW` staff at the start for its displaced
share, fewer than :data:`TOO_FEW` displaced for what happened to them afterwards. Its row
stays in the table, marked (``too_few_staff``, ``too_few_displaced``), and the report shows
"too few" in place of those numbers.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from simulator.analysis.displacement import count_in_state, displaced, earnings_and_counterfactual
from simulator.analysis.statistics import mean_interval, ratio_interval, wilson_interval
from simulator.model.model import OutsourcingModel

AGE_BANDS = (
    (0, 25, "under 25"),
    (25, 35, "25-34"),
    (35, 45, "35-44"),
    (45, 55, "45-54"),
    (55, 65, "55-64"),
    (65, 200, "65 and over"),
)
TENURE_BANDS = (
    (0, 1, "under 1 year"),
    (1, 3, "1-3 years"),
    (3, 10, "3-10 years"),
    (10, 100, "10 years and over"),
)
# months since displacement at which outcomes are read
MONTH_12, MONTH_24 = range(12, 13), range(24, 25)
# Too few to say [people per replication, on average]. Below ten, one person moves a share
# by more than ten percentage points: what happens to the group in the company is then a
# handful of personal stories, and the model's mean for it — however many replications pin
# it down — says little about those few people. (The external review's example: the
# 180-agent company's youngest and oldest bands, about five displaced per replication.)
TOO_FEW = 10.0

KEYS = ("grouping", "group")
# one replication's counts: people [count], observed people [count], earnings [USD],
# months without work [months], summed over the group's workers
COUNTS = (
    *KEYS,
    "staff_at_start",
    "displaced",
    "reemployed_12m_count",
    "observed_12m",
    "reemployed_24m_count",
    "observed_24m",
    "earned_12m",
    "counterfactual_12m",
    "earned_24m",
    "counterfactual_24m",
    "jobless_months_total",
)


class Rate(NamedTuple):
    """A group's measure as a ratio of two of its counts; ``share``: a share of people (at
    most one per person), which also gets a Wilson interval over replications."""

    numerator: str
    denominator: str
    share: bool


RATES: dict[str, Rate] = {
    "displaced_share": Rate("displaced", "staff_at_start", True),  # [share of staff]
    "reemployed_12m": Rate("reemployed_12m_count", "observed_12m", True),  # [share]
    "reemployed_24m": Rate("reemployed_24m_count", "observed_24m", True),  # [share]
    "earnings_ratio_12m": Rate("earned_12m", "counterfactual_12m", False),  # [ratio]
    "earnings_ratio_24m": Rate("earned_24m", "counterfactual_24m", False),  # [ratio]
    "months_jobless_mean": Rate("jobless_months_total", "displaced", False),  # [months]
}
# one replication's table (:func:`group_outcomes`)
COLUMNS = (*KEYS, "staff_at_start", "displaced", *RATES)
# the table over replications (:func:`over_replications`)
POOLED_COLUMNS = (
    *KEYS,
    "replications",
    "staff_at_start",
    "displaced",
    "displaced_ci95_low",
    "displaced_ci95_high",
    "displaced_pooled",
    *(f"{name}{suffix}" for name in RATES for suffix in ("", "_ci95_low", "_ci95_high")),
    "too_few_staff",
    "too_few_displaced",
)


def _band(values: np.ndarray, bands: tuple[tuple[float, float, str], ...]) -> np.ndarray:
    out = np.full(len(values), "", dtype=object)
    for low, high, name in bands:
        out[(values >= low) & (values < high)] = name
    return out


def group_counts(model: OutsourcingModel) -> pd.DataFrame:
    """One row per group (age band, tenure band, site) of one finished run, with the counts
    its measures are made of (:data:`COUNTS`): staff at the start and displaced [people];
    re-employed and observed 12 and 24 months after displacement [people]; their earnings
    and counterfactual earnings those months [USD]; months without work [months, total]."""
    wf = model.workforce
    who = displaced(model)
    start = wf.displaced_month[who]
    age_then = wf.age[who] - model.horizon / 12.0  # ages advance a month each month
    labels = {
        "age band": (
            _band(wf.start_age, AGE_BANDS),
            _band(age_then, AGE_BANDS),
            [b[2] for b in AGE_BANDS],
        ),
        "tenure band": (
            _band(wf.start_tenure, TENURE_BANDS),
            _band(wf.start_tenure[who], TENURE_BANDS),
            [b[2] for b in TENURE_BANDS],
        ),
    }
    if (wf.site != "").any():
        sites = sorted(set(wf.site) - {""})
        labels["site"] = (wf.site, wf.site[who], sites)
    rows = []
    for grouping, (at_start, of_displaced, order) in labels.items():
        for group in order:
            mine = of_displaced == group
            w, s = who[mine], start[mine]
            back_12, seen_12 = count_in_state(model, w, s, MONTH_12)
            back_24, seen_24 = count_in_state(model, w, s, MONTH_24)
            earned_12, expected_12 = earnings_and_counterfactual(model, w, s, MONTH_12)
            earned_24, expected_24 = earnings_and_counterfactual(model, w, s, MONTH_24)
            rows.append(
                (
                    grouping,
                    group,
                    int((at_start == group).sum()),
                    len(w),
                    back_12,
                    seen_12,
                    back_24,
                    seen_24,
                    earned_12,
                    expected_12,
                    earned_24,
                    expected_24,
                    int(wf.jobless_months[w].sum()),
                )
            )
    return pd.DataFrame(rows, columns=list(COUNTS))


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN where the denominator is not positive."""
    den = denominator.astype(float)
    return numerator.astype(float) / den.where(den > 0)


def rates(counts: pd.DataFrame) -> pd.DataFrame:
    """One replication's group table (:data:`COLUMNS`) from its counts: staff at the start
    and displaced [people], then each of :data:`RATES` (NaN where nobody is in its
    denominator: no staff, nobody displaced, nobody observed that long)."""
    out = counts[[*KEYS, "staff_at_start", "displaced"]].copy()
    for name, rate in RATES.items():
        out[name] = _ratio(counts[rate.numerator], counts[rate.denominator])
    return out[list(COLUMNS)]


def group_outcomes(model: OutsourcingModel) -> pd.DataFrame:
    """One row per group (age band, tenure band, site) of one finished run: see the module's
    description and :func:`rates`."""
    return rates(group_counts(model))


def _pooled_rate(num: np.ndarray, den: np.ndarray, share: bool) -> tuple[float, float, float]:
    """Pooled ratio and its 95% interval (see the module's description), the interval
    widened to hold the estimate if a percentile bootstrap leaves it out; NaN where the
    pooled denominator is zero."""
    total = float(den.sum())
    if total <= 0:
        return (np.nan, np.nan, np.nan)
    estimate = float(num.sum()) / total
    low, high = np.inf, -np.inf
    # a replication with nobody in the denominator adds nothing to either sum: it is left
    # out of the resampling (else a resample of only such replications has no ratio)
    boot = ratio_interval(num[den > 0], den[den > 0])
    if boot is not None:
        low, high = boot
    hits = int(round(num.sum()))
    if share and hits <= total:
        w_low, w_high = wilson_interval(hits, int(round(total)))
        low, high = min(low, w_low), max(high, w_high)
    if not np.isfinite(low):
        return (estimate, np.nan, np.nan)
    return (estimate, min(low, estimate), max(high, estimate))


def _pool_group(reps: pd.DataFrame) -> dict[str, object]:
    """One group's row over replications from its per-replication counts."""
    staff = reps["staff_at_start"].to_numpy(dtype=float)
    lost = reps["displaced"].to_numpy(dtype=float)
    mean, low, high = mean_interval(lost)
    row: dict[str, object] = {
        "replications": len(reps),
        "staff_at_start": float(staff.mean()),
        "displaced": mean,
        "displaced_ci95_low": max(0.0, low) if np.isfinite(low) else low,  # a count
        "displaced_ci95_high": high,
        "displaced_pooled": int(lost.sum()),
    }
    for name, rate in RATES.items():
        estimate, r_low, r_high = _pooled_rate(
            reps[rate.numerator].to_numpy(dtype=float),
            reps[rate.denominator].to_numpy(dtype=float),
            rate.share,
        )
        row.update({name: estimate, f"{name}_ci95_low": r_low, f"{name}_ci95_high": r_high})
    row["too_few_staff"] = bool(staff.mean() < TOO_FEW)
    row["too_few_displaced"] = bool(mean < TOO_FEW)
    return row


def over_replications(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Each group over replications (:data:`POOLED_COLUMNS`, groups in their order) from
    every replication's :func:`group_counts`: staff at the start [people per replication,
    mean]; displaced [people per replication, mean and 95% t-interval] and in all
    replications together (``displaced_pooled``); each of :data:`RATES` pooled over the
    replications' people with its 95% interval (see the module's description); and whether
    the group is too few to say (:data:`TOO_FEW`). A group missing from a replication (a
    site nobody works at) counts as empty there."""
    if not tables:
        return pd.DataFrame(columns=list(POOLED_COLUMNS))
    frame = pd.concat([t.assign(_replication=k) for k, t in enumerate(tables)], ignore_index=True)
    order = frame[list(KEYS)].drop_duplicates()
    rows = []
    for grouping, group in order.itertuples(index=False):
        mine = frame[(frame["grouping"] == grouping) & (frame["group"] == group)]
        # a replication without the group counts as zeros there
        reps = mine.set_index("_replication").reindex(range(len(tables)), fill_value=0)
        rows.append({"grouping": grouping, "group": group, **_pool_group(reps)})
    return pd.DataFrame(rows, columns=list(POOLED_COLUMNS))

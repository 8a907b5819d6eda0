"""Who bears the plan: displacement, re-employment and earnings by group of workers.

HR reads a plan by the people in it. Every in-house worker at the start belongs to an age
band and a tenure band (and, with a roster, a site); for each group this gives how many
were displaced, how many of those were back in work 12 and 24 months later, their
earnings against the path they would have had (``earnings_vs_counterfactual``), and their
months without work. Bands are those at the start of the plan (month 0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.analysis.displacement import displaced, earnings_vs_counterfactual, share_in_state
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
COLUMNS = (
    "grouping",
    "group",
    "staff_at_start",
    "displaced",
    "displaced_share",
    "reemployed_12m",
    "reemployed_24m",
    "earnings_ratio_12m",
    "earnings_ratio_24m",
    "months_jobless_mean",
)


def _band(values: np.ndarray, bands: tuple[tuple[float, float, str], ...]) -> np.ndarray:
    out = np.full(len(values), "", dtype=object)
    for low, high, name in bands:
        out[(values >= low) & (values < high)] = name
    return out


def group_outcomes(model: OutsourcingModel) -> pd.DataFrame:
    """One row per group (age band, tenure band, site): see the module's description."""
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
            staff = int((at_start == group).sum())
            mine = of_displaced == group
            w, s = who[mine], start[mine]
            row = {
                "grouping": grouping,
                "group": group,
                "staff_at_start": staff,
                "displaced": int(mine.sum()),
                "displaced_share": mine.sum() / staff if staff else np.nan,
                "reemployed_12m": _or_nan(share_in_state(model, w, s, MONTH_12)),
                "reemployed_24m": _or_nan(share_in_state(model, w, s, MONTH_24)),
                "earnings_ratio_12m": _or_nan(earnings_vs_counterfactual(model, w, s, MONTH_12)),
                "earnings_ratio_24m": _or_nan(earnings_vs_counterfactual(model, w, s, MONTH_24)),
                "months_jobless_mean": float(wf.jobless_months[w].mean()) if len(w) else np.nan,
            }
            rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _or_nan(value: float | None) -> float:
    return np.nan if value is None else float(value)


def mean_over_replications(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Each group's measures averaged over replications (groups in their order)."""
    if not tables:
        return pd.DataFrame(columns=list(COLUMNS))
    frame = pd.concat(tables, ignore_index=True)
    keys = ["grouping", "group"]
    order = frame[keys].drop_duplicates()
    means = frame.groupby(keys, sort=False).mean(numeric_only=True).reset_index()
    return order.merge(means, on=keys, how="left")[list(COLUMNS)]

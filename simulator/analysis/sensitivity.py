"""Global sensitivity of KPIs to swept parameters, through SALib.

Replication noise is handled explicitly: each sample's KPI is the **mean of its
replications**, and the indices are computed on those means. How much of the variance of the
means is still noise is reported with each KPI (``noise_share``): the within-sample variance
divided by the number of replications, as a share of the variance of the sample means. A
large noise share inflates total-order Sobol' indices and Morris σ; raise ``replications``
until it is small.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris, sobol

COLUMNS = (
    "kpi",
    "parameter",
    "method",
    "S1",
    "S1_conf",
    "ST",
    "ST_conf",
    "mu_star",
    "mu_star_conf",
    "sigma",
    "replications",
    "noise_share",
)


class SensitivityError(ValueError):
    """Indices cannot be computed (missing samples, a KPI with no value, ...)."""


def sample_means(wide: pd.DataFrame, kpi: str, n_samples: int) -> tuple[np.ndarray, float, int]:
    """Per-sample mean of ``kpi`` over successful replications, the noise share and the
    replications per sample. Raises SensitivityError if any sample has no value."""
    ok = wide[wide["status"] == "ok"]
    values = ok[["sample_id", kpi]].dropna()
    grouped = values.groupby("sample_id")[kpi]
    means = grouped.mean().reindex(range(n_samples))
    missing = int(means.isna().sum())
    if missing:
        raise SensitivityError(
            f"{kpi}: {missing} of {n_samples} samples have no value (failed runs or a KPI "
            "that does not apply); every sample needs one"
        )
    reps = int(grouped.size().min())
    within = float(grouped.var(ddof=1).mean()) if reps > 1 else float("nan")
    between = float(means.var(ddof=1))
    if reps > 1 and between > 0:
        noise = within / reps / between
    else:
        noise = 0.0 if reps > 1 else float("nan")
    return means.to_numpy(dtype=float), noise, reps


def analyse(
    method: str,
    problem: dict[str, Any],
    x: np.ndarray,
    wide: pd.DataFrame,
    kpis: list[str],
    *,
    second_order: bool = False,
    morris_levels: int = 4,
    seed: int = 0,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Indices for each KPI: one row per (KPI, parameter), columns ``COLUMNS``.

    ``method`` is ``sobol`` (first-order S1 and total-order ST with 95% confidence
    intervals, from SALib's bootstrap) or ``morris`` (μ*, its 95% interval and σ). ``x`` is
    the sample matrix as drawn. Returns the table and, per KPI that could not be analysed,
    the reason.
    """
    rows: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}
    n = len(x)
    for kpi in kpis:
        try:
            y, noise, reps = sample_means(wide, kpi, n)
        except SensitivityError as exc:
            skipped[kpi] = str(exc)
            continue
        if np.ptp(y) == 0:
            skipped[kpi] = f"{kpi}: the same value in every sample; nothing to attribute"
            continue
        base = {"kpi": kpi, "method": method, "replications": reps, "noise_share": noise}
        if method == "sobol":
            res = sobol.analyze(
                problem, y, calc_second_order=second_order, conf_level=0.95, seed=seed
            )
            for i, name in enumerate(problem["names"]):
                rows.append(
                    base
                    | {
                        "parameter": name,
                        "S1": res["S1"][i],
                        "S1_conf": res["S1_conf"][i],
                        "ST": res["ST"][i],
                        "ST_conf": res["ST_conf"][i],
                    }
                )
        elif method == "morris":
            res = morris.analyze(
                problem,
                np.asarray(x, dtype=float),
                y,
                conf_level=0.95,
                num_levels=morris_levels,
                seed=seed,
            )
            for i, name in enumerate(problem["names"]):
                rows.append(
                    base
                    | {
                        "parameter": name,
                        "mu_star": res["mu_star"][i],
                        "mu_star_conf": res["mu_star_conf"][i],
                        "sigma": res["sigma"][i],
                    }
                )
        else:
            raise SensitivityError(
                f"sensitivity needs sampler sobol or morris; this sweep uses {method}"
            )
    table = pd.DataFrame(rows).reindex(columns=list(COLUMNS))
    return table, skipped

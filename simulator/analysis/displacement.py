"""Displaced workers' paths, aligned on the month each was displaced.

For every month k after displacement: the share of displaced workers (observed that long)
in each state, and their earnings over pre-displacement earnings (the jobless at zero).
This is the HR view: how many are back at work 6, 12, 24 months on, and how far their
earnings have recovered.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.model.employees import State
from simulator.model.model import OutsourcingModel

DISPLACED_STATES = (State.unemployed, State.retraining, State.reemployed, State.left_labour_force)


def displacement_curves(model: OutsourcingModel) -> pd.DataFrame:
    """One row per month since displacement (0 = the month of separation)."""
    wf = model.workforce
    who = np.flatnonzero(wf.displaced & (wf.displaced_month >= 0))
    rows = []
    for k in range(model.horizon):
        when = wf.displaced_month[who] + k
        seen = who[when < model.horizon]
        if len(seen) == 0:
            break
        months = wf.displaced_month[seen] + k
        states = wf.history[months, seen]
        row: dict[str, float] = {"months_since_displacement": k, "workers_observed": len(seen)}
        for s in DISPLACED_STATES:
            row[f"share_{s.name}"] = float((states == s).mean())
        row["earnings_ratio"] = float(wf.earnings[months, seen].sum() / wf.wage[seen].sum())
        rows.append(row)
    columns = ["months_since_displacement", "workers_observed"]
    columns += [f"share_{s.name}" for s in DISPLACED_STATES] + ["earnings_ratio"]
    return pd.DataFrame(rows, columns=columns)

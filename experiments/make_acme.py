"""Writes the synthetic example company in scenarios/examples/acme/: roster.csv and
roster.xlsx (180 agents at two sites) and volumes.csv (36 months of contacts), drawn once
from fixed seeds; region.yaml is written by hand. Nobody in it is real. Run again only to
change the example: `.venv/bin/python experiments/make_acme.py`.
"""

from pathlib import Path

import numpy as np
import pandas as pd

FOLDER = Path(__file__).resolve().parents[1] / "scenarios" / "examples" / "acme"


def roster(seed: int = 20261201) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n_north, n_south = 110, 70
    site = np.array(["leeds"] * n_north + ["swansea"] * n_south)
    age = np.clip(rng.normal(np.where(site == "leeds", 36, 44), 10), 18, 66).round(0)
    tenure = np.minimum(rng.exponential(np.where(site == "leeds", 4, 9)), age - 16).round(1)
    wage = np.where(site == "leeds", 14.2, 13.1) * np.exp(rng.normal(0, 0.12, len(site)))
    hours = np.where(rng.random(len(site)) < 0.15, 104, 163)  # 15% part-time
    protected = rng.random(len(site)) < 0.04  # e.g. union representatives, on leave
    return pd.DataFrame(
        {
            "id": [f"A{i:04d}" for i in range(1, len(site) + 1)],
            "site": site,
            "age": age.astype(int),
            "tenure_years": tenure,
            "wage_per_hour": wage.round(2),
            "paid_hours_per_month": hours,
            "protected": np.where(protected, "yes", "no"),
        }
    )


def volumes(seed: int = 20261202, months: int = 36) -> pd.DataFrame:
    """Three years of monthly contacts: a slow decline (self-service), a January peak and a
    summer lull, and noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(months)
    season = 1 + 0.10 * np.cos(2 * np.pi * t / 12) - 0.04 * np.cos(4 * np.pi * t / 12)
    contacts = 76_000 * (1 - 0.004 * t) * season * rng.normal(1, 0.02, months)
    period = pd.period_range("2023-01", periods=months, freq="M").astype(str)
    return pd.DataFrame({"month": period, "contacts": contacts.round(0).astype(int)})


if __name__ == "__main__":
    FOLDER.mkdir(parents=True, exist_ok=True)
    table = roster()
    table.to_csv(FOLDER / "roster.csv", index=False)
    table.to_excel(FOLDER / "roster.xlsx", index=False)
    volumes().to_csv(FOLDER / "volumes.csv", index=False)
    print(f"wrote {len(table)} agents to {FOLDER}")

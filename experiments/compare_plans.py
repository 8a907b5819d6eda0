"""Compare the bundled plans against the status quo and print the headline table.

Run from the repository root (after `make run` has created .venv):

    .venv/bin/python experiments/compare_plans.py --replications 20

It writes results/compare-bundled/ (comparison.csv, comparison.html, plots) and prints a
Markdown table of headline KPIs, the one quoted in README.md. Every plan uses the same
replication seeds (common random numbers); '*' marks a paired difference from the status
quo that is distinguishable from noise (paired t-test, Holm's adjustment over the KPIs).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from simulator.analysis.compare import compare
from simulator.analysis.kpis import HEADLINE_LABELS
from simulator.outputs.compare.report import save_comparison
from simulator.outputs.formatting import number as fmt
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
PLANS = (
    "status_quo",
    "offshore_cost_first",
    "default",
    "onshore_vendor",
    "nearshore_phased_responsible",
    "hybrid_full_ethics",
)


def markdown(result) -> str:
    table = result.table().set_index(["kpi", "plan"])
    cards = result.scorecards()
    names = result.names
    lines = ["| KPI | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for kpi, label in HEADLINE_LABELS.items():
        cells = []
        for i, n in enumerate(names):
            row = table.loc[(kpi, n)]
            cell = fmt(None if row["mean"] != row["mean"] else row["mean"], row["unit"])
            cells.append(cell + (" *" if i and row["distinguishable"] else ""))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for dim in cards.index:
        vals = ["n/a" if v != v else f"{v:.0f}" for v in cards.loc[dim]]
        lines.append(f"| Score: {dim.replace('_', ' ')} | " + " | ".join(vals) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", "-n", type=int, default=20)
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "compare-bundled")
    args = ap.parse_args()
    plans = [load_scenario(ROOT / "scenarios" / f"{p}.yaml") for p in PLANS]
    result = compare(plans, replications=args.replications, progress=_progress)
    save_comparison(result, args.out)
    print(f"\n{args.replications} replications per plan; written to {args.out}\n")
    print(markdown(result))


def _progress(name: str, k: int, total: int) -> None:
    print(f"\r{name}: {k}/{total}   ", end="", flush=True)


if __name__ == "__main__":
    main()

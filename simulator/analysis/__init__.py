"""Analysis layer: KPIs, the ethics scorecard, replications and their summaries."""

from simulator.analysis.kpis import KPI_BY_NAME, KPIS, compute_kpis
from simulator.analysis.replications import Replications, child_seeds, run
from simulator.analysis.scorecard import DIMENSIONS

__all__ = [
    "DIMENSIONS",
    "KPIS",
    "KPI_BY_NAME",
    "Replications",
    "child_seeds",
    "compute_kpis",
    "run",
]

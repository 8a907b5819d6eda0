"""Analysis layer: KPIs, the ethics scorecard, replications and their summaries, effects,
comparisons, sensitivity, validation, and where model runs execute (``parallel``).

Names are imported on first use, so that importing one module (e.g. ``parallel`` for the
command line) does not load the model.
"""

from __future__ import annotations

from simulator._lazy import lazy_names

_LAZY = {
    "KPIS": "simulator.analysis.kpis",
    "KPI_BY_NAME": "simulator.analysis.kpis",
    "compute_kpis": "simulator.analysis.kpis",
    "Replications": "simulator.analysis.replications",
    "child_seeds": "simulator.analysis.replications",
    "run": "simulator.analysis.replications",
    "DIMENSIONS": "simulator.analysis.scorecard",
}


__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "DIMENSIONS",
    "KPIS",
    "KPI_BY_NAME",
    "Replications",
    "child_seeds",
    "compute_kpis",
    "run",
]

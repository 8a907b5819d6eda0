"""Refit the displaced workers' job-search constants to their fitted targets.

The targets are the validation suite's *fitted* facts for job search (``calibration.FITTED``):
the DWS re-employment share (65-70%) and the CPS shares of unemployed job losers jobless
15+ weeks (44.9%) and 27+ weeks (25.2%). Nothing else enters the objective: the other
displaced-worker facts (the unemployed / out-of-the-labour-force split, insurance
exhaustion, the earnings path) stay out-of-sample. Duration dependence (DURATION_DECAY,
DURATION_FLOOR: Kroft, Lange & Notowidigdo 2013) and the returns from outside the labour
force (Kudlyak & Lange 2014) come from their sources and are not fitted.

Each evaluation runs the validation experiment ``displaced_workers`` with the same seeds
(common random numbers keep the objective smooth) and measures the facts exactly as
``outsim validate-model`` does. Nelder-Mead from the current defaults::

    .venv/bin/python experiments/fit_job_search.py --seeds 4

prints the best constants; copy them into the defaults of ``local_economy`` (scenario
schema, ``simulator/scenario/schema/local_economy.py``). Then::

    .venv/bin/python experiments/fit_job_search.py --ages

fits the 55-64 and 65+ entries of AGE_JOB_FINDING and AGE_LEAVE_LABOUR_FORCE to the
survey's age groups (re-employment gap to prime age and out of the labour force at 55-64;
re-employed and out of the labour force at 65+) on a grid, with the older workforce's
layoff of the validation suite.
"""

from __future__ import annotations

import argparse

import numpy as np
from scipy.optimize import minimize

from simulator.analysis.replications import child_seeds
from simulator.analysis.validation import package_experiments
from simulator.analysis.validation.experiments import measure_by_age, measure_displaced
from simulator.model import employees
from simulator.model.model import OutsourcingModel
from simulator.scenario import load_scenario
from simulator.scenario.overrides import with_overrides

PARAMETERS = (
    "local_economy.displaced_job_finding",
    "local_economy.leave_labour_force",
    "local_economy.discouragement",
)
TARGETS = {  # fact: (target, scale of an acceptable miss)
    "dws_reemployed": (0.675, 0.015),
    "cps_unemployed_15_weeks": (0.449, 0.01),
    "cps_unemployed_27_weeks": (0.252, 0.01),
}


def facts(values: np.ndarray, seeds: list[np.random.SeedSequence]) -> dict[str, float]:
    scenario = with_overrides(
        load_scenario(package_experiments() / "displaced_workers.yaml"),
        {name: float(value) for name, value in zip(PARAMETERS, values, strict=True)},
    )
    runs = [
        measure_displaced({"displaced_workers": [OutsourcingModel(scenario, seed=s).run()]})
        for s in seeds
    ]
    return {k: float(np.mean([r[k] for r in runs])) for k in runs[0]}


def objective(values: np.ndarray, seeds: list[np.random.SeedSequence]) -> float:
    if np.any(values < 0) or values[0] <= 0:
        return 1e9
    got = facts(values, seeds)
    return sum(((got[k] - t) / scale) ** 2 for k, (t, scale) in TARGETS.items())


AGE_TARGETS = {  # fact: (target: the middle of the accepted range, scale)
    "dws_age_gradient": (0.161, 0.02),
    "dws_older_not_in_labour_force": (0.286, 0.02),
    "dws_oldest_reemployed": (0.285, 0.03),
    "dws_oldest_not_in_labour_force": (0.564, 0.03),
}


def fit_ages(seeds: list[np.random.SeedSequence]) -> None:
    """Both age groups at once: the 55-64 entries only move the 55-64 facts (and the gap),
    the 65+ entries only the 65+ facts, so one grid of runs serves both."""
    folder = package_experiments()
    main_runs = [
        OutsourcingModel(load_scenario(folder / "displaced_workers.yaml"), seed=s).run()
        for s in seeds
    ]
    older = load_scenario(folder / "older_workers.yaml")
    results = []
    for finding in np.linspace(0.3, 1.0, 15):
        for leaving in (0.4, 0.6, 0.8, 1.0, 1.5, 2.0, 3.0, 4.5):
            employees.AGE_JOB_FINDING = np.array([1.05, 1.0, finding, finding])
            employees.AGE_LEAVE_LABOUR_FORCE = np.array([1.0, 1.0, leaving, leaving])
            got = []
            for m, s in zip(main_runs, seeds, strict=True):
                older_run = OutsourcingModel(older, seed=s).run()
                got.append(measure_by_age({"displaced_workers": [m], "older_workers": [older_run]}))
            mean = {k: float(np.mean([g[k] for g in got])) for k in AGE_TARGETS}
            results.append((finding, leaving, mean))
    for group, facts_ in (("55-64", AGE_TARGETS_55), ("65+", AGE_TARGETS_65)):

        def miss(r: tuple, facts_: tuple = facts_) -> float:
            return sum(((r[2][k] - AGE_TARGETS[k][0]) / AGE_TARGETS[k][1]) ** 2 for k in facts_)

        best = min(results, key=miss)
        print(
            group,
            f"job finding {best[0]:.3f}, labour-force exit ×{best[1]:g}",
            {k: round(best[2][k], 3) for k in facts_},
            round(miss(best), 2),
        )


AGE_TARGETS_55 = ("dws_age_gradient", "dws_older_not_in_labour_force")
AGE_TARGETS_65 = ("dws_oldest_reemployed", "dws_oldest_not_in_labour_force")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=4, help="replications per evaluation")
    parser.add_argument("--seed", type=int, default=1, help="root seed (not the suite's)")
    parser.add_argument("--evaluations", type=int, default=120, help="most model evaluations")
    parser.add_argument("--ages", action="store_true", help="fit the age entries instead")
    args = parser.parse_args()
    seeds = child_seeds(args.seed, args.seeds)
    if args.ages:
        fit_ages(seeds)
        return
    defaults = load_scenario(package_experiments() / "displaced_workers.yaml").local_economy
    start = np.array([getattr(defaults, p.split(".")[1]) for p in PARAMETERS])
    print("start", dict(zip(PARAMETERS, start, strict=True)), objective(start, seeds))
    simplex = [start] + [
        start * np.where(np.arange(len(start)) == i, 1.3, 1.0) + 1e-3 * (i == j)
        for i, j in zip(range(len(start)), range(len(start)), strict=True)
    ]
    result = minimize(
        objective,
        start,
        args=(seeds,),
        method="Nelder-Mead",
        options={
            "xatol": 1e-4,
            "fatol": 0.05,
            "maxfev": args.evaluations,
            "initial_simplex": np.array(simplex),
        },
    )
    print("best", dict(zip(PARAMETERS, result.x.round(4), strict=True)), round(result.fun, 3))
    got = facts(result.x, seeds)
    for k, v in got.items():
        print(f"  {k}: {v:.3f}")


if __name__ == "__main__":
    main()

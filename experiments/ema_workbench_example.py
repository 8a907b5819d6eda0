"""outsim driven by the EMA Workbench's own tools (``pip install -e '.[ema]'``).

Builds the EMA model of the offshore cost-first plan with three uncertainties of the home
labour market and customers, and two levers (notice to staff, retraining places), runs
16 scenarios × 3 policies (48 experiments, every one on the same seeds), then asks EMA's
feature scoring (extra trees) which inputs drive re-employment and the NPV::

    .venv/bin/python experiments/ema_workbench_example.py        # ≈ 1 minute on one core
"""

from __future__ import annotations

import warnings

from simulator.ema import ema_model
from simulator.scenario import load_scenario

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from ema_workbench import SequentialEvaluator, perform_experiments
    from ema_workbench.analysis import feature_scoring


def main() -> None:
    scenario = load_scenario("scenarios/offshore_cost_first.yaml")
    model = ema_model(
        scenario,
        uncertainties={
            "local_economy.baseline_unemployment_rate": (0.03, 0.10),
            "local_economy.vacancy_rate": (0.02, 0.07),
            "customers.trust_churn_elasticity": (1.5, 5.0),
        },
        levers={
            "policies.transparency.employee_notice_months": (0, 6),
            "policies.local_jobs.retraining.capacity_per_month": (0, 30),
        },
        outcomes=["reemployed_share_24m", "npv_net_savings", "customer_churn_annual"],
        seed=20261201,
    )
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(model, 16, policies=3, evaluator=evaluator)
    inputs = experiments.drop(columns=["scenario", "policy", "model"])
    scores = feature_scoring.get_feature_scores_all(inputs, outcomes)
    print("Feature scores (extra trees; higher: the input explains more of the outcome):")
    print(scores.round(3).to_string())


if __name__ == "__main__":
    main()

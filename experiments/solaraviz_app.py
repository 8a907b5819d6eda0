"""Mesa's own SolaraViz on outsim's model, unmodified (no outsim code in between):

    .venv/bin/solara run experiments/solaraviz_app.py        (needs the dashboard extra)

Every model parameter is a keyword argument of ``OutsourcingModel`` (a scenario field by its
unique name, or its path with ``__``), so SolaraViz's sliders re-create the model with them.
Step, play and reset as in any Mesa model; past the horizon the model stops running.
For a plan's levers by ethical dimension, runs against the status quo and saving the
scenario, use ``outsim dashboard``.
"""

from mesa.visualization import SolaraViz, make_plot_component

from simulator import OutsourcingModel

model_params = {
    "seed": {"type": "SliderInt", "value": 1, "label": "Seed", "min": 0, "max": 1000, "step": 1},
    "employee_notice_months": {
        "type": "SliderInt",
        "value": 2,
        "label": "Notice to staff [months]",
        "min": 0,
        "max": 12,
        "step": 1,
    },
    "redeployment_share": {
        "type": "SliderFloat",
        "value": 0.0,
        "label": "Redeployed in-house [share]",
        "min": 0.0,
        "max": 0.5,
        "step": 0.05,
    },
    "disclose_outsourcing": {"type": "Checkbox", "value": False, "label": "Tell customers"},
    "horizon_months": 12,  # fixed: a short run of the default plan
    "count": 20_000,  # customers
}

model = OutsourcingModel(seed=1, employee_notice_months=2, horizon_months=12, count=20_000)
page = SolaraViz(
    model,
    components=[
        make_plot_component(["employees_in_house", "vendor_staff", "employees_unemployed"]),
        make_plot_component(["csat"]),
        make_plot_component(["trust_mean", "outsourced_share"]),
    ],
    model_params=model_params,
    name="outsim: the default plan in Mesa's SolaraViz",
)

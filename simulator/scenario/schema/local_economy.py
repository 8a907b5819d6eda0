"""``local_economy``: the home region's labour market (a region file's values are put in by
the loading step, ``scenario/loading.py``)."""

from __future__ import annotations

from pydantic import Field

from simulator.scenario.schema.base import Strict


class LocalEconomy(Strict):
    labour_force: int = Field(
        150_000, ge=1_000, le=200_000_000, description="Home-region labour force [persons]"
    )
    baseline_unemployment_rate: float = Field(
        0.045,
        ge=0.005,
        le=0.5,
        description="Unemployment rate before the plan; higher = slacker market [share]",
    )
    vacancy_rate: float = Field(
        0.045, ge=0.001, le=0.5, description="Open vacancies per labour-force member [share]"
    )
    reference_tightness: float = Field(
        1.0,
        ge=0.05,
        le=10,
        description="Vacancies per unemployed in normal times, where job finding is calibrated "
        "[ratio]",
    )
    job_finding_rate: float = Field(
        0.28,
        ge=0.01,
        le=1,
        description="Monthly job-finding rate of all local unemployed at reference tightness "
        "[share/month]",
    )
    matching_elasticity: float = Field(
        0.6928,
        gt=0,
        lt=1,
        description="Elasticity of hires to unemployment, alpha in A*U^a*V^(1-a); job finding "
        "then moves with tightness at elasticity 1-alpha (posterior median: docs/MODEL.md "
        "§10.4, docs/UNCERTAINTY.md) [dimensionless]",
    )
    displaced_job_finding: float = Field(
        0.2212,
        ge=0.01,
        le=1,
        description="Monthly chance that a displaced prime-age worker of average skill finds a "
        "job at the start of a spell, at reference tightness (posterior median: docs/MODEL.md "
        "§10.4) [share/month]",
    )
    leave_labour_force: float = Field(
        0.07085,
        ge=0,
        le=1,
        description="Monthly exit from the labour force of the prime-age displaced jobless, at "
        "reference tightness (posterior median: docs/MODEL.md §10.4) [share/month]",
    )
    discouragement: float = Field(
        0.004548,
        ge=0,
        le=0.1,
        description="Extra monthly exit from the labour force per month unemployed (posterior "
        "median: docs/MODEL.md §10.4) [share/month per month]",
    )
    exit_tightness_elasticity: float = Field(
        0.5266,
        ge=0,
        le=3,
        description="Elasticity of the displaced's exit from the labour force to tightness: "
        "fewer leave a slack market (posterior median: docs/MODEL.md §10.4) [dimensionless]",
    )
    reference_unemployment_rate: float = Field(
        0.045,
        ge=0.01,
        le=0.3,
        description="Local unemployment rate at which new-job pay is calibrated; new hires are "
        "paid less when unemployment is above it and more when below [share]",
    )
    average_wage_month: float = Field(
        4500.0, ge=100, le=100_000, description="Average local wage per job [USD/month]"
    )
    local_multiplier: float = Field(
        1.0,
        ge=0,
        le=5,
        description="Local non-tradable jobs lost per tradable job moved out of the region, "
        "after the lag (Moretti 2010's local multiplier) [jobs/job]",
    )
    multiplier_lag_months: float = Field(
        6.0, ge=0, le=60, description="Time constant of the local demand response [months]"
    )
    ui_replacement_rate: float = Field(
        0.45, ge=0, le=1, description="Unemployment insurance as share of prior wage [share]"
    )
    ui_max_months: int = Field(
        6, ge=0, le=60, description="Maximum unemployment-insurance duration [months]"
    )
    region_file: str | None = Field(
        None,
        max_length=4096,
        description="YAML file with the home region's labour_force, "
        "baseline_unemployment_rate, vacancy_rate and average_wage_month (local-area "
        "statistics), relative to the scenario file; read when the scenario is loaded [path]",
    )

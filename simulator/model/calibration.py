"""The key calibrated defaults and their sources, read from the code's own constants.

Reports list these; docs/MODEL.md has every parameter. Values are formatted from the live
constants and scenario defaults, so this list cannot drift from the code.

:data:`FITTED` is the one record of which defaults were tuned to which published facts (by
the ids of the validation suite's facts): a fact named here is a *fitted* fact, never
evidence for the model. docs/MODEL.md §10.4 and docs/VALIDATION.md are generated from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.model import customers, employees, labour_market, privacy, service, vendors
from simulator.scenario.schema import Company as CompanySchema
from simulator.scenario.schema import (
    Costs,
    Customers,
    LocalEconomy,
    Retraining,
    Vendor,
    Workforce,
)


@dataclass(frozen=True)
class Fitting:
    """Defaults tuned (by hand or by a fit) until the model reproduced some facts."""

    defaults: tuple[str, ...]  # module.CONSTANT or scenario field path
    facts: tuple[str, ...]  # validation fact ids
    how: str

    def values(self) -> str:
        """The defaults with their current values, read from the code."""
        return ", ".join(f"{name} = {_value(name)}" for name in self.defaults)


def _value(name: str) -> str:
    from simulator.scenario import schema

    module, _, attr = name.rpartition(".")
    mods = {
        "employees": employees,
        "vendors": vendors,
        "service": service,
        "labour_market": labour_market,
    }
    if module in mods:
        value = getattr(mods[module], attr)
        return " / ".join(f"{v:g}" for v in value) if hasattr(value, "__len__") else f"{value:g}"
    section, field = module.split(".")[-1], attr
    models = {
        "vendors[]": schema.Vendor(name="x"),
        "workforce": schema.Workforce(),
        "local_economy": schema.LocalEconomy(),
    }
    return f"{getattr(models[section], field):g}"


FITTED: tuple[Fitting, ...] = (
    Fitting(
        (
            "local_economy.displaced_job_finding",
            "local_economy.leave_labour_force",
            "local_economy.discouragement",
            "local_economy.matching_elasticity",
            "local_economy.exit_tightness_elasticity",
        ),
        (
            "dws_reemployed",
            "cps_unemployed_15_weeks",
            "cps_unemployed_27_weeks",
            "dws_slack_market_reemployed",
            "dws_slack_market_unemployed",
            "dws_moderate_market_reemployed",
            "dws_moderate_market_unemployed",
        ),
        "posterior medians of ABC-SMC on these seven facts jointly (`outsim calibrate`, "
        "experiments/calibrate.yaml: uniform priors, 150 particles, 6 generations; issue 26, "
        "2,097 runs; estimated again in issue 28, 2,233 runs, once the local labour market "
        "counted its jobs; simulator/scenarios/posterior.csv, docs/UNCERTAINTY.md). "
        "Before: least squares on the first three facts (experiments/fit_job_search.py, "
        "Nelder-Mead) and a grid on the markets of 2009-11 and 2011-13 (issue 24) for the "
        "matching and exit elasticities; the markets of 2005-07, 2007-09 and 2013-15 held "
        "out then and now",
    ),
    Fitting(
        ("employees.AGE_JOB_FINDING", "employees.AGE_LEAVE_LABOUR_FORCE"),
        (
            "dws_age_gradient",
            "dws_older_not_in_labour_force",
            "dws_oldest_reemployed",
            "dws_oldest_not_in_labour_force",
        ),
        "grids over the 55-64 and 65+ entries (the younger ones are 1.05 / 1 and 1 / 1), "
        "after the fit above, on the older workforce's layoff",
    ),
    Fitting(
        ("employees.WAGE_LOCATION", "employees.WAGE_SCALE", "employees.WAGE_SKEW"),
        (
            "dws_new_job_pays_less",
            "dws_new_job_loses_20",
            "dws_new_job_gains_20",
            "new_job_mean_ratio",
        ),
        "least squares (Nelder-Mead) on the shares of full-time re-employed earning less, "
        "losing 20%+ and gaining 20%+, and the mean pay ratio, over the displaced workers of "
        "the experiment (their tenure and jobless months included)",
    ),
    Fitting(
        ("employees.TRAINING_LOCK_IN", "employees.TRAINED_JOB_FINDING"),
        ("training_short_run", "training_two_to_three_years"),
        "by hand against the retraining experiment",
    ),
    Fitting(
        ("vendors.QUIT_PAY_ELASTICITY",),
        ("vendor_quit_pay_elasticity",),
        "by hand, the direct term set so that with the wellbeing channel the total is ≈ −0.5",
    ),
    Fitting(
        (
            "vendors.QUIT_CONDITIONS",
            "vendors.QUIT_NEW_HIRE",
            "vendors.QUIT_WELLBEING",
            "vendors.WELLBEING_NORMAL",
            "vendors[].base_attrition_annual",
        ),
        ("vendor_turnover",),
        "by hand, to land inside the published range at standard pay",
    ),
    Fitting(
        (
            "service.SCORE_FIRST",
            "service.SCORE_LATER",
            "service.SCORE_UNRESOLVED",
            "service.ACCENT_PENALTY",
            "service.BOUNDARY_PENALTY",
            "vendors.PROFICIENCY_AT_HIRE",
            "vendors.PROFICIENCY_PER_TRAINING",
            "vendors[].language_proficiency_mean",
        ),
        ("cfi_csat_gap", "cfi_fcr_gap"),
        "by hand, in-house ≈ 80 CSAT and a weak offshore vendor ≈ 60; BOUNDARY_PENALTY "
        "(direction from Whitaker, Krishnan & Fornell 2008) raised from 2 to 6 points in "
        "December 2026, when vendors began to staff to a service level and waits fell",
    ),
)


def fitted_facts() -> dict[str, Fitting]:
    """Each fitted fact id with the fitting that used it."""
    return {fact: f for f in FITTED for fact in f.facts}


def assumptions() -> list[dict[str, str]]:
    """What, value and source of each key default."""
    wf, cu, le = Workforce(), Customers(), LocalEconomy()
    rt, co, vd = Retraining(), Costs(), Vendor(name="x")
    standard = CompanySchema()
    e = employees
    return [
        {
            "what": "In-house agent wage",
            "value": f"${wf.wage_per_hour:.0f}/h",
            "source": "BLS OEWS May 2023: customer-service representatives, median ≈ $19/h",
        },
        {
            "what": "Offshore agent wage (local standard)",
            "value": f"${vd.industry_wage_per_hour:.2f}/h",
            "source": "Site Selection Group 2024 (weak): India/Philippines $2–3/h base",
        },
        {
            "what": "Median handle time",
            "value": f"{service.BASE_HANDLE_TIME_S:.0f} s",
            "source": "APQC contact-centre benchmark (n = 275): median ≈ 590 s",
        },
        {
            "what": "First-contact resolution, world class",
            "value": f"{service.FCR_BEST:.0%}",
            "source": "SQM Group: ≈ 70% average, 80% world class",
        },
        {
            "what": "Defection after resolved / 2+ contacts / unresolved",
            "value": f"{customers.DEFECT_FIRST:.0%} / {customers.DEFECT_LATER:.0%} / "
            f"{customers.DEFECT_UNRESOLVED:.0%}",
            "source": "SQM Group; share acted on "
            f"{cu.intent_to_churn_realisation:.0%} is an assumption",
        },
        {
            "what": "Service-level threshold",
            "value": f"{service.TARGET_ANSWER_S:.0f} s",
            "source": "industry convention (80/20), not a standard",
        },
        {
            "what": "Displaced workers' monthly job finding (prime age, new spell)",
            "value": f"{le.displaced_job_finding:.3f}, falling {e.DURATION_DECAY:.1%}/month of "
            f"spell to {e.DURATION_FLOOR:.0%} of it from month 8",
            "source": "fitted (validation: dws_reemployed, cps_unemployed_15/27_weeks) to BLS "
            "DWS 2020-24 re-employment and BLS CPS 2024 table 29 durations; the fall with the "
            "spell from Kroft, Lange & Notowidigdo (2013): callbacks 45% lower at 8 months "
            "than at 1, then level",
        },
        {
            "what": "Exit from the labour force of the jobless",
            "value": f"{le.leave_labour_force:.4f}/month (prime age) + {le.discouragement:g} per "
            "month of spell",
            "source": "fitted with the job-finding hazard to the same facts; CPS gross flows "
            "show large unemployment-to-non-participation flows",
        },
        {
            "what": "Return from outside the labour force: job taken / search resumed "
            "(months out 1, 2, 3+)",
            "value": " / ".join(f"{x:.0%}" for x in e.OUT_OF_LABOUR_FORCE_JOB_FINDING)
            + "; "
            + " / ".join(f"{x:.0%}" for x in e.RETURN_TO_SEARCH),
            "source": "Kudlyak & Lange (2014): job finding of the out-of-labour-force recently "
            "unemployed; search resumed at the same rates (assumption: the lowest that fits "
            "Barnichon & Figura 2013, marginal non-participants return mostly through "
            "unemployment)",
        },
        {
            "what": "Age gradient of job finding / of labour-force exit (<25, 25–54, 55–64, 65+)",
            "value": " / ".join(f"{x:.2f}" for x in e.AGE_JOB_FINDING)
            + "; "
            + " / ".join(f"{x:.1f}" for x in e.AGE_LEAVE_LABOUR_FORCE),
            "source": "fitted to BLS DWS 2024 by age (re-employed, out of the labour force)",
        },
        {
            "what": "New-job full-time pay over old (skew-normal in logs)",
            "value": f"location {e.WAGE_LOCATION}, scale {e.WAGE_SCALE}, skew {e.WAGE_SKEW}; "
            f"−{e.TENURE_LOSS} per tenure year",
            "source": "fitted to BLS DWS 2004: 57% earn less, a third lose 20%+, a sixth gain "
            "20%+, and a mean fall of ≈ 7% (Farber 2011: ≈ 10% in 2007-09)",
        },
        {
            "what": "Part-time re-employment",
            "value": f"{e.PART_TIME_SHARE:.0%} of new jobs at {e.PART_TIME_HOURS:.0%} of hours",
            "source": "BLS DWS 2004: 19% of re-employed full-time job losers not in full-time "
            "wage jobs; hours ≈ 22 of 40 (assumption)",
        },
        {
            "what": "Loss of a new job",
            "value": f"{e.JOB_LOSS_FIRST_YEAR:.1%}/month in its first year, {e.JOB_LOSS:.1%} after",
            "source": "Farber (1999): about half of new jobs end within a year, about half of "
            "those involuntarily; Stevens (1997): repeated job losses",
        },
        {
            "what": "Real wage growth in a kept job (counterfactual path)",
            "value": f"{wf.wage_growth_annual:.0%}/year",
            "source": "assumption: experience and raises of an incumbent agent",
        },
        {
            "what": "In-house agents' turnover and replacement cost",
            "value": f"{wf.attrition_annual:.0%}/year; {e.REPLACEMENT_COST_MONTHS} months' pay "
            "per hire",
            "source": "Holman, Batt & Holtgrewe (2007): US 25% to over 50% a year, in-house "
            "centres lower than subcontracted; replacing an agent costs 3-4 months' pay",
        },
        {
            "what": "Search while on notice",
            "value": f"{e.ON_NOTICE_SEARCH:.0%} intensity",
            "source": "assumption giving a modest notice effect (Ruhm 1992; Addison & "
            "Portugal 1987)",
        },
        {
            "what": "Retraining: take-up, completion, cost",
            "value": f"{rt.take_up_share:.0%}, {rt.completion_probability:.0%}, "
            f"${rt.cost_per_trainee:,.0f}",
            "source": "Trade Adjustment Assistance (DOL/Mathematica): 65% trained, 86% "
            "completed, mean cost ≈ $8,500",
        },
        {
            "what": "Retraining effect",
            "value": f"lock-in {e.TRAINING_LOCK_IN:.0%} search; "
            f"×{e.TRAINED_JOB_FINDING} job finding after",
            "source": "fitted (validation: training_short_run, training_two_to_three_years) "
            "to Card, Kluve & Weber (2018): ≈0 in the year after, positive 2–3 years on; "
            "Card & Sullivan: +2–5 pp",
        },
        {
            "what": "Severance and job finding",
            "value": f"{e.SEVERANCE_SEARCH:+.0%} per month of pay",
            "source": "Card, Chetty & Weber (2007)",
        },
        {
            "what": "Local jobs lost per tradable job moved out",
            "value": f"{le.local_multiplier:.1f}",
            "source": "Moretti (2010) unskilled +1.0; van Dijk (2014) ≈ 1.0",
        },
        {
            "what": "Local spending per job-year",
            "value": f"${labour_market.SPENDING_PER_JOB_YEAR:,.0f}",
            "source": "Chodorow-Reich (2019)",
        },
        {
            "what": "Matching elasticity",
            "value": f"{le.matching_elasticity}",
            "source": "Petrongolo & Pissarides (2001): 0.5–0.7",
        },
        {
            "what": "Vendor quit elasticity to relative pay",
            "value": f"−{vendors.QUIT_PAY_ELASTICITY} direct, ≈ −0.5 with wellbeing",
            "source": "direct term fitted (validation: vendor_quit_pay_elasticity) so the "
            "total quit elasticity is ≈ −0.5: Webber (2015), Manning (2003)",
        },
        {
            "what": "Vendor base attrition",
            "value": f"{vd.base_attrition_annual:.0%} quits per agent-year",
            "source": "Holman, Batt & Holtgrewe (2007): 25–50%+; India ≈ 30% (Batt et al. 2005)",
        },
        {
            "what": "Material breach probability (average security, full records)",
            "value": f"{privacy.BASE_MONTHLY_BREACH:.4f}/month at "
            f"{privacy.REFERENCE_RECORDS:,} records, hazard × "
            f"(records / {privacy.REFERENCE_RECORDS:,})^{privacy.SIZE_EXPONENT:g}",
            "source": "Ponemon (2016): 26% chance of a ≥10k-record breach within 24 months; "
            "size exponent: Wheatley, Maillart & Sornette (2016)",
        },
        {
            "what": "Staffing, in-house and at vendors (the company's service standard)",
            "value": f"{standard.service_level_target:.0%} of contacts answered within "
            f"{standard.answer_within_seconds:.0f} s (Erlang C)",
            "source": "industry convention (80/20), not a standard",
        },
        {
            "what": "Breach cost per record",
            "value": f"${co.breach_cost_per_record:.0f} "
            f"(+${co.third_party_breach_premium_per_record:.0f} at a vendor)",
            "source": "IBM/Ponemon Cost of a Data Breach 2023; third-party premium: Ponemon",
        },
        {
            "what": "Encryption / incident response saving per record",
            "value": f"${co.encryption_saving_per_record:.0f} / "
            f"${co.incident_response_saving_per_record:.0f}",
            "source": "Ponemon (older studies): ≈ $13–14 each",
        },
        {
            "what": "In-house benefits and overhead",
            "value": f"{wf.benefits_share:.0%} of wage; ${wf.overhead_per_agent_month:,.0f}/month",
            "source": "assumption (BLS ECEC benefits ≈ 30% of compensation)",
        },
    ]

"""The key calibrated defaults and their sources, read from the code's own constants.

Reports list these; docs/MODEL.md has every parameter. Values are formatted from the live
constants and scenario defaults, so this list cannot drift from the code.
"""

from __future__ import annotations

from simulator.model import customers, employees, labour_market, privacy, service, vendors
from simulator.scenario.schema import (
    Costs,
    Customers,
    LocalEconomy,
    Retraining,
    Vendor,
    Workforce,
)


def assumptions() -> list[dict[str, str]]:
    """What, value and source of each key default."""
    wf, cu, le = Workforce(), Customers(), LocalEconomy()
    rt, co, vd = Retraining(), Costs(), Vendor(name="x")
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
            "value": f"{e.BASE_JOB_FINDING:.2f}, falling {e.DURATION_DECAY:.0%}/month of spell",
            "source": "fitted (validation: cps_unemployed_15/27_weeks, "
            "dws_reemployed_2_3_years) to BLS CPS 2024 table 29 durations and BLS DWS "
            "65–70% re-employed 2–3 years on; duration dependence after Kroft, Lange & "
            "Notowidigdo (2013)",
        },
        {
            "what": "Discouraged exit from the labour force",
            "value": f"+{e.DISCOURAGEMENT} per month of spell",
            "source": "fitted with the job-finding hazard to the same CPS and DWS facts; "
            "CPS gross flows show large unemployment-to-non-participation flows",
        },
        {
            "what": "Age gradient of job finding (<25, 25–54, 55–64, 65+)",
            "value": " / ".join(f"{x:.2f}" for x in e.AGE_JOB_FINDING),
            "source": "BLS Displaced Worker Survey 2024: older workers re-employed far less",
        },
        {
            "what": "New-job earnings over old (skew-normal in logs)",
            "value": f"location {e.WAGE_LOCATION}, scale {e.WAGE_SCALE}, skew {e.WAGE_SKEW}; "
            f"−{e.TENURE_LOSS} per tenure year",
            "source": "fitted to BLS DWS: 57% earn less, a third lose 20%+; skew after NBER "
            "w33667; firm-specific loss after Lachowska, Mas & Woodbury (2020)",
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
            "what": "Local jobs lost per tradable job's payroll",
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
            "value": f"{vd.base_attrition_annual:.0%}/year",
            "source": "Holman, Batt & Holtgrewe (2007): 25–50%+; India ≈ 30% (Batt et al. 2005)",
        },
        {
            "what": "Material breach probability (average security, full records)",
            "value": f"{privacy.BASE_MONTHLY_BREACH:.4f}/month",
            "source": "Ponemon (2016): 26% chance of a ≥10k-record breach within 24 months",
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

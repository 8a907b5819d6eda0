"""LocalEconomy: the home region's labour market, its income multiplier and community investment.

Other local job seekers are a stock ``U_other`` with flows in (separations) and out (hires by
a matching function with constant returns, hires = A·U^a·V^(1-a)), so the job-finding rate is
f = A·(V/U)^(1-a). The displaced workers search in the same market: their hazard scales with
(θ/θ_ref)^(1-a), where θ = V/U is tightness, and a new job's pay falls with the local
unemployment rate at hiring (``pay_at_hiring``). Payroll that leaves the region cuts local
spending and, with a lag, local jobs (Moretti 2010 multiplier); community investment adds
jobs (small business, infrastructure) or matching efficiency (skills).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulator.scenario.schema import CommunityInvestment
from simulator.scenario.schema import LocalEconomy as LocalParams

SPENDING_PER_JOB_YEAR = 48_000.0  # local spending supporting one job-year (Chodorow-Reich 2019)
SMALL_BUSINESS_PERSISTENCE = 12.0  # time constant of jobs created by small-business support
INFRASTRUCTURE_PERSISTENCE = 36.0  # ... and by infrastructure (slower, longer lasting)
INFRASTRUCTURE_DELAY = 6.0  # time constant of the build-up of infrastructure jobs [months]
SKILLS_GAIN = 0.20  # matching-efficiency gain at SKILLS_SPEND_FOR_GAIN per unemployed-month
SKILLS_SPEND_FOR_GAIN = 1000.0  # [USD per searching unemployed person per month]
MAX_JOB_LOSS = 0.5  # cap on local jobs lost, as a share of baseline employment
SKILLS_PERSISTENCE = 12.0  # time constant of the skills effect after spending [months]
# New hires' pay follows the market at hiring: -2.6% real hourly pay per point of unemployment
# for new hires (Schaefer & Singleton 2019, EER 120:103317); new contracts' value swings about
# 10% over a cycle of about four points (Beaudry & DiNardo 1991, JPE) [log points per point]
PAY_PER_UNEMPLOYMENT_POINT = 0.025
# The flow from unemployment to non-participation is procyclical: fewer of the unemployed
# leave the labour force when jobs are scarce (Elsby, Hobijn & Sahin 2015, JME): the
# elasticity of the displaced's monthly exit to tightness V/U is
# ``local_economy.exit_tightness_elasticity``, fitted to the unemployed share of the surveys
# of slack years (calibration.FITTED).


@dataclass(frozen=True)
class Contribution:
    """What one firm brings to the region's labour market in a month (``LocalEconomy.absorb``):
    its displaced job seekers, its community spending and the jobs and payroll it no longer
    keeps in the region."""

    searching: int  # its displaced workers searching (unemployed) [persons]
    # its displaced not employed: searching, in training or out of the labour force [persons]
    not_employed: int
    home: float  # community investment spent at home this month
    focus: tuple[float, float, float]  # home spend's shares: skills, small business, infrastructure
    tradable_jobs_lost: float  # its customer-service jobs no longer in the region [jobs]
    payroll_lost: float  # its payroll no longer paid in the region [per month]
    income_support: float  # unemployment insurance and severance its displaced receive

    @property
    def income_lost(self) -> float:
        """Payroll lost to the region net of income support [per month]."""
        return max(self.payroll_lost - self.income_support, 0.0)


class LocalEconomy:
    """Home-region labour market state (scalars: it is one region). One firm's model owns
    it, or a region's firms share it (``model/region.py``): each month every firm's
    ``Contribution`` is absorbed at once."""

    def __init__(self, params: LocalParams, invest: CommunityInvestment | None = None) -> None:
        # ``invest``: the community budget of the firm that owns the economy alone
        # (``invest_in_community``); a region's firms each bring their own (``absorb``)
        self.params, self.invest = params, invest or CommunityInvestment()
        lf = float(params.labour_force)
        self.labour_force = lf
        self.u0 = params.baseline_unemployment_rate * lf
        self.v0 = params.vacancy_rate * lf
        self.e0 = lf - self.u0
        self.tightness0 = self.v0 / self.u0
        a = params.matching_elasticity
        # job finding at the region's own baseline tightness, relative to the reference
        self.f0 = min(
            params.job_finding_rate * (self.tightness0 / params.reference_tightness) ** (1 - a), 1
        )
        self.separation_rate = self.f0 * self.u0 / self.e0  # keeps u0 a steady state
        self.unemployed_other = self.u0
        self.jobs_lost = 0.0  # local non-tradable jobs lost through the multiplier [jobs]
        self.tradable_jobs_lost = 0.0  # the company's jobs moved out of the region [jobs]
        self.jobs_supported = 0.0  # jobs created by community investment [jobs]
        self.net_jobs_applied = 0.0  # net jobs lost already passed on to unemployment [jobs]
        self.sb_jobs = 0.0
        self.infra_pipeline = 0.0
        self.infra_jobs = 0.0
        self.efficiency = 1.0  # matching efficiency relative to baseline
        self.skills_effect = 0.0
        self.tightness = self.tightness0
        self.job_finding = self.f0
        self.income_lost = 0.0  # payroll lost to the region net of income support [USD/month]
        # displaced workers jobless at the end of last month, every firm's together: a firm
        # adds the others' to its own in the unemployment rate (0 others when it is alone)
        self.jobless_last_total = 0
        self.displaced_not_employed = 0  # every firm's, this month [persons]

    def market_factor(self) -> float:
        """Displaced workers' hazard relative to reference conditions (tightness, efficiency)."""
        a = self.params.matching_elasticity
        return self.efficiency * (self.tightness / self.params.reference_tightness) ** (1 - a)

    def exit_factor(self) -> float:
        """The displaced's exit from unemployment to non-participation relative to reference
        conditions: lower when the market is slack [ratio]."""
        theta = self.tightness / self.params.reference_tightness
        return theta**self.params.exit_tightness_elasticity

    def vacancies(self) -> float:
        """Open jobs in the region: the jobs there are less the people employed [jobs].

        Jobs: the baseline's filled and open jobs, less every firm's jobs moved out and the
        local jobs lost through the multiplier, plus those community investment supports.
        Employed: the baseline's, less every firm's displaced not employed and the other
        unemployed above the baseline. So a layoff whose jobs leave the region leaves the
        open jobs as they were; every displaced worker re-employed, and every position
        removed while its holder moved to another local job, fills one; and a region that
        lost jobs keeps fewer open ones for as long as it lacks them (at least one)."""
        net_lost = self.tradable_jobs_lost + self.jobs_lost - self.jobs_supported
        excess_unemployed = self.unemployed_other - self.u0
        return max(self.v0 - net_lost + self.displaced_not_employed + excess_unemployed, 1.0)

    def unemployment_rate(self, displaced_jobless: int, own_last: int | None = None) -> float:
        """The region's unemployment rate, with ``displaced_jobless`` of one firm now and
        every other firm's as at the end of last month (``own_last``: this firm's then;
        None: the firm is alone)."""
        others = 0 if own_last is None else self.jobless_last_total - own_last
        return (self.unemployed_other + others + displaced_jobless) / self.labour_force

    def pay_at_hiring(self, displaced_jobless: int, own_last: int | None = None) -> float:
        """Log shift of a new hire's pay for the market at hiring: lower when local
        unemployment is above ``reference_unemployment_rate`` [log points]."""
        rate = self.unemployment_rate(displaced_jobless, own_last)
        return (
            -PAY_PER_UNEMPLOYMENT_POINT * 100.0 * (rate - self.params.reference_unemployment_rate)
        )

    @staticmethod
    def spend(invest: CommunityInvestment, month: int) -> tuple[float, float]:
        """A firm's community budget spent this month: (home, vendor-region) [money]."""
        c = invest
        active = c.start_month <= month < c.start_month + c.duration_months
        spend = c.budget_total / c.duration_months if active and c.budget_total > 0 else 0.0
        home = spend * c.home_share
        return home, spend - home

    def invest_in_community(self, month: int, searching: int) -> tuple[float, float]:
        """Spend this month's community budget (the economy's own firm's); returns (home,
        vendor-region) spend [USD]."""
        home, vendor = self.spend(self.invest, month)
        f = self.invest.focus
        self.build_up(
            home * f.skills,
            home * f.small_business,
            home * f.infrastructure,
            searching,
        )
        return home, vendor

    def build_up(
        self,
        skills_spend: float,
        small_business_spend: float,
        infrastructure_spend: float,
        searching: int,
    ) -> None:
        """This month's community spending at home, by focus, builds jobs and skills."""
        per_job_month = SPENDING_PER_JOB_YEAR / 12.0
        # small business: jobs now, fading with persistence (each USD 48k buys one job-year)
        self.sb_jobs *= np.exp(-1.0 / SMALL_BUSINESS_PERSISTENCE)
        self.sb_jobs += small_business_spend / per_job_month / SMALL_BUSINESS_PERSISTENCE
        # infrastructure: builds up slowly, lasts longer
        self.infra_pipeline += infrastructure_spend / per_job_month
        build = self.infra_pipeline * (1 - np.exp(-1.0 / INFRASTRUCTURE_DELAY))
        self.infra_pipeline -= build
        self.infra_jobs *= np.exp(-1.0 / INFRASTRUCTURE_PERSISTENCE)
        self.infra_jobs += build / INFRASTRUCTURE_PERSISTENCE
        self.jobs_supported = self.sb_jobs + self.infra_jobs
        # skills: matching efficiency rises with spend per searching unemployed person
        seekers = max(self.unemployed_other + searching, 1.0)
        skills = skills_spend / seekers / SKILLS_SPEND_FOR_GAIN
        target = SKILLS_GAIN * min(skills, 1.0)
        decay = 1 - np.exp(-1.0 / SKILLS_PERSISTENCE)
        self.skills_effect = max(target, self.skills_effect * (1 - decay))
        self.efficiency = 1.0 + self.skills_effect

    def absorb(self, month: int, firms: Sequence[Contribution]) -> None:
        """The month's market with every firm's contribution at once: community spending
        builds jobs and skills, jobs moved out of the region take local jobs with them
        (the multiplier), and all the displaced searching meet the region's vacancies."""
        searching = sum(c.searching for c in firms)
        self.displaced_not_employed = sum(c.not_employed for c in firms)
        self.build_up(
            sum(c.home * c.focus[0] for c in firms),
            sum(c.home * c.focus[1] for c in firms),
            sum(c.home * c.focus[2] for c in firms),
            searching,
        )
        self.respond_to_job_losses(
            sum(c.tradable_jobs_lost for c in firms),
            sum(c.payroll_lost for c in firms),
            sum(c.income_support for c in firms),
        )
        self.match(searching)

    def respond_to_job_losses(
        self, tradable_jobs_lost: float, payroll_lost: float, income_support: float
    ) -> None:
        """Local non-tradable jobs follow the tradable jobs moved out of the region, with a
        lag: ``local_multiplier`` of them per job, as Moretti (2010) measures it (a reduced
        form: income support and re-employment are already in his estimate). Payroll lost
        net of income support is kept as the region's income loss [USD/month]."""
        p = self.params
        self.income_lost = max(payroll_lost - income_support, 0.0)
        self.tradable_jobs_lost = tradable_jobs_lost
        # local firms cannot shed more than half of the region's other jobs
        target = min(p.local_multiplier * tradable_jobs_lost, MAX_JOB_LOSS * self.e0)
        lag = p.multiplier_lag_months
        step = 1.0 if lag <= 0 else 1 - np.exp(-1.0 / lag)
        self.jobs_lost += (target - self.jobs_lost) * step
        # local firms shed (or re-hire) workers as net demand changes: jobs lost to the
        # multiplier and jobs supported by community investment both count one for one
        net = self.jobs_lost - self.jobs_supported
        self.unemployed_other = max(self.unemployed_other + (net - self.net_jobs_applied), 0.0)
        self.net_jobs_applied = net

    def match(self, displaced_searching: int) -> float:
        """This month's matching among other local job seekers; returns their hires."""
        a = self.params.matching_elasticity
        u_total = max(self.unemployed_other + displaced_searching, 1.0)
        self.tightness = self.vacancies() / u_total
        f = (
            self.efficiency
            * self.params.job_finding_rate
            * (self.tightness / self.params.reference_tightness) ** (1 - a)
        )
        self.job_finding = float(min(f, 1.0))
        employed = self.labour_force - self.unemployed_other - displaced_searching
        inflow = self.separation_rate * max(employed, 0.0)
        hires = self.job_finding * self.unemployed_other
        self.unemployed_other = max(self.unemployed_other + inflow - hires, 0.0)
        return hires

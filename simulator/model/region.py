"""A region: many firms, one labour market (issue 28).

Each firm is a full :class:`OutsourcingModel` (its customers, service, vendors, plan and
workforce, on its own streams); they share one :class:`LocalEconomy`. A month: every firm
lives its month up to the labour market (``live_month``), the economy absorbs all their
contributions at once — one pool of job seekers meeting the region's vacancies, one
multiplier on the jobs that left — and every firm closes its books (``close_month``). The
displaced of every firm see the same tightness, and a new hire's pay follows the region's
unemployment, every firm's displaced counted.

A firm's draws depend only on the region's seed and the firm's name, never on which other
firms are in the region (``firm_seed``): a region of one firm is exactly that firm run alone
on its seed.
"""

from __future__ import annotations

import zlib

import mesa
import numpy as np

from simulator.model.labour_market import LocalEconomy
from simulator.model.mesa_compat import forget_model
from simulator.model.model import OutsourcingModel
from simulator.model.regional_policy import RegionalPolicy
from simulator.scenario.region import Region

REGION_METRICS: dict[str, tuple[str, str]] = {
    "month": ("month", "Month index (0-based)"),
    "unemployment_rate": (
        "share",
        "The region's unemployment rate, every firm's displaced counted",
    ),
    "tightness": ("ratio", "Vacancies per unemployed person in the region"),
    "job_finding_factor": ("ratio", "Displaced workers' job-finding hazard relative to reference"),
    "tradable_jobs_lost": ("jobs", "Every firm's customer-service jobs moved out of the region"),
    "local_jobs_lost": ("jobs", "Local non-tradable jobs lost through the multiplier"),
    "displaced": ("persons", "Workers laid off so far, all firms"),
    "displaced_jobless": ("persons", "Displaced workers unemployed or in training, all firms"),
    "displaced_reemployed": ("persons", "Displaced workers back in a job, all firms"),
    "income_lost": ("money/month", "Payroll lost to the region net of income support"),
    "ui_paid": ("money/month", "Unemployment insurance paid to every firm's displaced (public)"),
    "rapid_response_paid": (
        "money/month",
        "Public job-search assistance for the laid off (policies.rapid_response)",
    ),
    "wage_insurance_paid": (
        "money/month",
        "Public top-ups of the re-employed displaced's lower pay (policies.wage_insurance)",
    ),
    "tax_revenue_lost": (
        "money/month",
        "Taxes and contributions lost on the pay of the displaced and of other local job losers",
    ),
}


def firm_seed(region_seed: int | np.random.SeedSequence, name: str) -> np.random.SeedSequence:
    """The seed of the firm called ``name`` in a region on ``region_seed`` (a number, or a
    seed sequence such as a replication's): the same whichever other firms the region
    holds."""
    key = zlib.crc32(name.encode("utf-8"))
    if isinstance(region_seed, np.random.SeedSequence):
        return np.random.SeedSequence(region_seed.entropy, spawn_key=(*region_seed.spawn_key, key))
    return np.random.SeedSequence(region_seed, spawn_key=(key,))


class RegionModel(mesa.Model):
    """Firms of one region, stepped month by month around their shared labour market."""

    def __init__(
        self,
        region: Region,
        seed: int | np.random.SeedSequence | None = None,
        books: bool = True,
        firm_series: bool = True,
    ) -> None:
        """``books=False``: the firms' money is not measured against their status quo (no
        status-quo runs: half the work); ``firm_series=False``: the firms keep each month's
        metrics but collect no series. Both for runs that read only the labour market."""
        root = region.simulation.seed if seed is None else seed
        super().__init__(rng=np.random.default_rng(root))
        self.region = region
        self.horizon = region.simulation.horizon_months
        self.month = 0
        # the region's market (firms bring their own community spending: ``absorb``)
        self.economy = LocalEconomy(region.local_economy)
        self.firms = [
            OutsourcingModel(
                s,
                seed=firm_seed(root, s.simulation.name),
                economy=self.economy,
                books=books,
                series=firm_series,
            )
            for s in region.firms
        ]
        self.policy = RegionalPolicy(region.policies, len(self.firms))
        self.metrics: dict[str, float] = {}
        self.datacollector = mesa.DataCollector(
            model_reporters={k: (lambda m, k=k: m.metrics[k]) for k in REGION_METRICS}
        )

    def step(self) -> None:
        """One month of every firm and of the region's labour market."""
        if self.month >= self.horizon:
            self.running = False
            return
        t = self.month
        contributions = []
        for firm in self.firms:
            firm.live_month()
            assert firm.contribution is not None
            contributions.append(firm.contribution)
        self.economy.absorb(t, contributions)
        for firm in self.firms:
            firm.close_month()
        self.economy.jobless_last_total = sum(f.jobless_last for f in self.firms)
        self.policy.act(t, self.firms, self.economy)  # on the month's books
        self.record(t)
        self.datacollector.collect(self)
        self.month += 1
        if self.month >= self.horizon:
            self.running = False

    def record(self, t: int) -> None:
        """The region's month, from the economy and every firm's own month (its metrics)."""
        ec, firms = self.economy, self.firms

        def total(metric: str) -> float:
            return float(sum(f.metrics[metric] for f in firms))

        self.metrics = {
            "month": t,
            "unemployment_rate": float(ec.unemployment_rate(ec.jobless_last_total)),
            "tightness": float(ec.tightness),
            "job_finding_factor": float(ec.market_factor()),
            "tradable_jobs_lost": float(ec.tradable_jobs_lost),
            "local_jobs_lost": float(ec.jobs_lost),
            "displaced": total("displaced_cumulative"),
            "displaced_jobless": float(ec.jobless_last_total),
            # only the displaced are ever re-employed (the state follows notice or a spell)
            "displaced_reemployed": total("employees_reemployed"),
            "income_lost": float(ec.income_lost),
            "ui_paid": float(sum(f.ui_paid for f in firms)),
            "rapid_response_paid": self.policy.rapid_response_paid,
            "wage_insurance_paid": self.policy.wage_insurance_paid,
            "tax_revenue_lost": self.policy.tax_revenue_lost,
        }

    def run(self) -> RegionModel:
        while self.running and self.month < self.horizon:
            self.step()
        return self

    def release(self) -> None:
        """Free every firm's model and this one (see ``OutsourcingModel.release``)."""
        for firm in self.firms:
            firm.release()
        forget_model(self)
        self.__dict__.clear()

"""OutsourcingModel: one Mesa model of an outsourcing plan, stepped month by month.

Step order each month (docs/DESIGN.md §4; docs/MODEL.md §1 in detail): plan (notices, layoffs)
→ staffing (vendor hiring, morale, quits, replacement hiring) → service (then vendor staff's
wellbeing, learning, attrition) → customers (experience, trust, discovery) → privacy
(breaches, churn, new customers) → displaced workers' search, retraining, matching → local
economy → books → collect data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import mesa
import numpy as np

from simulator.model.company import DISCOVERY_TRUST_DROP, MORALE_BASELINE, Company
from simulator.model.complaints import escalation_probability, file_complaints
from simulator.model.customers import Customers
from simulator.model.demand import volume_factors
from simulator.model.employee import Employee
from simulator.model.employees import JobSearch, State, Workforce
from simulator.model.incidents import Struck, incident_cost, victims
from simulator.model.labour_market import Contribution, LocalEconomy
from simulator.model.mesa_compat import forget_model
from simulator.model.metrics import METRICS, record_month
from simulator.model.privacy import BREACH_CHURN, TRUST_DROP_PUBLICITY, Privacy
from simulator.model.reshoring import hires_allowed, released_positions
from simulator.model.service import ChannelMonth, Proficiency, serve, staff_for_service_level
from simulator.model.status_quo import EQUAL_SERVICE_CAP, StatusQuoBooks
from simulator.model.streams import Streams
from simulator.model.vendors import Vendor, VendorAgent
from simulator.scenario.overrides import resolve_scenario
from simulator.scenario.schema import Scenario
from simulator.scenario.status_quo import is_status_quo, status_quo_of

IN_HOUSE = 0  # channel index of the in-house centre; vendors follow in scenario order


# recorded for every agent each month with ``collect_agents=True`` (None where it does not
# apply: employees have no hourly pay, vendor staff no labour-market state)
def _of(kind: type, attribute: str) -> Any:
    return lambda agent: getattr(agent, attribute) if isinstance(agent, kind) else None


AGENT_REPORTERS = {
    "kind": lambda agent: type(agent).__name__,
    "state": _of(Employee, "state_name"),
    "earnings": _of(Employee, "earnings_this_month"),  # [USD/month]
    "months_jobless": _of(Employee, "months_jobless"),  # since displacement [months]
    "wage_per_hour": _of(VendorAgent, "wage_per_hour"),  # [USD/hour]
    "wellbeing": _of(VendorAgent, "wellbeing"),  # [0-1]
    "tenure_months": _of(VendorAgent, "tenure_months"),
}


def _root_seed(
    seed: int | np.random.SeedSequence | None,
    rng: np.random.Generator | int | np.random.SeedSequence | None,
) -> int | np.random.SeedSequence:
    """The one seed of a model: ``seed``, else ``rng`` (a generator gives one draw), else
    fresh entropy from the operating system."""
    if seed is not None and rng is not None:
        raise ValueError("give seed or rng, not both")
    given = seed if seed is not None else rng
    if given is None:
        return int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    if isinstance(given, np.random.Generator):
        return int(given.integers(2**63))
    if isinstance(given, np.random.SeedSequence):
        return given
    if isinstance(given, bool) or not isinstance(given, int | np.integer) or given < 0:
        raise ValueError(
            f"seed/rng: got {given!r}; expected a whole number ≥ 0, a numpy SeedSequence or "
            "a numpy Generator"
        )
    return int(given)


class OutsourcingModel(mesa.Model):
    """An outsourcing plan played out month by month.

    Every argument has a default, as Mesa's tools expect: ``OutsourcingModel()`` is the
    bundled default scenario. ``scenario`` may be a ``Scenario``, a YAML path or a mapping;
    keyword arguments override its fields (``employee_notice_months=3`` where the name is
    unique, else ``policies__transparency__employee_notice_months=3``; see
    ``scenario/overrides.py``), so ``mesa.batch_run(OutsourcingModel, parameters={...})``
    sweeps them.

    ``seed`` (an int or a ``numpy.random.SeedSequence``) or ``rng`` (the same, or a numpy
    ``Generator`` to draw a seed from) fixes every draw: Mesa's ``random`` and ``rng`` derive
    from it, and so do the model's named streams (``model.streams``, one per mechanism and
    entity: see ``streams.py``). Given neither, each instance draws a fresh seed from the
    operating system (``model.root_seed`` says which), so ``batch_run``'s iterations differ;
    the command line and ``simulator.run`` always pass seeds derived from the scenario's.

    With ``collect_agents`` the data collector also records every agent each month:
    employees' state, earnings and months jobless, vendor staff's pay, wellbeing and tenure
    (``datacollector.get_agent_vars_dataframe()``). It is off by default: a run has
    thousands of agents and the model's own series carry what the reports need.

    Money is measured against the status quo (the scenario with the plan removed) simulated
    on the same seed: the model runs it first, unless ``status_quo`` gives its books (the
    replication runner passes the status-quo run it has anyway; ``status_quo.py``).
    """

    def __init__(
        self,
        scenario: Scenario | str | Path | Mapping[str, Any] | None = None,
        *,
        rng: np.random.Generator | int | np.random.SeedSequence | None = None,
        seed: int | np.random.SeedSequence | None = None,
        collect_agents: bool = False,
        status_quo: StatusQuoBooks | None = None,
        economy: LocalEconomy | None = None,
        books: bool = True,
        series: bool = True,
        **kwargs: Any,  # scenario overrides; Mesa's SolaraViz accepts only this name
    ) -> None:
        seed = _root_seed(seed, rng)
        super().__init__(rng=np.random.default_rng(seed))
        self.root_seed = seed
        self.streams = Streams(seed)
        self.scenario = s = resolve_scenario(scenario, kwargs)
        self.month = 0  # the month the next step simulates
        self.last_month = -1  # the month the last step simulated
        self.horizon = s.simulation.horizon_months
        pol = s.policies
        c = s.customers
        rate = c.contacts_per_customer_month
        self.demand = volume_factors(c.volume_history, self.horizon, c.count, rate)
        self.company = Company(self, s, self._staffing_rule())
        self.in_house_target = self.company.full_staffing  # this month's staffing [agents]
        layoffs = (s.plan.layoff_rule, list(s.plan.layoff_site_order))
        self.workforce = Workforce(
            s.workforce,
            pol.local_jobs,
            self.horizon,
            self.streams,
            ui_months=s.local_economy.ui_max_months,
            roster=s.workforce.roster_rows,
            layoffs=layoffs,
            search=JobSearch.of(s.local_economy),
        )
        for i in range(self.workforce.n):
            Employee(self, i)
        baseline = self._serve_in_house_alone()
        self.customers = Customers(s.customers, self.streams, baseline.csat)
        # the home region's labour market: the firm's own, or a region's shared one
        self.in_region = economy is not None
        self.economy = economy or LocalEconomy(s.local_economy, pol.local_jobs.community_investment)
        self.community_invested = [0.0, 0.0]  # the firm's so far: at home, in vendor regions
        self.jobless_last = 0  # its displaced jobless at the end of last month
        self.ui_paid = 0.0  # unemployment insurance its displaced received this month
        self.contribution: Contribution | None = None  # this month's, to the labour market
        peak = self.company.required_vendor_staff(np.arange(self.horizon)).max(axis=0, initial=0)
        self.vendors = [
            Vendor(self, v, pol.vendor_staff, pol.communication, s.costs, 2 * int(cap) + 8)
            for v, cap in zip(s.vendors, np.broadcast_to(peak, len(s.vendors)), strict=True)
        ]
        slots = len(self.customers.active)
        self.privacy = Privacy(pol.privacy, s.costs, self.customers.weight)
        self.privacy.add_holder("in_house", s.company.security_maturity, False, slots)
        for v in s.vendors:
            self.privacy.add_holder(v.name, v.security_maturity, True, slots)
        self.privacy.share_data(IN_HOUSE, np.flatnonzero(self.customers.active))

        self.annual_revenue = self.company.revenue0 * 12
        self.headcount0 = self.workforce.n  # the starting staff [agents]
        self.hiring_limit = hires_allowed(s.workforce.hiring_capacity_monthly, self.headcount0)
        self.baseline_payroll = float(self.workforce.wage.sum())
        self.in_house_loaded_cost = float(
            (self.workforce.wage * (1 + s.workforce.benefits_share)).sum()
            + s.workforce.overhead_per_agent_month * self.workforce.n
        )
        self.acquisition_rate = self.customers.expected_status_quo_churn(baseline)
        self.complaint_probability = escalation_probability(
            c.regulator_complaints_per_100k_quarter,
            c.count,
            self.customers.expected_issuers(float(self.demand[0])),
            baseline.p_unresolved,
        )
        self.complaints: float = 0  # this month's complaints to the regulator
        self.metrics: dict[str, float] = {}
        self.cumulative = dict.fromkeys(
            ("displaced", "early_quits", "breaches", "trust_lost_discovery"), 0.0
        )
        self.discovery_month = -1
        self.breach_log: list[tuple[int, str]] = []  # (month, holder) of every breach
        self.incidents_struck: list[Struck] = []  # this month's scheduled incidents
        self.channels: list[ChannelMonth] = []  # what each channel delivered this month
        self.datacollector = mesa.DataCollector(
            model_reporters=self._reporters(),
            agent_reporters=AGENT_REPORTERS if collect_agents else None,
        )
        # the baseline of every money figure: the status quo on the same seed (None: this
        # scenario is its own status quo, so its savings are exactly zero)
        # (``books=False``: no status quo is run and money reads as its own baseline, for runs
        # whose money nobody reads, such as the validation's regions)
        self.status_quo_books = self._status_quo_books(status_quo, seed) if books else None
        # (``series=False``: each month's metrics are kept, not collected as a series)
        self.collects = series

    def _status_quo_books(
        self, given: StatusQuoBooks | None, seed: int | np.random.SeedSequence
    ) -> StatusQuoBooks | None:
        if is_status_quo(self.scenario):
            return None
        if given is not None:
            if given.months != self.horizon:
                raise ValueError(
                    f"status_quo: books of {given.months} months for a {self.horizon}-month run"
                )
            return given
        return simulate_status_quo(self.scenario, seed)

    # ------------------------------------------------------------------------------------
    def _reporters(self) -> dict[str, object]:
        self.metrics = self._empty_metrics()
        return {k: (lambda m, k=k: m.metrics[k]) for k in self.metrics}

    @staticmethod
    def _empty_metrics() -> dict[str, float]:
        return dict.fromkeys(METRICS, 0.0)

    def _in_house_proficiency(self) -> Proficiency:
        # low morale costs a little product effectiveness (assumption: up to -15%)
        slump = max(0.0, MORALE_BASELINE - self.company.morale) / MORALE_BASELINE
        w = self.scenario.workforce
        learning = self.workforce.ramp_up(w.new_hire_proficiency, w.months_to_proficiency)
        return Proficiency(
            product=w.proficiency * (1.0 - 0.15 * slump) * learning,
            language=1.0,
            culture=1.0,
            wellbeing=self.company.morale,
            knowledge_sharing=1.0,
        )

    def in_house_staff_for(self, issues: float) -> int:
        """In-house agents for ``issues`` a month: the fewest that meet the company's service
        standard (``company.service_level_target`` within ``answer_within_seconds``, Erlang
        C, as vendors staff), planned with the staff's proficiency at baseline morale."""
        s = self.scenario
        planning = Proficiency(
            product=s.workforce.proficiency,
            language=1.0,
            culture=1.0,
            wellbeing=MORALE_BASELINE,
            knowledge_sharing=1.0,
        )
        return staff_for_service_level(
            issues,
            planning,
            s.workforce.paid_hours_per_month,
            s.company.service_level_target,
            s.company.answer_within_seconds,
        )

    def _staffing_rule(self) -> Callable[[float], int]:
        """The plan's in-house positions for a share of the volume kept in-house, on month-0
        volume (the plan's layoffs are set from these)."""
        c = self.scenario.customers
        issues = c.count * c.contacts_per_customer_month * float(self.demand[0])
        return lambda share: self.in_house_staff_for(share * issues)

    def _serve_in_house_alone(self) -> ChannelMonth:
        c = self.scenario.customers
        issues = c.count * c.contacts_per_customer_month * self.demand[0]
        return serve(
            issues,
            self.workforce.n,
            self.scenario.workforce.paid_hours_per_month,
            self._in_house_proficiency(),
            external=False,
        )

    # ------------------------------------------------------------------------------------
    def step(self) -> None:
        """One month. Past the horizon a step does nothing (``running`` is then false)."""
        if self.month >= self.horizon:
            self.running = False
            return
        t = self.live_month()
        assert self.contribution is not None
        self.economy.absorb(t, [self.contribution])
        self.close_month()

    def live_month(self) -> int:
        """This month up to what the firm brings to the labour market (``contribution``),
        which the economy absorbs next (alone, or with a region's other firms); returns the
        month."""
        t = self.last_month = self.month
        self.customers.start_month(t)
        self.workforce.start_month(t)
        self.step_agents(Company)  # carry out this month's part of the plan
        self.staff_up(t)
        channels = self.channels = self.serve_customers(t)
        self.update_customers(t, channels)
        self.guard_data()
        self.help_displaced(t)
        self.contribution = self.contribute_to_economy(t)
        return t

    def close_month(self) -> None:
        """The month after the labour market: the books, the month's data, the next month."""
        self.keep_books(self.last_month, self.channels)
        if self.collects:
            self.datacollector.collect(self)
        wf = self.workforce
        self.jobless_last = wf.count(State.unemployed) + wf.count(State.retraining)
        self.month += 1
        if self.month >= self.horizon:
            self.running = False

    def step_agents(self, kind: type[mesa.Agent]) -> None:
        """Step every agent of ``kind`` (in the order they were created; none: nothing)."""
        agents = self.agents_by_type.get(kind)
        if agents is not None:
            agents.do("step")

    def run(self) -> OutsourcingModel:
        while self.running and self.month < self.horizon:
            self.step()
        return self

    def release(self) -> None:
        """Free the model's memory once its results are read; the model is empty afterwards.

        Mesa 3.3 keeps a reference to every model ever built (``mesa_compat.forget_model``
        drops it), and a model is a web of reference cycles (agents and model, Mesa's wrapped
        ``step``), which only a full garbage collection would free: clearing the model's
        attributes frees its arrays at once."""
        forget_model(self)
        self.__dict__.clear()

    # -- 2 staffing ------------------------------------------------------------------------
    def staff_up(self, t: int) -> None:
        co, wf = self.company, self.workforce
        positions = co.required_vendor_staff(t)
        # vendors staff to the forecast workload, hiring a month ahead of each step up
        ahead = co.shares[min(t + 1, self.horizon - 1)]
        forecast = self.customers.expected_issues(self.demand[min(t + 1, self.horizon - 1)])
        hours = self.scenario.workforce.paid_hours_per_month
        for i, v in enumerate(self.vendors):
            share = max(co.shares[t, i], ahead[i])
            v.hire(v.staff_needed(share * forecast, hours))
            new_positions = max(0, int(positions[i]) - int(co.peak_required[i]))
            co.pay("transition", new_positions * v.params.transition_cost_per_agent)
            co.peak_required[i] = max(co.peak_required[i], positions[i])
        if t > 0:  # a share lowered (reshoring): the contract's exit cost, once per position
            released = released_positions(co.required_vendor_staff(t - 1), positions)
            for v, n in zip(self.vendors, released, strict=True):
                co.pay("transition", int(n) * v.params.exit_cost_per_agent)
        # in-house staffs by the same rule to this month's forecast of the volume it keeps;
        # staff above it leave through attrition (never laid off for it)
        kept = max(0.0, 1.0 - float(co.shares[t].sum()))
        now = self.customers.expected_issues(self.demand[t])
        self.in_house_target = self.in_house_staff_for(kept * now)
        co.update_morale(t)
        wf.quit_for_other_jobs(self.economy.market_factor(), co.plan_quit_hazard(t))
        if co.hiring_open(t):
            opened = wf.n
            need = self.in_house_target - int(wf.working_for_company().sum())
            wf.hire(need, self.hiring_limit, co.opens_positions(t))
            for i in range(opened, wf.n):  # new positions (work brought back): new people
                Employee(self, i)

    # -- 3 service -------------------------------------------------------------------------
    def serve_customers(self, t: int) -> list[ChannelMonth]:
        co, wf = self.company, self.workforce
        shares = co.shares[t]
        routing = np.concatenate([[max(0.0, 1.0 - shares.sum())], shares])
        issues = self.customers.raise_issues(routing, float(self.demand[t]))
        hours = self.scenario.workforce.paid_hours_per_month
        staff_in = wf.working_for_company().sum()
        self.temp_cover = max(0, self.in_house_target - int(staff_in))
        channels = [
            serve(
                issues[IN_HOUSE],
                staff_in + self.temp_cover,
                hours,
                self._in_house_proficiency(),
                False,
            )
        ]
        for i, v in enumerate(self.vendors):
            channels.append(serve(issues[i + 1], v.headcount, hours, v.proficiency(), True))
        for v, channel in zip(self.vendors, channels[1:], strict=True):
            v.occupancy = channel.queue.occupancy
        self.step_agents(Vendor)  # each vendor's staff: wellbeing, learning, quits
        return channels

    # -- 4 customers -----------------------------------------------------------------------
    def update_customers(self, t: int, channels: list[ChannelMonth]) -> None:
        cu, co = self.customers, self.company
        cu.experience_service(channels, co.disclosed)
        self.complaints = cu.real(
            file_complaints(self.streams, t, cu.unresolved, self.complaint_probability)
        )
        p_discover = co.discovery_probability(t)
        if p_discover > 0 and self.streams.uniform(("company", "discovery"), t) < p_discover:
            before = cu.trust_lost_to_discovery
            cu.discover_outsourcing(DISCOVERY_TRUST_DROP)
            co.discovered = True
            self.discovery_month = t
            self.cumulative["trust_lost_discovery"] += cu.trust_lost_to_discovery - before
        # customers routed to a vendor this month: their records are now held there
        for i in range(len(self.vendors)):
            self.privacy.share_data(i + 1, cu.routed_to(i + 1))

    # -- 5 privacy -------------------------------------------------------------------------
    def strike_incidents(self, month: int) -> list[Struck]:
        """This month's scheduled incidents (``plan.incidents``, model/incidents.py), at the
        customers their holders hold now."""
        pr, cu, out = self.privacy, self.customers, []
        for i, incident in enumerate(self.scenario.plan.incidents):
            if incident.month != month:
                continue
            holder = next(h for h in pr.holders if h.name == incident.holder)
            held = np.flatnonzero(holder.held & cu.active)
            slots = victims(self.streams, i, month, held, round(incident.customers / cu.weight))
            cost = incident_cost(
                incident,
                cu.real(len(slots)),
                pr.cost_per_record(holder),
                self.scenario.costs.breach_fixed_cost,
            )
            if len(slots):  # nobody held: nothing happens
                out.append(Struck(incident, slots, cost))
        return out

    def guard_data(self) -> None:
        cu, co, pr = self.customers, self.company, self.privacy
        pr.holders[IN_HOUSE].held[:] = cu.active
        breaches = pr.draw_breaches(self.streams, self.month, cu.active, self.annual_revenue)
        # one-off churn probability of breached customers (none in most months)
        extra: np.ndarray | None = None
        handling = self.scenario.policies.transparency.disclose_data_handling and co.disclosed
        struck = self.strike_incidents(self.month)
        if breaches or struck:
            extra = np.zeros(len(cu.active))
            for b in breaches:
                self.breach_log.append((self.month, b.holder))
                cu.suffer_breach(b.slots, pr.trust_drop(handling), TRUST_DROP_PUBLICITY)
                extra[b.slots] += BREACH_CHURN
                co.pay("breaches", b.cost)
            for hit in struck:
                publicity = TRUST_DROP_PUBLICITY if hit.incident.public else 0.0
                cu.suffer_breach(hit.slots, pr.trust_drop(handling), publicity, hit.breach)
                extra[hit.slots] += BREACH_CHURN
                co.pay("breaches", hit.cost)
        self.breaches = breaches
        self.incidents_struck = struck
        # a random breach counts at its expected cost; a scheduled incident is certain
        self.expected_breach_cost = sum(
            pr.breach_probability(h) * pr.expected_cost(h, self.annual_revenue) for h in pr.holders
        ) + sum(hit.cost for hit in struck)
        self.breach_probability = 1.0 - float(
            np.prod([1.0 - pr.breach_probability(h) for h in pr.holders])
        )
        churned = cu.churn(extra)
        # churn caused by breaches: the extra probability's share of each leaver's risk
        self.churn_from_breaches = (
            cu.real(float((extra[cu.leavers] / np.maximum(cu.leaver_probability, 1e-12)).sum()))
            if extra is not None
            else 0.0
        )
        reach = self.scenario.policies.transparency.disclosure_reach if co.disclosed else 0.0
        trust_ratio = cu.mean_trust() / max(self.scenario.customers.initial_trust, 1e-9)
        expected = self.acquisition_rate * cu.initial_count * trust_ratio
        new = cu.acquire(expected, reach, 1.0 if co.discovered else reach)
        self.privacy.forget(new)  # a reused slot is a new customer: no vendor holds its record
        self.churned = churned
        self._pay_privacy_controls()

    def _pay_privacy_controls(self) -> None:
        co, pol, c = self.company, self.scenario.policies.privacy, self.scenario.costs
        for i, h in enumerate(self.privacy.holders[1:]):
            if not h.held.any():
                continue
            controls = 0.5 * pol.encryption + 0.5 * pol.secure_storage
            co.pay("privacy_controls", controls * c.security_controls_per_vendor_month)
            co.pay("privacy_controls", pol.audits_per_year / 12.0 * c.audit_cost)
            if pol.confidentiality_agreement and not co.agreements_signed[i]:
                co.pay("privacy_controls", c.confidentiality_agreement_cost)
                co.agreements_signed[i] = True
        if pol.incident_response_plan:
            co.pay("privacy_controls", c.incident_response_plan_per_month)

    # -- 6 displaced workers ---------------------------------------------------------------
    def help_displaced(self, t: int) -> None:
        wf = self.workforce
        rt = self.scenario.policies.local_jobs.retraining
        wf.finish_training(t, rt.duration_months)
        wf.start_training(t, rt.capacity_per_month)
        jobless = wf.count(State.unemployed) + wf.count(State.retraining)
        pay_shift = self.economy.pay_at_hiring(jobless, self.own_jobless_last())
        wf.search_for_jobs(t, self.economy.market_factor(), pay_shift)
        wf.climb_job_ladder(t)
        wf.leave_labour_force(self.economy.exit_factor())
        wf.return_to_search()
        wf.lose_new_jobs()

    # -- 7 local economy -------------------------------------------------------------------
    def contribute_to_economy(self, t: int) -> Contribution:
        """What the firm brings to the region's labour market this month: its displaced
        searching, its community spending (paid here) and the jobs and payroll it no longer
        keeps in the region (``LocalEconomy.absorb`` takes it)."""
        wf, ec = self.workforce, self.economy
        invest = self.scenario.policies.local_jobs.community_investment
        home, vendor_region = ec.spend(invest, t)
        self.company.pay("community_investment", home + vendor_region)
        self.community_invested[0] += home
        self.community_invested[1] += vendor_region
        support_per_agent = vendor_region / max(sum(v.headcount for v in self.vendors), 1)
        for v in self.vendors:
            v.region_support = min(1.0, support_per_agent / 50.0)
        # the company's customer-service jobs (and payroll) still in the region
        here = wf.in_state(State.in_house, State.notice, State.redeployed)
        jobs = float(here.sum()) + self.temp_cover
        kept = float(wf.wage[here].sum()) + (self.temp_cover * float(wf.wage.mean()) if wf.n else 0)
        hours = self.scenario.workforce.paid_hours_per_month
        for v in self.vendors:
            if v.params.in_home_region:
                jobs += v.headcount
                kept += float(v.wage[v.active].sum()) * hours
        f = invest.focus
        return Contribution(
            searching=wf.count(State.unemployed),
            not_employed=wf.count(State.unemployed)
            + wf.count(State.retraining)
            + wf.count(State.left_labour_force),
            home=home,
            focus=(f.skills, f.small_business, f.infrastructure),
            tradable_jobs_lost=max(self.headcount0 - jobs, 0.0),
            payroll_lost=self.baseline_payroll - kept,
            income_support=wf.income_support(t, self.scenario.local_economy.ui_replacement_rate),
        )

    def own_jobless_last(self) -> int | None:
        """This firm's displaced jobless at the end of last month when it shares the region
        with other firms (None when it is alone: the economy then counts nobody else's)."""
        return self.jobless_last if self.in_region else None

    # -- 8 books ---------------------------------------------------------------------------
    def service_level_saving(self, t: int) -> float:
        """What the vendors' staffing saves this month against serving their customers at the
        status quo's in-house service level (answered within 20 s): the staff each vendor
        would need for that level, at its current abilities, less the staff it has, at its
        price with governance [USD/month]. Negative when the vendors answer faster."""
        base = self.status_quo_books
        if base is None:
            return 0.0
        level = min(float(base.service_level[t]), EQUAL_SERVICE_CAP)
        hours = self.scenario.workforce.paid_hours_per_month
        saving = 0.0
        for v, channel in zip(self.vendors, self.channels[1:], strict=True):
            if channel.issues <= 0 and v.headcount == 0:
                continue
            needed = staff_for_service_level(channel.issues, v.proficiency(), hours, level)
            price = hours * v.price_per_hour() * (1 + v.params.governance_share)
            saving += (needed - v.headcount) * price
        return saving

    def keep_books(self, t: int, channels: list[ChannelMonth]) -> None:
        s, co, wf = self.scenario, self.company, self.workforce
        wfp, c = s.workforce, s.costs
        staff = wf.working_for_company()
        loaded = float((wf.wage[staff] * (1 + wfp.benefits_share)).sum())
        co.pay("in_house_staff", loaded + wfp.overhead_per_agent_month * staff.sum())
        mean_loaded = self.in_house_loaded_cost / max(self.headcount0, 1)
        co.pay("temp_cover", self.temp_cover * mean_loaded * (1 + c.temp_cover_premium))
        hours = wfp.paid_hours_per_month
        active_vendors = 0
        for v in self.vendors:
            contract = v.headcount * hours * v.price_per_hour()
            co.pay("vendor_contract", contract)
            co.pay("vendor_governance", contract * v.params.governance_share)
            co.pay("vendor_training", v.hired * v.extra_training_hours() * v.price_per_hour())
            co.pay("vendor_fairness", v.headcount * v.fairness_cost_per_agent_month())
            active_vendors += v.headcount > 0
        meetings = s.policies.communication.joint_meetings_per_month
        co.pay("communication", meetings * c.meeting_cost * active_vendors)
        wf.pass_month(t, s.local_economy.ui_replacement_rate)
        events = wf.take_events()
        self.ui_paid = events["ui_paid"]  # unemployment insurance: paid by the public
        co.pay("hiring", events["hiring_paid"])
        co.pay("severance", events["severance_paid"])
        co.pay("outplacement", events["outplacement_paid"])
        co.pay("retraining", events["training_paid"] + events["stipends_paid"])
        co.pay("redeployment", events["redeployment_paid"])
        lines = co.close_books()
        self.cumulative["displaced"] += events["separated"]
        self.cumulative["early_quits"] += events["early_quits"]
        self.cumulative["breaches"] += len(self.breaches)
        record_month(self, t, channels, lines, events)


def simulate_status_quo(scenario: Scenario, seed: int | np.random.SeedSequence) -> StatusQuoBooks:
    """Run ``scenario``'s status quo on ``seed`` and keep only its books."""
    twin = OutsourcingModel(status_quo_of(scenario), seed=seed).run()
    books = StatusQuoBooks.of(twin.datacollector.model_vars)
    twin.release()
    return books

"""Company: executes the outsourcing plan and keeps the books.

The plan gives, per vendor, the share of contact volume by month (phases with linear ramps).
In-house positions follow the share left in-house. Layoffs are announced ``notice`` months
ahead; rumours of the plan (or open communication) start at the internal decision. The
company pays every cost — in-house staff, temporary cover, vendor contracts and governance,
transition, mitigation policies, severance, outplacement, retraining, community investment
and breaches — and earns revenue from active customers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import mesa
import numpy as np

from simulator.model.employees import INFORMED_QUIT, RUMOUR_QUIT, State
from simulator.scenario.schema import Location, Scenario

if TYPE_CHECKING:
    from simulator.model.model import OutsourcingModel

COST_LINES = (
    "in_house_staff",
    "hiring",
    "temp_cover",
    "vendor_contract",
    "vendor_governance",
    "transition",
    "vendor_training",
    "vendor_fairness",
    "communication",
    "privacy_controls",
    "disclosure",
    "severance",
    "outplacement",
    "retraining",
    "redeployment",
    "community_investment",
    "breaches",
)
OPERATING_LINES = (
    "in_house_staff",
    "hiring",
    "temp_cover",
    "vendor_contract",
    "vendor_governance",
)
MITIGATION_LINES = (
    "vendor_training",
    "vendor_fairness",
    "communication",
    "privacy_controls",
    "disclosure",
    "severance",
    "outplacement",
    "retraining",
    "redeployment",
    "community_investment",
)
# Monthly chance that undisclosed outsourcing becomes public, per unit of outsourced share,
# by location (an accent or time zone gives it away more easily). Assumption.
DISCOVERY_RATE = {Location.onshore: 0.01, Location.nearshore: 0.025, Location.offshore: 0.04}
DISCOVERY_TRUST_DROP = 0.10  # trust lost on discovery, scaled by 0.5 + privacy sensitivity
DISCLOSURE_TRUST_DIP = 0.02  # trust lost on an honest disclosure, same scaling
MORALE_BASELINE, MORALE_RUMOURS, MORALE_INFORMED = 0.70, 0.40, 0.60
MORALE_ADJUSTMENT = 0.3  # monthly share of the gap to the target morale closed


def plan_shares(scenario: Scenario) -> np.ndarray:
    """Share of contact volume per vendor, month by month: array [months, vendors]."""
    horizon = scenario.simulation.horizon_months
    names = [v.name for v in scenario.vendors]
    shares = np.zeros((horizon, len(names)))
    current = np.zeros(len(names))
    phases = scenario.plan.phases
    for i, phase in enumerate(phases):
        end = phases[i + 1].month if i + 1 < len(phases) else horizon
        target = np.array([phase.shares.get(n, 0.0) for n in names])
        start_value = current.copy()
        for t in range(phase.month, end):
            progress = min(1.0, (t - phase.month + 1) / (phase.ramp_months + 1))
            current = start_value + (target - start_value) * progress
            shares[t] = current
    return shares


class Company(mesa.Agent):
    """The company: its plan, its decisions about staff and customers, and its books."""

    def __init__(
        self, model: OutsourcingModel, scenario: Scenario, staff_for: Callable[[float], int]
    ) -> None:
        """``staff_for(share)``: the in-house positions that meet the company's service
        standard when ``share`` of the contact volume stays in-house (Erlang C)."""
        super().__init__(model)
        self.scenario = scenario
        horizon = scenario.simulation.horizon_months
        self.shares = plan_shares(scenario)
        kept = np.round(1.0 - self.shares.sum(axis=1), 9)
        staffing = {float(k): staff_for(float(k)) for k in np.unique(np.append(kept, 1.0))}
        # positions with nothing outsourced: the status quo's centre, staffed to the standard
        self.full_staffing = staffing[1.0]
        self.positions = np.array([staffing[float(k)] for k in kept], dtype=int)
        notice = scenario.policies.transparency.employee_notice_months
        # a cut is a fall in positions the plan makes (the status quo makes none: staff above
        # the standard at the start leave through normal attrition, unreplaced)
        previous = np.concatenate([[self.full_staffing], self.positions[:-1]])
        cut_months = np.flatnonzero(self.positions < previous)
        self.notices: dict[int, list[int]] = {}
        for u in cut_months:
            self.notices.setdefault(max(0, int(u) - notice), []).append(int(u))
        outsourced = np.flatnonzero(self.shares.sum(axis=1) > 0)
        self.go_live = int(outsourced[0]) if len(outsourced) else None
        first_cut = int(cut_months[0]) if len(cut_months) else None
        last_cut = int(cut_months[-1]) if len(cut_months) else None
        lead = scenario.plan.announcement_lead_months
        starts = [m for m in (self.go_live, first_cut) if m is not None]
        self.decision_month = max(0, min(starts) - lead) if starts else None
        if first_cut is not None and self.decision_month is not None:
            self.decision_month = min(self.decision_month, max(0, first_cut - notice))
        self.layoffs_end = last_cut
        # work brought back: the first rise in positions (a share lowered: reshoring)
        rises = np.flatnonzero(self.positions > previous)
        self.work_back = int(rises[0]) if len(rises) else None
        self.first_notice_month = min(self.notices) if self.notices else None
        self.morale = MORALE_BASELINE
        self.discovered = False
        self.disclosed = False
        self.peak_required = np.zeros(len(scenario.vendors), dtype=int)
        self.agreements_signed = np.zeros(len(scenario.vendors), dtype=bool)
        self.revenue0 = scenario.customers.count * scenario.company.revenue_per_customer_month
        self.ledger = dict.fromkeys(COST_LINES, 0.0)
        self.horizon = horizon

    # -- the plan ----------------------------------------------------------------------------
    def outsourced_share(self, month: int) -> float:
        return float(self.shares[month].sum())

    def required_vendor_staff(self, month: int | np.ndarray) -> np.ndarray:
        """In-house positions moved to each vendor by ``month`` [positions]."""
        return np.ceil(self.shares[month] * self.full_staffing - 1e-9).astype(int)

    def step(self) -> None:
        """This month's part of the plan: notices and layoffs, the laid-off leaving (some
        into retraining), and telling customers once a vendor serves them, if the plan
        discloses it."""
        model, t = self.model, self.model.month
        self.plan_layoffs(t)
        capacity = self.scenario.policies.local_jobs.retraining.capacity_per_month
        model.workforce.separate(t, capacity)
        tr = self.scenario.policies.transparency
        live = self.go_live is not None and t >= self.go_live
        if tr.disclose_outsourcing and live and not self.disclosed:
            model.customers.hear_disclosure(tr.disclosure_reach, self.disclosure_dip())
            self.disclosed = True
            self.pay("disclosure", self.scenario.costs.disclosure_campaign_cost)

    def plan_layoffs(self, month: int) -> None:
        """Give notice for the job cuts this month's announcements cover."""
        wf = self.model.workforce
        for cut_month in self.notices.get(month, []):
            # down to the plan's positions: a restructuring lets go of any staff above the
            # standard too (the status quo, which cuts nothing, sheds them by attrition)
            free = wf.count(State.in_house)
            excess = free - int(self.positions[cut_month])
            if excess > 0:
                wf.give_notice(excess, cut_month)

    def plan_unsettles_staff(self, month: int) -> bool:
        """The plan is decided and its layoffs are not over: staff are unsettled."""
        if self.decision_month is None or month < self.decision_month:
            return False
        return self.layoffs_end is None or month <= self.layoffs_end

    def plan_quit_hazard(self, month: int) -> float:
        """Extra monthly quit probability of in-house staff the plan unsettles: higher on
        rumours alone than once they have been told."""
        if self.rumours_spread(month):
            return RUMOUR_QUIT
        return INFORMED_QUIT if self.plan_unsettles_staff(month) else 0.0

    def hiring_open(self, month: int) -> bool:
        """The company replaces leavers except while the plan is under way (a hiring freeze
        from the decision to the last cut: leavers then reduce the layoffs needed)."""
        return not self.plan_unsettles_staff(month)

    def opens_positions(self, month: int) -> bool:
        """The company opens new positions once the plan brings work back (reshoring);
        before, a gap between staff and the standard is covered by temporary staff."""
        return self.work_back is not None and month >= self.work_back

    def rumours_spread(self, month: int) -> bool:
        """Staff hear only rumours: the plan is decided, nobody has been told formally (no
        notice given yet) and there is no open communication. Longer notice and open
        communication both shorten or remove this window."""
        if self.scenario.policies.transparency.open_communication:
            return False
        told = self.first_notice_month is not None and month >= self.first_notice_month
        return self.plan_unsettles_staff(month) and not told

    def update_morale(self, month: int) -> float:
        """In-house morale moves towards its target: lowest during rumours, less low once
        staff are informed, back to baseline when the layoffs are over."""
        if self.rumours_spread(month):
            target = MORALE_RUMOURS
        elif self.plan_unsettles_staff(month):
            target = MORALE_INFORMED
        else:
            target = MORALE_BASELINE
        self.morale += MORALE_ADJUSTMENT * (target - self.morale)
        return self.morale

    # -- customers ---------------------------------------------------------------------------
    def disclosure_dip(self) -> float:
        t = self.scenario.policies.transparency
        return DISCLOSURE_TRUST_DIP * (
            1 - 0.25 * t.disclose_location - 0.25 * t.disclose_data_handling
        )

    def discovery_probability(self, month: int) -> float:
        if self.disclosed or self.discovered:
            return 0.0
        return float(
            sum(
                share * DISCOVERY_RATE[v.location]
                for share, v in zip(self.shares[month], self.scenario.vendors, strict=True)
            )
        )

    # -- the books ---------------------------------------------------------------------------
    def pay(self, line: str, amount: float) -> None:
        self.ledger[line] += float(amount)

    def close_books(self) -> dict[str, float]:
        """Return this month's cost lines and start a new month."""
        lines = self.ledger
        self.ledger = dict.fromkeys(COST_LINES, 0.0)
        return lines

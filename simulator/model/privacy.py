"""Privacy: who holds customer records, breach risk, breach costs and their effect on customers.

Each holder (the company itself and every vendor) has a monthly probability of a material
breach (>= 10k records). At average security with full records it is calibrated to a 26%
chance over 24 months (Ponemon 2016); it scales with security maturity, with the share of
fields shared (data minimisation cuts exposure in proportion) and with controls. A breach
exposes a share of the holder's records; it costs per record (IBM/Ponemon), a fixed
response cost and possibly a regulatory fine, and hits the affected customers' trust.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.model.service import clip
from simulator.model.streams import Streams
from simulator.scenario.schema import Costs
from simulator.scenario.schema import Privacy as PrivacyPolicy

BASE_MONTHLY_BREACH = 1.0 - (1.0 - 0.26) ** (1 / 24)  # average security, full records
MATERIAL_RECORDS = 10_000  # a breach is material from this many records
MATURITY_SLOPE = 2.5  # probability ~ exp(-2.5 x (maturity - 0.5))
SECURE_STORAGE_EFFECT = 0.80  # probability multipliers of controls (assumption)
ENCRYPTION_EFFECT = 0.85
AGREEMENT_EFFECT = 0.90
AUDIT_EFFECT = 0.35  # largest probability cut from frequent audits [share]
MEAN_SHARE_BREACHED = 0.4  # mean share of a holder's records exposed in a breach
FIELD_COST_FLOOR = 0.3  # a breached record with few fields still costs 30% of a full one
FINE_PROBABILITY = {"gdpr": 0.3, "hipaa": 0.3, "ccpa": 0.15, "none": 0.0}
FINE_PER_RECORD = {"gdpr": 25.0, "hipaa": 40.0, "ccpa": 15.0, "none": 0.0}  # [USD/record]
FINE_CAP_SHARE_OF_TURNOVER = 0.04  # GDPR cap: 4% of annual turnover
TRUST_DROP_BREACHED = 0.25  # trust lost by a customer whose record was breached
TRUST_DROP_PUBLICITY = 0.02  # trust lost by every customer when a breach is public
BREACH_CHURN = 0.04  # extra one-off churn of affected customers (Ponemon abnormal churn)
DATA_HANDLING_DAMPING = 0.3  # trust hit reduction when data handling was disclosed


@dataclass
class Holder:
    """Someone holding customer records: the company (index 0) or a vendor."""

    name: str
    maturity: float
    third_party: bool
    held: np.ndarray  # bool per customer slot: a record is held here


@dataclass
class Breach:
    holder: str
    records: int
    cost: float
    fine: float
    slots: np.ndarray


class Privacy:
    """Exposure and breach risk across the record holders."""

    def __init__(self, policy: PrivacyPolicy, costs: Costs) -> None:
        self.policy, self.costs = policy, costs
        self.holders: list[Holder] = []

    def add_holder(self, name: str, maturity: float, third_party: bool, slots: int) -> None:
        self.holders.append(Holder(name, maturity, third_party, np.zeros(slots, dtype=bool)))

    def share_data(self, holder: int, slots: np.ndarray) -> None:
        """``slots`` customers' records are now held by ``holder`` too."""
        self.holders[holder].held[slots] = True

    def forget(self, slots: np.ndarray) -> None:
        """Slots reused by new customers: no third party holds their records yet."""
        for h in self.holders[1:]:
            h.held[slots] = False

    def fields_share(self, h: Holder) -> float:
        return self.policy.fields_shared_share if h.third_party else 1.0

    def records_held(self, h: Holder) -> int:
        return int(np.count_nonzero(h.held))

    def records_exposed(self) -> float:
        """Record-equivalents held by vendors (records x share of fields) [records]."""
        return float(
            sum(self.records_held(h) * self.fields_share(h) for h in self.holders if h.third_party)
        )

    def breach_probability(self, h: Holder) -> float:
        """Monthly probability of a material breach at holder ``h``."""
        n = self.records_held(h)
        if n == 0:
            return 0.0
        p = BASE_MONTHLY_BREACH * np.exp(-MATURITY_SLOPE * (h.maturity - 0.5))
        p *= min(1.0, n / MATERIAL_RECORDS)
        if h.third_party:
            pol = self.policy
            p *= pol.fields_shared_share
            p *= SECURE_STORAGE_EFFECT if pol.secure_storage else 1.0
            p *= ENCRYPTION_EFFECT if pol.encryption else 1.0
            p *= AGREEMENT_EFFECT if pol.confidentiality_agreement else 1.0
            p *= 1.0 - AUDIT_EFFECT * (1.0 - np.exp(-pol.audits_per_year / 2.0))
        return clip(p, 0.0, 1.0)

    def cost_per_record(self, h: Holder) -> float:
        c, pol = self.costs, self.policy
        cost = c.breach_cost_per_record
        if h.third_party:
            cost += c.third_party_breach_premium_per_record
            cost -= c.encryption_saving_per_record if pol.encryption else 0.0
        cost -= c.incident_response_saving_per_record if pol.incident_response_plan else 0.0
        scale = FIELD_COST_FLOOR + (1 - FIELD_COST_FLOOR) * self.fields_share(h)
        return max(cost, 0.0) * scale

    def fine(self, h: Holder, records: float, annual_revenue: float) -> float:
        regime = self.policy.regime
        fine = FINE_PER_RECORD[regime] * records
        if self.policy.encryption and h.third_party:
            fine *= 0.5
        return min(fine, FINE_CAP_SHARE_OF_TURNOVER * annual_revenue)

    def expected_cost(self, h: Holder, annual_revenue: float) -> float:
        """Expected cost of one breach at ``h`` [USD]."""
        records = MEAN_SHARE_BREACHED * self.records_held(h)
        fine = FINE_PROBABILITY[self.policy.regime] * self.fine(h, records, annual_revenue)
        return records * self.cost_per_record(h) + self.costs.breach_fixed_cost + fine

    def draw_breaches(
        self, streams: Streams, month: int, active: np.ndarray, annual_revenue: float
    ) -> list[Breach]:
        """Draw ``month``'s breaches (at most one per holder). Each holder has its own stream,
        keyed by month (and, for who is hit, by customer slot), so it meets the same luck in
        every plan."""
        out = []
        for h in self.holders:
            stream = ("breach", h.name)
            p = self.breach_probability(h)
            if p <= 0.0 or streams.uniform(stream, month) >= p:
                continue
            slots = np.flatnonzero(h.held & active)
            rng = streams.generator(*stream, month=month)  # this breach's size and fine
            share = rng.beta(2.0, 3.0)  # mean 0.4
            hit = slots[streams.uniforms((*stream, "records"), month, slots) < share]
            records = len(hit)
            fined = rng.random() < FINE_PROBABILITY[self.policy.regime]
            fine = self.fine(h, records, annual_revenue) if fined else 0.0
            cost = records * self.cost_per_record(h) + self.costs.breach_fixed_cost + fine
            out.append(Breach(h.name, records, cost, fine, hit))
        return out

    def trust_drop(self, disclosed_handling: bool) -> float:
        return TRUST_DROP_BREACHED * ((1 - DATA_HANDLING_DAMPING) if disclosed_handling else 1.0)

"""Privacy: who holds customer records, breach risk, breach costs and their effect on customers.

Each holder (the company itself and every vendor) has a monthly probability of a breach that
grows with what it holds, with diminishing returns and no plateau:

    p = 1 − (1 − BASE_MONTHLY_BREACH) ^ (maturity factor × (exposure / REFERENCE_RECORDS)
                                         ^ SIZE_EXPONENT × controls)

``exposure`` is record-equivalents: records held × the share of their fields held (data
minimisation). At the reference holding — REFERENCE_RECORDS full records, average security,
no controls — p is Ponemon's (2016) 26% chance of a material (10,000+-record) breach within
24 months. The reference is the holding whose breaches look like Ponemon's benchmark breaches:
their 2016 mean size (23,834 records) over the mean share a breach exposes (0.4), ≈ 60,000
records; 87% of the breaches of a 60,000-record holder (a Beta(2, 3) share of it) exceed
10,000 records, material in Ponemon's sense (a holder of 10,000 could have none). Breach
frequency grows with size like size^0.6 (Wheatley, Maillart & Sornette 2016, EPJ B 89:7), so
a holder of twice the reference has 2^0.6 ≈ 1.5 times the hazard, one of a tenth 0.25 times.
The exponent scales the hazard (−log of the monthly survival), so p has no cap and stays
below 1 at any holding a scenario allows. Security maturity, access controls (segregated
storage, encryption), agreements and audits multiply the same hazard: they make entry less
likely whatever is held.

A breach exposes a Beta(2, 3) share of the holder's records (mean 0.4), so its size grows in
proportion with the holding and inherits the holdings' heavy tail (breach sizes are
log-normal: Edwards, Hofmeyr & Forrest 2016). It costs per record (IBM/Ponemon), a fixed
response cost and possibly a regulatory fine, and hits the affected customers' trust.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.model.service import clip
from simulator.model.streams import Streams
from simulator.scenario.schema import Costs
from simulator.scenario.schema import Privacy as PrivacyPolicy

PONEMON_24_MONTHS = 0.26  # chance of a material (10k+ records) breach within 24 months
# at the reference holding, average security, full records, no controls [probability/month]
BASE_MONTHLY_BREACH = 1.0 - (1.0 - PONEMON_24_MONTHS) ** (1 / 24)
# the holding Ponemon's figure refers to: its 2016 mean breach (23,834 records) over
# MEAN_SHARE_BREACHED, rounded [record-equivalents]; bounds 25,000-250,000 (its breaches
# ranged from 3,000 to 101,500 records)
REFERENCE_RECORDS = 60_000
# breach frequency ∝ exposure^SIZE_EXPONENT: Wheatley, Maillart & Sornette (2016) find
# frequency ∝ organisation size^0.6; bounds 0.3 (Maillart & Sornette 2010: vulnerability
# ∝ size^0.3) to 1 (no economies of scale in security) [exponent]
SIZE_EXPONENT = 0.6
MATURITY_SLOPE = 2.5  # hazard x exp(-2.5 x (maturity - 0.5))
SECURE_STORAGE_EFFECT = 0.80  # hazard multipliers of a vendor's controls (assumption)
ENCRYPTION_EFFECT = 0.85
AGREEMENT_EFFECT = 0.90
AUDIT_EFFECT = 0.35  # largest hazard cut from frequent audits [share]
MEAN_SHARE_BREACHED = 0.4  # mean share of a holder's records exposed in a breach
FIELD_COST_FLOOR = 0.3  # a breached record with few fields still costs 30% of a full one
FINE_PROBABILITY = {"gdpr": 0.3, "hipaa": 0.3, "ccpa": 0.15, "none": 0.0}
FINE_PER_RECORD = {"gdpr": 25.0, "hipaa": 40.0, "ccpa": 15.0, "none": 0.0}  # [USD/record]
FINE_CAP_SHARE_OF_TURNOVER = 0.04  # GDPR cap: 4% of annual turnover
TRUST_DROP_BREACHED = 0.25  # trust lost by a customer whose record was breached
TRUST_DROP_PUBLICITY = 0.02  # trust lost by every customer when a breach is public
BREACH_CHURN = 0.04  # extra one-off churn of affected customers (Ponemon abnormal churn)
DATA_HANDLING_DAMPING = 0.3  # trust hit reduction when data handling was disclosed


def breach_probability(exposure: float, maturity: float = 0.5, controls: float = 1.0) -> float:
    """Monthly probability of a material breach at a holder of ``exposure`` record-equivalents
    at security ``maturity`` whose controls multiply its hazard by ``controls``: Ponemon's
    monthly figure at the reference holding, its hazard scaled by (exposure / reference)
    ^SIZE_EXPONENT — increasing without a plateau, less than in proportion, 0 when nothing is
    held and never capped (below 1 at any holding a scenario allows)."""
    if exposure <= 0.0:
        return 0.0
    scale = np.exp(-MATURITY_SLOPE * (maturity - 0.5)) * controls
    scale *= (exposure / REFERENCE_RECORDS) ** SIZE_EXPONENT
    return clip(float(-np.expm1(scale * np.log1p(-BASE_MONTHLY_BREACH))), 0.0, 1.0)


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

    def __init__(self, policy: PrivacyPolicy, costs: Costs, weight: float = 1.0) -> None:
        self.policy, self.costs = policy, costs
        self.weight = weight  # customers per simulated customer (``customers.simulated``)
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

    def records_held(self, h: Holder) -> float:
        """Records ``h`` holds [records] (its slots times the sample's weight)."""
        held = int(np.count_nonzero(h.held))
        return held if self.weight == 1.0 else held * self.weight

    def exposure(self, h: Holder) -> float:
        """Record-equivalents ``h`` holds: records x share of their fields [records]."""
        return self.records_held(h) * self.fields_share(h)

    def records_exposed(self) -> float:
        """Record-equivalents held by vendors (records x share of fields) [records]."""
        return float(sum(self.exposure(h) for h in self.holders if h.third_party))

    def breach_probability(self, h: Holder) -> float:
        """Monthly probability of a material breach at holder ``h``."""
        return breach_probability(
            self.exposure(h), h.maturity, self.controls_factor() if h.third_party else 1.0
        )

    def controls_factor(self) -> float:
        """Multiplier of a vendor's breach hazard from the privacy controls [ratio]."""
        pol = self.policy
        factor = SECURE_STORAGE_EFFECT if pol.secure_storage else 1.0
        factor *= ENCRYPTION_EFFECT if pol.encryption else 1.0
        factor *= AGREEMENT_EFFECT if pol.confidentiality_agreement else 1.0
        return factor * (1.0 - AUDIT_EFFECT * (1.0 - np.exp(-pol.audits_per_year / 2.0)))

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
            records = len(hit) if self.weight == 1.0 else round(len(hit) * self.weight)
            fined = rng.random() < FINE_PROBABILITY[self.policy.regime]
            fine = self.fine(h, records, annual_revenue) if fined else 0.0
            cost = records * self.cost_per_record(h) + self.costs.breach_fixed_cost + fine
            out.append(Breach(h.name, records, cost, fine, hit))
        return out

    def trust_drop(self, disclosed_handling: bool) -> float:
        return TRUST_DROP_BREACHED * ((1 - DATA_HANDLING_DAMPING) if disclosed_handling else 1.0)

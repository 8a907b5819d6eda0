"""Customers: the customer base as vectorised numpy state (one array element per customer).

Each month every active customer may raise issues (Poisson, with gamma-distributed
individual rates), is routed to a channel, gets an outcome (resolved first time, resolved
after more contacts, unresolved) and an experience score; satisfaction and trust follow, and
churn depends on trust and on the month's outcome (SQM Group defection by resolution).
Churned slots are reused by newly acquired customers. Nothing here loops over customers: each
step is a few whole-array operations, done in place in preallocated buffers, and a step that
makes several passes over the arrays goes a cache-sized block at a time (docs/PERFORMANCE.md).
"""

from __future__ import annotations

import numpy as np

from simulator.model.service import ChannelMonth
from simulator.model.streams import Streams
from simulator.scenario.schema import Customers as CustomerParams

# Stated defection after an outcome (SQM Group): resolved first time, 2+ contacts, unresolved.
DEFECT_FIRST, DEFECT_LATER, DEFECT_UNRESOLVED = 0.05, 0.09, 0.25
SATISFACTION_WEIGHT = 0.4  # weight of this month's experience in satisfaction [share]
TRUST_ADJUSTMENT = 0.08  # monthly pull of trust towards its satisfaction-implied level [share]
TRUST_PER_SATISFACTION = 0.006  # trust level per satisfaction point above initial [1/point]
DISCLOSURE_DAMPING = 0.3  # informed customers feel quality-driven trust loss 30% less [share]
# extra defection after this month's outcome, relative to a first-time resolution; index -1
# (OUTCOME_NONE: no issue this month) adds nothing
DEFECT_BY_OUTCOME = np.array(
    [0.0, DEFECT_LATER - DEFECT_FIRST, DEFECT_UNRESOLVED - DEFECT_FIRST, 0.0]
)
# Customer state is single precision (7 significant digits, ample for rates, scores and
# probabilities given to 2-3 digits): half the memory traffic of double precision in every
# whole-array step. Sums and means are taken in double precision; so are the Poisson walks.
FLOAT = np.float32
ROUNDING_MARGIN = 1e-5  # relative, above single precision's 6e-8 (bounds used for thinning)
SPARE_SLOTS = 0.25  # array slack for growth of the customer base [share of initial count]
BLOCK = 131_072  # slots per block of whole-array work: 1 MiB per float array, cache-sized
OUTCOME_FIRST, OUTCOME_LATER, OUTCOME_UNRESOLVED, OUTCOME_NONE = 0, 1, 2, -1


def _beta(rng: np.random.Generator, mean: float, concentration: float, size: int) -> np.ndarray:
    mean = float(np.clip(mean, 1e-3, 1 - 1e-3))
    return rng.beta(mean * concentration, (1 - mean) * concentration, size)


_FEW = 32  # draws still climbing below which the walk goes one draw at a time


def poisson_by_inversion(
    u: np.ndarray, rate: np.ndarray, p_zero: np.ndarray, max_count: int = 200
) -> np.ndarray:
    """Poisson counts (at least 1) for uniforms ``u`` that already lie above P(0) = ``p_zero``.

    Walks up the cumulative distribution k = 1, 2, ... of each draw's ``rate``: a draw's
    count is the first k whose cumulative probability exceeds its uniform. After each step
    only the draws still climbing are kept, so the work follows the number of issues drawn
    rather than the largest count times the number of draws.
    """
    counts = np.ones(len(u), dtype=np.int64)  # past P(0): at least one issue each
    term = p_zero * rate  # P(N = k) at the current k
    cdf = p_zero + term  # P(N <= k)
    k = 1
    climbing = np.flatnonzero(u >= cdf)
    u, rate, term, cdf = (x.take(climbing) for x in (u, rate, term, cdf))
    while len(climbing) > _FEW and k < max_count:
        k += 1
        counts[climbing] = k
        term *= rate / k
        cdf += term
        still = np.flatnonzero(u >= cdf)
        climbing, u, rate, term, cdf = (x.take(still) for x in (climbing, u, rate, term, cdf))
    # the last few draws climb one at a time: the same double-precision steps, without an
    # array operation's fixed cost per step
    for i, ui, ri, ti, ci in zip(
        *(x.tolist() for x in (climbing, u, rate, term, cdf)), strict=True
    ):
        j = k
        while ui >= ci and j < max_count:
            j += 1
            ti *= ri / j
            ci += ti
        counts[i] = j
    return counts


class Customers:
    """The customer base. Arrays hold one value per slot; ``active`` marks live customers."""

    def __init__(
        self,
        params: CustomerParams,
        streams: Streams | int,
        reference_satisfaction: float = 80.0,
    ) -> None:
        self.params = params
        # one stream per mechanism, keyed by month and slot (``streams.py``): a customer's
        # luck is the same in every plan
        self.streams = streams if isinstance(streams, Streams) else Streams(streams)
        self.month = 0  # the month being simulated (``start_month``)
        # a sample (``customers.simulated``): each slot stands for ``weight`` customers, and
        # every count this class gives out (customers, issues, leavers, arrivals, breached)
        # is scaled back up; shares and means are the sample's own
        simulated = min(params.simulated or params.count, params.count)
        self.weight = params.count / simulated  # customers per simulated customer
        self.initial_count = simulated  # slots active at month 0
        # satisfaction with in-house service before the plan: customers start there, and trust
        # is anchored to it [0-100]
        self.reference_satisfaction = reference_satisfaction
        size = int(simulated * (1 + SPARE_SLOTS)) + 1
        self.active = np.zeros(size, dtype=bool)
        self.active[:simulated] = True
        self.n_active = simulated  # active slots
        # slots ever used: every active slot lies below ``end`` (new customers take the lowest
        # free slots), so whole-array work stops there
        self.end = simulated
        self._holes = np.zeros(0, dtype=np.intp)  # empty slots below ``end``, ascending
        # issues per month [1/month] (0 in an empty slot, so that it never raises one)
        self.contact_rate = np.zeros(size, dtype=FLOAT)
        self.p_no_issue = np.ones(size, dtype=FLOAT)  # exp(-contact_rate): P(no issue) a month
        # an empty slot holds satisfaction and trust 0, so a plain sum is the active ones' sum
        self.satisfaction = np.zeros(size, dtype=FLOAT)  # [0-100]
        self.trust = np.zeros(size, dtype=FLOAT)  # [0-1]
        self.privacy_sensitivity = np.zeros(size, dtype=FLOAT)  # [0-1]
        # monthly pull of trust towards its target: TRUST_ADJUSTMENT, 0 in an empty slot
        self._pull = np.zeros(size, dtype=FLOAT)
        self.informed = np.zeros(size, dtype=bool)  # told by the company it is outsourced
        self.aware = np.zeros(size, dtype=bool)  # knows it: told, or found out on discovery
        self.breached = np.zeros(size, dtype=bool)  # record was in a breach
        self.outcome = np.full(size, OUTCOME_NONE, dtype=np.int8)  # of this month's issue
        self._issuers = self._last_issuers = np.zeros(0, dtype=np.int64)
        self.unresolved = np.zeros(0, dtype=np.int64)  # slots left unresolved this month
        self._issuer_channel = np.zeros(0, dtype=np.intp)  # channel of each issuer
        self._outcome_luck = np.zeros(0)  # uniform deciding each issuer's outcome
        self.leavers = np.zeros(0, dtype=np.int64)  # slots that churned this month
        self.leaver_probability = np.zeros(0)  # their churn probability this month
        # buffers: this month's uniform draws (one per slot), intermediate results
        self._uniforms = np.zeros(size, dtype=FLOAT)
        self._work = np.zeros(size, dtype=FLOAT)
        self._fill(np.arange(simulated), self.streams.generator("customers", "initial"))
        self.monthly_baseline_churn = 1.0 - (1.0 - params.baseline_churn_annual) ** (1 / 12)
        self.churned_this_month: float = 0  # [customers]
        self.acquired_this_month: float = 0  # [customers]
        self.trust_lost_to_discovery = 0.0  # mean trust lost per customer, cumulative [0-1]
        self.trust_lost_to_disclosure = 0.0
        self.issues_by_channel: np.ndarray = np.zeros(0)
        self.csat_by_channel: np.ndarray = np.zeros(0)

    # -- state -------------------------------------------------------------------------------
    def _fill(
        self, slots: np.ndarray, rng: np.random.Generator, informed: float = 0.0, aware: float = 0.0
    ) -> None:
        """Give ``slots`` the state of newly arrived customers, their traits drawn from
        ``rng``: told of the outsourcing with probability ``informed``, knowing of it (told or
        from its discovery) with ``aware``."""
        p, n = self.params, len(slots)
        self.active[slots] = True
        self._pull[slots] = TRUST_ADJUSTMENT
        shape = p.contact_rate_dispersion
        self.contact_rate[slots] = rng.gamma(shape, p.contacts_per_customer_month / shape, n)
        self.p_no_issue[slots] = np.exp(-self.contact_rate[slots])
        self.satisfaction[slots] = np.clip(rng.normal(self.reference_satisfaction, 8.0, n), 0, 100)
        self.trust[slots] = _beta(rng, p.initial_trust, 20.0, n)
        self.privacy_sensitivity[slots] = _beta(rng, p.privacy_sensitivity_mean, 4.0, n)
        u = rng.random(n)
        self.informed[slots] = u < informed
        self.aware[slots] = u < max(aware, informed)
        self.breached[slots] = False

    def _empty(self, slots: np.ndarray) -> None:
        """``slots`` are left: an empty slot raises no issues and holds satisfaction and
        trust 0."""
        self.contact_rate[slots] = 0.0
        self.p_no_issue[slots] = 1.0
        self._pull[slots] = 0.0
        holes = np.concatenate([self._holes, slots])
        holes.sort(kind="stable")  # two ascending runs: merged
        self._holes = holes
        self.satisfaction[slots] = 0.0
        self.trust[slots] = 0.0

    def real(self, slots: float) -> float:
        """The customers ``slots`` simulated customers stand for [customers]."""
        return slots if self.weight == 1.0 else slots * self.weight

    def expected_issuers(self, volume: float = 1.0) -> float:
        """Customers expected to raise at least one issue in a month at ``volume``
        [customers/month]."""
        rate = self.contact_rate[: self.end].astype(np.float64) * volume
        return self.real(float((-np.expm1(-rate)).sum()))  # empty slots: rate 0, no issue

    def expected_issues(self, volume: float = 1.0) -> float:
        """Issues expected next month from the active customers, at that month's volume
        factor (``model/demand.py``) [issues/month]."""
        # empty slots: rate 0
        return self.real(volume * float(self.contact_rate.sum(dtype=np.float64)))

    @property
    def count(self) -> float:
        """Active customers [customers] (the active slots times ``weight``)."""
        return self.real(self.n_active)

    def _mean(self, values: np.ndarray) -> float:
        """Mean over the active customers of ``values`` (0 in every empty slot)."""
        n = self.n_active
        return float(values[: self.end].sum(dtype=np.float64)) / n if n else 0.0

    def mean_trust(self) -> float:
        return self._mean(self.trust)

    def mean_satisfaction(self) -> float:
        return self._mean(self.satisfaction)

    def informed_share(self) -> float:
        """Share of active customers the company told that service is outsourced."""
        e = self.end
        return float(np.count_nonzero(self.informed[:e] & self.active[:e]) / max(self.n_active, 1))

    def aware_share(self) -> float:
        """Share of active customers who know it, told or from its discovery."""
        e = self.end
        return float(np.count_nonzero(self.aware[:e] & self.active[:e]) / max(self.n_active, 1))

    def breached_count(self) -> float:
        """Active customers whose record was in a breach [customers]."""
        e = self.end
        return self.real(int(np.count_nonzero(self.breached[:e] & self.active[:e])))

    # -- monthly behaviour -------------------------------------------------------------------
    def start_month(self, month: int) -> None:
        """Month ``month`` begins: this month's draws are keyed by it."""
        self.month = month

    def raise_issues(self, routing: np.ndarray, volume: float = 1.0) -> np.ndarray:
        """Draw this month's issues and route each issuing customer to a channel.

        ``routing`` holds the share of issues per channel (sums to 1); ``volume`` scales
        every customer's rate this month (the demand forecast, ``model/demand.py``). Returns
        the number of issues per channel.
        """
        e = self.end
        rate, p_none = self.contact_rate[:e], self.p_no_issue[:e]
        if volume != 1.0:
            rate = rate * volume
            p_none = np.exp(-rate)
        # Poisson by inversion with one uniform per slot: most customers raise no issue, so
        # only the few who do need the (short) walk up the cumulative distribution. An empty
        # slot has P(no issue) = 1, which no uniform in [0, 1) reaches.
        issues = self.streams.generator("customers", "issues", month=self.month)
        u = issues.random(out=self._uniforms[:e], dtype=FLOAT)
        who = np.flatnonzero(u >= p_none)
        u_who, rate_who, p_none_who = (x.take(who).astype(np.float64) for x in (u, rate, p_none))
        counts = poisson_by_inversion(u_who, rate_who, p_none_who)
        # channel = how many cumulative routing shares lie at or below the issuer's uniform
        cdf = np.cumsum(routing)
        # each issuer's luck with this month's issue: its channel, then its outcome
        pick, self._outcome_luck = self.streams.uniform_pairs(
            ("customers", "issue"), self.month, who
        )
        channel = np.zeros(len(who), dtype=np.intp)
        for edge in cdf[:-1]:  # the last edge is 1: no draw reaches it
            channel += pick >= edge
        self._issuer_channel = channel
        self._issuers = who
        self._issue_counts = counts
        self.issues_by_channel = np.bincount(
            channel, weights=self._issue_counts, minlength=len(routing)
        )
        if self.weight != 1.0:
            self.issues_by_channel = self.issues_by_channel * self.weight
        return self.issues_by_channel

    def routed_to(self, channel: int) -> np.ndarray:
        """Slots of the customers routed to ``channel`` this month (ascending)."""
        return np.compress(self._issuer_channel == channel, self._issuers)

    def experience_service(self, channels: list[ChannelMonth], disclosed: bool) -> None:
        """Draw each issuing customer's outcome, update satisfaction and trust."""
        who, ch = self._issuers, self._issuer_channel
        p_first = np.array([c.p_first for c in channels]).take(ch)
        p_resolved = np.array([c.p_first + c.p_later for c in channels]).take(ch)
        u = self._outcome_luck
        outcome = np.greater_equal(u, p_first).view(np.int8)  # OUTCOME_FIRST is 0
        outcome += u >= p_resolved
        self.outcome[self._last_issuers] = OUTCOME_NONE
        self.outcome[who] = outcome
        self._last_issuers = who
        self.unresolved = who.compress(outcome == OUTCOME_UNRESOLVED)
        # the experience score of each (channel, outcome), and how many issuers had each
        scores = np.array([[c.score_first, c.score_later, c.score_unresolved] for c in channels])
        kind = ch * scores.shape[1] + outcome  # index of the issuer's (channel, outcome)
        tally = np.bincount(kind, minlength=scores.size).reshape(scores.shape)
        counts = tally.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            csat = (tally * scores).sum(axis=1) / np.maximum(counts, 1)
        self.csat_by_channel = np.where(counts > 0, csat, np.nan)
        experience = scores.astype(FLOAT).ravel().take(kind)
        s = self.satisfaction
        before = s.take(who)
        s[who] = before + FLOAT(SATISFACTION_WEIGHT) * (experience - before)
        self._update_trust(disclosed)

    def _update_trust(self, disclosed: bool) -> None:
        """Trust drifts towards the level implied by satisfaction; informed customers of a
        disclosed plan feel quality-driven trust losses less (docs/DESIGN.md: transparency).

        Whole-array operations over the slots below ``end``, a cache-sized block at a time
        so that intermediate results stay in the CPU cache. An empty slot's pull is 0, so its
        trust stays 0. Trust moves a share (at most ``TRUST_ADJUSTMENT``) of the way to a
        target in [0, 1], so it stays in [0, 1] without clipping.
        """
        # target = clip(initial + TRUST_PER_SATISFACTION (satisfaction - reference), 0, 1)
        offset = self.params.initial_trust - TRUST_PER_SATISFACTION * self.reference_satisfaction
        for block in self._blocks():
            trust = self.trust[block]
            target = np.multiply(
                self.satisfaction[block], TRUST_PER_SATISFACTION, out=self._work[block]
            )
            target += offset
            np.clip(target, 0, 1, out=target)
            change = np.subtract(target, trust, out=target)  # (the target is not needed again)
            change *= self._pull[block]
            if disclosed:
                damped = self.informed[block] & (change < 0)
                np.multiply(change, 1.0 - DISCLOSURE_DAMPING, out=change, where=damped)
            trust += change

    def _blocks(self) -> list[slice]:
        """The slots in consecutive blocks of ``BLOCK``."""
        n = self.end
        return [slice(i, min(i + BLOCK, n)) for i in range(0, n, BLOCK)]

    def hear_disclosure(self, reach: float, dip: float) -> None:
        """A disclosure campaign informs ``reach`` of customers at a small trust cost."""
        act = np.flatnonzero(self.active & ~self.informed)
        reached = act[self.streams.uniforms(("customers", "disclosure"), self.month, act) < reach]
        self.informed[reached] = True
        self.aware[reached] = True
        loss = np.minimum(self.trust[reached], dip * (0.5 + self.privacy_sensitivity[reached]))
        self.trust[reached] -= loss
        self.trust_lost_to_disclosure += float(loss.sum(dtype=np.float64)) / max(self.n_active, 1)

    def discover_outsourcing(self, drop: float) -> None:
        """Undisclosed outsourcing comes to light: every customer learns it (without being
        told: ``aware``, not ``informed``), trust falls."""
        act = self.active
        loss = np.minimum(self.trust[act], drop * (0.5 + self.privacy_sensitivity[act]))
        self.trust[act] -= loss
        self.aware[act] = True
        self.trust_lost_to_discovery += float(loss.sum(dtype=np.float64)) / max(self.n_active, 1)

    def suffer_breach(
        self, slots: np.ndarray, drop: float, publicity_drop: float, records_lost: bool = True
    ) -> None:
        """Customers whose records were breached (or who were wronged otherwise, without
        ``records_lost``) lose trust; all lose a little."""
        act = self.active
        self.trust[act] = np.clip(self.trust[act] - publicity_drop, 0, 1)
        hit = slots[self.active[slots]]
        if records_lost:
            self.breached[hit] = True
        loss = drop * (0.5 + self.privacy_sensitivity[hit])
        self.trust[hit] = np.clip(self.trust[hit] - loss, 0, 1)

    def churn_probability(self, out: np.ndarray | None = None) -> np.ndarray:
        """Monthly churn probability of every slot (0 for inactive), written into ``out`` if
        given."""
        p = self.params
        prob = np.subtract(p.initial_trust, self.trust, out=out)  # trust shortfall
        prob *= p.trust_churn_elasticity
        np.exp(prob, out=prob)
        prob *= self.monthly_baseline_churn
        who = self._last_issuers
        prob[who] += p.intent_to_churn_realisation * DEFECT_BY_OUTCOME[self.outcome[who]]
        prob *= self.active  # inactive slots: 0
        return np.minimum(prob, 1.0, out=prob)

    def churn_probability_of(self, slots: np.ndarray) -> np.ndarray:
        """Monthly churn probability of the customers in ``slots`` (all active); the same
        numbers as :meth:`churn_probability` gives them."""
        p = self.params
        prob = np.subtract(p.initial_trust, self.trust.take(slots))
        prob *= p.trust_churn_elasticity
        np.exp(prob, out=prob)
        prob *= self.monthly_baseline_churn
        # this month's outcome (none: not an issuer this month, no extra defection)
        prob += p.intent_to_churn_realisation * DEFECT_BY_OUTCOME.take(self.outcome.take(slots))
        return np.minimum(prob, 1.0, out=prob)

    def _trust_churn_bound(self) -> float:
        """An upper bound of the churn probability of a customer without a poor outcome this
        month: trust 0 (with a margin for single-precision rounding)."""
        p = self.params
        top = self.monthly_baseline_churn * np.exp(p.trust_churn_elasticity * p.initial_trust)
        return float(min(top, 1.0) * (1 + ROUNDING_MARGIN))

    def highest_churn_probability(self) -> float:
        """An upper bound of every customer's churn probability: trust 0 and an unresolved
        issue this month (with a margin for single-precision rounding)."""
        p = self.params
        top = self.monthly_baseline_churn * np.exp(p.trust_churn_elasticity * p.initial_trust)
        top += p.intent_to_churn_realisation * DEFECT_BY_OUTCOME.max()
        return float(min(top, 1.0) * (1 + ROUNDING_MARGIN))

    def churn(self, extra: np.ndarray | None = None) -> float:
        """Customers leave, each with their churn probability; ``extra`` adds one-off churn
        probability per slot.

        One uniform per slot decides. Without ``extra``, only customers whose uniform lies
        below the churn of a customer with trust 0 can leave, or this month's issuers with a
        poor outcome whose uniform lies below :meth:`highest_churn_probability`; only their
        probabilities are computed (exact thinning: the same leavers as comparing every
        slot). The leavers' slots and probabilities are kept in ``leavers`` and
        ``leaver_probability``.
        """
        e = self.end
        churn = self.streams.generator("customers", "churn", month=self.month)
        u = churn.random(out=self._uniforms[:e], dtype=FLOAT)
        if extra is None:
            # who can leave: anyone whose uniform lies below the churn of trust 0, and this
            # month's issuers with a poor outcome whose uniform lies below the highest churn
            anyone, top = self._trust_churn_bound(), self.highest_churn_probability()
            maybe = np.flatnonzero(u < anyone)
            issuers = self._last_issuers
            poor = np.compress(self.outcome.take(issuers) > OUTCOME_FIRST, issuers)
            luck = u.take(poor)
            maybe = np.concatenate([maybe, np.compress((luck >= anyone) & (luck < top), poor)])
            maybe.sort(kind="stable")  # two ascending runs: merged
            maybe = np.compress(self.active.take(maybe), maybe)
            prob = self.churn_probability_of(maybe)
            leave = u.take(maybe) < prob
            self.leavers, self.leaver_probability = maybe.compress(leave), prob.compress(leave)
        else:
            prob = self.churn_probability(out=self._work)[:e]
            prob += extra[:e]
            self.leavers = np.flatnonzero((u < prob) & self.active[:e])
            self.leaver_probability = prob.take(self.leavers)
        self.active[self.leavers] = False
        self._empty(self.leavers)
        self.n_active -= len(self.leavers)
        self.churned_this_month = self.real(len(self.leavers))  # [customers]
        return self.churned_this_month

    def expected_status_quo_churn(self, channel: ChannelMonth) -> float:
        """Expected monthly churn probability per customer under in-house service at month 0."""
        p = self.params
        rate = p.contacts_per_customer_month
        # contact rates are gamma distributed: P(at least one issue) = 1 - (1 + r/k)^-k
        k = p.contact_rate_dispersion
        p_issue = 1.0 - (1.0 + rate / k) ** (-k)
        defect = channel.p_later * (DEFECT_LATER - DEFECT_FIRST) + channel.p_unresolved * (
            DEFECT_UNRESOLVED - DEFECT_FIRST
        )
        shortfall = p.initial_trust - self.trust[self.active]
        hazard = self.monthly_baseline_churn * np.exp(p.trust_churn_elasticity * shortfall).mean()
        return float(hazard + p.intent_to_churn_realisation * p_issue * defect)

    def acquire(self, expected: float, informed: float, aware: float) -> np.ndarray:
        """New customers arrive (Poisson with mean ``expected``, in simulated customers) into
        free slots, told of the
        outsourcing with probability ``informed`` and knowing of it with ``aware``; returns
        the slots they took."""
        rng = self.streams.generator("customers", "arrivals", month=self.month)
        e, size = self.end, len(self.active)
        wanted = int(rng.poisson(max(expected, 0.0)))
        free = self._holes  # the lowest free slots first
        if len(free) < wanted:
            free = np.concatenate([free, np.arange(e, min(size, e + wanted - len(free)))])
        slots = free[:wanted]
        self._holes = self._holes[len(slots) :]
        self._fill(slots, rng, informed, aware)
        n = len(slots)
        if n:
            self.end = max(e, int(slots[-1]) + 1)
        self.n_active += n
        self.acquired_this_month = self.real(n)  # [customers]
        return slots

"""Service: what a channel (in-house or a vendor) delivers in a month.

Queueing is Erlang C (M/M/N) over the channel's opening hours; first-contact resolution
follows the agents' product, language and cultural proficiency and the cadence of joint
communication with the in-house team; CSAT is the mean experience score of the month's
contacts. Times are in seconds unless stated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaincc, gammaln

OPEN_HOURS_PER_MONTH = 12.0 * 30.4  # the centre answers 12 hours a day [hours/month]
SHRINKAGE = 0.30  # paid time not available for contacts: breaks, training, absence [share]
BASE_HANDLE_TIME_S = 590.0  # median handle time (APQC) [s]
TARGET_ANSWER_S = 20.0  # service-level threshold: answered within 20 s [s]
MAX_WAIT_S = 1800.0  # a contact that would wait longer is abandoned [s]
FCR_BEST = 0.80  # world-class first-contact resolution (SQM) [share]
LATER_RESOLUTION = 0.70  # share of contacts not resolved first time that are resolved later
REPEAT_CONTACTS = 1.5  # extra contacts per issue not resolved first time [contacts]

# Experience score of one issue by outcome [0-100] and its modifiers.
SCORE_FIRST, SCORE_LATER, SCORE_UNRESOLVED = 90.0, 62.0, 28.0
WAIT_PENALTY_PER_MIN = 1.0  # [points per minute of average wait]
ACCENT_PENALTY = 30.0  # after unfavourable outcomes, scaled by language and culture gaps [points]
BOUNDARY_PENALTY = 6.0  # contact handled across the firm boundary (Whitaker et al. 2008)
ORIENTATION_BONUS = 10.0  # per unit of agent wellbeing above 0.6 [points]


def clip(x: float, low: float, high: float) -> float:
    """``x`` limited to [low, high] (a scalar ``np.clip`` without the array machinery)."""
    return float(min(max(x, low), high))


def erlang_c(agents: float, load: float) -> float:
    """Probability that a contact waits, for ``agents`` servers and offered ``load`` (Erlangs).

    Uses Erlang B from the regularised incomplete gamma function, which is numerically
    stable for thousands of agents and continuous in a fractional number of agents.
    """
    if load <= 0.0:
        return 0.0
    if agents <= load:
        return 1.0
    log_pmf = agents * np.log(load) - load - gammaln(agents + 1.0)
    cdf = gammaincc(agents + 1.0, load)
    erlang_b = float(np.exp(log_pmf) / cdf) if cdf > 0 else 1.0
    return float(agents * erlang_b / (agents - load * (1.0 - erlang_b)))


@dataclass(frozen=True)
class Queue:
    """Queueing outcome of a channel in a month."""

    service_level: float  # share answered within TARGET_ANSWER_S [share]
    average_wait_s: float  # average speed of answer of answered contacts [s]
    answered_share: float  # share of contacts answered (rest abandoned) [share]
    occupancy: float  # share of on-duty agent time spent handling contacts [share]


def queue(
    contacts: float,
    staff: float,
    handle_time_s: float,
    paid_hours: float,
    answer_s: float = TARGET_ANSWER_S,
) -> Queue:
    """Erlang C for ``contacts`` a month handled by ``staff`` agents paid ``paid_hours`` each;
    the service level is the share answered within ``answer_s``."""
    if contacts <= 0.0:
        return Queue(1.0, 0.0, 1.0, 0.0)
    if staff <= 0.0:
        return Queue(0.0, MAX_WAIT_S, 0.0, 1.0)
    on_duty = staff * paid_hours * (1.0 - SHRINKAGE) / OPEN_HOURS_PER_MONTH
    load = contacts / (OPEN_HOURS_PER_MONTH * 3600.0) * handle_time_s
    if on_duty <= load * 1.001:
        return Queue(0.0, MAX_WAIT_S, on_duty / load, 1.0)
    p_wait = erlang_c(on_duty, load)
    gap = on_duty - load
    wait = min(MAX_WAIT_S, p_wait * handle_time_s / gap)
    level = 1.0 - p_wait * float(np.exp(-gap * answer_s / handle_time_s))
    return Queue(clip(level, 0.0, 1.0), wait, 1.0, load / on_duty)


@dataclass(frozen=True)
class Proficiency:
    """Mean abilities of a channel's agents, each an index in [0, 1]."""

    product: float
    language: float
    culture: float
    wellbeing: float
    knowledge_sharing: float  # 0 = no joint communication with the in-house team, 1 = frequent


def handle_time(p: Proficiency) -> float:
    """Average handle time [s]: novices and language gaps take longer."""
    return BASE_HANDLE_TIME_S * (1.0 + 0.5 * (1.0 - p.product)) * (1.0 + 0.3 * (1.0 - p.language))


def first_contact_resolution(p: Proficiency) -> float:
    """Share of issues resolved on the first contact (SQM: 70% average, 80% world class)."""
    language = 1.0 - 0.55 * (1.0 - p.language)
    culture = 1.0 - 0.25 * (1.0 - p.culture)
    sharing = 0.90 + 0.10 * p.knowledge_sharing
    product = 0.35 + 0.65 * p.product
    return clip(FCR_BEST * product * language * culture * sharing, 0.0, 1.0)


def escalation_share(p: Proficiency) -> float:
    """Share of contacts escalated to the in-house team [share]."""
    return clip(0.25 * (1.0 - p.product) + 0.1 * (1.0 - p.knowledge_sharing), 0.0, 1.0)


def contacts_for(issues: float, p: Proficiency) -> float:
    """Contacts a month for ``issues`` (repeats of issues not resolved first time)."""
    return issues * (1.0 + (1.0 - first_contact_resolution(p)) * REPEAT_CONTACTS)


def staff_for_service_level(
    issues: float,
    p: Proficiency,
    paid_hours: float,
    target: float = 0.80,
    answer_s: float = TARGET_ANSWER_S,
) -> int:
    """Fewest paid agents with whom ``target`` of the contacts for ``issues`` are answered
    within ``answer_s`` (Erlang C, as contact centres staff: the 80/20 convention). Small
    groups need proportionally more agents than large ones (economies of scale)."""
    if issues <= 0:
        return 0
    contacts, aht = contacts_for(issues, p), handle_time(p)

    def level(staff: int) -> float:
        return queue(contacts, staff, aht, paid_hours, answer_s).service_level

    per_agent = paid_hours * (1.0 - SHRINKAGE) / OPEN_HOURS_PER_MONTH  # on duty per paid agent
    load = contacts / (OPEN_HOURS_PER_MONTH * 3600.0) * aht  # [Erlangs]
    low = int(load / per_agent)  # too few: cannot keep up
    # square-root staffing: the answer lies a few √load above the load (Halfin & Whitt 1981),
    # so start the search there; double until enough, then bisect
    high = max(low + 1, int((load + 3.0 * math.sqrt(load) + 2.0) / per_agent))
    while level(high) < target:
        low, high = high, 2 * high
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if level(mid) >= target else (mid, high)
    return high


@dataclass(frozen=True)
class ChannelMonth:
    """Everything a channel delivers in a month; outcome shares are per issue."""

    issues: float
    contacts: float
    staff: float
    handle_time_s: float
    queue: Queue
    fcr: float
    p_first: float
    p_later: float
    p_unresolved: float
    score_first: float
    score_later: float
    score_unresolved: float
    escalations: float

    @property
    def csat(self) -> float:
        """Expected satisfaction (0-100) of this channel's issues this month."""
        return (
            self.p_first * self.score_first
            + self.p_later * self.score_later
            + self.p_unresolved * self.score_unresolved
        )


def serve(
    issues: float,
    staff: float,
    paid_hours: float,
    p: Proficiency,
    external: bool,
) -> ChannelMonth:
    """Serve ``issues`` customer issues in a month with ``staff`` agents of proficiency ``p``."""
    fcr = first_contact_resolution(p)
    aht = handle_time(p)
    contacts = contacts_for(issues, p)
    q = queue(contacts, staff, aht, paid_hours)
    p_first = fcr * q.answered_share
    p_later = (1.0 - p_first) * LATER_RESOLUTION * q.answered_share
    p_unres = 1.0 - p_first - p_later
    wait_pen = WAIT_PENALTY_PER_MIN * q.average_wait_s / 60.0
    accent = ACCENT_PENALTY * (1.0 - p.language) * (0.6 + 0.4 * (1.0 - p.culture))
    shift = ORIENTATION_BONUS * (p.wellbeing - 0.6) - wait_pen - (BOUNDARY_PENALTY * external)
    return ChannelMonth(
        issues=issues,
        contacts=contacts,
        staff=staff,
        handle_time_s=aht,
        queue=q,
        fcr=fcr,
        p_first=p_first,
        p_later=p_later,
        p_unresolved=p_unres,
        score_first=clip(SCORE_FIRST + shift, 0.0, 100.0),
        score_later=clip(SCORE_LATER + shift - 0.5 * accent, 0.0, 100.0),
        score_unresolved=clip(SCORE_UNRESOLVED + shift - accent, 0.0, 100.0),
        escalations=contacts * escalation_share(p),
    )

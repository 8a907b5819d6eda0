"""Service: what a channel (in-house or a vendor) delivers in a month.

Queueing is Erlang C (M/M/N) per hour of the day on whole agents; first-contact resolution
follows the agents' product, language and cultural proficiency and the cadence of joint
communication with the in-house team; CSAT is the mean experience score of the month's
contacts. Times are in seconds unless stated.

Design of the queue (``queue``), as a contact centre plans and runs it (the stationary
interval-by-interval Erlang C of workforce management: Gans, Koole & Mandelbaum 2003,
"Telephone call centers: tutorial, review and research prospects", M&SOM 5(2) §3-4;
Koole 2013, "Call Center Optimization", ch. 4-6; Cleveland 2012, "Call Center Management
on Fast Forward", 3rd ed., ch. 5-6):

1. Arrivals. The month's contacts fall evenly on ``OPEN_DAYS_PER_MONTH`` days and, within
   a day, over the ``OPEN_HOURS_PER_DAY`` open hours by ``INTRADAY_PROFILE`` (two peaks,
   mid-morning and early afternoon). An hour's offered load is its contacts × AHT / 3600
   [Erlangs]; each hour is a stationary M/M/N queue (the SIPP approach).
2. Rosters. The paid agents' on-duty hours (paid hours less ``SHRINKAGE``) are spread over
   the open hours. A perfect roster would follow the profile; real ones are built from
   fixed shifts and follow it only partly. ``SCHEDULE_EFFICIENCY`` is the workforce-
   management measure 1 − Σ|scheduled − required| / Σ required, with the requirement in
   proportion to the workload: the roster is a blend of the profile and a flat line,
   weighted so that it scores exactly that efficiency (``coverage``). Hours are conserved:
   what the peaks lack, the quiet hours have in excess.
3. Whole agents. An hour with 18.9 agents on duty on average is staffed with 18 on 10% of
   the days and 19 on 90% (hours conserved, no randomness); Erlang C is evaluated at those
   integers only and the two are averaged.
4. The month. Service level, answered share and occupancy are averaged over hours and days
   weighted by contacts (occupancy: busy over on-duty agent time); the average speed of
   answer is weighted by contacts answered. An hour whose agents cannot keep up
   (N ≤ 1.001 A) answers N/A of its contacts (the rest abandon), none within the target,
   after ``MAX_WAIT_S``.

Staffing (``staff_for_service_level``) searches the fewest paid agents meeting a target
under this same queue; the month's service level never falls as agents are added, so a
bracketed search is exact. It evaluates many candidates in one numpy pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaincc, gammaln

OPEN_HOURS_PER_DAY = 12.0  # the centre answers 08:00-20:00 [hours/day] (assumption)
OPEN_DAYS_PER_MONTH = 30.4  # every day of the week, no weekly pattern [days/month] (assumption)
OPEN_HOURS_PER_MONTH = OPEN_HOURS_PER_DAY * OPEN_DAYS_PER_MONTH  # [hours/month]
# Share of a day's contacts in each open hour, 08-09 … 19-20 [share, sums to 1]. Assumption:
# the typical weekday two-peak shape (a mid-morning peak, a lunch dip, a lower early-
# afternoon peak, an evening decline) described by Gans, Koole & Mandelbaum (2003, §3,
# the arrival pattern of a US bank's centre) and Cleveland (2012, ch. 5); the hourly
# shares are ours, not a data set's. Peak hour 1.32 × the mean hour, last hour 0.48 ×.
INTRADAY_PROFILE = np.array(
    [0.045, 0.080, 0.110, 0.110, 0.095, 0.095, 0.105, 0.100, 0.090, 0.075, 0.055, 0.040]
)
INTRADAY_PROFILE.setflags(write=False)
# How closely rosters follow the profile: 1 − Σ|scheduled − required| / Σ required over the
# hours (the workforce-management definition: Cleveland 2012 ch. 6; Call Centre Helper,
# "How to calculate schedule efficiency"). Assumption: 0.90, a good roster of fixed shifts
# with staggered starts; a flat roster scores 1 − Σ|s − 1/12| = 0.76 on this profile.
SCHEDULE_EFFICIENCY = 0.90  # [share, between the flat roster's 0.76 and 1]
SHRINKAGE = 0.30  # paid time not available for contacts: breaks, training, absence [share]
BASE_HANDLE_TIME_S = 590.0  # median handle time (APQC) [s]
TARGET_ANSWER_S = 20.0  # service-level threshold: answered within 20 s [s]
MAX_WAIT_S = 1800.0  # a contact that would wait longer is abandoned [s]
OVERLOAD = 1.001  # an interval with N ≤ OVERLOAD × A agents cannot keep up [ratio]
_CANDIDATES = 12  # staffings tried at once in the staffing search (speed only)
_TINY_LOAD = 1e-12  # floor on an interval's load, so that a quiet one stays finite [Erlangs]
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


def _erlang_b(agents: np.ndarray, load: np.ndarray) -> np.ndarray:
    """Erlang B, the blocking probability of ``agents`` servers (≥ 0) and offered ``load``
    (> 0) [Erlangs], from the regularised upper incomplete gamma function Q:
    B = a^N e^(−a) / N! / Q(N+1, a). Stable for thousands of agents, defined for fractional
    N. Where Q underflows (N far below the load) B is meaningless; callers treat those as
    overloaded."""
    cdf = gammaincc(agents + 1.0, load)
    pmf = np.exp(agents * np.log(load) - load - gammaln(agents + 1.0))
    return pmf / np.maximum(cdf, 1e-300)


def erlang_c_array(agents: np.ndarray, load: np.ndarray) -> np.ndarray:
    """Erlang C element by element: the probability that a contact waits, for ``agents``
    servers and offered ``load`` [Erlangs] (broadcast together): C = N B / (N − a (1 − B)),
    1 where agents ≤ load, 0 where the load is 0."""
    n, a = np.broadcast_arrays(np.asarray(agents, float), np.asarray(load, float))
    busy, quiet = n <= a, a <= 0.0
    n_ = np.where(busy | quiet, 1.0, n)  # stand-ins where the formula is not used
    a_ = np.where(busy | quiet, 0.5, a)
    b = _erlang_b(n_, a_)
    return np.where(quiet, 0.0, np.where(busy, 1.0, n_ * b / (n_ - a_ * (1.0 - b))))


def erlang_c(agents: float, load: float) -> float:
    """Probability that a contact waits, for ``agents`` servers and offered ``load``
    (Erlangs): ``erlang_c_array`` on one pair."""
    if load <= 0.0:
        return 0.0
    if agents <= load:
        return 1.0
    return float(erlang_c_array(np.asarray(agents), np.asarray(load)))


@dataclass(frozen=True)
class Queue:
    """Queueing outcome of a channel in a month, over its open intervals and days."""

    service_level: float  # share answered within TARGET_ANSWER_S [share]
    average_wait_s: float  # average speed of answer of answered contacts [s]
    answered_share: float  # share of contacts answered (rest abandoned) [share]
    occupancy: float  # share of on-duty agent time spent handling contacts [share]


def coverage(
    profile: np.ndarray = INTRADAY_PROFILE, efficiency: float = SCHEDULE_EFFICIENCY
) -> np.ndarray:
    """Agents on duty in each open hour as a multiple of the day's mean [ratio, mean 1].

    The roster is w × the profile + (1 − w) × flat, with w set so that it scores
    ``efficiency`` = 1 − Σ|scheduled − required| / Σ required against the profile:
    1 − (1 − w) D, D = Σ|s − 1/k| (the flat roster's shortfall), so w = 1 − (1 − e)/D."""
    k = len(profile)
    gap = float(np.abs(profile - 1.0 / k).sum())
    if not 1.0 - gap <= efficiency <= 1.0:
        msg = f"schedule efficiency {efficiency} outside [{1.0 - gap:.3f}, 1] for this profile"
        raise ValueError(msg)
    w = 1.0 - (1.0 - efficiency) / gap if gap > 0 else 1.0
    return k * (w * profile + (1.0 - w) / k)


_SHARE = INTRADAY_PROFILE / INTRADAY_PROFILE.sum()  # contacts by interval [share]
_COVERAGE = coverage(_SHARE)  # the default roster, worked out once [ratio]


def _roster(profile: np.ndarray, efficiency: float) -> tuple[np.ndarray, np.ndarray]:
    """(contacts by interval [share], ``coverage``) for a profile and schedule efficiency."""
    if profile is INTRADAY_PROFILE and efficiency == SCHEDULE_EFFICIENCY:
        return _SHARE, _COVERAGE
    share = profile / profile.sum()
    return share, coverage(share, efficiency)


def _outcomes(
    n: np.ndarray, a: np.ndarray, b: np.ndarray, handle_time_s: float, answer_s: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The queue of ``n`` whole agents, offered load ``a`` [Erlangs] with Erlang B ``b``:
    (service level, answered share, answered share × (MAX_WAIT_S − wait) [s], busy
    agents). An interval that cannot keep up (n ≤ OVERLOAD × a) answers n/a of its
    contacts (at most all), none within ``answer_s``, after MAX_WAIT_S. (The wait is
    carried as its shortfall from MAX_WAIT_S so that averages of MAX_WAIT_S stay exact.)"""
    over = n <= a * OVERLOAD
    gap = np.where(over, 1.0, n - a)
    c = np.where(over, 1.0, n * b / (n - a * (1.0 - b)))
    level = np.where(over, 0.0, 1.0 - c * np.exp(gap * (-answer_s / handle_time_s)))
    answered = np.where(over, np.minimum(n / a, 1.0), 1.0)
    wait = np.where(over, MAX_WAIT_S, np.minimum(MAX_WAIT_S, c * handle_time_s / gap))
    return level, answered, answered * (MAX_WAIT_S - wait), answered * a


def whole_agent_service(
    agents: np.ndarray, load: np.ndarray, handle_time_s: float, answer_s: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """An interval's queue on a whole number of ``agents`` with offered ``load`` [Erlangs],
    element by element: (service level [share], average wait of the answered [s],
    answered share, busy agents); the overload rule of ``_outcomes``."""
    n, a = np.broadcast_arrays(np.asarray(agents, float), np.maximum(load, _TINY_LOAD))
    with np.errstate(all="ignore"):
        level, answered, early, busy = _outcomes(n, a, _erlang_b(n, a), handle_time_s, answer_s)
        wait = np.where(answered > 0, MAX_WAIT_S - early / answered, MAX_WAIT_S)
    return level, wait, answered, busy


def _intervals(
    on_duty: np.ndarray, load: np.ndarray, handle_time_s: float, answer_s: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each interval's queue with ``on_duty`` agents on average over the days: ⌊on_duty⌋
    on some days and one more on the others, in the proportions that conserve the hours.
    Returns ``_outcomes``' four, each the average over the days."""
    low = np.floor(on_duty)
    up = on_duty - low  # share of the days with one more agent
    a = np.maximum(load, _TINY_LOAD)
    with np.errstate(all="ignore"):
        b = _erlang_b(low, a)
        fewer = _outcomes(low, a, b, handle_time_s, answer_s)
        # Erlang B's recursion, B(N+1) = a B(N) / (N + 1 + a B(N)), gives one more agent
        more = _outcomes(low + 1.0, a, a * b / (low + 1.0 + a * b), handle_time_s, answer_s)
    (l0, n0, w0, b0), (l1, n1, w1, b1) = fewer, more
    return l0 + up * (l1 - l0), n0 + up * (n1 - n0), w0 + up * (w1 - w0), b0 + up * (b1 - b0)


def _interval_levels(
    on_duty: np.ndarray, load: np.ndarray, handle_time_s: float, answer_s: float
) -> np.ndarray:
    """The service level alone of ``_intervals`` (the staffing search needs nothing else;
    the same arithmetic, fewer arrays)."""
    low = np.floor(on_duty)
    a = np.maximum(load, _TINY_LOAD)
    with np.errstate(all="ignore"):
        b = _erlang_b(low, a)
        levels = []
        for n, bn in ((low, b), (low + 1.0, a * b / (low + 1.0 + a * b))):
            gap = n - a
            c = n * bn / (gap + a * bn)
            levels.append(
                np.where(n > a * OVERLOAD, 1.0 - c * np.exp(gap * (-answer_s / handle_time_s)), 0.0)
            )
    return levels[0] + (on_duty - low) * (levels[1] - levels[0])


def _interval_load(contacts: float, handle_time_s: float, share: np.ndarray) -> np.ndarray:
    """Offered load in each interval of an open day [Erlangs]: its contacts a day over its
    length (``OPEN_HOURS_PER_DAY`` / intervals) × AHT. ``share`` sums to 1."""
    hours = OPEN_HOURS_PER_DAY / len(share)
    return contacts / OPEN_DAYS_PER_MONTH * share / hours * handle_time_s / 3600.0


def _on_duty_per_agent(paid_hours: float) -> float:
    """Agents on duty in the mean open hour per paid agent [agents]."""
    return paid_hours * (1.0 - SHRINKAGE) / OPEN_HOURS_PER_MONTH


def queue(
    contacts: float,
    staff: float,
    handle_time_s: float,
    paid_hours: float,
    answer_s: float = TARGET_ANSWER_S,
    *,
    profile: np.ndarray = INTRADAY_PROFILE,
    efficiency: float = SCHEDULE_EFFICIENCY,
) -> Queue:
    """The month's queue for ``contacts`` handled by ``staff`` agents paid ``paid_hours``
    each: Erlang C per open hour on whole agents, rostered to the intraday ``profile`` with
    ``efficiency`` (module docstring); the service level is the share answered within
    ``answer_s``. A flat profile with efficiency 1 and a whole number on duty is the
    textbook single-interval Erlang C."""
    if contacts <= 0.0:
        return Queue(1.0, 0.0, 1.0, 0.0)
    if staff <= 0.0:
        return Queue(0.0, MAX_WAIT_S, 0.0, 1.0)
    share, cover = _roster(profile, efficiency)
    on_duty = staff * _on_duty_per_agent(paid_hours) * cover
    load = _interval_load(contacts, handle_time_s, share)
    level, answered, early, busy = _intervals(on_duty, load, handle_time_s, answer_s)
    # shares of contacts and of on-duty time, summed as shortfalls from 1 (and the wait from
    # MAX_WAIT_S) so that a month at either bound reports it exactly
    answered_share = 1.0 - float(share @ (1.0 - answered))
    early_s = float(share @ early) / answered_share if answered_share > 0 else 0.0
    wait = MAX_WAIT_S - early_s
    idle = float((on_duty - busy).sum() / on_duty.sum())
    return Queue(
        clip(float(share @ level), 0.0, 1.0),
        clip(wait, 0.0, MAX_WAIT_S),
        clip(answered_share, 0.0, 1.0),
        clip(1.0 - idle, 0.0, 1.0),
    )


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
    within ``answer_s`` under ``queue`` (Erlang C per interval on whole agents, as contact
    centres staff: the 80/20 convention). Small groups need proportionally more agents than
    large ones (economies of scale), and the intraday peaks more than the mean hour.

    The month's service level never falls as agents are added (each interval's on-duty
    agents grow with the staff, and the service level of whole agents grows with their
    number), so the answer is bracketed and the bracket cut, ``_CANDIDATES`` staffings at a
    time in one numpy pass. Fewer agents than the mean load needs cannot keep up and are never
    planned (the search starts above them)."""
    if issues <= 0:
        return 0
    contacts, aht = contacts_for(issues, p), handle_time(p)
    share, cover = _roster(INTRADAY_PROFILE, SCHEDULE_EFFICIENCY)
    per_agent = _on_duty_per_agent(paid_hours) * cover  # on duty per paid agent, by interval
    load = _interval_load(contacts, aht, share)  # [Erlangs]

    def levels(staff: np.ndarray) -> np.ndarray:
        return np.asarray(_interval_levels(staff[:, None] * per_agent, load, aht, answer_s) @ share)

    # too few: the mean on duty would not cover the mean load
    low = int(contacts * aht / (OPEN_HOURS_PER_MONTH * 3600.0) / _on_duty_per_agent(paid_hours))
    # square-root staffing: each interval's need lies a few √load above its load (Halfin &
    # Whitt 1981), so the interval needing most agents per paid agent bounds the answer;
    # double while not enough. Each pass tries up to _CANDIDATES staffings in (low, high]
    # and keeps the gap around the first that is enough (levels never fall with staff).
    need = (load + 3.0 * np.sqrt(load) + 2.0) / per_agent
    high = max(low + 1, math.ceil(float(need.max())))
    while True:
        step = max(1.0, (high - low) / _CANDIDATES)  # staffings to try: (low, high], ≥ 1 apart
        trial = np.minimum(high, low + np.ceil(step * np.arange(1, _CANDIDATES + 1)))
        trial = trial[: int(np.searchsorted(trial, high)) + 1]
        ok = levels(trial) >= target
        if not ok[-1]:  # even the bound is not enough: look above it
            low, high = high, 2 * high
            continue
        first = int(np.argmax(ok))
        high = int(trial[first])
        low = int(trial[first - 1]) if first else low
        if high - low == 1:
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

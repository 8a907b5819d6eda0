"""The queue on whole agents, against an integer Erlang C written here from the textbook.

The textbook recursion (Erlang B, then C) is the one in every workforce-management text
(e.g. Koole 2013, "Call Center Optimization", §5.2; Cleveland 2012, appendix):

    B(0) = 1,   B(k) = a·B(k−1) / (k + a·B(k−1)),   C(n) = n·B(n) / (n − a·(1 − B(n)))
    SL = 1 − C·e^{−(n−a)·T/AHT},   ASA = C·AHT / (n − a)

It works on integer agents only; the model's ``queue`` must agree with it on every interval
it evaluates.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.model.service import (
    INTRADAY_PROFILE,
    MAX_WAIT_S,
    OPEN_HOURS_PER_MONTH,
    SCHEDULE_EFFICIENCY,
    SHRINKAGE,
    Proficiency,
    contacts_for,
    coverage,
    handle_time,
    queue,
    staff_for_service_level,
    whole_agent_service,
)

FLAT = np.full(12, 1 / 12)


def erlang_c_integer(n: int, a: float) -> float:
    """Erlang C for ``n`` whole agents and ``a`` Erlangs by the Erlang B recursion."""
    if n <= a:
        return 1.0
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return n * b / (n - a * (1.0 - b))


def textbook(n: int, a: float, aht: float, target: float = 20.0) -> tuple[float, float]:
    """(service level, average speed of answer [s]) of n whole agents offered a Erlangs."""
    c = erlang_c_integer(n, a)
    return 1.0 - c * math.exp(-(n - a) * target / aht), c * aht / (n - a)


def month(on_duty: float, erlangs: float, aht: float) -> tuple[float, float]:
    """(contacts a month, paid staff) that put ``on_duty`` agents on duty in the mean open
    hour against ``erlangs`` of load, paid 173 hours a month."""
    per_agent = 173.0 * (1.0 - SHRINKAGE) / OPEN_HOURS_PER_MONTH
    return erlangs * OPEN_HOURS_PER_MONTH * 3600.0 / aht, on_duty / per_agent


POINTS = [(1, 0.5), (2, 1.0), (5, 3.2), (12, 9.0), (18, 14.7), (19, 14.7), (55, 48.0)]
POINTS += [(120, 108.3), (400, 380.0), (1500, 1460.0)]


@pytest.mark.parametrize(("agents", "load"), POINTS)
def test_whole_agents_match_the_textbook_recursion(agents: int, load: float) -> None:
    level, wait, answered, busy = whole_agent_service(np.array([agents]), load, 600.0, 20.0)
    sl, asa = textbook(agents, load, 600.0)
    assert level[0] == pytest.approx(sl, rel=1e-9, abs=1e-12)
    assert wait[0] == pytest.approx(min(asa, MAX_WAIT_S), rel=1e-9)
    assert answered[0] == 1.0 and busy[0] == pytest.approx(load)


@pytest.mark.parametrize(("agents", "load"), POINTS)
def test_the_month_on_a_flat_day_is_the_textbook_interval(agents: int, load: float) -> None:
    """A flat profile, a perfect roster and a whole number on duty: every open hour is the
    same textbook M/M/n queue."""
    contacts, staff = month(agents, load, 600.0)
    q = queue(contacts, staff, 600.0, 173.0, profile=FLAT, efficiency=1.0)
    sl, asa = textbook(agents, load, 600.0)
    assert q.service_level == pytest.approx(sl, rel=1e-9, abs=1e-12)
    assert q.average_wait_s == pytest.approx(min(asa, MAX_WAIT_S), rel=1e-9)
    assert q.answered_share == pytest.approx(1.0) and q.occupancy == pytest.approx(load / agents)


def test_an_overloaded_interval_answers_what_its_agents_can() -> None:
    level, wait, answered, busy = whole_agent_service(np.array([14, 0]), 14.7, 672.0, 20.0)
    assert level.tolist() == [0.0, 0.0] and wait.tolist() == [MAX_WAIT_S, MAX_WAIT_S]
    assert answered == pytest.approx([14 / 14.7, 0.0]) and busy.tolist() == [14.0, 0.0]


def test_bogota_month_24_on_whole_agents() -> None:
    """The review's example: Bogotá in month 24 has 18.9 agents on duty on average against
    14.7 Erlangs, AHT 672 s. Erlang C on the fraction 18.9 gave SL 0.809, ASA 34 s (the
    review's figures, from unrounded inputs); 18 whole agents give 0.715 and 64 s."""
    aht, on_duty, load = 672.0, 18.9, 14.7
    sl18, asa18 = textbook(18, load, aht)
    sl19, asa19 = textbook(19, load, aht)
    assert sl18 == pytest.approx(0.715, abs=0.005) and asa18 == pytest.approx(64.0, abs=1.0)
    contacts, staff = month(on_duty, load, aht)
    # a flat day with a perfect roster: 18 agents on 10% of the days and 19 on 90%
    flat = queue(contacts, staff, aht, 173.0, profile=FLAT, efficiency=1.0)
    assert flat.service_level == pytest.approx(0.1 * sl18 + 0.9 * sl19, rel=1e-9)
    assert flat.average_wait_s == pytest.approx(0.1 * asa18 + 0.9 * asa19, rel=1e-9)
    assert flat.service_level == pytest.approx(0.803, abs=5e-4)  # the fraction 18.9: 0.805
    # the model: the intraday profile and a roster of efficiency 0.9, hour by hour; built
    # again here from the definitions (shares s, roster w·s + (1−w)/12 scoring 0.9)
    s = np.asarray(INTRADAY_PROFILE)
    w = 1.0 - (1.0 - SCHEDULE_EFFICIENCY) / np.abs(s - 1 / 12).sum()
    levels, waits = [], []
    for share, cover in zip(s, 12 * (w * s + (1 - w) / 12), strict=True):
        n, a = on_duty * cover, load * 12 * share
        low, up = math.floor(n), n - math.floor(n)
        (l0, w0), (l1, w1) = textbook(low, a, aht), textbook(low + 1, a, aht)
        levels.append((1 - up) * l0 + up * l1)
        waits.append((1 - up) * w0 + up * w1)
    q = queue(contacts, staff, aht, 173.0)
    assert q.service_level == pytest.approx(float(s @ levels), rel=1e-9)
    assert q.average_wait_s == pytest.approx(float(s @ waits), rel=1e-9)
    assert q.service_level == pytest.approx(0.748, abs=5e-4)  # below the 0.80 it was staffed for
    assert q.average_wait_s == pytest.approx(56.1, abs=0.05)
    assert q.answered_share == pytest.approx(1.0) and q.occupancy == pytest.approx(load / on_duty)


def test_the_roster_conserves_hours_and_scores_its_efficiency() -> None:
    s = np.asarray(INTRADAY_PROFILE)
    assert s.sum() == pytest.approx(1.0) and (s > 0).all()
    for efficiency in (0.8, SCHEDULE_EFFICIENCY, 1.0):
        cover = coverage(s, efficiency)
        assert cover.mean() == pytest.approx(1.0)  # the paid on-duty hours, all of them
        assert 1 - np.abs(cover / 12 - s).sum() == pytest.approx(efficiency)
    assert coverage(s, 1.0) == pytest.approx(12 * s)
    assert coverage(FLAT, 1.0) == pytest.approx(np.ones(12))
    with pytest.raises(ValueError, match="schedule efficiency"):
        coverage(s, 0.5)  # worse than a flat roster: no blend scores it


def test_service_never_falls_as_agents_are_added() -> None:
    """What makes the staffing search exact: the month's service level and answered share
    rise (weakly) with the paid staff, across overload and whole-agent steps."""
    contacts, aht = 30_000.0, 660.0
    qs = [queue(contacts, staff, aht, 173.0) for staff in range(0, 120)]
    levels = [q.service_level for q in qs]
    answered = [q.answered_share for q in qs]
    assert all(b >= a - 1e-12 for a, b in zip(levels, levels[1:], strict=False))
    assert all(b >= a - 1e-12 for a, b in zip(answered, answered[1:], strict=False))
    assert levels[0] == 0.0 and levels[-1] > 0.99


@pytest.mark.parametrize("issues", [50, 700, 8_000, 150_000])
@pytest.mark.parametrize("target", [0.5, 0.8, 0.95])
def test_staffing_finds_the_fewest_agents_under_the_new_queue(issues: int, target) -> None:
    p = Proficiency(0.6, 0.7, 0.7, 0.55, 0.3)
    staff = staff_for_service_level(issues, p, 160.0, target=target, answer_s=30.0)
    contacts, aht = contacts_for(issues, p), handle_time(p)
    assert queue(contacts, staff, aht, 160.0, 30.0).service_level >= target
    assert queue(contacts, staff - 1, aht, 160.0, 30.0).service_level < target

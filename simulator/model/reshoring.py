"""Reshoring: work brought back in-house when a later phase lowers a vendor's share.

Three things happen that an outsourcing plan alone never needs (docs/MODEL.md §2a):

- **Recruitment.** The in-house centre needs more staff than it has. It refills positions
  left by normal quits first, then opens new positions. It can recruit and train at most
  ``workforce.hiring_capacity_monthly`` × the starting headcount a month, replacements and
  new positions together; temporary staff cover the rest of the gap meanwhile. Every hire
  costs ``REPLACEMENT_COST_MONTHS`` of pay (recruitment and initial training).
- **Time to proficiency.** ``workforce.proficiency`` is the average of an established staff,
  normal turnover and its new hires included. An agent hired into a *new* position starts at
  ``workforce.new_hire_proficiency`` of it and reaches it linearly over
  ``workforce.months_to_proficiency`` (Dimension Data 2015: 12.9 weeks on average).
- **Contract exit.** Positions a vendor releases because the plan lowers its share cost
  ``vendors[].exit_cost_per_agent`` each, once (notice, termination fees and knowledge
  transfer back), booked with the transition costs.

A new position is a new slot in the workforce's arrays: a new person, drawn like the
initial staff (tenure 0), followed like everyone else from then on.
"""

from __future__ import annotations

import numpy as np

# every per-worker array of ``employees.Workforce`` and its value for a new, empty slot
# (one entry per worker along the last axis; ``earnings`` and ``history`` are month × worker)
WORKER_FILLS: dict[str, object] = {
    "age": 0.0,
    "tenure": 0.0,
    "skill": 0.0,
    "wage": 0.0,
    "site": "",
    "protected": False,
    "start_age": 0.0,
    "start_tenure": 0.0,
    "state": 0,
    "months_in_state": 0,
    "displaced": False,
    "involuntary": False,
    "quit_on_notice": False,
    "displaced_month": -1,
    "separation_month": -1,
    "spell": 0,
    "jobless_months": 0,
    "first_job_month": -1,
    "first_pay_ratio": np.nan,
    "new_wage": 0.0,
    "job_start": -1,
    "firm_premium": 0.0,
    "part_time": False,
    "ui_months_left": 0,
    "severance_months": 0.0,
    "outplacement_left": 0,
    "training_effect": 0.0,
    "training_started": -1,
    "training_completed": False,
    "voluntary_quit": False,
    "opened_month": -1,
    "earnings": 0.0,
    "history": 0,
}


def widen(array: np.ndarray, count: int, fill: object) -> np.ndarray:
    """``array`` with ``count`` more workers (along its last axis), set to ``fill``."""
    shape = (*array.shape[:-1], count)
    return np.concatenate([array, np.full(shape, fill, dtype=array.dtype)], axis=-1)


def hires_allowed(capacity_share: float, headcount: int) -> int:
    """The most agents the company can recruit and train in a month [agents]: at least one
    when the capacity is positive, so a small centre can still rebuild."""
    if capacity_share <= 0 or headcount <= 0:
        return 0
    return max(1, int(round(capacity_share * headcount)))


def ramp(months_since_hire: np.ndarray, first_day: float, months: float) -> np.ndarray:
    """Each new position's hire's proficiency as a share of the established staff's:
    ``first_day`` when hired, rising linearly to 1 after ``months`` [share]."""
    if months <= 0:
        return np.ones(len(months_since_hire))
    learnt = np.clip(months_since_hire / months, 0.0, 1.0)
    return first_day + (1.0 - first_day) * learnt


def released_positions(before: np.ndarray, now: np.ndarray) -> np.ndarray:
    """Positions each vendor releases this month: the fall in the positions the plan moves
    to it (they follow its share alone, never a dip in demand) [agents]."""
    return np.maximum(np.asarray(before) - np.asarray(now), 0)

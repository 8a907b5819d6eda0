"""Employees: in-house customer-service workers and, once displaced, their path back to work.

State lives in numpy arrays on :class:`Workforce` (one element per worker) so a month is a
handful of array operations; each worker is also a Mesa ``Employee`` agent
(``employee.py``) whose attributes read those arrays, so ``model.agents_by_type[Employee]``
lists real people.

States: ``in_house`` → (``notice``) → ``redeployed`` | ``unemployed`` ⇄ ``retraining``;
``unemployed`` → ``reemployed`` | ``left_labour_force``; ``left_labour_force`` →
``reemployed`` | ``unemployed`` (a job taken, or search resumed); a new job may end (back to
``unemployed``). ``in_house`` staff also ``quit`` for other jobs: normal turnover, replaced
by new hires outside the plan's period, plus extra quits while rumours of the plan unsettle
them. A worker's slot is a position: a replacement hire takes over a leaver's slot.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.model.reshoring import WORKER_FILLS, ramp, widen
from simulator.model.streams import Streams
from simulator.model.wages import (
    FIRM_PREMIUM_SD,
    JOB_TO_JOB_OFFERS,
    comparison_pay,
    market_pay,
    monthly_growth,
    tenure_return,
)
from simulator.scenario.schema import LocalEconomy as LocalEconomyParams
from simulator.scenario.schema import LocalJobs
from simulator.scenario.schema import Workforce as WorkforceParams

if TYPE_CHECKING:
    pass


class State(IntEnum):
    in_house = 0
    notice = 1
    redeployed = 2
    unemployed = 3
    retraining = 4
    reemployed = 5
    left_labour_force = 6
    quit = 7  # left the company for another job (not displaced)


STATE_NAMES = [s.name for s in State]
WEEKS_PER_MONTH = 52.0 / 12.0

# Job search (see docs/MODEL.md for sources). Hazards are monthly probabilities.
# The monthly job finding of a displaced prime-age worker of average skill at the start of a
# spell at reference tightness, the prime-age exit from the labour force and its rise with the
# spell are fitted (calibration.FITTED): ``local_economy.displaced_job_finding``,
# ``leave_labour_force`` and ``discouragement`` (``JobSearch`` below).
# Duration dependence: callbacks to customer-service, sales and clerical applicants fall 45%
# from 1 to 8 months unemployed, then level off (Kroft, Lange & Notowidigdo 2013, QJE).
DURATION_DECAY = 0.0854  # fall of the hazard per month of the spell: e^(-7 × 0.0854) = 0.55
DURATION_FLOOR = 0.505  # the hazard's share of its initial value from month 8 on: e^(-8 × 0.0854)
AGE_BANDS = np.array([25.0, 55.0, 65.0])  # band edges [years]
AGE_JOB_FINDING = np.array([1.05, 1.0, 0.6, 0.35])  # <25, 25-54, 55-64, 65+
AGE_LEAVE_LABOUR_FORCE = np.array([1.0, 1.0, 0.8, 1.5])  # <25, 25-54, 55-64, 65+ [ratio]
# (the extra exit per month unemployed is fitted to 0 since the displaced can come back
# (below): the CPS durations then need no exit rising with the spell)
# Leaving the labour force is not for good: those out of it still take jobs, far more often
# soon after they stopped searching (Kudlyak & Lange 2014, FRB Richmond WP 14-18: monthly job
# finding 10% among the out-of-labour-force unemployed in the two previous months, 2% among
# those out of it three months running). [probability/month, reference tightness]
OUT_OF_LABOUR_FORCE_JOB_FINDING = np.array([0.10, 0.10, 0.02])  # months out 1, 2, 3+
# Search resumed, at the same rates: the lowest consistent with non-participants at the
# margin returning mostly through unemployment (Barnichon & Figura 2013); an assumption.
RETURN_TO_SEARCH = np.array([0.10, 0.10, 0.02])  # months out 1, 2, 3+
ON_NOTICE_SEARCH = 0.35  # search intensity while still working out notice [share]
TRAINING_LOCK_IN = 0.5  # search intensity while in training [share]
TRAINED_JOB_FINDING = 1.3  # hazard multiplier after completing training
TRAINING_WAGE_GAIN = 0.04  # log-wage gain from completed training
TRAINING_EARLY_START = 24.0  # training effect fades to zero if started this late [months]
OUTPLACEMENT_JOB_FINDING = 1.15  # hazard multiplier with job-search assistance
OUTPLACEMENT_MONTHS = 6
SEVERANCE_SEARCH = -0.05  # hazard change per month of pay received as severance (Card et al.)
SEVERANCE_SEARCH_MAX = 0.25
# New jobs are fragile: about half end within a year (Farber 1999, Handbook of Labor
# Economics), about half of those involuntarily; the displaced also suffer repeated job
# losses (Stevens 1997). Monthly loss of a new job in its first year, and after.
JOB_LOSS_FIRST_YEAR = 0.025
JOB_LOSS = 0.008
# New-job earnings relative to old: log ratio = skew-normal; firm-specific skill loss
# grows with tenure; long spells scar (BLS DWS: 57% earn less, a third lose 20%+).
WAGE_LOCATION = 0.36
WAGE_SCALE = 0.52
WAGE_SKEW = -7.0  # strongly negative: most recover, a few lose a lot (NBER w33667)
# A share of the re-employed find only part-time work (BLS DWS 2004: 19% of re-employed
# full-time job losers were not in full-time wage jobs); hours are the larger part of the
# long-run loss (Lachowska, Mas & Woodbury 2020). The pay distribution above is full-time.
PART_TIME_SHARE = 0.19
PART_TIME_HOURS = 0.55  # part-time hours over full-time (≈ 22 of 40 hours a week)
TENURE_LOSS = 0.012  # log points per year of tenure, up to 10 years
SCARRING = 0.006  # log points per month unemployed, up to 24 months
RUMOUR_QUIT = 0.010  # extra monthly quit probability of staff hearing rumours of the plan
INFORMED_QUIT = 0.003  # the same once told (notice or open communication)
# the mechanisms that draw a uniform per worker and month (``Workforce.draw``)
MECHANISMS = (
    *("redeployment", "take_up", "quits", "completion"),
    *("search", "hours", "leave", "rejoin", "job_loss", "offer"),
)
_MECHANISM_ROW = {m: i for i, m in enumerate(MECHANISMS)}
# what the workforce counts each month (``Workforce.take_events``)
EVENTS = (
    *("noticed", "separated", "redeployed", "quits", "quit_pool"),
    *("early_quits", "notice_quits", "job_to_job", "ladder_moves", "replacements"),
    *(
        "positions_opened",
        "hiring_paid",
        "hired",
        "training_starts",
        "training_completions",
        "severance_paid",
    ),
    *("outplacement_paid", "training_paid", "stipends_paid", "redeployment_paid", "ui_paid"),
)
# search intensity of a job seeker by state (indexed by ``State``): lower while working out
# notice or while in training, full otherwise
SEARCH_INTENSITY = np.ones(len(State))
SEARCH_INTENSITY[State.notice] = ON_NOTICE_SEARCH
SEARCH_INTENSITY[State.retraining] = TRAINING_LOCK_IN
REPLACEMENT_COST_MONTHS = 3.5  # cost of replacing an agent [months of pay] (Holman et al. 2007)


@dataclass(frozen=True)
class JobSearch:
    """The fitted constants of the displaced's search (``local_economy`` fields)."""

    job_finding: float  # at the start of a spell, prime age, reference tightness [1/month]
    leave: float  # prime-age exit from the labour force [1/month]
    discouragement: float  # extra exit per month unemployed [1/month per month]

    @classmethod
    def of(cls, economy: LocalEconomyParams | None = None) -> JobSearch:
        e = economy or LocalEconomyParams()
        return cls(e.displaced_job_finding, e.leave_labour_force, e.discouragement)


class Workforce:
    """Array state and monthly behaviour of all in-house workers (displaced or not)."""

    def __init__(
        self,
        params: WorkforceParams,
        policy: LocalJobs,
        horizon: int,
        streams: Streams | int,
        ui_months: int = 6,
        roster: list[Any] | None = None,
        layoffs: tuple[str, list[str]] = ("random", []),
        search: JobSearch | None = None,
    ) -> None:
        self.params, self.policy = params, policy
        self.search = search or JobSearch.of()
        self.streams = streams if isinstance(streams, Streams) else Streams(streams)
        self.month = 0  # the month being simulated (``start_month``)
        self._luck: np.ndarray | None = None  # this month's draws, one row per mechanism
        self.ui_months = ui_months  # unemployment-insurance entitlement [months]
        n = params.headcount
        self.n = n
        self._everyone = np.arange(n)
        self.age = np.zeros(n)  # [years]
        self.tenure = np.zeros(n)  # with the company [years]
        self.skill = np.zeros(n)  # general (portable) skill [0-1]
        self.wage = np.zeros(n)  # [USD/month]
        self._draw_people(np.arange(n), self.streams.generator("workforce", "people"), True)
        self.site = np.full(n, "", dtype=object)  # the centre each agent works at
        self.protected = np.zeros(n, dtype=bool)  # protected from layoff (roster)
        self.layoff_rule, self.layoff_site_order = layoffs
        if roster:
            self._take_roster(roster)
        self.start_age, self.start_tenure = self.age.copy(), self.tenure.copy()
        self.state = np.zeros(n, dtype=np.int8)
        self.months_in_state = np.zeros(n, dtype=np.int32)
        # ``displaced``: lost the job to the plan or left it on notice for a new one (the
        # survey's "lost or left"); ``involuntary``: still there when the job ended
        self.displaced = np.zeros(n, dtype=bool)
        self.involuntary = np.zeros(n, dtype=bool)
        self.quit_on_notice = np.zeros(n, dtype=bool)
        self.displaced_month = np.full(n, -1, dtype=np.int32)
        self.separation_month = np.full(n, -1, dtype=np.int32)
        self.spell = np.zeros(n, dtype=np.int32)  # months in the current jobless spell
        self.jobless_months = np.zeros(n, dtype=np.int32)  # total since displacement
        self.first_job_month = np.full(n, -1, dtype=np.int32)
        self.first_pay_ratio = np.full(n, np.nan)  # first new job: full-time pay over old
        self.new_wage = np.zeros(n)  # earnings in the new job [USD/month]
        self.job_start = np.full(n, -1, dtype=np.int32)  # month the current new job began
        self.firm_premium = np.zeros(n)  # the new employer's pay premium [log points]
        self.part_time = np.zeros(n, dtype=bool)  # the new job is part-time
        self.ui_months_left = np.zeros(n, dtype=np.int32)
        self.severance_months = np.zeros(n)  # severance received [months of pay]
        self.outplacement_left = np.zeros(n, dtype=np.int32)
        self.training_effect = np.zeros(n)  # effect strength of completed training [0-1]
        self.training_started = np.full(n, -1, dtype=np.int32)
        self.training_completed = np.zeros(n, dtype=bool)
        self.queue: deque[int] = deque()
        self.voluntary_quit = np.zeros(n, dtype=bool)
        self.opened_month = np.full(n, -1, dtype=np.int32)  # hired into a new position then
        self.n0 = n  # the starting headcount (later slots are positions opened: reshoring)
        self.earnings = np.zeros((horizon, n), dtype=np.float32)
        self.history = np.zeros((horizon, n), dtype=np.int8)
        self.events: dict[str, float] = {}
        self._reset_events()

    def _draw_people(self, slots: np.ndarray, rng: np.random.Generator, tenure: bool) -> None:
        """Age, skill and wage (and, for the initial staff, tenure) of the people in
        ``slots``, drawn from ``rng`` by the workforce parameters."""
        p, n = self.params, len(slots)
        self.age[slots] = np.clip(rng.normal(p.mean_age, p.age_sd, n), 18, 70)
        if tenure:
            self.tenure[slots] = np.minimum(
                rng.exponential(p.mean_tenure_years, n), np.maximum(self.age[slots] - 18, 0)
            )
        self.skill[slots] = np.clip(rng.beta(4, 4, n) + (p.mean_skill - 0.5), 0, 1)
        base = p.wage_per_hour * p.paid_hours_per_month
        self.wage[slots] = base * np.exp(rng.normal(0, p.wage_dispersion, n))

    def _take_roster(self, rows: list[Any]) -> None:
        """The company's own agents replace the drawn ones (a skill not given stays drawn)."""
        hours = self.params.paid_hours_per_month
        for i, row in enumerate(rows):
            self.age[i], self.tenure[i] = row.age, row.tenure_years
            self.wage[i] = row.wage_per_hour * (row.paid_hours_per_month or hours)
            if row.skill is not None:
                self.skill[i] = row.skill
            self.site[i] = row.site or ""
            self.protected[i] = row.protected

    def _reset_events(self) -> None:
        self.events = dict.fromkeys(EVENTS, 0.0)

    # -- helpers -----------------------------------------------------------------------------
    def start_month(self, month: int) -> None:
        """Month ``month`` begins: this month's draws are keyed by it."""
        self.month = month
        self._luck = None

    def draw(self, mechanism: str) -> np.ndarray:
        """This month's uniform of every worker for ``mechanism`` (one of ``MECHANISMS``),
        keyed by (mechanism, month, worker): a worker's luck is the same in every plan,
        whatever else was drawn. Every mechanism's uniforms are hashed together, once a
        month."""
        if self._luck is None:
            names = tuple(("workforce", m) for m in MECHANISMS)
            self._luck = self.streams.uniform_table(names, self.month, self._everyone)
        return self._luck[_MECHANISM_ROW[mechanism]]

    def first_by_luck(self, pool: np.ndarray, count: int, mechanism: str) -> np.ndarray:
        """``count`` workers of ``pool`` chosen at random (those with the lowest draws)."""
        u = self.draw(mechanism)[pool]
        return pool[np.argsort(u, kind="stable")[:count]]

    def choose_for_layoff(self, pool: np.ndarray, count: int) -> np.ndarray:
        """``count`` workers of ``pool`` by the plan's layoff rule: at random, shortest
        tenure first, or site by site; protected agents last, luck breaking ties. The luck
        is each position's for the whole run, not the month's, so a plan that gives notice
        earlier (or later) lets the same people go."""
        u = self.streams.uniforms(("workforce", "layoff order"), 0, pool)
        if self.layoff_rule == "reverse_tenure":
            primary = self.tenure[pool]
        elif self.layoff_rule == "by_site":
            rank = {site: i for i, site in enumerate(self.layoff_site_order)}
            primary = np.array([rank.get(s, len(rank)) for s in self.site[pool]], dtype=float)
        else:
            primary = np.zeros(len(pool))
        order = np.lexsort((u, primary, self.protected[pool]))
        return pool[order[:count]]

    def _age_band(self) -> np.ndarray:
        """Each worker's age band (index into the AGE_* arrays)."""
        return np.searchsorted(AGE_BANDS, self.age, side="right")

    def _months_out(self) -> np.ndarray:
        """Index into the out-of-labour-force arrays: months in the current state, 1, 2, 3+."""
        return np.clip(self.months_in_state, 1, 3) - 1

    def in_state(self, *states: State) -> np.ndarray:
        """Whether each worker is in one of ``states`` (bool per worker)."""
        wanted = np.zeros(len(State), dtype=bool)
        wanted[[int(s) for s in states]] = True
        return wanted[self.state]

    def count(self, state: State) -> int:
        return int(np.count_nonzero(self.state == state))

    def _move(self, who: np.ndarray, state: State) -> None:
        self.state[who] = state
        self.months_in_state[who] = 0

    def working_for_company(self) -> np.ndarray:
        """Workers still staffing the in-house centre (including those working out notice)."""
        return self.in_state(State.in_house, State.notice)

    # -- the company's decisions -------------------------------------------------------------
    def give_notice(self, count: int, separation_month: int) -> int:
        """Notify ``count`` randomly chosen in-house workers that their job ends then."""
        pool = np.flatnonzero(self.state == State.in_house)
        count = min(count, len(pool))
        if count <= 0:
            return 0
        chosen = self.choose_for_layoff(pool, count)
        self._move(chosen, State.notice)
        self.separation_month[chosen] = separation_month
        self.events["noticed"] += count
        return count

    def separate(self, month: int, capacity: int) -> np.ndarray:
        """Workers whose notice ends now leave; a share is redeployed inside the company."""
        leaving = np.flatnonzero((self.state == State.notice) & (self.separation_month == month))
        if len(leaving) == 0:
            return leaving
        n_redeploy = int(round(self.policy.redeployment_share * len(leaving)))
        moved = self.first_by_luck(leaving, n_redeploy, "redeployment")
        displaced = np.setdiff1d(leaving, moved)
        self._move(moved, State.redeployed)
        self.events["redeployed"] += len(moved)
        self.events["redeployment_paid"] += len(moved) * self.policy.redeployment_cost_per_worker
        self.lose_job(displaced, month, capacity)
        return displaced

    def lose_job(self, who: np.ndarray, month: int, capacity: int) -> None:
        """Displacement: severance, unemployment insurance, outplacement, training wishes."""
        if len(who) == 0:
            return
        p = self.policy
        self._move(who, State.unemployed)
        self.displaced[who] = True
        self.involuntary[who] = True
        self.displaced_month[who] = month
        self.spell[who] = 0
        weeks = np.minimum(p.severance_weeks_per_year * self.tenure[who], p.severance_max_weeks)
        self.severance_months[who] = weeks / WEEKS_PER_MONTH
        self.events["severance_paid"] += float((self.severance_months[who] * self.wage[who]).sum())
        self.ui_months_left[who] = self.ui_months
        if p.outplacement:
            self.outplacement_left[who] = OUTPLACEMENT_MONTHS
            self.events["outplacement_paid"] += len(who) * p.outplacement_cost_per_worker
        if capacity > 0:
            wants = who[self.draw("take_up")[who] < p.retraining.take_up_share]
            self.queue.extend(int(i) for i in wants)
        self.events["separated"] += len(who)

    # -- in-house staff ----------------------------------------------------------------------
    def quit_for_other_jobs(self, market: float, plan_extra: float) -> np.ndarray:
        """In-house staff leave for other jobs: normal turnover (``attrition_annual``) plus,
        while the plan unsettles them, ``plan_extra`` a month (rumours or informed). Both
        scale with the local market. Returns the leavers; the plan-driven ones are flagged
        ``voluntary_quit`` (early quits)."""
        normal = self.params.attrition_annual / 12.0 * market
        quits_drawn = self.draw("quits")
        pool = np.flatnonzero(self.state == State.in_house)
        u = quits_drawn[pool]
        leave = u < normal + plan_extra * market
        quits = pool[leave]
        early = pool[leave & (u >= normal)]
        self._move(quits, State.quit)
        self.voluntary_quit[early] = True
        self.events["quits"] += len(quits)
        self.events["quit_pool"] += len(pool)
        self.events["early_quits"] += len(early)
        # workers serving notice keep quitting, at the informed (raised) rate: such a quit
        # is theirs, not a layoff, and the position is not refilled
        noticed = np.flatnonzero(self.state == State.notice)
        gone = noticed[quits_drawn[noticed] < (normal + INFORMED_QUIT * market)]
        self._move(gone, State.quit)
        self.voluntary_quit[gone] = True
        self.quit_on_notice[gone] = True
        self.events["notice_quits"] += len(gone)
        return np.concatenate([quits, gone])

    def hire(self, count: int, limit: int | None = None, open_positions: bool = True) -> int:
        """Fill up to ``count`` positions, at most ``limit`` this month: first those left by
        normal quits (a replacement takes over the leaver's slot), then, with
        ``open_positions``, new ones (``reshoring``: work brought back). New hires are fresh
        people drawn like the initial staff, tenure 0; returns the hires."""
        count = count if limit is None else min(count, limit)
        if count <= 0:  # staff above positions: nobody is hired (nor a slice from the end)
            return 0
        slots = np.flatnonzero((self.state == State.quit) & ~self.voluntary_quit)[:count]
        if len(slots) < count and open_positions:
            slots = np.concatenate([slots, self._open_positions(count - len(slots))])
        if len(slots) == 0:
            return 0
        self._draw_people(
            slots, self.streams.generator("workforce", "hires", month=self.month), False
        )
        self.tenure[slots] = 0.0
        self.start_age[slots], self.start_tenure[slots] = self.age[slots], 0.0
        self.protected[slots] = False  # a new hire in the same position (and site)
        self._move(slots, State.in_house)
        self.events["replacements"] += len(slots)
        self.events["hiring_paid"] += float(self.wage[slots].sum()) * REPLACEMENT_COST_MONTHS
        return len(slots)

    def _open_positions(self, count: int) -> np.ndarray:
        """``count`` new, empty slots at the end of every per-worker array (new positions:
        their hires learn over ``months_to_proficiency``); returns them."""
        for name, fill in WORKER_FILLS.items():
            setattr(self, name, widen(getattr(self, name), count, fill))
        slots = np.arange(self.n, self.n + count)
        self.n += count
        self._everyone = np.arange(self.n)
        self._luck = None  # this month's draws again, now for every slot (the same values)
        self.opened_month[slots] = self.month
        self.events["positions_opened"] += count
        return slots

    def ramp_up(self, first_day: float, months: float) -> float:
        """Mean proficiency of the staff as a share of the established level: below 1 while
        hires into new positions are still learning (``reshoring.ramp``)."""
        staff = self.working_for_company()
        if not staff.any():
            return 1.0
        learning = staff & (self.opened_month >= 0)
        if not learning.any():
            return 1.0
        share = ramp(self.month - self.opened_month[learning], first_day, months)
        return float((share.sum() + (staff.sum() - learning.sum())) / staff.sum())

    def normals(self, rng: np.random.Generator, rows: int) -> np.ndarray:
        """``rows`` standard normals per worker (rows × workers): the starting staff's the
        same whatever positions a plan opened later (theirs are drawn first)."""
        first = rng.standard_normal((rows, self.n0))
        if self.n == self.n0:
            return first
        return np.concatenate([first, rng.standard_normal((rows, self.n - self.n0))], axis=1)

    # -- displaced workers -------------------------------------------------------------------
    def start_training(self, month: int, capacity: int) -> int:
        """Queued displaced workers start training, first come first served."""
        started: list[int] = []
        kept: deque[int] = deque()
        while self.queue and len(started) < capacity:
            i = self.queue.popleft()
            if self.state[i] == State.unemployed:
                started.append(i)
        # drop those who are no longer waiting (found a job, left the labour force)
        for i in self.queue:
            if self.state[i] == State.unemployed:
                kept.append(i)
        self.queue = kept
        if not started:
            return 0
        who = np.array(started)
        self._move(who, State.retraining)
        self.training_started[who] = month
        self.events["training_starts"] += len(who)
        self.events["training_paid"] += len(who) * self.policy.retraining.cost_per_trainee
        return len(who)

    def finish_training(self, month: int, duration: int) -> None:
        """Trainees whose course ends complete it (with probability) and resume search."""
        who = np.flatnonzero(
            (self.state == State.retraining) & (month - self.training_started >= duration)
        )
        if len(who) == 0:
            return
        done = self.draw("completion")[who] < self.policy.retraining.completion_probability
        self.training_completed[who[done]] = True
        waited = self.training_started[who] - self.displaced_month[who]
        strength = np.clip(1.0 - waited / TRAINING_EARLY_START, 0.0, 1.0)
        self.training_effect[who] = np.where(done, strength, 0.0)
        self.events["training_completions"] += int(done.sum())
        self._move(who, State.unemployed)

    def job_finding_hazard(self, market: float) -> np.ndarray:
        """Monthly probability of a job offer that is taken, per worker [probability]: for
        searchers (on notice, unemployed, in training) by spell, and for the displaced out of
        the labour force by months out; both scaled by the worker's age, skill and training."""
        personal = (
            AGE_JOB_FINDING[self._age_band()]
            * (0.7 + 0.6 * self.skill)
            * (1.0 + (TRAINED_JOB_FINDING - 1.0) * self.training_effect)
        )
        duration = np.maximum(np.exp(-DURATION_DECAY * self.spell), DURATION_FLOOR)
        outplaced = np.where(self.outplacement_left > 0, OUTPLACEMENT_JOB_FINDING, 1.0)
        # severance slows search only in the first spell after displacement, while it lasts
        cushion = np.where(
            (self.spell < np.ceil(self.severance_months)) & (self.first_job_month < 0),
            1.0 + np.maximum(SEVERANCE_SEARCH * self.severance_months, -SEVERANCE_SEARCH_MAX),
            1.0,
        )
        intensity = SEARCH_INTENSITY.take(self.state)  # by state: lower on notice, in training
        searcher = self.search.job_finding * duration * outplaced * cushion * intensity
        outside = OUT_OF_LABOUR_FORCE_JOB_FINDING[self._months_out()]
        h = np.where(self.state == State.left_labour_force, outside, searcher)
        return np.clip(h * market * personal, 0.0, 1.0)

    def search_for_jobs(self, month: int, market: float, pay_shift: float = 0.0) -> int:
        """Workers on notice, unemployed or in training look for work, and the displaced out
        of the labour force hear of jobs too; some take one. ``market`` scales the hazard
        (tightness); ``pay_shift`` moves new jobs' log pay with the market at hiring."""
        candidates = self.in_state(State.notice, State.unemployed, State.retraining) | (
            self.displaced & (self.state == State.left_labour_force)
        )
        if not candidates.any():  # (draws are keyed by worker: skipping them shifts nothing)
            return 0
        h = self.job_finding_hazard(market)
        search, hours = self.draw("search"), self.draw("hours")
        found = np.flatnonzero(candidates & (search < h))
        if len(found) == 0:
            return 0
        pay_luck = self.streams.generator("workforce", "pay", month=self.month)
        normals = self.normals(pay_luck, 3)  # three per worker, by worker
        on_notice = found[self.state[found] == State.notice]
        if len(on_notice):
            # found a job before the notice ended: left for it (a direct job-to-job move),
            # never unemployed and not laid off; followed as "lost or left" like the survey
            self.displaced[on_notice] = True
            self.events["job_to_job"] += len(on_notice)
            self.displaced_month[on_notice] = self.separation_month[on_notice]
        self.part_time[found] = hours[found] < PART_TIME_SHARE
        share = np.where(self.part_time[found], PART_TIME_HOURS, 1.0)
        full_time = self._offered_pay(found, normals[:2, found], pay_shift)
        # the new employer's premium: part of the pay ratio just drawn (not added to it),
        # the part a later move to another employer can change
        self.firm_premium[found] = FIRM_PREMIUM_SD * normals[2, found]
        pay = full_time / self.wage[found]  # full-time pay over the old
        self.new_wage[found] = full_time * share
        self.job_start[found] = month
        first = self.first_job_month[found] < 0
        self.first_job_month[found[first]] = month
        self.first_pay_ratio[found[first]] = pay[first]
        self._move(found, State.reemployed)
        self.events["hired"] += len(found)
        return len(found)

    def climb_job_ladder(self, month: int) -> int:
        """The re-employed hear of jobs at other employers (``wages.JOB_TO_JOB_OFFERS`` a
        month). An offer pays what the worker's job pays but with another employer's premium
        (``wages.FIRM_PREMIUM_SD``) and without the tenure built in this job; the worker moves
        when it pays more, for the same hours, and starts again at tenure zero."""
        holders = (self.state == State.reemployed) & self.displaced & (self.months_in_state > 0)
        who = np.flatnonzero(holders & (self.draw("offer") < JOB_TO_JOB_OFFERS))
        if len(who) == 0:
            return 0
        luck = self.streams.generator("workforce", "offer pay", month=self.month)
        premium = FIRM_PREMIUM_SD * self.normals(luck, 1)[0, who]  # one per worker
        tenure = tenure_return((month - self.job_start[who]) / 12.0)
        gain = premium - self.firm_premium[who] - tenure  # log points
        better = gain > 0.0
        moving = who[better]
        self.new_wage[moving] *= np.exp(gain[better])
        self.firm_premium[moving] = premium[better]
        self.job_start[moving] = month
        self.events["ladder_moves"] += len(moving)
        return len(moving)

    def _offered_pay(self, who: np.ndarray, normals: np.ndarray, pay_shift: float) -> np.ndarray:
        """Full-time pay of a new job found this month [USD/month]: the old pay grown at the
        market's wage growth since displacement, times a draw of the new-job pay ratio, times
        the market at hiring (``pay_shift``, log points)."""
        since = self.month - self.displaced_month[who]
        base = market_pay(self.wage[who], since, self.params.wage_growth_annual)
        return base * self._earnings_ratio(who, normals) * np.exp(pay_shift)

    def _earnings_ratio(self, who: np.ndarray, normals: np.ndarray) -> np.ndarray:
        """New-job full-time pay over old (skew-normal in logs; see docs/MODEL.md), from two
        standard normals per worker."""
        delta = WAGE_SKEW / np.sqrt(1.0 + WAGE_SKEW**2)
        u0, v = np.abs(normals[0]), normals[1]
        z = delta * u0 + np.sqrt(1.0 - delta**2) * v
        log_ratio = (
            WAGE_LOCATION
            + WAGE_SCALE * z
            - TENURE_LOSS * np.minimum(self.tenure[who], 10.0)
            - SCARRING * np.minimum(self.jobless_months[who], 24)
            + TRAINING_WAGE_GAIN * self.training_effect[who]
        )
        return np.exp(log_ratio)

    def leave_labour_force(self, market: float = 1.0) -> int:
        """Unemployed workers retire or stop searching (more so when older, or long jobless);
        ``market`` scales the exit with the labour market (fewer leave a slack one)."""
        unemployed = self.state == State.unemployed
        if not unemployed.any():
            return 0
        band = self._age_band()
        search = self.search
        base = search.leave * AGE_LEAVE_LABOUR_FORCE[band] + search.discouragement * self.spell
        hazard = base * market
        who = np.flatnonzero(unemployed & (self.draw("leave") < hazard))
        self._move(who, State.left_labour_force)
        return len(who)

    def return_to_search(self) -> int:
        """Displaced workers out of the labour force start looking for work again."""
        out = (self.state == State.left_labour_force) & self.displaced & (self.months_in_state > 0)
        if not out.any():
            return 0
        hazard = RETURN_TO_SEARCH[self._months_out()] * AGE_JOB_FINDING[self._age_band()]
        who = np.flatnonzero(out & (self.draw("rejoin") < hazard))
        self._move(who, State.unemployed)
        return len(who)

    def lose_new_jobs(self) -> int:
        """Some new jobs end; the worker is unemployed again (no fresh insurance)."""
        holders = (self.state == State.reemployed) & self.displaced & (self.months_in_state > 0)
        if not holders.any():
            return 0
        hazard = np.where(self.months_in_state < 12, JOB_LOSS_FIRST_YEAR, JOB_LOSS)
        who = np.flatnonzero(holders & (self.draw("job_loss") < hazard))
        self._move(who, State.unemployed)
        self.spell[who] = 0
        return len(who)

    def income_support(self, month: int, ui_rate: float) -> float:
        """Unemployment insurance, training stipends and severance (spread over the weeks it
        covers) received by displaced workers this month [USD/month]."""
        st = self.state
        jobless = self.in_state(State.unemployed, State.retraining)
        if not jobless.any():
            return 0.0
        ui = ui_rate * self.wage[jobless & (self.ui_months_left > 0)].sum()
        stipend = self.policy.retraining.stipend_share * self.wage[st == State.retraining].sum()
        since = month - self.displaced_month
        # severance spread over the weeks it covers (a part month for the remainder)
        left = np.clip(self.severance_months - since, 0.0, 1.0)
        severance = (self.wage * left)[self.displaced & (since >= 0) & jobless].sum()
        return float(ui + stipend + severance)

    def counterfactual_wage(self, who: np.ndarray, months: np.ndarray) -> np.ndarray:
        """What workers ``who`` would earn in ``months`` had they kept their job: the same
        wage process continued in the old job — market wage growth and the return to the
        tenure they had (``wages.comparison_pay``) [USD/month]."""
        since = np.maximum(months - self.displaced_month[who], 0)
        tenure = self.tenure[who]  # tenure stops growing at displacement
        return comparison_pay(self.wage[who], tenure, since, self.params.wage_growth_annual)

    def pass_month(self, month: int, ui_rate: float) -> None:
        """Book the month: earnings, income support, clocks."""
        st = self.state
        working = self.in_state(State.in_house, State.notice, State.redeployed)
        earn = np.where(working, self.wage, 0.0)
        earn = np.where(st == State.reemployed, self.new_wage, earn)
        self.earnings[month] = earn
        self.history[month] = st
        # pay in a new job grows as it would have in the old one: the market and the
        # return to tenure in this job
        held = st == State.reemployed
        if held.any():
            years = (month - self.job_start[held]) / 12.0
            self.new_wage[held] *= monthly_growth(years, self.params.wage_growth_annual)
        jobless = self.in_state(State.unemployed, State.retraining)
        if jobless.any():
            on_ui = jobless & (self.ui_months_left > 0)
            self.events["ui_paid"] += float((ui_rate * self.wage[on_ui]).sum())
            self.ui_months_left[on_ui] -= 1
            training = st == State.retraining
            self.events["stipends_paid"] += float(
                (self.policy.retraining.stipend_share * self.wage[training]).sum()
            )
            self.spell[jobless] += 1
            self.jobless_months[self.displaced & jobless] += 1
        self.outplacement_left[self.outplacement_left > 0] -= 1
        self.tenure[self.working_for_company()] += 1 / 12
        self.months_in_state += 1
        self.age += 1 / 12

    def take_events(self) -> dict[str, float]:
        events = self.events
        self._reset_events()
        return events

"""One replication as a task, and the gathering of many.

A task runs one replication of one scenario on its own seed, anywhere (this process or a
Dask worker: ``analysis/parallel.py``), and returns only what is kept: the KPIs and, for the
plans whose series are kept, the monthly series and the displaced workers' paths as compact
arrays. The model, its agents and its per-customer arrays are released before the task
returns. :class:`Gathered` puts the results of one scenario in replication order as they
arrive, so the outcome does not depend on where or in which order tasks ran.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulator.analysis.displacement import displacement_curves
from simulator.analysis.groups import group_counts, over_replications
from simulator.analysis.kpis import compute_kpis
from simulator.analysis.parallel import Pool
from simulator.model.model import OutsourcingModel
from simulator.model.status_quo import StatusQuoBooks
from simulator.scenario.schema import Scenario

# seconds per customer-month of a model run on one core (measured on the default scenario)
SECONDS_PER_CUSTOMER_MONTH = 1.4e-7
# below this much work, starting worker processes costs more than it saves [s]
SMALL_JOB_SECONDS = 10.0


@dataclass(frozen=True)
class Task:
    """Replication ``replication`` of scenario number ``variant``, on ``seed``; with
    ``status_quo``, that scenario's status quo (another variant of the same job) runs first
    in the same task and its books are the plan's baseline, so nobody runs it twice."""

    scenario: Scenario
    seed: np.random.SeedSequence
    replication: int
    variant: int
    keep: bool  # keep the monthly series and displacement paths, not only the KPIs
    status_quo: Task | None = None


@dataclass(frozen=True)
class Table:
    """A data frame as one float64 array (integer columns flagged, restored exactly)."""

    columns: tuple[str, ...]
    integer: tuple[bool, ...]
    values: np.ndarray  # rows × columns

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Table:
        integer = tuple(pd.api.types.is_integer_dtype(t) for t in frame.dtypes)
        return cls(tuple(frame.columns), integer, frame.to_numpy(dtype=np.float64))

    @staticmethod
    def frame(columns: tuple[str, ...], integer: tuple[bool, ...], values: np.ndarray):
        out = pd.DataFrame(values, columns=list(columns))
        for name, is_int in zip(columns, integer, strict=True):
            if is_int:
                out[name] = out[name].astype(np.int64)
        return out


@dataclass(frozen=True)
class Outcome:
    """What a task returns."""

    variant: int
    replication: int
    kpis: dict[str, float | None]
    series: Table | None = None
    displacement: Table | None = None
    groups: pd.DataFrame | None = None  # who bears the plan: ``groups.group_counts``


Kept = tuple[dict[str, float | None], pd.DataFrame | None, pd.DataFrame | None, pd.DataFrame | None]


def run_model(
    scenario: Scenario,
    seed: np.random.SeedSequence,
    replication: int,
    keep: bool,
    status_quo: StatusQuoBooks | None = None,
) -> Kept:
    """Run one replication: its KPIs and, with ``keep``, its monthly series, displaced
    workers' paths (each with a ``replication`` column) and counts by group of workers
    (``groups.group_counts``).
    ``status_quo``: the books of the scenario's status quo on the same seed (else the model
    simulates them). The model is released."""
    kept, _ = _run(scenario, seed, replication, keep, status_quo)
    return kept


def _run(
    scenario: Scenario,
    seed: np.random.SeedSequence,
    replication: int,
    keep: bool,
    status_quo: StatusQuoBooks | None = None,
) -> tuple[Kept, StatusQuoBooks]:
    """``run_model``, also returning the run's own books (the baseline of its plans)."""
    model = OutsourcingModel(scenario, seed=seed, status_quo=status_quo).run()
    books = StatusQuoBooks.of(model.datacollector.model_vars)
    ts = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    kpis = compute_kpis(model, ts)
    series = curves = groups = None
    if keep:
        series, curves, groups = ts, displacement_curves(model), group_counts(model)
        series.insert(0, "replication", replication)
        curves.insert(0, "replication", replication)
    model.release()
    return (kpis, series, curves, groups), books


def run_kpis(
    scenario: Scenario, seed: np.random.SeedSequence, status_quo: StatusQuoBooks | None = None
) -> tuple[dict[str, float | None], StatusQuoBooks]:
    """One replication's KPIs and its own books (the baseline of its plans); with
    ``status_quo``, the books of its status quo on the same seed (else the model simulates
    them)."""
    (kpis, *_), books = _run(scenario, seed, 0, False, status_quo)
    return kpis, books


def _outcome(task: Task, kept: Kept) -> Outcome:
    kpis, series, curves, groups = kept
    return Outcome(
        task.variant,
        task.replication,
        kpis,
        None if series is None else Table.of(series),
        None if curves is None else Table.of(curves),
        groups,
    )


def replicate(task: Task) -> list[Outcome]:
    """Run one replication (its status quo first, if the task carries it) and return only
    what is kept, as compact arrays."""
    outcomes, books = [], None
    if task.status_quo is not None:
        sq = task.status_quo
        kept, books = _run(sq.scenario, sq.seed, sq.replication, sq.keep)
        outcomes.append(_outcome(sq, kept))
    kept, _ = _run(task.scenario, task.seed, task.replication, task.keep, books)
    outcomes.append(_outcome(task, kept))
    del kept
    _return_memory()
    return outcomes


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018 - glibc only
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _libc()


def _return_memory() -> None:
    """Give the freed arrays of a finished model back to the system (glibc's heap would
    otherwise keep growing with fragments over hundreds of replications in one process)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


@dataclass
class Gathered:
    """One scenario's replications, in replication order whatever the order of arrival."""

    replications: int
    kpis: list[dict[str, float | None] | None] = field(default_factory=list)
    series: np.ndarray | None = None  # replications × months × columns
    columns: tuple[str, ...] = ()
    integer: tuple[bool, ...] = ()
    paths: list[Table | None] = field(default_factory=list)
    groups: list[pd.DataFrame | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.kpis = [None] * self.replications
        self.paths = [None] * self.replications
        self.groups = [None] * self.replications

    def add(self, outcome: Outcome) -> None:
        k = outcome.replication
        self.kpis[k] = outcome.kpis
        if outcome.series is not None:
            s = outcome.series
            if self.series is None:
                self.columns, self.integer = s.columns, s.integer
                self.series = np.empty((self.replications, *s.values.shape))
            self.series[k] = s.values
            self.paths[k] = outcome.displacement
            self.groups[k] = outcome.groups

    def all_kpis(self) -> list[dict[str, float | None]]:
        """Every replication's KPIs, in replication order (all of them gathered)."""
        kpis = [k for k in self.kpis if k is not None]
        if len(kpis) < len(self.kpis):
            raise ValueError("a replication's KPIs have not been gathered")
        return kpis

    def kpi_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.kpis)
        frame.insert(0, "replication", range(len(frame)))
        return frame

    def timeseries(self) -> pd.DataFrame:
        """Every replication's monthly series, one row per replication and month."""
        if self.series is None:
            raise ValueError("no monthly series: this scenario's runs were not kept")
        n, months, cols = self.series.shape
        return Table.frame(self.columns, self.integer, self.series.reshape(n * months, cols))

    def group_table(self) -> pd.DataFrame:
        """Outcomes by group of workers over replications, pooled with 95% intervals
        (``groups.over_replications``)."""
        return over_replications([g for g in self.groups if g is not None])

    def displacement(self) -> pd.DataFrame:
        paths = [p for p in self.paths if p is not None]
        if len(paths) == 0 or len(paths) < len(self.paths):
            raise ValueError("no displacement curves: this scenario's runs were not all kept")
        first = paths[0]
        values = np.concatenate([p.values for p in paths])
        return Table.frame(first.columns, first.integer, values)


def estimated_seconds(scenarios: list[Scenario], replications: int) -> float:
    """Rough single-core time of running every scenario ``replications`` times [s]."""
    months = sum(s.customers.count * s.simulation.horizon_months for s in scenarios)
    return months * replications * SECONDS_PER_CUSTOMER_MONTH


def gather(
    pool: Pool,
    scenarios: list[Scenario],
    seeds: list[np.random.SeedSequence],
    keep: list[bool],
    progress: Callable[[int, int, int], None] | None = None,
    status_quo: dict[int, int] | None = None,
) -> list[Gathered]:
    """Run replication k of every scenario on ``seeds[k]``; ``keep[i]``: keep scenario i's
    series. ``status_quo`` maps a plan's variant to its status quo's, which then runs in the
    same task, first, as the plan's baseline. ``progress(variant, done, total)`` after every
    run (total: all runs)."""
    pairs = status_quo or {}
    tasks = []
    for k, s in enumerate(seeds):
        for i, sc in enumerate(scenarios):
            if i in pairs.values():
                continue  # runs inside its plan's task
            j = pairs.get(i)
            sq = None if j is None else Task(scenarios[j], s, k, j, keep[j])
            tasks.append(Task(sc, s, k, i, keep[i], sq))
    total = len(seeds) * len(scenarios)
    out = [Gathered(len(seeds)) for _ in scenarios]
    done = 0
    for _, outcomes in pool.map(replicate, tasks):
        for outcome in outcomes:
            out[outcome.variant].add(outcome)
            done += 1
            if progress is not None:
                progress(outcome.variant, done, total)
    return out

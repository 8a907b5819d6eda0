"""``outsim optimise``: search a plan's levers for the plans no other plan beats.

Optuna proposes candidate plans in ask/tell mode — MOTPE (``TPESampler(multivariate=True,
constant_liar=True)``, Ozaki et al. 2020) by default, NSGA-II for large budgets — because
it takes float, integer and categorical levers natively, proposes any number of plans per
round and is seeded. Every candidate meets the same futures (a Latin hypercube over the
uncertainties) with the same seeds: cell (future ``s``, replication ``r``) runs on seed
stream ``s × replications + r`` of the root seed, whatever the candidate, so candidates
differ by their levers, not by luck (common random numbers).

The DuckDB store is the single source of truth (the tables of a sweep, plus ``candidates``
and ``cells``): each round's candidates are written before they run, each batch of runs as
it finishes. The Optuna study is rebuilt from the store before each round, and the sampler
is seeded from the number of trials it has seen, so a search killed at any moment and run
again proposes the same candidates and ends with the same Pareto plans as one never
interrupted. Candidate 0 is the base plan: the reference for regret and for the trade-offs.

After the search the Pareto plans (and the base plan) run again on fresh futures and seeds
(``check:``) — the search overfits the futures it was tuned on (Smith & Winkler 2006).
"""

from __future__ import annotations

import json
import math
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from simulator.analysis.robustness import pareto, robust_table
from simulator.scenario.parameters import ValueKind
from simulator.sweep.execution import (
    _client,
    _native,
    batch_size,
    check_sweep_folder,
    in_batches,
    package_version,
    stream_batches,
)
from simulator.sweep.robust_spec import Optimisation
from simulator.sweep.runs import Runner, RunTask, run_model
from simulator.sweep.store import StoreError, SweepStore

# (phase, runs done, runs in the phase): phase "search", then "check"
Progress = Callable[[str, int, int], None]
# a candidate to record: (candidate_id, origin, lever values, sampler state)
Candidate = tuple[int, str, dict[str, Any], dict[str, Any]]
STRIDE = 1_000  # run_id = sample_id × STRIDE + replication (replications ≤ 1,000)
TABLES = {
    "candidates": "candidate_id BIGINT PRIMARY KEY, origin VARCHAR, levers VARCHAR, "
    "sampler_state VARCHAR",
    "cells": "sample_id BIGINT PRIMARY KEY, candidate_id BIGINT, ensemble VARCHAR, "
    "scenario_id BIGINT",
}


@dataclass(frozen=True)
class OptimiseOutcome:
    """What a search found: one row per candidate (levers, robust objectives, constraint
    means, feasibility, Pareto rank, check values) and what this call ran."""

    folder: Path
    table: pd.DataFrame
    pareto: list[int]  # candidate ids, best on the first objective first
    ran: int  # runs executed by this call
    resumed: int  # runs already stored, skipped
    failed: int
    wall_seconds: float
    workers: int


def distributions(opt: Optimisation) -> dict[str, Any]:
    """The Optuna distribution of each lever (outsim's one parameter type, converted): levels
    as categories, ranges as numbers of the field's own type (log-scaled for
    ``loguniform``)."""
    from optuna.distributions import (
        CategoricalDistribution,
        FloatDistribution,
        IntDistribution,
    )

    out: dict[str, Any] = {}
    for path in opt.levers:
        p = opt.parameters[path]
        if p.levels is not None:
            out[path] = CategoricalDistribution([p.coerce(v) for v in p.levels])
            continue
        log = p.distribution == "loguniform"
        if p.kind is ValueKind.integer:
            out[path] = IntDistribution(math.ceil(p.low), math.floor(p.high), log=log)
        else:
            out[path] = FloatDistribution(float(p.low), float(p.high), log=log)
    return out


def _inside(value: Any, dist: Any) -> bool:
    if hasattr(dist, "choices"):
        return value in dist.choices
    return dist.low <= value <= dist.high


def _sampler(opt: Optimisation, seen: int) -> Any:
    """A sampler seeded from the root seed and the trials seen: the same history always
    gives the same proposal."""
    import optuna

    seed = int(np.random.SeedSequence([opt.seed, seen]).generate_state(1)[0])
    if opt.spec.sampler == "nsga2":
        return optuna.samplers.NSGAIISampler(population_size=max(2, opt.spec.batch), seed=seed)
    return optuna.samplers.TPESampler(
        seed=seed,
        multivariate=True,
        constant_liar=True,
        n_startup_trials=min(10, max(2, opt.spec.budget // 4)),
    )


# -- the store -------------------------------------------------------------------------------
def _open(opt: Optimisation, folder: Path) -> SweepStore:
    folder = check_sweep_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    kinds = opt.kinds()
    try:
        store = SweepStore(folder)
        store.initialise(
            {
                "fingerprint": opt.fingerprint(),
                "kind": "optimise",
                "name": opt.name,
                "spec": opt.spec.model_dump(mode="json") | {"parameters": kinds},
                "spec_file": opt.source,
                "base": opt.base,
                "version": package_version(),
                "complete": False,
            },
            kinds,
            pd.DataFrame(columns=["sample_id", *kinds]),
        )
        store.ensure_tables(TABLES)
    except StoreError as exc:
        from simulator.sweep.spec import SweepError

        raise SweepError(str(exc)) from None
    return store


def _candidates(store: SweepStore) -> pd.DataFrame:
    table = store.query("SELECT * FROM candidates ORDER BY candidate_id")
    table["levers"] = [json.loads(v) for v in table["levers"]]
    table["sampler_state"] = [json.loads(v or "{}") for v in table["sampler_state"]]
    return table


def _record(
    store: SweepStore,
    opt: Optimisation,
    plans: Sequence[Candidate],
    ensemble: pd.DataFrame,
    name: str,
    new_candidates: bool,
) -> None:
    """Write candidates (if new) and one sample and cell per candidate and future, in one
    transaction."""
    start = int(store.query("SELECT coalesce(max(sample_id) + 1, 0) AS n FROM samples")["n"][0])
    samples: list[dict[str, Any]] = []
    cells: list[tuple[int, int, str, int]] = []  # sample, candidate, ensemble, future
    futures = ensemble.to_dict("records")
    for cid, _, levers, _ in plans:
        for future in futures:
            sid = start + len(samples)
            values = {k: v for k, v in future.items() if k != "scenario_id"}
            samples.append({"sample_id": sid, **levers, **values})
            cells.append((sid, cid, name, int(future["scenario_id"])))
    rows = {
        "samples": pd.DataFrame(samples, columns=["sample_id", *opt.levers, *opt.uncertainties]),
        "cells": pd.DataFrame(
            cells, columns=["sample_id", "candidate_id", "ensemble", "scenario_id"]
        ),
    }
    if new_candidates:
        rows["candidates"] = pd.DataFrame(
            [
                (cid, origin, json.dumps(levers), json.dumps(state))
                for cid, origin, levers, state in plans
            ],
            columns=["candidate_id", "origin", "levers", "sampler_state"],
        )
    store.extend(rows)


def _tasks(store: SweepStore, opt: Optimisation, name: str, reps: int) -> Iterator[RunTask]:
    """Every run of ensemble ``name`` not yet stored."""
    done = store.run_ids()
    sql = (
        "SELECT s.*, c.scenario_id FROM cells c JOIN samples s USING (sample_id) "
        "WHERE c.ensemble = ? ORDER BY sample_id"
    )
    rows = store.con.execute(sql, [name]).df()
    inputs = opt.levers + opt.uncertainties
    for row in rows.to_dict("records"):
        sid, future = int(row["sample_id"]), int(row["scenario_id"])
        values = {p: opt.inputs[p].coerce(_native(row[p])) for p in inputs}
        for r in range(reps):
            run_id = sid * STRIDE + r
            if run_id not in done:
                yield RunTask(run_id, sid, r, values, stream=future * reps + r)


def _cells(store: SweepStore, name: str, kpis: list[str]) -> pd.DataFrame:
    """candidate_id, scenario_id, replication, status and one column per KPI."""
    runs = store.con.execute(
        "SELECT c.candidate_id, c.scenario_id, r.run_id, r.replication, r.status "
        "FROM cells c JOIN runs r USING (sample_id) WHERE c.ensemble = ?",
        [name],
    ).df()
    values = store.con.execute(
        "SELECT k.run_id, k.kpi, k.value FROM kpis k JOIN runs r USING (run_id) "
        "JOIN cells c USING (sample_id) WHERE c.ensemble = ?",
        [name],
    ).df()
    wide = values.pivot_table(index="run_id", columns="kpi", values="value", dropna=False)
    wide = wide.reindex(columns=kpis)
    return runs.merge(wide, left_on="run_id", right_index=True, how="left")


# -- the search ------------------------------------------------------------------------------
class _Search:
    def __init__(
        self,
        opt: Optimisation,
        store: SweepStore,
        client: Any,
        runner: Runner,
        progress: Progress | None,
    ) -> None:
        self.opt, self.store, self.client, self.runner = opt, store, client, runner
        self.progress = progress
        self.version = package_version()
        self.ran = 0
        self.final = pd.DataFrame()
        self.slots = max(1, sum(client.nthreads().values()))

    def evaluate(self, name: str, reps: int, seed: int, total: int) -> None:
        """Run every missing run of ensemble ``name``; store each batch as it finishes."""
        tasks = list(_tasks(self.store, self.opt, name, reps))
        self._tick(name, total)
        if not tasks:
            return
        size = batch_size(len(tasks), self.slots, None)
        batches = in_batches(iter(tasks), size)
        for _, result in stream_batches(
            self.client,
            batches,
            2 * self.slots,
            self.opt.base,
            seed,
            self.opt.outputs,
            [],
            self.version,
            self.runner,
        ):
            self.store.write(result.runs, result.kpis, result.monthly)
            self.ran += len(result.runs)
            self._tick(name, total)

    def table(self, name: str = "search") -> pd.DataFrame:
        opt = self.opt
        futures = opt.search_size() if name == "search" else opt.check_size()[0]
        reps = opt.spec.replications if name == "search" else opt.check_size()[1]
        cells = _cells(self.store, name, opt.outputs)
        return robust_table(cells, opt.objectives, opt.constraints, futures, reps)

    def study(self, candidates: pd.DataFrame) -> Any:
        """An in-memory Optuna study holding every evaluated candidate, rebuilt from the
        store so that a resumed search sees exactly what an uninterrupted one saw."""
        import optuna
        from optuna.trial import TrialState, create_trial

        opt = self.opt
        dists = distributions(opt)
        directions: list[Literal["maximize", "minimize"]] = [
            "maximize" if o.higher_is_better else "minimize" for o in opt.objectives
        ]
        study = optuna.create_study(directions=directions)
        table = self.table()
        for row in candidates.itertuples():
            params = {p: row.levers[p] for p in opt.levers}
            if not all(_inside(params[p], dists[p]) for p in opt.levers):
                continue  # a base plan outside the ranges searched: a reference only
            robust = table.loc[row.candidate_id]
            values = [robust[o.label] for o in opt.objectives]
            constraints = {c.text: c.violation(robust[c.label]) for c in opt.constraints}
            usable = bool(robust["complete"]) and not any(math.isnan(v) for v in values)
            study.add_trial(
                create_trial(
                    state=TrialState.COMPLETE if usable else TrialState.FAIL,
                    values=[float(v) for v in values] if usable else None,
                    params=params,
                    distributions=dists,
                    constraints=constraints if usable and constraints else None,
                    system_attrs=row.sampler_state,
                )
            )
        return study

    def propose(
        self, candidates: pd.DataFrame, count: int
    ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """``count`` new plans from the sampler, each seeded from the history it sees, with
        the sampler's notes on each (NSGA-II's generation) for rebuilding the study."""
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            study = self.study(candidates)
            dists = distributions(self.opt)
            plans = []
            for _ in range(count):
                study.sampler = _sampler(self.opt, len(study.trials))
                trial = study.ask(dists)
                state = study.get_trials(deepcopy=False)[-1].system_attrs
                plans.append(({p: _native(trial.params[p]) for p in self.opt.levers}, state))
        return plans

    def run(self) -> list[int]:
        opt, store = self.opt, self.store
        search = opt.ensemble()
        candidates = _candidates(store)
        if candidates.empty:
            _record(store, opt, [(0, "base", opt.base_levers(), {})], search, "search", True)
        budget, reps = opt.spec.budget, opt.spec.replications
        total = (budget + 1) * opt.search_size() * reps
        while True:
            candidates = _candidates(store)
            searched = int((candidates["origin"] == "search").sum())
            self.evaluate("search", reps, opt.seed, total)
            if searched >= budget:
                break
            plans = self.propose(candidates, min(opt.spec.batch, budget - searched))
            first = int(candidates["candidate_id"].max()) + 1
            new = [(first + i, "search", plan, state) for i, (plan, state) in enumerate(plans)]
            _record(store, opt, new, search, "search", True)
        self.final = self.table()  # every candidate's robust values, once all have run
        front = pareto(self.final, opt.objectives)
        futures, reps = opt.check_size()
        if futures:
            sql = "SELECT DISTINCT candidate_id FROM cells WHERE ensemble = 'check'"
            checked = set(store.query(sql)["candidate_id"])
            wanted = list(dict.fromkeys([0, *front]))  # the base plan as the reference
            todo = [c for c in wanted if c not in checked]
            levers = {int(r.candidate_id): r.levers for r in _candidates(store).itertuples()}
            if todo:
                to_check: list[Candidate] = [(c, "", levers[c], {}) for c in todo]
                _record(store, opt, to_check, opt.ensemble(check=True), "check", False)
            self.evaluate("check", reps, opt.seed + 1, len(wanted) * futures * reps)
        return front

    def _tick(self, name: str, total: int) -> None:
        """Report the runs of ensemble ``name`` stored so far."""
        if self.progress:
            done = self.store.con.execute(
                "SELECT count(*) FROM runs JOIN cells USING (sample_id) WHERE ensemble = ?",
                [name],
            ).fetchone()
            self.progress(name, int(done[0]) if done else 0, total)


def optimise(
    opt: Optimisation,
    folder: str | Path,
    *,
    client: Any = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    runner: Runner = run_model,
) -> OptimiseOutcome:
    """Search (or resume searching) ``opt`` into ``folder``; return every candidate's robust
    values and the Pareto plans."""
    start = time.perf_counter()
    folder = Path(folder)
    with _open(opt, folder) as store:
        resumed = len(store.run_ids())
        with _client(client, scheduler, workers) as dc:
            search = _Search(opt, store, dc, runner, progress)
            front = search.run()
            n_workers = len(dc.nthreads())
        table = summary_table(search, front)
        failed = len(store.run_ids("failed"))
        store.set_meta("complete", True)
        store.set_meta("pareto", front)
    return OptimiseOutcome(
        folder, table, front, search.ran, resumed, failed, time.perf_counter() - start, n_workers
    )


def summary_table(search: _Search, front: list[int]) -> pd.DataFrame:
    """Every candidate: origin, levers, robust values (search and check), Pareto rank."""
    opt = search.opt
    candidates = _candidates(search.store).set_index("candidate_id")
    table = search.final
    levers = pd.DataFrame([row for row in candidates["levers"]], index=candidates.index)
    out = pd.concat([candidates[["origin"]], levers[opt.levers], table], axis=1)
    if opt.check_size()[0]:
        check = search.table("check")
        labels = [o.label for o in opt.objectives] + [c.label for c in opt.constraints]
        out = out.join(check[list(dict.fromkeys(labels))].add_prefix("check_"))
    out["pareto_rank"] = pd.Series({c: i + 1 for i, c in enumerate(front)}, dtype="Int64")
    return out.reset_index()


def search_record(opt: Optimisation, outcome: OptimiseOutcome) -> Any:
    """The search as plain data for ``outputs/optimise/pareto.py``."""
    from simulator.outputs.optimise.pareto import Search

    return Search(
        opt.name,
        opt.spec.description,
        opt.base,
        opt.levers,
        opt.uncertainties,
        opt.objectives,
        opt.constraints,
        outcome.table,
        outcome.pareto,
        opt.search_size(),
        opt.spec.replications,
        opt.check_size(),
        opt.spec.sampler,
        opt.seed,
    )


def report(opt: Optimisation, outcome: OptimiseOutcome) -> Path:
    """Write pareto.csv, the plans' scenario files and optimise.html; return the page."""
    from simulator.outputs.optimise.pareto import write_results

    return write_results(outcome.folder, search_record(opt, outcome))

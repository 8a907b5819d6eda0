"""A posterior, not a point: the fitted constants estimated from the fitted facts by ABC-SMC.

Until now the labour-market constants were point-fitted to published moments (a grid or
Nelder-Mead: ``model/calibration.py``'s FITTED) and carried no uncertainty. Here they get a
posterior by approximate Bayesian computation with sequential Monte Carlo (pyABC's ABCSMC,
Klinger, Rickert & Hasenauer 2018): draws from uniform priors are run through the validation
experiments that measure the *fitted* facts, and kept when the facts they produce are close
to the published ones; each generation tightens the tolerance and proposes from the last.
Why ABC-SMC rather than neural posterior estimation (``sbi``) or history matching: it needs
no surrogate to trust and no torch, it runs on our Dask engine (pyABC's Dask sampler), and a
few hundred runs per generation suffice for five parameters and seven facts.

**Summary statistics and distance.** The statistics are the facts themselves, measured as
``outsim validate-model`` measures them (``validation/experiments.py``). The observation is
the middle of each fact's published range. The distance is Euclidean after dividing each fact
by its scale: its simulation spread (the standard deviation over replications at the
defaults) and half its accepted range (the published range and tolerance) added in
quadrature — the facts are noisy measurements of the world and of the model alike. The
covariance of the statistics over replications is computed too and kept in the record.

**Only fitted facts.** A fact may enter only if it is a fitted fact (``calibration.FITTED``);
out-of-sample facts stay out, so that validation keeps its evidence.

Reproducibility: with one process (``workers=1``) the run is a function of its seed; on a
Dask cluster the order in which proposals arrive changes the accepted set (pyABC's dynamic
scheduling), so the posterior is the same in distribution only.

docs/UNCERTAINTY.md §4 has the method, its budget and the checks it passes.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from simulator.analysis.validation import package_experiments
from simulator.analysis.validation.experiments import market_status, measure_displaced
from simulator.analysis.validation.facts import FACT_BY_ID
from simulator.model.calibration import fitted_facts
from simulator.model.model import OutsourcingModel
from simulator.scenario import load_scenario, xlrm
from simulator.scenario.overrides import with_overrides
from simulator.scenario.paths import attribute_at

# the validation scenario and the measurement of each fact this module can simulate
FACT_SCENARIO = {
    "dws_reemployed": "displaced_workers",
    "cps_unemployed_15_weeks": "displaced_workers",
    "cps_unemployed_27_weeks": "displaced_workers",
    "dws_slack_market_reemployed": "slack_market",
    "dws_slack_market_unemployed": "slack_market",
    "dws_moderate_market_reemployed": "moderate_market",
    "dws_moderate_market_unemployed": "moderate_market",
}
MARKET_LABEL = {"slack_market": "slack", "moderate_market": "moderate"}


class CalibrationSpec(BaseModel):
    """What ``outsim calibrate`` estimates, from which facts, with what budget."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field("labour_market", pattern=r"^[A-Za-z0-9_.-]{1,80}$")
    description: str = ""
    parameters: dict[str, tuple[float, float]] = Field(
        description="scenario field path -> uniform prior (low, high)"
    )
    facts: list[str] = Field(min_length=1, description="fitted fact ids")
    replications: int = Field(1, ge=1, le=20, description="runs per proposal, averaged")
    population: int = Field(150, ge=10, le=10_000, description="particles per generation")
    generations: int = Field(6, ge=1, le=50, description="most generations")
    minimum_epsilon: float = Field(0.5, ge=0, description="stop at this distance")
    pilot: int = Field(8, ge=2, le=200, description="runs at the defaults for the scales")
    seed: int = Field(20261207, ge=0, lt=2**32)
    overrides: dict[str, Any] = Field(
        default_factory=dict, description="changes to every experiment's scenario (tests)"
    )

    @field_validator("facts")
    @classmethod
    def _fitted_only(cls, facts: list[str]) -> list[str]:
        fitted = fitted_facts()
        for fact in facts:
            if fact not in FACT_BY_ID:
                raise ValueError(f"unknown fact {fact!r}")
            if fact not in fitted:
                raise ValueError(
                    f"{fact!r} is not a fitted fact: out-of-sample facts stay out of the "
                    "calibration, so that validation keeps its evidence"
                )
            if fact not in FACT_SCENARIO:
                raise ValueError(
                    f"{fact!r} cannot be simulated here yet; expected one of "
                    f"{', '.join(FACT_SCENARIO)}"
                )
        return facts

    @model_validator(mode="after")
    def _known_parameters(self) -> CalibrationSpec:
        for path, (low, high) in self.parameters.items():
            entry = xlrm.field(path)
            if entry is None:
                raise ValueError(f"parameters.{path}: no such scenario field")
            if not low < high:
                raise ValueError(f"parameters.{path}: expected low < high, got {low}, {high}")
            if (entry.low is not None and low < entry.low) or (
                entry.high is not None and high > entry.high
            ):
                raise ValueError(
                    f"parameters.{path}: the prior [{low}, {high}] leaves the field's bounds "
                    f"[{entry.low}, {entry.high}]"
                )
        return self


DEFAULT_SPEC = CalibrationSpec(
    name="labour_market",
    description="The displaced workers' job search, their exit from the labour force and its "
    "response to the market, from the fitted facts of the Displaced Worker Surveys and the CPS.",
    parameters={
        "local_economy.displaced_job_finding": (0.12, 0.32),
        "local_economy.leave_labour_force": (0.04, 0.16),
        "local_economy.discouragement": (0.0, 0.01),
        "local_economy.matching_elasticity": (0.5, 0.85),
        "local_economy.exit_tightness_elasticity": (0.0, 1.2),
    },
    facts=list(FACT_SCENARIO),
)


@dataclass(frozen=True)
class Problem:
    """A calibration problem: uniform priors, a simulator of summary statistics (``simulate``
    must be picklable to run on Dask workers), the observation and each statistic's scale."""

    lows: dict[str, float]
    highs: dict[str, float]
    simulate: Callable[[dict[str, float], int], dict[str, float]]
    observed: dict[str, float]
    scales: dict[str, float]


@dataclass(frozen=True)
class FactSimulator:
    """The fitted facts of ``spec`` for a set of constants: the validation experiments run
    with the constants put into each scenario, ``replications`` times, averaged."""

    spec: CalibrationSpec

    def __call__(self, values: Mapping[str, float], seed: int) -> dict[str, float]:
        folder = package_experiments()
        changes = {**self.spec.overrides, **{k: float(v) for k, v in values.items()}}
        needed = sorted({FACT_SCENARIO[f] for f in self.spec.facts})
        scenarios = {
            name: with_overrides(load_scenario(folder / f"{name}.yaml"), changes) for name in needed
        }
        runs: list[dict[str, float]] = []
        for child in np.random.SeedSequence(seed).spawn(self.spec.replications):
            measured: dict[str, float] = {}
            for name, scenario in scenarios.items():
                model = OutsourcingModel(scenario, seed=child).run()
                if name == "displaced_workers":
                    measured.update(measure_displaced({name: [model]}))
                else:
                    measured.update(market_status(model, MARKET_LABEL[name]))
                model.release()
            runs.append({f: measured[f] for f in self.spec.facts})
        return {f: float(np.mean([r[f] for r in runs])) for f in self.spec.facts}


def observed_facts(facts: list[str]) -> dict[str, float]:
    """The middle of each fact's published range."""
    return {f: (FACT_BY_ID[f].low + FACT_BY_ID[f].high) / 2 for f in facts}


def pilot(
    simulate: Callable[[dict[str, float], int], dict[str, float]],
    values: dict[str, float],
    runs: int,
    seed: int,
) -> pd.DataFrame:
    """``runs`` simulations at ``values`` (one row each): the spread and covariance of the
    statistics that set the distance's scales."""
    seeds = np.random.SeedSequence([seed, 1]).generate_state(runs)
    return pd.DataFrame([simulate(values, int(s)) for s in seeds])


def model_problem(spec: CalibrationSpec, pilot_runs: pd.DataFrame | None = None) -> Problem:
    """The calibration problem of ``spec`` (the pilot at the defaults run here unless
    given)."""
    simulate = FactSimulator(spec)
    runs = (
        pilot(simulate, defaults_of(spec), spec.pilot, spec.seed)
        if pilot_runs is None
        else pilot_runs
    )
    scales = {}
    for f in spec.facts:
        low, high = FACT_BY_ID[f].accepted
        scales[f] = float(np.hypot(runs[f].std(ddof=1), (high - low) / 2))
    return Problem(
        {p: lo for p, (lo, _) in spec.parameters.items()},
        {p: hi for p, (_, hi) in spec.parameters.items()},
        simulate,
        observed_facts(spec.facts),
        scales,
    )


@dataclass(frozen=True)
class _PyabcModel:
    """pyABC's model: a proposal's parameters to its statistics, on a seed drawn from
    NumPy's global generator (which pyABC seeds and advances)."""

    simulate: Callable[[dict[str, float], int], dict[str, float]]

    def __call__(self, parameters: Mapping[str, float]) -> dict[str, float]:
        seed = int(np.random.randint(0, 2**31 - 1))
        return self.simulate({k: float(v) for k, v in parameters.items()}, seed)


class _Progress(logging.Handler):
    """pyABC's log as progress lines: each generation's tolerance and acceptance."""

    def __init__(self, say: Callable[[str], None] | None) -> None:
        super().__init__(logging.INFO)
        self.say = say

    def emit(self, record: logging.LogRecord) -> None:
        if self.say is None:
            return
        text = record.getMessage()
        if text.startswith("t: "):
            generation, _, epsilon = text.partition(", eps: ")
            self.say(f"generation {generation[3:]}: tolerance {float(epsilon.rstrip('.')):.3g}")
        elif text.startswith("Accepted: "):
            kept, _, tried = text[len("Accepted: ") :].split(" = ")[0].partition(" / ")
            share = int(kept) / max(int(tried), 1)
            self.say(f"  accepted {kept} of {tried} proposals ({share:.0%})")
        elif record.levelno >= logging.WARNING:
            self.say(f"pyABC: {text}")


@dataclass
class Posterior:
    """Weighted draws of the constants and how they were obtained."""

    draws: pd.DataFrame  # one column per parameter, and ``weight`` (summing to 1)
    generations: pd.DataFrame  # per generation: epsilon, particles, simulations, acceptance
    simulations: int
    seconds: float
    record: dict[str, Any] = field(default_factory=dict)

    @property
    def parameters(self) -> list[str]:
        return [c for c in self.draws.columns if c != "weight"]

    def ess(self) -> float:
        """Kish's effective sample size of the weights."""
        w = self.draws["weight"].to_numpy()
        return float(w.sum() ** 2 / (w**2).sum())

    def quantiles(self, levels: tuple[float, ...] = (0.05, 0.5, 0.95)) -> pd.DataFrame:
        """Weighted quantiles of each parameter (rows) at ``levels`` (columns)."""
        rows = {
            p: weighted_quantiles(self.draws[p], self.draws["weight"], levels)
            for p in self.parameters
        }
        return pd.DataFrame(rows, index=list(levels)).T

    def sample(self, n: int, seed: int) -> pd.DataFrame:
        """``n`` draws resampled by weight (systematic resampling, seeded)."""
        w = self.draws["weight"].to_numpy()
        rng = np.random.default_rng(seed)
        positions = (rng.random() + np.arange(n)) / n
        index = np.searchsorted(np.cumsum(w / w.sum()), positions)
        index = np.minimum(index, len(w) - 1)
        return self.draws.iloc[index][self.parameters].reset_index(drop=True)


def weighted_quantiles(values: Any, weights: Any, levels: tuple[float, ...]) -> list[float]:
    """Quantiles of weighted draws (the inverse of the weighted empirical distribution,
    interpolated at the midpoints of the weights)."""
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    order = np.argsort(v)
    v, w = v[order], w[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return [float(np.interp(q, cum, v)) for q in levels]


def run_abc(
    problem: Problem,
    population: int,
    generations: int,
    minimum_epsilon: float,
    seed: int,
    client: Any = None,
    database: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Posterior:
    """ABC-SMC on ``problem``: ``generations`` at most of ``population`` particles, from
    uniform priors, with the scaled Euclidean distance; on ``client`` (a Dask client: pyABC's
    Dask sampler) or in this process. ``database``: pyABC's history (default: a temporary
    SQLite file, removed)."""
    import pyabc

    names = list(problem.lows)
    prior = pyabc.Distribution(
        **{
            p: pyabc.RV("uniform", problem.lows[p], problem.highs[p] - problem.lows[p])
            for p in names
        }
    )
    weights = {k: 1.0 / s for k, s in problem.scales.items()}
    distance = pyabc.distance.PNormDistance(p=2, fixed_weights=weights)
    if client is None:
        sampler: Any = pyabc.sampler.SingleCoreSampler()
    else:
        sampler = pyabc.sampler.DaskDistributedSampler(dask_client=client, batch_size=1)
    abc = pyabc.ABCSMC(
        _PyabcModel(problem.simulate),
        prior,
        distance,
        population_size=population,
        sampler=sampler,
    )
    scratch = tempfile.TemporaryDirectory(prefix="outsim-abc-")  # outsim's own, removed
    if database is None:
        database = "sqlite:///" + os.path.join(scratch.name, "history.db")
    state = np.random.get_state()
    np.random.seed(seed)
    started = time.perf_counter()
    talk = _Progress(progress)
    logger = logging.getLogger("ABC")
    level, own = logger.level, list(logger.handlers)
    for handler in own:  # pyABC's own log lines become our progress lines
        logger.removeHandler(handler)
    logger.setLevel(logging.INFO)
    logger.addHandler(talk)
    try:
        abc.new(database, problem.observed)
        history = abc.run(minimum_epsilon=minimum_epsilon, max_nr_populations=generations)
        frame, w = history.get_distribution()
        populations = history.get_all_populations()
    finally:
        logger.removeHandler(talk)
        logger.setLevel(level)
        for handler in own:
            logger.addHandler(handler)
        np.random.set_state(state)
        scratch.cleanup()
    draws = frame[names].reset_index(drop=True).astype(float)
    draws["weight"] = np.asarray(w, dtype=float) / float(np.sum(w))
    gens = populations[populations["t"] >= 0].rename(
        columns={"t": "generation", "samples": "simulations"}
    )
    gens = gens[["generation", "epsilon", "particles", "simulations"]].reset_index(drop=True)
    gens["acceptance"] = gens["particles"] / gens["simulations"]
    return Posterior(draws, gens, int(gens["simulations"].sum()), time.perf_counter() - started)


@dataclass(frozen=True)
class GaussianToy:
    """A synthetic problem whose posterior is known, to check the method: each statistic is
    its parameter plus the mean of ``n`` draws of N(0, ``noise``²), so the posterior of each
    parameter under a flat prior is about N(observed, noise² / n) truncated to the prior."""

    names: tuple[str, ...] = ("a", "b")
    noise: float = 1.0
    n: int = 4

    def __call__(self, values: Mapping[str, float], seed: int) -> dict[str, float]:
        rng = np.random.default_rng(seed)
        return {
            f"y_{p}": float(values[p] + rng.normal(0.0, self.noise, self.n).mean())
            for p in self.names
        }

    def problem(
        self, truth: Mapping[str, float], seed: int, low: float = -3.0, high: float = 3.0
    ) -> Problem:
        """The problem of recovering ``truth`` from one synthetic observation."""
        scale = self.noise / np.sqrt(self.n)
        return Problem(
            dict.fromkeys(self.names, low),
            dict.fromkeys(self.names, high),
            self,
            self(truth, seed),
            {f"y_{p}": float(scale) for p in self.names},
        )


def calibrate(
    spec: CalibrationSpec = DEFAULT_SPEC,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[Posterior, pd.DataFrame, Problem]:
    """Calibrate ``spec``: the pilot at the defaults (the scales), then ABC-SMC, in this
    process (``workers=1``) or on a Dask cluster (``workers`` local processes, ``scheduler``
    or ``client``, as for ``outsim run``). The posterior, the pilot's runs and the problem."""
    from simulator.analysis.parallel import dask_client

    if progress is not None:
        progress(f"pilot: {spec.pilot} runs of the facts at the values assumed")
    runs = pilot(FactSimulator(spec), defaults_of(spec), spec.pilot, spec.seed)
    problem = model_problem(spec, runs)
    if progress is not None:
        progress(
            f"ABC-SMC: {spec.population} particles, at most {spec.generations} generations, "
            f"down to a distance of {spec.minimum_epsilon:g}"
        )
    local = client is None and not scheduler and workers == 1
    budget = (spec.population, spec.generations, spec.minimum_epsilon, spec.seed)
    if local:
        posterior = run_abc(problem, *budget, progress=progress)
    else:
        with dask_client(client, scheduler, workers) as dc:
            posterior = run_abc(problem, *budget, client=dc, progress=progress)
    return posterior, runs, problem


def defaults_of(spec: CalibrationSpec) -> dict[str, float]:
    """The constants' values before calibration (the experiments' scenario, with the spec's
    overrides)."""
    base = with_overrides(
        load_scenario(package_experiments() / "displaced_workers.yaml"), spec.overrides
    )
    return {p: float(attribute_at(base, p)) for p in spec.parameters}


def record_of(spec: CalibrationSpec, problem: Problem, runs: pd.DataFrame) -> dict[str, Any]:
    """What ``calibration.json`` records of how the posterior was obtained."""
    return {
        "name": spec.name,
        "description": spec.description,
        "method": "ABC-SMC (pyABC ABCSMC: uniform priors, adaptive population tolerance, "
        "scaled Euclidean distance of the fitted facts)",
        "spec": spec.model_dump(mode="json"),
        "facts": {
            f: {
                "observed": problem.observed[f],
                "scale": problem.scales[f],
                "source": FACT_BY_ID[f].source,
                "pilot_mean": float(runs[f].mean()),
                "pilot_sd": float(runs[f].std(ddof=1)),
            }
            for f in spec.facts
        },
        "pilot_covariance": runs.cov().to_dict(),
    }


def load_spec(path: Any = None) -> CalibrationSpec:
    """A calibration spec from a YAML file (None: the default), or ValueError naming the
    file, the field and what was expected."""
    from pathlib import Path

    from pydantic import ValidationError

    from simulator.scenario.loading import format_validation_error
    from simulator.scenario.reading import read_yaml

    if path is None:
        return DEFAULT_SPEC
    data = read_yaml(Path(path), "calibration spec")
    try:
        return CalibrationSpec.model_validate(data)
    except ValidationError as exc:
        raise ValueError(format_validation_error(str(path), exc)) from None


def read_posterior(path: Any) -> Posterior:
    """Weighted draws from a ``posterior.csv`` (a calibration folder's, or the package's);
    ValueError naming the file when it is not one."""
    from pathlib import Path

    path = Path(path)
    if path.is_dir():
        path = path / "posterior.csv"
    try:
        draws = pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise ValueError(
            f"{path}: cannot read a posterior ({exc}); expected posterior.csv"
        ) from None
    names = [c for c in draws.columns if c != "weight"]
    if "weight" not in draws or not names or len(draws) == 0:
        raise ValueError(f"{path}: expected columns of constants and a weight column")
    for name in names:
        if xlrm.field(name) is None:
            raise ValueError(f"{path}: column {name!r} is not a scenario field")
    values = draws.to_numpy(dtype=float)
    if not np.isfinite(values).all() or (draws["weight"] < 0).any() or draws["weight"].sum() <= 0:
        raise ValueError(f"{path}: expected finite draws and non-negative weights")
    draws["weight"] = draws["weight"] / draws["weight"].sum()
    return Posterior(draws, pd.DataFrame(), 0, 0.0, {"file": str(path)})


def shipped_posterior() -> Posterior:
    """The posterior that ships with outsim (``simulator/scenarios/posterior.csv``: the
    default spec's, ``docs/UNCERTAINTY.md``)."""
    from importlib import resources

    return read_posterior(str(resources.files("simulator") / "scenarios" / "posterior.csv"))

"""Optimisation specs: which levers to search, under which uncertainties, for what.

A spec is a YAML file (see ``experiments/robust_plan.yaml``)::

    base: ../scenarios/default.yaml              # relative to the spec file
    levers:                                      # decisions the company controls
      policies.transparency.employee_notice_months: {range: [0, 6]}
      policies.vendor_staff.career_development: {levels: [false, true]}
    uncertainties:                               # what it cannot control: an LHS ensemble
      local_economy.baseline_unemployment_rate: {range: [0.03, 0.08]}
    scenarios: 8                                 # futures in the ensemble
    replications: 1                              # runs per candidate and future
    objectives:                                  # direction: the KPI's own unless given
      npv_net_savings: {robustness: percentile}                          # P10 over futures
      reemployed_share_24m: {direction: maximise, robustness: mean}
    constraints: ["customer_churn_annual <= 0.22"]                       # on the mean
    budget: 40                                   # candidate plans the optimiser proposes
    check: {scenarios: 16, replications: 1}      # fresh futures for the plans found

Levers must be fields the schema classifies as levers (``outsim schema --levers``) and
uncertainties fields it does not (``--uncertainties``, or constants you want to vary); each,
once checked, is outsim's one parameter type (``scenario/parameters.py``), as in sweeps.
Everything is checked before a single run starts; each problem is reported as
``file: field path: what was expected``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from simulator.analysis.kpis import KPI_BY_NAME, Direction
from simulator.analysis.robustness import Constraint, Objective
from simulator.scenario import xlrm
from simulator.scenario.loading import format_validation_error
from simulator.scenario.parameters import Parameter, ValueKind
from simulator.scenario.schema import check_folder_name
from simulator.sweep.drawn import (
    POSTERIOR_HELP,
    UNCERTAINTY_HELP,
    Mode,
    check_drawn,
    draw,
    resolve_drawn,
)
from simulator.sweep.spec import (
    DEFAULT_MAX_RUNS,
    MAX_RUNS_LIMIT,
    ParameterSpec,
    Resolved,
    Sweep,
    SweepError,
    SweepSpec,
    check_parameter,
    read_spec,
    resolve_base,
    with_drawn,
)

_CONSTRAINT = re.compile(r"^\s*([A-Za-z0-9_]+)\s*(>=|<=)\s*([-+0-9.eE]+)\s*$")


def _constraint_parts(text: str) -> tuple[str, str, str]:
    """(kpi, ``>=`` or ``<=``, number) of a constraint ``kpi >= number``; ValueError if
    ``text`` is not one."""
    match = _CONSTRAINT.match(text)
    if match is None:
        raise ValueError(f"{text!r}: expected 'kpi >= number' or 'kpi <= number'")
    kpi, op, value = match.groups()
    return kpi, op, value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ObjectiveSpec(_Strict):
    """One objective: a KPI, which way is better, and how its futures are summarised."""

    direction: Literal["maximise", "minimise"] | None = Field(
        None,
        description="maximise or minimise; default: the KPI's own direction (a spec may "
        "state the other way, e.g. to search for the worst plans)",
    )
    robustness: Literal["mean", "percentile", "regret", "satisficing"] = Field(
        "mean",
        description="mean over futures; percentile (the bad tail: P10 of a maximised KPI, "
        "P90 of a minimised one); regret against the base plan (P90 over futures); "
        "satisficing (share of futures meeting threshold)",
    )
    percentile: float | None = Field(
        None, gt=0, lt=100, description="percentile: which one (default 10 or 90) [%]"
    )
    threshold: float | None = Field(None, description="satisficing: the value to meet")
    epsilon: float | None = Field(
        None, gt=0, description="Smallest difference worth a separate Pareto plan [KPI unit]"
    )

    @model_validator(mode="after")
    def _consistent(self) -> ObjectiveSpec:
        if self.robustness == "satisficing" and self.threshold is None:
            raise ValueError("robustness satisficing needs threshold: (the value to meet)")
        if self.robustness != "satisficing" and self.threshold is not None:
            raise ValueError("threshold: applies to robustness satisficing only")
        if self.robustness != "percentile" and self.percentile is not None:
            raise ValueError("percentile: applies to robustness percentile only")
        return self


class CheckSpec(_Strict):
    """Re-evaluate the plans found on fresh futures and seeds (the search overfits its own)."""

    scenarios: int = Field(16, ge=0, le=10_000, description="Fresh futures (0: no check)")
    replications: int = Field(1, ge=1, le=1_000, description="Runs per plan and future")


class OptimiseSpec(_Strict):
    """The contents of an optimisation spec file."""

    name: str | None = Field(None, description="Names its folder (default: the file name)")
    description: str = ""
    base: str = Field(..., description="Scenario file whose levers are searched")
    levers: dict[str, ParameterSpec] = Field(..., min_length=1, max_length=100)
    uncertainties: dict[str, ParameterSpec] = Field(default_factory=dict, max_length=100)
    scenarios: int = Field(8, ge=1, le=10_000, description="Futures in the search ensemble")
    replications: int = Field(1, ge=1, le=1_000, description="Runs per candidate and future")
    seed: int | None = Field(None, ge=0, description="Root seed (default: the base's seed)")
    objectives: dict[str, ObjectiveSpec] = Field(..., min_length=1, max_length=10)
    constraints: list[str] = Field(default_factory=list, max_length=20)
    budget: int = Field(40, ge=2, le=100_000, description="Candidate plans to evaluate")
    batch: int = Field(8, ge=1, le=1_000, description="Candidates proposed per round")
    sampler: Literal["tpe", "nsga2"] = Field(
        "tpe", description="tpe (MOTPE, small budgets) or nsga2 (large budgets)"
    )
    check: CheckSpec = Field(default_factory=CheckSpec)
    max_runs: int = Field(DEFAULT_MAX_RUNS, ge=1, le=MAX_RUNS_LIMIT)
    uncertainty: Mode = Field("none", description=UNCERTAINTY_HELP)
    posterior: str | None = Field(None, description=POSTERIOR_HELP)

    @field_validator("name")
    @classmethod
    def _safe_name(cls, name: str | None) -> str | None:
        return None if name is None else check_folder_name(name)

    @field_validator("constraints")
    @classmethod
    def _constraints(cls, items: list[str]) -> list[str]:
        for text in items:
            _constraint_parts(text)
        return items

    @model_validator(mode="after")
    def _known(self) -> OptimiseSpec:
        check_drawn(self)
        kpis = list(self.objectives) + [_constraint_parts(c)[0] for c in self.constraints]
        unknown = [k for k in kpis if k not in KPI_BY_NAME]
        if unknown:
            raise ValueError(
                f"unknown KPI {', '.join(unknown)}; expected names from `outsim run` kpis.csv "
                "(e.g. " + ", ".join(list(KPI_BY_NAME)[:4]) + ")"
            )
        for kpi, objective in self.objectives.items():
            if objective.direction is None:
                own = KPI_BY_NAME[kpi].direction
                if own is Direction.maximise:
                    objective.direction = "maximise"
                elif own is Direction.minimise:
                    objective.direction = "minimise"
                else:
                    raise ValueError(
                        f"objectives.{kpi}: {kpi} is reported for information, with no better "
                        "direction of its own; expected direction: maximise or minimise"
                    )
        both = set(self.levers) & set(self.uncertainties)
        if both:
            raise ValueError(f"{', '.join(sorted(both))}: a field is a lever or an uncertainty")
        for path, p in self.uncertainties.items():
            if p.range is None:
                raise ValueError(f"uncertainties.{path}: needs range: [low, high] (sampled LHS)")
        return self


@dataclass(frozen=True)
class Optimisation(Resolved):
    """A checked optimisation spec with its base scenario resolved: everything a search
    needs."""

    spec: OptimiseSpec

    @property
    def levers(self) -> list[str]:
        return list(self.spec.levers)

    @property
    def uncertainties(self) -> list[str]:
        """What differs between futures: the declared uncertainties, then the drawn ones."""
        return list(self.spec.uncertainties) + list(self.drawn)

    @property
    def objectives(self) -> list[Objective]:
        return [
            Objective(
                k, o.direction == "maximise", o.robustness, o.percentile, o.threshold, o.epsilon
            )
            for k, o in self.spec.objectives.items()
        ]

    @property
    def constraints(self) -> list[Constraint]:
        out = []
        for text in self.spec.constraints:
            kpi, op, value = _constraint_parts(text)
            out.append(Constraint(kpi, op == ">=", float(value)))
        return out

    @property
    def outputs(self) -> list[str]:
        """The KPIs every run keeps: the objectives', then the constraints'."""
        return list(
            dict.fromkeys([o.kpi for o in self.objectives] + [c.kpi for c in self.constraints])
        )

    def base_levers(self) -> dict[str, Any]:
        """The base scenario's own value of every lever: the reference plan."""
        return {p: self.parameters[p].base for p in self.levers}

    def ensemble(self, check: bool = False) -> pd.DataFrame:
        """``scenario_id`` and one column per uncertainty: the futures every candidate meets
        (a Latin hypercube; the check ensemble is drawn afresh from the next seed)."""
        size = self.spec.check.scenarios if check else self.spec.scenarios
        seed = self.seed + 1 if check else self.seed
        if not self.uncertainties:
            return pd.DataFrame({"scenario_id": list(range(1 if size else 0))})
        from simulator.sweep.sampling import samples_table

        if size == 0:
            return pd.DataFrame(columns=["scenario_id", *self.uncertainties])
        if not self.spec.uncertainties:
            table = pd.DataFrame({"scenario_id": range(size)})
        else:
            spec = SweepSpec(
                base=self.spec.base,
                parameters=self.spec.uncertainties,
                sampler="lhs",
                samples=size,
                seed=seed,
            )
            params = {p: self.parameters[p] for p in self.spec.uncertainties}
            table = samples_table(
                Sweep(spec, self.name, self.source, self.base, self.base_hash, params)
            ).rename(columns={"sample_id": "scenario_id"})
        if not self.drawn:
            return table
        mode = self.spec.uncertainty
        extra = draw(self.base, mode, self.posterior, self.drawn, len(table), seed)
        return pd.concat([table, extra], axis=1)

    def check_size(self) -> tuple[int, int]:
        """(futures, replications) actually used by the check: one future without
        uncertainties."""
        futures = (
            self.spec.check.scenarios if self.uncertainties else min(1, self.spec.check.scenarios)
        )
        return futures, self.spec.check.replications

    def search_size(self) -> int:
        return self.spec.scenarios if self.uncertainties else 1

    def fingerprint(self, **extra: Any) -> str:
        """Hash of the spec, base scenario and model code (never a sweep's)."""
        return super().fingerprint(kind="optimise", **extra)


def _check_roles(spec: OptimiseSpec, source: str) -> None:
    """Levers must be fields the registry classes as levers, uncertainties fields it does not
    (checked first: a field's role is the first thing a spec can get wrong)."""
    for paths, wanted in ((spec.levers, True), (spec.uncertainties, False)):
        for path in paths:
            entry = xlrm.field(path)
            role = entry.kind if entry else None
            if wanted and role is not xlrm.Kind.lever:
                raise SweepError(
                    f"{source}: levers.{path}: the schema classes this field as "
                    f"{role or 'unknown'}, not a lever; expected one of `outsim schema --levers`"
                )
            if not wanted and role is xlrm.Kind.lever:
                raise SweepError(
                    f"{source}: uncertainties.{path}: this field is a lever (a decision), "
                    "not an uncertainty; move it to levers:"
                )


def optimisation_from_spec(
    spec: OptimiseSpec, source: str, base_dir: Path, name: str
) -> Optimisation:
    """Resolve the base scenario and check every lever and uncertainty against it."""
    base, base_hash, name = resolve_base(spec, source, base_dir, name)
    _check_roles(spec, source)
    params: dict[str, Parameter] = {}
    for group in ("levers", "uncertainties"):
        for path, p in getattr(spec, group).items():
            try:
                param = check_parameter(base, source, path, p)
            except SweepError as exc:
                raise SweepError(str(exc).replace(": parameters.", f": {group}.", 1)) from None
            if param.kind is ValueKind.boolean and param.is_range:
                raise SweepError(
                    f"{source}: {group}.{path}: a yes/no field takes levels: "
                    "[false, true], not a range"
                )
            params[path] = param
    try:
        drawn, posterior = resolve_drawn(spec, base, source, base_dir, set(params))
    except ValueError as exc:
        raise SweepError(str(exc)) from None
    opt = Optimisation(spec, name, source, base, base_hash, params, drawn, posterior)
    _check_size(opt)
    return opt


def _check_size(opt: Optimisation) -> None:
    spec = opt.spec
    futures, reps = opt.check_size()
    runs = (spec.budget + 1) * opt.search_size() * spec.replications
    check = futures * reps * min(spec.budget + 1, 50)
    if runs + check > spec.max_runs:
        raise SweepError(
            f"{opt.source}: the search may take {runs + check:,} runs ({spec.budget + 1} plans "
            f"× {opt.search_size()} futures × {spec.replications} replications, and up to "
            f"{check:,} to check the plans found), more than max_runs: {spec.max_runs:,}; "
            "expected a smaller budget, fewer futures or replications, or a larger max_runs:"
        )


def load_optimisation(
    path: str | Path, uncertainty: str | None = None, posterior: str | Path | None = None
) -> Optimisation:
    """Read and check an optimisation spec file; raise SweepError with a readable message.
    ``uncertainty`` and ``posterior`` replace the spec's own (``spec.with_drawn``)."""
    path = Path(path)
    spec = with_drawn(read_spec(path, OptimiseSpec, "optimisation spec"), uncertainty, posterior)
    return optimisation_from_spec(spec, str(path), path.parent, path.stem)


def optimisation_from_dict(
    data: dict[str, Any], name: str = "optimise", base_dir: str | Path = "."
) -> Optimisation:
    """An optimisation from a spec written as a Python dict (``base`` relative to
    ``base_dir``)."""
    try:
        spec = OptimiseSpec.model_validate(data)
    except ValidationError as exc:
        raise SweepError(format_validation_error(f"<{name}>", exc)) from None
    return optimisation_from_spec(spec, f"<{name}>", Path(base_dir), name)

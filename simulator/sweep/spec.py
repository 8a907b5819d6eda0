"""Sweep specifications: which scenario fields vary, how they are sampled, what is kept.

A spec is a YAML file (see ``experiments/*.yaml``)::

    base: ../scenarios/default.yaml          # relative to the spec file
    sampler: lhs                             # grid, lhs, sobol or morris
    samples: 64                              # lhs: points; sobol: base N; morris: trajectories
    replications: 3
    seed: 7
    parameters:
      policies.retraining.capacity_per_month: {range: [0, 40]}
      vendors.manila.wage_ratio: {range: [0.8, 1.4], distribution: triangular, peak: 1.0}
      policies.vendor_staff.career_development: {levels: [false, true]}   # grid only
    outputs: [reemployed_share_24m, npv_net_savings]   # KPI names; default: all
    keep_timeseries: [local_unemployment_rate]               # monthly series to store; default none
    max_runs: 100000                         # refuse bigger sweeps (samples × replications)

Everything is checked before a single run starts: unknown spec fields, unknown scenario field
paths, values outside the scenario field's own bounds, samplers and distributions, KPI and
series names. Each problem is reported as ``file: field path: what was expected``. A checked
entry of ``parameters:`` is outsim's one parameter type (``scenario/parameters.py``), which
the robust search and the EMA adapter use too.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from simulator.analysis.kpis import KPI_BY_NAME
from simulator.model.metrics import METRICS
from simulator.scenario import ScenarioError, load_scenario, scenario_hash, scenario_to_dict
from simulator.scenario.loading import format_validation_error, read_yaml, scenario_from_dict
from simulator.scenario.parameters import Parameter, ParameterError
from simulator.scenario.paths import PathError, with_values
from simulator.scenario.schema import check_folder_name
from simulator.sweep.drawn import (
    POSTERIOR_HELP,
    UNCERTAINTY_HELP,
    Mode,
    check_drawn,
    posterior_digest,
    resolve_drawn,
)
from simulator.sweep.runs import Runner, run_model

Sampler = Literal["grid", "lhs", "sobol", "morris"]
DEFAULT_MAX_RUNS = 100_000  # about 50 minutes on 2 cores at ~2,000 runs/min
MAX_RUNS_LIMIT = 100_000_000
Distribution = Literal["uniform", "loguniform", "triangular", "truncnorm"]


class SweepError(ValueError):
    """A sweep spec is invalid or a sweep folder cannot be used. ``str()`` is the message."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ParameterSpec(_Strict):
    """How a spec file writes one parameter: a list of ``levels`` or a ``range`` with a
    distribution. Checked against the base scenario, it becomes a
    :class:`~simulator.scenario.parameters.Parameter`."""

    levels: list[bool | int | float | str] | None = Field(
        None, min_length=1, max_length=10_000, description="Values to take, in order (grid)"
    )
    range: tuple[float, float] | None = Field(
        None, description="Lower and upper bound [the field's own unit]"
    )
    distribution: Distribution = Field(
        "uniform", description="uniform, loguniform, triangular (needs peak) or truncnorm"
    )
    peak: float | None = Field(None, description="Mode of a triangular distribution")
    mean: float | None = Field(None, description="Mean of a truncated normal")
    sd: float | None = Field(None, gt=0, description="Standard deviation of a truncated normal")
    steps: int | None = Field(
        None, ge=2, le=1000, description="Grid sampler: evenly spaced points across the range"
    )

    @model_validator(mode="after")
    def _consistent(self) -> ParameterSpec:
        if (self.levels is None) == (self.range is None):
            raise ValueError("give either levels: [...] or range: [low, high], not both or none")
        if self.range is not None:
            lo, hi = self.range
            if not lo < hi:
                raise ValueError(f"range [{lo}, {hi}]: expected low < high")
            if self.distribution == "loguniform" and lo <= 0:
                raise ValueError("loguniform needs a range above zero")
            if self.distribution == "triangular" and (
                self.peak is None or not lo <= self.peak <= hi
            ):
                raise ValueError("triangular needs peak: a value within the range")
            if self.distribution == "truncnorm" and (self.mean is None or self.sd is None):
                raise ValueError("truncnorm needs mean: and sd:")
        elif self.distribution != "uniform" or self.steps is not None:
            raise ValueError("distribution and steps apply to a range, not to levels")
        return self

    def sampling(self) -> dict[str, Any]:
        """How a range is sampled: distribution, peak, mean, sd, steps."""
        return self.model_dump(include={"distribution", "peak", "mean", "sd", "steps"})


class SweepSpec(_Strict):
    """The contents of a sweep spec file."""

    name: str | None = Field(
        None, description="Sweep name, names its folder (default: the spec's file name)"
    )
    description: str = ""
    base: str = Field(..., description="Scenario file the sweep varies, relative to the spec")
    parameters: dict[str, ParameterSpec] = Field(..., min_length=1)
    sampler: Sampler = "grid"
    samples: int | None = Field(
        None,
        ge=1,
        le=1_000_000,
        description="lhs: points; sobol: base sample N (power of 2); morris: trajectories",
    )
    replications: int = Field(1, ge=1, le=10_000, description="Runs per sample [runs]")
    seed: int | None = Field(None, ge=0, description="Root seed (default: the base's seed)")
    outputs: list[str] | None = Field(None, description="KPI names to keep (default: all)")
    keep_timeseries: list[str] = Field(
        default_factory=list, description="Monthly series to store in the monthly table"
    )
    second_order: bool = Field(False, description="sobol: also sample second-order indices")
    morris_levels: int = Field(4, ge=2, le=20, description="morris: grid levels per parameter")
    batch_size: int | None = Field(
        None, ge=1, le=10_000, description="Runs per Dask task (default: chosen from the sweep)"
    )
    paired_with: dict[str, bool | int | float | str] | None = Field(
        None,
        description="Also run every sample with these field values (e.g. a programme switched "
        "off) on the same seed, and store each output's paired difference as effect_<kpi>",
    )
    max_runs: int = Field(
        DEFAULT_MAX_RUNS,
        ge=1,
        le=MAX_RUNS_LIMIT,
        description="Refuse a sweep of more runs than this (samples × replications) [runs]",
    )
    uncertainty: Mode = Field("none", description=UNCERTAINTY_HELP)
    posterior: str | None = Field(None, description=POSTERIOR_HELP)

    @field_validator("name")
    @classmethod
    def _safe_name(cls, name: str | None) -> str | None:
        return None if name is None else check_folder_name(name)

    @model_validator(mode="after")
    def _sampler_fits(self) -> SweepSpec:
        check_drawn(self)
        if self.uncertainty != "none" and self.sampler in ("sobol", "morris"):
            raise ValueError(
                f"uncertainty: {self.uncertainty} draws assumptions beside the {self.sampler} "
                "design, as noise its estimator cannot attribute; expected sampler: lhs or "
                "grid, or sweep the assumption as a parameter"
            )
        if self.sampler == "grid":
            for path, p in self.parameters.items():
                if p.levels is None and p.steps is None:
                    raise ValueError(
                        f"grid sampler: parameter {path} needs levels: [...] or range with steps:"
                    )
            if self.samples is not None:
                raise ValueError("grid sampler takes every combination; remove samples:")
        else:
            if self.samples is None:
                raise ValueError(f"sampler {self.sampler} needs samples: (a whole number)")
            if self.sampler == "sobol" and self.samples & (self.samples - 1):
                low = 1 << (self.samples.bit_length() - 1)
                raise ValueError(
                    f"sobol sampler: samples is {self.samples}, not a power of 2; expected "
                    f"e.g. {low} or {2 * low} (Sobol' sequences balance only at powers of 2)"
                )
            for path, p in self.parameters.items():
                if p.range is None:
                    raise ValueError(
                        f"sampler {self.sampler}: parameter {path} needs range: [low, high] "
                        "(levels are for the grid sampler)"
                    )
        self._check_outputs()
        return self

    def _check_outputs(self) -> None:
        """The outputs and kept series name what a run gives (a region sweep: its own)."""
        unknown = [k for k in self.outputs or [] if k not in KPI_BY_NAME]
        if unknown:
            raise ValueError(
                f"outputs: unknown KPI {', '.join(unknown)}; expected names from "
                "`outsim run` kpis.csv (e.g. " + ", ".join(list(KPI_BY_NAME)[:4]) + ")"
            )
        series = [k for k in self.keep_timeseries if k not in METRICS or k == "month"]
        if series:
            raise ValueError(
                f"keep_timeseries: unknown series {', '.join(series)}; expected columns of "
                "timeseries.csv (e.g. local_unemployment_rate)"
            )


@dataclass(frozen=True)
class Resolved:
    """A checked spec with its base scenario resolved (sweeps and optimisations alike)."""

    spec: Any
    name: str
    source: str  # the spec file, for messages
    base: dict[str, Any]  # plain-data base scenario, every default filled in
    base_hash: str
    parameters: dict[str, Parameter] = field(default_factory=dict)  # what varies, checked
    # what each sample or future also draws (``uncertainty:``, ``sweep/drawn.py``), and from
    drawn: dict[str, Parameter] = field(default_factory=dict)
    posterior: Any = None

    @property
    def inputs(self) -> dict[str, Parameter]:
        """Every field a run sets: the parameters, then the drawn assumptions."""
        return {**self.parameters, **self.drawn}

    @property
    def seed(self) -> int:
        given = self.spec.seed
        return int(given if given is not None else self.base["simulation"]["seed"])

    def kinds(self) -> dict[str, str]:
        """The Python type name of each parameter's field (bool, int, float, str), as the
        store records it."""
        return {path: p.type_name for path, p in self.inputs.items()}

    def fingerprint(self, **extra: Any) -> str:
        """Hash of everything that decides the runs: spec, resolved base scenario and the
        model's code (a store never mixes results of two versions of the model)."""
        blob = json.dumps(
            {
                "spec": self.spec.model_dump(mode="json", exclude={"name", "description"}),
                "base": self.base_hash,
                "code": model_code_hash(),
                "posterior": posterior_digest(self.posterior),
                **extra,
            },
            sort_keys=True,
        )
        return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True)
class Sweep(Resolved):
    """A checked sweep spec with its base scenario resolved: everything a run needs."""

    spec: SweepSpec

    @property
    def outputs(self) -> list[str]:
        return list(self.spec.outputs or KPI_BY_NAME)

    @property
    def runner(self) -> Runner:
        """What runs one of its runs (``runs.py``): the outsourcing model."""
        return run_model

    @property
    def stored_kpis(self) -> list[str]:
        """The KPI columns a run stores: the outputs, and with ``paired_with`` their paired
        differences ``effect_<kpi>``."""
        effects = [f"effect_{k}" for k in self.outputs] if self.spec.paired_with else []
        return self.outputs + effects

    def expected_samples(self) -> int:
        """How many samples the spec gives, without drawing them: a grid's levels
        multiplied, Sobol's N (2d + 2) or N (d + 2), Morris's N (d + 1), else N."""
        spec = self.spec
        d = len(self.parameters)
        n = int(spec.samples or 0)
        if spec.sampler == "grid":
            return math.prod(
                len(p.levels) if p.levels is not None else (p.steps or 2)
                for p in self.parameters.values()
            )
        if spec.sampler == "sobol":
            return n * (2 * d + 2 if spec.second_order else d + 2)
        if spec.sampler == "morris":
            return n * (d + 1)
        return n


def model_code_hash() -> str:
    """SHA-256 of the source of everything that turns a scenario into KPIs."""
    root = Path(__file__).resolve().parents[1]
    files = sorted(
        [*(root / "model").rglob("*.py"), *(root / "scenario").rglob("*.py")]
        + [root / "analysis" / name for name in ("kpis.py", "replications.py", "displacement.py")]
    )
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.relative_to(root).as_posix().encode())
        digest.update(f.read_bytes())
    return digest.hexdigest()


def _scenario_accepts(data: dict[str, Any]) -> None:
    scenario_from_dict(data, "<sweep>")


def check_parameter(
    sweep_base: dict[str, Any],
    source: str,
    path: str,
    p: ParameterSpec,
    accepts: Callable[[dict[str, Any]], None] = _scenario_accepts,
    what: str = "the scenario field",
) -> Parameter:
    """The parameter ``p`` writes for field ``path``, checked against the base (a scenario,
    or what ``accepts`` checks, raising ScenarioError; ``what`` names it in messages): the
    field exists, and every value it can take fits the field's type and the schema."""
    where = f"{source}: parameters.{path}"
    try:
        param = Parameter.of(path, sweep_base, levels=p.levels, range=p.range, **p.sampling())
    except (PathError, ParameterError) as exc:
        raise SweepError(f"{where}: {exc}") from None
    like = param.base
    for value in param.extremes():
        given = param.coerce(value)
        if isinstance(like, bool) != isinstance(given, bool) or (
            isinstance(like, str) and not isinstance(given, str)
        ):
            raise SweepError(
                f"{where}: value {value!r} does not fit the field; expected "
                f"{type(like).__name__} like the base value {like!r}"
            )
        try:
            accepts(with_values(sweep_base, {path: given}))
        except ScenarioError as exc:
            reasons = "; ".join(
                line.split(": ", 2)[-1] for line in str(exc).splitlines() if line.strip()
            )
            given_as = "levels" if p.levels is not None else "range"
            raise SweepError(
                f"{where}.{given_as}: value {value!r} is outside what {what} accepts ({reasons})"
            ) from None
    return param


def resolve_base(
    spec: Any, source: str, base_dir: Path, name: str
) -> tuple[dict[str, Any], str, str]:
    """The base scenario of a spec (relative to ``base_dir``) as plain data, its hash, and
    the checked name (the spec's ``name:`` or ``name``)."""
    base_path = Path(spec.base)
    if not base_path.is_absolute():
        base_path = base_dir / base_path
    try:
        scenario = load_scenario(base_path)
    except ScenarioError as exc:
        raise SweepError(f"{source}: base: {exc}") from None
    name = spec.name or name
    try:
        check_folder_name(name)
    except ValueError as exc:
        raise SweepError(f"{source}: name: {exc}; set name: in the spec") from None
    return scenario_to_dict(scenario), scenario_hash(scenario), name


def read_spec(path: Path, model: type[BaseModel], what: str) -> Any:
    """A spec file validated as ``model`` (SweepError naming file and field)."""
    try:
        data = read_yaml(path, what)
    except ScenarioError as exc:
        raise SweepError(str(exc).replace("mapping of sections", f"mapping (a {what})")) from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise SweepError(format_validation_error(str(path), exc)) from None


def sweep_from_spec(spec: SweepSpec, source: str, base_dir: Path, name: str) -> Sweep:
    """Resolve the base scenario and check every parameter against it."""
    base, base_hash, name = resolve_base(spec, source, base_dir, name)
    params = {path: check_parameter(base, source, path, p) for path, p in spec.parameters.items()}
    for path, value in (spec.paired_with or {}).items():
        check_parameter(base, source, f"{path}", ParameterSpec(levels=[value]))
    try:
        drawn, posterior = resolve_drawn(spec, base, source, base_dir, set(params))
    except ValueError as exc:
        raise SweepError(str(exc)) from None
    sweep = Sweep(spec, name, source, base, base_hash, params, drawn, posterior)
    check_size(sweep)
    return sweep


def check_size(sweep: Sweep) -> None:
    """Refuse, before anything is sampled, a sweep of more runs than ``max_runs``."""
    spec = sweep.spec
    samples = sweep.expected_samples()
    runs = samples * spec.replications
    if runs > spec.max_runs:
        raise SweepError(
            f"{sweep.source}: the sweep has {runs:,} runs ({samples:,} samples × "
            f"{spec.replications} replications), more than max_runs: {spec.max_runs:,}; "
            f"expected fewer levels or samples, or raise max_runs: in the spec (up to "
            f"{MAX_RUNS_LIMIT:,}) if you mean it"
        )


def load_sweep(
    path: str | Path, uncertainty: str | None = None, posterior: str | Path | None = None
) -> Sweep:
    """Read and check a sweep spec file; raise SweepError with a readable message.
    ``uncertainty`` and ``posterior`` (``--uncertainty``, ``--posterior``: a path from the
    working folder) replace the spec's own."""
    path = Path(path)
    spec = with_drawn(read_spec(path, SweepSpec, "sweep spec"), uncertainty, posterior)
    return sweep_from_spec(spec, str(path), path.parent, path.stem)


def with_drawn(spec: Any, uncertainty: str | None, posterior: str | Path | None) -> Any:
    """``spec`` with the command line's ``--uncertainty`` and ``--posterior``, checked
    again (SweepError naming the option)."""
    if uncertainty is None and posterior is None:
        return spec
    data = spec.model_dump()
    if uncertainty is not None:
        data["uncertainty"] = uncertainty
    if posterior is not None:
        data["posterior"] = str(Path(posterior).resolve())
    try:
        return type(spec).model_validate(data)
    except ValidationError as exc:
        text = format_validation_error("--uncertainty/--posterior", exc)
        raise SweepError(text) from None

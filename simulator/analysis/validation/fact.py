"""What a validation fact is, what kind of evidence it is, and how it is judged.

Kinds:

- ``fitted`` — a default was tuned to it (:data:`simulator.model.calibration.FITTED` names
  which), or a mechanism or constant was chosen after seeing it (``provenance`` says what
  and when); reproducing it shows the calibration holds jointly, it is not evidence;
- ``consistency`` — it reads back an input or a closed form (a guard against later changes);
- ``out-of-sample`` — nothing was tuned to it: evidence for the model;
- ``direction`` — the source gives only a direction (or a qualitative size); counted apart.

The rule is strict (:meth:`Fact.verdict`): a range fact **passes** when the model's mean lies
in the published range widened by the tolerance (the accepted band) *and* the model's 95%
interval is no wider than :data:`PRECISION_SHARE` of the band, so that more noise can never
make a pass easier; it **fails** when the mean lies outside a precise interval's band or the
whole interval lies outside the band; otherwise it is **imprecise** (more replications are
needed to say). A direction fact passes when the whole interval lies on the stated side,
fails when the whole interval lies on the other, and is imprecise when it straddles. Each
tolerance is no wider than the source's own uncertainty (sampling error, spread across
releases or studies), and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from simulator.model.calibration import fitted_facts

Kind = Literal["fitted", "consistency", "out-of-sample", "direction"]
KINDS: tuple[Kind, ...] = ("out-of-sample", "direction", "fitted", "consistency")
Verdict = Literal["pass", "fail", "imprecise"]
VERDICTS: tuple[Verdict, ...] = ("pass", "imprecise", "fail")
# The model's 95% interval may span at most this share of a fact's accepted band for a pass:
# half the band means the model's own noise is small beside the evidence's uncertainty, so a
# pass says where the model's mean is, not that its noise is wide enough to reach the band.
PRECISION_SHARE = 0.5


@dataclass(frozen=True)
class Fact:
    """A published fact, how the model is measured against it and how close it must come."""

    id: str
    claim: str
    source: str
    published: str  # the published value or range, as text
    low: float  # published range [unit]; a direction fact: the side (low, high)
    high: float
    tolerance: float  # added on both sides of a range [unit]
    why: str  # why this tolerance
    unit: str
    experiment: str
    measured: str  # how the experiment mirrors the measurement
    declared: Kind = "out-of-sample"  # the kind unless a default was fitted to it
    # what was adjusted after the fact was seen (a constant, a mechanism, a band) and when:
    # a fact whose failure drove a change is no longer out-of-sample
    provenance: str = ""
    # when the fact joined the suite, and whether the model's answer was known then
    added: str = "before issue 24"

    @property
    def kind(self) -> Kind:
        return "fitted" if self.id in fitted_facts() else self.declared

    @property
    def accepted(self) -> tuple[float, float]:
        if self.kind == "direction":
            return self.low, self.high
        return self.low - self.tolerance, self.high + self.tolerance

    @property
    def precision_needed(self) -> float:
        """The widest 95% interval with which this range fact can pass [unit] (infinite for a
        side: a direction, or a band open at one end)."""
        lo, hi = self.accepted
        return PRECISION_SHARE * (hi - lo)

    def verdict(self, mean: float, ci_low: float, ci_high: float) -> Verdict:
        """``pass``, ``fail`` or ``imprecise``: the strict rule of the module's description."""
        if not (np.isfinite(mean) and np.isfinite(ci_low) and np.isfinite(ci_high)):
            return "fail"  # not measured: nothing to show
        lo, hi = self.accepted
        if self.kind == "direction" or not np.isfinite(hi - lo):  # a side, not a range
            if lo < ci_low and ci_high < hi:
                return "pass"
            return "fail" if ci_high <= lo or ci_low >= hi else "imprecise"
        if ci_high < lo or ci_low > hi:
            return "fail"  # the whole interval outside the band: precise enough to say so
        if ci_high - ci_low > self.precision_needed:
            return "imprecise"
        return "pass" if lo <= mean <= hi else "fail"


INF = float("inf")
DWS_MEASURE = (
    "Workers with 3+ years of tenure at displacement, pooled over months 1-36 after "
    "displacement (the survey asks in January about losses in the three previous years)"
)
ADDED_24 = (
    "issue 24, with its source chosen and band set before the model was run against it; its "
    "first run came before the labour-force exit was fitted to the slack years' surveys, and "
    "nothing was adjusted to it"
)

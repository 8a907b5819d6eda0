"""Regional facts (issue 28): what a wave of job losses does to a local labour market.

The experiment (``regional_wave``) runs a region whose twelve contact-centre firms move all
customer service offshore over five years, and the same region without the wave
(``regional_no_wave``: the same firms on the same seeds, none moving), and measures after ten
years — the span of a decade's change in Autor, Dorn & Hanson (2013) — how many more people
in the region are unemployed, and how many more are not employed at all (unemployed, in
training or out of the labour force), per customer-service job moved out, and per worker laid
off. The model has no migration and no change in the labour force's inflow: every job the
region loses shows up as someone in it not employed, which is what these facts test.

Every fact here joined the suite with its source, measurement and band fixed before the model
was run against it; nothing was adjusted to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.analysis.validation.fact import INF, Fact
from simulator.model.employees import State

ADDED_28 = (
    "issue 28: source, measurement and band fixed before the model was first run against "
    "it; nothing adjusted to it"
)
ADH = (
    "Autor, Dorn & Hanson, 'The China Syndrome', American Economic Review 103(6), 2013, "
    "Table 5 (2SLS, 722 commuting zones, 1990-2007, changes per decade)"
)
ADH_MEASURE = (
    "At the end of ten years, people in the region unemployed (other job seekers and the "
    "firms' displaced) in the wave region minus the same region without the wave, over the "
    "customer-service jobs moved out of the region"
)


def _jobless(region: Any) -> tuple[float, float]:
    """(unemployed, not employed) in a finished region's labour market [persons]: every
    firm's displaced unemployed, the region's other job seekers; not employed adds the
    displaced in training and those who left the labour force."""
    firms = region.firms
    unemployed = region.economy.unemployed_other + sum(
        f.workforce.count(State.unemployed) for f in firms
    )
    out = sum(
        f.workforce.count(State.retraining) + f.workforce.count(State.left_labour_force)
        for f in firms
    )
    return float(unemployed), float(unemployed + out)


def measure_regional_wave(models: Mapping[str, list[Any]]) -> dict[str, float]:
    """The regional facts from one replication of the wave and no-wave regions."""
    (wave,), (calm,) = models["regional_wave"], models["regional_no_wave"]
    u_wave, n_wave = _jobless(wave)
    u_calm, n_calm = _jobless(calm)
    moved = float(wave.economy.tradable_jobs_lost)
    laid_off = float(sum(f.metrics["displaced_cumulative"] for f in wave.firms))
    nan = float("nan")
    return {
        "adh_unemployed_per_job_lost": (u_wave - u_calm) / moved if moved else nan,
        "adh_not_employed_per_job_lost": (n_wave - n_calm) / moved if moved else nan,
        "gathmann_region_loses_more_than_the_layoff": (
            (n_wave - n_calm) / laid_off if laid_off else nan
        ),
    }


REGIONAL_FACTS: tuple[Fact, ...] = (
    Fact(
        "adh_unemployed_per_job_lost",
        "When a local labour market loses tradable jobs, its unemployed rise by about a third "
        "of the jobs lost; most of the rest leave the labour force",
        ADH,
        "unemployment +0.221 (s.e. 0.058) and manufacturing employment -0.596 (s.e. 0.099) "
        "points of the working-age population per $1,000 of import exposure per worker: "
        "0.37 more unemployed per manufacturing job lost",
        0.37,
        0.37,
        0.23,
        "Two standard errors of the ratio (delta method from the two coefficients' standard "
        "errors, 0.115): the study's own sampling uncertainty.",
        "persons per job",
        "regional_wave",
        ADH_MEASURE + ".",
        added=ADDED_28,
    ),
    Fact(
        "adh_not_employed_per_job_lost",
        "A local labour market's non-employment rises by more than the tradable jobs it "
        "loses: employment outside the exposed industry falls too",
        ADH,
        "unemployment +0.221 and not in the labour force +0.553 (s.e. 0.150) points per "
        "-0.596 in manufacturing (non-manufacturing employment -0.178, s.e. 0.137): 1.30 "
        "more people not employed per manufacturing job lost",
        1.30,
        1.30,
        0.69,
        "Two standard errors of the ratio (delta method, the two non-employment coefficients "
        "taken as independent, 0.35): the study's own sampling uncertainty.",
        "persons per job",
        "regional_wave",
        ADH_MEASURE.replace(
            "unemployed (", "not employed — unemployed, in training or out of the labour force ("
        )
        + ".",
        added=ADDED_28,
    ),
    Fact(
        "gathmann_region_loses_more_than_the_layoff",
        "Regions hit by mass layoffs lose many more jobs than in the initial layoff",
        "Gathmann, Helm & Schönberg, 'Spillover Effects of Mass Layoffs', Journal of the "
        "European Economic Association 18(1), 2020 (German administrative data, abstract)",
        "more than the layoff (a direction: 'lose many more jobs than in the initial layoff')",
        1.0,
        INF,
        0.0,
        "A direction: the source's abstract states the side, not a size.",
        "persons per worker laid off",
        "regional_wave",
        "At the end of ten years, people in the region not employed in the wave region minus "
        "the same region without the wave, over the workers the firms laid off (the model "
        "has no migration: a job the region loses is a person in it not employed).",
        declared="direction",
        provenance="The model's local multiplier (1.0, from Moretti 2010: a consistency fact) "
        "already makes a region lose jobs beyond the layoff; this checks that re-employment "
        "and attrition do not undo that within ten years, a weak test",
        added=ADDED_28,
    ),
)

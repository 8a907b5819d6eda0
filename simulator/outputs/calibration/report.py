"""The folder ``outsim calibrate`` writes.

- ``posterior.csv`` and ``posterior.parquet``: the weighted draws (one column per constant,
  ``weight`` summing to 1);
- ``generations.csv``: per generation of ABC-SMC, its tolerance (epsilon), particles,
  simulations and acceptance rate;
- ``calibration.json``: the spec (constants, priors, facts, budget, seed), the method, the
  observation and scales, the pilot's covariance of the facts, the posterior's quantiles and
  effective sample size, the number of simulations, outsim's version and the git commit;
- ``marginals.png`` (each constant's weighted histogram on its prior range, the current
  default marked), ``pairs.png`` (every pair of constants) and ``progress.png`` (tolerance
  and acceptance by generation).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from simulator.analysis.calibrate import Posterior  # noqa: E402
from simulator.outputs.figures.style import BLUE, VERMILLION, style  # noqa: E402
from simulator.outputs.folders import output_folder  # noqa: E402
from simulator.outputs.records import json_safe, package_version, write_json  # noqa: E402
from simulator.outputs.workbooks import write_csv  # noqa: E402


def git_commit() -> str:
    """The commit of the source tree outsim runs from ("unknown" outside a git checkout)."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def write_parquet(frame: Any, path: Path) -> None:
    """``frame`` as Parquet, written by DuckDB (no pyarrow needed)."""
    import duckdb

    con = duckdb.connect()
    try:
        con.register("draws", frame)
        con.execute(f"COPY draws TO '{path.as_posix()}' (FORMAT PARQUET)")
    finally:
        con.close()


def plot_marginals(
    posterior: Posterior,
    priors: dict[str, tuple[float, float]],
    defaults: dict[str, float],
    path: Path,
) -> None:
    names = posterior.parameters
    with plt.rc_context(style()):
        fig, axes = plt.subplots(
            1, len(names), figsize=(3.2 * len(names), 3.2), layout="constrained", squeeze=False
        )
        axes[0][0].set_ylabel("posterior weight", fontsize=9)
        for ax, name in zip(axes[0], names, strict=True):
            low, high = priors[name]
            ax.hist(
                posterior.draws[name],
                bins=20,
                range=(low, high),
                weights=posterior.draws["weight"],
                color=BLUE,
            )
            if name in defaults:
                ax.axvline(defaults[name], color=VERMILLION, linewidth=1.2)
            ax.set_xlim(low, high)
            ax.set_axisbelow(True)
            ax.set_title(name.split(".")[-1].replace("_", " "), fontsize=9)
            ax.tick_params(labelsize=8)
        fig.suptitle(
            "Posterior of each constant on its prior range (line: the value before calibration)",
            fontsize=10,
        )
        fig.savefig(path)
        plt.close(fig)


def plot_pairs(posterior: Posterior, priors: dict[str, tuple[float, float]], path: Path) -> None:
    names = posterior.parameters
    k = len(names)
    size = 40 * posterior.draws["weight"].to_numpy() / posterior.draws["weight"].max()
    with plt.rc_context(style()):
        fig, axes = plt.subplots(
            k, k, figsize=(2.2 * k, 2.2 * k), layout="constrained", squeeze=False
        )
        for i, row in enumerate(names):
            for j, col in enumerate(names):
                ax = axes[i][j]
                if j > i:
                    ax.set_axis_off()
                elif j == i:
                    weights = posterior.draws["weight"]
                    ax.hist(posterior.draws[col], bins=15, weights=weights, color=BLUE)
                else:
                    ax.scatter(
                        posterior.draws[col], posterior.draws[row], s=size, color=BLUE, alpha=0.5
                    )
                    ax.set_xlim(*priors[col])
                    ax.set_ylim(*priors[row])
                ax.tick_params(labelsize=6)
                if i == k - 1:
                    ax.set_xlabel(col.split(".")[-1], fontsize=7)
                if j == 0 and i > 0:
                    ax.set_ylabel(row.split(".")[-1], fontsize=7)
        fig.savefig(path)
        plt.close(fig)


def plot_progress(posterior: Posterior, path: Path) -> None:
    gens = posterior.generations
    with plt.rc_context(style()):
        fig, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
        ax.plot(gens["generation"], gens["epsilon"], marker="o", color=BLUE, label="tolerance")
        ax.set_xlabel("generation")
        ax.set_ylabel("tolerance (scaled distance)")
        other = ax.twinx()
        other.plot(
            gens["generation"], gens["acceptance"], marker="s", color=VERMILLION, label="acceptance"
        )
        other.set_ylabel("acceptance rate")
        other.set_ylim(0, 1)
        fig.legend(loc="outside upper center", ncols=2, fontsize=9)
        fig.savefig(path)
        plt.close(fig)


def write_calibration(
    posterior: Posterior,
    target: Path,
    record: dict[str, Any],
    priors: dict[str, tuple[float, float]],
    defaults: dict[str, float],
) -> Path:
    """Write the calibration folder atomically (an existing ``target`` is replaced only if
    outsim wrote it)."""
    quantiles = posterior.quantiles((0.05, 0.5, 0.95))
    full = {
        **record,
        "posterior": {
            p: {"q05": row[0.05], "median": row[0.5], "q95": row[0.95], "default": defaults.get(p)}
            for p, row in quantiles.iterrows()
        },
        "effective_sample_size": posterior.ess(),
        "simulations": posterior.simulations,
        "seconds": round(posterior.seconds, 1),
        "version": package_version(),
        "git_commit": git_commit(),
    }
    with output_folder(target, "calibration", {"name": record.get("name")}) as tmp:
        write_csv(posterior.draws, tmp / "posterior.csv")
        write_parquet(posterior.draws, tmp / "posterior.parquet")
        write_csv(posterior.generations, tmp / "generations.csv")
        write_json(tmp / "calibration.json", json_safe(full))
        plot_marginals(posterior, priors, defaults, tmp / "marginals.png")
        plot_pairs(posterior, priors, tmp / "pairs.png")
        plot_progress(posterior, tmp / "progress.png")
    return target

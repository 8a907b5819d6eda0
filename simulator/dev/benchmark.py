"""Benchmark: how fast and how lean one replication of the default scenario is, at scale.

For each scale (customers, in-house staff, labour force and vendor hiring capacity all
multiplied) one replication of the bundled default scenario runs in a fresh Python process,
so that its peak resident memory is its own. The child reports:

- wall seconds (building the model and stepping it), agent-months per second and peak
  resident memory, and bytes per agent above the interpreter's own footprint;
- the same figures for a reference numpy kernel (:func:`floor_kernel`) run first in the same
  process: the least array work a month needs per customer (draw contacts, update
  satisfaction and trust, draw churn). The model's time is reported as a ratio to it;
- optionally a cProfile summary (top functions by cumulative time) of a second, profiled run.

Agent-months are the months simulated summed over agents: every in-house worker (displaced
or not) each month, every vendor agent employed at the end of each month (the recorded
``vendor_staff`` series) and every customer active at the start of each month.

Run ``python -m simulator.dev.benchmark`` or ``python experiments/benchmark.py``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import resource
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from simulator.model.model import OutsourcingModel, simulate_status_quo
from simulator.scenario import Scenario, load_scenario, scenario_from_dict, scenario_to_dict
from simulator.scenario.status_quo import is_status_quo

DEFAULT_SCALES = (1.0, 10.0, 100.0)
LARGE_SCALE_MONTHS = 24  # months simulated at scales above 10 (the default horizon is 60)
DEFAULT_SEED = 20261128
PROFILE_ROWS = 10
SINGLE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


# -- the scaled scenario ------------------------------------------------------------------------
def scaled_scenario(scale: float, base: Scenario | None = None) -> Scenario:
    """The default scenario (or ``base``) with the company ``scale`` times as large.

    Customers, in-house headcount, the home region's labour force (so staff stay a small
    share of it), vendor hiring capacity (so vendor staff scale too) and retraining places
    are multiplied; rates, prices and the plan are unchanged.
    """
    data = scenario_to_dict(base if base is not None else load_scenario(None))

    def times(value: float, floor: int = 1) -> int:
        return max(floor, int(round(value * scale)))

    data["customers"]["count"] = times(data["customers"]["count"])
    data["workforce"]["headcount"] = times(data["workforce"]["headcount"], 0)
    data["local_economy"]["labour_force"] = times(data["local_economy"]["labour_force"], 1000)
    for vendor in data["vendors"]:
        vendor["hiring_capacity_per_month"] = times(vendor["hiring_capacity_per_month"])
    retraining = data["policies"]["local_jobs"]["retraining"]
    retraining["capacity_per_month"] = times(retraining["capacity_per_month"], 0)
    data["simulation"]["name"] = f"{data['simulation']['name']}_x{scale:g}"
    return scenario_from_dict(data)


def default_months(scale: float, horizon: int = 60) -> int:
    """Months simulated at ``scale``: the whole horizon up to ×10, fewer above."""
    return horizon if scale <= 10 else min(horizon, LARGE_SCALE_MONTHS)


# -- memory -------------------------------------------------------------------------------------
def peak_rss_bytes() -> int:
    """Peak resident memory of this process so far [bytes]."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def current_rss_bytes() -> int | None:
    """Resident memory of this process now [bytes] (None where /proc is missing)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


# -- the numpy floor ----------------------------------------------------------------------------
def _poisson_above_zero(u: np.ndarray, rate: np.ndarray, p_zero: np.ndarray) -> np.ndarray:
    """Poisson counts by inversion for uniforms already above P(0) (the cheapest numpy way:
    one uniform per customer; ``rng.poisson`` costs several times more per draw)."""
    counts = np.ones(len(u), dtype=np.int64)
    idx = np.arange(len(u))
    term, cdf = p_zero * rate, p_zero + p_zero * rate
    k = 1
    while len(idx) and k < 200:  # (the model caps counts at 200 too)
        still = np.flatnonzero(u >= cdf)
        idx, u, rate, term, cdf = (x.take(still) for x in (idx, u, rate, term, cdf))
        k += 1
        counts[idx] = k
        term = term * rate / k
        cdf = cdf + term
    return counts


def floor_kernel(scenario: Scenario, months: int, seed: int = DEFAULT_SEED) -> dict[str, float]:
    """The least array work a month of the customer base needs, as a reference floor.

    Per customer and month: draw contacts (one uniform each; Poisson counts by inversion for
    those with an issue, gamma-distributed rates), draw a resolution for those with an issue
    and move their satisfaction towards the experience, move every customer's trust towards
    its satisfaction-implied level, draw churn from trust (churned slots start afresh, so the
    base keeps its size). No channels, staff, privacy, workers or books.

    Returns wall and CPU seconds [s], agent-months (customer months), agent-months per
    second [1/s] and peak resident memory of the process so far [bytes].
    """
    c = scenario.customers
    n, k = c.count, c.contact_rate_dispersion
    start, cpu = time.perf_counter(), time.process_time()
    rng = np.random.default_rng(seed)
    rate = rng.gamma(k, c.contacts_per_customer_month / k, n)  # [issues/month]
    p_zero = np.exp(-rate)
    satisfaction = np.full(n, 80.0)
    trust = np.full(n, c.initial_trust)
    base_churn = 1.0 - (1.0 - c.baseline_churn_annual) ** (1 / 12)
    u, work = np.empty(n), np.empty(n)  # buffers, as in the model
    leave = np.empty(n, dtype=bool)
    contacts = 0
    for _ in range(months):
        rng.random(out=u)
        issuing = np.flatnonzero(u >= p_zero)
        contacts += int(_poisson_above_zero(u[issuing], rate[issuing], p_zero[issuing]).sum())
        experience = np.where(rng.random(len(issuing)) < 0.7, 90.0, 40.0)
        satisfaction[issuing] += 0.4 * (experience - satisfaction[issuing])
        # trust += 0.08 (clip(initial + 0.006 (satisfaction - 80), 0, 1) - trust)
        np.subtract(satisfaction, 80.0, out=work)
        work *= 0.006
        work += c.initial_trust
        np.clip(work, 0.0, 1.0, out=work)
        work -= trust
        work *= 0.08
        trust += work
        # churn hazard = base exp(elasticity (initial - trust))
        np.subtract(c.initial_trust, trust, out=work)
        work *= c.trust_churn_elasticity
        np.exp(work, out=work)
        work *= base_churn
        np.less(rng.random(out=u), work, out=leave)
        satisfaction[leave] = 80.0
        trust[leave] = c.initial_trust
    wall = time.perf_counter() - start
    return {
        "wall_s": wall,
        "cpu_s": time.process_time() - cpu,
        "agent_months": float(n * months),
        "agent_months_per_s": n * months / wall,
        "contacts": float(contacts),
        "peak_rss_bytes": float(peak_rss_bytes()),
    }


# -- one replication, in this process ----------------------------------------------------------
def _profile_rows(stats: pstats.Stats, rows: int) -> list[dict[str, Any]]:
    """Top ``rows`` functions by cumulative time, without the profiler's and this module's
    own frames."""
    entries = []
    # typeshed's pstats.Stats does not declare ``stats``, the table every Stats holds
    for (path, line, name), (_, calls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        if path.endswith("benchmark.py") or name in ("<module>", "<built-in method builtins.exec>"):
            continue
        where = path.split("site-packages/")[-1].split("/simulator/")[-1]
        label = name if path == "~" else f"{where}:{line}({name})"
        entries.append(
            {"function": label, "calls": calls, "tottime_s": tottime, "cumtime_s": cumtime}
        )
    entries.sort(key=lambda e: e["cumtime_s"], reverse=True)
    return entries[:rows]


def _run_model(
    scenario: Scenario, months: int, seed: int
) -> tuple[OutsourcingModel, float, list[int]]:
    """Build the model and step it ``months`` times; returns it, the seconds the build took
    and the resident memory after each month [bytes]. A plan is given its status quo's
    books, simulated first and not timed, as ``simulator.run`` gives them (its status quo is
    a replication of its own there), so the figure is one model run, as before the
    simulated baseline."""
    books = None if is_status_quo(scenario) else simulate_status_quo(scenario, seed)
    start = time.perf_counter()
    model = OutsourcingModel(scenario, seed=seed, status_quo=books)
    build_s = time.perf_counter() - start
    rss = []
    for _ in range(months):
        model.step()
        rss.append(current_rss_bytes() or 0)
    return model, build_s, rss


def measure(
    scale: float,
    months: int | None = None,
    profile: bool = True,
    seed: int = DEFAULT_SEED,
    floor: bool = True,
    repeat: int = 1,
) -> dict[str, Any]:
    """Run the floor kernel and one replication at ``scale`` in this process and measure them.

    With ``repeat`` > 1 the floor and the model run again, alternately, ``repeat`` times in
    all, and the times are the best of each (``wall_s_runs`` and the floor's list them): on a
    shared machine single runs vary by up to 2×, and alternating puts both under the same
    load. Memory figures come from the first run. Peak memory is the process's high-water
    mark, so it is honest only in a fresh process (:func:`run_benchmark` runs each scale in
    one). Times in seconds, memory in bytes.
    """
    scenario = scaled_scenario(scale)
    months = default_months(scale, scenario.simulation.horizon_months) if months is None else months
    months = min(months, scenario.simulation.horizon_months)
    baseline_rss = peak_rss_bytes()
    result: dict[str, Any] = {"scale": scale, "months": months, "seed": seed}
    if floor:
        result["floor"] = floor_kernel(scenario, months, seed)

    start, cpu = time.perf_counter(), time.process_time()
    model, build_s, rss = _run_model(scenario, months, seed)
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    peak = peak_rss_bytes()

    ts = model.datacollector.get_model_vars_dataframe()
    customers_start = [scenario.customers.count, *ts["customers_active"].iloc[:-1].tolist()]
    customer_months = float(sum(customers_start))
    vendor_months = float(ts["vendor_staff"].sum())
    employee_months = float(model.workforce.n * months)
    agent_months = customer_months + vendor_months + employee_months
    agents = scenario.customers.count + model.workforce.n + int(ts["vendor_staff"].max())
    wall = done - start
    # resident memory added per month over the second half of the run, against the size of
    # the recorded series (one row of metrics a month) that must grow
    half = months // 2
    growth = (rss[-1] - rss[half]) / (months - 1 - half) if months > 2 and rss[0] else float("nan")
    series = sum(
        sys.getsizeof(v) + 8 for values in model.datacollector.model_vars.values() for v in values
    )
    result |= {
        "customers": scenario.customers.count,
        "employees": model.workforce.n,
        "vendor_staff_peak": int(ts["vendor_staff"].max()),
        "customer_months": customer_months,
        "employee_months": employee_months,
        "vendor_staff_months": vendor_months,
        "agent_months": agent_months,
        "build_s": build_s,
        "step_s": done - start - build_s,
        "wall_s": wall,
        "cpu_s": cpu,
        "seconds_per_month": wall / months,
        "agent_months_per_s": agent_months / wall,
        "baseline_rss_bytes": float(baseline_rss),
        "peak_rss_bytes": float(peak),
        "bytes_per_agent": (peak - baseline_rss) / agents,
        "rss_growth_per_month_bytes": growth,
        "recorded_series_bytes_per_month": series / months,
    }
    del model, ts
    walls, floor_walls = [wall], [result["floor"]["wall_s"]] if floor else []
    for _ in range(repeat - 1):
        if floor:
            floor_walls.append(floor_kernel(scenario, months, seed)["wall_s"])
        start = time.perf_counter()
        again, _, _ = _run_model(scenario, months, seed)
        walls.append(time.perf_counter() - start)
        again.release()
        del again
    if repeat > 1:
        wall = min(walls)
        result |= {
            "wall_s": wall,
            "wall_s_runs": walls,
            "seconds_per_month": wall / months,
            "agent_months_per_s": agent_months / wall,
            "repeat": repeat,
        }
    if floor:
        f = result["floor"]
        if repeat > 1:
            f["wall_s"], f["wall_s_runs"] = min(floor_walls), floor_walls
            f["agent_months_per_s"] = f["agent_months"] / f["wall_s"]
        f["bytes_per_agent"] = (f["peak_rss_bytes"] - baseline_rss) / scenario.customers.count
        result["ratio_to_floor"] = (wall / agent_months) / (f["wall_s"] / f["agent_months"])
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        _run_model(scenario, months, seed)
        profiler.disable()
        result["profile"] = _profile_rows(pstats.Stats(profiler), PROFILE_ROWS)
    return result


# -- every scale, each in a fresh process ------------------------------------------------------
def machine_info() -> dict[str, Any]:
    """Cores, Python, numpy and its BLAS, as printed with the figures."""
    info: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "machine": platform.machine(),
        "processor": _cpu_model(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": "unknown",
        "threads": "single (OMP/OPENBLAS/MKL_NUM_THREADS=1 in each child)",
    }
    try:
        deps = np.show_config(mode="dicts")["Build Dependencies"]
        blas = deps.get("blas", {})
        info["blas"] = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
        config = blas.get("openblas configuration")
        if config:
            info["blas"] += f" ({config})"
    except Exception:  # noqa: BLE001 - older numpy: no dict form of the build configuration
        pass
    return info


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _measure_in_child(
    scale: float, months: int | None, profile: bool, seed: int, repeat: int = 1
) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "simulator.dev.benchmark", "--one", "--scales", f"{scale:g}"]
    cmd += ["--seed", str(seed), "--repeat", str(repeat)]
    if months is not None:
        cmd += ["--months", str(months)]
    if not profile:
        cmd.append("--no-profile")
    env = os.environ | SINGLE_THREAD
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark at scale {scale:g} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_benchmark(
    scales: Sequence[float] = DEFAULT_SCALES,
    months: int | Mapping[float, int] | None = None,
    profile: bool = True,
    isolate: bool = True,
    seed: int = DEFAULT_SEED,
    console: Console | None = None,
    repeat: int = 1,
) -> list[dict[str, Any]]:
    """Benchmark one replication of the default scenario at each scale (the floor and the
    model ``repeat`` times each, alternately: the best of each counts).

    ``months``: months simulated, one number for every scale or a mapping scale -> months;
    ``None`` runs the whole horizon up to ×10 and ``LARGE_SCALE_MONTHS`` above.
    ``isolate`` runs each scale in a fresh Python process (honest peak memory); without it
    every scale runs in this process (for tests). With a ``rich`` ``console`` a line is
    printed as each scale starts and the tables at the end.

    Returns one dict per scale (times in seconds, memory in bytes, rates per second), with
    the floor's figures under ``"floor"``, the profile rows under ``"profile"`` and the
    machine's description under ``"machine"``.
    """
    info = machine_info()
    results = []
    for scale in scales:
        m = months.get(scale) if isinstance(months, Mapping) else months
        if console is not None:
            console.print(f"[dim]benchmark: scale ×{scale:g} …[/dim]")
        if isolate:
            r = _measure_in_child(scale, m, profile, seed, repeat)
        else:
            r = measure(scale, m, profile, seed, repeat=repeat)
        r["machine"] = info
        results.append(r)
    if console is not None:
        print_results(results, console)
    return results


# -- printing ----------------------------------------------------------------------------------
def _mib(x: float) -> str:
    return f"{x / 2**20:,.0f} MiB"


def print_results(results: Sequence[dict[str, Any]], console: Console | None = None) -> None:
    """Print the machine, the figures per scale, the ratio to the floor and the profiles."""
    console = console or Console()
    if not results:
        return
    info = results[0].get("machine") or machine_info()
    console.print(
        f"cores: {info['cpu_count']} (usable {info['cpus_usable']}), {info['processor']}; "
        f"Python {info['python']}, numpy {info['numpy']}, BLAS {info['blas']}; "
        f"{info['threads']}"
    )
    base = next((r for r in results if r["scale"] == 1), None)
    table = Table(title="One replication of the default scenario")
    for col in (
        "scale",
        "months",
        "agents",
        "agent-months",
        "wall s",
        "CPU s",
        "s/month",
        "s/month ÷ ×1",
        "agent-months/s",
        "peak RSS",
        "bytes/agent",
        "RSS growth/month (2nd half)",
        "series/month",
    ):
        table.add_column(col, justify="right")
    for r in results:
        agents = r["customers"] + r["employees"] + r["vendor_staff_peak"]
        per_month = r["seconds_per_month"] / base["seconds_per_month"] if base else float("nan")
        table.add_row(
            f"×{r['scale']:g}",
            str(r["months"]),
            f"{agents:,}",
            f"{r['agent_months']:,.0f}",
            f"{r['wall_s']:.2f}",
            f"{r['cpu_s']:.2f}",
            f"{r['seconds_per_month']:.3f}",
            f"{per_month:.1f}",
            f"{r['agent_months_per_s'] / 1e6:.2f} M",
            _mib(r["peak_rss_bytes"]),
            f"{r['bytes_per_agent']:.0f}",
            f"{r['rss_growth_per_month_bytes'] / 1024:,.0f} KiB",
            f"{r['recorded_series_bytes_per_month'] / 1024:,.1f} KiB",
        )
    console.print(table)
    floors = [r for r in results if r.get("floor")]
    if floors:
        table = Table(title="Reference numpy kernel (the floor), same process, run first")
        for col in (
            "scale",
            "wall s",
            "agent-months/s",
            "peak RSS",
            "bytes/agent",
            "model ÷ floor",
        ):
            table.add_column(col, justify="right")
        for r in floors:
            f = r["floor"]
            table.add_row(
                f"×{r['scale']:g}",
                f"{f['wall_s']:.2f}",
                f"{f['agent_months_per_s'] / 1e6:.2f} M",
                _mib(f["peak_rss_bytes"]),
                f"{f['bytes_per_agent']:.0f}",
                f"{r['ratio_to_floor']:.2f}",
            )
        console.print(table)
    for r in results:
        if not r.get("profile"):
            continue
        prof = Table(title=f"cProfile, ×{r['scale']:g}, top {len(r['profile'])} by cumulative time")
        for col in ("function", "calls", "tottime s", "cumtime s"):
            prof.add_column(col, justify="left" if col == "function" else "right")
        for row in r["profile"]:
            prof.add_row(
                row["function"],
                str(row["calls"]),
                f"{row['tottime_s']:.3f}",
                f"{row['cumtime_s']:.3f}",
            )
        console.print(prof)


# -- command line -------------------------------------------------------------------------------
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", default="1,10,100", help="comma-separated scales (default 1,10,100)")
    p.add_argument("--months", type=int, default=None, help="months at every scale")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    p.add_argument(
        "--repeat", type=int, default=1, help="runs of the floor and the model, alternately"
    )
    p.add_argument("--in-process", action="store_true", help="no child processes")
    p.add_argument("--json", default=None, help="also write the figures to this file")
    p.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # child mode
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    scales = [float(s) for s in args.scales.split(",") if s.strip()]
    if args.one:
        result = measure(scales[0], args.months, not args.no_profile, args.seed, repeat=args.repeat)
        print(json.dumps(result))
        return 0
    if not 1 <= args.repeat <= 100:
        raise SystemExit("benchmark: --repeat must be between 1 and 100")
    results = run_benchmark(
        scales,
        args.months,
        not args.no_profile,
        not args.in_process,
        args.seed,
        Console(),
        repeat=args.repeat,
    )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

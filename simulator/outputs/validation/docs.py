"""The documents' calibration and validation tables, generated from the code.

docs/MODEL.md (§10.4: which defaults were fitted to what) and docs/VALIDATION.md (the facts,
their kinds and tolerances; the latest results) hold blocks between ``<!-- begin:NAME -->``
and ``<!-- end:NAME -->`` markers. Their text comes from here — from the
:data:`~simulator.model.calibration.FITTED` records and the validation suite's
:data:`~simulator.analysis.validation.FACTS` — so the documents cannot drift from the code
(a test compares them). Regenerate with::

    .venv/bin/python -m simulator.outputs.validation.docs            # the static tables
    .venv/bin/python -m simulator.outputs.validation.docs --run 20   # and fresh results
"""

from __future__ import annotations

import argparse
import math
import re
from pathlib import Path

import pandas as pd

from simulator.analysis.validation import FACT_BY_ID, FACTS, run_validation, summary_by_kind
from simulator.analysis.validation.predictive import PLACES
from simulator.analysis.validation.predictive import summary as predictive_summary
from simulator.model.calibration import FITTED

DOCS = Path(__file__).resolve().parents[3] / "docs"


def _num(value: float, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if unit in ("share", "probability", "share/year"):
        return f"{100 * value:.1f}%"
    return f"{value:.3g}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def fitted_table() -> str:
    """Markdown: every fitted default, its value, the facts it was fitted to, and how."""
    rows = ["| defaults (current values) | fitted to (validation facts) | how |", "|---|---|---|"]
    for f in FITTED:
        facts = "; ".join(f"`{fid}` ({FACT_BY_ID[fid].source})" for fid in f.facts)
        rows.append(f"| {_cell(f.values())} | {_cell(facts)} | {_cell(f.how)} |")
    return "\n".join(rows)


def facts_table() -> str:
    """Markdown: every fact with its kind, source, published value, accepted range, reason."""
    rows = [
        "| fact | kind | published (source) | accepted | why this tolerance | measured |",
        "|---|---|---|---|---|---|",
    ]
    for f in FACTS:
        lo, hi = f.accepted
        accepted = f"{_num(lo, f.unit)} – {_num(hi, f.unit)}"
        if f.kind == "direction":
            accepted = f"whole 95% interval in ({_num(lo, f.unit)}, {_num(hi, f.unit)})"
        history = f"added {f.added}" + (f"; adjusted: {f.provenance}" if f.provenance else "")
        kind = f"{f.kind} ({_cell(history)})"
        rows.append(
            f"| `{f.id}`: {_cell(f.claim)} | {kind} | {_cell(f.published)} "
            f"({_cell(f.source)}) | {accepted} | {_cell(f.why)} | {_cell(f.measured)} |"
        )
    return "\n".join(rows)


def results_table(table: pd.DataFrame, replications: int, seed: int, cap: int) -> str:
    """Markdown: one validation run's results, with the summary line by kind."""
    rows = [
        f"{int(table['pass'].sum())}/{len(table)} facts pass ({summary_by_kind(table)}); "
        f"{replications} replications per experiment, more (to {cap}) where a fact was "
        f"imprecise; seed {seed}.",
        "",
        "| fact | kind | model mean [95% CI] | accepted | replications | |",
        "|---|---|---|---|---|---|",
    ]
    predictive = "predictive_low" in table
    if predictive:
        rows[0] += f" With the constants drawn from their posterior, {predictive_summary(table)}."
        rows[2] = rows[2].replace("| replications |", "| posterior 90% (band) | replications |")
        rows[3] += "---|"
    for r in table.to_dict("records"):
        u = r["unit"]
        model = f"{_num(r['model_mean'], u)} [{_num(r['model_ci95_low'], u)}, "
        model += f"{_num(r['model_ci95_high'], u)}]"
        accepted = f"{_num(r['accepted_low'], u)} – {_num(r['accepted_high'], u)}"
        if predictive:
            where = r["band_position"]
            interval = f"{_num(r['predictive_low'], u)} – {_num(r['predictive_high'], u)}"
            accepted += f" | {interval}" + (f" ({where})" if where in PLACES else "")
        verdict = {"pass": "pass", "fail": "**FAIL**", "imprecise": "*imprecise*"}[r["verdict"]]
        rows.append(
            f"| `{r['fact']}` | {r['kind']} | {model} | {accepted} | {r['replications']} "
            f"| {verdict} |"
        )
    return "\n".join(rows)


def blocks(text: str) -> dict[str, str]:
    """The generated blocks of a document: name -> content (without the final newline)."""
    pattern = re.compile(r"<!-- begin:(\w+) -->\n(.*?)<!-- end:\1 -->", re.S)
    return {m.group(1): m.group(2).removesuffix("\n") for m in pattern.finditer(text)}


def replace_block(text: str, name: str, content: str) -> str:
    pattern = re.compile(rf"(<!-- begin:{name} -->\n).*?(<!-- end:{name} -->)", re.S)
    if not pattern.search(text):
        raise KeyError(f"no block {name!r} in the document")
    body = content + "\n" if content else ""
    return pattern.sub(lambda m: m.group(1) + body + m.group(2), text)


STATIC = {"MODEL.md": {"fitted": fitted_table}, "VALIDATION.md": {"facts": facts_table}}


def update(docs: Path = DOCS, results: str | None = None) -> list[Path]:
    """Rewrite the generated blocks (and the results block, if given) of the documents."""
    written = []
    for name, makers in STATIC.items():
        path = docs / name
        text = path.read_text(encoding="utf-8")
        new = text
        for block, make in makers.items():
            new = replace_block(new, block, make())
        if results is not None and name == "VALIDATION.md":
            new = replace_block(new, "results", results)
        if new != text:
            path.write_text(new, encoding="utf-8")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Regenerate the docs' validation tables")
    parser.add_argument("--run", type=int, metavar="N", help="also run the suite N times")
    parser.add_argument("--max", type=int, default=40, help="replications cap (imprecise facts)")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument(
        "--posterior", type=int, metavar="K", help="with --run: K posterior predictive draws"
    )
    args = parser.parse_args(argv)
    results = None
    if args.run:
        table = run_validation(args.run, args.seed, max_replications=args.max)
        if args.posterior:
            from simulator.analysis.calibrate import shipped_posterior
            from simulator.analysis.validation.predictive import run_predictive

            predictive = run_predictive(shipped_posterior(), args.posterior, args.seed)
            table = table.merge(predictive, on="fact", how="left")
        results = results_table(table, args.run, args.seed, args.max)
    for path in update(results=results):
        print(f"updated {path}")


if __name__ == "__main__":
    main()

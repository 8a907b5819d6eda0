"""Reliability: outsim never destroys what it did not write, its SQL console only reads the
store, nothing unsafe reaches the terminal or the report, every input is bounded before work
starts, and sweeps over text fields work end to end.

Every case runs the real CLI in a fresh interpreter and checks the exit status, the message,
that there is no traceback, and the file system before and after.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from simulator.outputs import folders
from tests.reliability_helpers import (
    LEAN,
    assert_refused,
    assert_unchanged,
    hidden,
    outsim,
    snapshot,
    tiny,
    write_yaml,
)


# ============================================================================================
# 1. Outputs never destroy what outsim did not write
# ============================================================================================
@pytest.fixture
def work(tmp_path: Path) -> Path:
    tiny(tmp_path)
    return tmp_path


def complete(folder: Path) -> bool:
    """A whole outsim results folder: a manifest listing files that are all there."""
    manifest = folders.read_manifest(folder)
    return bool(manifest) and all((folder / f).is_file() for f in manifest["files"])


@pytest.mark.parametrize("command", ["run", "compare"])
def test_a_folder_of_the_users_is_refused_and_kept(work: Path, command: str) -> None:
    mydata = work / "mydata"
    (mydata / "chapter").mkdir(parents=True)
    (mydata / "thesis.tex").write_text("x", encoding="utf-8")
    (mydata / "chapter" / "one.tex").write_text("y", encoding="utf-8")
    tiny(work, "other.yaml", simulation={"name": "other"})
    args = ["tiny.yaml"] if command == "run" else ["tiny.yaml", "other.yaml"]
    before = snapshot(work)

    result = outsim(command, *args, "--out", "mydata", "-n", "1", "-q", cwd=work)

    assert_refused(result, "mydata", "thesis.tex", "did not write")
    assert_unchanged(before, snapshot(work))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (".", "simulation.name"),
        ("..", "simulation.name"),
        ("a" * 300, "300 characters"),
        ("a" * 101, "simulation.name"),
        ("../escape", "simulation.name"),
        (".hidden", "simulation.name"),
        ("a/b", "simulation.name"),
        ("", "simulation.name"),
    ],
)
def test_simulation_name_must_be_a_safe_folder_name(work: Path, name: str, expected: str) -> None:
    earlier = work / "results" / "earlier"
    earlier.mkdir(parents=True)
    (earlier / "keep.csv").write_text("1", encoding="utf-8")
    tiny(work, "bad.yaml", simulation={"name": name})
    before = snapshot(work)

    result = outsim("run", "bad.yaml", "-n", "1", "-q", *LEAN, cwd=work)

    assert_refused(result, "bad.yaml", expected, "letters, digits")
    assert_unchanged(before, snapshot(work))


def test_out_naming_a_file_is_refused(work: Path) -> None:
    (work / "target.txt").write_text("precious", encoding="utf-8")
    before = snapshot(work)

    result = outsim("run", "tiny.yaml", "--out", "target.txt", "-n", "1", "-q", *LEAN, cwd=work)

    assert_refused(result, "target.txt", "a file of that name")
    assert_unchanged(before, snapshot(work))
    assert hidden(work) == []


@pytest.mark.parametrize("out", [".", "..", "./", str(Path("sub") / "..")])
def test_out_naming_the_current_folder_is_refused(work: Path, out: str) -> None:
    (work / "sub").mkdir()
    before = snapshot(work)

    result = outsim("run", "tiny.yaml", "--out", out, "-n", "1", "-q", *LEAN, cwd=work)

    assert_refused(result, "current folder")
    assert_unchanged(before, snapshot(work))


def test_out_naming_a_link_is_refused_and_its_target_kept(work: Path) -> None:
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "data.csv").write_text("1", encoding="utf-8")
    (work / "link").symlink_to(elsewhere)
    before = snapshot(work)

    result = outsim("run", "tiny.yaml", "--out", "link", "-n", "1", "-q", *LEAN, cwd=work)

    assert_refused(result, "symbolic link")
    assert_unchanged(before, snapshot(work))


def test_out_under_a_file_is_refused(work: Path) -> None:
    (work / "plain").write_text("x", encoding="utf-8")
    before = snapshot(work)

    result = outsim("run", "tiny.yaml", "--out", "plain/results", "-n", "1", "-q", *LEAN, cwd=work)

    assert_refused(result, "plain", "not a folder")
    assert_unchanged(before, snapshot(work))


@pytest.mark.integration
def test_rerun_replaces_only_outsims_own_folder(work: Path) -> None:
    first = outsim("run", "tiny.yaml", "--out", "r", "-n", "1", "-q", "--seed", "1", cwd=work)
    assert first.code == 0, first.err
    manifest = json.loads((work / "r" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["package"] == "outsim" and manifest["kind"] == "run"
    assert "summary.json" in manifest["files"] and "plots/cash.png" in manifest["files"]

    again = outsim("run", "tiny.yaml", "--out", "r", "-n", "1", "-q", "--seed", "2", cwd=work)

    assert again.code == 0, again.err
    assert json.loads((work / "r" / "manifest.json").read_text())["root_seed"] == 2
    assert complete(work / "r")
    assert hidden(work) == []


@pytest.mark.integration
def test_an_outsim_folder_with_a_users_file_is_refused(work: Path) -> None:
    assert outsim("run", "tiny.yaml", "--out", "r", "-n", "1", "-q", *LEAN, cwd=work).code == 0
    (work / "r" / "notes.txt").write_text("mine", encoding="utf-8")
    (work / "r" / "plots" / "sketch.png").write_bytes(b"mine")
    before = snapshot(work)

    result = outsim("run", "tiny.yaml", "--out", "r", "-n", "1", "-q", *LEAN, cwd=work)

    assert_refused(result, "notes.txt", "plots/sketch.png", "earlier outsim folder")
    assert_unchanged(before, snapshot(work))


@pytest.mark.integration
def test_an_empty_folder_is_used(work: Path) -> None:
    (work / "empty").mkdir()

    result = outsim("run", "tiny.yaml", "--out", "empty", "-n", "1", "-q", *LEAN, cwd=work)

    assert result.code == 0, result.err
    assert complete(work / "empty")


@pytest.mark.integration
def test_an_earlier_versions_folder_is_replaced(work: Path) -> None:
    """Folders from before manifests listed their files are recognised by their names."""
    old = work / "r"
    (old / "plots").mkdir(parents=True)
    for name in ("summary.json", "kpis.csv", "report.html", "plots/cash.png"):
        (old / name).write_text("old", encoding="utf-8")
    (old / "manifest.json").write_text(json.dumps({"package": "outsim"}), encoding="utf-8")

    result = outsim("run", "tiny.yaml", "--out", "r", "-n", "1", "-q", *LEAN, cwd=work)

    assert result.code == 0, result.err
    assert complete(old)
    assert hidden(work) == []


def test_a_validation_folder_of_the_users_is_refused(work: Path) -> None:
    (work / "val").mkdir()
    (work / "val" / "mine.txt").write_text("x", encoding="utf-8")
    before = snapshot(work)

    result = outsim("validate-model", "--out", "val", "-n", "2", cwd=work)

    assert_refused(result, "val", "mine.txt")
    assert_unchanged(before, snapshot(work))


# -- leftovers of a killed run ------------------------------------------------------------------
def dead_pid() -> int:
    """A process id that no process has."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.integration
def test_leftovers_of_a_killed_run_are_cleaned_restored_or_reported(work: Path) -> None:
    pid = dead_pid()
    # an unfinished temporary folder (marked as outsim's): removed
    partial = work / f".r.tmp-{pid}-abc"
    partial.mkdir()
    (partial / folders.PARTIAL).write_text("{}", encoding="utf-8")
    (partial / "kpis.csv").write_text("x", encoding="utf-8")
    # a complete earlier folder moved aside, the name empty: restored, then replaced
    assert outsim("run", "tiny.yaml", "--out", "kept", "-n", "1", "-q", *LEAN, cwd=work).code == 0
    os.rename(work / "kept", work / f".r.old-{pid}-def")
    # something hidden that outsim cannot recognise as its own: left alone
    strange = work / f".r.tmp-{pid}-xyz"
    strange.mkdir()
    (strange / "diary.txt").write_text("mine", encoding="utf-8")
    # a leftover of a run still going on (this process): left alone
    live = work / f".r.tmp-{os.getpid()}-live"
    live.mkdir()
    (live / folders.PARTIAL).write_text("{}", encoding="utf-8")

    result = outsim("run", "tiny.yaml", "--out", "r", "-n", "1", "-q", *LEAN, cwd=work)

    assert result.code == 0, result.err
    assert not partial.exists()
    assert not (work / f".r.old-{pid}-def").exists()
    assert (strange / "diary.txt").read_text() == "mine"
    assert live.exists()
    assert "removed" in result.err and "restored" in result.err and "left alone" in result.err
    assert complete(work / "r")
    assert hidden(work) == sorted([strange.name, live.name])


def test_the_fallback_swap_replaces_with_two_renames(tmp_path: Path) -> None:
    target = tmp_path / "r"
    for text in ("first", "second"):
        with folders.output_folder(target, "run") as tmp:
            (tmp / "a.txt").write_text(text, encoding="utf-8")
    new = tmp_path / ".r.tmp-0-new"
    new.mkdir()
    (new / "a.txt").write_text("third", encoding="utf-8")
    (new / "manifest.json").write_text(
        json.dumps({"package": "outsim", "files": ["a.txt"]}), encoding="utf-8"
    )

    folders._swap_in(new, target, None, exchange_first=False)

    assert (target / "a.txt").read_text() == "third"
    assert hidden(tmp_path) == []


def test_an_error_while_writing_leaves_the_old_folder_and_no_leftovers(tmp_path: Path) -> None:
    target = tmp_path / "r"
    with folders.output_folder(target, "run") as tmp:
        (tmp / "a.txt").write_text("old", encoding="utf-8")

    with pytest.raises(RuntimeError), folders.output_folder(target, "run") as tmp:
        (tmp / "a.txt").write_text("new", encoding="utf-8")
        raise RuntimeError("disk full")

    assert (target / "a.txt").read_text() == "old"
    assert hidden(tmp_path) == []


@pytest.mark.integration
def test_killed_at_any_moment_the_name_holds_a_whole_folder(work: Path) -> None:
    """SIGKILL during repeated replacements: every time, ``r`` is a complete folder (old or
    new), and the next run tidies whatever the kill left."""
    cmd = [sys.executable, "-m", "simulator.cli", "run", "tiny.yaml", "--out", "r", "-q"]
    first = subprocess.run([*cmd, "-n", "1", *LEAN], cwd=work, capture_output=True)
    assert first.returncode == 0
    for delay in (0.7, 1.3, 1.9, 2.5, 3.1):
        proc = subprocess.Popen([*cmd, "-n", "2"], cwd=work, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert complete(work / "r"), f"killed after {delay} s: r is not a whole folder"
    final = outsim("run", "tiny.yaml", "--out", "r", "-n", "1", "-q", *LEAN, cwd=work)
    assert final.code == 0, final.err
    assert hidden(work) == []


# -- sweeps and reports -----------------------------------------------------------------------
def test_sweep_out_naming_a_file_or_a_users_folder_is_refused(work: Path) -> None:
    spec = write_yaml(
        work / "s.yaml",
        {"base": "tiny.yaml", "parameters": {"customers.count": {"levels": [1000, 2000]}}},
    )
    (work / "file.txt").write_text("x", encoding="utf-8")
    (work / "mine").mkdir()
    (work / "mine" / "notes.md").write_text("x", encoding="utf-8")
    before = snapshot(work)

    as_file = outsim("sweep", spec.name, "--out", "file.txt", "-q", cwd=work)
    as_folder = outsim("sweep", spec.name, "--out", "mine", "-q", cwd=work)

    assert_refused(as_file, "file.txt", "a file of that name")
    assert_refused(as_folder, "mine", "notes.md", "not a sweep folder")
    assert_unchanged(before, snapshot(work))


def test_report_on_a_folder_replaced_by_a_file_is_refused(work: Path) -> None:
    (work / "r").write_text("not a folder", encoding="utf-8")
    before = snapshot(work)

    result = outsim("report", "r", cwd=work)

    assert_refused(result, "r", "is a file")
    assert_unchanged(before, snapshot(work))


# ============================================================================================
# 2. The SQL console is a read-only view of the store
# ============================================================================================
@pytest.fixture(scope="module")
def categorical_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished grid sweep over a text field and a true/false field."""
    work = tmp_path_factory.mktemp("sweep")
    tiny(work)
    write_yaml(
        work / "regimes.yaml",
        {
            "base": "tiny.yaml",
            "sampler": "grid",
            "seed": 5,
            "parameters": {
                "policies.privacy.regime": {"levels": ["gdpr", "ccpa", "none"]},
                "policies.transparency.disclose_outsourcing": {"levels": [False, True]},
            },
            "outputs": ["npv_net_savings", "csat_mean", "breach_probability_annual"],
        },
    )
    result = outsim("sweep", "regimes.yaml", "--out", "sw", "--workers", "1", "-q", cwd=work)
    assert result.code == 0, result.err
    return work / "sw"


ESCAPES = [
    pytest.param("COPY (SELECT * FROM runs) TO '{tmp}/x.csv'", "x.csv", id="copy-to"),
    pytest.param("EXPORT DATABASE '{tmp}/dump'", "dump", id="export-database"),
    pytest.param("SELECT * FROM read_csv('/etc/passwd')", None, id="read-csv"),
    pytest.param("SELECT * FROM read_text('/etc/passwd')", None, id="read-text"),
    pytest.param("SELECT * FROM glob('/etc/*')", None, id="glob"),
    pytest.param("ATTACH '{tmp}/other.duckdb' AS other", "other.duckdb", id="attach"),
    pytest.param("INSTALL httpfs", None, id="install"),
    pytest.param("LOAD httpfs", None, id="load"),
    pytest.param("SET enable_external_access = true", None, id="set-access"),
    pytest.param("SET memory_limit = '100GB'", None, id="set-memory"),
    pytest.param("CREATE TABLE t AS SELECT 1", None, id="create"),
    pytest.param("DELETE FROM runs", None, id="delete"),
    pytest.param("UPDATE kpis SET value = 0", None, id="update"),
    pytest.param("DROP TABLE runs", None, id="drop"),
]


@pytest.mark.integration
@pytest.mark.parametrize(("sql", "created"), ESCAPES)
def test_sql_cannot_leave_the_store_or_change_it(
    categorical_sweep: Path, tmp_path: Path, sql: str, created: str | None
) -> None:
    store = categorical_sweep / "sweep.duckdb"
    digest = snapshot(categorical_sweep)["sweep.duckdb"]

    result = outsim("sweep-results", store.parent, "--sql", sql.format(tmp=tmp_path), cwd=tmp_path)

    assert_refused(result, "--sql")
    assert "root:" not in result.text
    assert list(tmp_path.iterdir()) == []
    assert snapshot(categorical_sweep)["sweep.duckdb"] == digest


@pytest.mark.integration  # its store comes from a sweep on a Dask cluster
def test_sql_reads_the_stores_tables(categorical_sweep: Path, tmp_path: Path) -> None:
    result = outsim(
        "sweep-results",
        categorical_sweep,
        "--sql",
        'SELECT "policies.privacy.regime" AS regime, count(*) AS n FROM runs GROUP BY 1',
        "--csv",
        cwd=tmp_path,
    )

    assert result.code == 0, result.err
    rows = result.out.strip().splitlines()
    assert rows[0] == "regime,n"
    assert sorted(rows[1:]) == ["ccpa,2", "gdpr,2", "none,2"]


@pytest.mark.integration  # its store comes from a sweep on a Dask cluster
def test_sql_tables_show_at_most_limit_rows(categorical_sweep: Path, tmp_path: Path) -> None:
    result = outsim(
        "sweep-results",
        categorical_sweep,
        "--sql",
        "SELECT * FROM range(100000)",
        "--limit",
        "7",
        cwd=tmp_path,
    )

    assert result.code == 0, result.err
    assert "first 7 rows shown" in result.err
    assert " 6 " in result.out and " 7 " not in result.out


# Runs a command and prints its exit status, the lines of its output and its peak memory
# (kB). A launcher of its own, because a child forked from the (large) test process counts
# that process's memory in its peak until it execs.
PEAK = (
    "import resource, subprocess, sys;"
    "p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE);"
    "sys.stderr.buffer.write(p.stderr);"
    "print(p.returncode, p.stdout.count(b'\\n'),"
    " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def peak_memory(*args: str, cwd: Path) -> tuple[int, int, int, str]:
    """``outsim ARGS``: exit status, lines of output, peak memory in kB, standard error."""
    done = subprocess.run(
        [sys.executable, "-c", PEAK, sys.executable, "-m", "simulator.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
    )
    status, lines, peak_kb = map(int, done.stdout.split())
    return status, lines, peak_kb, done.stderr


@pytest.mark.integration
def test_sql_csv_streams_everything_in_bounded_memory(
    categorical_sweep: Path, tmp_path: Path
) -> None:
    """Twenty million rows as CSV: all of them, without holding them in memory (held, they
    would take well over a gigabyte as Python rows)."""
    status, lines, peak_kb, err = peak_memory(
        "sweep-results",
        str(categorical_sweep),
        "--sql",
        "SELECT * FROM range(20000000)",
        "--csv",
        cwd=tmp_path,
    )
    assert status == 0, err
    assert lines == 20_000_001
    assert peak_kb < 600_000, f"peak memory {peak_kb / 1024:.0f} MB"


@pytest.mark.integration
def test_sql_table_of_a_huge_result_fetches_only_what_it_shows(
    categorical_sweep: Path, tmp_path: Path
) -> None:
    status, lines, peak_kb, err = peak_memory(
        "sweep-results",
        str(categorical_sweep),
        "--sql",
        "SELECT * FROM range(5000000000)",
        "--limit",
        "3",
        cwd=tmp_path,
    )
    assert status == 0, err
    assert "first 3 rows shown" in err and lines > 3
    assert peak_kb < 600_000, f"peak memory {peak_kb / 1024:.0f} MB"


@pytest.mark.integration
def test_a_query_running_too_long_is_stopped(categorical_sweep: Path, tmp_path: Path) -> None:
    result = outsim(
        "sweep-results",
        categorical_sweep,
        "--sql",
        "SELECT count(*) FROM range(100000000000) a",
        "--timeout",
        "0.5",
        cwd=tmp_path,
    )

    assert_refused(result, "stopped after 0.5 s", "--timeout")


@pytest.mark.integration  # its store comes from a sweep on a Dask cluster
def test_the_python_api_query_is_locked_down_too(categorical_sweep: Path) -> None:
    from simulator import sweep

    with pytest.raises(sweep.SweepError, match="disabled by configuration"):
        sweep.query(categorical_sweep, "SELECT * FROM read_text('/etc/passwd')")
    assert len(sweep.query(categorical_sweep, "SELECT * FROM runs")) == 6


# ============================================================================================
# 3. What reaches the terminal and the report is safe
# ============================================================================================
ESC = "\x1b"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        pytest.param({"simulation": {"name": f"{ESC}]0;pwned\x07"}}, "s.yaml", id="value"),
        pytest.param({f"evil{ESC}[2J": 1}, "s.yaml", id="key"),
        pytest.param({"customers": {"count": f"{ESC}[31m9"}}, "s.yaml", id="number-field"),
        pytest.param({"workforce": {"headcout": 1}}, f"{ESC}[2Jname.yaml", id="file-name"),
        pytest.param(f"extends: '{ESC}[5mmissing.yaml'\n", "s.yaml", id="extends-path"),
        pytest.param({"simulation": {"name": "ok\u202eevil"}}, "s.yaml", id="bidi-override"),
        pytest.param({"simulation": {"name": "a\x9bb"}}, "s.yaml", id="c1-csi"),
    ],
)
@pytest.mark.parametrize("command", ["run", "validate"])
def test_control_characters_never_reach_the_terminal(
    tmp_path: Path, content: str | dict, name: str, command: str
) -> None:
    write_yaml(tmp_path / name, content)

    result = outsim(command, name, cwd=tmp_path)

    assert_refused(result)
    for raw in (ESC, "\x07", "\u202e", "\x9b"):
        assert raw not in result.text
    assert "\\x" in result.err or "\\u" in result.err or "#x" in result.err


@pytest.mark.integration  # its store comes from a sweep on a Dask cluster
def test_control_characters_in_sql_results_are_escaped(
    categorical_sweep: Path, tmp_path: Path
) -> None:
    result = outsim(
        "sweep-results",
        categorical_sweep,
        "--sql",
        "SELECT chr(27) || '[2J' AS x",
        cwd=tmp_path,
    )

    assert result.code == 0, result.err
    assert ESC not in result.text and "\\x1b[2J" in result.out


def test_control_characters_in_arguments_are_escaped(tmp_path: Path) -> None:
    result = outsim("run", "--seed", f"{ESC}[31m", cwd=tmp_path, fresh=True)

    assert result.code == 2
    assert ESC not in result.text


@pytest.fixture(scope="module")
def results_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("results")
    tiny(work)
    assert outsim("run", "tiny.yaml", "--out", "r", "-n", "1", "-q", *LEAN, cwd=work).code == 0
    return work / "r"


def copy_of(folder: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(folder, tmp_path / "r"))


@pytest.mark.integration
def test_report_never_embeds_a_linked_file(results_folder: Path, tmp_path: Path) -> None:
    folder = copy_of(results_folder, tmp_path)
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"SECRET-CONTENT-" * 20)
    (folder / "plots" / "cash.png").unlink()
    (folder / "plots" / "cash.png").symlink_to(secret)
    (folder / "plots" / "costs.png").unlink()
    (folder / "plots" / "costs.png").symlink_to("/etc/passwd")

    before = snapshot(tmp_path)

    result = outsim("report", folder, cwd=tmp_path)

    # a tampered folder is refused naming the linked plot (issue 25): nothing is rebuilt, so
    # neither the secret nor /etc/passwd can reach the page
    assert_refused(result, "cash.png", "symbolic link")
    assert_unchanged(before, snapshot(tmp_path))
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert base64.b64encode(secret.read_bytes()[:30]).decode()[:20] not in html
    assert base64.b64encode(Path("/etc/passwd").read_bytes()[:30]).decode()[:20] not in html


def test_report_refuses_a_linked_input_or_report(results_folder: Path, tmp_path: Path) -> None:
    folder = copy_of(results_folder, tmp_path)
    (folder / "report.html").unlink()
    outside = tmp_path / "outside.html"
    outside.write_text("mine", encoding="utf-8")
    (folder / "report.html").symlink_to(outside)
    before = snapshot(tmp_path)

    result = outsim("report", folder, cwd=tmp_path)

    assert_refused(result, "report.html", "symbolic link", "will not be replaced")
    assert_unchanged(before, snapshot(tmp_path))


# ============================================================================================
# 4. Every input is bounded before work starts
# ============================================================================================
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run", "--replications", "1000000"], "--replications"),
        (["run", "-n", "0"], "--replications"),
        (["run", "--seed", str(10**30)], "--seed"),
        (["run", "--seed", "-1"], "--seed"),
        (["compare", "a.yaml", "b.yaml", "-n", "20000"], "--replications"),
        (["validate-model", "-n", "1000000"], "--replications"),
        (["bench", "--months", "100000"], "--months"),
        (["sweep", "s.yaml", "--workers", "100000"], "--workers"),
        (["sweep-results", "x", "--limit", "0"], "--limit"),
    ],
)
def test_options_obey_the_schema_bounds(tmp_path: Path, args: list[str], expected: str) -> None:
    result = outsim(*args, cwd=tmp_path)

    assert_refused(result, expected)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param("a: " * 3000 + "1\n", "malformed YAML", id="deep-inline-mappings"),
        pytest.param("x: " + "[" * 5000 + "]" * 5000 + "\n", "nesting", id="deep-lists"),
        pytest.param(
            "".join(f"{'  ' * i}k{i}:\n" for i in range(200)) + "  " * 200 + "v: 1\n",
            "nesting",
            id="deep-block-mappings",
        ),
        pytest.param("simulation: {seed: " + "9" * 5000 + "}\n", "4300 digits", id="huge-int"),
        pytest.param("simulation: {seed: " + "9" * 400 + "}\n", "400 digits", id="long-int"),
        pytest.param("customers: {count: .nan}\n", "customers.count", id="nan"),
        pytest.param("company: {gross_margin: .inf}\n", "company.gross_margin", id="inf"),
        pytest.param("", "empty scenario", id="empty"),
        pytest.param("# just a comment\n\n   \n", "empty scenario", id="comments-only"),
        pytest.param(
            "simulation: {name: a}\ncustomers: {count: 10}\nsimulation: {name: b}\n",
            "duplicate key 'simulation' (first given at line 1)",
            id="duplicate-section",
        ),
        pytest.param(
            "workforce:\n  headcount: 10\n  headcount: 20\n",
            "line 3",
            id="duplicate-field",
        ),
        pytest.param("simulation: {description: " + "x" * 6000 + "}\n", "5000", id="long-text"),
        pytest.param(
            yaml.safe_dump({"vendors": [{"name": f"v{i}"} for i in range(30)]}),
            "vendors",
            id="too-many-vendors",
        ),
        pytest.param("a: &a [1]\nb: &b [*a, *a]\n" + "c: [*b, *b]\n", "a", id="aliases"),
        pytest.param(b"\xff\xfe\x00bad", "UTF-8", id="not-utf8"),
    ],
)
def test_bad_documents_are_refused_with_a_message(
    tmp_path: Path, content: str | bytes, expected: str
) -> None:
    path = tmp_path / "s.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")

    result = outsim("run", "s.yaml", "-n", "1", "-q", cwd=tmp_path)

    assert_refused(result, "s.yaml", expected)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("# " + "x" * 2_000_000 + "\n", encoding="utf-8")

    result = outsim("validate", "s.yaml", cwd=tmp_path)

    assert_refused(result, "s.yaml", "at most 1,000,000 bytes")


def test_an_extends_chain_of_any_length_is_bounded(tmp_path: Path) -> None:
    for i in range(60):
        (tmp_path / f"s{i}.yaml").write_text(f"extends: s{i + 1}.yaml\n", encoding="utf-8")
    tiny(tmp_path, "s60.yaml")

    result = outsim("validate", "s0.yaml", cwd=tmp_path)

    assert_refused(result, "s0.yaml", "extends", "chain of more than")


@pytest.mark.integration
@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(lambda p: os.mkfifo(p / "fifo.yaml"), "not a regular file", id="fifo"),
        pytest.param(lambda p: (p / "fifo.yaml").mkdir(), "is a folder", id="folder"),
        pytest.param(
            lambda p: (p / "fifo.yaml").symlink_to("/etc/passwd"), "top level", id="etc-passwd"
        ),
        pytest.param(
            lambda p: (p / "fifo.yaml").symlink_to("/dev/zero"), "not a regular", id="dev"
        ),
        pytest.param(lambda p: None, "not found", id="missing"),
    ],
)
def test_extends_names_only_a_regular_file(tmp_path: Path, make, expected: str) -> None:
    make(tmp_path)
    (tmp_path / "s.yaml").write_text("extends: fifo.yaml\n", encoding="utf-8")

    result = outsim("run", "s.yaml", "-n", "1", "-q", cwd=tmp_path, fresh=True, timeout=30)

    assert_refused(result, "s.yaml: extends:", "fifo.yaml", expected)
    assert "root:" not in result.text


def test_a_fifo_as_the_scenario_itself_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "s.yaml")

    result = outsim("validate", "s.yaml", cwd=tmp_path, fresh=True, timeout=30)

    assert_refused(result, "s.yaml", "not a regular file")


def test_a_huge_grid_is_refused_before_sampling(tmp_path: Path) -> None:
    tiny(tmp_path)
    levels = {"levels": list(range(1000, 2000))}
    spec = {
        "base": "tiny.yaml",
        "parameters": {
            "customers.count": levels,
            "workforce.headcount": {"levels": list(range(1, 1001))},
            "customers.contacts_per_customer_month": {"range": [0.05, 1.0], "steps": 1000},
            "company.gross_margin": {"range": [0.1, 0.9], "steps": 1000},
            "company.discount_rate_annual": {"range": [0.0, 0.3], "steps": 1000},
        },
    }
    write_yaml(tmp_path / "big.yaml", spec)
    started = time.perf_counter()

    result = outsim("sweep", "big.yaml", "-q", cwd=tmp_path)

    assert_refused(result, "big.yaml", "1,000,000,000,000,000 runs", "max_runs")
    assert time.perf_counter() - started < 60  # refused up front, not after sampling
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.yaml", "tiny.yaml"]


def test_max_runs_can_be_raised_in_the_spec(tmp_path: Path) -> None:
    from simulator.sweep import from_dict

    tiny(tmp_path)
    spec = {"base": "tiny.yaml", "parameters": {"customers.count": {"levels": [1000, 2000]}}}
    with pytest.raises(Exception, match="max_runs: 1"):
        from_dict({**spec, "max_runs": 1}, base_dir=tmp_path)
    assert from_dict({**spec, "max_runs": 2}, base_dir=tmp_path).spec.max_runs == 2


@pytest.mark.parametrize(("samples", "hint"), [(100, "64 or 128"), (3, "2 or 4")])
def test_sobol_needs_a_power_of_two(tmp_path: Path, samples: int, hint: str) -> None:
    tiny(tmp_path)
    spec = {
        "base": "tiny.yaml",
        "sampler": "sobol",
        "samples": samples,
        "parameters": {"company.gross_margin": {"range": [0.2, 0.5]}},
    }
    write_yaml(tmp_path / "sobol.yaml", spec)

    result = outsim("sweep", "sobol.yaml", "-q", cwd=tmp_path)

    assert_refused(result, "sobol.yaml", "power of 2", hint)


@pytest.mark.parametrize("scales", ["1e9", "nan", "inf", "-1", "0", "1,x", ""])
def test_bench_scales_outside_the_schema_are_refused(tmp_path: Path, scales: str) -> None:
    result = outsim("bench", "--scales", scales, "--replications", "", "--no-profile", cwd=tmp_path)

    assert_refused(result, "--scales")


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--replications", "0"),
        ("--replications", "10,x"),
        ("--replications", "99999"),
        ("--workers", "0"),
        ("--workers", "1,-2"),
    ],
)
def test_bench_replication_counts_are_checked(tmp_path: Path, option: str, value: str) -> None:
    result = outsim("bench", "--scales", "", option, value, cwd=tmp_path)

    assert_refused(result, option)


@pytest.mark.parametrize(
    "address", ["not a url", "tcp://", "http://[bad", "tcp://host:port", "a b:1", "x" * 300]
)
def test_a_scheduler_address_must_look_like_one(tmp_path: Path, address: str) -> None:
    tiny(tmp_path)
    write_yaml(
        tmp_path / "s.yaml",
        {"base": "tiny.yaml", "parameters": {"customers.count": {"levels": [1000]}}},
    )

    result = outsim("sweep", "s.yaml", "--scheduler", address, "-q", cwd=tmp_path)

    assert_refused(result, "--scheduler", "tcp://HOST:PORT")
    assert not (tmp_path / "results").exists()


def _truncate(p: Path) -> None:
    text = (p / "summary.json").read_text()
    (p / "summary.json").write_text(text[: len(text) // 2])


def _drop_key(p: Path) -> None:
    data = json.loads((p / "summary.json").read_text())
    del data["kpis"]["npv_net_savings"]["mean"]
    (p / "summary.json").write_text(json.dumps(data))


def _folder_for_file(p: Path) -> None:
    (p / "scorecard.json").unlink()
    (p / "scorecard.json").mkdir()


def _unknown_metric(p: Path) -> None:
    data = json.loads((p / "scorecard.json").read_text())
    next(iter(data["dimensions"].values()))["formula"][0]["metric"] = "no_such_kpi"
    (p / "scorecard.json").write_text(json.dumps(data))


TAMPERED = [
    pytest.param(_truncate, "summary.json", "unreadable", id="truncated"),
    pytest.param(
        lambda p: (p / "summary.json").write_text("{}"), "summary.json", "kpis", id="empty-object"
    ),
    pytest.param(lambda p: (p / "summary.json").write_text("[]"), "summary.json", "", id="list"),
    pytest.param(_drop_key, "summary.json", "npv_net_savings.mean", id="missing-key"),
    pytest.param(_folder_for_file, "scorecard.json", "not a regular file", id="file-is-folder"),
    pytest.param(_unknown_metric, "scorecard.json", "no_such_kpi", id="unknown-metric"),
    pytest.param(
        lambda p: (p / "scenario.resolved.yaml").write_text("a: [\n"),
        "scenario.resolved.yaml",
        "unreadable",
        id="bad-yaml",
    ),
    pytest.param(
        lambda p: (p / "scenario.resolved.yaml").write_text("customers: {count: -1}\n"),
        "scenario.resolved.yaml",
        "customers.count",
        id="invalid-scenario",
    ),
    pytest.param(
        lambda p: (p / "manifest.json").unlink(), "manifest.json", "missing", id="no-manifest"
    ),
    pytest.param(
        lambda p: (p / "manifest.json").write_text('{"package": "other"}'),
        "manifest.json",
        "package",
        id="foreign-manifest",
    ),
]


@pytest.mark.parametrize(("tamper", "file", "expected"), TAMPERED)
def test_report_on_a_tampered_folder_names_the_file(
    results_folder: Path, tmp_path: Path, tamper, file: str, expected: str
) -> None:
    folder = copy_of(results_folder, tmp_path)
    tamper(folder)
    before = snapshot(tmp_path)

    result = outsim("report", folder, cwd=tmp_path)

    assert_refused(result, file, expected)
    assert_unchanged(before, snapshot(tmp_path))


# ============================================================================================
# 5. Sweeps over text fields work
# ============================================================================================
@pytest.mark.integration  # its store comes from a sweep on a Dask cluster
def test_a_grid_over_a_text_field_runs_and_reports(categorical_sweep: Path) -> None:
    from simulator import sweep

    runs = sweep.load(categorical_sweep)
    assert sorted(runs["policies.privacy.regime"].unique()) == ["ccpa", "gdpr", "none"]
    assert (runs["status"] == "ok").all() and len(runs) == 6
    html = (categorical_sweep / "summary.html").read_text(encoding="utf-8")
    assert "policies.privacy.regime" in html and "data:image/png;base64," in html
    assert (categorical_sweep / "plots" / "effects.png").stat().st_size > 10_000
    table = outsim("sweep-results", categorical_sweep, cwd=categorical_sweep.parent)
    assert table.code == 0 and "npv_net_savings" in table.out


def test_sensitivity_refuses_a_text_field_clearly(tmp_path: Path) -> None:
    tiny(tmp_path)
    spec = {
        "base": "tiny.yaml",
        "sampler": "sobol",
        "samples": 8,
        "parameters": {"policies.privacy.regime": {"range": [0, 1]}},
    }
    write_yaml(tmp_path / "s.yaml", spec)

    result = outsim("sensitivity", "s.yaml", "-q", cwd=tmp_path)

    assert_refused(result, "policies.privacy.regime", "text field takes levels")


def test_the_sweep_summary_survives_a_text_level_with_markup(tmp_path: Path) -> None:
    """Text levels reach the HTML and the charts as text, never as markup."""
    import pandas as pd

    from simulator.outputs.sweep.report import effect_plot

    wide = pd.DataFrame(
        {
            "sample_id": [0, 1, 2],
            "status": ["ok"] * 3,
            "policies.privacy.regime": ["<b>gdpr</b>", "ccpa", "none"],
            "csat_mean": [70.0, 71.0, 72.0],
        }
    )
    path = effect_plot(wide, ["policies.privacy.regime"], ["csat_mean"], tmp_path / "e.png")
    assert path.stat().st_size > 5_000

"""Where model runs execute: in this process, or on a Dask cluster.

One mechanism for every kind of work that runs the model many times — the replications of a
run, the plans of a comparison, the runs of a sweep: a :class:`Pool` takes tasks (a
function and its items) and yields each result as it finishes. :func:`pool` picks one:

- in this process, one task after another (``workers=1``, or a job too small to be worth
  starting worker processes);
- a ``LocalCluster`` of ``workers`` processes (default: one per core, one thread each) —
  or, when called from a script's top-level code outside ``if __name__ == "__main__":``,
  a cluster of worker subprocesses that do not import the script (``spawn``, the start
  method importing mesa selects, would run the script's code again in every worker);
- an existing Dask cluster (``scheduler="tcp://HOST:PORT"``, or a ``distributed.Client``).

At most two tasks per worker thread are in flight, so the caller holds only the results it
has not yet consumed. Results do not depend on where a task ran: every task carries its own
seed, and callers aggregate by task, not by arrival order.
"""

from __future__ import annotations

import ast
import contextlib
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from types import FrameType

T = TypeVar("T")
R = TypeVar("R")


class ParallelError(ValueError):
    """A scheduler address is malformed or unreachable. ``str()`` is the message."""


_SCHEDULER = re.compile(
    r"((tcp|tls|ucx|ws|wss)://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}))"
    r"(:[0-9]{1,5})?/?"
)


def check_scheduler(address: str | None) -> str | None:
    """A Dask scheduler address as given, if it has the form PROTOCOL://HOST:PORT."""
    if address is None:
        return None
    if not _SCHEDULER.fullmatch(address):
        raise ParallelError(
            f"--scheduler {address!r}: not a scheduler address; expected tcp://HOST:PORT "
            "(e.g. tcp://10.0.0.5:8786, as printed by `dask scheduler`)"
        )
    return address


def cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _is_main_test(test: ast.expr) -> bool:
    """``__name__ == "__main__"`` (either way round)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    sides = [test.left, *test.comparators]
    names = [n for n in sides if isinstance(n, ast.Name) and n.id == "__name__"]
    mains = [c for c in sides if isinstance(c, ast.Constant) and c.value == "__main__"]
    return isinstance(test.ops[0], ast.Eq) and len(names) == 1 and len(mains) == 1


def unguarded_script() -> str | None:
    """The main script's path if this call comes from its top-level code outside an
    ``if __name__ == "__main__":`` block, else None (a guarded script, a notebook, ``-c``)."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or not path or not os.path.isfile(path):
        return None
    line = None
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        if frame.f_globals is vars(main) and frame.f_code.co_name == "<module>":
            line = frame.f_lineno
        frame = frame.f_back
    if line is None:
        return None
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    guards = [n for n in ast.walk(tree) if isinstance(n, ast.If) and _is_main_test(n.test)]
    if any(n.lineno <= line <= (n.end_lineno or n.lineno) for n in guards):
        return None
    return path


def _subprocess_cluster(settings: dict[str, Any], options: dict[str, Any]) -> Any:
    """Worker subprocesses started from the command line (``python -m distributed...``):
    they never import the caller's script, so an unguarded script is safe. Dask settings
    reach them through the environment."""
    from distributed.deploy.subprocess import SubprocessCluster

    env = {
        "DASK_" + key.upper().replace(".", "__").replace("-", "_"): str(value)
        for key, value in settings.items()
        if value is not None
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return SubprocessCluster(**options)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def dask_client(
    client: Any = None, scheduler: str | None = None, workers: int | None = None
) -> Iterator[Any]:
    """A ``distributed.Client``: the one given, one connected to ``scheduler``, or a new
    ``LocalCluster`` of ``workers`` processes (default: one per core)."""
    if client is not None:
        yield client
        return
    from distributed import Client, LocalCluster

    if scheduler:
        check_scheduler(scheduler)
        try:
            own = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ParallelError(
                f"--scheduler {scheduler}: cannot reach a Dask scheduler there ({exc}); "
                "expected tcp://HOST:PORT of a running `dask scheduler`"
            ) from None
        try:
            yield own
        finally:
            own.close()
        return
    import dask

    # the workers' statistical profiler samples every 10 ms: CPU the runs need. Dask also
    # sets MALLOC_TRIM_THRESHOLD_ for its workers, which turns off glibc's adaptive mmap
    # threshold: every array of the model (about 1 MB each) is then mapped and unmapped
    # anew, and a replication takes 35-60% longer. Not for our own workers.
    settings = {
        "distributed.worker.profile.enabled": False,
        "distributed.admin.system-monitor.gil.enabled": False,
        "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    }
    options = {
        "n_workers": workers or cores(),
        "threads_per_worker": 1,
        "dashboard_address": "127.0.0.1:0",  # its HTTP server on a free loopback port
        "silence_logs": logging.ERROR,
    }
    if unguarded_script() is not None:
        cluster = _subprocess_cluster(settings, options)
    else:
        with dask.config.set(settings):
            cluster = LocalCluster(processes=True, **options)
    own = Client(cluster)
    try:
        yield own
    finally:
        own.close()
        cluster.close()


def bounded(
    submit: Callable[[T], Any], items: Iterable[T], in_flight: int
) -> Iterator[tuple[T, Any]]:
    """Submit ``items`` (``submit(item)`` returns a Dask future), at most ``in_flight`` at a
    time; yield ``(item, future)`` as each finishes. The caller reads the future's result
    (or its error); the next item is submitted before the finished one is yielded."""
    from distributed import as_completed

    items = iter(items)
    queue = as_completed()
    owner: dict[str, T] = {}
    for item in items:
        fut = submit(item)
        owner[fut.key] = item
        queue.add(fut)
        if len(owner) >= in_flight:
            break
    try:
        for fut in queue:
            item = owner.pop(fut.key)
            nxt = next(items, None)
            if nxt is not None:
                new = submit(nxt)
                owner[new.key] = nxt
                queue.add(new)
            yield item, fut
    finally:
        owner.clear()
        queue.clear()


class Pool(Protocol):
    """Runs ``fn(item)`` for every item; yields ``(index, result)`` as each finishes."""

    workers: int

    def map(self, fn: Callable[[T], R], items: list[T]) -> Iterator[tuple[int, R]]: ...


class InProcess:
    """Every task in this process, in order."""

    workers = 1

    def map(self, fn: Callable[[T], R], items: list[T]) -> Iterator[tuple[int, R]]:
        for i, item in enumerate(items):
            yield i, fn(item)


class DaskPool:
    """Tasks on a Dask cluster, at most two per worker thread in flight; a task's error is
    raised here."""

    def __init__(self, client: Any) -> None:
        self.client = client
        threads = client.nthreads()
        self.workers = len(threads)
        self.slots = max(1, sum(threads.values()))

    def map(self, fn: Callable[[T], R], items: list[T]) -> Iterator[tuple[int, R]]:
        def submit(i: int) -> Any:
            return self.client.submit(fn, items[i], pure=False)

        for i, fut in bounded(submit, range(len(items)), 2 * self.slots):
            result = fut.result()
            fut.release()
            yield i, result


@contextlib.contextmanager
def pool(
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    small: bool = False,
) -> Iterator[Pool]:
    """Where to run: a Dask cluster (``client``, ``scheduler``, or a local one of
    ``workers`` processes, default one per core) or, with ``workers=1`` or a ``small`` job
    and no cluster asked for, this process."""
    if workers is not None and (isinstance(workers, bool) or workers < 1):
        raise ParallelError(f"workers: {workers!r}; expected a whole number of at least 1")
    local = client is None and not scheduler
    if local and (workers == 1 or (workers is None and (small or cores() == 1))):
        yield InProcess()
        return
    with dask_client(client, scheduler, workers) as dc:
        yield DaskPool(dc)

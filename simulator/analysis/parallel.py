"""Where model runs execute: in this process, or on a Dask cluster.

One mechanism for every kind of work that runs the model many times — the replications of a
run, the plans of a comparison, the runs of a sweep: a :class:`Pool` takes tasks (a
function and its items) and yields each result as it finishes. :func:`pool` picks one:

- in this process, one task after another (``workers=1``, or a job too small to be worth
  starting worker processes);
- a ``LocalCluster`` of ``workers`` processes (default: one per core, one thread each);
- an existing Dask cluster (``scheduler="tcp://HOST:PORT"``, or a ``distributed.Client``).

At most two tasks per worker thread are in flight, so the caller holds only the results it
has not yet consumed. Results do not depend on where a task ran: every task carries its own
seed, and callers aggregate by task, not by arrival order.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar

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
    with dask.config.set(
        {
            "distributed.worker.profile.enabled": False,
            "distributed.admin.system-monitor.gil.enabled": False,
            "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
        }
    ):
        cluster = LocalCluster(
            n_workers=workers or cores(),
            threads_per_worker=1,
            processes=True,
            dashboard_address="127.0.0.1:0",  # its HTTP server on a free loopback port
            silence_logs=logging.ERROR,
        )
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

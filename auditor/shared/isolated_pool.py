"""A worker pool where a crash or a hang costs one item, never the run.

Native parsers read untrusted input: libcst's parser (Rust) overflows its stack on about
5,000 nested brackets and takes the process with it (SIGSEGV), and a
``concurrent.futures.ProcessPoolExecutor`` answers one dead worker with
``BrokenProcessPool`` for *every* pending item. Here each worker handles one chunk at a
time and answers item by item, so when a worker dies (or overruns its per-item time)
the parent knows exactly which item it was on: that item is reported, the worker is
replaced, and the rest of its chunk is queued again.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from .process_exit import signal_name

_DONE = "done"
_ANSWER = "answer"


@dataclass
class ItemFailure:
    """Why an item has no answer: its worker died (``signal_name`` set when a signal
    killed it) or took longer than the per-item limit."""

    reason: str
    signal_name: str | None = None
    timed_out: bool = False


def _worker_loop(function: Callable[[Any], Any], connection: Connection) -> None:
    # The parent handles Ctrl-C and SIGTERM for everyone; a worker just stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            chunk = connection.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        for position, item in enumerate(chunk):
            connection.send((_ANSWER, position, function(item)))
        connection.send((_DONE, None, None))


@dataclass
class _Worker:
    process: Any
    connection: Connection
    chunk: list = field(default_factory=list)
    answered: int = 0  # items of ``chunk`` already answered
    item_started: float = 0.0


def run_isolated(
    function: Callable[[Any], Any],
    items: Iterable[Any],
    *,
    workers: int,
    chunk_size: int = 1,
    item_timeout: float | None = None,
    on_answer: Callable[[Any, Any], None],
    on_failure: Callable[[Any, ItemFailure], None],
    start_method: str | None = None,
) -> None:
    """Call ``function(item)`` for every item in worker processes.

    ``on_answer(item, result)`` receives each result, ``on_failure(item, failure)`` each
    item whose worker died or overran ``item_timeout`` seconds. ``function`` must not
    raise (catch inside it); an exception that escapes kills the worker and is reported
    as a failure of that item like a crash.
    """
    method = start_method or ("fork" if os.name == "posix" else "spawn")
    run = _IsolatedRun(
        function, multiprocessing.get_context(method), workers, item_timeout, on_answer, on_failure
    )
    pending = list(items)
    for start in range(0, len(pending), max(1, chunk_size)):
        run.queue.append(pending[start : start + chunk_size])
    if not run.queue:
        return
    try:
        run.until_done()
    finally:
        run.stop_all()


class _IsolatedRun:
    """The state of one :func:`run_isolated` call: the queue of chunks and the workers."""

    def __init__(self, function, context, workers, item_timeout, on_answer, on_failure) -> None:
        self.function = function
        self.context = context
        self.workers = workers
        self.item_timeout = item_timeout
        self.on_answer = on_answer
        self.on_failure = on_failure
        self.queue: deque[list] = deque()
        self.pool: list[_Worker] = []

    def until_done(self) -> None:
        while self.pool or self.queue:
            # Replace workers lost to crashes while there is work left for them (with one
            # worker, its death empties the pool and the rest of its chunk waits here).
            while self.queue and len(self.pool) < self.workers:
                worker = self._start_worker()
                self.pool.append(worker)
                self._give_work(worker)
            self._release_idle_workers()
            busy = [worker for worker in self.pool if worker.chunk]
            if not busy:
                continue
            self._read_answers(busy)
            if self.item_timeout is not None:
                self._retire_overdue_workers()

    def stop_all(self) -> None:
        for worker in self.pool:
            if worker.process.is_alive():
                worker.process.kill()
            worker.process.join()
            worker.connection.close()

    def _start_worker(self) -> _Worker:
        parent_end, child_end = self.context.Pipe()
        process = self.context.Process(target=_worker_loop, args=(self.function, child_end), daemon=True)
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def _give_work(self, worker: _Worker) -> bool:
        if not self.queue:
            return False
        worker.chunk, worker.answered = self.queue.popleft(), 0
        worker.item_started = time.monotonic()
        worker.connection.send(worker.chunk)
        return True

    def _release_idle_workers(self) -> None:
        for worker in [worker for worker in self.pool if not worker.chunk]:
            if not self._give_work(worker):
                worker.connection.send(None)
                worker.process.join(timeout=5)
                worker.connection.close()
                self.pool.remove(worker)

    def _read_answers(self, busy: list[_Worker]) -> None:
        wait_for = None
        if self.item_timeout is not None:
            oldest = min(worker.item_started for worker in busy)
            wait_for = max(0.0, oldest + self.item_timeout - time.monotonic())
        ready = wait([worker.connection for worker in busy], timeout=wait_for)
        by_connection = {id(worker.connection): worker for worker in busy}
        for connection in ready:
            worker = by_connection[id(connection)]
            try:
                kind, position, result = connection.recv()
            except (EOFError, OSError):
                self._retire(worker, ItemFailure("the worker process died reading it"))
                continue
            if kind == _DONE:
                worker.chunk = []
                continue
            self.on_answer(worker.chunk[position], result)
            worker.answered = position + 1
            worker.item_started = time.monotonic()

    def _retire_overdue_workers(self) -> None:
        now = time.monotonic()
        for worker in [w for w in self.pool if w.chunk and now - w.item_started > self.item_timeout]:
            self._retire(
                worker, ItemFailure(f"took longer than {self.item_timeout:g} s; stopped", timed_out=True)
            )

    def _retire(self, worker: _Worker, failure: ItemFailure) -> None:
        """The worker is dead or stuck: report its current item, requeue the rest."""
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.connection.close()
        if failure.signal_name is None and not failure.timed_out:
            failure.signal_name = signal_name(worker.process.exitcode)
            if failure.signal_name:
                failure.reason = f"the worker process was killed by {failure.signal_name} reading it"
        if worker.answered < len(worker.chunk):
            self.on_failure(worker.chunk[worker.answered], failure)
            rest = worker.chunk[worker.answered + 1 :]
            if rest:
                self.queue.appendleft(rest)
        self.pool.remove(worker)

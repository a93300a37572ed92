"""The default engine: a process pool on this machine, one process per core.

Processes, not threads: reading a wheel is CPU work in Python (ELF parsing, disassembly of
init functions with capstone), which threads of one interpreter would serialise.
``forkserver`` rather than ``fork``: the survey's own process runs HTTP threads, and a
fork of a threaded process can inherit a lock held by another thread.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from ..work import WheelTask, judge_wheel
from .interface import Outcome, SurveyEngine


class LocalPoolEngine(SurveyEngine):
    name = "local-pool"

    def __init__(self, workers: int | None = None) -> None:
        super().__init__()
        self._workers = max(1, workers or os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    @property
    def workers(self) -> int:
        return self._workers

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self._workers, mp_context=multiprocessing.get_context("forkserver")
            )
        return self._pool

    def judge(self, tasks: Iterable[WheelTask]) -> Iterator[Outcome]:
        tasks = list(tasks)
        if not tasks:
            return
        pool = self._executor()
        pending: dict[Future, WheelTask] = {}
        for task in tasks:
            pending[pool.submit(judge_wheel, task)] = task
            self.tasks_submitted += 1
        for future in as_completed(pending):
            task = pending.pop(future)
            try:
                yield Outcome(task, future.result())
            except BrokenProcessPool:
                # A worker died (killed, out of memory): the pool cannot go on, so this and
                # every unfinished task fail; a re-run picks them up from the store.
                self._pool = None
                yield Outcome(task, None, "a worker process of the local pool died while judging it")
            except Exception as problem:  # noqa: BLE001 - one bad task must not end the survey
                yield Outcome(task, None, f"judging failed: {type(problem).__name__}: {problem}")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

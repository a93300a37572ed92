"""The Dask engine: one task per wheel on a Dask distributed cluster (``ftaudit[dask]``).

* Only the :class:`~auditor.pipelines.survey.work.WheelTask` (a URL and a digest) goes through the
  scheduler; :func:`~auditor.pipelines.survey.work.judge_wheel` downloads and reads the wheel on the
  worker that runs it, and sends back a verdict of a few kilobytes.
* Keys are derived from the wheel's URL, digest, target and the analyser fingerprint, so
  the same wheel submitted twice is one task (``pure=False`` is moot with explicit keys,
  and the key, not the function's arguments, is what identifies the work).
* Results are consumed with ``as_completed`` as they finish, and each future is released
  at once: a survey of tens of thousands of wheels never holds its verdicts on the cluster.
* A worker that dies takes its running tasks with it; the scheduler hands them to another
  worker (up to ``distributed.scheduler.allowed-failures`` times), and ``retries=`` re-runs
  a task whose attempt raised. A task that still fails comes back as a failed Outcome and the
  survey is partial; its wheel is not stored, so a re-run tries it again.

The workers need ftaudit installed (the same version: the survey refuses verdicts whose
analyser fingerprint differs from its own).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ....collectors.binary import analyser_fingerprint
from ..work import WheelTask, judge_wheel
from .interface import EngineError, Outcome, SurveyEngine

try:
    import distributed
except ImportError:  # the optional extra is not installed
    distributed = None

INSTALL_HINT = "Dask is not installed: pip install 'ftaudit[dask]' (dask[distributed])"


class DaskEngine(SurveyEngine):
    name = "dask"

    def __init__(
        self,
        scheduler: str | None = None,
        *,
        client=None,
        workers: int | None = None,
        retries: int = 3,
        connect_timeout_seconds: float = 20.0,
    ) -> None:
        """Connect to the scheduler at ``scheduler`` (``tcp://host:8786``), use an existing
        ``distributed.Client``, or, with neither, start a LocalCluster of ``workers``
        processes on 127.0.0.1 (what ``--dask`` without an address does)."""
        super().__init__()
        if distributed is None:
            raise EngineError(INSTALL_HINT)
        self.retries = retries
        self._cluster = None
        self._owns_client = client is None
        if client is not None:
            self._client = client
        elif scheduler:
            try:
                self._client = distributed.Client(scheduler, timeout=connect_timeout_seconds)
            except (OSError, TimeoutError) as problem:
                raise EngineError(f"cannot reach the Dask scheduler at {scheduler}: {problem}") from problem
        else:
            self._cluster = distributed.LocalCluster(
                n_workers=workers or 2,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            self._client = distributed.Client(self._cluster)

    @property
    def client(self):
        return self._client

    @property
    def workers(self) -> int:
        return len(self._client.scheduler_info(n_workers=-1).get("workers", {}))

    def judge(self, tasks: Iterable[WheelTask]) -> Iterator[Outcome]:
        analyser = analyser_fingerprint()
        submitted: dict[str, WheelTask] = {}
        futures = []
        for task in tasks:
            key = task.task_key(analyser)
            if key in submitted:
                continue
            submitted[key] = task
            futures.append(self._client.submit(judge_wheel, task, key=key, pure=False, retries=self.retries))
            self.tasks_submitted += 1
        if not futures:
            return
        completed = distributed.as_completed(futures)
        futures.clear()  # as_completed holds them now; each is dropped once consumed
        for future in completed:
            task = submitted[future.key]
            if future.status == "finished":
                outcome = Outcome(task, future.result())
            elif future.status == "cancelled":
                outcome = Outcome(task, None, "the Dask task was cancelled")
            else:
                problem = future.exception()
                outcome = Outcome(task, None, f"failed on the cluster: {type(problem).__name__}: {problem}")
            future.release()
            yield outcome

    def close(self) -> None:
        if self._owns_client:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()

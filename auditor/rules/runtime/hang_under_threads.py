from __future__ import annotations

from ...model.finding import Severity
from ...model.harness import FailureKind
from ..registry import Example, register
from . import RuntimeRule


@register
class HangUnderThreads(RuntimeRule):
    """A trial did not finish within the per-trial timeout; every thread's stack was
    dumped by faulthandler before the process was killed. Without the GIL, two locks
    taken in different orders by two threads, or a lock held while waiting for another
    thread, deadlock at once where the GIL used to let only one of them run.
    """

    code = "FTR005"
    name = "hang-under-threads"
    severity = Severity.ERROR
    summary = "a trial hung (deadlock or livelock) while threads ran the scenario"
    fix = (
        "take locks in one global order, never wait for another thread while holding a lock; prefer "
        "Py_BEGIN_CRITICAL_SECTION, which CPython suspends instead of deadlocking"
    )
    invalid = [Example("tests/harness_samples/lock_order_deadlock", language="sample")]
    valid = [Example("ext_samples/torn_pair_mutex", language="sample")]

    @classmethod
    def check(cls, trial):
        for failure in trial.failures_of(FailureKind.HANG):
            yield cls.finding(
                f"{cls.summary}: {failure.message}",
                trial.location_from_traceback(failure.detail),
                evidence=[failure.detail[-4000:]],
                module=trial.sample.name,
            )

from __future__ import annotations

from ...model.finding import Severity
from ...model.harness import FailureKind
from ..registry import Example, register
from . import RuntimeRule


@register
class CrashUnderThreads(RuntimeRule):
    """The interpreter died (a signal such as SIGSEGV, or a fatal error) while the
    threads ran the scenario, although it passed with the threads run one after another. Typical
    causes without the GIL: a borrowed reference (PyList_GetItem, PyDict_GetItem) to an
    object another thread just released, or a C structure freed while still in use.
    """

    code = "FTR004"
    name = "crash-under-threads"
    severity = Severity.ERROR
    summary = "the interpreter crashed while threads ran the scenario"
    fix = (
        "use strong-reference APIs (PyList_GetItemRef, PyDict_GetItemRef) and keep every object alive "
        "while it is used; read the faulthandler traceback for the failing call"
    )
    invalid = [Example("tests/harness_samples/crash_on_second_thread", language="sample")]
    valid = [Example("ext_samples/borrowed_item_ref", language="sample")]

    @classmethod
    def check(cls, trial):
        for failure in trial.failures_of(FailureKind.CRASH):
            yield cls.finding(
                f"{cls.summary}: {failure.message}",
                trial.location_from_traceback(failure.detail),
                evidence=[failure.detail[-4000:]],
                module=trial.sample.name,
            )

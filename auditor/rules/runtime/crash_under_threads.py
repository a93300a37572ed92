from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, Rule, register


@register
class CrashUnderThreads(Rule):
    """The interpreter died (a signal such as SIGSEGV, or a fatal error) while the
    threads ran the scenario, although it passed with the threads run one after another. Typical
    causes without the GIL: a borrowed reference (PyList_GetItem, PyDict_GetItem) to an
    object another thread just released, or a C structure freed while still in use.
    """

    code = "FTR004"
    name = "crash-under-threads"
    category = "runtime"
    severity = Severity.ERROR
    summary = "the interpreter crashed while threads ran the scenario"
    fix = (
        "use strong-reference APIs (PyList_GetItemRef, PyDict_GetItemRef) and keep every object alive "
        "while it is used; read the faulthandler traceback for the failing call"
    )
    invalid = [Example("tests/harness_samples/crash_on_second_thread", language="sample")]
    valid = [Example("ext_samples/borrowed_item_ref", language="sample")]

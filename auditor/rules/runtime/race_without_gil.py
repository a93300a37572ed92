from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import RuntimeRule
from ._wrong_result import wrong_result_findings


@register
class RaceWithoutGil(RuntimeRule):
    """The scenario gave a wrong result on the free-threaded interpreter and never on the
    GIL build of the same version. The code was correct only because the GIL serialised
    its callers: a C function body runs without interruption while it holds the GIL, so a
    read-modify-write of shared C state (a static counter, a lazily built cache, two
    fields that must change together) could not be interleaved. Without the GIL (PEP 703)
    it can, and this is exactly the breakage a port to free-threading must fix.
    """

    code = "FTR001"
    name = "race-without-gil"
    severity = Severity.ERROR
    summary = "race observed only without the GIL: the code relied on the GIL for thread safety"
    fix = (
        "protect the shared state: a PyMutex held across the whole update (Py_BEGIN_CRITICAL_SECTION only "
        "when nothing inside can block: it is released whenever its thread blocks), C11 atomics for "
        "counters and flags, _Thread_local or per-module state for scratch data"
    )
    references = [
        "https://peps.python.org/pep-0703/",
        "https://docs.python.org/3/howto/free-threading-extensions.html",
    ]
    invalid = [
        Example("ext_samples/static_counter", language="sample"),
        Example("ext_samples/lazy_init_cache", language="sample"),
    ]
    valid = [Example("ext_samples/static_counter_atomic", language="sample")]

    @classmethod
    def check(cls, trial):
        if trial.classification == "race-without-gil":
            yield from wrong_result_findings(cls, trial)

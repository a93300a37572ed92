from __future__ import annotations

from ...model.finding import Severity
from ...model.harness import HammerVerdict
from ..registry import Example, register
from . import RuntimeRule
from ._wrong_result import wrong_result_findings


@register
class RaceWithAndWithoutGil(RuntimeRule):
    """The scenario gave a wrong result on the free-threaded interpreter AND on the GIL
    build. The race does not come from removing the GIL: the shared state is touched
    where the GIL is released or between two calls (a C library function called through
    cffi, which drops the GIL around every call; a read in one call and a write in the
    next). It is a bug today; free-threading makes it more frequent.
    """

    code = "FTR002"
    name = "race-with-and-without-gil"
    severity = Severity.ERROR
    summary = "race observed with and without the GIL: the code is not thread-safe on any build"
    fix = (
        "make the whole operation one critical section (a lock held across the read and the write), or "
        "give every caller its own state (a caller-provided buffer instead of a static one)"
    )
    invalid = [
        Example("ext_samples/cffi_static_buffer", language="sample"),
        Example("ext_samples/get_then_set_counter", language="sample"),
    ]
    valid = [Example("ext_samples/cffi_caller_buffer", language="sample")]

    @classmethod
    def check(cls, trial):
        if trial.classification == "race":
            yield from wrong_result_findings(cls, trial)
        baseline = trial.baseline
        if trial.target is None or trial.target_failures or baseline is None:
            return
        if baseline.verdict is HammerVerdict.RACE:
            # Seen with the GIL only (rare: a window the free-threaded runs did not hit). Still a
            # race in the code, and one the GIL does not prevent.
            first = baseline.failure_examples[0]
            target = trial.target
            yield cls.finding(
                f"race observed on the GIL build only ({baseline.label}): {first.message}",
                trial.location_from_traceback(first.detail),
                evidence=[f"{target.label}: {target.verdict.value} in {target.trials} trials"],
                module=trial.sample.name,
            )

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import RuntimeRule
from ._wrong_result import wrong_result_findings


@register
class RaceObserved(RuntimeRule):
    """The scenario gave a wrong result on the free-threaded interpreter and no GIL build
    was run to compare with (``--no-baseline``, or none was found), so whether the GIL
    used to hide the race is unknown. The race itself is real: it was observed.
    """

    code = "FTR003"
    name = "race-observed"
    severity = Severity.ERROR
    summary = "race observed on the free-threaded interpreter (no GIL baseline to compare with)"
    fix = "protect the shared state (PyMutex, critical section, atomics, thread-local or per-module state)"
    invalid = [Example("ext_samples/static_counter", language="sample", note="with --no-baseline")]
    valid = [Example("ext_samples/static_counter_atomic", language="sample", note="with --no-baseline")]

    @classmethod
    def check(cls, trial):
        # Whether the GIL hid the race is unknown without a decided baseline.
        if trial.classification not in ("race-without-gil", "race"):
            yield from wrong_result_findings(cls, trial)

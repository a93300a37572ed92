from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, Rule, register


@register
class TsanDataRace(Rule):
    """ThreadSanitizer saw two threads access the same memory, at least one writing,
    with no happens-before order between them, in the sample's own code. A data race is
    undefined behaviour in C11 whether or not a wrong result was observed in a given
    run: the next compiler or CPU may turn it into one.
    """

    code = "FTR006"
    name = "tsan-data-race"
    category = "runtime"
    severity = Severity.ERROR
    summary = "ThreadSanitizer reported a data race in the sample's code"
    fix = "order the two accesses: a mutex around both, or C11 atomics (<stdatomic.h>) for the variable"
    invalid = [Example("ext_samples/static_counter", language="sample", note="with --tsan")]
    valid = [Example("ext_samples/static_counter_atomic", language="sample", note="with --tsan")]

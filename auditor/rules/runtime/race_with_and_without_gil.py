from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, Rule, register


@register
class RaceWithAndWithoutGil(Rule):
    """The scenario gave a wrong result on the free-threaded interpreter AND on the GIL
    build. The race does not come from removing the GIL: the shared state is touched
    where the GIL is released or between two calls (a C library function called through
    cffi, which drops the GIL around every call; a read in one call and a write in the
    next). It is a bug today; free-threading makes it more frequent.
    """

    code = "FTR002"
    name = "race-with-and-without-gil"
    category = "runtime"
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

from __future__ import annotations

from ...collectors.binary.risky_symbols import NON_REENTRANT_LIBC
from ...model.finding import Severity
from ..registry import Example, register
from . import RiskyImportRule
from ._examples import with_function


@register
class NonReentrantLibcCall(RiskyImportRule):
    """The module imports a libc function that keeps state in static storage or in the environment.

    ``strtok``, ``localtime``, ``rand`` and friends were safe enough while the GIL let
    one thread at a time into the module; in a free-threaded process two threads calling
    them interleave on the same hidden buffer. ``getenv`` races with any ``setenv``.
    """

    code = "FTB102"
    name = "non-reentrant-libc-call"
    severity = Severity.WARNING
    # The imported functions of this family (collectors/binary/risky_symbols.py) are what it flags.
    family = NON_REENTRANT_LIBC
    summary = "imports a non-reentrant libc function that shares hidden state between threads"
    fix = "use the reentrant variant named in the finding (strtok_r, localtime_r, rand_r, ...)"
    references = ["https://www.gnu.org/software/libc/manual/html_node/POSIX-Safety-Concepts.html"]
    invalid = [
        Example(
            with_function(
                "    time_t now = PyLong_AsLong(arg);\n"
                "    struct tm *parts = localtime(&now);\n"
                "    return PyLong_FromLong(parts ? parts->tm_year : -1);",
                includes="#include <time.h>\n",
            )
        )
    ]
    valid = [
        Example(
            with_function(
                "    time_t now = PyLong_AsLong(arg);\n"
                "    struct tm parts;\n"
                "    return PyLong_FromLong(localtime_r(&now, &parts) ? parts.tm_year : -1);",
                includes="#include <time.h>\n",
            )
        )
    ]

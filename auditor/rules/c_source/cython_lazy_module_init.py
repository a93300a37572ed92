"""FTC015: Cython module state lazily initialised by check-then-set."""

from __future__ import annotations

from ...collectors.source.cython_analysis import cython_analysis_of
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

_HEADER = "# cython: freethreading_compatible=True\n"


@register
class CythonLazyModuleInit(CSourceRule):
    """``if _table is NULL: _table = build()`` in Cython lets two threads both build.

    The test and the store are two steps. Threads that arrive together all see the
    module variable unset, all run the initialiser and all store: a C buffer is
    allocated twice and one leaks (or is freed while another thread uses it), a
    "ready" flag is set before the data it guards is visible, and a registry filled on
    first use is filled by several threads at once. Both statements are reported: the
    check (with the line of the store) and the store (with the line of the check).
    """

    code = "FTC015"
    name = "cython-lazy-module-init"
    severity = Severity.ERROR
    summary = "Cython module state initialised on first use by an unlocked check-then-set"
    fix = (
        "Initialise at import time (module-level code), or take a lock (`cdef cython.pymutex`) around "
        "the check and the store so only one thread initialises."
    )
    references = ["https://cython.readthedocs.io/en/latest/src/userguide/freethreading.html"]
    languages = frozenset({"cython"})
    invalid = [
        Example(
            _HEADER + "from libc.stdlib cimport malloc\n\ncdef double *_table = NULL\n\n"
            "cdef double *table():\n    global _table\n    if _table is NULL:\n"
            "        _table = <double *>malloc(256 * sizeof(double))\n    return _table\n\n"
            "def lookup(int i):\n    return table()[i]\n",
            language="cython",
        ),
        Example(
            _HEADER + "cdef dict _modes = {}\n\ndef getmode(name):\n    if not _modes:\n"
            "        _modes['RGB'] = 3\n        _modes['L'] = 1\n    return _modes[name]\n",
            language="cython",
        ),
    ]
    valid = [
        Example(
            _HEADER + "cimport cython\nfrom libc.stdlib cimport malloc\n\ncdef cython.pymutex _lock\n"
            "cdef double *_table = NULL\n\ncdef double *table():\n    global _table\n    with _lock:\n"
            "        if _table is NULL:\n            _table = <double *>malloc(256 * sizeof(double))\n"
            "    return _table\n\ndef lookup(int i):\n    return table()[i]\n",
            language="cython",
        ),
        Example(
            _HEADER + "def first(values=None):\n    if values is None:\n        values = []\n"
            "    return values\n",
            language="cython",
            note="a parameter, not module state",
        ),
    ]

    @classmethod
    def check(cls, unit):
        analysis = cython_analysis_of(unit)
        reported_checks = set()
        for event in analysis.events:
            if event.kind == "lazy-init":
                yield cls.finding(
                    f"`{event.name}` (module-level {event.what}) is set in {event.function}() after the "
                    f"unlocked check on line {event.related_line}: threads that pass the check together "
                    f"all initialise it{_same_fill(analysis.events, event)}",
                    event.location,
                )
            elif event.kind == "lazy-check" and (event.line, event.name) not in reported_checks:
                reported_checks.add((event.line, event.name))
                yield cls.finding(
                    f"`{event.name}` (module-level {event.what}) is checked here in {event.function}() and "
                    f"set on line {event.related_line} without a lock: two threads can both see it unset",
                    event.location,
                )


def _same_fill(events, fill) -> str:
    """The other module names the same first-use block sets (FTC014 leaves them to this finding)."""
    names = sorted(
        {
            event.name
            for event in events
            if event.kind == "module-write"
            and event.function == fill.function
            and event.line > fill.related_line
            and event.name != fill.name
        }
    )
    if not names:
        return ""
    listed = ", ".join(f"`{name}`" for name in names[:6]) + (" and others" if len(names) > 6 else "")
    return f"; the same block also sets {listed}, which a thread finding `{fill.name}` set can read unfilled"

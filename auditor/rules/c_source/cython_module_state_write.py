"""FTC014: Cython module state written from functions that any thread can call."""

from __future__ import annotations

import re
from dataclasses import replace

from ...collectors.source.cython_analysis import cython_analysis_of
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

_HEADER = "# cython: freethreading_compatible=True\n"


@register
class CythonModuleStateWrite(CSourceRule):
    """A ``cdef`` module variable is one C global shared by every thread.

    ``cdef double _buf[64]`` or ``cdef int _count`` at module level compiles to a C
    ``static``; ``cdef dict _cache = {}`` and names bound by module code are one object
    for the whole process. A ``def``/``cpdef`` function (or a ``cdef`` one they call)
    that writes them runs in as many threads at once as call it: a scratch buffer is
    overwritten mid-use, ``_count += 1`` loses updates, a global rebound in several
    steps is seen half-changed, and a module dict iterated while another thread fills
    it raises ``RuntimeError``. Under the GIL most of this was serialised; on a
    free-threaded build it is not, and ``with nogil:`` protects nothing at all.

    Also reported: a pointer set to a module-level C array (``writer.buf =
    &BUFFER[0]``), which makes every caller write the one buffer; iteration (a ``for``
    loop, or a copy with ``list()``/``sorted()``) of a module-level weak container, which
    the garbage collector empties on any thread; reads of a global that
    some function rebinds at run time (each read may see a different object; a default
    parser swapped by one thread while another parses with it), and ``PyDict_GetItem``
    on a module dict other functions mutate (the borrowed reference is freed by another
    thread's replace or delete).

    Not reported: writes inside ``with lock:`` (a ``threading.Lock``, a
    ``cython.pymutex``, ``cython.critical_section``) or between ``PyMutex_Lock`` and
    ``PyMutex_Unlock``; module-level code and ``cdef`` helpers only it calls (import
    time); locals that shadow a module name.
    """

    code = "FTC014"
    name = "cython-module-state-write"
    severity = Severity.WARNING
    summary = "Cython module-level variable (cdef or Python global) written in a function without a lock"
    fix = (
        "Make the buffer a local (or per call / per object), guard every access with one lock "
        "(`cdef cython.pymutex _lock` + `with _lock:`, or threading.Lock), or fill it once at import."
    )
    references = ["https://cython.readthedocs.io/en/latest/src/userguide/freethreading.html"]
    languages = frozenset({"cython"})
    invalid = [
        Example(
            _HEADER + "def spawn(loop):\n    global _spawning\n    if _spawning:\n"
            "        raise RuntimeError('another loop is spawning')\n    _spawning = 1\n    try:\n"
            "        loop.spawn()\n    finally:\n        _spawning = 0\n",
            language="cython",
            note="`_spawning` is defined in an included file; the test and the set are two steps",
        ),
        Example(
            _HEADER + "cdef double _scratch[64]\n\ndef smooth(double[:] values):\n"
            "    cdef Py_ssize_t i\n    for i in range(64):\n        _scratch[i] = values[i] * 0.5\n"
            "    return sum(_scratch)\n",
            language="cython",
        ),
        Example(
            _HEADER + "cdef long _calls = 0\n\ncpdef long count():\n    global _calls\n"
            "    with nogil:\n        _calls += 1\n    return _calls\n",
            language="cython",
            note="`with nogil` releases the GIL; it locks nothing",
        ),
        Example(
            _HEADER + "cdef dict _registry = {}\n\ndef register(name, value):\n    _registry[name] = value\n",
            language="cython",
        ),
        Example(
            _HEADER + "_SCHEMA = None\n\ndef set_schema(schema):\n    global _SCHEMA\n    _SCHEMA = schema\n",
            language="cython",
        ),
        Example(
            _HEADER + "_default_parser = None\n\ndef set_default_parser(parser):\n"
            "    global _default_parser\n    _default_parser = parser\n\n"
            "def parse(text, parser=None):\n    if parser is None:\n        parser = _default_parser\n"
            "    return parser.feed(text)\n",
            language="cython",
            note="the read in parse() races with the rebind",
        ),
        Example(
            _HEADER + "cdef char BUFFER[8192]\n\ncdef struct Writer:\n    char *buf\n\n"
            "cdef void init_writer(Writer *writer):\n    writer.buf = &BUFFER[0]\n\n"
            "def quote(str value):\n    cdef Writer writer\n    init_writer(&writer)\n",
            language="cython",
            note="every call's writer points into the one module buffer",
        ),
        Example(
            _HEADER + "import weakref\n\ncdef object registry = weakref.WeakValueDictionary()\n\n"
            "def live_objects():\n    return list(registry.values())\n",
            language="cython",
            note="a weak container loses entries on whichever thread drops a referent; list() iterates it",
        ),
    ]
    valid = [
        Example(
            _HEADER + "import threading\n\n_spawn_lock = threading.Lock()\n\ndef spawn(loop):\n"
            "    global _spawning\n    with _spawn_lock:\n        if _spawning:\n"
            "            raise RuntimeError('another loop is spawning')\n        _spawning = 1\n",
            language="cython",
            note="the test and the set under one lock",
        ),
        Example(
            _HEADER + "cimport cython\n\ncdef cython.pymutex _lock\ncdef double _scratch[64]\n\n"
            "def smooth(double[:] values):\n    cdef Py_ssize_t i\n    with _lock:\n"
            "        for i in range(64):\n            _scratch[i] = values[i] * 0.5\n"
            "        return sum(_scratch)\n",
            language="cython",
        ),
        Example(
            _HEADER + "cdef dict _table = {}\n\ncdef void _fill():\n    _table['a'] = 1\n\n_fill()\n",
            language="cython",
            note="a cdef helper only module-level code calls runs once, at import",
        ),
        Example(
            _HEADER + "def smooth(double[:] values):\n    cdef double scratch[64]\n"
            "    scratch[0] = values[0]\n    return scratch[0]\n",
            language="cython",
            note="a local array",
        ),
        Example(
            _HEADER + "cdef dict _interned = {}\n\ndef intern(name):\n"
            "    return _interned.setdefault(name, name)\n",
            language="cython",
            note="dict.setdefault inserts atomically",
        ),
    ]

    @classmethod
    def check(cls, unit):
        analysis = cython_analysis_of(unit)
        # A lazy fill's own stores belong to FTC015's finding on that fill (it names them).
        fill_checks = {
            event.function: event.related_line for event in analysis.events if event.kind == "lazy-init"
        }
        rebound_reads: dict[tuple[str, str], list] = {}
        for event in analysis.events:
            if event.kind == "rebound-read":
                if event.detail == event.function and event.function in fill_checks:
                    continue  # read back after this function's own first-use fill: FTC015 says so
                rebound_reads.setdefault((event.function, event.detail), []).append(event)
                continue
            if event.kind not in ("module-write", "container-mutation", "iteration", "borrowed-read"):
                continue
            if event.kind == "module-write" and 0 < fill_checks.get(event.function, 0) < event.line:
                continue
            yield cls.finding(_message(event), event.location)
        for (function, rebinder), reads in rebound_reads.items():
            yield cls._rebound_reads_finding(unit, function, rebinder, reads, rebinder in fill_checks)

    @classmethod
    def _rebound_reads_finding(cls, unit, function: str, rebinder: str, reads, lazy_fill: bool):
        """One finding per function and rebinding function, on the call of the rebinder
        that precedes the reads when there is one (``_lazy_import()`` then ``_BooleanArray``):
        that call is what the fix has to make safe, not each read after it."""
        first = min(reads, key=lambda event: (event.line, event.column))
        names = sorted({event.name for event in reads})
        call_line = _call_before(unit, rebinder, first.line) if rebinder != function and lazy_fill else None
        listed = ", ".join(f"`{name}`" for name in names[:6]) + (" and others" if len(names) > 6 else "")
        if call_line is not None:
            pronoun = "them" if len(names) > 1 else "it"
            return cls.finding(
                f"{function}() calls {rebinder}(), which fills module-level {listed} on first use "
                f"without a lock, and then reads {pronoun} (first on line {first.line}): a thread arriving "
                f"while another is inside {rebinder}() returns at once and reads names not yet set",
                _line_location(unit, call_line),
            )
        return cls.finding(_message(first) + (f" (also {listed})" if len(names) > 1 else ""), first.location)


def _message(event) -> str:
    where = f"in {event.function}()" + (" inside `with nogil`" if event.in_nogil else "")
    shared = "a module-level variable, one for every thread that calls this function"
    if event.kind == "rebound-read":
        return (
            f"module-level `{event.name}` is read {where}, and {event.detail}() rebinds it at run time "
            f"without a lock (line {event.related_line}): this read can see either value, and a value read "
            "here can be replaced before it is used"
        )
    if event.kind == "borrowed-read":
        return (
            f"{event.detail}() on module-level {event.what} `{event.name}` {where} returns a borrowed "
            "reference while other functions change the dict without a lock: another thread's replace or "
            "delete can free the object before this code takes its own reference"
        )
    if event.kind == "iteration" and event.detail == "weak":
        return (
            f"module-level weak container `{event.name}` is iterated {where} without a lock: it loses an "
            "entry whenever a referent dies, on whichever thread drops the last reference, so the "
            "iteration can fail with 'changed size during iteration'"
        )
    if event.kind == "iteration":
        return (
            f"module-level {event.what} `{event.name}` is iterated {where} without a lock while other "
            "functions mutate it: the iteration can fail or see a half-made update"
        )
    if event.kind == "container-mutation":
        how = {"subscript": f"{event.name}[...] =", "del": f"del {event.name}[...]"}.get(
            event.detail, f"{event.name}.{event.detail}()"
        )
        return (
            f"`{event.name}` ({event.what}, {shared}) is mutated {where} ({how}) without a lock: "
            "other threads read, iterate or update it at the same time"
        )
    if event.detail.startswith("address via "):
        callee = event.detail.removeprefix("address via ")
        return (
            f"{event.function}() calls {callee}(), which points its argument at module-level "
            f"`{event.name}` ({event.what}, line {event.related_line}): every thread calling "
            f"{event.function}() then writes the one buffer, overwriting the others' data"
        )
    if event.detail == "address":
        return (
            f"the address of `{event.name}` ({event.what}, {shared}) is stored {where}: every caller "
            "that sets up a pointer this way then writes the one buffer, overwriting the others' data"
        )
    compound = event.detail.endswith("+=")
    how = "updated (read-modify-write)" if compound else "written"
    if event.detail.startswith("attribute"):
        how = "updated in place through an attribute" if compound else "updated through an attribute store"
    elif event.detail.startswith("subscript"):
        how = "updated in place (element read-modify-write)" if compound else "written element by element"
    risk = "concurrent calls lose updates" if compound else "concurrent calls overwrite each other's values"
    return f"`{event.name}` ({event.what}, {shared}) is {how} {where} without a lock: {risk}"


_FUNCTION_START = re.compile(r"^\s*(?:async\s+)?(?:c?p?def|cdef\s.*\()\b")


def _call_before(unit, callee: str, line: int) -> int | None:
    """The line of the last ``callee(...)`` call above ``line`` within the same function."""
    call = re.compile(rf"(?<![\w.]){re.escape(callee)}\s*\(")
    for number in range(line - 1, max(line - 200, 0), -1):
        text = unit.lines[number - 1]
        if _FUNCTION_START.match(text):
            return None
        if call.search(text):
            return number
    return None


def _line_location(unit, line: int):
    text = unit.lines[line - 1]
    return replace(
        unit.location(0), line=line, column=len(text) - len(text.lstrip()) + 1, snippet=text.strip()
    )

"""FTC016: instance state touched outside the lock a Cython class takes elsewhere."""

from __future__ import annotations

from ...collectors.source.cython_analysis import cython_analysis_of
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

_HEADER = "# cython: freethreading_compatible=True\n"


@register
class CythonUnlockedInstanceState(CSourceRule):
    """A class that locks ``self.lock`` in some methods has instances used by many threads.

    The lock is the class's own evidence that one object is shared: its authors
    serialised the methods they thought of. Another method that writes the same state
    without the lock (``self._state.gauss = 0.0`` in a ``cdef`` helper, a ``seed()``
    that resets two fields one after the other) races with the locked ones, and a
    method that reads two C fields other methods write (``has_gauss`` then ``gauss``)
    without the lock can return a pair that never existed. C struct fields of a
    ``cdef class`` have no lock of their own at all.

    Not reported: construction (``__init__``, ``__cinit__``, ``__dealloc__`` and
    helpers only they call), classes that never take a lock, code inside the lock.
    """

    code = "FTC016"
    name = "cython-unlocked-instance-state"
    severity = Severity.WARNING
    summary = "instance state written or read in pieces outside the lock its class takes elsewhere"
    fix = "Take the same lock (`with self.lock:`) around every read and write of the state it guards."
    references = ["https://cython.readthedocs.io/en/latest/src/userguide/freethreading.html"]
    languages = frozenset({"cython"})
    invalid = [
        Example(
            _HEADER + "ctypedef struct pair_t:\n    int ready\n    double value\n\n"
            "cdef class Source:\n    cdef pair_t _state\n    cdef object lock\n\n"
            "    def __init__(self, lock):\n        self.lock = lock\n\n"
            "    def draw(self):\n        with self.lock:\n            self._state.value += 1.0\n"
            "            return self._state.value\n\n"
            "    def reset(self):\n        self._state.ready = 0\n        self._state.value = 0.0\n",
            language="cython",
        ),
        Example(
            _HEADER + "ctypedef struct pair_t:\n    int ready\n    double value\n\n"
            "cdef class Source:\n    cdef pair_t _state\n    cdef object lock\n\n"
            "    def set(self, double value):\n        with self.lock:\n"
            "            self._state.value = value\n"
            "            self._state.ready = 1\n\n"
            "    def get(self):\n        return (self._state.ready, self._state.value)\n",
            language="cython",
            note="a torn read of two fields other methods write",
        ),
    ]
    valid = [
        Example(
            _HEADER + "ctypedef struct pair_t:\n    int ready\n    double value\n\n"
            "cdef class Source:\n    cdef pair_t _state\n    cdef object lock\n\n"
            "    def __init__(self, lock):\n        self.lock = lock\n        self._reset()\n\n"
            "    cdef _reset(self):\n        self._state.ready = 0\n        self._state.value = 0.0\n\n"
            "    def reset(self):\n        with self.lock:\n            self._reset()\n",
            language="cython",
        ),
        Example(
            _HEADER + "cdef class Counter:\n    cdef long n\n\n    def bump(self):\n        self.n += 1\n",
            language="cython",
            note="no lock anywhere: nothing says instances are shared",
        ),
    ]

    @classmethod
    def check(cls, unit):
        analysis = cython_analysis_of(unit)
        for event in analysis.events:
            if event.kind != "instance-state":
                continue
            yield cls.finding(
                f"{event.function}() {event.detail} without the lock; the instance is shared between "
                f"threads ({event.what})",
                event.location,
            )

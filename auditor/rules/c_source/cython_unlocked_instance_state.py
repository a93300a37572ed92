"""FTC016: instance state touched outside the lock a Cython class takes elsewhere."""

from __future__ import annotations

from ...collectors.source.cython_analysis import cython_analysis_of
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

_HEADER = "# cython: freethreading_compatible=True\n"


@register
class CythonUnlockedInstanceState(CSourceRule):
    """Instance state of a Cython class whose instances the code shows to be shared.

    Three pieces of evidence count. A class named for serving many callers (``...Pool``,
    ``...Cache``, ``...Registry``, ``...Client``, ``Cached...``) is made to be shared;
    with only its name to go on, compound updates and a key tested then used are
    reported, not single appends or stores. A class that locks ``self.lock`` in some methods says
    one object is used by several threads: its authors serialised the methods they
    thought of. A module-level variable holding an instance (``cdef _BaseLog _LOG =
    _RotatingLog()``; a variable typed with a base class may hold any subclass) is one
    object for every thread. Then a method that writes the state without the lock
    (``self._state.gauss = 0.0`` in a ``cdef`` helper, ``del self._entries[:]``, a
    ``seed()`` that resets two fields one after the other) races with the others, and a
    method that reads two fields other methods write (``has_gauss`` then ``gauss``,
    ``self._entries[self._offset:]``) without the lock can see a pair that never existed.

    On a shared instance a counter read and then added to (``range(self.spawned, ...)``
    then ``self.spawned += n``) hands two threads the same range. A ``cdef class``
    needs no further evidence for a lazy field (``if self._tree is None: self._tree =
    build()``, checked and set without a lock): its fields are plain C struct members,
    and two threads that store an object field at once can release the old value twice.
    Nor for a flag one method flips and others decide on (``freeze()`` sets ``self.frozen
    = True`` while ``__setitem__`` tests it): a plain C field with nothing ordering the
    set and the test. And the buffer protocol is its own evidence: ``__getbuffer__`` and
    ``__releasebuffer__`` run on whichever thread makes or drops a memoryview, so their
    ``self.exports += 1`` and their reads of state other methods change race.

    Not reported: construction (``__init__``, ``__cinit__``, ``__dealloc__`` and
    helpers only they call), code inside the lock, and single plain writes in a class
    nothing shows to be shared.
    """

    code = "FTC016"
    name = "cython-unlocked-instance-state"
    severity = Severity.WARNING
    summary = "instance state written or read in pieces outside the lock its class takes elsewhere"
    fix = (
        "Take one lock (`with self.lock:`, a `cython.pymutex` field or `cython.critical_section(self)`) "
        "around every read and write of the state it guards; for a lazy field, check again inside it."
    )
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
        Example(
            _HEADER + "cdef class _Log:\n    cdef list _entries\n    cdef Py_ssize_t _offset\n\n"
            "    def __init__(self):\n        self._entries = []\n        self._offset = 0\n\n"
            "    def receive(self, entry):\n        self._entries.append(entry)\n\n"
            "    def clear(self):\n        del self._entries[:]\n        self._offset = 0\n\n"
            "cdef _Log _GLOBAL_LOG = _Log()\n",
            language="cython",
            note="one module-level instance serves every thread",
        ),
        Example(
            _HEADER + "cdef class Tree:\n    cdef object _python_tree\n\n    @property\n"
            "    def tree(self):\n        if self._python_tree is None:\n"
            "            self._python_tree = build_tree(self)\n        return self._python_tree\n",
            language="cython",
            note="a lazy object field of a cdef class, checked and set without a lock",
        ),
        Example(
            _HEADER + "cdef class FrozenList:\n    cdef bint frozen\n    cdef list _items\n\n"
            "    def __init__(self):\n        self.frozen = False\n        self._items = []\n\n"
            "    def freeze(self):\n        self.frozen = True\n\n"
            "    def append(self, item):\n        if self.frozen:\n            raise RuntimeError('frozen')\n"
            "        self._items.append(item)\n",
            language="cython",
            note="a C flag flipped by one method and tested by another",
        ),
        Example(
            _HEADER + "cdef class Buffer:\n    cdef int exports\n\n"
            "    def __getbuffer__(self, Py_buffer *view, int flags):\n        self.exports += 1\n\n"
            "    def __releasebuffer__(self, Py_buffer *view):\n        self.exports -= 1\n",
            language="cython",
            note="views are made and released on any thread",
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
        Example(
            _HEADER + "cimport cython\n\ncdef class Tree:\n    cdef object _python_tree\n\n"
            "    @property\n    def tree(self):\n        with cython.critical_section(self):\n"
            "            if self._python_tree is None:\n"
            "                self._python_tree = build_tree(self)\n"
            "            return self._python_tree\n",
            language="cython",
            note="checked and set inside a critical section",
        ),
        Example(
            _HEADER + "cdef class Reader:\n    cdef bint closed\n\n"
            "    def __init__(self):\n        self.closed = False\n\n"
            "    def close(self):\n        self.closed = True\n\n"
            "    def is_closed(self):\n        return self.closed\n",
            language="cython",
            note="the flag is reported, not decided on: no method tests it to choose what to do",
        ),
    ]

    @classmethod
    def check(cls, unit):
        analysis = cython_analysis_of(unit)
        for event in analysis.events:
            if event.kind != "instance-state":
                continue
            yield cls.finding(
                f"{event.function}() {event.detail} without a lock; the instance is shared between "
                f"threads ({event.what})",
                event.location,
            )

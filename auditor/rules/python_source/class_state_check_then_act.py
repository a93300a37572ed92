"""FTP011: a test of class state followed by a change to the class, without a lock."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import PythonSourceRule


@register
class ClassStateCheckThenAct(PythonSourceRule):
    """A decision made on class state, then acted on, while other threads change it.

    A class object is one object for the whole process: caches, size limits and
    mode flags kept on it (``cls._recent``, ``Parser._packrat_enabled``) are read and
    written by every thread that uses the class. ``if len(cls._recent) > cls._limit:
    cls._recent.popitem()`` tests and changes in two steps, and a second thread's pop in
    between leaves this one popping from an empty cache; ``if Parser._other_mode: raise``
    followed by ``Parser._this_mode = True`` lets two threads each pass the test and
    switch on both of two modes that must exclude each other. Each finding names the test,
    the change and the run-time write that makes the tested attribute state.

    A registry a subclass copies on its first registration (``if 'handlers' not in
    cls.__dict__: cls.handlers = dict(cls.handlers)``) is the same: two
    threads registering on one class both copy, and the registration the first copy got
    is lost when the second copy replaces it.

    A test for a key followed by a read of it is a sequence too where some function
    removes entries (``if token in cls._cache: return cls._cache[token]``, and a
    ``cls._cache.clear()`` elsewhere): the entry can go between the two, and the read
    raises ``KeyError``. Both statements are reported, each naming the other.

    Lazy initialisation of one attribute (``if cls._x is None: cls._x = ...``) is FTP003.
    """

    code = "FTP011"
    name = "class-state-check-then-act"
    severity = Severity.WARNING
    summary = "class attribute tested, then the class changed, without a lock"
    fix = (
        "Take one class-level threading.Lock around the test and the change (and around every other "
        "change of the same attributes), or keep the state per instance."
    )
    references = ["https://py-free-threading.github.io/porting/"]
    invalid = [
        Example(
            "class Cached(type):\n    def __init__(cls, *args):\n        super().__init__(*args)\n"
            "        cls._cache = {}\n\n    def clear_instance_cache(cls):\n        cls._cache.clear()\n\n"
            "    def __call__(cls, key):\n        if key in cls._cache:\n            return cls._cache[key]\n"
            "        return super().__call__(key)\n",
            language="python",
            note="clear_instance_cache() can empty the cache between the test and the read",
        ),
        Example(
            "from collections import OrderedDict\n\nclass Recent(type):\n    def __init__(cls, *args):\n"
            "        super().__init__(*args)\n        cls._recent = OrderedDict()\n\n"
            "    def __call__(cls, key):\n        instance = super().__call__(key)\n"
            "        cls._recent[key] = instance\n        if len(cls._recent) > 8:\n"
            "            cls._recent.popitem(last=False)\n        return instance\n",
            language="python",
            note="the size test and the pop are two steps on the metaclass's per-class cache",
        ),
        Example(
            "class Engine:\n    _fast = False\n    _strict = False\n\n    @staticmethod\n"
            "    def enable_fast():\n        if Engine._strict:\n"
            "            raise RuntimeError('strict mode')\n"
            "        Engine._fast = True\n\n    @staticmethod\n    def enable_strict():\n"
            "        if Engine._fast:\n            raise RuntimeError('fast mode')\n"
            "        Engine._strict = True\n",
            language="python",
            note="two flags that exclude each other, each tested and then the other set",
        ),
        Example(
            "class Loader:\n    handlers = {}\n\n    @classmethod\n    def register(cls, tag, handler):\n"
            "        if 'handlers' not in cls.__dict__:\n            cls.handlers = dict(cls.handlers)\n"
            "        cls.handlers[tag] = handler\n",
            language="python",
            note="a subclass's own copy of an inherited registry, tested for and made in two steps",
        ),
    ]
    valid = [
        Example(
            "class Cached(type):\n    def __init__(cls, *args):\n        super().__init__(*args)\n"
            "        cls._cache = {}\n\n    def clear_instance_cache(cls):\n        cls._cache.clear()\n\n"
            "    def __call__(cls, key):\n        try:\n            return cls._cache[key]\n"
            "        except KeyError:\n            return super().__call__(key)\n",
            language="python",
            note="one lookup, no test before it",
        ),
        Example(
            "import threading\n\nclass Engine:\n    _lock = threading.Lock()\n    _fast = False\n"
            "    _strict = False\n\n    @classmethod\n    def enable_fast(cls):\n        with cls._lock:\n"
            "            if cls._strict:\n                raise RuntimeError('strict mode')\n"
            "            cls._fast = True\n",
            language="python",
            note="the test and the change under one lock",
        ),
        Example(
            "class Engine:\n    DEBUG = False\n    _calls = {}\n\n    @classmethod\n"
            "    def call(cls, name):\n"
            "        if cls.DEBUG:\n            cls._calls[name] = True\n",
            language="python",
            note="`DEBUG` is never changed at run time: a constant, not state",
        ),
        Example(
            "import threading\n\nclass Loader:\n    handlers = {}\n    _registering = threading.Lock()\n\n"
            "    @classmethod\n    def register(cls, tag, handler):\n        with cls._registering:\n"
            "            if 'handlers' not in cls.__dict__:\n"
            "                cls.handlers = dict(cls.handlers)\n"
            "            cls.handlers[tag] = handler\n",
            language="python",
            note="the copy-on-first-registration under the class's lock",
        ),
    ]

    @classmethod
    def check(cls, analysis):
        for event in analysis.events_of("class-check-then-act"):
            act = event.check_location
            yield cls.finding(
                f"{event.function}() tests `{event.name}` here and on line {act.line} {event.detail} "
                f"without a "
                f"lock: another thread can change the class between the two ({event.evidence})",
                event.location,
            )
        for event in analysis.events_of("class-act-after-check"):
            test = event.check_location
            yield cls.finding(
                f"{event.function}() {event.detail}; the test of `{event.name}` it follows is on line "
                f"{test.line}, and no lock covers the two: another thread can change the class in between "
                f"({event.evidence})",
                event.location,
            )

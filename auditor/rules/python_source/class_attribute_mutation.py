"""FTP004: a class-level mutable attribute mutated through the class or an instance."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import PythonSourceRule


@register
class ClassAttributeMutation(PythonSourceRule):
    """A list or dict in a class body is shared by the class and all its instances.

    ``self.items.append(x)`` on a class-level ``items = []`` mutates the one list every
    instance sees, from every thread that uses any instance: instance caches, registries
    and counters kept on the class race exactly like module globals, but look per-object
    to the reader. Not reported when the instance assigns its own ``self.attr`` (which
    shadows the class attribute) or when the mutation is under a lock.

    The class object itself is shared the same way: ``cls._count += 1`` in a
    classmethod loses increments, and flags set and removed on the class at run time
    (``cls.__complete__ = True``, ``delattr(cls, name)``, ``type(self).cache = ...``)
    are seen half-done by other threads. So is ``cls.x = ...`` in an ordinary class's
    ``__new__``, which runs on every instantiation (a metaclass's ``__new__`` sets the
    class it is making, and is left out). Class creation (``__init_subclass__``,
    ``__set_name__``) and lazy initialisation (FTP003) are left out.
    """

    code = "FTP004"
    name = "class-attribute-mutation"
    severity = Severity.WARNING
    summary = "class-level attribute mutated or rebound through the class or an instance without a lock"
    fix = (
        "Create the container per instance in __init__, or guard the class-level one with a class-level "
        "threading.Lock."
    )
    references = ["https://py-free-threading.github.io/porting/"]
    invalid = [
        Example(
            "class Bar:\n    interval = 10\n\n    def __new__(cls, *args):\n"
            "        instance = object.__new__(cls)\n        try:\n            start_monitor(cls.interval)\n"
            "        except OSError:\n            cls.interval = 0\n        return instance\n",
            language="python",
            note="__new__ runs on every instantiation: the one class object changes under other threads",
        ),
        Example(
            "class Resolver:\n    resolvers = {}\n\n    @classmethod\n"
            "    def add_resolver(cls, first, tag):\n"
            "        cls.resolvers.setdefault(first, []).append(tag)\n",
            language="python",
            note="the list inside the class's table is changed: every thread resolving reads it",
        ),
        Example(
            "class Plugin:\n    registry = {}\n\n    def register(self, name):\n"
            "        self.registry[name] = self\n",
            language="python",
        ),
        Example(
            "class Counter:\n    totals = []\n\n    @classmethod\n    def add(cls, value):\n"
            "        cls.totals.append(value)\n",
            language="python",
        ),
        Example(
            "class Names:\n    _count = 0\n\n    @classmethod\n    def next_id(cls):\n"
            "        cls._count += 1\n        return cls._count\n",
            language="python",
            note="a counter on the class: two threads can get the same id",
        ),
        Example(
            "class Model:\n    @classmethod\n    def finish(cls):\n        cls.__complete__ = True\n\n"
            "    @classmethod\n    def reset(cls):\n        delattr(cls, '__complete__')\n",
            language="python",
            note="a flag kept on the class, set and removed at run time",
        ),
        Example(
            "from collections import OrderedDict\n\nclass Interned(type):\n"
            "    def __init__(cls, *args):\n        super().__init__(*args)\n"
            "        cls._recent = OrderedDict()\n\n    def __call__(cls, name):\n"
            "        cls._recent[name] = cls._recent.pop(name, None) or super().__call__(name)\n"
            "        return cls._recent[name]\n",
            language="python",
            note="a metaclass gives each class its own cache, which every caller of the class shares",
        ),
    ]
    valid = [
        Example(
            "class Registered(type):\n    def __new__(mcs, name, bases, namespace):\n"
            "        cls = super().__new__(mcs, name, bases, namespace)\n        cls.registered = True\n"
            "        return cls\n",
            language="python",
            note="a metaclass's __new__ sets the class it is making",
        ),
        Example(
            "import threading\n\nclass Resolver:\n    resolvers = {}\n    _adding = threading.Lock()\n\n"
            "    @classmethod\n    def add_resolver(cls, first, tag):\n        with cls._adding:\n"
            "            cls.resolvers.setdefault(first, []).append(tag)\n",
            language="python",
            note="the change to the class's table under the class's lock",
        ),
        Example(
            "class Plugin:\n    registry = {}\n\n    def __init__(self):\n        self.registry = {}\n\n"
            "    def register(self, name):\n        self.registry[name] = self\n",
            language="python",
            note="the instance attribute shadows the class one",
        ),
        Example(
            "import threading\n\nclass Plugin:\n    _lock = threading.Lock()\n    registry = {}\n\n"
            "    def register(self, name):\n        with self._lock:\n"
            "            self.registry[name] = self\n",
            language="python",
        ),
        Example(
            "import threading\n\nclass Registry:\n    entries = {}\n\n    def __init__(self):\n"
            "        self._guard = threading.RLock()\n\n    def add(self, key, value):\n"
            "        with self._guard:\n            self.entries[key] = value\n",
            language="python",
            note="any attribute bound to a threading lock counts as a lock",
        ),
        Example(
            "from dataclasses import dataclass, field\n\n@dataclass\nclass Box:\n"
            "    items: list = field(default_factory=list)\n\n    def add(self, item):\n"
            "        self.items.append(item)\n",
            language="python",
            note="a per-instance field",
        ),
    ]

    @classmethod
    def check(cls, analysis):
        for event in analysis.events_of("class-state"):
            yield cls.finding(
                f"{event.function}() {event.detail} `{event.name}` without a lock: one class object serves "
                "every thread, so a flag or counter kept on it is shared state"
                + (" (a read-modify-write that loses updates)" if event.detail.startswith("updates") else ""),
                event.location,
            )
        reported = set()
        for event in analysis.events_of("class-attr-mutation"):
            if (event.name, event.location.line) in reported:
                continue  # `C.cache[k] = C.cache.pop(k, v)`: one statement, one finding
            reported.add((event.name, event.location.line))
            shared = event.evidence or "is shared by all instances"
            yield cls.finding(
                f"class attribute `{event.name}` {shared} and is mutated in {event.function}() "
                f"without a lock",
                event.location,
            )

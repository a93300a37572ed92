"""FTP003: check-then-act lazy initialisation of shared state."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import PythonSourceRule


@register
class CheckThenActInit(PythonSourceRule):
    """``if _x is None: _x = build()`` lets two threads both build.

    The test and the store are separate steps. Two threads that arrive together both
    see ``None`` (or a missing key), both run the initialiser and both store: work is
    done twice, objects that must be unique (a connection, a registry, a singleton
    instance) are not, and the second store silently replaces what the first thread
    already handed out. Also reported: ``if key not in _cache: _cache[key] = ...`` and
    ``if cls._instance is None: cls._instance = ...``.

    A lock taken only after the unlocked check, with no second check inside it
    (``if cls._instance is None: with cls._lock: cls._instance = cls()``), serialises
    the two stores but still lets both happen.

    ``functools.lru_cache`` / ``functools.cache`` are thread-safe and are the simplest
    fix for memoisation; ``ftaudit fix`` can add double-checked locking.
    """

    code = "FTP003"
    name = "check-then-act-init"
    severity = Severity.ERROR
    summary = "lazy initialisation by check-then-act on shared state without a lock"
    fix = (
        "Use functools.cache / lru_cache, initialise at import time, or take a module-level "
        "threading.Lock and check again inside it (double-checked locking; `ftaudit fix` does this)."
    )
    references = ["https://py-free-threading.github.io/porting/"]
    invalid = [
        Example(
            "_client = None\n\n\ndef get_client():\n    global _client\n    if _client is None:\n"
            "        _client = object()\n    return _client\n",
            language="python",
            expected_fix="import threading\n\n_client = None\n_client_lock = threading.Lock()\n\n\n"
            "def get_client():\n    global _client\n    if _client is None:\n"
            "        with _client_lock:\n            if _client is None:\n"
            "                _client = object()\n    return _client\n",
        ),
        Example(
            "_cache = {}\n\ndef lookup(key):\n    if key not in _cache:\n        _cache[key] = len(key)\n"
            "    return _cache[key]\n",
            language="python",
            expected_fix="import threading\n\n_cache = {}\n_cache_lock = threading.Lock()\n\n"
            "def lookup(key):\n    if key not in _cache:\n        with _cache_lock:\n"
            "            if key not in _cache:\n                _cache[key] = len(key)\n"
            "    return _cache[key]\n",
        ),
        Example(
            "class Service:\n    _instance = None\n\n    @classmethod\n    def instance(cls):\n"
            "        if cls._instance is None:\n            cls._instance = cls()\n"
            "        return cls._instance\n",
            language="python",
        ),
        Example(
            "import threading\n\nclass Service:\n    _instance = None\n    _lock = threading.Lock()\n\n"
            "    @classmethod\n    def instance(cls):\n        if cls._instance is None:\n"
            "            with cls._lock:\n                cls._instance = cls()\n"
            "        return cls._instance\n",
            language="python",
            note="locked, but nothing checks again under the lock",
        ),
        Example(
            "import threading\n\nclass Loop:\n    _instance = None\n    _lock = threading.Lock()\n\n"
            "    @classmethod\n    def instance(cls):\n        if cls._instance is None:\n"
            "            cls._lock.acquire()\n            try:\n                cls._instance = cls()\n"
            "            finally:\n                cls._lock.release()\n        return cls._instance\n",
            language="python",
            note="acquire() after the check, the store in a try: the same missing second check",
        ),
        Example(
            "class Singleton(type):\n    _instances: dict[type, object] = {}\n\n"
            "    def __call__(cls, *args, **kwargs):\n        if cls not in cls._instances:\n"
            "            cls._instances[cls] = super().__call__(*args, **kwargs)\n"
            "        return cls._instances[cls]\n",
            language="python",
            note="an annotated class-body dict of a plain class (no dataclass, no model base) is class state",
        ),
    ]
    valid = [
        Example(
            "import functools\n\n@functools.cache\ndef get_client():\n    return object()\n",
            language="python",
        ),
        Example(
            "import threading\n_lock = threading.Lock()\n_client = None\n\ndef get_client():\n"
            "    global _client\n    if _client is None:\n        with _lock:\n"
            "            if _client is None:\n                _client = object()\n    return _client\n",
            language="python",
        ),
        Example(
            "def local_only(value=None):\n    if value is None:\n        value = []\n    return value\n",
            language="python",
            note="a parameter, not shared state",
        ),
        Example(
            "from dataclasses import dataclass, field\n\n@dataclass\nclass Box:\n"
            "    items: dict = field(default_factory=dict)\n\n    def get(self, key):\n"
            "        if key not in self.items:\n            self.items[key] = len(key)\n"
            "        return self.items[key]\n",
            language="python",
            note="a dataclass field is per instance",
        ),
    ]

    @classmethod
    def check(cls, analysis):
        reported_checks = set()
        for event in analysis.events_of("lazy-init"):
            check = event.check_location
            checked_on = f" (checked on line {check.line})" if check else ""
            # The ast passes say how the store follows the check (a lock taken too late).
            late_lock = " " in event.detail
            how = f", which {event.detail}" if late_lock else " after an unlocked check that it is unset"
            yield cls.finding(
                f"`{event.name}` is set in {event.function}(){checked_on}{how}: two threads can both pass "
                "the check and both initialise it",
                event.location,
            )
            # The check is the other half of the race; report it once, naming the store.
            if check and (check.line, event.name) not in reported_checks:
                reported_checks.add((check.line, event.name))
                yield cls.finding(
                    f"`{event.name}` is checked here in {event.function}() and set on line "
                    f"{event.location.line} "
                    + (
                        "under a lock taken after this check, with no second check inside it"
                        if late_lock
                        else "without a lock"
                    )
                    + ": a second thread can pass this check before the first one's store",
                    check,
                )

"""FTP010: a test of a shared module container, then a read or a call that depends on it."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import PythonSourceRule


@register
class ModuleCheckThenUse(PythonSourceRule):
    """A test of a shared container is stale by the time the next statement runs.

    ``if key in _cache: return _cache[key]`` raises ``KeyError`` when another thread
    deletes the key between the two lines; ``if len(_cache) > MAX: _shrink()`` (or
    ``_shrink_cache(_cache)``, handing the container to a helper that changes it) lets two
    threads both shrink (or one shrink what the other just filled); ``entry =
    _index.get(name); if entry: return entry[0]`` reads an entry another thread is
    emptying; ``_cache.get(a) or _cache[b]`` reads the dict twice in one expression;
    ``if name in _stores: raise Exists(name)`` followed by ``_stores[name] = store`` lets
    two threads registering one name both pass the test and both insert.
    The same holds for a module-level instance whose methods change its fields: ``if n
    <= len(sieve._list): return sieve[n]`` tests a list another thread's ``sieve.extend()``
    is replacing.
    Each single operation is atomic in free-threaded CPython; the pair is not.

    Reported only for module-level containers that some function changes at run time,
    with both statements named; tests and reads under a lock, and import-time code, are
    not reported.
    """

    code = "FTP010"
    name = "module-check-then-use"
    severity = Severity.WARNING
    summary = "test of a shared module container, then a read or change relying on it, without a lock"
    fix = (
        "Do it in one operation (`value = _cache.get(key)` then test `value`), or hold one "
        "threading.Lock across the test and the use."
    )
    references = ["https://docs.python.org/3/howto/free-threading-python.html"]
    invalid = [
        Example(
            "_cache = {}\n\ndef get(key):\n    if key in _cache:\n        return _cache[key]\n"
            "    return None\n\ndef forget(key):\n    _cache.pop(key, None)\n",
            language="python",
        ),
        Example(
            "_cache = {}\nMAX = 100\n\ndef put(key, value):\n    if len(_cache) > MAX:\n        _shrink()\n"
            "    _cache[key] = value\n\ndef _shrink():\n    _cache.clear()\n",
            language="python",
            note="check-then-call: the helper changes the container the test looked at",
        ),
        Example(
            "from ._core import _shrink_cache\n\n_cache = {}\n\ndef compile(key):\n"
            "    if len(_cache) >= 500:\n        _shrink_cache(_cache)\n    _cache[key] = object()\n",
            language="python",
            note="the container is handed to a helper whose name says it shrinks it",
        ),
        Example(
            "class Sieve:\n    def __init__(self):\n        self._list = [2, 3, 5]\n\n"
            "    def extend(self, n):\n        self._list += [n]\n\n"
            "    def __getitem__(self, i):\n        return self._list[i - 1]\n\nsieve = Sieve()\n\n"
            "def prime(n):\n    if n <= len(sieve._list):\n        return sieve[n]\n"
            "    sieve.extend(n)\n    return sieve[n]\n",
            language="python",
            note="a test of a module-level instance's field, then a use of the instance",
        ),
        Example(
            "from collections import defaultdict\n\n_waiting = defaultdict(list)\n\n"
            "def when_ready(key, callback):\n    _waiting[key].append(callback)\n\n"
            "def mark_ready(key):\n    pending = _waiting[key]\n    for callback in pending:\n"
            "        callback()\n    pending.clear()\n\ndef forget(key):\n    _waiting.pop(key, None)\n",
            language="python",
            note="an entry read into a local, run, then cleared: an append in between is lost",
        ),
        Example(
            "_stores = {}\n\ndef register(store, exist_ok=False):\n"
            "    if store.name in _stores and not exist_ok:\n        raise ValueError(store.name)\n"
            "    _stores[store.name] = store\n\ndef unregister(name):\n    _stores.pop(name, None)\n",
            language="python",
            note="the early exit is the check, the insert after it the act",
        ),
    ]
    valid = [
        Example(
            "import threading\n_lock = threading.Lock()\n_stores = {}\n\n"
            "def register(store):\n    with _lock:\n        if store.name in _stores:\n"
            "            raise ValueError(store.name)\n        _stores[store.name] = store\n",
            language="python",
            note="test and insert under one lock",
        ),
        Example(
            "_cache = {}\n\ndef get(key):\n    return _cache.get(key)\n\n"
            "def forget(key):\n    _cache.pop(key, None)\n",
            language="python",
            note="one lookup, nothing to go stale",
        ),
        Example(
            "import threading\n_lock = threading.Lock()\n_cache = {}\n\ndef get(key):\n    with _lock:\n"
            "        if key in _cache:\n            return _cache[key]\n    return None\n\n"
            "def forget(key):\n    with _lock:\n        _cache.pop(key, None)\n",
            language="python",
        ),
        Example(
            "_TABLE = {'a': 1}\n\ndef get(key):\n    if key in _TABLE:\n"
            "        return _TABLE[key]\n    return None\n",
            language="python",
            note="nothing changes the table after import",
        ),
        Example(
            "import threading\nfrom collections import defaultdict\n\n_lock = threading.Lock()\n"
            "_waiting = defaultdict(list)\n\ndef when_ready(key, callback):\n    with _lock:\n"
            "        _waiting[key].append(callback)\n\ndef mark_ready(key):\n    with _lock:\n"
            "        pending = _waiting.pop(key, [])\n    for callback in pending:\n        callback()\n",
            language="python",
            note="the entry is taken out whole under the lock",
        ),
    ]

    @classmethod
    def check(cls, analysis):
        for event in [*analysis.events_of("check-then-use"), *analysis.events_of("double-read")]:
            yield cls.finding(
                f"{event.function}() {event.detail}, without a lock: module-level `{event.name}` is changed "
                "by other functions at run time",
                event.location,
            )

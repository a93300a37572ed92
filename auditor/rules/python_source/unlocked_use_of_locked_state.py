"""FTP012: state the code guards with a lock in one place and changes without it in another."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import PythonSourceRule


@register
class UnlockedUseOfLockedState(PythonSourceRule):
    """A lock protects only if every thread takes it: one unlocked write undoes it.

    ``with self._lock:`` around ``self._live`` in one method says that other threads use
    ``self._live``; a second method that rebinds or mutates it without the lock can do
    so in the middle of the first one's locked section, which then acts on a value it
    never saw. The same for what a decorator's closure shares between the functions it
    makes: ``with lock: cache[key] = result`` in the wrapper, and an unlocked
    ``cache.clear()`` (or a read of ``cache`` or its counters) in the ``cache_clear`` /
    ``cache_info`` handed out beside it, which every caller of the decorated function
    reaches. Each finding names the unlocked statement, the locked use and the lock.

    A field used as a stack (``self._hooks.append(h)`` in one method, ``self._hooks.pop()``
    in another) of a class that takes a lock elsewhere is reported too: the lock says the
    instance is shared, and one thread's ``pop()`` can remove the entry another pushed.

    So is a bare call of a private helper that changes the instance where another call
    site holds a lock around it (``with self._state_lock: self._housekeeping()`` in one
    method, ``self._housekeeping()`` on an ``except`` path of another): the locked site is
    the class's word that the helper's writes need the lock. A call under another lock,
    or a helper that takes the lock itself, is left alone.

    So is a test made before the lock of a field that the method it then calls sets under
    the lock (``if not hasattr(self, '_conn'): self.reconnect()``, ``reconnect()`` taking
    ``self._reconnect_lock``): two threads both find it unset and both set it. The fix
    repeats the test once the lock is held.

    The locked side is reported too where the unlocked writer is class-level or
    module-level state (which no instance lock covers): ``for n in Logger._enabled:``
    under ``Logger._lock`` while ``_log()`` stores ``Logger._enabled[name]`` without it.
    The locked loop then fails with "dictionary changed size during iteration"; the
    finding names the loop, the writer and its line.

    Not reported: construction (``__init__`` and what only it calls), private helpers
    that every caller calls with the lock held, and ``async with`` locks (they order
    coroutines on one event loop, not threads).
    """

    code = "FTP012"
    name = "unlocked-use-of-locked-state"
    severity = Severity.WARNING
    summary = "state used under a lock in one place and changed (or read, in a closure) without it in another"
    fix = "Take the same lock around this statement too, or make the state immutable and swap it whole."
    references = ["https://py-free-threading.github.io/porting/"]
    invalid = [
        Example(
            "import threading\n\nclass Connection:\n    def __init__(self, url):\n        self._url = url\n"
            "        self._connect_lock = threading.Lock()\n\n    def connect(self):\n"
            "        self._connect_lock.acquire()\n        try:\n"
            "            self._sock = open_socket(self._url)\n"
            "        finally:\n            self._connect_lock.release()\n\n    def send(self, data):\n"
            "        if not hasattr(self, '_sock'):\n            self.connect()\n"
            "        self._sock.send(data)\n",
            language="python",
            note="the test runs before connect() takes the lock: two senders both connect",
        ),
        Example(
            "import threading\n\nclass Console:\n    def __init__(self):\n"
            "        self._lock = threading.RLock()\n        self._live = None\n        self._hooks = []\n\n"
            "    def set_live(self, live):\n        with self._lock:\n            self._live = live\n\n"
            "    def push_hook(self, hook):\n        self._hooks.append(hook)\n\n"
            "    def pop_hook(self):\n        self._hooks.pop()\n",
            language="python",
            note="a stack on an instance the class itself locks: pops can take another thread's entry",
        ),
        Example(
            "import threading\n\nclass Display:\n    def __init__(self):\n"
            "        self._lock = threading.RLock()\n"
            "        self._live = None\n\n    def set_live(self, live):\n        with self._lock:\n"
            "            if self._live is not None:\n                raise RuntimeError('already live')\n"
            "            self._live = live\n\n    def reset(self):\n        self._live = None\n",
            language="python",
            note="reset() can run inside set_live()'s locked test-and-set",
        ),
        Example(
            "import threading\n\ndef memoize_method(method):\n    cache = {}\n    lock = threading.Lock()\n\n"
            "    def wrapper(self, *args):\n        key = (self.name, args)\n        with lock:\n"
            "            if key in cache:\n                return cache[key]\n"
            "        result = method(self, *args)\n        with lock:\n"
            "            cache[key] = result\n        return result\n\n    def clear():\n"
            "        cache.clear()\n\n    wrapper.clear = clear\n    return wrapper\n\n\n"
            "class Catalog:\n    name = 'parts'\n\n    @memoize_method\n    def lookup(self, key):\n"
            "        return key.upper()\n",
            language="python",
            note="every call of every decorated method shares `cache`; clear() skips the lock",
        ),
        Example(
            "import threading\n\nclass Registry:\n    _enabled = {}\n    _lock = threading.Lock()\n\n"
            "    def enable_all(self, status):\n        with Registry._lock:\n"
            "            for name in Registry._enabled:\n                Registry._enabled[name] = status\n\n"
            "    def is_enabled(self, name):\n        try:\n            return Registry._enabled[name]\n"
            "        except KeyError:\n            Registry._enabled[name] = True\n            return True\n",
            language="python",
            note="the loop holds the lock; the insert that resizes the dict under it does not",
        ),
        Example(
            "import threading\n\nclass Connection:\n    def __init__(self):\n"
            "        self._state_lock = threading.Lock()\n"
            "        self._state = 'idle'\n        self._count = 0\n\n"
            "    def request(self, sem):\n        try:\n            sem.acquire()\n"
            "        except BaseException:\n            self._housekeeping()\n            raise\n\n"
            "    def closed(self):\n        with self._state_lock:\n            self._count -= 1\n"
            "            self._housekeeping()\n\n"
            "    def _housekeeping(self):\n        if self._count == 0:\n            self._state = 'idle'\n",
            language="python",
            note="closed() holds the lock around the housekeeping; the except path does not",
        ),
    ]
    valid = [
        Example(
            "import threading\n\nclass Connection:\n    def __init__(self):\n"
            "        self._state_lock = threading.Lock()\n\n"
            "    def request(self):\n        self._housekeeping()\n\n"
            "    def closed(self):\n        with self._state_lock:\n            self._housekeeping()\n\n"
            "    def _housekeeping(self):\n        with self._state_lock:\n"
            "            self._state = 'idle'\n",
            language="python",
            note="the helper takes the lock itself",
        ),
        Example(
            "import threading\n\nclass Registry:\n    _enabled = {}\n    _lock = threading.Lock()\n\n"
            "    def enable_all(self, status):\n        with Registry._lock:\n"
            "            for name in Registry._enabled:\n                Registry._enabled[name] = status\n\n"
            "    def is_enabled(self, name):\n        with Registry._lock:\n"
            "            return Registry._enabled.setdefault(name, True)\n",
            language="python",
            note="every change to the class's dict takes the lock",
        ),
        Example(
            "import threading\n\nclass Connection:\n    def __init__(self, url):\n        self._url = url\n"
            "        self._sock = None\n        self._connect_lock = threading.Lock()\n\n"
            "    def _connect(self):\n        with self._connect_lock:\n            if self._sock is None:\n"
            "                self._sock = open_socket(self._url)\n\n    def send(self, data):\n"
            "        self._connect()\n        self._sock.send(data)\n",
            language="python",
            note="the test is repeated under the lock",
        ),
        Example(
            "import threading\n\nclass Console:\n    def __init__(self):\n"
            "        self._lock = threading.RLock()\n        self._hooks = []\n\n"
            "    def push_hook(self, hook):\n        with self._lock:\n"
            "            self._hooks.append(hook)\n\n"
            "    def pop_hook(self):\n        with self._lock:\n            self._hooks.pop()\n",
            language="python",
            note="both ends of the stack under the lock",
        ),
        Example(
            "import threading\n\nclass Display:\n    def __init__(self):\n"
            "        self._lock = threading.RLock()\n"
            "        self._live = None\n\n    def set_live(self, live):\n        with self._lock:\n"
            "            self._live = live\n\n    def reset(self):\n        with self._lock:\n"
            "            self._live = None\n",
            language="python",
        ),
        Example(
            "import threading\n\nclass Display:\n    def __init__(self):\n"
            "        self._lock = threading.RLock()\n"
            "        self._live = None\n        self._reset()\n\n    def _reset(self):\n"
            "        self._live = None\n\n"
            "    def set_live(self, live):\n        with self._lock:\n            self._live = live\n",
            language="python",
            note="_reset() runs only from __init__, before any other thread has the object",
        ),
        Example(
            "import asyncio\n\nclass Feed:\n    def __init__(self):\n        self._lock = asyncio.Lock()\n"
            "        self._items = []\n\n    async def add(self, item):\n        async with self._lock:\n"
            "            self._items.append(item)\n\n    def clear(self):\n        self._items.clear()\n",
            language="python",
            note="an asyncio lock orders coroutines of one loop, not threads",
        ),
    ]

    @classmethod
    def check(cls, analysis):
        reported = set()
        for event in analysis.events_of("lock-discipline"):
            if event.location.line in reported:
                continue  # `return Info(count[0], cache.size)`: one statement, one finding
            reported.add(event.location.line)
            yield cls.finding(
                f"{event.function}() {event.detail}, while {event.evidence}; another thread can be "
                f"inside that "
                "locked section as this statement runs",
                event.location,
            )
        for event in analysis.events_of("locked-iteration"):
            if event.location.line in reported:
                continue
            reported.add(event.location.line)
            yield cls.finding(
                f"{event.function}() {event.detail}, while {event.evidence}: the loop can fail with "
                "'changed size during iteration' or skip entries",
                event.location,
            )
        for event in analysis.events_of("shared-stack"):
            yield cls.finding(f"{event.function}() {event.detail} ({event.evidence})", event.location)

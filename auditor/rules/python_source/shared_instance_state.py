"""FTP008: check-then-act on the state of an instance the code shows to be shared."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import PythonSourceRule


@register
class SharedInstanceState(PythonSourceRule):
    """One object used by several threads races on its own attributes like a global does.

    ``if name in self._in_progress: return`` followed by ``self._in_progress[name] =
    True`` is a check and an insert that another thread can split: both threads pass
    the check and both go on. The same holds for a free-list popped after ``index =
    self.freelist; if index is None: ...``, a flag tested and then set
    (``if self._active: ... else: self._active = True``), ``try: self._by_name[k] /
    except KeyError: self._by_name[k] = make()`` and ``self.count += 1``. A snapshot
    counts as the check: ``n = len(self._list); if b > n: self._list += more`` decides
    on a length another thread is changing. So do two reads in one statement:
    ``self._list[bisect(self._list, a):]`` over a field another method rebinds can
    index one list with a position found in another, and ``k in self._idx and
    self._idx[k]`` can find the key and then miss it. So do a loop over a container
    that another method fills (``for tid, t in self._cache.items():``, or
    ``list(self._subs.values())``, which copies entry by entry; ``.copy()`` is one
    snapshot) and an index after a test (``if not len(self._keep): break`` then
    ``self._keep[0]``) where another method removes entries. Sequences over the instance's
    containers as a whole count too: two containers kept in step and changed one
    after the other (``del self._map[k]; self._order.remove(k)``: in between they
    disagree), and ``if key in self: return self[key]`` on a class whose
    ``__contains__``/``__getitem__`` read those containers.

    Most objects never leave their thread, so this is reported only where the code
    shows the instance is shared, and the finding says how: a module-level instance,
    a class that takes a lock in some methods, an instance put in ``sys.meta_path`` or
    handed to a thread, a weakref callback that writes ``self`` (it runs on whichever
    thread drops the last reference), instances kept in a module-level container, a
    class that keeps its own process-wide instance (``cls._instance = cls()``), a bound
    method handed to a thread or an executor (``pool.submit(self.handle, c)``,
    ``fut.add_done_callback(self.finish)``: only the fields that thread and the other
    methods both use), or a
    registry, cache, client or pool class, or the manager of one (``PoolManager``: one
    instance serves every caller). A module that starts threads itself
    (``threading.Thread(...)``, a ``Thread`` subclass, ``ThreadPoolExecutor(...)``,
    ``threading.local()``) is evidence for its classes that give no account of their own:
    none takes a lock or hands a method to a thread, and none is bound to an event loop
    (coroutine methods or a ``self._loop``), which would tie it to the loop's thread.
    Writes inside ``with lock:`` and construction (``__init__`` and helpers only it
    calls) are not reported.
    """

    code = "FTP008"
    name = "shared-instance-state"
    severity = Severity.WARNING
    summary = "check-then-act or read-modify-write on the attributes of an instance shared between threads"
    fix = (
        "Give the class one threading.Lock (created in __init__) and hold it across the check and the "
        "update; or keep the state per thread (threading.local) or per call."
    )
    references = ["https://py-free-threading.github.io/porting/"]
    invalid = [
        Example(
            "class PoolManager:\n    def __init__(self):\n        self.pools = {}\n\n"
            "    def connection_from_host(self, host, port):\n        key = (host, port)\n"
            "        pool = self.pools.get(key)\n        if pool:\n            return pool\n"
            "        pool = make_pool(host, port)\n        self.pools[key] = pool\n        return pool\n",
            language="python",
            note="a manager of pools serves every caller: two misses make two pools, one leaked",
        ),
        Example(
            "import sys\nimport threading\n\nclass LineTracer:\n    def __init__(self, tool):\n"
            "        self.tool = tool\n        self.lock = threading.Lock()\n        self.running = False\n\n"
            "    def start(self):\n        events = sys.monitoring.events\n"
            "        sys.monitoring.register_callback(self.tool, events.LINE, self.on_line)\n"
            "        self.running = True\n\n    def stop(self):\n        if not self.running:\n"
            "            return\n        sys.monitoring.free_tool_id(self.tool)\n"
            "        self.running = False\n\n"
            "    def on_line(self, code, line):\n        with self.lock:\n            return None\n",
            language="python",
            note="a method handed to sys.monitoring is called from every thread, so the tracer is shared",
        ),
        Example(
            "import sys\n\nclass Finder:\n    def __init__(self):\n        self.in_progress = {}\n\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name in self.in_progress:\n            return None\n"
            "        self.in_progress[name] = True\n        try:\n            return None\n"
            "        finally:\n            del self.in_progress[name]\n\n"
            "def install():\n    sys.meta_path.insert(0, Finder())\n",
            language="python",
            note="every importing thread calls the one finder in sys.meta_path",
        ),
        Example(
            "from weakref import ref\n\nclass Refs:\n    def __init__(self):\n        self.data = []\n"
            "        self.freelist = None\n\n    def build(self, obj):\n        def remove(key):\n"
            "            self.data[index] = self.freelist\n            self.freelist = index\n\n"
            "        key = ref(obj, remove)\n        index = self.freelist\n        if index is None:\n"
            "            index = len(self.data)\n            self.data.append(key)\n        else:\n"
            "            self.freelist = self.data[index]\n            self.data[index] = key\n",
            language="python",
            note="the weakref callback runs on whichever thread drops the last reference",
        ),
        Example(
            "_cache = {}\n\nclass Process:\n    def __init__(self, pid):\n        self.pid = pid\n"
            "        self._busy = False\n\n    def oneshot(self):\n        if self._busy:\n"
            "            return\n        self._busy = True\n\n"
            "def get(pid):\n    proc = Process(pid)\n    _cache[pid] = proc\n    return proc\n",
            language="python",
            note="instances kept in a module-level dict are handed to every caller",
        ),
        Example(
            "class Sieve:\n    def __init__(self):\n        self._list = [2, 3]\n\n"
            "    def extend(self, n):\n        last = self._list[-1]\n        if n <= last:\n"
            "            return\n        self._list += list(range(last + 1, n + 1))\n\n"
            "    def upto(self, b):\n        return self._list[:self._list.index(b)]\n\n"
            "sieve = Sieve()\n",
            language="python",
            note="a snapshot of the list decides the update; two reads of a rebound field in one statement",
        ),
        Example(
            "class IndexClient:\n    def __init__(self):\n        self._cache = {}\n\n"
            "    def cached(self, db, name):\n"
            "        return db in self._cache and name in self._cache[db]\n\n"
            "    def purge(self, db):\n        self._cache.pop(db, None)\n",
            language="python",
            note="one client object serves every caller; the key can go between the test and the index",
        ),
        Example(
            "class Context:\n    _instance = None\n\n"
            "    def __init__(self):\n        self._sockets = set()\n\n"
            "    @classmethod\n    def instance(cls):\n        if cls._instance is None:\n"
            "            cls._instance = cls()\n        return cls._instance\n\n"
            "    def forget(self, socket):\n        if self._sockets:\n"
            "            self._sockets.discard(socket)\n",
            language="python",
            note="instance() hands one process-wide Context to every caller",
        ),
        Example(
            "from collections import deque\n\nclass RecentCache:\n"
            "    def __init__(self):\n        self._map = {}\n        self._order = deque()\n\n"
            "    def __contains__(self, key):\n        return key in self._map\n\n"
            "    def __getitem__(self, key):\n        return self._map[key]\n\n"
            "    def get(self, key, default=None):\n        if key in self:\n            return self[key]\n"
            "        return default\n\n"
            "    def forget(self, key):\n        del self._map[key]\n        self._order.remove(key)\n",
            language="python",
            note="a cache class: the protocol check-then-read, and two containers kept in step",
        ),
        Example(
            "import threading\n\nclass TraceCache:\n    def __init__(self):\n        self._cache = {}\n\n"
            "    def save(self, trace):\n        self._cache[threading.get_ident()] = trace\n\n"
            "    def active(self):\n        return [t for t in self._cache.values() if t.active]\n\n"
            "_trace_cache = TraceCache()\n",
            language="python",
            note="every thread's save() adds while active() walks the dict",
        ),
        Example(
            "from collections import deque\n\nclass Worker:\n    def __init__(self, pool):\n"
            "        self.pool = pool\n        self._keep = deque()\n\n"
            "    def serve(self, conn):\n        fut = self.pool.submit(self.handle, conn)\n"
            "        fut.add_done_callback(self.finish)\n\n"
            "    def handle(self, conn):\n        return conn\n\n"
            "    def finish(self, fut):\n        self._keep.remove(fut.result())\n\n"
            "    def oldest(self):\n        if not len(self._keep):\n            return None\n"
            "        first = self._keep[0]\n        return first\n",
            language="python",
            note="the done callback runs on the pool's thread and can empty the deque after the test",
        ),
        Example(
            "import threading\n\nclass Session:\n    def __init__(self):\n        self.nonce_count = 0\n"
            "        self.last_nonce = ''\n\n    def header(self, nonce):\n"
            "        if nonce == self.last_nonce:\n            self.nonce_count += 1\n        else:\n"
            "            self.nonce_count = 1\n        self.last_nonce = nonce\n\n"
            "def serve_forever(session, handle):\n"
            "    threading.Thread(target=handle, args=(session,)).start()\n",
            language="python",
            note="the module starts threads and the session says nothing of its own about them",
        ),
    ]
    valid = [
        Example(
            "import threading\n\nclass Session:\n    def __init__(self):\n        self.nonce_count = 0\n\n"
            "    def header(self):\n        self.nonce_count += 1\n\n_registry_lock = threading.Lock()\n",
            language="python",
            note="a module that only makes a lock has put it where its author meant: no thread is started",
        ),
        Example(
            "import threading\n\nclass Transport:\n    def __init__(self, loop):\n"
            "        self._loop = loop\n        self._paused = False\n\n    def resume(self):\n"
            "        if self._paused:\n            self._paused = False\n"
            "            self._loop.call_soon(print)\n\n"
            "def watch():\n    threading.Thread(target=print).start()\n",
            language="python",
            note="a class that keeps an event loop runs on that loop's thread",
        ),
        Example(
            "import threading\n\nclass TraceCache:\n    def __init__(self):\n        self._cache = {}\n\n"
            "    def save(self, trace):\n        self._cache[threading.get_ident()] = trace\n\n"
            "    def active(self):\n        return [t for t in self._cache.copy().values() if t.active]\n\n"
            "_trace_cache = TraceCache()\n",
            language="python",
            note="dict.copy() takes one snapshot under the dict's lock",
        ),
        Example(
            "import threading\n\nclass Poller:\n    def open(self):\n"
            "        threading.Thread(target=self._run).start()\n\n    def _run(self):\n"
            "        if self._ticks is None:\n            self._ticks = 0\n",
            language="python",
            note="only the thread's own method uses the field: one thread at a time",
        ),
        Example(
            "import sys\nimport threading\n\nclass LineTracer:\n    def __init__(self):\n"
            "        self.lock = threading.Lock()\n        self.running = False\n\n"
            "    def start(self):\n        sys.settrace(self.on_line)\n        self.running = True\n\n"
            "    def stop(self):\n        if not self.running:\n            return\n"
            "        sys.settrace(None)\n        self.running = False\n\n"
            "    def on_line(self, frame, event, arg):\n        with self.lock:\n            return None\n",
            language="python",
            note="sys.settrace sets the calling thread's hook only: no evidence of sharing",
        ),
        Example(
            "import threading\nfrom collections import deque\n\nclass RecentCache:\n"
            "    def __init__(self):\n        self._map = {}\n        self._order = deque()\n"
            "        self._lock = threading.Lock()\n\n"
            "    def forget(self, key):\n        with self._lock:\n            del self._map[key]\n"
            "            self._order.remove(key)\n",
            language="python",
            note="both containers change under one lock",
        ),
        Example(
            "class Seen:\n    def __init__(self):\n        self.names = {}\n\n    def add(self, name):\n"
            "        if name not in self.names:\n            self.names[name] = True\n",
            language="python",
            note="nothing shows that one instance is used by several threads",
        ),
        Example(
            "import sys\nimport threading\n\nclass Finder:\n    def __init__(self):\n"
            "        self.in_progress = {}\n        self._lock = threading.Lock()\n\n"
            "    def find_spec(self, name, path=None, target=None):\n        with self._lock:\n"
            "            if name in self.in_progress:\n                return None\n"
            "            self.in_progress[name] = True\n        return None\n\n"
            "sys.meta_path.insert(0, Finder())\n",
            language="python",
            note="the check and the insert are under one lock",
        ),
        Example(
            "class Sieve:\n    def __init__(self, n):\n        self._list = list(range(n))\n\n"
            "    def upto(self, b):\n        return self._list[:self._list.index(b)]\n\n"
            "sieve = Sieve(10)\n",
            language="python",
            note="only construction writes the field: both reads see the same list",
        ),
    ]

    @classmethod
    def check(cls, analysis):
        for event in analysis.events_of("instance-race"):
            class_name = event.name.split(".")[0]
            yield cls.finding(
                f"{event.function}() {event.detail} without a lock; the {class_name} instance is shared "
                f"between threads ({event.evidence})",
                event.location,
            )

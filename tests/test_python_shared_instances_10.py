"""Races on instances the code shows to be shared, found in session 9's misses: a helper
called under a lock at one site and bare at another (FTP012), loops over and checked
indexing into a shared instance's containers (FTP008), and a bound method handed to a
thread or an executor as the evidence of sharing. Each with the shapes next to it that
are fine."""

from __future__ import annotations

from auditor.engine.source_checks import check_bytes


def _findings(code: str, rule: str | None = None):
    outcome = check_bytes("module.py", code.encode(), "python")
    assert outcome.problem is None, outcome.problem
    return [
        (finding.rule, finding.location.line, finding.message)
        for finding in outcome.findings
        if rule is None or finding.rule == rule
    ]


# httpcore's HTTP2Connection: the exception path runs the housekeeping without the lock
# that _response_closed() takes around it.
HOUSEKEEPING = """\
import threading


class Connection:
    def __init__(self):
        self._state_lock = threading.Lock()
        self._state = "idle"
        self._count = 0

    def request(self, sem):
        try:
            sem.acquire()
        except BaseException:
            self._housekeeping()
            raise

    def closed(self):
        with self._state_lock:
            self._count -= 1
            self._housekeeping()

    def _housekeeping(self):
        if self._count == 0:
            self._state = "idle"
"""


def test_helper_called_bare_where_another_site_holds_the_lock():
    found = _findings(HOUSEKEEPING, "FTP012")
    assert [line for _, line, _ in found] == [14]
    message = found[0][2]
    assert "calls `self._housekeeping()`, which changes `self._state`, holding no lock" in message
    assert "closed() calls `self._housekeeping()` under `self._state_lock` (line 20)" in message


def test_helper_called_under_the_lock_everywhere_is_quiet():
    code = HOUSEKEEPING.replace(
        "        except BaseException:\n            self._housekeeping()",
        "        except BaseException:\n            with self._state_lock:\n"
        "                self._housekeeping()",
    )
    assert _findings(code, "FTP012") == []


def test_helper_that_takes_the_lock_itself_is_quiet():
    code = HOUSEKEEPING.replace(
        '    def _housekeeping(self):\n        if self._count == 0:\n            self._state = "idle"\n',
        '    def _housekeeping(self):\n        with self._state_lock:\n            self._state = "idle"\n',
    )
    assert _findings(code, "FTP012") == []


# newrelic's TraceCache: one process-wide instance, keyed by thread, iterated live.
TRACE_CACHE = """\
import threading


class TraceCache:
    def __init__(self):
        self._cache = {}

    def save(self, trace):
        self._cache[threading.get_ident()] = trace

    def active_threads(self):
        for thread_id, trace in self._cache.items():
            yield thread_id, trace

    def snapshot(self):
        return list(self._cache.values())


_trace_cache = TraceCache()
"""


def test_loop_over_a_shared_instance_container_another_method_fills():
    found = _findings(TRACE_CACHE, "FTP008")
    lines = [line for _, line, _ in found]
    assert lines == [12, 16]
    assert "iterates over `self._cache` entry by entry while line 9 changes it in place" in found[0][2]
    assert "module-level `_trace_cache` (line 19)" in found[0][2]


def test_a_copy_is_one_snapshot_and_an_unshared_class_is_quiet():
    copied = TRACE_CACHE.replace("list(self._cache.values())", "self._cache.copy()").replace(
        "self._cache.items()", "self._cache.copy().items()"
    )
    assert _findings(copied, "FTP008") == []
    unshared = TRACE_CACHE.replace("\n\n_trace_cache = TraceCache()\n", "\n")
    assert _findings(unshared.replace("class TraceCache", "class Traces"), "FTP008") == []


def test_returning_a_lazy_iterator_is_not_a_loop():
    code = TRACE_CACHE.replace("return list(self._cache.values())", "return iter(self._cache)")
    assert [line for _, line, _ in _findings(code, "FTP008")] == [12]


# gunicorn's ThreadWorker: the pool runs self.handle on worker threads, whose done
# callback removes from the keep-alive deque the main loop checks and then indexes.
KEEPALIVE = """\
from collections import deque


class Worker:
    def __init__(self, pool):
        self.tpool = pool
        self._keep = deque()

    def handle_client(self, conn):
        fs = self.tpool.submit(self.handle, conn)
        fs.add_done_callback(self.finish)

    def handle(self, conn):
        return conn

    def finish(self, fs):
        conn = fs.result()
        if conn.keepalive:
            self._keep.append(conn)
        else:
            self._keep.remove(conn)

    def murder(self, now):
        while True:
            if not len(self._keep):
                break
            delta = self._keep[0].timeout - now
            if delta > 0:
                break
            self._keep.popleft()
"""


def test_check_then_index_on_a_deque_a_worker_thread_empties():
    found = _findings(KEEPALIVE, "FTP008")
    by_line = {line: message for _, line, message in found}
    assert 25 in by_line and 27 in by_line
    assert "checks `self._keep`, and on line 27 indexes" in by_line[25]
    assert (
        "hands `self.handle` to `self.tpool.submit` (line 10), which runs it on another thread" in by_line[25]
    )


def test_a_field_only_the_thread_uses_is_not_shared_by_the_hand_off():
    code = """\
import threading


class Poller:
    def __init__(self):
        self._stopped = False

    def open(self):
        threading.Thread(target=self._run).start()

    def _run(self):
        if self._ticks is None:
            self._ticks = 0
        self._ticks += 1
"""
    assert _findings(code, "FTP008") == []


def test_a_field_the_thread_checks_and_another_method_sets_is_shared():
    code = """\
import threading


class Poller:
    def __init__(self):
        self._stopped = False

    def open(self):
        self._stopped = False
        threading.Thread(target=self._run).start()

    def _run(self):
        if self._stopped:
            self._stopped = False
"""
    found = _findings(code, "FTP008")
    assert [line for _, line, _ in found] == [13, 14]
    assert "that thread and the other methods both use `self._stopped`" in found[0][2]


def test_indexing_without_any_removal_elsewhere_is_quiet():
    code = KEEPALIVE.replace("            self._keep.remove(conn)\n", "            pass\n").replace(
        "            self._keep.popleft()\n", "            break\n"
    )
    assert [line for _, line, _ in _findings(code, "FTP008") if line in (25, 27)] == []


def test_an_asyncio_done_callback_alone_is_no_thread():
    code = """\
class Protocol:
    def __init__(self):
        self.closed = False

    def ping(self, future):
        future.add_done_callback(self._on_pong)

    def _on_pong(self, future):
        self.closed = False

    def close(self):
        if not self.closed:
            self.closed = True
"""
    assert _findings(code, "FTP008") == []


def test_a_loop_over_a_field_the_class_locks_elsewhere_is_left_to_ftp012():
    code = """\
import threading


class LRUCache:
    def __init__(self):
        self._lock = threading.Lock()
        self._queue = []

    def add(self, key):
        with self._lock:
            self._queue.append(key)

    def keys(self):
        return [key for key in self._queue]
"""
    found = _findings(code)
    assert [(rule, line) for rule, line, _ in found] == [("FTP012", 14)]


# proxystore's register_store(): an early exit on the name, then the insert.
REGISTER = """\
_stores = {}


def register_store(store, exist_ok=False):
    if store.name in _stores and not exist_ok:
        raise ValueError(store.name)
    _stores[store.name] = store


def unregister_store(name):
    _stores.pop(name, None)
"""


def test_early_exit_test_then_insert_on_a_module_dict():
    found = _findings(REGISTER, "FTP010")
    assert [line for _, line, _ in found] == [5, 7]
    assert "tests `_stores` and then, on line 7, inserts into `_stores`" in found[0][2]


def test_early_exit_then_insert_at_import_time_or_under_a_lock_is_quiet():
    locked = REGISTER.replace(
        "_stores = {}\n", "import threading\n_lock = threading.Lock()\n_stores = {}\n"
    ).replace(
        "    if store.name in _stores and not exist_ok:\n        raise ValueError(store.name)\n"
        "    _stores[store.name] = store\n",
        "    with _lock:\n        if store.name in _stores and not exist_ok:\n"
        "            raise ValueError(store.name)\n"
        "        _stores[store.name] = store\n",
    )
    assert _findings(locked, "FTP010") == []


def test_a_memo_that_returns_the_entry_is_not_an_exit_then_insert():
    code = """\
_cache = {}


def decoded(key):
    if key in _cache:
        return _cache[key]
    value = key.upper()
    _cache[key] = value
    return value


def reset():
    _cache.clear()
"""
    assert [line for _, line, message in _findings(code, "FTP010") if "inserts into" in message] == []


def test_a_persistent_set_making_a_new_one_is_no_change_in_place():
    code = """\
class Registry:
    def __init__(self, uncrawled):
        self._uncrawled = uncrawled

    def remove(self, uri):
        return Registry(uncrawled=self._uncrawled.discard(uri))

    def crawl(self):
        return [uri for uri in self._uncrawled]
"""
    assert _findings(code, "FTP008") == []

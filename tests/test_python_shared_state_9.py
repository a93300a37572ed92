"""Kinds from the eighth held-out batch: shared class and instance state found where real
projects had to fix it, and the code beside it that stays quiet.

* a metaclass memoising instances in ``cls._cache`` (check, build, insert, re-read);
* ``cls.attr = ...`` in an ordinary class's ``__new__`` (every instantiation changes the
  one class object), but not in a metaclass's ``__new__`` (the class being made);
* a private helper that every caller calls under a lock is as protected as its callers;
* a Cython class named for serving many callers (a pool): its compound updates and a
  key test followed by the use of that key.
"""

from __future__ import annotations

from auditor.engine.source_checks import check_bytes


def _findings(code: str, language: str = "python", filename: str = "module.py"):
    outcome = check_bytes(filename, code.encode(), language)
    assert outcome.problem is None, outcome.problem
    return [(finding.rule, finding.location.line, finding.message) for finding in outcome.findings]


def _lines(code: str, language: str = "python", filename: str = "module.py") -> set[int]:
    return {line for _rule, line, _message in _findings(code, language, filename)}


MEMOISING_METACLASS = """\
class Memoized(type):
    def __new__(mcs, name, bases, namespace):
        if "_cache" not in namespace:
            namespace["_cache"] = {}
        return type.__new__(mcs, name, bases, namespace)

    def __call__(cls, *args):
        key = args or None
        if key not in cls._cache:
            cls._cache[key] = type.__call__(cls, *args)
        return cls._cache[key]
"""


def test_a_metaclass_memo_check_then_insert_is_reported_with_both_statements():
    found = _findings(MEMOISING_METACLASS)
    assert [(rule, line) for rule, line, _message in found] == [("FTP011", 9), ("FTP011", 10)]
    test, act = found[0][2], found[1][2]
    assert "on line 10" in test and "per-class" in test
    assert "is on line 9" in act


def test_the_same_memo_under_a_class_lock_is_quiet():
    locked = MEMOISING_METACLASS.replace(
        "        if key not in cls._cache:\n            cls._cache[key] = type.__call__(cls, *args)\n",
        "        with cls._lock:\n            if key not in cls._cache:\n"
        "                cls._cache[key] = type.__call__(cls, *args)\n",
    )
    assert "with cls._lock" in locked
    assert _findings(locked) == []


NEW_SETS_CLASS_STATE = """\
import threading


class Bar:
    interval = 10
    _lock = threading.Lock()

    def __new__(cls, *args, **kwargs):
        instance = object.__new__(cls)
        try:
            start_monitor(cls.interval)
        except Exception:
            cls.interval = 0
        return instance
"""


def test_new_changing_the_class_object_is_reported():
    found = _findings(NEW_SETS_CLASS_STATE)
    assert [(rule, line) for rule, line, _message in found] == [("FTP004", 13)]
    assert "`Bar.interval`" in found[0][2]


def test_new_changing_class_state_under_the_class_lock_is_quiet():
    locked = NEW_SETS_CLASS_STATE.replace(
        "            cls.interval = 0\n", "            with cls._lock:\n                cls.interval = 0\n"
    )
    assert _findings(locked) == []


def test_a_metaclass_new_setting_the_class_it_makes_is_quiet():
    code = """\
class Registered(type):
    def __new__(mcs, name, bases, namespace):
        cls = super().__new__(mcs, name, bases, namespace)
        cls.registered = True
        return cls
"""
    assert _findings(code) == []


HELPER_UNDER_CALLERS_LOCK = """\
import threading
from weakref import WeakSet


class Bar:
    _instances = WeakSet()
    _lock = threading.RLock()

    def __init__(self):
        with self._lock:
            self._instances.add(self)
            self.pos = self._free_position()

    def reset(self):
        with self._lock:
            self.pos = self._free_position()

    @classmethod
    def _free_position(cls):
        used = {bar.pos for bar in cls._instances if hasattr(bar, "pos")}
        return min(set(range(len(used) + 1)) - used)

    @classmethod
    def drop(cls, bar):
        with cls._lock:
            cls._instances.discard(bar)
"""


def test_a_private_helper_every_caller_calls_under_the_lock_is_quiet():
    assert 20 not in _lines(HELPER_UNDER_CALLERS_LOCK)


def test_the_same_helper_called_once_without_the_lock_is_reported():
    unlocked = HELPER_UNDER_CALLERS_LOCK.replace(
        "    def reset(self):\n        with self._lock:\n            self.pos = self._free_position()\n",
        "    def reset(self):\n        self.pos = self._free_position()\n",
    )
    assert any(rule == "FTP005" for rule, _line, _message in _findings(unlocked))


def test_a_helper_handed_on_as_a_callback_is_still_reported():
    handed = HELPER_UNDER_CALLERS_LOCK.replace(
        "    def reset(self):\n        with self._lock:\n            self.pos = self._free_position()\n",
        "    def reset(self):\n        with self._lock:\n            self.pos = self._free_position()\n"
        "        schedule(self._free_position)\n",
    )
    assert any(rule == "FTP005" for rule, _line, _message in _findings(handed))


CYTHON_POOL = """\
cdef class {name}:
    cdef public size_t size
    cdef public dict addresses

    def __cinit__(self):
        self.size = 0
        self.addresses = {{}}

    cdef void* alloc(self, size_t n) except NULL:
        cdef void* p = malloc(n)
        self.addresses[<size_t>p] = n
        self.size += n
        return p

    cdef void* realloc(self, void* p, size_t new_size) except NULL:
        if <size_t>p not in self.addresses:
            raise ValueError("not in pool")
        cdef void* new_ptr = self.alloc(new_size)
        memcpy(new_ptr, p, self.addresses[<size_t>p])
        return new_ptr

    def keep(self, obj):
        self.refs.append(obj)
"""


def test_a_cython_pool_reports_its_paired_updates_and_its_key_test_then_use():
    found = _findings(CYTHON_POOL.format(name="Pool"), "cython", "pool.pyx")
    lines = {line for rule, line, _message in found if rule == "FTC016"}
    assert {11, 12, 16, 19} <= lines
    assert 23 not in lines  # one append on its own is atomic
    messages = {line: message for _rule, line, message in found}
    assert "uses `self.addresses[...]` on line 19" in messages[16]
    assert "pool/locator class" in messages[16]


def test_the_same_cython_class_without_a_serving_name_is_quiet():
    found = _findings(CYTHON_POOL.format(name="Arena"), "cython", "pool.pyx")
    assert not any(rule == "FTC016" for rule, _line, _message in found)


def test_a_cython_pool_under_a_critical_section_is_quiet():
    locked = CYTHON_POOL.format(name="Pool").replace(
        "        cdef void* p = malloc(n)\n        self.addresses[<size_t>p] = n\n        self.size += n\n",
        "        cdef void* p = malloc(n)\n        with cython.critical_section(self):\n"
        "            self.addresses[<size_t>p] = n\n            self.size += n\n",
    )
    lines = {line for rule, line, _message in _findings(locked, "cython", "pool.pyx") if rule == "FTC016"}
    assert not lines & {11, 12, 13}


POOL_MANAGER = """\
class {name}:
    def __init__(self):
        self.pools = {{}}

    def connection_from_host(self, host, port):
        pool_key = (host, port)
        pool = self.pools.get(pool_key)
        if pool:
            return pool
        pool = make_pool(host, port)
        self.pools[pool_key] = pool
        return pool
"""


def test_a_pool_manager_get_or_create_is_reported_with_the_evidence():
    found = _findings(POOL_MANAGER.format(name="PoolManager"))
    assert {(rule, line) for rule, line, _message in found} == {("FTP008", 8), ("FTP008", 11)}
    assert all("PoolManager is a registry/cache/client/pool" in message for _rule, _line, message in found)


def test_the_same_get_or_create_on_a_class_named_for_something_else_is_quiet():
    assert _findings(POOL_MANAGER.format(name="Formatter")) == []


TRACKER = """\
import threading


class Tracker:
    def __enter__(self):
        {lock}setattr(threading.Thread, "_name", make_interceptor())
        {lock}threading.setprofile(start_thread_trace)
        return self
"""


def test_patching_another_modules_class_and_the_thread_hooks_is_process_wide():
    found = _findings(TRACKER.format(lock=""))
    assert [(rule, line) for rule, line, _message in found] == [("FTP009", 6), ("FTP009", 7)]
    assert "`threading.Thread`" in found[0][2] and "every new thread" in found[1][2]


def test_the_same_patching_under_a_lock_is_quiet():
    locked = TRACKER.format(lock="    ").replace(
        "    def __enter__(self):\n", "    def __enter__(self):\n        with _tracker_lock:\n"
    )
    assert _findings(locked) == []


def test_a_local_named_like_a_module_is_not_another_modules_class():
    code = "import threading\n\n\ndef patch(threading):\n    setattr(threading.Thread, 'x', 1)\n"
    assert _findings(code) == []


INSTANCE_CACHE_METACLASS = """\
import os


class _Cached(type):
    def __init__(cls, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cls._cache = {}
        cls._pid = os.getpid()

    def __call__(cls, *args):
        token = tokenize(cls, cls._pid, *args)
        if os.getpid() != cls._pid:
            cls._cache.clear()
            cls._pid = os.getpid()
        if token in cls._cache:
            return cls._cache[token]
        else:
            obj = super().__call__(*args)
            cls._cache[token] = obj
            return obj
"""


def test_a_membership_test_then_a_read_of_a_cache_something_clears_is_reported():
    found = {(rule, line): message for rule, line, message in _findings(INSTANCE_CACHE_METACLASS)}
    # the test and the insert in `else` are FTP003's; the read after the test is FTP011's
    assert {("FTP003", 15), ("FTP011", 16), ("FTP003", 19)} <= set(found)
    assert "reads `_Cached._cache[...]`, an entry __call__() can remove" in found[("FTP011", 16)]
    assert "is on line 15" in found[("FTP011", 16)]


def test_a_local_computed_from_class_state_is_not_a_snapshot_of_it():
    # `token = tokenize(cls._pid)` is a new value: the test of `token in cls._cache` is a
    # test of the cache, not of `_pid`.
    found = _findings(INSTANCE_CACHE_METACLASS)
    assert not any("tests `_Cached._pid`" in message and line == 15 for _rule, line, message in found)


def test_the_cache_read_under_a_lock_is_quiet():
    body_start = INSTANCE_CACHE_METACLASS.index("        if token in cls._cache:")
    body = INSTANCE_CACHE_METACLASS[body_start:]
    locked = (
        INSTANCE_CACHE_METACLASS[:body_start]
        + "        with cls._lock:\n"
        + "".join("    " + line + "\n" for line in body.splitlines())
    )
    assert not any(16 <= line <= 22 for _rule, line, _message in _findings(locked))


def test_an_act_that_several_tests_lead_to_is_one_finding():
    code = """\
class Meta(type):
    def __init__(cls, *args):
        super().__init__(*args)
        cls._cache = set()
        cls._negative = set()

    def check(cls, item):
        if item in cls._cache:
            return True
        if item in cls._negative:
            return False
        cls._checks = cls._checks + 1
        return None

    def clear(cls):
        cls._cache.clear()
        cls._negative.clear()
"""
    found = _findings(code)
    assert {line for rule, line, _message in found if rule == "FTP011"} == {8, 10, 12}
    # the act on line 12 follows both tests, and is reported once
    assert [rule for rule, line, _message in found if line == 12] == ["FTP011"]

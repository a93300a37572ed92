"""Class state, metaclass caches, late locks and lock discipline, on code written the way
real projects write it (issue 14).

Each case is a kind the held-out Python fixes changed, in code of our own: a metaclass
that caches per class, mode flags kept on a class, a singleton whose lock comes after
the check, a decorator whose closure holds a cache next to an unlocked ``cache_clear``,
a field that one method locks and another resets, a tracer registered with
``sys.monitoring``, a ``tzinfo`` with a bounded cache. The assertions hold what the issue
asks of each finding: why the state is shared, and both statements of a sequence.
"""

from __future__ import annotations

from auditor.engine.source_checks import check_bytes


def _findings(code: str, rule: str | None = None):
    outcome = check_bytes("module.py", code.encode(), "python")
    assert outcome.problem is None, outcome.problem
    found = [(finding.rule, finding.location.line, finding.message) for finding in outcome.findings]
    return [item for item in found if rule is None or item[0] == rule]


INTERNING_METACLASS = """\
from collections import OrderedDict
import weakref


class Interning(type):
    def __init__(cls, name, bases, namespace):
        super().__init__(name, bases, namespace)
        cls._live = weakref.WeakValueDictionary()
        cls._recent = OrderedDict()

    def __call__(cls, key):
        instance = cls._live.get(key)
        if instance is None:
            instance = cls._live.setdefault(key, super().__call__(key))
        cls._recent[key] = cls._recent.pop(key, instance)
        if len(cls._recent) > 16:
            cls._recent.popitem(last=False)
        return instance


class Unit(metaclass=Interning):
    def __init__(self, key):
        self.key = key
"""


def test_a_metaclass_per_class_cache_is_class_state_with_the_metaclass_as_evidence():
    mutations = _findings(INTERNING_METACLASS, "FTP004")
    assert {line for _rule, line, _message in mutations} == {15, 17}
    assert all("metaclass Interning" in message for _rule, _line, message in mutations)


def test_the_size_test_and_the_pop_of_a_metaclass_cache_are_named_together():
    [(_rule, line, message)] = _findings(INTERNING_METACLASS, "FTP011")
    assert line == 16
    assert "line 17" in message and "popitem" in message and "__call__() changes it" in message


SINGLETON_METACLASS = """\
class Singleton(type):
    _instances: dict[type, object] = {}

    def __call__(cls, *args, **kwargs):
        if cls not in cls._instances:
            cls._instances[cls] = super().__call__(*args, **kwargs)
        return cls._instances[cls]


class Settings(metaclass=Singleton):
    pass
"""


def test_an_annotated_class_dict_of_a_plain_class_is_shared_state():
    found = _findings(SINGLETON_METACLASS, "FTP003")
    assert {line for _rule, line, _message in found} == {5, 6}


def test_an_annotated_field_of_a_dataclass_is_not_class_state():
    code = (
        "from dataclasses import dataclass\n\n@dataclass\nclass Box:\n    items: list = None\n\n"
        "    def add(self, item):\n        if item not in self.items:\n            self.items.append(item)\n"
    )
    assert not _findings(code, "FTP004") and not _findings(code, "FTP003")


MODE_FLAGS = """\
class Grammar:
    _memoize = False
    _left_recursion = False
    VERBOSE = False
    _trace = []

    @staticmethod
    def enable_memoize():
        if Grammar._left_recursion:
            raise RuntimeError("memoize and left recursion do not mix")
        Grammar._memoize = True

    @staticmethod
    def enable_left_recursion():
        if Grammar._memoize:
            raise RuntimeError("memoize and left recursion do not mix")
        Grammar._left_recursion = True

    @classmethod
    def note(cls, text):
        if cls.VERBOSE:
            cls._trace.append(text)
"""


def test_two_class_flags_that_exclude_each_other_name_the_test_the_set_and_the_writer():
    found = {line: message for _rule, line, message in _findings(MODE_FLAGS, "FTP011")}
    assert set(found) == {9, 15}
    assert "line 11" in found[9] and "`Grammar._memoize`" in found[9]
    assert "enable_left_recursion() changes it at run time (line 17)" in found[9]


def test_a_class_constant_tested_before_a_change_is_no_check_then_act():
    assert 21 not in {line for _rule, line, _message in _findings(MODE_FLAGS, "FTP011")}


def test_class_fixtures_of_a_test_case_run_once_per_class():
    code = (
        "import unittest\n\nclass ServerTest(unittest.TestCase):\n    server = None\n\n"
        "    @classmethod\n    def tearDownClass(cls):\n        if cls.server is not None:\n"
        "            cls.server.close()\n            cls.server = None\n\n"
        "    @classmethod\n    def setUpClass(cls):\n        cls.server = object()\n"
    )
    assert not _findings(code, "FTP011")


LATE_LOCK_SINGLETON = """\
import threading


class EventLoop:
    _instance = None
    _lock = threading.Lock()

    @classmethod
    def instance(cls):
        if cls._instance is None:
            cls._lock.acquire()
            try:
                cls._instance = cls()
            finally:
                cls._lock.release()
        return cls._instance
"""


def test_a_lock_acquired_after_the_check_with_no_second_check_is_reported_with_both_lines():
    found = {line: message for _rule, line, message in _findings(LATE_LOCK_SINGLETON, "FTP003")}
    assert set(found) == {10, 13}
    assert "no second check" in found[10] and "line 13" in found[10]
    assert "does not check again" in found[13]


def test_the_same_singleton_checking_again_under_the_lock_is_quiet():
    fixed = LATE_LOCK_SINGLETON.replace(
        "            try:\n                cls._instance = cls()\n",
        "            try:\n                if cls._instance is None:\n"
        "                    cls._instance = cls()\n",
    )
    assert not _findings(fixed, "FTP003")


LIVE_DISPLAY = """\
import threading


class Terminal:
    def __init__(self):
        self._lock = threading.RLock()
        self._live = None
        self._pending = set()
        self._reset()

    def _reset(self):
        self._live = None

    def set_live(self, live):
        with self._lock:
            if self._live is not None:
                raise RuntimeError("only one live display at a time")
            self._live = live

    def track(self, job):
        with self._lock:
            self._pending.add(job)

    def finished(self, job):
        with self._lock:
            self._pending.discard(job)

    def any_pending(self):
        return next(iter(self._pending), None)

    def stop_live(self):
        self._live = None

    def _after_fork_in_child(self):
        self._pending = set()
"""


def test_an_unlocked_reset_of_a_field_that_a_method_locks_names_the_lock_and_the_locked_use():
    found = {line: message for _rule, line, message in _findings(LIVE_DISPLAY, "FTP012")}
    assert 32 in found
    assert "stop_live() changes `self._live`" in found[32]
    assert "set_live() uses `self._live` under `self._lock`" in found[32]


def test_an_unlocked_iteration_over_a_set_that_locked_code_changes_is_reported():
    found = {line: message for _rule, line, message in _findings(LIVE_DISPLAY, "FTP012")}
    assert 29 in found and "iterates over `self._pending`" in found[29]


def test_construction_helpers_and_fork_handlers_are_left_alone():
    lines = {line for _rule, line, _message in _findings(LIVE_DISPLAY, "FTP012")}
    assert 12 not in lines and 35 not in lines


def test_a_class_that_is_itself_a_lock_owns_its_fields():
    code = (
        "import threading\n\nclass ReentrantLock:\n    def __init__(self):\n"
        "        self._block = threading.Lock()\n"
        "        self._owner = None\n\n    def acquire(self):\n        self._block.acquire()\n"
        "        self._owner = threading.get_ident()\n\n    def release(self):\n        self._owner = None\n"
        "        self._block.release()\n\n    def _is_owned(self):\n        with self._block:\n"
        "            return self._owner\n"
    )
    assert not _findings(code, "FTP012")


DECORATOR_CACHE = """\
import threading
from collections import namedtuple

Stats = namedtuple("Stats", "hits misses size")


def memoized(maxsize=128):
    lock = threading.RLock()

    def decorate(function):
        table = {}
        counters = [0, 0]

        def wrapper(*args):
            with lock:
                if args in table:
                    counters[0] += 1
                    return table[args]
                counters[1] += 1
            value = function(*args)
            with lock:
                if len(table) < maxsize:
                    table[args] = value
            return value

        def stats():
            return Stats(counters[0], counters[1], len(table))

        def clear():
            table.clear()

        wrapper.stats = stats
        wrapper.clear = clear
        return wrapper

    return decorate


class Catalog:
    @memoized()
    def lookup(self, key):
        return self.__class__.__name__ + key
"""


def test_a_closure_cache_locked_in_the_wrapper_and_not_in_clear_or_stats_is_reported():
    found = {line: message for _rule, line, message in _findings(DECORATOR_CACHE, "FTP012")}
    assert set(found) == {27, 30}
    assert "clear() changes `table`" in found[30]
    assert "closure of decorate()" in found[30] and "wrapper() uses it under `lock`" in found[30]


def test_the_same_closure_with_every_use_locked_is_quiet():
    fixed = DECORATOR_CACHE.replace(
        "            return Stats(counters[0], counters[1], len(table))",
        "            with lock:\n                return Stats(counters[0], counters[1], len(table))",
    ).replace("            table.clear()", "            with lock:\n                table.clear()")
    assert not _findings(fixed, "FTP012")


TRACER = """\
import sys
import threading


class LineTracer:
    def __init__(self, tool_id):
        self.tool_id = tool_id
        self.lock = threading.Lock()
        self.code_seen = {}
        self.running = False

    def start(self):
        sys.monitoring.use_tool_id(self.tool_id, "tracer")
        sys.monitoring.register_callback(self.tool_id, sys.monitoring.events.LINE, self.on_line)
        self.running = True

    def stop(self):
        if not self.running:
            return
        sys.monitoring.free_tool_id(self.tool_id)
        self.running = False

    def on_line(self, code, line):
        if code not in self.code_seen:
            self.code_seen[code] = set()
        self.code_seen[code].add(line)

    def snapshot(self):
        with self.lock:
            return {code: set(lines) for code, lines in self.code_seen.items()}
"""


def test_a_method_handed_to_sys_monitoring_makes_the_instance_shared():
    found = {line: message for _rule, line, message in _findings(TRACER, "FTP008")}
    assert 18 in found and "register_callback()" in found[18] and "every thread" in found[18]
    assert 24 in found


def test_sys_settrace_is_the_calling_threads_hook_and_no_evidence():
    per_thread = TRACER.replace(
        "sys.monitoring.register_callback(self.tool_id, sys.monitoring.events.LINE, self.on_line)",
        "sys.settrace(self.on_line)",
    )
    found = {line: message for _rule, line, message in _findings(per_thread, "FTP008")}
    assert 18 not in found  # `self.running`: nothing else shows it shared
    assert not any("settrace" in message for message in found.values())


TIME_ZONES = """\
import datetime
import threading


class FixedZone(datetime.tzinfo):
    def __init__(self, rules):
        self._rules = rules
        self._recent_dates = []
        self._recent_rules = []

    def _rule_for(self, moment):
        if moment in self._recent_dates:
            return self._recent_rules[self._recent_dates.index(moment)]
        rule = self._rules[0]
        self._recent_dates.insert(0, moment)
        self._recent_rules.insert(0, rule)
        if len(self._recent_dates) > 8:
            self._recent_dates.pop()
            self._recent_rules.pop()
        return rule


class ZoneFileCache:
    def __init__(self):
        self._lock = threading.Lock()
        self._files = {}

    def read(self, path):
        with self._lock:
            if path not in self._files:
                with open(path, "rb") as stream:
                    self._files[path] = stream.read()
            return self._files[path]
"""


def test_a_tzinfo_with_a_bounded_cache_is_shared_by_every_datetime_that_uses_it():
    found = {line: message for _rule, line, message in _findings(TIME_ZONES, "FTP008")}
    assert {16, 18} <= set(found)
    assert all("is a tzinfo" in message for message in found.values())


SCHEMA_REBUILD = """\
class Model:
    __complete__ = False
    _schema_table = None

    @classmethod
    def rebuild(cls, force=False):
        already_complete = cls.__complete__
        if already_complete and not force:
            return None
        cls.__complete__ = False
        cls.__complete__ = cls._build()
        return True

    @classmethod
    def table(cls):
        table = cls._schema_table
        if not table:
            table = cls._schema_table = {}
        return table

    @classmethod
    def _build(cls):
        return True
"""


def test_a_flag_read_into_a_local_then_tested_is_a_test_of_class_state():
    found = {line: message for _rule, line, message in _findings(SCHEMA_REBUILD, "FTP011")}
    assert 8 in found and "line 10" in found[8] and "`Model.__complete__`" in found[8]


def test_an_idempotent_lazy_table_through_a_local_is_left_to_ftp003():
    assert 17 not in {line for _rule, line, _message in _findings(SCHEMA_REBUILD, "FTP011")}


NONLOCAL_COUNTERS = """\
import threading


def counted(function):
    hits = misses = 0
    lock = threading.Lock()
    table = {}

    def wrapper(*args):
        nonlocal hits, misses
        with lock:
            if args in table:
                hits += 1
                return table[args]
            misses += 1
        value = function(*args)
        with lock:
            table[args] = value
        return value

    def info():
        return hits, misses, len(table)

    def peek(key):
        return table.get(key)

    wrapper.info = info
    wrapper.peek = peek
    return wrapper


class Catalog:
    @counted
    def lookup(self, key):
        return self.__class__.__name__ + key
"""


def test_counters_rebound_through_nonlocal_under_a_lock_and_read_together_without_it():
    found = {line: message for _rule, line, message in _findings(NONLOCAL_COUNTERS, "FTP012")}
    assert 22 in found and "with other state the lock covers" in found[22]


def test_a_lone_unlocked_lookup_of_a_closure_dict_is_one_atomic_step():
    assert 25 not in {line for _rule, line, _message in _findings(NONLOCAL_COUNTERS, "FTP012")}


OUTPUT_STACK = """\
import threading


class Report:
    def __init__(self):
        self._lock = threading.Lock()
        self._lines = []
        self._indents = []

    def write(self, text):
        with self._lock:
            self._lines.append(text)

    def indent(self, prefix):
        self._indents.append(prefix)

    def dedent(self):
        self._indents.pop()

    def section(self, title):
        self._indents.append(title)
        self._indents.pop()
"""


def test_a_stack_pushed_and_popped_in_two_methods_of_a_locking_class_names_both_ends():
    found = {line: message for _rule, line, message in _findings(OUTPUT_STACK, "FTP012")}
    assert set(found) == {15, 18}
    assert "popped in dedent(), line 18" in found[15] and "takes `self._lock` in write()" in found[15]


def test_the_same_stack_in_a_class_that_never_locks_is_quiet():
    unlocked = OUTPUT_STACK.replace(
        "        with self._lock:\n            self._lines.append(text)", "        self._lines.append(text)"
    )
    assert not _findings(unlocked, "FTP012")

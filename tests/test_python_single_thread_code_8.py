"""Code the source shows to run on one thread stays quiet; the same code without that
evidence is still reported.

Three kinds from the seventh held-out batch's false alarms: a reset that runs only in a
forked child, a ``getpid()`` guard that resets class state after a fork, and an event
loop whose methods belong to the loop's thread except the one it names thread-safe.
"""

from __future__ import annotations

from auditor.engine.source_checks import check_bytes


def _findings(code: str, language: str = "python", filename: str = "module.py"):
    outcome = check_bytes(filename, code.encode(), language)
    assert outcome.problem is None, outcome.problem
    return [(finding.rule, finding.location.line, finding.message) for finding in outcome.findings]


POOL_WITH_FORK_RESET = """\
import os
import threading

_workers = [None]
_pool_lock = None


def get_pool_lock():
    global _pool_lock
    if _pool_lock is None:
        _pool_lock = threading.Lock()
    return _pool_lock


def {reset}():
    {docstring}
    global _pool_lock
    _workers[0] = None
    _pool_lock = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child={registered})
"""


def _reset_lines(code: str) -> set[int]:
    return {line for _rule, line, _message in _findings(code) if 18 <= line <= 19}


def test_a_reset_registered_to_run_in_the_forked_child_is_not_a_race():
    code = POOL_WITH_FORK_RESET.format(
        reset="clear_workers", docstring='"""Drop the pool."""', registered="clear_workers"
    )
    assert _reset_lines(code) == set()
    # the lazy lock itself is still a check-then-set
    assert any(rule == "FTP003" and line == 10 for rule, line, _message in _findings(code))


def test_a_reset_documented_as_called_only_in_a_forked_process_is_not_a_race():
    docstring = '"""Forget the pool.\n\n    This should be called only on the init of a forked process."""'
    code = POOL_WITH_FORK_RESET.format(reset="clear_workers", docstring=docstring, registered="print")
    assert _reset_lines(code) == set()


def test_the_same_reset_called_from_anywhere_is_still_reported():
    code = POOL_WITH_FORK_RESET.format(
        reset="clear_workers",
        docstring='"""One lock per forked process, made on first use."""',
        registered="print",
    )
    assert _reset_lines(code) == {18, 19}


CACHED_META = """\
import os
import threading


class CachedMeta(type):
    def __init__(cls, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cls._instances = {{}}
        cls._owner = os.getpid()

    def __call__(cls, *args):
        if {test}:
            cls._instances.clear()
            cls._owner = os.getpid()
        return super().__call__(*args)
"""


def test_a_getpid_guard_that_resets_class_state_after_fork_is_not_a_check_then_act():
    quiet = _findings(CACHED_META.format(test="os.getpid() != cls._owner"))
    assert not [finding for finding in quiet if finding[0] == "FTP011"]
    loud = _findings(CACHED_META.format(test="cls._owner is not None"))
    assert [finding for finding in loud if finding[0] == "FTP011" and finding[1] == 12]


EVENT_LOOP = """\
cdef class Loop:
    cdef object _ready
    cdef object _waker
    cdef int _ready_len
    cdef object _last_error

    def __cinit__(self):
        self._ready = []
        self._ready_len = 0

    cdef _schedule(self, callback):
        self._ready.append(callback)
        self._ready_len += 1

    cdef _record_error(self, exc):
        self._last_error = exc

    def call_soon(self, callback):
        self._schedule(callback)

    def {entry}(self, callback):
        self._schedule(callback)
        self._waker.send()


cdef Loop _running_loop = None
"""


def test_a_loop_names_the_one_method_other_threads_may_call():
    findings = _findings(EVENT_LOOP.format(entry="call_soon_threadsafe"), "cython", "loop.pyx")
    lines = {line for rule, line, _message in findings if rule == "FTC016"}
    assert {12, 13, 22} <= lines  # the thread-safe door and what it reaches
    assert not lines & {16, 19}  # loop-thread methods
    message = next(message for rule, line, message in findings if line == 22)
    assert "call_soon_threadsafe() as the method other threads may call" in message


def test_without_a_thread_safe_method_every_method_of_a_module_level_loop_races():
    findings = _findings(EVENT_LOOP.format(entry="wake"), "cython", "loop.pyx")
    lines = {line for rule, line, _message in findings if rule == "FTC016"}
    assert {16, 19} <= lines


def test_registering_an_after_fork_handler_runs_in_the_parent_and_is_reported():
    code = (
        "import itertools\n\n_handlers = {}\n_counter = itertools.count()\n\n\n"
        "def register_after_fork(obj, func):\n"
        "    _handlers[(next(_counter), id(obj), func)] = obj\n"
    )
    assert any(rule == "FTP001" and line == 8 for rule, line, _message in _findings(code))


SUBCLASS_REGISTRY = """\
class Representer:
    representers = {{}}

    @classmethod
    def add_representer(cls, kind, function):
        if {test}:
            cls.representers = cls.representers.copy()
        cls.representers[kind] = function

    def represent(self, data):
        return self.representers[type(data)](self, data)
"""


def test_a_subclass_copying_an_inherited_registry_on_first_use_is_a_check_then_act():
    for test in ("'representers' not in cls.__dict__", "'representers' not in vars(cls)"):
        findings = _findings(SUBCLASS_REGISTRY.format(test=test))
        check = [message for rule, line, message in findings if rule == "FTP011" and line == 6]
        assert check, (test, findings)
        assert "line 7 rebinds `Representer.representers`" in check[0]
        assert "copying what it inherits" in check[0]


def test_a_membership_test_of_another_key_is_not_a_copy_test():
    findings = _findings(SUBCLASS_REGISTRY.format(test="kind not in cls.__dict__"))
    assert not [finding for finding in findings if finding[0] == "FTP011"]


def test_a_service_locator_is_a_registry_every_caller_shares():
    code = (
        "class ServiceLocator:\n"
        "    def __init__(self):\n        self._services = {}\n        self._factories = {}\n\n"
        "    def register(self, name, factory):\n        self._factories[name] = factory\n\n"
        "    def get(self, name):\n"
        "        if name in self._factories:\n"
        "            self._services[name] = self._factories[name]()\n"
        "            del self._factories[name]\n"
        "        return self._services[name]\n"
    )
    findings = _findings(code)
    lines = {line for rule, line, _message in findings if rule == "FTP008"}
    assert {10, 12} <= lines
    assert "locator class" in next(message for rule, line, message in findings if line == 10)
    plain = _findings(code.replace("ServiceLocator", "Services"))
    assert not [finding for finding in plain if finding[0] == "FTP008"]


RECONNECTING_CLIENT = """\
import threading


class ReconnectingClient:
    def __init__(self, address):
        self._address = address
        self._reconnect_lock = threading.Lock()

    def reconnect(self):
        self._reconnect_lock.acquire()
        try:
            self._channel = open_channel(self._address)
        finally:
            self._reconnect_lock.release()

    def call(self, request):
{body}
        return self._channel.send(request)
"""


def test_a_test_before_the_lock_the_called_method_takes_is_reported_with_both_statements():
    body = "        if not hasattr(self, '_channel'):\n            self.reconnect()"
    findings = [
        finding for finding in _findings(RECONNECTING_CLIENT.format(body=body)) if finding[0] == "FTP012"
    ]
    by_line = {line: message for _rule, line, message in findings}
    assert {17, 18} <= set(by_line)
    assert "reconnect() sets `self._channel` holding `self._reconnect_lock` (line 12)" in by_line[17]


def test_the_same_test_repeated_under_the_lock_is_quiet():
    body = (
        "        with self._reconnect_lock:\n            if not hasattr(self, '_channel'):\n"
        "                self._channel = open_channel(self._address)"
    )
    findings = _findings(RECONNECTING_CLIENT.format(body=body))
    assert not [finding for finding in findings if finding[0] == "FTP012" and finding[1] in (18, 19)]


CONFIG_SWAP = """\
class isolated_config:
    def __enter__(self):
        from .config import {name}

        self._saved = {name}.copy()
        {name}.clear()
        return self

    def __exit__(self, *exc):
        from .config import {name}

        {name}.clear()
        {name}.update(self._saved)
"""


def test_another_modules_private_dict_swapped_in_a_context_manager_is_reported():
    findings = _findings(CONFIG_SWAP.format(name="_loaded"))
    lines = {line for rule, line, _message in findings if rule == "FTP001"}
    assert lines == {6, 12, 13}
    assert "imported from `.config` in this function" in findings[0][2]


def test_a_public_name_imported_in_a_function_is_not_taken_for_shared_state():
    assert not _findings(CONFIG_SWAP.format(name="defaults"))


LAST_CALL = """\
_last_call = {}


def compile_and_run(source, names):
    global _last_call
    _last_call = dict(code=compile(source, "<expr>", "eval"), names=names)
    return eval(_last_call["code"])


def run_again(scope):
    code = _last_call["code"]
    names = _last_call["names"]
    values = {name: scope[name] for name in names}
    return eval(code, values)
"""


def test_each_read_of_a_rebound_global_after_the_first_is_reported_as_a_reread():
    findings = [finding for finding in _findings(LAST_CALL) if finding[0] == "FTP002"]
    by_line = {line: message for _rule, line, message in findings}
    assert {11, 12} <= set(by_line)
    assert "read again (first on line 11)" in by_line[12]


def test_a_single_read_into_a_local_is_reported_once():
    code = LAST_CALL.replace('    names = _last_call["names"]\n', "    names = code.co_names\n")
    lines = {line for rule, line, _message in _findings(code) if rule == "FTP002"}
    assert 11 in lines and 12 not in lines


INCLUDED_FLAG = """\
# cython: freethreading_compatible=True
cdef class Spawner:
    cdef _spawn(self, loop):
        global _forking
        if _forking:
            raise RuntimeError("another loop is forking")
        _forking = 1
        try:
            loop.fork()
        finally:
            _forking = 0
"""


def test_a_flag_from_an_included_file_tested_then_set_reports_the_test():
    findings = _findings(INCLUDED_FLAG, "cython", "spawn.pyx")
    by_line = {line: message for rule, line, message in findings if rule == "FTC014"}
    assert {5, 7} <= set(by_line)
    assert "_spawn() rebinds it at run time without a lock (line 7)" in by_line[5]


def test_a_list_inside_a_class_table_changed_through_setdefault_is_a_class_attribute_mutation():
    code = (
        "class Router:\n    routes = {}\n\n    @classmethod\n    def add_route(cls, prefix, handler):\n"
        "        cls.routes.setdefault(prefix, []).append(handler)\n\n"
        "    def handlers(self, prefix):\n        return list(self.routes.get(prefix, ()))\n"
    )
    findings = _findings(code)
    assert [finding for finding in findings if finding[0] == "FTP004" and finding[1] == 6]
    local = code.replace("cls.routes.setdefault", "dict(cls.routes).setdefault")
    assert not [finding for finding in _findings(local) if finding[0] == "FTP004"]

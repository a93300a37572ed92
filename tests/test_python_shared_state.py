"""The Python and Cython rules of issue 14 on small modules written the way real code is.

Each case is a kind the held-out fixes changed; the assertions hold what the issue asks
of every finding: it names why the state is shared and both statements of a
check-then-act, and code the issue lists as safe stays quiet.
"""

from __future__ import annotations

from auditor.engine.source_checks import check_bytes


def _findings(code: str, language: str = "python", filename: str = "module.py"):
    outcome = check_bytes(filename, code.encode(), language)
    assert outcome.problem is None, outcome.problem
    return [(finding.rule, finding.location.line, finding.message) for finding in outcome.findings]


FINDER = """\
import sys

class Finder:
    def __init__(self):
        self.in_progress = {}

    def find_spec(self, name, path=None, target=None):
        if name in self.in_progress:
            return None
        self.in_progress[name] = True
        return None

def install():
    sys.meta_path.insert(0, Finder())
"""


def test_a_finder_in_sys_meta_path_reports_check_and_insert_with_the_evidence():
    found = [item for item in _findings(FINDER) if item[0] == "FTP008"]
    assert {line for _rule, line, _message in found} == {8, 10}
    check = next(message for _rule, line, message in found if line == 8)
    assert "line 10" in check and "sys.meta_path" in check


def test_the_same_class_with_nothing_showing_it_shared_is_quiet():
    alone = FINDER.replace("def install():\n    sys.meta_path.insert(0, Finder())\n", "")
    assert not [item for item in _findings(alone) if item[0] == "FTP008"]


def test_thread_local_subclasses_are_never_shared():
    code = (
        "import threading\n\nclass _State(threading.local):\n    def __init__(self):\n"
        "        self.depth = 0\n\n    def enter(self):\n        if self.depth == 0:\n"
        "            self.depth = 1\n\n_state = _State()\n"
    )
    assert not [item for item in _findings(code) if item[0] == "FTP008"]


def test_reads_of_a_rebound_global_are_reported_but_a_getter_is_not():
    code = (
        "_parser = None\n\ndef set_parser(parser):\n    global _parser\n    _parser = parser\n\n"
        "def get_parser():\n    return _parser\n\ndef parse(text, parser=None):\n    if parser is None:\n"
        "        parser = _parser\n    return parser.feed(text)\n"
    )
    reads = [item for item in _findings(code) if item[0] == "FTP002" and "is read here" in item[2]]
    assert [line for _rule, line, _message in reads] == [12]
    assert "set_parser()" in reads[0][2] and "line 5" in reads[0][2]


def test_catch_warnings_in_a_function_reports_both_statements_and_import_time_is_quiet():
    code = (
        "import warnings\n\nwarnings.simplefilter('default')\n\ndef strict(values):\n"
        "    with warnings.catch_warnings():\n        warnings.simplefilter('error')\n"
        "        return list(values)\n"
    )
    found = [(line, message) for rule, line, message in _findings(code) if rule == "FTP009"]
    assert [line for line, _message in found] == [6, 7]
    assert "line 6" in found[1][1]


def test_check_then_read_on_a_changing_module_dict_names_both_lines():
    code = (
        "_cache = {}\n\ndef get(key):\n    if key in _cache:\n        return _cache[key]\n\n"
        "def drop(key):\n    _cache.pop(key, None)\n"
    )
    found = {line: message for rule, line, message in _findings(code) if rule == "FTP010"}
    assert set(found) == {4, 5}
    assert "line 5" in found[4] and "line 4" in found[5]


def test_a_locked_check_then_read_is_quiet():
    code = (
        "import threading\n_lock = threading.Lock()\n_cache = {}\n\ndef get(key):\n    with _lock:\n"
        "        if key in _cache:\n            return _cache[key]\n\ndef drop(key):\n    with _lock:\n"
        "        _cache.pop(key, None)\n"
    )
    assert not _findings(code)


def test_class_counter_and_function_code_swap_are_reported():
    code = (
        "class Names:\n    _count = 0\n\n    @classmethod\n    def next_id(cls):\n        cls._count += 1\n"
        "        return cls._count\n\ndef lazy(func):\n    real = build(func)\n"
        "    func.__code__ = real.__code__\n    return func\n"
    )
    rules = {(rule, line) for rule, line, _message in _findings(code)}
    assert ("FTP004", 6) in rules and ("FTP006", 11) in rules


CYTHON_LOG = """\
# cython: freethreading_compatible=True
cdef class _BaseLog:
    cdef list _entries

    def __init__(self):
        self._entries = []

cdef class _Log(_BaseLog):
    cpdef receive(self, entry):
        self._entries.append(entry)

    cpdef clear(self):
        del self._entries[:]

cdef _BaseLog _GLOBAL_LOG = _Log()
"""


def test_a_cython_module_level_instance_makes_its_class_family_shared():
    found = [
        (line, message)
        for rule, line, message in _findings(CYTHON_LOG, "cython", "log.pyx")
        if rule == "FTC016"
    ]
    assert {line for line, _message in found} == {10, 13}
    assert all("_GLOBAL_LOG" in message for _line, message in found)


def test_cython_check_then_insert_in_a_key_error_handler_reports_the_lookup_too():
    code = (
        "# cython: freethreading_compatible=True\n_registries = {}\n\ndef registry(name):\n    try:\n"
        "        return _registries[name]\n    except KeyError:\n        r = _registries[name] = object()\n"
        "        return r\n"
    )
    found = {line for rule, line, _message in _findings(code, "cython", "ns.pyx") if rule == "FTC015"}
    assert found == {6, 8}


def test_a_key_error_handler_that_inserts_makes_the_lookup_a_check():
    code = (
        "_registries = {}\n\ndef registry(name):\n    try:\n        return _registries[name]\n"
        "    except KeyError:\n        registry = _registries[name] = object()\n        return registry\n"
    )
    found = {(rule, line) for rule, line, _message in _findings(code)}
    assert ("FTP010", 5) in found and ("FTP001", 7) in found


def test_cached_property_on_a_shared_instance_is_reported():
    code = (
        "import functools\n\nclass Config:\n    @functools.cached_property\n    def settings(self):\n"
        "        return load()\n\nconfig = Config()\n"
    )
    found = [(rule, line) for rule, line, _message in _findings(code)]
    assert ("FTP008", 4) in found or ("FTP008", 5) in found

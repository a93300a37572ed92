"""Module-level containers changed through a local name (issue 14), on code of our own.

A plug-in registry that defers callbacks until a key is ready: the callbacks list is
taken out of the module's dict into a local, run and cleared, and another function
appends through a local alias of the dict. Each finding names the statement that took
the local and the one that changes what it refers to.
"""

from __future__ import annotations

from auditor.engine.source_checks import check_bytes

DEFERRED_HOOKS = """\
from collections import defaultdict

_ready = set()
_waiting = defaultdict(list)


def mark_ready(key):
    _ready.add(key)
    pending = _waiting[key]
    for callback in pending:
        callback()
    pending.clear()


def when_ready(key, callback):
    table = _waiting
    if key in _ready:
        callback()
    else:
        table[key].append(callback)
"""


def _findings(code: str):
    outcome = check_bytes("module.py", code.encode(), "python")
    assert outcome.problem is None, outcome.problem
    return {(finding.rule, finding.location.line): finding.message for finding in outcome.findings}


def test_an_entry_read_into_a_local_then_cleared_names_both_statements():
    message = _findings(DEFERRED_HOOKS)[("FTP010", 9)]
    assert "`_waiting` into `pending`" in message and "line 12" in message


def test_a_change_through_a_local_alias_of_a_module_dict_is_a_mutation_of_it():
    message = _findings(DEFERRED_HOOKS)[("FTP001", 20)]
    assert "through `table`, which is `_waiting` (line 16)" in message


def test_the_test_of_another_shared_container_before_the_change_is_reported_too():
    message = _findings(DEFERRED_HOOKS)[("FTP010", 17)]
    assert "tests `_ready`" in message and "line 20" in message


def test_the_same_code_under_a_lock_is_quiet():
    locked = (
        DEFERRED_HOOKS.replace(
            "from collections import defaultdict", "import threading\nfrom collections import defaultdict"
        )
        .replace("_ready = set()", "_lock = threading.Lock()\n_ready = set()")
        .replace(
            "    _ready.add(key)\n    pending = _waiting[key]\n    for callback in pending:\n"
            "        callback()\n    pending.clear()\n",
            "    with _lock:\n        _ready.add(key)\n        pending = _waiting.pop(key, [])\n"
            "    for callback in pending:\n        callback()\n",
        )
        .replace(
            "    table = _waiting\n    if key in _ready:\n        callback()\n    else:\n"
            "        table[key].append(callback)\n",
            "    with _lock:\n        if key not in _ready:\n            _waiting[key].append(callback)\n"
            "            return\n    callback()\n",
        )
    )
    assert not [key for key in _findings(locked) if key[0] in ("FTP001", "FTP010")]

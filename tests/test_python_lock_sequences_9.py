"""Sequences a lock was meant to cover and does not (FTP012's locked loop, FTP013, FTP014),
in the shapes real projects fixed, and the shapes next to them that are fine."""

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


ACTIVATION = """\
import threading


class Logger:
    _enabled = {}
    _activation_list = []
    _lock = threading.Lock()

    def change(self, name, status):
        with Logger._lock:
            activation_list = [(n, s) for n, s in Logger._activation_list if n != name]
        activation_list.append((name, status))
        with Logger._lock:
            for n in Logger._enabled:
                Logger._enabled[n] = status
            Logger._activation_list[:] = activation_list

    def log(self, name):
        try:
            return Logger._enabled[name]
        except KeyError:
            Logger._enabled[name] = True
            return True
"""


def test_a_locked_loop_over_class_state_another_method_fills_unlocked():
    found = {line: message for _rule, line, message in _findings(ACTIVATION, "FTP012")}
    assert 14 in found
    assert "log() stores into `Logger._enabled` without the lock (line 22)" in found[14]


def test_a_read_and_a_write_back_in_two_lock_blocks():
    found = {line: message for _rule, line, message in _findings(ACTIVATION, "FTP013")}
    assert set(found) == {11, 16}
    assert "on line 16" in found[11] and "on line 11" in found[16]


def test_the_same_sequence_in_one_lock_block_with_a_locked_writer_is_quiet():
    fixed = ACTIVATION.replace(
        "        activation_list.append((name, status))\n        with Logger._lock:\n",
        "            activation_list.append((name, status))\n",
    ).replace(
        "        try:\n            return Logger._enabled[name]\n        except KeyError:\n"
        "            Logger._enabled[name] = True\n            return True\n",
        "        with Logger._lock:\n            return Logger._enabled.setdefault(name, True)\n",
    )
    assert not _findings(fixed, "FTP012") and not _findings(fixed, "FTP013")


COPY_ON_WRITE = """\
import threading


class Core:
    def __init__(self):
        self.lock = threading.Lock()
        self.enabled = {}

    def change(self, name, status):
        with self.lock:
            enabled = self.enabled.copy()
            if name is None:
                for n in enabled:
                    enabled[n] = status
                self.enabled = enabled
                return
            enabled[name] = status
            self.enabled = enabled
"""


def test_a_publish_that_returns_before_the_next_change_is_quiet():
    assert _findings(COPY_ON_WRITE, "FTP013") == []


def test_a_change_after_the_publish_is_reported():
    broken = COPY_ON_WRITE.replace(
        "            enabled[name] = status\n            self.enabled = enabled\n",
        "            self.enabled = enabled\n            enabled[name] = status\n",
    )
    found = _findings(broken, "FTP013")
    assert [line for _rule, line, _message in found] == [18]
    assert "after publishing it as `self.enabled` (line 17)" in found[0][2]


def test_a_live_view_returned_under_an_async_lock_is_not_a_thread_race():
    code = """\
import asyncio


class Feed:
    def __init__(self):
        self.lock = asyncio.Lock()
        self._items = {}

    async def keys(self):
        async with self.lock:
            return self._items.keys()
"""
    assert _findings(code, "FTP013") == []


def test_a_thread_started_after_the_lock_is_made_is_quiet_and_before_it_is_reported():
    code = """\
import threading


class Poller:
    def __init__(self):
        {first}
        {second}

    def _run(self):
        with self._lock:
            pass
"""
    start = "threading.Thread(target=self._run, daemon=True).start()"
    lock = "self._lock = threading.Lock()"
    assert _findings(code.format(first=lock, second=start), "FTP014") == []
    found = _findings(code.format(first=start, second=lock), "FTP014")
    assert [line for _rule, line, _message in found] == [7]
    assert "(line 6)" in found[0][2]

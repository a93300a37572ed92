"""Interpreter discovery and provisioning against the real interpreters on this machine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.collectors.interpreters.discovery import (
    InterpreterError,
    describe_interpreter,
    find_interpreters,
)
from auditor.collectors.interpreters.provision import find_provisioned, provision


@pytest.fixture(scope="module")
def free_threaded():
    provisioned = find_provisioned()
    if provisioned is None:
        pytest.fail("no provisioned free-threaded interpreter: run scripts/setup.sh")
    return provisioned


def test_the_provisioned_interpreter_is_free_threaded(free_threaded):
    info = describe_interpreter(free_threaded.executable, "cache")
    assert info.free_threaded
    assert info.abi_tag == "cp313t"
    assert info.ext_suffix.startswith(".cpython-313t-")
    assert info.cffi_supported is False  # cffi refuses free-threaded 3.13
    assert not info.tsan


def test_the_running_host_interpreter_is_a_gil_build():
    info = describe_interpreter(sys.executable, "running")
    assert not info.free_threaded
    assert info.cffi_supported


def test_the_tsan_build_is_recognised_as_such():
    tsan = find_provisioned(tsan=True)
    # scripts/setup.sh provisions it; a missing one is a setup failure, not a reason to skip.
    assert tsan is not None, (
        "the ThreadSanitizer interpreter is not provisioned: run `ftaudit provision --tsan`"
    )
    info = describe_interpreter(tsan.executable, "cache")
    assert info.tsan and info.free_threaded
    assert tsan.tsan_suppressions and tsan.tsan_suppressions.read_text().strip()


def test_find_lists_the_cache_and_extra_interpreters_once(free_threaded):
    interpreters, _ = find_interpreters([str(free_threaded.executable)])
    executables = [Path(info.executable).resolve() for info in interpreters]
    assert executables.count(Path(free_threaded.executable).resolve()) == 1
    assert any(info.free_threaded for info in interpreters)
    assert any(not info.free_threaded for info in interpreters)


def test_a_missing_or_broken_interpreter_is_explained(tmp_path):
    with pytest.raises(InterpreterError, match="no such interpreter"):
        describe_interpreter(tmp_path / "nope")
    broken = tmp_path / "python3"
    broken.write_text("#!/bin/sh\necho boom >&2\nexit 3\n")
    broken.chmod(0o755)
    with pytest.raises(InterpreterError, match="exited with 3.*boom"):
        describe_interpreter(broken)


def test_provision_reuses_a_finished_build_without_rebuilding(free_threaded):
    messages: list[str] = []
    again = provision(log=messages.append)
    assert again.executable == free_threaded.executable
    assert messages == [f"reusing {free_threaded.executable}"]


def test_cli_lists_interpreters_as_json(free_threaded):
    completed = subprocess.run(
        [sys.executable, "-m", "auditor", "interpreters", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    listed = json.loads(completed.stdout)["interpreters"]
    assert any(entry["free_threaded"] and entry["abi_tag"] == "cp313t" for entry in listed)

"""`ftaudit fix`: a diff first, writes only with --apply, C only suggested."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from _source_helpers import FTAUDIT, SOURCE_FIXTURES

from auditor.pipelines.source_scan import scan_source

pytestmark = pytest.mark.timeout(120)


def _fix(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(FTAUDIT), "fix", *arguments], capture_output=True, text=True, timeout=110, check=False
    )


def test_diff_then_apply(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(SOURCE_FIXTURES / "pyapp", project)
    original = (project / "state.py").read_text()

    shown = _fix(str(project))
    assert shown.returncode == 1, shown.stderr  # changes available, not applied
    assert "+        with _client_lock:" in shown.stdout and "+_cache_lock = threading.Lock()" in shown.stdout
    assert (project / "state.py").read_text() == original, "nothing is written without --apply"

    applied = _fix(str(project), "--apply")
    assert applied.returncode == 0, applied.stderr
    fixed = (project / "state.py").read_text()
    assert fixed != original
    compile(fixed, "state.py", "exec")
    remaining = scan_source([project], rules={"FTP003"}, use_cache=False)
    assert not remaining.findings, "the codemod removes every FTP003 finding it touches"
    assert _fix(str(project)).returncode == 0, "a second run has nothing left to do"


def test_c_patches_are_suggested_never_written(tmp_path):
    project = tmp_path / "cext"
    shutil.copytree(SOURCE_FIXTURES / "cext", project)
    original = (project / "counter.c").read_text()
    completed = _fix(str(project), "--apply")
    assert "-    PyObject *value = PyDict_GetItem(registry, key);" in completed.stdout
    assert "PyDict_GetItemRef(registry, key, &value) < 0" in completed.stdout
    assert "Py_XDECREF(value)" in completed.stdout
    assert (project / "counter.c").read_text() == original


def test_missing_path():
    assert _fix("/nonexistent/ftaudit").returncode == 2


def test_suppressed_sites_are_left_alone():
    from auditor.pipelines.fix import fix_python_source

    source = (
        "_client = None\n\n\ndef get_client():\n    global _client\n"
        "    if _client is None:  # ftaudit: ignore[FTP003]\n        _client = object()\n    return _client\n"
    )
    assert fix_python_source(source) == source

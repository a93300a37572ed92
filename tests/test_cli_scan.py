"""`ftaudit scan` and `ftaudit probe` as a user runs them: a real subprocess, real folders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from _scan_helpers import MULTI_PHASE, compile_module, free_threaded_python, gil_python, write_distribution


def ftaudit(*arguments: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *arguments], capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def pure_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("cli") / "site-packages"
    write_distribution(site, "alpha", "1.0", {"alpha.py": b""})
    write_distribution(
        site,
        "beta",
        "2.0",
        {"beta/__init__.py": b""},
        classifiers=["Programming Language :: Python :: Free Threading :: 2 - Beta"],
    )
    return site


@pytest.fixture(scope="module")
def binary_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("cli-binary") / "site-packages"
    built, file_name = compile_module(
        MULTI_PHASE, "speedy._core", free_threaded_python(), GIL_SLOT="{Py_mod_gil, Py_MOD_GIL_NOT_USED},"
    )
    write_distribution(site, "speedy", "1.0", {"speedy/__init__.py": b"", f"speedy/{file_name}": built})
    return site


def test_json_report_of_a_pure_environment(pure_site, tmp_path):
    completed = ftaudit("scan", "--path", str(pure_site), "--format", "json", "--cache-dir", str(tmp_path))
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    assert report["schema_version"].startswith("1.") and report["tool"] == "ftaudit"
    assert report["target"] == "3.15t" and report["created"].endswith("+00:00")
    scan = report["scan"]
    assert scan["site_packages"] == [str(pure_site)] and scan["partial"] is False
    assert [(d["name"], d["version"], d["verdict"]) for d in scan["distributions"]] == [
        ("alpha", "1.0", "pure"),
        ("beta", "2.0", "pure"),
    ]
    assert scan["distributions"][1]["free_threading_classifier"].endswith("2 - Beta")


def test_every_extension_carries_path_module_gil_and_runtime_gil(binary_site, tmp_path):
    completed = ftaudit("scan", "--path", str(binary_site), "--format", "json", "--cache-dir", str(tmp_path))
    report = json.loads(completed.stdout)
    (distribution,) = report["scan"]["distributions"]
    (extension,) = distribution["extensions"]
    assert extension["path"] == "speedy/_core.cpython-313t-x86_64-linux-gnu.so"
    assert extension["module"] == "speedy._core"
    assert extension["gil"] in ("not-used", "used", "unknown")
    assert "runtime_gil" in extension and extension["runtime_gil"] is None  # not probed
    assert completed.returncode == 0, completed.stderr
    assert extension["gil"] == "not-used" and distribution["verdict"] == "ready"


def test_output_file_and_fail_on(pure_site, tmp_path):
    output = tmp_path / "report.json"
    completed = ftaudit(
        "scan",
        "--path",
        str(pure_site),
        "--output",
        str(output),
        "--fail-on",
        "pure,needs-build",
        "--cache-dir",
        str(tmp_path),
    )
    assert completed.returncode == 1
    assert "2 distribution(s) with a --fail-on verdict: alpha (pure), beta (pure)" in completed.stderr
    assert json.loads(output.read_text())["scan"]["distributions"]


def test_exit_codes_for_bad_input(pure_site, tmp_path):
    missing = ftaudit("scan", "--path", str(tmp_path / "missing"), "--format", "json")
    assert missing.returncode == 2 and "no site-packages folder could be read" in missing.stderr
    bad_verdict = ftaudit("scan", "--path", str(pure_site), "--fail-on", "bogus")
    assert bad_verdict.returncode == 2 and "unknown verdict 'bogus'" in bad_verdict.stderr
    partial = ftaudit(
        "scan",
        "--path",
        str(pure_site),
        "--path",
        str(tmp_path / "missing"),
        "--format",
        "json",
        "--cache-dir",
        str(tmp_path),
    )
    assert partial.returncode == 3
    assert any("missing: not a folder" in message for message in json.loads(partial.stdout)["scan"]["errors"])


def test_probe_refuses_a_gil_interpreter(pure_site):
    completed = ftaudit("probe", "--python", gil_python(), "--path", str(pure_site), "--format", "json")
    assert completed.returncode == 2
    assert "not free-threaded" in completed.stderr


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_probe_command_shows_agreement(binary_site, tmp_path):
    completed = ftaudit(
        "probe",
        "--python",
        free_threaded_python(),
        "--path",
        str(binary_site),
        "--format",
        "json",
        "--cache-dir",
        str(tmp_path),
    )
    assert completed.returncode == 0, completed.stderr
    scan = json.loads(completed.stdout)["scan"]
    (extension,) = scan["distributions"][0]["extensions"]
    assert scan["probed_with"]
    assert (extension["gil"], extension["runtime_gil"], extension["agrees_with_runtime"]) == (
        "not-used",
        "disabled",
        True,
    )

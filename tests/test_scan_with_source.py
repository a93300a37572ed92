"""`ftaudit scan --source`: the Python source rules over what the distributions ship."""

from __future__ import annotations

import json
import subprocess
import sys

from _scan_helpers import write_distribution

SHARED_STATE = b"""\
_REGISTRY = []


def register(handler):
    _REGISTRY.append(handler)
"""


def test_scan_with_source_reports_shipped_python_state_and_nothing_unshipped(tmp_path):
    site = tmp_path / "site-packages"
    write_distribution(site, "plugins", "1.0", {"plugins/__init__.py": SHARED_STATE})
    # A file no RECORD lists is not part of any distribution: it must not be read.
    (site / "stray.py").write_bytes(SHARED_STATE)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditor",
            "scan",
            "--path",
            str(site),
            "--source",
            "--no-cache",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    document = json.loads(completed.stdout)
    assert document["scan"]["distributions"][0]["verdict"] == "pure"
    findings = document["source"]["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("FTP001", 5)]
    assert findings[0]["path"].endswith("plugins/__init__.py")


def test_scan_without_source_runs_no_source_rules(tmp_path):
    site = tmp_path / "site-packages"
    write_distribution(site, "plugins", "1.0", {"plugins/__init__.py": SHARED_STATE})
    completed = subprocess.run(
        [sys.executable, "-m", "auditor", "scan", "--path", str(site), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(completed.stdout)["source"] is None


def test_a_ctypes_library_is_named_not_mistaken_for_a_module(tmp_path):
    # capstone's shape: a pure-Python package that loads its own libcapstone.so with ctypes.
    from _scan_helpers import compile_shared

    from auditor.model.environment import Verdict
    from auditor.pipelines.scan import scan

    library = compile_shared("int add(int a, int b) { return a + b; }\n", None, "libadder.so")
    site = tmp_path / "site-packages"
    write_distribution(site, "adder", "1.0", {"adder/__init__.py": b"", "adder/lib/libadder.so": library})
    (distribution,) = scan(paths=[site], use_cache=False).distributions
    assert distribution.extensions == []
    assert distribution.native_libraries == ["adder/lib/libadder.so"]
    assert distribution.verdict is Verdict.PURE
    assert "bundles 1 native library" in distribution.reason and "libadder.so" in distribution.reason

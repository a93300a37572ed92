"""`ftaudit scan --source`: the Python source rules over what the distributions ship."""

from __future__ import annotations

import json
import subprocess
import sys

from _scan_helpers import write_distribution

SHARED_STATE = b'''\
_REGISTRY = []


def register(handler):
    _REGISTRY.append(handler)
'''


def test_scan_with_source_reports_shipped_python_state_and_nothing_unshipped(tmp_path):
    site = tmp_path / "site-packages"
    write_distribution(site, "plugins", "1.0", {"plugins/__init__.py": SHARED_STATE})
    # A file no RECORD lists is not part of any distribution: it must not be read.
    (site / "stray.py").write_bytes(SHARED_STATE)
    completed = subprocess.run(
        [sys.executable, "-m", "auditor", "scan", "--path", str(site), "--source", "--no-cache",
         "--format", "json"],
        capture_output=True, text=True,
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
        capture_output=True, text=True, check=True,
    )
    assert json.loads(completed.stdout)["source"] is None

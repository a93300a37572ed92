"""`ftaudit audit`, the main job: scan + hammer + the three report files, end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_audit_scans_hammers_and_writes_every_report(tmp_path):
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditor",
            "audit",
            "--samples",
            str(REPO / "ext_samples" / "static_counter"),
            "--samples",
            str(REPO / "ext_samples" / "static_counter_atomic"),
            "--budget",
            "3",
            "--output-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    # Both samples behave as their `expect` says and this environment reads cleanly.
    assert completed.returncode == 0, completed.stderr[-2000:]
    document = json.loads((tmp_path / "ftaudit-report.json").read_text())
    assert document["scan"]["distributions"], "the running environment was not scanned"
    verdicts = {sample["name"]: sample["verdict"] for sample in document["hammer"]}
    assert verdicts == {"static_counter": "race", "static_counter_atomic": "no-race-observed"}
    assert {s["name"]: s["classification"] for s in document["hammer"]}[
        "static_counter"
    ] == "race-without-gil"
    html = (tmp_path / "ftaudit-report.html").read_text()
    assert "static_counter" in html and "<script" not in html.split("</head>")[1].lower()
    assert "static_counter" in (tmp_path / "ftaudit-report.md").read_text()
    assert "static_counter" in completed.stderr  # live progress named the sample


def test_a_missing_sample_folder_makes_a_partial_audit_not_a_crash(tmp_path):
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditor",
            "audit",
            "--samples",
            str(tmp_path / "nope"),
            "--output-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 3, completed.stderr[-2000:]
    document = json.loads((tmp_path / "ftaudit-report.json").read_text())
    assert [f["code"] for f in document["findings"]] == ["FTE000"]
    assert "does not exist" in document["findings"][0]["message"]

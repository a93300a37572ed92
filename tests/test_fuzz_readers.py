"""A short, seeded run of benchmarks/fuzz_metadata_json.py: the METADATA, RECORD and WHEEL
readers and the report-JSON loader (with the reporters behind it) must answer every
mutated input with their documented result, never an exception. The benchmark runs the
same fuzzer for as long as one likes; this keeps a fixed slice of it in the suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_mutated_metadata_and_report_json_never_escape_their_readers():
    completed = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "fuzz_metadata_json.py"),
            "--iterations",
            "600",
            "--seed",
            "7",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "inputs tried: 600" in completed.stdout
    assert "escapes: 0" in completed.stdout
    # The mutations must not all be refused at the door, or the reporters go untested.
    rendered = int(completed.stdout.split("rendered by 3 reporters: ")[1].split()[0])
    assert rendered > 20

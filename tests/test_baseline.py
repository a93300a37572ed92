"""Baselines: accepted findings by fingerprint, independent of line numbers."""

from __future__ import annotations

import json

import pytest

from auditor.engine.baseline import BaselineError, apply_baseline, load_baseline, write_baseline
from auditor.pipelines.source_scan import scan_source

pytestmark = pytest.mark.timeout(60)

SOURCE = "_seen = []\n\ndef see(x):\n    _seen.append(x)\n"


def test_round_trip_and_line_independence(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(SOURCE)
    baseline_file = tmp_path / "baseline.json"
    first = scan_source([project], use_cache=False)
    assert write_baseline(baseline_file, first.findings) == 1
    document = json.loads(baseline_file.read_text())
    assert document["format"] == "ftaudit-baseline" and document["findings"][0]["rule"] == "FTP001"

    baseline = load_baseline(baseline_file)
    assert baseline.accepts(first.findings[0]) and len(baseline) == 1

    # Lines added above the accepted finding: still accepted.
    (project / "app.py").write_text('"""Docs."""\n\nimport os\n' + SOURCE)
    moved = scan_source([project], baseline=baseline_file, use_cache=False)
    assert [finding.suppressed for finding in moved.findings] == [True]
    assert moved.findings[0].suppression_reason == "baseline"

    # A new finding is not accepted.
    (project / "app.py").write_text(SOURCE + "\n_other = {}\n\ndef put(k):\n    _other[k] = 1\n")
    grown = scan_source([project], baseline=baseline_file, use_cache=False)
    assert sorted((finding.location.line, finding.suppressed) for finding in grown.findings) == [
        (4, True),
        (9, False),
    ]


def test_each_accepted_entry_covers_one_finding(tmp_path):
    (tmp_path / "app.py").write_text(SOURCE)
    findings = scan_source([tmp_path], use_cache=False).findings
    baseline_file = tmp_path / "baseline.json"
    write_baseline(baseline_file, findings)
    (tmp_path / "app.py").write_text(SOURCE + "\ndef again(x):\n    _seen.append(x)\n")
    twice = scan_source([tmp_path], use_cache=False).findings
    assert twice[0].fingerprint == twice[1].fingerprint, "same rule, file and trimmed line"
    marked = apply_baseline(twice, load_baseline(baseline_file))
    assert sorted(finding.suppressed for finding in marked) == [False, True]


def test_bad_baseline_files(tmp_path):
    with pytest.raises(BaselineError, match="cannot read"):
        load_baseline(tmp_path / "missing.json")
    (tmp_path / "notjson.json").write_text("{")
    with pytest.raises(BaselineError, match="not JSON"):
        load_baseline(tmp_path / "notjson.json")
    (tmp_path / "other.json").write_text('{"findings": []}')
    with pytest.raises(BaselineError, match="not an ftaudit baseline"):
        load_baseline(tmp_path / "other.json")

"""`ftaudit scan-source` and `ftaudit rules`, run as real subprocesses."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from _source_helpers import FTAUDIT, SOURCE_FIXTURES, marked_risks

pytestmark = pytest.mark.timeout(120)


def _run(*arguments: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(FTAUDIT), *arguments], capture_output=True, text=True, timeout=110, check=False, cwd=cwd
    )


def test_json_output_has_path_line_column_and_code(tmp_path):
    completed = _run("scan-source", str(SOURCE_FIXTURES), "--format", "json", "--cache-dir", str(tmp_path))
    assert completed.returncode == 1, completed.stderr  # error findings fail by default
    document = json.loads(completed.stdout)
    findings = document["source"]["findings"]
    expected = marked_risks(SOURCE_FIXTURES / "cext" / "counter.c") | marked_risks(
        SOURCE_FIXTURES / "pyapp" / "state.py"
    )
    assert len(findings) == len(expected)
    for finding in findings:
        location = finding["location"]
        assert location["path"] and location["line"] >= 1 and location["column"] >= 1
        assert finding["rule"].startswith(("FTC", "FTP")) and location["snippet"]
    # Every finding also carries the flat keys scripts look for first.
    for finding in findings:
        assert (finding["path"], finding["line"], finding["column"], finding["code"]) == (
            finding["location"]["path"],
            finding["location"]["line"],
            finding["location"]["column"],
            finding["rule"],
        )


def test_exit_codes(tmp_path):
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "ok.py").write_text("def add(a, b):\n    return a + b\n")
    assert _run("scan-source", str(clean), "-f", "json", "--no-cache").returncode == 0
    (clean / "bad.py").write_bytes(b"\xff\xfe\n")
    assert _run("scan-source", str(clean), "-f", "json", "--no-cache").returncode == 3
    assert _run("scan-source", str(tmp_path / "missing"), "-f", "json").returncode == 2
    assert _run("scan-source", str(clean), "--baseline", str(tmp_path / "nope.json")).returncode == 2
    # Warnings only, with --fail-on error: passes.
    warn = tmp_path / "warn"
    warn.mkdir()
    (warn / "app.py").write_text("_seen = []\n\ndef see(x):\n    _seen.append(x)\n")
    assert _run("scan-source", str(warn), "-f", "json", "--no-cache").returncode == 1
    assert _run("scan-source", str(warn), "-f", "json", "--no-cache", "--fail-on", "error").returncode == 0


def test_write_baseline_then_only_new_findings_fail(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(SOURCE_FIXTURES / "pyapp", project)
    baseline = tmp_path / "baseline.json"
    written = _run("scan-source", str(project), "-f", "json", "--no-cache", "--write-baseline", str(baseline))
    assert written.returncode == 0 and baseline.exists()
    assert (
        _run("scan-source", str(project), "-f", "json", "--no-cache", "--baseline", str(baseline)).returncode
        == 0
    )
    with open(project / "state.py", "a") as handle:
        handle.write("\n\ndef forget(key):\n    del _cache[key]\n")
    completed = _run("scan-source", str(project), "-f", "json", "--no-cache", "--baseline", str(baseline))
    assert completed.returncode == 1
    unsuppressed = [
        finding for finding in json.loads(completed.stdout)["source"]["findings"] if not finding["suppressed"]
    ]
    assert [finding["location"]["snippet"] for finding in unsuppressed] == ["del _cache[key]"]


def test_rules_lists_every_category_and_explains_one():
    listing = _run("rules")
    assert listing.returncode == 0
    codes = {line.split()[0] for line in listing.stdout.splitlines() if line.strip()}
    assert {"FTC001", "FTC011", "FTP001", "FTP005"} <= codes
    explained = _run("rules", "ftc003")
    assert explained.returncode == 0
    assert "PyDict_GetItemRef" in explained.stdout and "Flagged (c)" in explained.stdout
    assert _run("rules", "FTX999").returncode == 2


def test_test_code_is_left_out_and_counted_unless_asked_for(tmp_path):
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "tests").mkdir()
    (project / "Modules" / "_testcapi").mkdir(parents=True)
    racy = "_seen = []\n\ndef see(x):\n    _seen.append(x)\n"
    (project / "src" / "app.py").write_text(racy)
    (project / "tests" / "helpers.py").write_text(racy)
    (project / "src" / "test_app.py").write_text(racy)
    (project / "Modules" / "_testcapi" / "watchers.c").write_text("static long n;\nvoid hit(void) { n++; }\n")
    default = json.loads(_run("scan-source", str(project), "-f", "json", "--no-cache").stdout)["source"]
    assert {finding["path"].split("/")[-1] for finding in default["findings"]} == {"app.py"}
    assert default["test_files_skipped"] == 3 and default["files_checked"] == 1
    terminal = _run("scan-source", str(project), "--no-cache").stdout
    assert "3 test files left out (scan-source --include-tests reads them)" in terminal
    everything = json.loads(
        _run("scan-source", str(project), "-f", "json", "--no-cache", "--include-tests").stdout
    )["source"]
    assert {finding["path"].split("/")[-1] for finding in everything["findings"]} == {
        "app.py",
        "helpers.py",
        "test_app.py",
        "watchers.c",
    }
    assert everything["test_files_skipped"] == 0
    # A test file named on its own is what the user asked for: always read.
    named = json.loads(
        _run("scan-source", str(project / "tests" / "helpers.py"), "-f", "json", "--no-cache").stdout
    )
    assert len(named["source"]["findings"]) == 1

"""`ftaudit audit`, the main job: scan + hammer + the three report files, end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from _index_server import LINUX, FixtureIndex, Release

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
            "--no-project",
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
            "--no-project",
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


# --- ftaudit audit on a project ----------------------------------------------------------

EXAMPLE = REPO / "ext_samples" / "example_service"


def _wheels(*abis: str) -> list[str]:
    return [f"{abi.rstrip('t')}-{abi}-{LINUX}" for abi in abis]


def example_world() -> list[Release]:
    """What PyPI ships for the example's pins (checked 2026-01 with its JSON API), in
    miniature: the same versions and the same wheel tags, built here."""
    return [
        Release("numpy", "2.1.0", _wheels("cp313", "cp313t"), sdist=True),
        Release("numpy", "2.4.6", _wheels("cp313", "cp313t", "cp314", "cp314t"), sdist=True),
        Release("numpy", "2.5.4", _wheels("cp313", "cp314", "cp314t", "cp315", "cp315t"), sdist=True),
        Release(
            "pandas",
            "2.2.3",
            _wheels("cp313", "cp313t"),
            sdist=True,
            requires_dist=["numpy>=1.26", "python-dateutil>=2.8.2"],
        ),
        Release(
            "pandas",
            "3.0.3",
            _wheels("cp313", "cp313t", "cp314", "cp314t"),
            sdist=True,
            requires_dist=["numpy>=1.26", "python-dateutil>=2.8.2"],
        ),
        Release(
            "pandas",
            "3.0.6",
            _wheels("cp313", "cp314", "cp314t", "cp315", "cp315t"),
            sdist=True,
            requires_dist=["numpy>=1.26", "python-dateutil>=2.8.2"],
        ),
        Release("python-dateutil", "2.9.0", ["py2.py3-none-any"], sdist=True),
        Release("psycopg2-binary", "2.9.13", _wheels("cp313", "cp314", "cp315"), sdist=True),
        Release("markupsafe", "2.1.5", _wheels("cp312"), sdist=True),
        Release("markupsafe", "3.0.0", _wheels("cp313", "cp313t"), sdist=True),
        Release("markupsafe", "3.0.3", _wheels("cp313", "cp313t", "cp314", "cp314t"), sdist=True),
        Release("markupsafe", "3.0.4", _wheels("cp313", "cp314", "cp314t", "cp315", "cp315t"), sdist=True),
        Release("pyyaml", "6.0.2", _wheels("cp313"), sdist=True),
        Release("pyyaml", "6.0.3", _wheels("cp313", "cp314", "cp314t"), sdist=True),
        Release("pyyaml", "6.0.4", _wheels("cp313", "cp314", "cp314t", "cp315", "cp315t"), sdist=True),
    ]


def _isolated_environment(home: Path) -> dict[str, str]:
    import os

    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_", "VIRTUAL_ENV"))}
    # PIP_CONFIG_FILE=os.devnull switches every pip.conf off (pip's rule); HOME stays, it
    # holds the provisioned interpreters.
    environment.update(PIP_CONFIG_FILE=os.devnull, XDG_CONFIG_DIRS=str(home / "none"))
    # Run from another folder, `-m auditor` must still be this checkout's.
    environment["PYTHONPATH"] = str(REPO)
    return environment


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_audit_of_the_example_project_decides_per_target_with_advice_right_for_each_package(tmp_path):
    with FixtureIndex(example_world(), tmp_path / "index-files") as index:
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "auditor",
                "audit",
                "--index-url",
                index.url,
                "--budget",
                "2",
                "--cache-dir",
                str(tmp_path / "cache"),
                "--output-dir",
                str(tmp_path / "out"),
            ],
            capture_output=True,
            text=True,
            cwd=EXAMPLE,
            env=_isolated_environment(tmp_path),
            timeout=540,
        )
    assert completed.returncode == 0, completed.stderr[-3000:]
    document = json.loads((tmp_path / "out" / "ftaudit-report.json").read_text())
    project = document["project"]
    parts = {part["name"]: part for part in project["parts"]}
    assert {name: part["status"] for name, part in parts.items()} == {
        "dependencies": "done",
        "environment": "skipped",
        "sources": "done",
        "samples": "done",
    }
    assert "ftaudit's own environment is not the project's" in parts["environment"]["detail"]
    assert project["dependency_file"].endswith("requirements.txt")

    decisions = {decision["target"]: decision for decision in project["decisions"]}
    assert list(decisions) == ["3.13t", "3.14t", "3.15t"] and not any(d["ready"] for d in decisions.values())
    blocked_by = {
        t: {b["name"] for b in d["blockers"] if b["kind"] == "dependency"} for t, d in decisions.items()
    }
    assert blocked_by["3.13t"] == {"numpy", "pandas", "psycopg2-binary", "markupsafe", "pyyaml"}
    assert blocked_by["3.14t"] == blocked_by["3.15t"] == {"psycopg2-binary", "markupsafe", "pyyaml"}
    assert project["recommended_target"] == "3.14t"  # a tie with 3.15t goes to the older release
    advice = {(t, b["name"]): b["advice"] for t, d in decisions.items() for b in d["blockers"]}
    # numpy dropped cp313t after 2.4.6: going back is a downgrade, and 2.5.4 is fine on 3.14t+.
    assert "pin numpy==2.4.6 (a downgrade from 2.5.4)" in advice[("3.13t", "numpy")]
    assert "3.14t and 3.15t need no change to this pin" in advice[("3.13t", "numpy")]
    # PyYAML never shipped cp313t wheels: no rebuild for 3.13t, the first cp314t release instead.
    assert "--no-binary" not in advice[("3.13t", "pyyaml")]
    assert "6.0.3 is its first release with cp314t wheels" in advice[("3.13t", "pyyaml")]
    assert advice[("3.14t", "markupsafe")].startswith("upgrade markupsafe from 2.1.5 to 3.0.3")
    assert "GIL builds only" in advice[("3.15t", "psycopg2-binary")]
    # Our race, classified against the GIL baseline, blocks every target.
    assert {b["name"] for d in decisions.values() for b in d["blockers"] if b["kind"] == "own-code"} == {
        "request_stats"
    }
    samples = {sample["name"]: sample for sample in document["hammer"]}
    assert samples["request_stats"]["classification"] == "race-without-gil"
    assert samples["request_stats_locked"]["classification"] == "safe"
    for sample in samples.values():
        for run in (sample["target"], sample["baseline"]):
            assert run["speedup"] is None or run["speedup"] <= run["cores"], run
    # The source rules found the unguarded statics in our extension.
    assert any(
        f["rule"] == "FTC001" and f["location"]["path"].endswith("_stats.c")
        for f in document["source"]["findings"]
    )

    markdown = (tmp_path / "out" / "ftaudit-report.md").read_text()
    steps = markdown.split("## Next steps", 1)[1].split("\n## ", 1)[0]
    for teaching_sample in ("static_counter", "torn_pair", "lazy_init_cache", "ext_samples"):
        assert teaching_sample not in steps  # ftaudit's own samples are no next step
    assert "Aim for 3.14t" in steps and r"Fix sample request\_stats" in steps  # Markdown-escaped
    html = (tmp_path / "out" / "ftaudit-report.html").read_text()
    assert html.index('id="decision"') < html.index('id="tree"') < html.index('id="harness"')


def test_audit_of_a_folder_with_nothing_in_it_skips_every_part_and_says_why(tmp_path):
    project = tmp_path / "empty"
    project.mkdir()
    completed = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", "--project", str(project), "--output-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=_isolated_environment(tmp_path),
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    document = json.loads((tmp_path / "ftaudit-report.json").read_text())
    parts = {part["name"]: part for part in document["project"]["parts"]}
    assert {part["status"] for part in parts.values()} == {"skipped"}
    assert "requirements*.txt" in parts["dependencies"]["detail"]
    assert "ftaudit hammer ext_samples/" in parts["samples"]["detail"]
    assert "skipped" in completed.stderr

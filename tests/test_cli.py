"""The CLI is a thin layer: every subcommand registers, parses and documents itself."""

from __future__ import annotations

import subprocess
import sys

import pytest

from auditor.cli import _subcommand_modules, build_parser

EXPECTED_COMMANDS = {
    "interpreters",
    "provision",
    "scan",
    "probe",
    "hammer",
    "scan-source",
    "rules",
    "fix",
    "report",
    "check",
    "tree",
    "diff",
    "audit",
    "formats",
}


def _command_names() -> set[str]:
    parser = build_parser()
    subparsers = next(action for action in parser._actions if action.dest == "command")
    return set(subparsers.choices)


def test_every_planned_command_is_there():
    assert EXPECTED_COMMANDS <= _command_names()


@pytest.mark.parametrize("command", sorted(EXPECTED_COMMANDS))
def test_each_command_has_help(command):
    completed = subprocess.run(
        [sys.executable, "-m", "auditor", command, "--help"], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    assert "usage: ftaudit" in completed.stdout


def test_no_command_prints_usage_and_exits_2():
    completed = subprocess.run([sys.executable, "-m", "auditor"], capture_output=True, text=True)
    assert completed.returncode == 2
    assert "exit codes" in completed.stderr


def test_formats_lists_every_reporter():
    completed = subprocess.run(
        [sys.executable, "-m", "auditor", "formats"], capture_output=True, text=True, check=True
    )
    names = {line.split()[0] for line in completed.stdout.splitlines() if line.strip()}
    assert {"json", "terminal", "markdown", "html", "sarif", "junit"} <= names


def test_subcommand_modules_are_discovered_in_a_stable_order():
    modules = _subcommand_modules()
    assert modules.index("scan") < modules.index("hammer") < modules.index("report")


@pytest.mark.parametrize("command", ["scan", "hammer", "tree", "scan-source", "report", "check"])
def test_an_unknown_format_is_refused_before_any_work(command, tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "auditor", command, str(tmp_path), "--format", "nope"],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 2
    assert "unknown format 'nope'" in completed.stderr and "sarif" in completed.stderr


def test_an_unwritable_output_is_a_clear_usage_error(tmp_path):
    site = tmp_path / "site-packages"
    site.mkdir()
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditor",
            "scan",
            "--path",
            str(site),
            "-o",
            str(tmp_path / "no" / "such" / "x.json"),
        ],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 2
    assert "cannot write" in completed.stderr and "Traceback" not in completed.stderr

"""Every rule's VALID and INVALID examples, in every category, run the way the rule runs.

The examples are the rules' documentation (`ftaudit rules CODE` prints them), so this
file keeps the documentation true: an INVALID example must produce a finding of its
rule, a VALID one must not, and an example with an expected fix must be turned into
exactly that text by `ftaudit fix`. One generator covers them all (Fixit's shape), so an
example cannot go unrun: each (category, language) has one way to run, and an example
with none fails.

* source rules (FTC, FTP): the snippet is checked by the engine, as a file of its language;
* binary rules (FTB): the C/C++ translation unit is compiled into a real extension module
  (for the interpreter its ``filename``'s ABI tag names) and read back;
* runtime rules (FTR): the sample folder is hammered on the real free-threaded
  interpreter (and the GIL baseline), with the settings the rule's
  ``hammer_settings`` reads from the example;
* environment rules (FTE): the TOML scenario is turned into a report and interpreter
  facts and gated; ``shell`` examples are ftaudit command lines, run in an empty folder.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from _extension_builds import build_snippet, free_threaded_python, gil_python
from _harness_helpers import hammered, tsan_python
from _report_samples import environment_scenario
from _source_helpers import example_filename

from auditor.collectors.binary.abi_tag import parse_abi_tag
from auditor.collectors.binary.risky_symbols import REPORTED_AS
from auditor.engine.binary_checks import analyse_extension
from auditor.engine.gate import environment_findings, interpreter_findings
from auditor.engine.source_checks import check_bytes
from auditor.pipelines.fix import fix_python_source
from auditor.rules.binary import RiskyImportRule
from auditor.rules.registry import all_rules

REPO = Path(__file__).resolve().parent.parent
FREE_THREADED = free_threaded_python()
SOURCE_LANGUAGES = {"c", "cpp", "cython", "python", "rust"}


# --------------------------------------------------------------------------- source rules


def _source_codes(rule, example, tmp_path: Path):
    return [finding.rule for finding in _source_findings(rule, example)], ""


def _source_findings(rule, example):
    outcome = check_bytes(example_filename(example), example.code.encode(), example.language)
    assert outcome.problem is None, outcome.problem
    return [finding for finding in outcome.findings if finding.rule == rule.code]


def _check_source_invalid(rule, example) -> None:
    for finding in _source_findings(rule, example):
        assert finding.location.line >= 1 and finding.location.column >= 1
        assert finding.location.snippet, "every finding carries its code excerpt"
        assert finding.fix


# --------------------------------------------------------------------------- binary rules


def _interpreter_for(filename: str | None) -> Path | None:
    if filename is None or parse_abi_tag(filename).free_threaded:
        return FREE_THREADED
    return gil_python()


def _binary_findings(rule, example, tmp_path: Path):
    if FREE_THREADED is None:
        pytest.fail("no free-threaded 3.13: scripts/setup.sh provisions it (ftaudit provision)")
    python = _interpreter_for(example.filename)
    if python is None:
        pytest.fail(f"no interpreter for {example.filename}")
    built = build_snippet(example.code, "example", python, cpp=example.language == "cpp")
    path = built.path
    if example.filename and example.filename != path.name:
        path = tmp_path / example.filename
        shutil.copy(built.path, path)
    extension, findings = analyse_extension(path, path.parent, "3.13t")
    return path, extension, findings


def _binary_codes(rule, example, tmp_path: Path):
    path, extension, findings = _binary_findings(rule, example, tmp_path)
    flagged = next((finding for finding in findings if finding.rule == rule.code), None)
    if flagged is not None:
        assert flagged.module == "example" and flagged.location.path == path.name and flagged.fix
    return [finding.rule for finding in findings], (extension.gil_evidence, extension.errors)


# --------------------------------------------------------------------------- runtime rules


def _runtime_codes(rule, example, tmp_path: Path):
    sample_dir = REPO / example.code
    assert (sample_dir / "sample.toml").is_file(), f"{rule.code}: example {example.code} is not a sample"
    settings = rule.hammer_settings(example)
    if settings.get("tsan") and tsan_python() is None:
        pytest.fail("the ThreadSanitizer interpreter is not provisioned (`ftaudit provision --tsan`)")
    result = hammered(sample_dir, **settings)
    return [finding.rule for finding in result.findings], result.errors


# --------------------------------------------------------------------------- environment rules


def _environment_codes(rule, example, tmp_path: Path):
    report, facts = environment_scenario(example.code)
    findings = environment_findings(report) + (interpreter_findings(facts) if facts else [])
    return [finding.rule for finding in findings], ""


def _shell_codes(rule, example, tmp_path: Path):
    """Run an ``ftaudit ...`` command line in an empty folder; the codes of the findings in
    every JSON report it wrote there."""
    program, *arguments = shlex.split(example.code)
    assert program == "ftaudit", f"{rule.code}: a shell example is an ftaudit command line: {example.code}"
    # Not the test run's own environment: an empty folder is a project with nothing in it.
    environment = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    # The auditor under test, not whichever one is installed: a relative PYTHONPATH ("."
    # in a worktree) would name the empty folder once the command runs there.
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(REPO), *(path for path in environment.get("PYTHONPATH", "").split(os.pathsep) if path)]
    )
    completed = subprocess.run(
        [sys.executable, "-m", "auditor", *arguments],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    reports = sorted(tmp_path.glob("*.json"))
    assert reports, (
        f"{example.code} wrote no JSON report (exit {completed.returncode}): {completed.stderr[-2000:]}"
    )
    codes = [
        finding["code"]
        for report in reports
        for finding in json.loads(report.read_text(encoding="utf-8")).get("findings", [])
    ]
    return codes, completed.stderr[-2000:]


# --------------------------------------------------------------------------- the generator

# (category, example language) -> how to get the rule codes an example produces, with
# what to show when the answer is wrong.
RUNNERS: dict[tuple[str, str], Callable] = {
    **{("c-source", language): _source_codes for language in SOURCE_LANGUAGES},
    **{("python-source", language): _source_codes for language in SOURCE_LANGUAGES},
    ("binary", "c"): _binary_codes,
    ("binary", "cpp"): _binary_codes,
    ("runtime", "sample"): _runtime_codes,
    ("environment", "environment"): _environment_codes,
    ("environment", "shell"): _shell_codes,
}
# Runs that build extensions or hammer samples take seconds each.
MARKS = {
    "binary": [pytest.mark.timeout(600)],
    "runtime": [pytest.mark.slow, pytest.mark.timeout(300)],
    "environment": [pytest.mark.timeout(300)],
}


def _examples():
    for rule in all_rules():
        for kind, examples in (("invalid", rule.invalid), ("valid", rule.valid)):
            for index, example in enumerate(examples):
                yield rule, kind, index, example


CASES = [
    pytest.param(rule, kind, example, id=f"{rule.code}-{kind}-{index}", marks=MARKS.get(rule.category, []))
    for rule, kind, index, example in _examples()
]


def test_every_example_has_a_way_to_run():
    unrunnable = [
        f"{rule.code} {kind} #{index} ({example.language})"
        for rule, kind, index, example in _examples()
        if (rule.category, example.language) not in RUNNERS
    ]
    assert not unrunnable, f"no runner for these examples: {unrunnable}"


def test_every_environment_rule_has_examples_of_both_kinds():
    for rule in all_rules("environment"):
        assert rule.valid and rule.invalid, f"{rule.code} needs VALID and INVALID examples"


def test_every_risky_import_rule_owns_the_family_reported_under_its_code():
    owners = {rule.family: rule.code for rule in all_rules("binary") if issubclass(rule, RiskyImportRule)}
    assert owners == REPORTED_AS


@pytest.mark.parametrize(("rule", "kind", "example"), CASES)
def test_example(rule, kind: str, example, tmp_path: Path) -> None:
    runner = RUNNERS.get((rule.category, example.language))
    if runner is None:
        pytest.fail(f"{rule.code}: no way to run a {example.language!r} example of a {rule.category} rule")
    codes, context = runner(rule, example, tmp_path)
    if kind == "invalid":
        assert rule.code in codes, (
            f"{rule.code} missed its INVALID example ({codes}, {context}):\n{example.code}"
        )
        if runner is _source_codes:
            _check_source_invalid(rule, example)
    else:
        assert rule.code not in codes, f"{rule.code} flagged its VALID example ({codes}, {context})"


@pytest.mark.parametrize(
    ("rule", "example"),
    [
        pytest.param(rule, example, id=f"{rule.code}-fix-{index}")
        for rule in all_rules()
        for index, example in enumerate(rule.invalid)
        if example.expected_fix
    ],
)
def test_expected_fix(rule, example):
    assert rule.category in ("c-source", "python-source"), f"{rule.code}: `ftaudit fix` fixes source rules"
    fixed = fix_python_source(example.code, {rule.code})
    assert fixed == example.expected_fix
    # The fixed code must be clean for the rule.
    outcome = check_bytes(example_filename(example), fixed.encode(), example.language)
    assert not [finding for finding in outcome.findings if finding.rule == rule.code]

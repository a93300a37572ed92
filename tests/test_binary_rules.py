"""Every FTB rule's VALID / INVALID examples, compiled into real extension modules and read back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from _extension_builds import build_snippet, free_threaded_python, gil_python

from auditor.collectors.binary.abi_tag import parse_abi_tag
from auditor.collectors.binary.risky_symbols import RISKY_FUNCTIONS
from auditor.engine.binary_checks import analyse_extension
from auditor.model.finding import Severity
from auditor.rules.registry import all_rules

FREE_THREADED = free_threaded_python()
pytestmark = [
    pytest.mark.skipif(FREE_THREADED is None, reason="no free-threaded 3.13 (ftaudit provision)"),
    pytest.mark.timeout(600),
]

BINARY_RULES = all_rules("binary")
CASES = [
    (rule, kind, index, example)
    for rule in BINARY_RULES
    for kind, examples in (("invalid", rule.invalid), ("valid", rule.valid))
    for index, example in enumerate(examples)
]


def test_the_binary_rules_exist_with_stable_codes() -> None:
    assert {rule.code for rule in BINARY_RULES} >= {
        "FTB001",
        "FTB002",
        "FTB003",
        "FTB004",
        "FTB101",
        "FTB102",
    }
    for rule in BINARY_RULES:
        assert rule.invalid and rule.valid, f"{rule.code} needs examples of both kinds"
        assert rule.rationale() and rule.fix and isinstance(rule.severity, Severity)


def _interpreter_for(filename: str | None) -> Path | None:
    if filename is None or parse_abi_tag(filename).free_threaded:
        return FREE_THREADED
    return gil_python()


@pytest.mark.parametrize(
    ("rule", "kind", "index", "example"),
    CASES,
    ids=[f"{rule.code}-{kind}-{index}" for rule, kind, index, _ in CASES],
)
def test_rule_example(rule, kind: str, index: int, example, tmp_path: Path) -> None:
    python = _interpreter_for(example.filename)
    if python is None:
        pytest.fail(f"no interpreter for {example.filename}")
    built = build_snippet(example.code, "example", python, cpp=example.language == "cpp")
    path = built.path
    if example.filename and example.filename != path.name:
        path = tmp_path / example.filename
        shutil.copy(built.path, path)
    extension, findings = analyse_extension(path, path.parent, "3.13t")
    codes = [finding.rule for finding in findings]
    if kind == "invalid":
        assert rule.code in codes, (extension.gil_evidence, extension.errors, codes)
        flagged = next(finding for finding in findings if finding.rule == rule.code)
        assert flagged.module == "example" and flagged.location.path == path.name and flagged.fix
    else:
        assert rule.code not in codes, (extension.gil_evidence, codes)


def test_risky_symbol_findings_name_their_replacement() -> None:
    from _extension_builds import build_fixture

    built = build_fixture("risky_calls", FREE_THREADED)
    extension, findings = analyse_extension(built.path, built.site, "3.13t")
    names = {symbol.name for symbol in extension.risky_symbols}
    assert {"PyDict_GetItem", "strtok", "localtime", "rand"} <= names
    replacements = {symbol.name: symbol.replacement for symbol in extension.risky_symbols}
    assert replacements["PyDict_GetItem"].startswith("PyDict_GetItemRef")
    assert replacements["strtok"] == "strtok_r"
    by_symbol = {finding.location.symbol: finding for finding in findings if finding.location.symbol}
    assert by_symbol["localtime"].rule == "FTB102" and "localtime_r" in by_symbol["localtime"].fix
    assert by_symbol["PyDict_GetItem"].rule == "FTB101"


def test_risky_table_is_consistent() -> None:
    for name, function in RISKY_FUNCTIONS.items():
        assert function.name == name and function.replacement and function.reason
        assert function.rule in ("FTB101", "FTB102")
        assert function.replacement.split()[0] != name


def test_fix_text_reads_as_an_instruction():
    from auditor.rules.binary import fix_sentence as _fix_sentence

    assert _fix_sentence("strtok_r") == "use strtok_r"
    assert _fix_sentence("one DIR* per thread (readdir_r is deprecated)").startswith("use one DIR*")
    assert _fix_sentence("iterate inside Py_BEGIN_CRITICAL_SECTION(dict)") == (
        "Iterate inside Py_BEGIN_CRITICAL_SECTION(dict)"
    )

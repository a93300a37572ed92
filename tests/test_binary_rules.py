"""The FTB rules and the risky-import table (their examples run in tests/test_rule_examples.py)."""

from __future__ import annotations

import pytest
from _extension_builds import free_threaded_python

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

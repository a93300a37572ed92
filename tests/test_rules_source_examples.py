"""Every FTC/FTP rule's VALID and INVALID examples, run through the real engine.

The examples are the rules' documentation (`ftaudit rules CODE` prints them), so this
file keeps the documentation true: an INVALID example must produce a finding of its
rule, a VALID one must not, and an example with an expected fix must be turned into
exactly that text by `ftaudit fix`.
"""

from __future__ import annotations

import pytest
from _source_helpers import example_filename

from auditor.engine.source_checks import check_bytes
from auditor.pipelines.fix import fix_python_source
from auditor.rules.registry import all_rules

SOURCE_RULES = [*all_rules("c-source"), *all_rules("python-source")]


def _cases(kind: str):
    for rule in SOURCE_RULES:
        for index, example in enumerate(getattr(rule, kind)):
            yield pytest.param(rule, example, id=f"{rule.code}-{kind}-{index}")


def _rule_findings(rule, example):
    outcome = check_bytes(example_filename(example), example.code.encode(), example.language)
    assert outcome.problem is None, outcome.problem
    return [finding for finding in outcome.findings if finding.rule == rule.code]


def test_every_source_rule_has_examples_of_both_kinds():
    assert len(SOURCE_RULES) >= 16
    for rule in SOURCE_RULES:
        assert rule.invalid and rule.valid, f"{rule.code} needs VALID and INVALID examples"


@pytest.mark.parametrize(("rule", "example"), list(_cases("invalid")))
def test_invalid_example_is_reported(rule, example):
    findings = _rule_findings(rule, example)
    assert findings, f"{rule.code} missed its INVALID example:\n{example.code}"
    for finding in findings:
        assert finding.location.line >= 1 and finding.location.column >= 1
        assert finding.location.snippet, "every finding carries its code excerpt"
        assert finding.fix


@pytest.mark.parametrize(("rule", "example"), list(_cases("valid")))
def test_valid_example_is_not_reported(rule, example):
    findings = _rule_findings(rule, example)
    assert not findings, f"{rule.code} flagged its VALID example: {[f.message for f in findings]}"


@pytest.mark.parametrize(
    ("rule", "example"),
    [
        pytest.param(rule, example, id=f"{rule.code}-fix-{index}")
        for rule in SOURCE_RULES
        for index, example in enumerate(rule.invalid)
        if example.expected_fix
    ],
)
def test_expected_fix(rule, example):
    fixed = fix_python_source(example.code, {rule.code})
    assert fixed == example.expected_fix
    # The fixed code must be clean for the rule.
    outcome = check_bytes(example_filename(example), fixed.encode(), example.language)
    assert not [finding for finding in outcome.findings if finding.rule == rule.code]

"""The rule registry: every rule is documented, coded once, and findable."""

from __future__ import annotations

import pytest

from auditor.model.finding import Severity
from auditor.rules import CATEGORIES, Example, Rule, all_rules, get_rule, register
from auditor.rules.registry import RuleRegistrationError


def test_every_registered_rule_is_fully_documented():
    rules = all_rules()
    assert rules, "no rules registered"
    codes = [rule.code for rule in rules]
    assert len(codes) == len(set(codes))
    for rule in rules:
        assert rule.code.startswith(CATEGORIES[rule.category]), rule.code
        assert rule.rationale(), rule.code
        assert rule.fix and rule.summary and rule.name, rule.code
        assert isinstance(rule.severity, Severity), rule.code
        assert rule.name == rule.name.lower() and " " not in rule.name, rule.code
        for example in [*rule.valid, *rule.invalid]:
            assert isinstance(example, Example), rule.code


def test_get_rule_is_case_insensitive_and_explains_a_miss():
    first = all_rules()[0]
    assert get_rule(first.code.lower()) is first
    with pytest.raises(KeyError, match="ftaudit rules"):
        get_rule("FTX999")


def test_registration_rejects_bad_declarations():
    with pytest.raises(RuleRegistrationError, match="prefix"):

        @register
        class WrongPrefix(Rule):
            """Why."""

            code = "FTC900"
            name = "wrong-prefix"
            category = "binary"
            severity = Severity.NOTE
            summary = "s"
            fix = "f"

    with pytest.raises(RuleRegistrationError, match="docstring"):

        @register
        class NoWhy(Rule):
            code = "FTB900"
            name = "no-why"
            category = "binary"
            severity = Severity.NOTE
            summary = "s"
            fix = "f"


def test_a_code_cannot_be_taken_twice():
    taken = all_rules()[0]

    with pytest.raises(RuleRegistrationError, match="already used"):

        @register
        class Impostor(Rule):
            """Why."""

            code = taken.code
            name = "impostor"
            category = taken.category
            severity = Severity.NOTE
            summary = "s"
            fix = "f"


def test_finding_names_its_rule_and_defaults_to_its_fix():
    rule = all_rules()[0]
    finding = rule.finding()
    assert finding.rule == rule.code
    assert finding.fix == rule.fix
    assert finding.severity == rule.severity

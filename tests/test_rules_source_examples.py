"""The source rules (FTC/FTP) document themselves with examples of both kinds.

tests/test_rule_examples.py runs every rule's examples, of every category.
"""

from __future__ import annotations

from auditor.rules.registry import all_rules

SOURCE_RULES = [*all_rules("c-source"), *all_rules("python-source")]


def test_every_source_rule_has_examples_of_both_kinds():
    assert len(SOURCE_RULES) >= 16
    for rule in SOURCE_RULES:
        assert rule.invalid and rule.valid, f"{rule.code} needs VALID and INVALID examples"

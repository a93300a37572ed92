"""Inline suppression comments, read by the engine (not by each rule, as in Fixit).

The comments' spelling is read by :mod:`auditor.collectors.source.suppression_comments`.
Suppressed findings are kept with ``suppressed=True`` so reporters can count them and a
reviewer can see what was waved through; they never make a command fail.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..collectors.source.suppression_comments import ALL_RULES, parse_suppressions
from ..model.finding import Finding

__all__ = ["ALL_RULES", "apply_suppressions", "parse_suppressions"]


def apply_suppressions(findings: Iterable[Finding], text: str) -> list[Finding]:
    """Mark the findings of one file that an inline directive covers; return them all."""
    findings = list(findings)
    table = parse_suppressions(text)
    if not table:
        return findings
    for finding in findings:
        line = finding.location.line if finding.location else None
        if line is None:
            continue
        codes = table.get(line, set())
        if ALL_RULES in codes or finding.rule in codes:
            finding.suppressed = True
            finding.suppression_reason = "inline comment"
    return findings

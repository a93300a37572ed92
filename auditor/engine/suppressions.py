"""Inline suppression comments, read by the engine (not by each rule, as in Fixit).

Spellings, on the finding's line or on the line just above it:

* Python: ``# ftaudit: ignore`` or ``# ftaudit: ignore[FTP001, FTP003]``
* C, C++, Cython, Rust: ``// ftaudit: ignore[FTC001]`` or ``/* ftaudit: ignore[FTC001] */``
  (Cython uses ``#`` like Python).

A bare ``ignore`` silences every rule on that line. Suppressed findings are kept with
``suppressed=True`` so reporters can count them and a reviewer can see what was waved
through; they never make a command fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model.finding import Finding

# One pattern for both comment styles: the comment opener is matched loosely because the
# directive may sit after code (`x = 1  # ftaudit: ignore`) or inside a block comment.
_DIRECTIVE = re.compile(
    r"(?:#|//|/\*)\s*ftaudit\s*:\s*ignore(?:\[(?P<codes>[A-Za-z0-9_,\s]*)\])?(?:\s*[-:]\s*(?P<reason>[^*\n]*))?",
    re.IGNORECASE,
)

ALL_RULES = "*"


def parse_suppressions(text: str) -> dict[int, set[str]]:
    """Map 1-based line numbers to the rule codes suppressed there (``{"*"}`` for all).

    A directive covers its own line and the next one, so it can sit above a long line.
    """
    suppressed: dict[int, set[str]] = {}
    if "ftaudit" not in text:
        return suppressed
    for line_number, line in enumerate(text.splitlines(), start=1):
        if "ftaudit" not in line:
            continue
        for match in _DIRECTIVE.finditer(line):
            codes_text = match.group("codes")
            if codes_text is None:
                codes = {ALL_RULES}
            else:
                codes = {code.strip().upper() for code in codes_text.split(",") if code.strip()}
                if not codes:
                    codes = {ALL_RULES}
            for covered in (line_number, line_number + 1):
                suppressed.setdefault(covered, set()).update(codes)
    return suppressed


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

"""Inline suppression comments as written in a source file: which lines silence which rules.

Spellings, on the finding's line or on the line just above it:

* Python: ``# ftaudit: ignore`` or ``# ftaudit: ignore[FTP001, FTP003]``
* C, C++, Cython, Rust: ``// ftaudit: ignore[FTC001]`` or ``/* ftaudit: ignore[FTC001] */``
  (Cython uses ``#`` like Python).

A bare ``ignore`` silences every rule on that line. Reading the comments is a fact about
the file (a fixer needs it as much as the engine); deciding what they do to findings is
the engine's (:mod:`auditor.engine.suppressions`).
"""

from __future__ import annotations

import re

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

"""Helpers for the source-check tests (not a conftest: other suites share tests/)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE_FIXTURES = REPO / "fixtures" / "sources"
FTAUDIT = REPO / ".venv" / "bin" / "ftaudit"

_SUFFIX_BY_LANGUAGE = {"c": ".c", "cpp": ".cpp", "cython": ".pyx", "python": ".py", "rust": ".rs"}


def example_filename(example) -> str:
    return example.filename or f"example{_SUFFIX_BY_LANGUAGE[example.language]}"


def engine_language(example) -> str:
    return example.language


def marked_risks(path: Path) -> set[tuple[int, str]]:
    """(line, code) pairs a fixture marks with `RISK FTxNNN`."""
    risks = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for code in re.findall(r"RISK (FT[CP]\d{3})", line):
            risks.add((number, code))
    return risks

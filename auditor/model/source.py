"""Results of checking C/C++/Cython/Python sources against the source rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from .finding import Finding


@dataclass
class FileProblem:
    """A file that could not be checked (undecodable, syntax error, too large, unsafe path)."""

    path: str
    message: str


@dataclass
class SourceScanResult:
    roots: list[str]
    files_checked: int = 0
    files_from_cache: int = 0
    findings: list[Finding] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    partial: bool = False
    duration_seconds: float = 0.0
    # Files deliberately not checked (generated C from Cython/SWIG): not a partial result.
    skipped: list[FileProblem] = field(default_factory=list)
    # Files the real parser (tree-sitter / LibCST) read; the rest were cleared by the
    # cheap pre-filter or came from the cache.
    files_parsed: int = 0
    # Test code under a scanned folder that was not read (tests/, test_*.py, CPython's
    # _testcapi*): a hazard in a test harness is rarely what a team porting to free-threading
    # acts on. ``include_tests`` reads it; the count says what was left out.
    test_files_skipped: int = 0
    # The rule codes that were applied (after --select / --ignore).
    rules: list[str] = field(default_factory=list)

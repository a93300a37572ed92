"""scan_source: the orchestration of source checks over folders, files and sdists.

The work is split so a large tree is cheap: every file is read and hashed once in this
process (:mod:`.source_files`), the content-hash cache answers for files seen before,
and only the misses go to a pool of worker processes (:mod:`.source_workers`). Selection
(``rules``/``ignore``), inline suppressions, project-level settings (a Cython directive
in setup.py, FREE_THREADED in CMake) and the baseline are applied afterwards, to cached
and fresh results alike.
"""

from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from ..engine.baseline import BaselineError, apply_baseline, load_baseline
from ..engine.selection import rule_selected
from ..engine.source_checks import MAX_FILE_BYTES, FileOutcome
from ..engine.suppressions import apply_suppressions
from ..model.environment import ScanResult
from ..model.finding import Finding
from ..model.source import FileProblem, SourceScanResult
from ..rules.registry import all_rules
from ..shared.regular_files import read_regular_file
from .source_files import SourceFile, is_test_path, list_source_files, read_and_hash
from .source_workers import ProgressCallback, check_files

_CYTHON_PROJECT_DIRECTIVE = re.compile(r"""freethreading_compatible['"]?\s*[:=]\s*['"]?True""")
_NANOBIND_FREE_THREADED = re.compile(
    r"nanobind_add_module\s*\((?:[^()]|\([^()]*\))*?\bFREE_THREADED\b", re.DOTALL
)


class SourceScanError(Exception):
    """The scan could not start (e.g. an unreadable baseline file)."""


def scan_source(
    paths: list[Path],
    *,
    rules: set[str] | None = None,
    ignore: set[str] | None = None,
    baseline: Path | None = None,
    cache_dir: Path | None = None,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    use_cache: bool = True,
    include_tests: bool = False,
) -> SourceScanResult:
    """Check C/C++/Cython/Rust/Python sources under ``paths`` against the source rules.

    ``paths`` are folders, single files or sdist archives (extracted safely into a
    temporary folder). ``rules``/``ignore`` are codes or code prefixes (``FTC``,
    ``FTP00``). ``baseline`` marks accepted findings as suppressed. Results are cached
    by content under ``cache_dir`` (default ``~/.cache/ftaudit/source-cache``) unless
    ``use_cache`` is false. Test code inside a folder or sdist (``tests/``, ``test_*.py``,
    ``_testcapi*.c``) is counted and left out unless ``include_tests``. Never raises for
    bad input files: each becomes a :class:`FileProblem` and the result is marked partial.
    """
    started = time.perf_counter()
    result = SourceScanResult(roots=[str(path) for path in paths])
    result.rules = [
        rule.code
        for rule in [*all_rules("c-source"), *all_rules("python-source")]
        if rule_selected(rule.code, rules, ignore)
    ]
    accepted = None
    if baseline is not None:
        try:
            accepted = load_baseline(Path(baseline))
        except BaselineError as error:
            raise SourceScanError(str(error)) from None

    with tempfile.TemporaryDirectory(prefix="ftaudit-sdist-") as work_folder:
        listing = list_source_files(paths, Path(work_folder), result, include_tests=include_tests)
        readable = read_and_hash(listing.files, result)
        outcomes, fresh = check_files(
            readable, result, cache_dir=cache_dir, use_cache=use_cache, jobs=jobs, progress=progress
        )
        project = _ProjectSettings.from_build_texts(listing.build_texts)
        findings: list[Finding] = []
        for index, source_file in enumerate(readable):
            outcome = outcomes.get(index)
            if outcome is None or not _counted(outcome, source_file, result):
                continue
            if outcome.full_parse and index in fresh:
                result.files_parsed += 1
            selected = [
                finding
                for finding in outcome.findings
                if rule_selected(finding.rule, rules, ignore) and not project.settles(finding, source_file)
            ]
            findings.extend(_located_and_suppressed(selected, source_file, result))

    if accepted is not None:
        findings = apply_baseline(findings, accepted)
    result.findings = findings
    result.partial = bool(result.problems)
    result.duration_seconds = round(time.perf_counter() - started, 3)
    return result


@dataclass
class _ProjectSettings:
    """The roots whose build files settle a finding project-wide."""

    cython_directive_roots: set[int]
    nanobind_free_threaded_roots: set[int]

    @classmethod
    def from_build_texts(cls, build_texts: dict[int, list[str]]) -> _ProjectSettings:
        def roots_where(pattern: re.Pattern) -> set[int]:
            return {
                index for index, texts in build_texts.items() if any(pattern.search(text) for text in texts)
            }

        return cls(roots_where(_CYTHON_PROJECT_DIRECTIVE), roots_where(_NANOBIND_FREE_THREADED))

    def settles(self, finding: Finding, source_file: SourceFile) -> bool:
        if finding.rule == "FTC007":
            return source_file.root_index in self.cython_directive_roots
        if finding.rule == "FTC009":
            return source_file.root_index in self.nanobind_free_threaded_roots
        return False


def _counted(outcome: FileOutcome, source_file: SourceFile, result: SourceScanResult) -> bool:
    """Whether the file was checked (counted in ``files_checked``) rather than a problem or skipped."""
    if outcome.problem:
        result.problems.append(FileProblem(source_file.display, outcome.problem))
        return False
    if outcome.skipped:
        result.skipped.append(FileProblem(source_file.display, outcome.skipped))
        return False
    result.files_checked += 1
    return True


def _located_and_suppressed(
    findings: list[Finding], source_file: SourceFile, result: SourceScanResult
) -> list[Finding]:
    # Copies: identical files share one cached outcome.
    located = [
        replace(
            finding,
            evidence=list(finding.evidence),
            location=replace(finding.location, path=source_file.display) if finding.location else None,
        )
        for finding in findings
    ]
    if not located or not source_file.mentions_ftaudit:
        return located
    try:
        text = read_regular_file(source_file.path, MAX_FILE_BYTES).decode("utf-8", errors="replace")
    except OSError as error:
        result.problems.append(
            FileProblem(source_file.display, f"suppressions not read: {error.strerror or error}")
        )
        return located
    return apply_suppressions(located, text)


def check_distribution_sources(
    result: ScanResult, *, jobs: int | None = None, use_cache: bool = True, progress=None
) -> SourceScanResult:
    """Run the Python source rules over every ``.py`` file the scanned distributions ship.

    The files come from each distribution's RECORD, so only installed code is read (no
    stray files in site-packages); nothing is imported.
    """
    files, tests = [], 0
    for distribution in result.distributions:
        for relative in distribution.python_files:
            if is_test_path(Path(relative)):
                tests += 1  # a package's own test suite (numpy/_core/tests/) never runs in a service
                continue
            files.append(Path(distribution.site_packages) / relative)
    scanned = scan_source(files, jobs=jobs, use_cache=use_cache, progress=progress)
    scanned.test_files_skipped += tests
    return scanned

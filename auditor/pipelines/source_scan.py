"""scan_source: the orchestration of source checks over folders, files and sdists.

The work is split so a large tree is cheap: every file is read and hashed once in this
process (milliseconds), the content-hash cache answers for files seen before, and only
the misses go to a pool of worker processes that run the pre-filter and, where needed,
the real parsers. Selection (``rules``/``ignore``), inline suppressions, project-level
settings (a Cython directive in setup.py, FREE_THREADED in CMake) and the baseline are
applied afterwards, to cached and fresh results alike.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..collectors.source.archives import ExtractionBudget, extract_archive, is_archive
from ..engine.selection import rule_selected
from ..engine.source_checks import MAX_FILE_BYTES, FileOutcome, check_bytes, content_key, language_for
from ..model.finding import Finding
from ..model.source import FileProblem, SourceScanResult
from ..shared.regular_files import FileTooLargeError, read_regular_file, regular_file_problem

_SKIPPED_DIRECTORIES = {
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
    "node_modules",
    ".eggs",
}
_BUILD_FILES = {"setup.py", "pyproject.toml", "setup.cfg", "meson.build", "CMakeLists.txt"}
_CYTHON_PROJECT_DIRECTIVE = re.compile(r"""freethreading_compatible['"]?\s*[:=]\s*['"]?True""")
_NANOBIND_FREE_THREADED = re.compile(
    r"nanobind_add_module\s*\((?:[^()]|\([^()]*\))*?\bFREE_THREADED\b", re.DOTALL
)
# No hand-written source file needs a minute: the slowest of the 1,823 .py files in this
# project's venv (setuptools' vendored typing_extensions.py, 2,300 lines) takes 0.12 s
# through every rule.
FILE_TIMEOUT_SECONDS = 60.0

ProgressCallback = Callable[[int, int], None]


class SourceScanError(Exception):
    """The scan could not start (e.g. an unreadable baseline file)."""


@dataclass
class _SourceFile:
    path: Path  # where the bytes are on disk
    display: str  # what findings call it
    language: str
    root_index: int
    data: bytes = b""
    key: str = ""
    mentions_ftaudit: bool = False  # may hold a suppression comment


def _walk(root: Path):
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(name for name in subdirectories if name not in _SKIPPED_DIRECTORIES)
        for name in sorted(files):
            yield Path(directory) / name


def _check_job(job: tuple[int, str, str, str]) -> tuple[int, FileOutcome]:
    index, path, display, language = job
    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
        return index, check_bytes(display, data, language)
    except FileTooLargeError:
        return index, FileOutcome(problem=_too_large_message())
    except OSError as error:
        return index, FileOutcome(problem=f"cannot read: {error.strerror or error}")
    except MemoryError:
        # An input limit, not a bug: the parsers need memory in proportion to nesting.
        return index, FileOutcome(
            problem="the parser ran out of memory on this file (too large or too deeply nested,"
            " see docs/limits.md); skipped",
            full_parse=True,
        )
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the scan
        return index, FileOutcome(
            problem=f"internal error while checking this file ({type(error).__name__}: "
            f"{error}); please report it"
        )


def _too_large_message() -> str:
    return f"over the {MAX_FILE_BYTES}-byte limit for source checks (generated code?); skipped"


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
) -> SourceScanResult:
    """Check C/C++/Cython/Rust/Python sources under ``paths`` against the source rules.

    ``paths`` are folders, single files or sdist archives (extracted safely into a
    temporary folder). ``rules``/``ignore`` are codes or code prefixes (``FTC``,
    ``FTP00``). ``baseline`` marks accepted findings as suppressed. Results are cached
    by content under ``cache_dir`` (default ``~/.cache/ftaudit/source-cache``) unless
    ``use_cache`` is false. Never raises for bad input files: each becomes a
    :class:`FileProblem` and the result is marked partial.
    """
    from ..engine.baseline import BaselineError, apply_baseline, load_baseline
    from ..engine.source_check_cache import DEFAULT_CACHE_DIR, SourceCache
    from ..engine.suppressions import apply_suppressions
    from ..rules.registry import all_rules

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
        budget = ExtractionBudget()
        files: list[_SourceFile] = []
        build_texts: dict[int, list[str]] = {}
        for root_index, raw_path in enumerate(paths):
            path = Path(raw_path)
            if not path.exists():
                result.problems.append(FileProblem(str(path), "no such file or folder"))
                continue
            if is_archive(path):
                extracted = extract_archive(path, Path(work_folder) / f"archive-{root_index}", budget)
                result.problems.extend(extracted.problems)
                base, prefix = extracted.folder, f"{path}::"
            elif path.is_dir():
                base, prefix = path, None
            else:
                base, prefix = None, None
            candidates = [path] if base is None else list(_walk(base))
            for candidate in candidates:
                language = language_for(candidate)
                if language is not None or base is None:
                    # A FIFO or a link to /dev/zero is not a source file: reading it would
                    # hang or never end, and passing over it in silence would hide it.
                    not_regular = regular_file_problem(candidate)
                    if not_regular is not None:
                        shown = str(candidate)
                        if prefix:
                            shown = f"{prefix}{candidate.relative_to(base).as_posix()}"
                        result.problems.append(FileProblem(shown, not_regular))
                        continue
                if candidate.name in _BUILD_FILES:
                    try:
                        build_texts.setdefault(root_index, []).append(
                            read_regular_file(candidate, MAX_FILE_BYTES).decode("utf-8", errors="replace")
                        )
                    except OSError:
                        pass  # a project setting we cannot read only costs its effect on FTC007/FTC009
                if language is None or not candidate.is_file():
                    if base is None and language is None:
                        # Named explicitly but not a language the rules read: say so,
                        # without calling the result partial (nothing was asked of it).
                        result.skipped.append(
                            FileProblem(
                                str(path),
                                "not a source file ftaudit reads "
                                "(.c .h .cc .cpp .cxx .hpp .pyx .pxd .pxi .rs .py) "
                                "or an sdist archive",
                            )
                        )
                    continue
                display = f"{prefix}{candidate.relative_to(base).as_posix()}" if prefix else str(candidate)
                files.append(_SourceFile(candidate, display, language, root_index))

        # Read and hash everything here: cheap, and it lets the cache answer first.
        readable: list[_SourceFile] = []
        for source_file in files:
            try:
                source_file.data = read_regular_file(source_file.path, MAX_FILE_BYTES)
            except FileTooLargeError:
                result.problems.append(FileProblem(source_file.display, _too_large_message()))
                continue
            except OSError as error:
                result.problems.append(
                    FileProblem(source_file.display, f"cannot read: {error.strerror or error}")
                )
                continue
            source_file.key = content_key(source_file.data, source_file.language)
            # Only a flag is kept: holding every file's bytes until the end made memory
            # grow with the whole tree (3 GB for three large sdists). The workers read
            # the file again; suppressions re-read it when it has findings.
            source_file.mentions_ftaudit = b"ftaudit" in source_file.data
            source_file.data = b""
            readable.append(source_file)

        cache = None
        if use_cache:
            try:
                cache = SourceCache(Path(cache_dir) if cache_dir else DEFAULT_CACHE_DIR)
            except Exception as error:  # noqa: BLE001 - a broken cache only costs time
                result.problems.append(
                    FileProblem(
                        str(cache_dir or DEFAULT_CACHE_DIR), f"cache unusable, scanning without it: {error}"
                    )
                )
                cache = None
        outcomes: dict[int, FileOutcome] = {}
        if cache is not None:
            cached = cache.get_many(sorted({source_file.key for source_file in readable}))
            for index, source_file in enumerate(readable):
                if source_file.key in cached:
                    outcomes[index] = cached[source_file.key]
            result.files_from_cache = len(outcomes)

        misses = [index for index in range(len(readable)) if index not in outcomes]
        total = len(readable)
        done = len(outcomes)
        if progress:
            progress(done, total)
        fresh = _run_jobs(
            [
                (index, str(readable[index].path), readable[index].display, readable[index].language)
                for index in misses
            ],
            jobs,
            progress,
            done,
            total,
        )
        outcomes.update(fresh)
        if cache is not None and fresh:
            try:
                cache.put_many({readable[index].key: outcome for index, outcome in fresh.items()})
            except Exception as error:  # noqa: BLE001
                result.problems.append(FileProblem(str(cache.path), f"could not write the cache: {error}"))
        if cache is not None:
            cache.close()

        cython_directive_roots = {
            index
            for index, texts in build_texts.items()
            if any(_CYTHON_PROJECT_DIRECTIVE.search(text) for text in texts)
        }
        nanobind_free_threaded_roots = {
            index
            for index, texts in build_texts.items()
            if any(_NANOBIND_FREE_THREADED.search(text) for text in texts)
        }

        findings: list[Finding] = []
        for index, source_file in enumerate(readable):
            outcome = outcomes.get(index)
            if outcome is None:
                continue
            if outcome.problem:
                result.problems.append(FileProblem(source_file.display, outcome.problem))
                continue
            if outcome.skipped:
                result.skipped.append(FileProblem(source_file.display, outcome.skipped))
                continue
            result.files_checked += 1
            if outcome.full_parse and index in fresh:
                result.files_parsed += 1
            file_findings = []
            for finding in outcome.findings:
                if not rule_selected(finding.rule, rules, ignore):
                    continue
                if finding.rule == "FTC007" and source_file.root_index in cython_directive_roots:
                    continue
                if finding.rule == "FTC009" and source_file.root_index in nanobind_free_threaded_roots:
                    continue
                # A copy: identical files share one cached outcome.
                finding = replace(
                    finding,
                    evidence=list(finding.evidence),
                    location=replace(finding.location, path=source_file.display)
                    if finding.location
                    else None,
                )
                file_findings.append(finding)
            if file_findings and source_file.mentions_ftaudit:
                try:
                    text = read_regular_file(source_file.path, MAX_FILE_BYTES).decode(
                        "utf-8", errors="replace"
                    )
                except OSError as error:
                    result.problems.append(
                        FileProblem(source_file.display, f"suppressions not read: {error.strerror or error}")
                    )
                else:
                    file_findings = apply_suppressions(file_findings, text)
            findings.extend(file_findings)

    if accepted is not None:
        findings = apply_baseline(findings, accepted)
    result.findings = findings
    result.partial = bool(result.problems)
    result.duration_seconds = round(time.perf_counter() - started, 3)
    return result


def _run_jobs(
    jobs: list[tuple[int, str, str, str]],
    workers: int | None,
    progress: ProgressCallback | None,
    done: int,
    total: int,
) -> dict[int, FileOutcome]:
    """Check every job in worker processes, even a single file: the parsers are native
    code reading untrusted input, and a crash in one (libcst's parser overflows its stack
    on deep nesting) must cost that file, not the run (auditor.shared.isolated_pool)."""
    from ..shared.isolated_pool import ItemFailure, run_isolated

    outcomes: dict[int, FileOutcome] = {}
    if not jobs:
        return outcomes
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    # Big files first so one slow file does not finish alone at the end; small chunks
    # keep both cores busy without paying a round trip per file.
    jobs = sorted(jobs, key=lambda job: _size(job[1]), reverse=True)
    chunk_size = max(1, min(32, len(jobs) // (workers * 8) or 1))

    def answered(job: tuple[int, str, str, str], answer: tuple[int, FileOutcome]) -> None:
        nonlocal done
        outcomes[answer[0]] = answer[1]
        done += 1
        if progress:
            progress(done, total)

    def failed(job: tuple[int, str, str, str], failure: ItemFailure) -> None:
        if failure.timed_out:
            message = f"the parsers {failure.reason} (limit: {FILE_TIMEOUT_SECONDS:g} s per file); skipped"
        else:
            message = (
                f"the parser crashed on this file ({failure.reason}; a native parser's limit, see"
                " docs/limits.md); skipped, the other files were checked"
            )
        answered(job, (job[0], FileOutcome(problem=message, full_parse=True)))

    run_isolated(
        _check_job,
        jobs,
        workers=workers,
        chunk_size=chunk_size,
        item_timeout=FILE_TIMEOUT_SECONDS,
        on_answer=answered,
        on_failure=failed,
    )
    return outcomes


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0

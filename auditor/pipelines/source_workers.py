"""Checking source files: the content-hash cache answers first, and only the misses go
to worker processes that run the pre-filter and, where needed, the real parsers.

Every check runs in a worker, even for a single file: the parsers are native code
reading untrusted input, and a crash in one (libcst's parser overflows its stack on deep
nesting) must cost that file, not the run (:mod:`auditor.shared.isolated_pool`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..engine.source_check_cache import DEFAULT_CACHE_DIR, SourceCache
from ..engine.source_checks import MAX_FILE_BYTES, FileOutcome, check_bytes
from ..model.source import FileProblem, SourceScanResult
from ..shared.isolated_pool import ItemFailure, run_isolated
from ..shared.regular_files import FileTooLargeError, read_regular_file
from .source_files import SourceFile, too_large_message

# No hand-written source file needs a minute: the slowest of the 1,823 .py files in this
# project's venv (setuptools' vendored typing_extensions.py, 2,300 lines) takes 0.12 s
# through every rule.
FILE_TIMEOUT_SECONDS = 60.0

ProgressCallback = Callable[[int, int], None]
# (index into the readable files, path on disk, display name, language): cheap to pickle.
_Job = tuple[int, str, str, str]


def check_files(
    readable: list[SourceFile],
    result: SourceScanResult,
    *,
    cache_dir: Path | None,
    use_cache: bool,
    jobs: int | None,
    progress: ProgressCallback | None,
) -> tuple[dict[int, FileOutcome], set[int]]:
    """Each readable file's outcome by its index, and which indexes were checked afresh
    (not answered by the cache). Cache trouble is recorded in ``result.problems``."""
    cache = _open_cache(cache_dir, result) if use_cache else None
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
    work = [
        (index, str(readable[index].path), readable[index].display, readable[index].language)
        for index in misses
    ]
    fresh = _run_jobs(work, jobs, progress, done, total)
    outcomes.update(fresh)
    if cache is not None:
        if fresh:
            try:
                cache.put_many({readable[index].key: outcome for index, outcome in fresh.items()})
            except Exception as error:  # noqa: BLE001
                result.problems.append(FileProblem(str(cache.path), f"could not write the cache: {error}"))
        cache.close()
    return outcomes, set(fresh)


def _open_cache(cache_dir: Path | None, result: SourceScanResult) -> SourceCache | None:
    try:
        return SourceCache(Path(cache_dir) if cache_dir else DEFAULT_CACHE_DIR)
    except Exception as error:  # noqa: BLE001 - a broken cache only costs time
        result.problems.append(
            FileProblem(str(cache_dir or DEFAULT_CACHE_DIR), f"cache unusable, scanning without it: {error}")
        )
        return None


def _check_job(job: _Job) -> tuple[int, FileOutcome]:
    index, path, display, language = job
    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
        return index, check_bytes(display, data, language)
    except FileTooLargeError:
        return index, FileOutcome(problem=too_large_message())
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


def _run_jobs(
    jobs: list[_Job],
    workers: int | None,
    progress: ProgressCallback | None,
    done: int,
    total: int,
) -> dict[int, FileOutcome]:
    """Check every job in worker processes, even a single file (see the module docstring)."""
    outcomes: dict[int, FileOutcome] = {}
    if not jobs:
        return outcomes
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    # Big files first so one slow file does not finish alone at the end; small chunks
    # keep both cores busy without paying a round trip per file.
    jobs = sorted(jobs, key=lambda job: _size(job[1]), reverse=True)
    chunk_size = max(1, min(32, len(jobs) // (workers * 8) or 1))

    def answered(job: _Job, answer: tuple[int, FileOutcome]) -> None:
        nonlocal done
        outcomes[answer[0]] = answer[1]
        done += 1
        if progress:
            progress(done, total)

    def failed(job: _Job, failure: ItemFailure) -> None:
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

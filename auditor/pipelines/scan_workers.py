"""Reading every extension module binary of a scan, outside ftaudit's own process.

The ELF reader (pyelftools) is pure Python, so threads share one GIL on the host
interpreter: binaries are analysed in a process pool. Measured on this project's 2-core
machine over 302 extension modules (numpy, scipy, pandas and 48 more distributions):
process pool 1.2 s cold, thread pool 2.5 s, warm (all cached) 0.2 s
(``benchmarks/bench_scan.py``). ``FTAUDIT_SCAN_START_METHOD`` overrides the workers'
start method (default ``forkserver``). A native parser (capstone, LIEF) that crashes on a
hostile file costs that file, never the scan.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..collectors.environment import DistributionListing, EnvironmentListing, ExtensionFile
from ..engine.binary_checks import analyse_extension
from ..model.environment import ExtensionModule
from ..model.finding import Finding
from ..model.serialize import from_dict, to_dict
from ..shared.isolated_pool import ItemFailure, run_isolated
from .scan_cache import AnalysisAnswer, AnalysisCache

ProgressCallback = Callable[[int, int, str], None]
# Below this many uncached binaries a worker pool costs more than it saves: starting the
# forkserver and its workers with pyelftools and capstone imported took 0.45 s, and one
# binary takes ~20 ms in-process (numpy's 19 modules: 0.46 s serial, 0.92 s with a pool).
POOL_THRESHOLD = 48
_ITEM_TIMEOUT_SECONDS = 120.0
_START_METHOD = os.environ.get("FTAUDIT_SCAN_START_METHOD", "forkserver")

# Each analysed file's answer, keyed by id(ExtensionFile).
Analyses = dict[int, tuple[ExtensionModule, list[Finding]]]


def _analyse_in_worker(
    absolute_path: str, site_packages: str, target: str, platform: str | None = None
) -> AnalysisAnswer:
    """Runs in a pool worker: one binary, returned as plain dicts (cheap to pickle)."""
    try:
        extension, findings = analyse_extension(
            Path(absolute_path), Path(site_packages), target, platform=platform
        )
    except Exception as error:  # noqa: BLE001 - the analyser promises not to raise; keep going if it does
        relative = os.path.relpath(absolute_path, site_packages)
        extension = ExtensionModule(
            path=relative,
            module="",
            abi="unknown",
            abi_free_threaded=None,
            loadable_on_target=None,
            errors=[f"{absolute_path}: analysis failed ({type(error).__name__}: {error})"],
        )
        findings = []
    return to_dict(extension), [to_dict(finding) for finding in findings]


def _make_pool(kind: str, workers: int) -> Executor:
    if kind == "thread":
        return ThreadPoolExecutor(max_workers=workers)
    # forkserver, not fork: the caller may have threads (rich's progress bar refreshes
    # from one), and a fork taken while one of them holds a lock (stderr's, logging's)
    # leaves that lock held forever in the child. The server preloads the analyser so
    # each worker starts without importing pyelftools and capstone again.
    if _START_METHOD in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context(_START_METHOD)
        if _START_METHOD == "forkserver":
            context.set_forkserver_preload(["auditor.collectors.binary", __name__])
        return ProcessPoolExecutor(max_workers=workers, mp_context=context)
    return ProcessPoolExecutor(max_workers=workers)


@dataclass
class _Job:
    listing: DistributionListing
    file: ExtensionFile
    cache_key: str | None
    target: str
    platform: str | None

    def worker_arguments(self) -> tuple:
        by_platform = (self.platform,) if self.platform else ()  # the worker's optional last argument
        site_packages = self.listing.distribution.site_packages
        return (str(self.file.absolute_path), site_packages, self.target, *by_platform)

    def failed(self, message: str) -> AnalysisAnswer:
        return to_dict(_undecided(self.file, f"{self.file.absolute_path}: {message}")), []


@dataclass
class _Recorder:
    """Collects the answers as they come, for the scan and for the cache, and reports progress."""

    total: int
    progress: ProgressCallback | None
    results: Analyses = field(default_factory=dict)
    fresh: list[tuple[str, dict, list[dict]]] = field(default_factory=list)
    done: int = 0
    from_cache: int = 0

    def record(self, job: _Job, answer: AnalysisAnswer) -> None:
        self.results[id(job.file)] = _rebuild(answer)
        if job.cache_key is not None and not answer[0].get("errors"):
            self.fresh.append((job.cache_key, answer[0], answer[1]))
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total, job.file.module)


def analyse_extensions(
    listing: EnvironmentListing,
    target: str,
    jobs: int | None,
    cache: AnalysisCache,
    progress: ProgressCallback | None,
    pool_kind: str,
    platform: str | None = None,
) -> tuple[Analyses, int]:
    """Analyse every extension file of ``listing``, from the cache where it can: returns
    the answers keyed by id(ExtensionFile) and how many came from the cache."""
    recorder = _Recorder(total=listing.extension_count, progress=progress)
    pending = _answer_from_cache(listing, cache, recorder, target, platform)
    if progress and recorder.total:
        progress(recorder.done, recorder.total, "cached")
    if not pending:
        cache.put_many([])  # marks the reused rows as used
        return recorder.results, recorder.from_cache
    workers = max(1, min(jobs or os.cpu_count() or 1, len(pending)))
    few = workers == 1 or len(pending) < POOL_THRESHOLD
    if few and pool_kind == "thread":
        for job in pending:
            recorder.record(job, _analyse_in_worker(*job.worker_arguments()))
    elif few:
        _analyse_in_one_forked_worker(pending, recorder)
    else:
        _analyse_in_pool(pending, recorder, pool_kind, workers)
    cache.put_many(recorder.fresh)
    return recorder.results, recorder.from_cache


def _answer_from_cache(
    listing: EnvironmentListing, cache: AnalysisCache, recorder: _Recorder, target: str, platform: str | None
) -> list[_Job]:
    """Fill in the unreadable files and the cached answers; the rest is left to analyse."""
    pending: list[_Job] = []
    for item in listing.distributions:
        for file in item.extension_files:
            if file.problem:
                recorder.results[id(file)] = (_undecided(file, file.problem or "could not be read"), [])
                recorder.done += 1
                continue
            key = cache.key(file.absolute_path, item.distribution.site_packages)
            cached = cache.get(key)
            if cached is not None:
                recorder.results[id(file)] = _rebuild(cached)
                recorder.from_cache += 1
                recorder.done += 1
                continue
            pending.append(_Job(item, file, key, target, platform))
    return pending


def _analyse_in_one_forked_worker(pending: list[_Job], recorder: _Recorder) -> None:
    # Few binaries: one forked worker reads them all (a fork costs milliseconds, the
    # forkserver pool 0.45 s), so that a native parser (capstone, LIEF) crashing on a
    # hostile file costs that file, not the scan: the worker is replaced and the rest
    # of the list goes on. The time limit is a hang guard; readings are budget-bound.
    def analyse_job(job: _Job) -> AnalysisAnswer:
        return _analyse_in_worker(*job.worker_arguments())

    def lost(job: _Job, failure: ItemFailure) -> None:
        recorder.record(job, job.failed(f"the analyser's process died reading this file ({failure.reason})"))

    run_isolated(
        analyse_job,
        pending,
        workers=1,
        chunk_size=len(pending),
        item_timeout=_ITEM_TIMEOUT_SECONDS,
        on_answer=recorder.record,
        on_failure=lost,
    )


def _analyse_in_pool(pending: list[_Job], recorder: _Recorder, pool_kind: str, workers: int) -> None:
    # Largest first: one big binary (scipy's, numpy's) should not start last and
    # leave the other worker idle at the end.
    pending.sort(key=lambda job: _size(job.file.absolute_path), reverse=True)
    orphaned: list[_Job] = []
    with _make_pool(pool_kind, workers) as pool:
        futures = {pool.submit(_analyse_in_worker, *job.worker_arguments()): job for job in pending}
        for future in as_completed(futures):
            job = futures[future]
            try:
                recorder.record(job, future.result())
            except BrokenExecutor:
                orphaned.append(job)  # a worker died (a crash in a native parser): retried below
            except Exception as error:  # noqa: BLE001 - one bad binary must not end the scan
                recorder.record(job, job.failed(f"analysis failed ({type(error).__name__}: {error})"))
    # When a worker dies, every binary still queued fails with it. Each is retried
    # alone in a fresh worker so that only the one that kills the analyser is lost.
    for job in orphaned:
        try:
            with _make_pool(pool_kind, 1) as lone_pool:
                answer = lone_pool.submit(_analyse_in_worker, *job.worker_arguments()).result()
        except BrokenExecutor:
            answer = job.failed("the analyser's process died reading this file")
        except Exception as error:  # noqa: BLE001
            answer = job.failed(f"analysis failed ({type(error).__name__}: {error})")
        recorder.record(job, answer)


def _undecided(file: ExtensionFile, problem: str) -> ExtensionModule:
    return ExtensionModule(
        path=file.relative_path,
        module=file.module,
        abi="unknown",
        abi_free_threaded=None,
        loadable_on_target=None,
        errors=[problem],
    )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _rebuild(answer: AnalysisAnswer) -> tuple[ExtensionModule, list[Finding]]:
    extension_data, finding_data = answer
    return from_dict(ExtensionModule, extension_data), [from_dict(Finding, item) for item in finding_data]

"""The static scan of an installed environment: which distributions are ready for the
free-threaded target, which turn the GIL back on, which cannot load there at all.

Nothing scanned is imported or run: site-packages folders are read by
:mod:`auditor.collectors.environment`, each extension module binary by :mod:`auditor.collectors.binary`
(ELF, in worker processes), and only ``probe=True`` imports modules, each in its own
subprocess of a free-threaded interpreter (:mod:`auditor.collectors.import_probe`).

Verdicts, per distribution, first match wins:

``needs-build``
    at least one extension module cannot load on the target (built for another ABI:
    ``cpython-313-…`` or ``abi3`` on ``3.13t``, a Windows ``.pyd``…): the target needs
    a binary that this installation does not have.
``gil-fallback``
    every module loads, but at least one re-enables the GIL at import: it declares
    ``Py_MOD_GIL_USED`` or never declares ``Py_mod_gil`` at all (CPython treats both
    the same, Objects/moduleobject.c). The reason names the modules and which case.
``unknown``
    some module could not be read or decided (truncated or non-ELF file, dangling link,
    a bare ``.so`` whose ABI cannot be told, a slot built by code we cannot follow).
``ready``
    every extension module loads on the target and declares ``Py_MOD_GIL_NOT_USED``.
``pure``
    no extension modules: nothing that could re-enable the GIL (the "Free Threading"
    trove classifier, when present, is shown beside the verdict).

With ``probe=True`` every loadable module's ``runtime_gil`` is filled and
``agrees_with_runtime`` says whether the static answer predicted it: ``not-used`` must
meet a disabled GIL, ``used`` an enabled one; ``unknown`` never agrees; an import error,
crash or timeout leaves it ``None`` (``runtime_detail`` says why), as does a GIL enabled
by another module imported along the way (the warning names the culprit).

Analyses are cached under ``~/.cache/ftaudit/scan-cache`` keyed on the file's identity
(real path, device, inode, size, mtime_ns, ctime_ns), the target and a fingerprint of the
analyser's own source, so an upgraded ftaudit never reuses a stale answer.

Binaries are analysed in a process pool: the ELF reader (pyelftools) is pure Python, so
threads share one GIL on the host interpreter. Measured on this project's 2-core machine
over 302 extension modules (numpy, scipy, pandas and 48 more distributions): process
pool 1.2 s cold, thread pool 2.5 s, warm (all cached) 0.2 s
(``benchmarks/bench_scan.py``). ``FTAUDIT_SCAN_START_METHOD`` overrides the workers'
start method (default ``forkserver``).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..collectors.binary import analyser_fingerprint
from ..collectors.binary.abi_tag import (
    KNOWN_FREE_THREADED_TARGETS,
    default_target,
    parse_abi_tag,
    static_only_note,
)
from ..collectors.environment import (
    DistributionListing,
    EnvironmentListing,
    EnvironmentLocationError,
    ExtensionFile,
    read_site_packages,
    running_site_packages,
    site_packages_of,
)
from ..model.environment import (
    Distribution,
    ExtensionModule,
    GilDeclaration,
    GilDeclaredBy,
    RuntimeGil,
    ScanResult,
    Verdict,
)
from ..model.finding import Finding
from ..model.interpreter import InterpreterInfo
from ..model.serialize import from_dict, to_dict
from ..shared.isolated_pool import ItemFailure, run_isolated

ProgressCallback = Callable[[int, int, str], None]
# Below this many uncached binaries a worker pool costs more than it saves: starting the
# forkserver and its workers with pyelftools and capstone imported took 0.45 s, and one
# binary takes ~20 ms in-process (numpy's 19 modules: 0.46 s serial, 0.92 s with a pool).
POOL_THRESHOLD = 48
_ITEM_TIMEOUT_SECONDS = 120.0
DEFAULT_PROBE_TIMEOUT = 30.0
CACHE_KEEP_DAYS = 30
_NAMES_IN_REASON = 5
_START_METHOD = os.environ.get("FTAUDIT_SCAN_START_METHOD", "forkserver")
# CPython's warning (Python/import.c, 3.13): "The global interpreter lock (GIL) has been
# enabled to load module '%U', which has not declared that it can run safely without the GIL."
_GIL_WARNING_MODULE = re.compile(r"to load module '([^']+)'")
_TARGET = re.compile(r"^(?P<major>3)\.(?P<minor>\d+)(?P<free_threaded>t?)$")


class ScanError(Exception):
    """No environment could be read at all (the message says which and why)."""


def default_cache_dir() -> Path:
    from ..collectors.interpreters.provision import default_cache_dir as ftaudit_cache

    return ftaudit_cache() / "scan-cache"


# --------------------------------------------------------------------------- analysis


def _analyse_in_worker(
    absolute_path: str, site_packages: str, target: str, platform: str | None = None
) -> tuple[dict, list[dict]]:
    """Runs in a pool worker: one binary, returned as plain dicts (cheap to pickle)."""
    from ..engine.binary_checks import analyse_extension

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


class _AnalysisCache:
    """sqlite3: one row per analysed binary; safe across processes (sqlite locking).

    Rows not used for :data:`CACHE_KEEP_DAYS` are dropped when new ones are written, so
    the cache follows the environments scanned instead of growing forever.
    """

    def __init__(self, folder: Path | None, fingerprint: str, target: str):
        self.connection: sqlite3.Connection | None = None
        self.fingerprint = fingerprint
        self.target = target
        self.problem: str | None = None
        self.used_keys: list[str] = []
        if folder is None:
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.connection = sqlite3.connect(folder / "analyses.sqlite3", timeout=30)
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.execute(
                "CREATE TABLE IF NOT EXISTS analyses"
                " (key TEXT PRIMARY KEY, extension TEXT, findings TEXT, used INTEGER)"
            )
        except (OSError, sqlite3.Error) as error:
            self.problem = f"scan cache {folder} unusable ({error}); every binary was analysed afresh"
            self.connection = None

    def key(self, path: Path, site_packages: str) -> str | None:
        try:
            status = os.stat(path)
        except OSError:
            return None
        # ctime too: it changes on every rewrite, even one that restores mtime and size.
        # site_packages too: findings carry paths relative to it.
        identity = [
            self.fingerprint,
            self.target,
            site_packages,
            os.path.realpath(path),
            status.st_dev,
            status.st_ino,
            status.st_size,
            status.st_mtime_ns,
            status.st_ctime_ns,
        ]
        return hashlib.sha256(json.dumps(identity).encode()).hexdigest()

    def get(self, key: str | None) -> tuple[dict, list[dict]] | None:
        if self.connection is None or key is None:
            return None
        try:
            row = self.connection.execute(
                "SELECT extension, findings FROM analyses WHERE key = ?", (key,)
            ).fetchone()
            answer = (json.loads(row[0]), json.loads(row[1])) if row else None
        except (sqlite3.Error, ValueError):
            return None  # a damaged row is analysed again
        if answer is not None:
            self.used_keys.append(key)
        return answer

    def put_many(self, rows: list[tuple[str, dict, list[dict]]]) -> None:
        if self.connection is None:
            return
        now = int(time.time())
        try:
            with self.connection:
                self.connection.executemany(
                    "INSERT OR REPLACE INTO analyses (key, extension, findings, used) VALUES (?, ?, ?, ?)",
                    [
                        (key, json.dumps(extension), json.dumps(findings), now)
                        for key, extension, findings in rows
                    ],
                )
                self.connection.executemany(
                    "UPDATE analyses SET used = ? WHERE key = ?", [(now, key) for key in self.used_keys]
                )
                if rows:
                    self.connection.execute(
                        "DELETE FROM analyses WHERE used < ?", (now - CACHE_KEEP_DAYS * 86400,)
                    )
        except sqlite3.Error as error:
            self.problem = f"scan cache could not be written ({error})"

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


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
            context.set_forkserver_preload(["auditor.collectors.binary", "auditor.pipelines.scan"])
        return ProcessPoolExecutor(max_workers=workers, mp_context=context)
    return ProcessPoolExecutor(max_workers=workers)


@dataclass
class _Job:
    listing: DistributionListing
    file: ExtensionFile
    cache_key: str | None


def _unreadable_extension(file: ExtensionFile) -> ExtensionModule:
    return ExtensionModule(
        path=file.relative_path,
        module=file.module,
        abi="unknown",
        abi_free_threaded=None,
        loadable_on_target=None,
        errors=[file.problem or "could not be read"],
    )


def _analyse_all(
    listing: EnvironmentListing,
    target: str,
    jobs: int | None,
    cache: _AnalysisCache,
    progress: ProgressCallback | None,
    pool_kind: str,
    errors: list[str],
    platform: str | None = None,
) -> tuple[dict[int, tuple[ExtensionModule, list[Finding]]], int]:
    """Analyse every extension file; results keyed by id(ExtensionFile)."""
    results: dict[int, tuple[ExtensionModule, list[Finding]]] = {}
    pending: list[_Job] = []
    from_cache = 0
    total = listing.extension_count
    done = 0
    for item in listing.distributions:
        for file in item.extension_files:
            if file.problem:
                results[id(file)] = (_unreadable_extension(file), [])
                done += 1
                continue
            key = cache.key(file.absolute_path, item.distribution.site_packages)
            cached = cache.get(key)
            if cached is not None:
                results[id(file)] = _rebuild(cached)
                from_cache += 1
                done += 1
                continue
            pending.append(_Job(item, file, key))
    if progress and total:
        progress(done, total, "cached")
    if not pending:
        cache.put_many([])  # marks the reused rows as used
        return results, from_cache
    try:
        from ..engine.binary_checks import analyse_extension  # noqa: F401 - fail early and clearly when it is missing
    except ImportError as error:
        errors.append(f"binary analysis is not available ({error}); extension modules were listed, not read")
        for job in pending:
            results[id(job.file)] = (
                ExtensionModule(
                    path=job.file.relative_path,
                    module=job.file.module,
                    abi="unknown",
                    abi_free_threaded=None,
                    loadable_on_target=None,
                    errors=["binary analysis not available"],
                ),
                [],
            )
        return results, from_cache
    fresh: list[tuple[str, dict, list[dict]]] = []
    by_platform = (platform,) if platform else ()  # the worker's optional last argument
    workers = max(1, min(jobs or os.cpu_count() or 1, len(pending)))

    def record(job: _Job, answer: tuple[dict, list[dict]]) -> None:
        nonlocal done
        results[id(job.file)] = _rebuild(answer)
        if job.cache_key is not None and not answer[0].get("errors"):
            fresh.append((job.cache_key, answer[0], answer[1]))
        done += 1
        if progress:
            progress(done, total, job.file.module)

    if pool_kind == "thread" and (workers == 1 or len(pending) < POOL_THRESHOLD):
        for job in pending:
            record(
                job,
                _analyse_in_worker(
                    str(job.file.absolute_path), job.listing.distribution.site_packages, target, *by_platform
                ),
            )
    elif workers == 1 or len(pending) < POOL_THRESHOLD:
        # Few binaries: one forked worker reads them all (a fork costs milliseconds, the
        # forkserver pool 0.45 s), so that a native parser (capstone, LIEF) crashing on a
        # hostile file costs that file, not the scan: the worker is replaced and the rest
        # of the list goes on. The time limit is a hang guard; readings are budget-bound.
        def analyse_job(job: _Job) -> tuple[dict, list[dict]]:
            return _analyse_in_worker(
                str(job.file.absolute_path), job.listing.distribution.site_packages, target, *by_platform
            )

        def lost(job: _Job, failure: ItemFailure) -> None:
            record(
                job, _failed_answer(job, f"the analyser's process died reading this file ({failure.reason})")
            )

        run_isolated(
            analyse_job,
            pending,
            workers=1,
            chunk_size=len(pending),
            item_timeout=_ITEM_TIMEOUT_SECONDS,
            on_answer=record,
            on_failure=lost,
        )
    else:
        # Largest first: one big binary (scipy's, numpy's) should not start last and
        # leave the other worker idle at the end.
        pending.sort(key=lambda job: _size(job.file.absolute_path), reverse=True)
        orphaned: list[_Job] = []
        with _make_pool(pool_kind, workers) as pool:
            futures = {
                pool.submit(
                    _analyse_in_worker,
                    str(job.file.absolute_path),
                    job.listing.distribution.site_packages,
                    target,
                    *by_platform,
                ): job
                for job in pending
            }
            for future in as_completed(futures):
                job = futures[future]
                try:
                    record(job, future.result())
                except BrokenExecutor:
                    orphaned.append(job)  # a worker died (a crash in a native parser): retried below
                except Exception as error:  # noqa: BLE001 - one bad binary must not end the scan
                    record(job, _failed_answer(job, f"analysis failed ({type(error).__name__}: {error})"))
        # When a worker dies, every binary still queued fails with it. Each is retried
        # alone in a fresh worker so that only the one that kills the analyser is lost.
        for job in orphaned:
            try:
                with _make_pool(pool_kind, 1) as lone_pool:
                    answer = lone_pool.submit(
                        _analyse_in_worker,
                        str(job.file.absolute_path),
                        job.listing.distribution.site_packages,
                        target,
                        *by_platform,
                    ).result()
            except BrokenExecutor:
                answer = _failed_answer(job, "the analyser's process died reading this file")
            except Exception as error:  # noqa: BLE001
                answer = _failed_answer(job, f"analysis failed ({type(error).__name__}: {error})")
            record(job, answer)
    cache.put_many(fresh)
    return results, from_cache


def _failed_answer(job: _Job, message: str) -> tuple[dict, list[dict]]:
    failed = ExtensionModule(
        path=job.file.relative_path,
        module=job.file.module,
        abi="unknown",
        abi_free_threaded=None,
        loadable_on_target=None,
        errors=[f"{job.file.absolute_path}: {message}"],
    )
    return to_dict(failed), []


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _rebuild(answer: tuple[dict, list[dict]]) -> tuple[ExtensionModule, list[Finding]]:
    extension_data, finding_data = answer
    return from_dict(ExtensionModule, extension_data), [from_dict(Finding, item) for item in finding_data]


# --------------------------------------------------------------------------- verdicts


def _names(extensions: list[ExtensionModule]) -> str:
    shown = ", ".join(extension.module for extension in extensions[:_NAMES_IN_REASON])
    return shown + (", …" if len(extensions) > _NAMES_IN_REASON else "")


def judge_distribution(distribution: Distribution, target_free_threaded: bool = True) -> tuple[Verdict, str]:
    """The verdict and its reason for one distribution (rules in the module docstring)."""
    extensions = distribution.extensions
    count = len(extensions)
    if count == 0:
        reason = "no extension modules: pure Python"
        if distribution.native_libraries:
            # capstone, for one, ships libcapstone.so and loads it with ctypes: no GIL
            # slot to read, but native code all the same, which the reader should know.
            reason = (
                f"no extension modules; bundles {len(distribution.native_libraries)} native "
                f"librar{'y' if len(distribution.native_libraries) == 1 else 'ies'} loaded without the "
                f"C-API ({distribution.native_libraries[0]}), whose thread safety is not checked"
            )
        if distribution.free_threading_classifier:
            reason += f" (declares {distribution.free_threading_classifier.rsplit('::', 1)[-1].strip()})"
        return Verdict.PURE, reason
    cannot_load = [e for e in extensions if e.loadable_on_target is False]
    if cannot_load:
        abis = sorted({e.abi for e in cannot_load})
        return Verdict.NEEDS_BUILD, (
            f"{len(cannot_load)} of {count} extension modules cannot load on the target"
            f" (built for {', '.join(abis)}): {_names(cannot_load)}"
        )
    undecided = [
        e
        for e in extensions
        if e.errors
        or e.loadable_on_target is None
        or (target_free_threaded and e.gil is GilDeclaration.UNKNOWN)
    ]
    undecided_ids = {id(e) for e in undecided}
    if target_free_threaded:
        gil_users = [e for e in extensions if e.gil is GilDeclaration.USED and id(e) not in undecided_ids]
        if gil_users:
            never = [e for e in gil_users if e.gil_declared_by is GilDeclaredBy.NEVER]
            declared = [e for e in gil_users if e.gil_declared_by is not GilDeclaredBy.NEVER]
            parts = []
            if never:
                parts.append(
                    f"{len(never)} of {count} extension modules never declare Py_mod_gil: {_names(never)}"
                )
            if declared:
                parts.append(f"{len(declared)} of {count} declare Py_MOD_GIL_USED: {_names(declared)}")
            if undecided:
                parts.append(f"{len(undecided)} could not be decided: {_names(undecided)}")
            return Verdict.GIL_FALLBACK, "; ".join(parts)
    if undecided:
        first_problem = next((e.errors[0] for e in undecided if e.errors), None)
        reason = f"{len(undecided)} of {count} extension modules could not be decided: {_names(undecided)}"
        if first_problem:
            reason += f" ({first_problem})"
        return Verdict.UNKNOWN, reason
    if not target_free_threaded:
        return Verdict.READY, f"all {count} extension modules load on the target"
    return Verdict.READY, f"all {count} extension modules load on the target and declare Py_MOD_GIL_NOT_USED"


# --------------------------------------------------------------------------- probe


def runtime_agreement(extension: ExtensionModule) -> bool | None:
    """Whether the static GIL answer predicted what the probe saw (see the docstring)."""
    runtime = extension.runtime_gil
    if runtime not in (RuntimeGil.ENABLED, RuntimeGil.DISABLED):
        return None
    if runtime is RuntimeGil.ENABLED and extension.runtime_warning:
        match = _GIL_WARNING_MODULE.search(extension.runtime_warning)
        if match and match.group(1) != extension.module:
            return None  # another module turned the GIL on first; this one's own answer was not seen
    if extension.gil is GilDeclaration.NOT_USED:
        return runtime is RuntimeGil.DISABLED
    if extension.gil is GilDeclaration.USED:
        return runtime is RuntimeGil.ENABLED
    return False


def _choose_probe_interpreter(
    probe_python: str | Path | None, environment_interpreter: InterpreterInfo | None, errors: list[str]
) -> InterpreterInfo | None:
    from ..collectors.interpreters.discovery import (
        InterpreterError,
        default_free_threaded,
        describe_interpreter,
    )

    if probe_python is not None:
        try:
            info = describe_interpreter(probe_python, "--probe-python")
        except InterpreterError as error:
            errors.append(f"probe not run: {error}")
            return None
        if not info.free_threaded:
            errors.append(f"probe not run: {info.executable} is {info.label}, not a free-threaded build")
            return None
        return info
    if environment_interpreter is not None and environment_interpreter.free_threaded:
        return environment_interpreter
    try:
        info = default_free_threaded()
    except InterpreterError as error:
        errors.append(f"probe not run: {error}")
        return None
    if info is None:
        errors.append(
            "probe not run: no free-threaded interpreter found (`ftaudit provision` builds one,"
            " or pass --probe-python)"
        )
    return info


def _probe(
    result: ScanResult,
    probe_interpreter: InterpreterInfo,
    timeout: float,
    jobs: int | None,
    progress: ProgressCallback | None,
) -> None:
    try:
        from ..collectors.import_probe import probe_modules
    except ImportError as error:
        result.errors.append(f"probe not run: the probe is not available ({error})")
        result.partial = True
        return
    candidates: list[tuple[str, Path]] = []
    for distribution in result.distributions:
        for extension in distribution.extensions:
            if extension.loadable_on_target is not False and not extension.errors and extension.module:
                candidates.append((extension.module, Path(distribution.site_packages) / extension.path))
    # The scanned folders go on the child's sys.path even when they are the interpreter's
    # own (harmless then): with --path they usually are not, and nothing would import.
    extra_sys_path = tuple(Path(folder) for folder in result.site_packages)
    total = len(candidates)
    finished = 0
    counter_lock = threading.Lock()

    def probed(name: str, outcome: object) -> None:
        nonlocal finished
        with counter_lock:  # called from the probe's worker threads
            finished += 1
            if progress:
                progress(finished, total, f"probe {name}")

    outcomes = probe_modules(
        probe_interpreter.executable,
        candidates,
        timeout=timeout,
        jobs=jobs,
        extra_sys_path=extra_sys_path,
        on_result=probed,
    )
    result.probed_with = probe_interpreter.executable
    for distribution in result.distributions:
        disagreements: list[str] = []
        only_at_run_time: list[str] = []
        for extension in distribution.extensions:
            outcome = outcomes.get(extension.module)
            if outcome is None:
                continue
            extension.runtime_gil = outcome.runtime_gil
            extension.runtime_warning = outcome.warning
            extension.runtime_detail = outcome.detail or None
            extension.agrees_with_runtime = runtime_agreement(extension)
            if extension.agrees_with_runtime is not False:
                continue
            if extension.gil is GilDeclaration.UNKNOWN:
                only_at_run_time.append(f"{extension.module} (GIL {extension.runtime_gil.value})")
            else:
                disagreements.append(
                    f"{extension.module} (static {extension.gil.value},"
                    f" runtime GIL {extension.runtime_gil.value})"
                )
        # The verdict stays the static one (what the binaries say); the reason adds what
        # the probe saw so a reader sees both.
        if disagreements:
            distribution.reason += f"; the probe disagrees for {len(disagreements)} module(s): " + ", ".join(
                disagreements[:_NAMES_IN_REASON]
            )
        if only_at_run_time:
            distribution.reason += "; the probe observed what the static scan could not decide: " + ", ".join(
                only_at_run_time[:_NAMES_IN_REASON]
            )


# --------------------------------------------------------------------------- scan


def _resolve_folders(
    python: str | Path | None, paths: list[Path] | None
) -> tuple[InterpreterInfo | None, list[Path], list[str]]:
    from ..collectors.interpreters.discovery import InterpreterError, describe_interpreter

    problems: list[str] = []
    if paths:
        interpreter = None
        if python is not None:
            try:
                interpreter = describe_interpreter(python, "--python")
            except InterpreterError as error:
                problems.append(str(error))
        unique: dict[str, Path] = {}
        for path in paths:  # the same folder twice (or through a link) is read once
            unique.setdefault(os.path.realpath(path), Path(path))
        return interpreter, list(unique.values()), problems
    if python is not None:
        try:
            interpreter, folders = site_packages_of(python)
        except EnvironmentLocationError as error:
            raise ScanError(str(error)) from error
        return interpreter, folders, problems
    try:
        interpreter = describe_interpreter(sys.executable, "running")
    except InterpreterError as error:
        interpreter = None
        problems.append(str(error))
    return interpreter, running_site_packages(), problems


def _default_target(interpreter: InterpreterInfo | None, listing) -> tuple[str, str]:
    """The scanned interpreter's own free-threaded release; for bare site-packages folders, the
    one release all their free-threaded binaries are built for; else the newest one known."""
    if interpreter is None:
        releases = {
            parse_abi_tag(PurePosixPath(file.relative_path).name).tag
            for item in listing.distributions
            for file in item.extension_files
        }
        free_threaded = {tag for tag in releases if tag.startswith("cp") and tag.endswith("t")}
        if len(free_threaded) == 1:
            tag = free_threaded.pop()
            target = f"{tag[2]}.{tag[3:-1]}t"
            if target in KNOWN_FREE_THREADED_TARGETS:
                return (
                    target,
                    f"{target}: the release the folders' free-threaded binaries are built for ({tag})",
                )
    return default_target(
        interpreter.version if interpreter else None,
        interpreter.free_threaded if interpreter else None,
        interpreter.label if interpreter else "",
    )


def scan(
    python: str | Path | None = None,
    paths: list[Path] | None = None,
    target: str | None = None,
    probe: bool = False,
    probe_python: str | Path | None = None,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    progress: ProgressCallback | None = None,
    *,
    use_cache: bool = True,
    probe_timeout: float = DEFAULT_PROBE_TIMEOUT,
    pool: str = "process",
    platform: str | None = None,
) -> ScanResult:
    """Scan an environment's distributions against ``target`` without importing them.

    The environment is the running interpreter's, or ``python``'s (asked in a
    subprocess), or the given site-packages ``paths``. ``progress(done, total, label)``
    is called as extension modules are analysed. ``pool`` is "process" (default:
    the ELF reader is pure Python, threads would share one GIL) or "thread".
    ``platform`` (a wheel platform tag: ``macosx_11_0_arm64``, ``win_amd64``) judges
    loadability for CPython on that platform, for a folder of macOS or Windows binaries
    unpacked from wheels; without it, for this host's CPython, which loads neither (their
    declarations are read and reported either way).
    Raises :class:`ScanError` only when no environment could be read at all.
    """
    started = time.perf_counter()
    if target is not None and _TARGET.match(target) is None:
        raise ScanError(f"target {target!r} is not like '3.13t', '3.14t' or '3.15t'")
    if platform is not None:
        from ..collectors.binary.abi_tag import TargetPlatform

        try:
            TargetPlatform.parse(platform)
        except ValueError as error:
            raise ScanError(str(error)) from None
    interpreter, folders, problems = _resolve_folders(python, paths)
    listing = read_site_packages(folders)
    if target is None:
        target, target_reason = _default_target(interpreter, listing)
    else:
        target_reason = f"{target}: asked for"
    target_match = _TARGET.match(target)
    target_version = f"{target_match['major']}.{target_match['minor']}"
    target_free_threaded = bool(target_match["free_threaded"])
    result = ScanResult(
        target=target,
        target_reason=target_reason,
        target_note=static_only_note(target),
        site_packages=[str(folder) for folder in folders],
        interpreter=interpreter,
        errors=problems + list(listing.errors),
        partial=listing.partial,
    )
    readable = [folder for folder in folders if folder.is_dir()]
    if not readable:
        raise ScanError(
            "no site-packages folder could be read: " + "; ".join(listing.errors or ["none given"])
        )
    cache = _AnalysisCache(
        (cache_dir or default_cache_dir()) if use_cache else None,
        analyser_fingerprint(),
        f"{target}/{platform}" if platform else target,
    )
    try:
        analyses, result.extensions_from_cache = _analyse_all(
            listing, target, jobs, cache, progress, pool, result.errors, platform
        )
    finally:
        cache.close()
    if cache.problem:
        result.errors.append(cache.problem)
    for item in listing.distributions:
        distribution = item.distribution
        for file in item.extension_files:
            extension, findings = analyses[id(file)]
            # Our names win: the listing knows the package the file sits in.
            extension.path = file.relative_path
            extension.module = file.module
            distribution.extensions.append(extension)
            for finding in findings:
                finding.distribution = distribution.name
                finding.module = finding.module or file.module
                distribution.findings.append(finding)
            if extension.errors:
                result.partial = True
        distribution.verdict, distribution.reason = judge_distribution(distribution, target_free_threaded)
        result.distributions.append(distribution)
    if probe:
        probe_interpreter = _choose_probe_interpreter(probe_python, interpreter, result.errors)
        if probe_interpreter is None:
            result.partial = True
        else:
            if not probe_interpreter.version.startswith(f"{target_version}."):
                result.errors.append(
                    f"the probe runs {probe_interpreter.label}, not the target {target}: its"
                    " answers apply to that interpreter"
                )
            _probe(result, probe_interpreter, probe_timeout, jobs, progress)
    result.duration_seconds = round(time.perf_counter() - started, 3)
    return result


def check_distribution_sources(
    result: ScanResult, *, jobs: int | None = None, use_cache: bool = True, progress=None
):
    """Run the Python source rules over every ``.py`` file the scanned distributions ship.

    The files come from each distribution's RECORD, so only installed code is read (no
    stray files in site-packages); nothing is imported. Returns a SourceScanResult.
    """
    from .source_scan import scan_source

    files = [
        Path(distribution.site_packages) / relative
        for distribution in result.distributions
        for relative in distribution.python_files
    ]
    return scan_source(files, jobs=jobs, use_cache=use_cache, progress=progress)

"""The static scan of an installed environment: which distributions are ready for the
free-threaded target, which turn the GIL back on, which cannot load there at all.

Nothing scanned is imported or run: site-packages folders are read by
:mod:`auditor.collectors.environment`, each extension module binary by
:mod:`auditor.collectors.binary` (in worker processes, :mod:`.scan_workers`, with
answers cached by :mod:`.scan_cache`), and each distribution is judged by
:mod:`.verdicts`. Only ``probe=True`` imports modules, each in its own subprocess of a
free-threaded interpreter (:mod:`.scan_probe`).
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path, PurePosixPath

from ..collectors.binary import analyser_fingerprint
from ..collectors.binary.abi_tag import (
    KNOWN_FREE_THREADED_TARGETS,
    TargetPlatform,
    default_target,
    parse_abi_tag,
    static_only_note,
)
from ..collectors.environment import (
    EnvironmentListing,
    EnvironmentLocationError,
    read_site_packages,
    running_site_packages,
    set_aside_other_interpreter_files,
    site_packages_of,
)
from ..collectors.interpreters.discovery import InterpreterError, describe_interpreter
from ..model.environment import ScanResult
from ..model.interpreter import InterpreterInfo
from .scan_cache import AnalysisCache, default_cache_dir
from .scan_probe import DEFAULT_PROBE_TIMEOUT, choose_probe_interpreter, probe_scanned_modules
from .scan_workers import Analyses, ProgressCallback, analyse_extensions
from .verdicts import judge_distribution

_TARGET = re.compile(r"^(?P<major>3)\.(?P<minor>\d+)(?P<free_threaded>t?)$")


class ScanError(Exception):
    """No environment could be read at all (the message says which and why)."""


def _resolve_folders(
    python: str | Path | None, paths: list[Path] | None
) -> tuple[InterpreterInfo | None, list[Path], list[str]]:
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


def _default_target(interpreter: InterpreterInfo | None, listing: EnvironmentListing) -> tuple[str, str]:
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
    _check_target_and_platform(target, platform)
    interpreter, folders, problems = _resolve_folders(python, paths)
    listing = read_site_packages(folders)
    if target is None:
        target, target_reason = _default_target(interpreter, listing)
    else:
        target_reason = f"{target}: asked for"
    target_match = _TARGET.match(target)
    set_aside_other_interpreter_files(listing, target)
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
    cache = AnalysisCache(
        (cache_dir or default_cache_dir()) if use_cache else None,
        analyser_fingerprint(),
        f"{target}/{platform}" if platform else target,
    )
    try:
        analyses, result.extensions_from_cache = analyse_extensions(
            listing, target, jobs, cache, progress, pool, platform
        )
    finally:
        cache.close()
    if cache.problem:
        result.errors.append(cache.problem)
    _judge_distributions(result, listing, analyses, target_free_threaded=bool(target_match["free_threaded"]))
    if probe:
        target_version = f"{target_match['major']}.{target_match['minor']}"
        _probe(result, interpreter, probe_python, target_version, probe_timeout, jobs, progress)
    result.duration_seconds = round(time.perf_counter() - started, 3)
    return result


def _check_target_and_platform(target: str | None, platform: str | None) -> None:
    if target is not None and _TARGET.match(target) is None:
        raise ScanError(f"target {target!r} is not like '3.13t', '3.14t' or '3.15t'")
    if platform is not None:
        try:
            TargetPlatform.parse(platform)
        except ValueError as error:
            raise ScanError(str(error)) from None


def _judge_distributions(
    result: ScanResult, listing: EnvironmentListing, analyses: Analyses, *, target_free_threaded: bool
) -> None:
    for item in listing.distributions:
        distribution = item.distribution
        for file in item.extension_files:
            extension, findings = analyses[id(file)]
            if extension.init_style == "none":
                # Named like a module (pycryptodome's _raw_aes.abi3.so) but exports no module
                # init: a library loaded with ctypes or cffi, which never re-enables the GIL.
                distribution.native_libraries.append(file.relative_path)
                continue
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


def _probe(
    result: ScanResult,
    interpreter: InterpreterInfo | None,
    probe_python: str | Path | None,
    target_version: str,
    timeout: float,
    jobs: int | None,
    progress: ProgressCallback | None,
) -> None:
    probe_interpreter = choose_probe_interpreter(probe_python, interpreter, result.errors)
    if probe_interpreter is None:
        result.partial = True
        return
    if not probe_interpreter.version.startswith(f"{target_version}."):
        result.errors.append(
            f"the probe runs {probe_interpreter.label}, not the target {result.target}: its"
            " answers apply to that interpreter"
        )
    probe_scanned_modules(result, probe_interpreter, timeout, jobs, progress)

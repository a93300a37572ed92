"""The unit of work of a survey: judge ONE wheel, given its address.

:func:`judge_wheel` is what every engine runs, unchanged: in a local process pool and on
a Dask worker alike. It downloads the wheel itself (so on a cluster only the small
:class:`WheelTask` travels through the scheduler, never wheel bytes), checks the digest
the index advertised, and reads the extension modules with the same two functions
``tree --inspect-wheels`` uses (:func:`~auditor.collectors.tree.wheel_inspection.read_wheel_extensions`
and :func:`~auditor.collectors.tree.wheel_inspection.summarise_extensions`), so a survey's verdict
on a wheel is the tree's by construction.
"""

from __future__ import annotations

import functools
import hashlib
import os
import socket
import time
from dataclasses import dataclass, field

from ...collectors.binary import analyser_fingerprint
from ...collectors.binary.target import Target, make_target
from ...collectors.tree.index.client import IndexClient, IndexFetchError
from ...collectors.tree.index.metadata import hash_problem
from ...collectors.tree.wheel_inspection import (
    DEFAULT_MAX_WHEEL_BYTES,
    read_wheel_extensions,
    summarise_extensions,
)
from ...model.survey import GIL_FALLBACK, PURE, READY, UNKNOWN, SurveyModule, WheelVerdict


@dataclass(frozen=True)
class WheelTask:
    """Everything a worker needs to judge one wheel for one target (a few hundred bytes)."""

    project: str
    version: str
    target: str
    filename: str
    url: str
    sha256: str  # as the index advertised it; "" when the index gave none
    max_bytes: int = DEFAULT_MAX_WHEEL_BYTES
    timeout_seconds: float = 60.0
    # The index URL as given, credentials included: a worker on another machine must
    # authenticate to a private index the same way the planner did. Kept out of repr and
    # of every key, so no log line, Dask key or stored verdict carries it.
    index_url: str = field(default="", repr=False, compare=False)

    @property
    def identity(self) -> str:
        # PyPI never lets a file name be re-uploaded, but a mirror may serve other bytes under
        # it: the digest is the wheel's identity, the URL only when the index gives no digest.
        return self.sha256 or f"url:{self.url}"

    def store_key(self, analyser: str) -> str:
        """The result store's key: the wheel, the target it is judged for (the same bytes
        read for 3.14t and 3.15t can load on one and not the other) and the analyser's
        source, so a changed reader re-reads instead of serving an old verdict."""
        return f"{self.identity}|{self.target}|{analyser}"

    def task_key(self, analyser: str) -> str:
        """A Dask key: stable across runs and clients, so two submissions of the same
        wheel are one task on the scheduler."""
        digest = hashlib.sha256(f"{self.url}\0{self.store_key(analyser)}".encode()).hexdigest()
        return f"ftaudit-judge-wheel-{digest[:32]}"


@functools.cache
def _analyser() -> str:
    # Hashes the analyser's source files: once per worker process, not once per wheel.
    return analyser_fingerprint()


@functools.cache
def _target(name: str) -> Target:
    return make_target(name)


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _download(task: WheelTask) -> bytes:
    # An IndexClient only for its bounded, error-translating GET: store=False never
    # touches the on-disk cache, so workers need no shared folder.
    # Credentials in the index URL apply to files on the index's own host, else netrc.
    client = IndexClient(task.index_url or task.url, timeout_seconds=task.timeout_seconds)
    return client.fetch(task.url, store=False, max_bytes=task.max_bytes).body


def judge_wheel(task: WheelTask) -> WheelVerdict:
    """Download and read one wheel; never raises for a bad wheel or a failed download
    (those are recorded in the verdict)."""
    verdict = WheelVerdict(
        project=task.project,
        version=task.version,
        target=task.target,
        filename=task.filename,
        url=task.url,
        sha256=task.sha256,
        verdict=UNKNOWN,
        gil_fallback=None,
        analyser=_analyser(),
        worker=_worker_name(),
    )
    started = time.perf_counter()
    try:
        body = _download(task)
    except IndexFetchError as problem:
        verdict.download_error = str(problem)
        verdict.download_seconds = round(time.perf_counter() - started, 4)
        return verdict
    downloaded = time.perf_counter()
    verdict.size_bytes = len(body)
    verdict.download_seconds = round(downloaded - started, 4)
    mismatch = hash_problem(body, {"sha256": task.sha256} if task.sha256 else {}, task.filename)
    if mismatch:
        # Corrupted in transit or replaced on a mirror: not a property of the wheel, so it is
        # treated like a failed download (not stored; a re-run fetches it again).
        verdict.download_error = mismatch
        return verdict
    if not task.sha256:
        verdict.sha256 = hashlib.sha256(body).hexdigest()
    native_libraries: list[str] = []
    other_interpreter_files: list[str] = []
    extensions, problems = read_wheel_extensions(
        body,
        task.filename,
        _target(task.target),
        task.project,
        native_libraries=native_libraries,
        other_interpreter_files=other_interpreter_files,
    )
    summary = summarise_extensions(
        task.filename, extensions, problems, native_libraries, other_interpreter_files
    )
    verdict.gil_fallback = summary.gil_fallback
    verdict.gil_fallback_modules = list(summary.gil_fallback_modules)
    verdict.problems = list(summary.problems)
    if summary.gil_fallback is True:
        verdict.verdict = GIL_FALLBACK
    elif summary.gil_fallback is False:
        verdict.verdict = READY if summary.extensions else PURE
    risky: dict[str, int] = {}
    for extension in extensions:
        verdict.modules.append(
            SurveyModule(
                module=extension.module,
                path=extension.path,
                abi=extension.abi,
                abi_free_threaded=extension.abi_free_threaded,
                loadable_on_target=extension.loadable_on_target,
                gil=extension.gil,
                gil_declared_by=extension.gil_declared_by,
                generator=extension.generator,
                init_style=extension.init_style,
                risky_symbols=sorted({symbol.name for symbol in extension.risky_symbols}),
                errors=list(extension.errors),
            )
        )
        for rule in {symbol.rule for symbol in extension.risky_symbols}:
            risky[rule] = risky.get(rule, 0) + 1
    verdict.generators = sorted({module.generator for module in verdict.modules if module.generator})
    verdict.abis = sorted({module.abi for module in verdict.modules})
    verdict.risky_symbols = dict(sorted(risky.items()))
    verdict.analysis_seconds = round(time.perf_counter() - downloaded, 4)
    return verdict

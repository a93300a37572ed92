"""The runtime probe: import each extension module alone, in a fresh free-threaded process.

Why one process per module: CPython 3.13t names only the first module that re-enables
the GIL in its RuntimeWarning, and once the GIL is on it stays on, so a shared process
cannot attribute the GIL to a module. Why ``PYTHON_GIL`` is removed from the child's
environment (and ``-E`` given): ``PYTHON_GIL=0`` or ``=1`` overrides every module's
declaration (Python/import.c, ``_PyImport_CheckGILForModule``) and would make the probe
report the variable instead of the module.

Nothing is ever imported in the auditor's own process: the child runs
:mod:`auditor.collectors.import_probe._child` (stdlib only) with ``-X faulthandler`` so a crash leaves a
traceback, in its own process group so a hang can be killed with everything it started.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ...model.environment import RuntimeGil
from ...shared.gil_warning import gil_warnings, module_named
from ...shared.process_exit import signal_name

__all__ = ["ProbeOutcome", "probe", "probe_module", "probe_modules"]

_CHILD = Path(__file__).with_name("_child.py")
_MARKER = "FTAUDIT-PROBE-RESULT "
_OUTPUT_TAIL = 4000  # characters of stderr kept as crash detail (faulthandler's traceback fits)


@dataclass
class ProbeOutcome:
    """What one import of one module did to the GIL."""

    module: str
    runtime_gil: RuntimeGil
    warning: str | None = None  # the RuntimeWarning text, when the import re-enabled the GIL
    detail: str | None = None  # import error text, signal + faulthandler output, timeout note
    # The module the GIL warning names: this one, or another module it imported.
    enabled_by: str | None = None
    # The GIL state right after the module object was created (before its exec slots ran),
    # None when not measured (import by name, or the import failed before).
    gil_after_create: bool | None = None
    returncode: int | None = None
    duration_seconds: float = 0.0
    other_warnings: list[str] = field(default_factory=list)


def _child_environment() -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key != "PYTHON_GIL" and not key.startswith("PYTHONPATH")
    }
    environment["PYTHONFAULTHANDLER"] = "1"
    environment.pop("PYTHONSTARTUP", None)
    return environment


@dataclass
class _ChildRun:
    report: dict | None
    outcome: ProbeOutcome | None  # set when the child crashed, hung or did not report


def _run_child(
    python: str | Path, module: str, path: Path | None, mode: str, timeout: float, search_path: list[str]
) -> _ChildRun:
    command = [
        str(python),
        "-E",
        "-s",
        "-X",
        "faulthandler",
        str(_CHILD),
        module,
        str(path) if path else "",
        json.dumps(search_path),
        mode,
    ]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ftaudit-probe-") as scratch:
        try:
            process = subprocess.Popen(
                command,
                cwd=scratch,
                env=_child_environment(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                errors="replace",
                start_new_session=True,
            )
        except OSError as error:
            return _ChildRun(
                None,
                ProbeOutcome(
                    module,
                    RuntimeGil.IMPORT_ERROR,
                    detail=f"could not start {python}: {error.strerror or error}",
                ),
            )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            # The module's init may have started threads or children: kill the whole group.
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            stdout, stderr = process.communicate()
            return _ChildRun(
                None,
                ProbeOutcome(
                    module,
                    RuntimeGil.TIMEOUT,
                    returncode=process.returncode,
                    detail=f"the import did not finish within {timeout:g} s; killed"
                    + (f"\n{stderr[-_OUTPUT_TAIL:]}" if stderr.strip() else ""),
                    duration_seconds=time.monotonic() - started,
                ),
            )
    duration = time.monotonic() - started
    report = None
    for line in stdout.splitlines():
        if line.startswith(_MARKER):
            try:
                report = json.loads(line[len(_MARKER) :])
            except json.JSONDecodeError:
                report = None
    returncode = process.returncode
    if returncode < 0:
        return _ChildRun(
            None,
            ProbeOutcome(
                module,
                RuntimeGil.CRASH,
                returncode=returncode,
                duration_seconds=duration,
                detail=f"killed by {signal_name(returncode)} while importing\n"
                f"{stderr[-_OUTPUT_TAIL:]}".rstrip(),
            ),
        )
    if report is None:
        return _ChildRun(
            None,
            ProbeOutcome(
                module,
                RuntimeGil.IMPORT_ERROR,
                returncode=returncode,
                duration_seconds=duration,
                detail=f"the interpreter exited with status {returncode} without a "
                f"result\n{stderr[-_OUTPUT_TAIL:]}".rstrip(),
            ),
        )
    report["returncode"] = returncode
    report["duration"] = duration
    return _ChildRun(report, None)


def probe_module(
    python: str | Path,
    module: str,
    path: Path | None = None,
    *,
    timeout: float = 30,
    extra_sys_path: Iterable[Path] = (),
) -> ProbeOutcome:
    """Import ``module`` in a fresh subprocess of ``python`` and say what it did to the GIL.

    The import is the user's ``import a.b.c`` (parents first). When the GIL comes on
    because of another module (a parent package's import, a sibling it pulls in), a
    second process loads only this module's file (``PyInit_*``, where CPython checks
    the declaration) so that ``runtime_gil`` is this module's own effect; ``enabled_by``
    and ``detail`` say who enabled it in the full import.
    """
    search_path = [str(Path(folder)) for folder in extra_sys_path]
    run = _run_child(python, module, path, "import", timeout, search_path)
    if run.outcome is not None:
        return run.outcome
    report = run.report
    warnings_seen = report.get("warnings", [])
    gil_warnings_seen = gil_warnings(warnings_seen)
    outcome = ProbeOutcome(
        module,
        RuntimeGil.ENABLED if report.get("gil_after") else RuntimeGil.DISABLED,
        warning=gil_warnings_seen[0] if gil_warnings_seen else None,
        enabled_by=module_named(gil_warnings_seen[0]) if gil_warnings_seen else None,
        returncode=report["returncode"],
        duration_seconds=report["duration"],
        other_warnings=[text for text in warnings_seen if text not in gil_warnings_seen],
    )
    if report.get("gil_before"):
        outcome.detail = "the GIL was enabled before any import (not a free-threaded interpreter?)"
        return outcome
    if report.get("status") == "import-error":
        outcome.runtime_gil = RuntimeGil.IMPORT_ERROR
        outcome.detail = report.get("error")
        if any(module_named(text) == module for text in gil_warnings_seen):
            outcome.runtime_gil = RuntimeGil.ENABLED  # loading it enabled the GIL; then something failed
            outcome.detail = f"the module enabled the GIL, then the import failed: {outcome.detail}"
        elif path is not None:
            # The package failed (a missing optional dependency, a circular import when this
            # module is imported first): the module's own GIL effect can still be observed.
            _judge_alone(
                python, module, path, timeout, search_path, outcome, f"importing it failed ({outcome.detail})"
            )
        return outcome
    our_warning = any(module_named(text) == module for text in gil_warnings_seen)
    if outcome.runtime_gil == RuntimeGil.ENABLED and not our_warning and path is not None:
        # Someone else turned the GIL on first; CPython then stays silent about us.
        culprit = outcome.enabled_by or "another module"
        _judge_alone(
            python,
            module,
            path,
            timeout,
            search_path,
            outcome,
            f"the GIL was enabled by {culprit}, imported along with {module}",
        )
    return outcome


def _judge_alone(
    python: str | Path,
    module: str,
    path: Path,
    timeout: float,
    search_path: list[str],
    outcome: ProbeOutcome,
    context: str,
) -> None:
    """Load only the module's file (PyInit_*, where CPython checks the GIL declaration)."""
    isolated = _run_child(python, module, path, "create", timeout, search_path)
    if isolated.outcome is not None:
        outcome.detail = (
            f"{context}; loading the module alone: {isolated.outcome.runtime_gil.value}: "
            f"{isolated.outcome.detail}"
        )
        return
    if isolated.report.get("status") != "imported":
        outcome.detail = f"{context}; loading the module alone failed too: {isolated.report.get('error')}"
        return
    outcome.gil_after_create = isolated.report.get("gil_after_create")
    alone = RuntimeGil.ENABLED if outcome.gil_after_create else RuntimeGil.DISABLED
    outcome.runtime_gil = alone
    outcome.detail = f"{context}; loading {module} alone leaves the GIL {alone.value}"
    alone_warnings = gil_warnings(isolated.report.get("warnings", []))
    outcome.warning = alone_warnings[0] if alone_warnings else None
    if alone_warnings:
        outcome.enabled_by = module_named(alone_warnings[0])


def probe_modules(
    python: str | Path,
    modules: list[tuple[str, Path | None]],
    timeout: float = 30,
    jobs: int | None = None,
    extra_sys_path: Iterable[Path] = (),
    on_result: Callable[[str, ProbeOutcome], None] | None = None,
) -> dict[str, ProbeOutcome]:
    """Probe every ``(dotted name, file)`` in its own process, ``jobs`` at a time.

    ``extra_sys_path``: the site-packages folders holding the modules (their ``.pth``
    files are processed). ``on_result`` is called from worker threads as each finishes
    (for a progress bar). Returns name -> outcome; never raises for a module's failure.
    """
    search_path = list(extra_sys_path)
    workers = max(1, jobs or os.cpu_count() or 1)

    def run(item: tuple[str, Path | None]) -> ProbeOutcome:
        name, path = item
        outcome = probe_module(python, name, path, timeout=timeout, extra_sys_path=search_path)
        if on_result is not None:
            on_result(name, outcome)
        return outcome

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ftaudit-probe") as pool:
        outcomes = list(pool.map(run, modules))
    return {outcome.module: outcome for outcome in outcomes}

"""The import probe on top of a static scan: which interpreter imports the modules, and
how what it saw is merged into the scan result.

With ``probe=True`` every loadable module's ``runtime_gil`` is filled and
``agrees_with_runtime`` says whether the static answer predicted it: ``not-used`` must
meet a disabled GIL, ``used`` an enabled one; ``unknown`` never agrees; an import error,
crash or timeout leaves it ``None`` (``runtime_detail`` says why), as does a GIL enabled
by another module imported along the way (the warning names the culprit). The verdict
stays the static one (what the binaries say); its reason adds what the probe saw.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from ..collectors.import_probe import ProbeOutcome, probe_modules
from ..collectors.interpreters.discovery import InterpreterError, default_free_threaded, describe_interpreter
from ..model.environment import Distribution, ExtensionModule, GilDeclaration, RuntimeGil, ScanResult
from ..model.interpreter import InterpreterInfo
from ..shared.gil_warning import module_named
from .verdicts import NAMES_IN_REASON

DEFAULT_PROBE_TIMEOUT = 30.0


def runtime_agreement(extension: ExtensionModule) -> bool | None:
    """Whether the static GIL answer predicted what the probe saw (see the docstring)."""
    runtime = extension.runtime_gil
    if runtime not in (RuntimeGil.ENABLED, RuntimeGil.DISABLED):
        return None
    if runtime is RuntimeGil.ENABLED and extension.runtime_warning:
        culprit = module_named(extension.runtime_warning)
        if culprit is not None and culprit != extension.module:
            return None  # another module turned the GIL on first; this one's own answer was not seen
    if extension.gil is GilDeclaration.NOT_USED:
        return runtime is RuntimeGil.DISABLED
    if extension.gil is GilDeclaration.USED:
        return runtime is RuntimeGil.ENABLED
    return False


def choose_probe_interpreter(
    probe_python: str | Path | None, environment_interpreter: InterpreterInfo | None, errors: list[str]
) -> InterpreterInfo | None:
    """``probe_python``, else the scanned interpreter when it is free-threaded, else the
    default free-threaded one; None (with the reason in ``errors``) when there is none."""
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


def probe_scanned_modules(
    result: ScanResult,
    probe_interpreter: InterpreterInfo,
    timeout: float,
    jobs: int | None,
    progress: Callable[[int, int, str], None] | None,
) -> None:
    """Import every loadable module of ``result`` with ``probe_interpreter`` and record
    what each did to the GIL, in place."""
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
        _merge_outcomes(distribution, outcomes)


def _merge_outcomes(distribution: Distribution, outcomes: dict[str, ProbeOutcome]) -> None:
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
            disagreements[:NAMES_IN_REASON]
        )
    if only_at_run_time:
        distribution.reason += "; the probe observed what the static scan could not decide: " + ", ".join(
            only_at_run_time[:NAMES_IN_REASON]
        )

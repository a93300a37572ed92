"""The thread hammer: compile samples, run them from many threads, classify what happens.

:func:`run_sample` is what :func:`auditor.hammer` (:mod:`auditor.pipelines.hammer`) runs for
every sample: build it for the free-threaded target and run trials there (``runner``); do
the same on a GIL baseline of the same version; classify (race only without the GIL, race
on both, nothing observed); measure throughput on both. What the trials showed is a fact
(:mod:`.trial_facts`); the FTR rules turn it into findings.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ...model.harness import HammerVerdict, InterpreterRun, SampleResult
from ..interpreters.discovery import (
    InterpreterError,
    default_free_threaded,
    default_gil_baseline,
    describe_interpreter,
)
from ..interpreters.provision import TSAN_SUPPRESSIONS_NAME
from .build import build_sample
from .runner import (
    DEFAULT_BUDGET_SECONDS,
    DEFAULT_TRIAL_TIMEOUT_SECONDS,
    TSAN_TRIAL_TIMEOUT_SECONDS,
    ProgressCallback,
    ProgressUpdate,
    RunSettings,
    hammer_interpreter,
)
from .sample import Sample, SampleError, find_sample_folders, load_sample
from .trial_facts import TrialFacts

__all__ = [
    "AUTO",
    "DEFAULT_BUDGET_SECONDS",
    "HarnessError",
    "ProgressUpdate",
    "Sample",
    "SampleError",
    "TrialFacts",
    "classify",
    "error_result",
    "find_sample_folders",
    "load_sample",
    "resolve_interpreters",
    "run_sample",
]

AUTO = "auto"


class HarnessError(Exception):
    """The harness cannot run at all (no free-threaded interpreter, a bad --python)."""


def classify(target: HammerVerdict, baseline: HammerVerdict | None) -> str | None:
    """ "race-without-gil", "race", "safe", or None when the runs cannot decide."""
    if target not in (HammerVerdict.RACE, HammerVerdict.NO_RACE_OBSERVED):
        return None
    if target is HammerVerdict.RACE:
        if baseline is HammerVerdict.RACE:
            return "race"
        if baseline is HammerVerdict.NO_RACE_OBSERVED:
            return "race-without-gil"
        return None
    if baseline is HammerVerdict.RACE:
        return "race"  # seen with the GIL only: still a race, free-threading did not cause it
    return "safe"


def _matches(expect: str | None, target: HammerVerdict, classification: str | None) -> bool | None:
    if expect is None:
        return None
    if expect == "safe" and target is HammerVerdict.RACE:
        return False
    if classification is None:
        return None
    return classification == expect


def _describe(python: str, found_via: str):
    try:
        return describe_interpreter(python, found_via)
    except InterpreterError as error:
        raise HarnessError(str(error)) from error


def resolve_interpreters(python, baseline_python, tsan: bool):
    """The target and baseline interpreters to hammer on, and notes on what is missing.

    ``python`` None: the provisioned free-threaded one (the TSan one with ``tsan``);
    ``baseline_python`` :data:`AUTO`: a GIL build of the same release, None: no baseline.
    Raises :class:`HarnessError` when there is no usable target.
    """
    if python is None:
        target = default_free_threaded(tsan=tsan)
        if target is None:
            what = "ThreadSanitizer free-threaded" if tsan else "free-threaded"
            raise HarnessError(
                f"no {what} interpreter found; build one with `ftaudit provision"
                f"{' --tsan' if tsan else ''}` or pass --python"
            )
    else:
        target = _describe(str(python), "--python")
    if tsan and not target.tsan:
        raise HarnessError(
            f"{target.executable} is not built with ThreadSanitizer (--tsan needs one; "
            "`ftaudit provision --tsan`)"
        )
    notes: list[str] = []
    if not target.free_threaded:
        notes.append(f"the target {target.label} is not free-threaded: it cannot show races the GIL hides")
    if baseline_python == AUTO:
        baseline = default_gil_baseline(target.version)
        if baseline is None:
            notes.append("no GIL build found for the baseline: races are not classified (--baseline-python)")
    elif baseline_python is None:
        baseline = None
    else:
        baseline = _describe(str(baseline_python), "--baseline-python")
    return target, baseline, notes


def _tsan_suppressions(target) -> Path | None:
    candidate = Path(target.executable).resolve().parent.parent / TSAN_SUPPRESSIONS_NAME
    return candidate if candidate.is_file() else None


def run_sample(
    sample: Sample,
    target,
    baseline,
    *,
    threads: int | None = None,
    iterations: int | None = None,
    budget: float | None = None,
    tsan: bool = False,
    progress: ProgressCallback | None = None,
    trial_timeout: float | None = None,
    throughput: bool = True,
    cache_dir: Path | None = None,
) -> SampleResult:
    """One sample on a described target (and baseline) interpreter: its trials and their
    classification. Findings are the FTR rules' (:mod:`auditor.engine.runtime_checks`)."""
    settings = RunSettings(
        threads=threads or sample.default_threads,
        iterations=iterations or sample.default_iterations,
        budget=DEFAULT_BUDGET_SECONDS if budget is None else budget,
        trial_timeout=trial_timeout
        or (TSAN_TRIAL_TIMEOUT_SECONDS if tsan else DEFAULT_TRIAL_TIMEOUT_SECONDS),
        tsan=tsan,
        tsan_suppressions=_tsan_suppressions(target) if tsan else None,
        throughput=throughput,
    )
    errors = [f"warning: {warning}" for warning in sample.warnings]
    runs: list[InterpreterRun | None] = []
    for info, is_target in ((target, True), (baseline, False)):
        if info is None:
            runs.append(None)
            continue
        if progress:
            progress(ProgressUpdate(sample.name, info.label, "build", budget=settings.budget))
        use_tsan = tsan and is_target
        build = build_sample(sample, info.executable, tsan=use_tsan, cache_dir=cache_dir)
        if not build.ok:
            if progress:
                progress(ProgressUpdate(sample.name, info.label, "build-error", budget=settings.budget))
            runs.append(
                InterpreterRun(
                    python=info.executable,
                    label=info.label,
                    free_threaded=info.free_threaded,
                    build_route=build.route,
                    verdict=HammerVerdict.BUILD_ERROR,
                    build_log=build.log,
                    notes=build.notes,
                )
            )
            errors.append(f"build failed on {info.label}; the compiler's output is in build_log")
            continue
        # The baseline is a plain GIL build: no TSan, and the ordinary trial timeout.
        run_settings = (
            settings
            if is_target
            else dataclasses.replace(
                settings,
                tsan=False,
                tsan_suppressions=None,
                trial_timeout=DEFAULT_TRIAL_TIMEOUT_SECONDS if trial_timeout is None else trial_timeout,
            )
        )
        if use_tsan and settings.tsan_suppressions is None:
            errors.append(
                "no tsan-suppressions.txt beside the TSan interpreter: races inside CPython are "
                "filtered by frame only"
            )
        run = hammer_interpreter(
            sample,
            build,
            label=info.label,
            free_threaded=info.free_threaded,
            settings=run_settings,
            progress=progress,
        )
        if build.cached:
            run.notes.append("build reused from the cache")
        runs.append(run)
    target_run, baseline_run = runs
    verdict = target_run.verdict if target_run else HammerVerdict.ERROR
    baseline_verdict = baseline_run.verdict if baseline_run else None
    classification = classify(verdict, baseline_verdict)
    for run in (target_run, baseline_run):
        if run and run.verdict is HammerVerdict.ERROR:
            errors.extend(f"{run.label}: {note}" for note in run.notes if not note.startswith("build reused"))
        elif run:
            errors.extend(f"{run.label}: {note}" for note in run.notes if "PARTIAL" in note)
    return SampleResult(
        name=sample.name,
        path=str(sample.path),
        kind=sample.kind,
        expect=sample.expect,
        verdict=verdict,
        failures=target_run.failures if target_run else 0,
        trials=target_run.trials if target_run else 0,
        baseline_verdict=baseline_verdict,
        classification=classification,
        matches_expectation=_matches(sample.expect, verdict, classification),
        target=target_run,
        baseline=baseline_run,
        description=sample.description,
        errors=errors,
        safe_twin=sample.safe_twin,
    )


def error_result(path: str, message: str) -> SampleResult:
    return SampleResult(
        name=Path(path).name,
        path=path,
        kind="",
        expect=None,
        verdict=HammerVerdict.ERROR,
        failures=0,
        trials=0,
        baseline_verdict=None,
        classification=None,
        matches_expectation=None,
        errors=[message],
    )

"""The thread hammer: compile samples, run them from many threads, classify what happens.

:func:`hammer` is the library entry point behind ``ftaudit hammer``. For every sample:
build it for the free-threaded target and run trials there (``runner``); do the same on
a GIL baseline of the same version; classify (race only without the GIL, race on both,
nothing observed); turn outcomes into FTR findings; measure throughput on both.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path

from ...model.finding import Finding, Location
from ...model.harness import FailureKind, HammerVerdict, InterpreterRun, SampleResult
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
from .tsan import parse_tsan_reports, reports_touching, sample_frame, sample_source_of

__all__ = [
    "AUTO",
    "DEFAULT_BUDGET_SECONDS",
    "HarnessError",
    "ProgressUpdate",
    "Sample",
    "SampleError",
    "classify",
    "hammer",
    "hammer_sample",
    "load_sample",
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


_SCENARIO_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')


def _location_from_traceback(detail: str, sample: Sample) -> Location:
    """The innermost frame of the sample's own files in a (faulthandler) traceback."""
    candidates = [
        (match["file"], int(match["line"]))
        for match in _SCENARIO_FRAME.finditer(detail)
        if Path(match["file"]).resolve().parent == sample.path
    ]
    if candidates:
        # faulthandler prints most recent call first, Python tracebacks last.
        file, line = candidates[0] if "most recent call first" in detail else candidates[-1]
        return Location(path=file, line=line)
    return Location(path=str(sample.sources[0]))


def _findings(
    sample: Sample, target: InterpreterRun | None, baseline: InterpreterRun | None, classification: str | None
) -> list[Finding]:
    from ...rules.runtime.crash_under_threads import CrashUnderThreads
    from ...rules.runtime.gil_reenabled import GilReenabledOnImport
    from ...rules.runtime.hang_under_threads import HangUnderThreads
    from ...rules.runtime.race_observed import RaceObserved
    from ...rules.runtime.race_with_and_without_gil import RaceWithAndWithoutGil
    from ...rules.runtime.race_without_gil import RaceWithoutGil
    from ...rules.runtime.tsan_data_race import TsanDataRace

    findings: list[Finding] = []
    if target is None:
        return findings
    if any(note.startswith("GIL RE-ENABLED") for note in target.notes):
        findings.append(
            GilReenabledOnImport.finding(location=Location(path=str(sample.sources[0])), module=sample.name)
        )
    failures = target.failure_examples if target.verdict is HammerVerdict.RACE else []
    wrong = [
        failure for failure in failures if failure.kind in (FailureKind.WRONG_RESULT, FailureKind.EXCEPTION)
    ]
    if wrong:
        first = wrong[0]
        evidence = [
            f"{target.label}: {first.message} (trial {first.trial}, after {first.seconds_into_run:.2f} s)"
        ]
        if baseline is not None:
            evidence.append(f"{baseline.label}: {baseline.verdict.value} in {baseline.trials} trials")
        rule = {"race-without-gil": RaceWithoutGil, "race": RaceWithAndWithoutGil}.get(
            classification or "", RaceObserved
        )
        findings.append(
            rule.finding(
                f"{rule.summary}: {first.message}",
                _location_from_traceback(first.detail, sample),
                evidence=evidence,
                module=sample.name,
            )
        )
    if not failures and baseline is not None and baseline.verdict is HammerVerdict.RACE:
        # Seen with the GIL only (rare: a window the free-threaded runs did not hit). Still a
        # race in the code, and one the GIL does not prevent.
        first = baseline.failure_examples[0]
        findings.append(
            RaceWithAndWithoutGil.finding(
                f"race observed on the GIL build only ({baseline.label}): {first.message}",
                _location_from_traceback(first.detail, sample),
                evidence=[f"{target.label}: {target.verdict.value} in {target.trials} trials"],
                module=sample.name,
            )
        )
    for failure in failures:
        if failure.kind is FailureKind.CRASH:
            findings.append(
                CrashUnderThreads.finding(
                    f"{CrashUnderThreads.summary}: {failure.message}",
                    _location_from_traceback(failure.detail, sample),
                    evidence=[failure.detail[-4000:]],
                    module=sample.name,
                )
            )
        elif failure.kind is FailureKind.HANG:
            findings.append(
                HangUnderThreads.finding(
                    f"{HangUnderThreads.summary}: {failure.message}",
                    _location_from_traceback(failure.detail, sample),
                    evidence=[failure.detail[-4000:]],
                    module=sample.name,
                )
            )
    seen: set[tuple] = set()
    for failure in failures:
        if failure.kind is not FailureKind.TSAN:
            continue
        for report in reports_touching(parse_tsan_reports(failure.detail), sample):
            own = [
                (access, frame)
                for access in report.accesses
                for frame in access.frames
                if sample_frame(frame, sample)
            ]
            _, frame = own[0]
            key = tuple(sorted({(f.file, f.line) for _, f in own}))
            if key in seen:
                continue
            seen.add(key)
            evidence = []
            for each in report.accesses:
                evidence.append(each.description + ":\n" + "\n".join(f"  {f}" for f in each.frames[:8]))
            if report.location:
                evidence.append(f"Location is {report.location}")
            findings.append(
                TsanDataRace.finding(
                    f"ThreadSanitizer: {report.kind} in {frame.function} ({report.summary})",
                    Location(
                        path=sample_source_of(frame, sample) or str(frame.file),
                        line=frame.line,
                        symbol=frame.function,
                    ),
                    evidence=evidence,
                    module=sample.name,
                )
            )
    return findings


def _describe(python: str, found_via: str):
    from ..interpreters.discovery import InterpreterError, describe_interpreter

    try:
        return describe_interpreter(python, found_via)
    except InterpreterError as error:
        raise HarnessError(str(error)) from error


def _resolve_interpreters(python, baseline_python, tsan: bool):
    from ..interpreters.discovery import default_free_threaded, default_gil_baseline

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
    from ..interpreters.provision import TSAN_SUPPRESSIONS_NAME

    candidate = Path(target.executable).resolve().parent.parent / TSAN_SUPPRESSIONS_NAME
    return candidate if candidate.is_file() else None


def hammer_sample(
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
    """One sample on a described target (and baseline) interpreter."""
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
        findings=_findings(sample, target_run, baseline_run, classification),
        description=sample.description,
        errors=errors,
        safe_twin=sample.safe_twin,
    )


def hammer(
    paths: Sequence[str | Path],
    *,
    python: str | Path | None = None,
    baseline_python: str | Path | None = AUTO,
    threads: int | None = None,
    iterations: int | None = None,
    budget: float | None = None,
    tsan: bool = False,
    progress: ProgressCallback | None = None,
    trial_timeout: float | None = None,
    throughput: bool = True,
    cache_dir: Path | None = None,
) -> list[SampleResult]:
    """Hammer every sample under ``paths`` (sample folders or folders of samples).

    ``python``: the free-threaded target (default: the provisioned 3.13t, or the TSan
    one with ``tsan=True``). ``baseline_python``: a GIL build to classify races with
    (default ``"auto"``: a GIL build of the same minor version; ``None``: no baseline).
    ``budget``: seconds of trials per sample per interpreter (default 10); a racy sample
    stops at its first failure. Raises :class:`HarnessError` only when nothing can run;
    a bad sample becomes a result with verdict "error" and its reason in ``errors``.
    """
    target, baseline, notes = _resolve_interpreters(python, baseline_python, tsan)
    results: list[SampleResult] = []
    for path in paths:
        try:
            folders = find_sample_folders(path)
        except SampleError as error:
            results.append(_error_result(str(path), str(error)))
            continue
        for folder in folders:
            try:
                sample = load_sample(folder)
            except SampleError as error:
                results.append(_error_result(str(folder), str(error)))
                continue
            result = hammer_sample(
                sample,
                target,
                baseline,
                threads=threads,
                iterations=iterations,
                budget=budget,
                tsan=tsan,
                progress=progress,
                trial_timeout=trial_timeout,
                throughput=throughput,
                cache_dir=cache_dir,
            )
            result.errors[:0] = notes
            results.append(result)
    return results


def _error_result(path: str, message: str) -> SampleResult:
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

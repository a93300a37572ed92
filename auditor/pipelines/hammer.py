"""The thread hammer as one call: every sample built, hammered, classified and judged.

:func:`hammer` is the library entry point behind ``ftaudit hammer`` (``auditor.hammer``).
The harness (:mod:`auditor.collectors.harness`) runs each sample's trials on the
free-threaded target and the GIL baseline; the FTR rules
(:mod:`auditor.engine.runtime_checks`) turn what the trials showed into findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..collectors.harness import (
    AUTO,
    HarnessError,
    ProgressUpdate,
    SampleError,
    TrialFacts,
    error_result,
    find_sample_folders,
    load_sample,
    resolve_interpreters,
    run_sample,
)
from ..collectors.harness.runner import ProgressCallback
from ..collectors.harness.sample import Sample
from ..engine.runtime_checks import trial_findings
from ..model.harness import SampleResult

__all__ = ["AUTO", "HarnessError", "ProgressUpdate", "hammer", "hammer_sample"]


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
    """One sample on a described target (and baseline) interpreter, with its findings."""
    result = run_sample(
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
    trial = TrialFacts(sample, result.target, result.baseline, result.classification)
    result.findings = trial_findings(trial)
    return result


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
    target, baseline, notes = resolve_interpreters(python, baseline_python, tsan)
    results: list[SampleResult] = []
    for path in paths:
        try:
            folders = find_sample_folders(path)
        except SampleError as error:
            results.append(error_result(str(path), str(error)))
            continue
        for folder in folders:
            try:
                sample = load_sample(folder)
            except SampleError as error:
                results.append(error_result(str(folder), str(error)))
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

"""The finding the three race rules share: a wrong result seen on the free-threaded target.

Which of them reports it depends on the GIL baseline (FTR001 only without the GIL,
FTR002 on both builds, FTR003 when no baseline decided).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...collectors.harness.trial_facts import TrialFacts
from ...model.finding import Finding
from ...model.harness import FailureKind


def wrong_result_findings(rule, trial: TrialFacts) -> Iterator[Finding]:
    wrong = trial.failures_of(FailureKind.WRONG_RESULT, FailureKind.EXCEPTION)
    if not wrong:
        return
    first, target, baseline = wrong[0], trial.target, trial.baseline
    evidence = [
        f"{target.label}: {first.message} (trial {first.trial}, after {first.seconds_into_run:.2f} s)"
    ]
    if baseline is not None:
        evidence.append(f"{baseline.label}: {baseline.verdict.value} in {baseline.trials} trials")
    yield rule.finding(
        f"{rule.summary}: {first.message}",
        trial.location_from_traceback(first.detail),
        evidence=evidence,
        module=trial.sample.name,
    )

"""What each command's result means for its exit code, decided here and only here.

Every command follows one rule (docs/exit-codes.md): a definite failure (1) outranks a
partial result (3), which outranks success (0). What counts as a failure differs by
command: a verdict asked for with ``scan --fail-on``, a disagreement in ``probe``, a race
in ``hammer``, a finding at the ``scan-source --fail-on`` severity, a package that needs
a build in ``tree``, a regression in ``diff``; the gate's own decision is
:class:`~auditor.engine.gate.GateResult`. The CLI prints the reasons and exits with the
code; a library user gets the same answer from the same functions.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ..model import AuditReport, Severity, Verdict
from ..model.environment import ScanResult
from ..model.harness import HammerVerdict, SampleResult
from ..model.source import SourceScanResult
from ..model.tree import TreeResult
from .exit_codes import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL

# `scan-source --fail-on`: the lowest severity that fails; "never" lets nothing fail.
SOURCE_FAIL_LEVELS = ("note", "warning", "error", "never")
_HAMMER_UNFINISHED = (HammerVerdict.BUILD_ERROR, HammerVerdict.ERROR)


@dataclass(frozen=True)
class Outcome:
    """A command's exit code and, when it failed, why (one sentence each)."""

    exit_code: int
    reasons: tuple[str, ...] = ()


def exit_code(failed: bool, partial: bool) -> int:
    """The rule every command shares: failed (1) outranks partial (3) outranks ok (0)."""
    if failed:
        return EXIT_FAILED
    return EXIT_PARTIAL if partial else EXIT_OK


def _outcome(reasons: Sequence[str], partial: bool) -> Outcome:
    return Outcome(exit_code(bool(reasons), partial), tuple(reasons))


def check_outcome(failures: Sequence[object], partial: bool, wrote_baseline: bool = False) -> Outcome:
    """``ftaudit check``: the gate's failures (:class:`~auditor.engine.gate.GateResult`);
    writing a baseline accepts every finding, so it never fails."""
    if wrote_baseline:
        return Outcome(EXIT_OK)
    return Outcome(exit_code(bool(failures), partial))


def scan_outcome(
    result: ScanResult, fail_on: Collection[Verdict] = (), source: SourceScanResult | None = None
) -> Outcome:
    """``ftaudit scan``: a distribution with a ``--fail-on`` verdict fails."""
    failing = [d for d in result.distributions if d.verdict in fail_on]
    reasons = []
    if failing:
        names = ", ".join(f"{d.name} ({d.verdict.value})" for d in failing[:10])
        reasons.append(f"{len(failing)} distribution(s) with a --fail-on verdict: {names}")
    return _outcome(reasons, result.partial or (source is not None and source.partial))


def probe_outcome(result: ScanResult) -> Outcome:
    """``ftaudit probe``: a module whose static verdict the runtime contradicts fails; an
    environment that was not probed at all is partial."""
    if result.probed_with is None:
        return Outcome(EXIT_PARTIAL)
    disagreeing = [
        f"{distribution.name}: {extension.module}"
        for distribution in result.distributions
        for extension in distribution.extensions
        if extension.agrees_with_runtime is False
    ]
    reasons = []
    if disagreeing:
        reasons.append(
            f"static verdict and runtime disagree for {len(disagreeing)} module(s): "
            + ", ".join(disagreeing[:10])
        )
    return _outcome(reasons, result.partial)


def hammer_outcome(results: Sequence[SampleResult]) -> Outcome:
    """``ftaudit hammer``: a race on the target fails; a sample that could not be built or
    run (on the target or the baseline) makes the result partial."""
    raced = any(result.verdict is HammerVerdict.RACE for result in results)
    unfinished = any(
        result.verdict in _HAMMER_UNFINISHED or result.baseline_verdict in _HAMMER_UNFINISHED
        for result in results
    )
    return Outcome(exit_code(raced, unfinished))


def source_outcome(
    result: SourceScanResult, fail_on: str = "warning", wrote_baseline: bool = False
) -> Outcome:
    """``ftaudit scan-source``: an unsuppressed finding at or above ``fail_on`` fails;
    writing a baseline accepts every finding, so it never fails."""
    if wrote_baseline:
        return Outcome(EXIT_OK)
    if fail_on not in SOURCE_FAIL_LEVELS:
        raise ValueError(f"fail_on must be one of {', '.join(SOURCE_FAIL_LEVELS)}, not {fail_on!r}")
    threshold = None if fail_on == "never" else Severity(fail_on)
    failing = threshold is not None and any(
        not finding.suppressed and finding.severity.rank >= threshold.rank for finding in result.findings
    )
    return Outcome(exit_code(failing, result.partial))


def tree_outcome(tree: TreeResult) -> Outcome:
    """``ftaudit tree``: a package that would have to be built for the target fails."""
    building = any(package.status == Verdict.NEEDS_BUILD.value for package in tree.packages)
    return Outcome(exit_code(building, tree.partial))


def report_outcome(report: AuditReport) -> Outcome:
    """``ftaudit report``: never fails; partial when the report says it is incomplete."""
    return Outcome(exit_code(False, bool(report.incomplete_reasons())))


def regression_outcome(regressions: Sequence[object], fail_on_regression: bool, since: str) -> Outcome:
    """``ftaudit diff`` and ``ftaudit survey diff``: a regression fails only when asked."""
    if fail_on_regression and regressions:
        return Outcome(EXIT_FAILED, (f"{len(regressions)} regression(s) since {since}",))
    return Outcome(EXIT_OK)


def fix_outcome(changed_files: int, problems: int, applied: bool) -> Outcome:
    """``ftaudit fix``: unapplied changes fail (CI can insist on them). Unlike the other
    commands, files that could not be read (3) are reported before unapplied changes, as
    the command always has."""
    if problems:
        return Outcome(EXIT_PARTIAL)
    if changed_files and not applied:
        return Outcome(EXIT_FAILED)
    return Outcome(EXIT_OK)


def project_audit_outcome(report: AuditReport, problems: Sequence[str], strict: bool = False) -> Outcome:
    """``ftaudit audit``: a sample that behaved against its ``expect`` fails, and with
    ``strict`` so does a project for which no target is ready."""
    decisions = report.project.decisions if report.project else []
    none_ready = bool(decisions) and not any(decision.ready for decision in decisions)
    return Outcome(exit_code(_unexpected_samples(report) or (strict and none_ready), bool(problems)))


def environment_audit_outcome(report: AuditReport, problems: Sequence[str], strict: bool = False) -> Outcome:
    """``ftaudit audit --no-project``: as the project audit, and with ``strict`` a GIL
    fallback fails."""
    fallbacks = any(
        d.verdict == Verdict.GIL_FALLBACK for d in (report.scan.distributions if report.scan else [])
    )
    partial = bool(problems) or bool(report.scan and report.scan.partial)
    return Outcome(exit_code(_unexpected_samples(report) or (strict and fallbacks), partial))


def _unexpected_samples(report: AuditReport) -> bool:
    """A sample raced that was not expected to, or did not race that was."""
    return any(sample.matches_expectation is False for sample in report.hammer or [])


def survey_outcome(partial: bool) -> Outcome:
    """``ftaudit survey``: never fails; partial when a project or wheel was not judged."""
    return Outcome(exit_code(False, partial))

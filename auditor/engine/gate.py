"""The CI gate: apply a :class:`~auditor.engine.policy.Policy` to a report and say pass or fail.

:func:`check` is pure: it reads a report (and an optional baseline) and returns a
:class:`GateResult` listing every reason to fail, plus the environment findings it
derived (FTE003 gil-fallback, FTE004 needs-build, FTE005 import failure) so that the
SARIF / JUnit output shows *why* the gate failed next to the other findings. What the
interpreter said about itself (:func:`~auditor.engine.interpreter_guard.guard_interpreter`)
is an input; :func:`auditor.gate` runs the whole of ``ftaudit check``.

What fails, in order of precedence:

1. an interpreter that is not free-threaded, or whose GIL is enabled after the
   imports (when ``require-free-threaded``, the default);
2. a distribution whose verdict is in ``fail-on-verdicts`` and is not exempt or
   accepted by the baseline (FTE003 / FTE004; ``unknown`` has no rule code);
3. any other finding at or above ``fail-on-severity`` that is selected, not
   suppressed, not in an exempt distribution and not accepted by the baseline.

``select`` / ``ignore`` apply to the FTE codes too, so ``ignore = ["FTE003"]`` turns
off failing on GIL fallbacks.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..collectors.environment.names import normalize_name
from ..model import AuditReport, Finding
from ..model.interpreter import InterpreterFacts
from .baseline import BaselineError, BaselineLike, baseline_consumer, load_baseline
from .environment_findings import (
    INTERPRETER_RULES,
    VERDICT_RULES,
    environment_findings,
    interpreter_findings,
    tree_verdicts,
)
from .outcome import check_outcome
from .policy import Policy, default_policy
from .project_files import point_into_project


@dataclass
class GateFailure:
    reason: str
    rule: str | None = None
    distribution: str | None = None
    fingerprint: str | None = None


@dataclass
class GateResult:
    passed: bool
    failures: list[GateFailure] = field(default_factory=list)
    # Findings derived by the gate (FTE003/FTE004/FTE005); add them to the report to show them.
    added_findings: list[Finding] = field(default_factory=list)
    exempted: list[str] = field(default_factory=list)  # distributions whose failures were waived
    baselined: int = 0  # failures the baseline accepted
    partial: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """docs/exit-codes.md: a definite failure (1) outranks a partial result (3)."""
        return check_outcome(self.failures, self.partial).exit_code

    def summary(self) -> str:
        if self.passed:
            text = "gate passed"
        else:
            text = f"gate FAILED: {len(self.failures)} reason(s)"
        extras = []
        if self.exempted:
            extras.append(f"{len(self.exempted)} exempt distribution(s) ignored")
        if self.baselined:
            extras.append(f"{self.baselined} accepted by the baseline")
        if self.partial:
            extras.append("the result is partial")
        return text + (f" ({'; '.join(extras)})" if extras else "")


def check(
    report: AuditReport,
    policy: Policy | None = None,
    baseline: BaselineLike | None = None,
    interpreter: InterpreterFacts | None = None,
    project_root: str | os.PathLike | None = None,
) -> GateResult:
    """Apply ``policy`` (default: :func:`~auditor.engine.policy.default_policy`) to ``report``.

    ``baseline`` is anything with ``accepts(finding)`` (:class:`~auditor.engine.baseline.Baseline`);
    when None and the policy names a baseline file, it is loaded here. ``interpreter``
    is the result of :func:`~auditor.engine.interpreter_guard.guard_interpreter`, when the
    interpreter was checked. With ``project_root``, FTE003/FTE004 findings of dependencies
    the project declares point at the declaring line of its pyproject.toml / requirements*.txt.
    """
    policy = policy or default_policy()
    result = GateResult(passed=True)
    result.notes.extend(policy.notes)
    if baseline is None and policy.baseline is not None:
        baseline = _load_baseline(policy.baseline, result)
    result.added_findings = _derived_findings(report, policy, interpreter, project_root, result)
    findings = report.all_findings() + result.added_findings
    accepted = _baseline_taker(baseline, result)
    exempted: set[str] = set()
    _verdict_failures(report, findings, policy, accepted, exempted, result)
    _finding_failures(findings, policy, accepted, exempted, result)
    if report.incomplete_reasons():
        result.partial = True
    result.exempted = sorted(exempted, key=normalize_name)
    result.passed = not result.failures
    return result


def _derived_findings(
    report: AuditReport,
    policy: Policy,
    interpreter: InterpreterFacts | None,
    project_root: str | os.PathLike | None,
    result: GateResult,
) -> list[Finding]:
    """The environment and interpreter findings the report does not hold yet."""
    existing = {finding.fingerprint for finding in report.all_findings()}
    derived = environment_findings(report, policy)
    if interpreter is not None:
        derived += interpreter_findings(interpreter)
        if interpreter.errors:
            result.partial = True
            result.notes.extend(interpreter.errors)
        for module, message in interpreter.import_errors.items():
            # A module that did not import was not checked for FTE002: the answer is partial.
            result.partial = True
            result.notes.append(f"could not import {module} on {interpreter.executable}: {message}")
    if project_root is not None:
        # Before any fingerprint is taken: the location is part of a finding's identity.
        point_into_project(derived, project_root)
    return [finding for finding in derived if finding.fingerprint not in existing]


def _baseline_taker(baseline: BaselineLike | None, result: GateResult) -> Callable[[Finding], bool]:
    """``accepted(finding)``: whether the baseline covers one more copy; counts what it covered."""
    if baseline is None:
        return lambda finding: False
    take = baseline_consumer(baseline)

    def accepted(finding: Finding) -> bool:
        if not take(finding):
            return False
        result.baselined += 1
        return True

    return accepted


def _verdict_failures(
    report: AuditReport,
    findings: list[Finding],
    policy: Policy,
    accepted: Callable[[Finding], bool],
    exempted: set[str],
    result: GateResult,
) -> None:
    """Distributions (installed, or of the tree before install) whose verdict fails."""
    verdict_findings = {(f.rule, f.distribution): f for f in findings if f.rule in VERDICT_RULES.values()}
    judged = [
        (d.name, d.version, d.verdict, d.reason, "")
        for d in (report.scan.distributions if report.scan else [])
    ]
    judged += [
        (package.name, package.version or "?", verdict, package.reason, " (before install)")
        for package, verdict in tree_verdicts(report)
    ]
    for name, version, verdict, reason, when in judged:
        if verdict not in policy.fail_on_verdicts:
            continue
        code = VERDICT_RULES.get(verdict)
        if code and not policy.selects(code):
            continue
        if policy.is_exempt(name):
            exempted.add(name)
            continue
        finding = verdict_findings.get((code, name)) if code else None
        if finding is not None and (finding.suppressed or accepted(finding)):
            continue
        result.failures.append(
            GateFailure(
                reason=f"{name} {version} is {verdict.value}{when}: {reason}",
                rule=code,
                distribution=name,
                fingerprint=finding.fingerprint if finding else None,
            )
        )


def _finding_failures(
    findings: list[Finding],
    policy: Policy,
    accepted: Callable[[Finding], bool],
    exempted: set[str],
    result: GateResult,
) -> None:
    """Every other finding that fails: the interpreter's, and those at the failing severity."""
    for finding in findings:
        if finding.rule in VERDICT_RULES.values() or finding.suppressed or not policy.selects(finding.rule):
            continue
        if finding.rule in INTERPRETER_RULES:
            failing = policy.require_free_threaded
        else:
            failing = policy.severity_fails(finding.severity)
        if not failing:
            continue
        if policy.is_exempt(finding.distribution):
            exempted.add(finding.distribution or "")
            continue
        if accepted(finding):
            continue
        where = f" ({finding.distribution})" if finding.distribution else ""
        result.failures.append(
            GateFailure(
                reason=f"{finding.rule}{where}: {finding.message}",
                rule=finding.rule,
                distribution=finding.distribution,
                fingerprint=finding.fingerprint,
            )
        )


def _load_baseline(path: Path, result: GateResult) -> BaselineLike | None:
    try:
        return load_baseline(path)
    except BaselineError as error:
        # Without the baseline every accepted finding would fail; say why, fail safe.
        result.partial = True
        result.notes.append(f"baseline not applied: {error}")
        return None

"""The environment findings the gate derives from a report and from the interpreter guard.

FTE003 (a distribution falls back to the GIL), FTE004 (no binary the target can load),
FTE005 (an extension failed to import in the probe) and the static / runtime
disagreement come from the scan's distributions; FTE003 / FTE004 also from the packages
of a dependency tree that are not installed (judged before install); FTE001 / FTE002
from what the target interpreter said about itself.
"""

from __future__ import annotations

from ..collectors.environment.names import normalize_name
from ..model import AuditReport, Finding, PackageWheelStatus, Severity, Verdict
from ..model.interpreter import InterpreterFacts
from ..rules.environment.distribution_gil_fallback import DistributionGilFallback
from ..rules.environment.distribution_needs_build import DistributionNeedsBuild
from ..rules.environment.extension_import_failure import ExtensionImportFailure
from ..rules.environment.gil_enabled_after_import import GilEnabledAfterImport
from ..rules.environment.interpreter_not_free_threaded import InterpreterNotFreeThreaded
from ..rules.environment.static_runtime_disagreement import StaticRuntimeDisagreement
from .policy import Policy, default_policy

# The verdicts that have a rule code of their own; "unknown" has none.
VERDICT_RULES = {Verdict.GIL_FALLBACK: "FTE003", Verdict.NEEDS_BUILD: "FTE004"}
INTERPRETER_RULES = ("FTE001", "FTE002")


def environment_findings(report: AuditReport, policy: Policy | None = None) -> list[Finding]:
    """FTE003/FTE004/FTE005 for every distribution of the scan, and FTE003/FTE004 for the
    dependency-tree packages that are not installed (before install); the severity is
    error when the policy fails on the verdict and warning otherwise."""
    policy = policy or default_policy()
    findings: list[Finding] = []
    for distribution in report.scan.distributions if report.scan else []:
        for finding in (
            *DistributionGilFallback.check(distribution),
            *DistributionNeedsBuild.check(distribution),
            *ExtensionImportFailure.check(distribution),
            *StaticRuntimeDisagreement.check(distribution),
        ):
            if finding.rule in VERDICT_RULES.values():
                finding.severity = (
                    Severity.ERROR if distribution.verdict in policy.fail_on_verdicts else Severity.WARNING
                )
            findings.append(finding)
    for package, verdict in tree_verdicts(report):
        for finding in (
            *DistributionGilFallback.check_package(package, report.target),
            *DistributionNeedsBuild.check_package(package, report.target),
        ):
            finding.severity = Severity.ERROR if verdict in policy.fail_on_verdicts else Severity.WARNING
            findings.append(finding)
    return findings


def tree_verdicts(report: AuditReport) -> list[tuple[PackageWheelStatus, Verdict]]:
    """Packages of the dependency tree that are not installed in the scanned environment
    (the scan knows better for those), with the verdict they would have once installed."""
    installed = {normalize_name(d.name) for d in (report.scan.distributions if report.scan else [])}
    judged = []
    for package in report.tree.packages if report.tree else []:
        if normalize_name(package.name) in installed:
            continue
        if package.gil_fallback:
            judged.append((package, Verdict.GIL_FALLBACK))
        elif package.status in {verdict.value for verdict in Verdict}:
            judged.append((package, Verdict(package.status)))
    return judged


def interpreter_findings(facts: InterpreterFacts) -> list[Finding]:
    """FTE001 (not a free-threaded build) and FTE002 (the GIL is on after the imports)."""
    return [*InterpreterNotFreeThreaded.check(facts), *GilEnabledAfterImport.check(facts)]

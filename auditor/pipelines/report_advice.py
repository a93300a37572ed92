"""Concrete advice from a report, most urgent first: races in the samples, then what
blocks the environment and the dependency tree, then the findings still open.

Every step names the package and version, the wheel tag, and the command or pin that
moves it forward; no step advises a rebuild for a release a package has never shipped
for when it ships for another free-threaded target, or an "upgrade" that is a downgrade.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from packaging.version import InvalidVersion, Version

from ..collectors.environment.names import normalize_name
from ..model import AuditReport, Distribution, HammerVerdict, PackageWheelStatus, RuntimeGil, Verdict

# The environment findings (FTE003-FTE005) repeat what the distribution steps say.
_COVERED_ABOVE = {"FTE003", "FTE004", "FTE005"}


@dataclass
class _Advice:
    """What every step needs to know about the report, worked out once."""

    report: AuditReport
    target: str = ""
    wheel_tag: str = ""
    tree_packages: dict[str, PackageWheelStatus] = field(default_factory=dict)
    ready_elsewhere: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, report: AuditReport) -> _Advice:
        target = report.target or "3.13t"
        return cls(
            report=report,
            target=target,
            wheel_tag="cp" + target.replace(".", ""),
            tree_packages={normalize_name(p.name): p for p in (report.tree.packages if report.tree else [])},
            ready_elsewhere=_ready_on_other_targets(report),
        )

    def needs_build_step(self, name: str, version: str, package: PackageWheelStatus | None) -> str:
        later = self.ready_elsewhere.get(normalize_name(name), [])
        if later and not (package and package.first_ready_version):
            # Never advise a rebuild for a release the package has not shipped for (cffi
            # refuses 3.13t outright) when it ships for another free-threaded target.
            return (
                f"{name} {version} ships no {self.wheel_tag} wheel but does for {', '.join(later)}: target "
                f"{later[-1]} rather than rebuilding it for {self.target}."
            )
        return _needs_build_step(name, version, package, self.wheel_tag)


def next_steps(report: AuditReport) -> list[str]:
    """Concrete advice, most urgent first: races, then blockers, then findings."""
    advice = _Advice.of(report)
    steps = _sample_steps(report)
    installed: set[str] = set()
    for distribution in report.scan.distributions if report.scan else []:
        installed.add(normalize_name(distribution.name))
        steps.extend(_distribution_steps(distribution, advice))
    decided = bool(report.project and report.project.decisions)
    if decided:
        # A project audit judged every target: its per-target advice replaces the
        # single-target package steps (which would advise for report.target only).
        steps.extend(_decision_steps(report))
    else:
        steps.extend(_tree_steps(advice, installed))
    if (
        report.scan
        and not was_probed(report)
        and any(d.verdict is Verdict.GIL_FALLBACK for d in report.scan.distributions)
    ):
        steps.append(
            "Run `ftaudit probe` to confirm the GIL fallbacks by importing each module in a "
            "free-threaded subprocess."
        )
    steps.extend(_open_error_steps(report))
    return steps


def _sample_steps(report: AuditReport) -> list[str]:
    steps: list[str] = []
    for sample in report.hammer or []:
        twin = f" Its safe twin {sample.safe_twin} shows a fix." if sample.safe_twin else ""
        if sample.classification == "race-without-gil":
            steps.append(
                f"Fix sample {sample.name} (race only without the GIL): it is safe today only "
                f"because the GIL serialises it; add a lock or per-object critical section.{twin}"
            )
        elif sample.classification == "race":
            steps.append(
                f"Fix sample {sample.name} (racy even with the GIL): the bug is not new to "
                f"free-threading, but will show up more often without the GIL.{twin}"
            )
        elif sample.verdict in (HammerVerdict.ERROR, HammerVerdict.BUILD_ERROR):
            steps.append(
                f"Make sample {sample.name} run ({sample.verdict.value}): until it does, the "
                f"harness says nothing about it."
            )
    return steps


def _distribution_steps(distribution: Distribution, advice: _Advice) -> list[str]:
    steps: list[str] = []
    package = advice.tree_packages.get(normalize_name(distribution.name))
    name, version, wheel_tag = distribution.name, distribution.version, advice.wheel_tag
    if distribution.verdict is Verdict.NEEDS_BUILD:
        if package and package.status == "ready" and package.version == version:
            # The index has a wheel for the target, yet the installed copy cannot load:
            # it was installed for another interpreter (or built for the GIL ABI).
            steps.append(
                f"Reinstall {name} {version} with the {advice.target} interpreter's "
                f"own pip: the index has {wheel_tag} wheels for it, but the installed copy was built "
                f"for another ABI."
            )
        else:
            steps.append(advice.needs_build_step(name, version, package))
    elif distribution.verdict is Verdict.GIL_FALLBACK:
        modules = [e.module for e in distribution.extensions if e.gil.value != "not-used"]
        listed = ", ".join(modules[:3]) + (f" and {len(modules) - 3} more" if len(modules) > 3 else "")
        step = (
            f"Ask upstream of {name} {version} to declare Py_mod_gil "
            f"(Py_MOD_GIL_NOT_USED) in {listed or 'its extension modules'} once they are "
            f"thread-safe; importing it re-enables the GIL for the whole process."
        )
        if package and _is_newer(package.first_ready_version, version):
            step += f" {package.first_ready_version} ships {wheel_tag} wheels: try upgrading to it."
        steps.append(step)
    elif distribution.verdict is Verdict.UNKNOWN:
        steps.append(
            f"Check {name} {version} by hand or with "
            f"`ftaudit probe`: the static scan could not decide ({distribution.reason or 'no reason'})."
        )
    return steps + _probe_steps(distribution, advice.target)


def _probe_steps(distribution: Distribution, target: str) -> list[str]:
    steps: list[str] = []
    for extension in distribution.extensions:
        if extension.agrees_with_runtime is False:
            seen = extension.runtime_gil.value if extension.runtime_gil else "?"
            steps.append(
                f"{extension.module}: the static reading and the probe disagree "
                f"({extension.gil.value} vs {seen});"
                f" trust the probe and report it to ftaudit."
            )
        elif extension.runtime_gil in (RuntimeGil.IMPORT_ERROR, RuntimeGil.CRASH, RuntimeGil.TIMEOUT):
            steps.append(
                f"{extension.module} ({distribution.name}) does not import on {target} "
                f"({extension.runtime_gil.value}); see the probe detail."
            )
    return steps


def _tree_steps(advice: _Advice, installed: set[str]) -> list[str]:
    """The tree's packages that are not installed (those were advised on above)."""
    steps: list[str] = []
    for key, package in advice.tree_packages.items():
        if key in installed:
            continue
        if package.status == "needs-build":
            steps.append(advice.needs_build_step(package.name, package.version or "?", package))
        elif package.gil_fallback:
            modules = ", ".join(package.gil_fallback_modules) or "its extension modules"
            steps.append(
                f"{package.name} {package.version or ''}: its {advice.wheel_tag} wheel installs, but "
                f"{modules} re-enable the GIL on import; ask upstream to declare Py_mod_gil."
            )
    return steps


def _open_error_steps(report: AuditReport) -> list[str]:
    hammer_findings = {id(f) for sample in report.hammer or [] for f in sample.findings}
    open_errors = [
        f
        for f in report.all_findings()
        if id(f) not in hammer_findings  # the sample steps above cover races
        if f.severity.value == "error" and not f.suppressed and f.rule not in _COVERED_ABOVE
    ]
    if not open_errors:
        return []
    by_rule: dict[str, int] = {}
    for finding in open_errors:
        by_rule[finding.rule] = by_rule.get(finding.rule, 0) + 1
    listed = ", ".join(f"{rule} x{count}" for rule, count in sorted(by_rule.items()))
    return [
        f"Fix or baseline {len(open_errors)} error finding(s): {listed} (`ftaudit rules CODE` explains each)."
    ]


def _is_newer(candidate: str | None, current: str | None) -> bool:
    """True when ``candidate`` is a later release than ``current``.

    Some projects dropped their free-threaded wheels again (regex, pandas 3 at one
    point), so the first release with a target wheel can be older than the installed
    one: advising an "upgrade" to it would be advising a downgrade.
    """
    if not candidate or not current:
        return bool(candidate) and not current
    try:
        return Version(candidate) > Version(current)
    except InvalidVersion:
        return False


def _decision_steps(report: AuditReport) -> list[str]:
    """Which target to move to, then what each blocker needs there, from the decisions."""
    project = report.project
    decisions = {decision.target: decision for decision in project.decisions}
    recommended = decisions.get(project.recommended_target or "")
    if recommended is None:
        return []
    steps: list[str] = []
    dependency_blockers = [b for b in recommended.blockers if b.kind != "own-code"]
    others = ", ".join(
        f"{d.target}: {sum(1 for b in d.blockers if b.kind != 'own-code')}"
        for d in project.decisions
        if d.target != recommended.target
    )
    if not dependency_blockers:
        steps.append(
            f"Move to {recommended.target}: every dependency ships wheels for it that keep the GIL off"
            + (f" (blocking dependencies elsewhere - {others})" if others else "")
            + "."
        )
    else:
        steps.append(
            f"Aim for {recommended.target}: it has the fewest blocking dependencies "
            f"({len(dependency_blockers)}; {others})."
        )
        steps.extend(f"For {recommended.target}: {blocker.advice}." for blocker in dependency_blockers)
    for decision in project.decisions:
        if decision is recommended:
            continue
        blockers = [b for b in decision.blockers if b.kind != "own-code"]
        if blockers:
            steps.append(
                f"Should you need {decision.target} instead: " + "; ".join(b.advice for b in blockers) + "."
            )
    return steps


def _ready_on_other_targets(report: AuditReport) -> dict[str, list[str]]:
    """Package -> the other targets (of `tree --target A,B`) for which the same pin is ready."""
    ready: dict[str, list[str]] = {}
    for tree in report.tree_targets or []:
        if tree.target == report.target:
            continue
        for package in tree.packages:
            if package.status == "ready":
                ready.setdefault(normalize_name(package.name), []).append(tree.target)
    return ready


def _needs_build_step(name: str, version: str, package: PackageWheelStatus | None, wheel_tag: str) -> str:
    if (
        package
        and package.first_ready_version
        and not _is_newer(package.first_ready_version, version)
        and package.first_ready_version != version
    ):
        return (
            f"{name} {version} ships no {wheel_tag} wheel, though {package.first_ready_version} did: "
            f"pin {name}=={package.first_ready_version} or build {version} from source."
        )
    if package and _is_newer(package.first_ready_version, version):
        step = (
            f"Upgrade {name} from {version} to {package.first_ready_version}, the first release with "
            f"{wheel_tag} wheels."
        )
        if package.held_back_by:
            step += f" Other requirements rule it out first: {'; '.join(package.held_back_by)}."
        return step
    if package and package.latest_version and package.ready is False:
        return (
            f"{name}: no release up to {package.latest_version} ships {wheel_tag} wheels; rebuild from "
            f"source for {wheel_tag} (pip install --no-binary {name} {name}) and ask upstream for wheels."
        )
    return (
        f"Rebuild {name} {version} from source for {wheel_tag} (pip install --no-binary {name} {name}), "
        f"or run `ftaudit tree` to find a release that ships {wheel_tag} wheels."
    )


def was_probed(report: AuditReport) -> bool:
    if not report.scan:
        return False
    return bool(report.scan.probed_with) or any(
        e.runtime_gil is not None for d in report.scan.distributions for e in d.extensions
    )

"""What changed between two audits, so CI can fail on a regression only.

Distributions are matched by PEP 503 normalised name, findings by
:attr:`~auditor.model.Finding.fingerprint` (which ignores line numbers, so moving code
does not count as a change), samples by name.

A *regression* is something that makes the environment less ready than before:

* a distribution whose verdict got worse (ready/pure -> gil-fallback, needs-build or
  unknown; gil-fallback -> needs-build), or a new distribution that is not ready;
* a new, unsuppressed finding of severity warning or error;
* a sample whose free-threaded run now races and did not before;
* a dependency-tree package whose wheel status got worse (a pin moved to a release
  without wheels for the target).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..collectors.environment.names import normalize_name
from ..model import AuditReport, Finding, HammerVerdict, Severity, Verdict

# Higher is more usable; a drop is a regression. Unknown sits below the blockers: it is
# not known to work, and a verdict that becomes undecidable deserves a look.
_READINESS = {
    Verdict.READY: 4,
    Verdict.PURE: 4,
    Verdict.GIL_FALLBACK: 2,
    Verdict.NEEDS_BUILD: 1,
    Verdict.UNKNOWN: 0,
}


@dataclass
class DistributionChange:
    name: str
    old_version: str | None
    new_version: str | None
    old_verdict: Verdict | None
    new_verdict: Verdict | None
    reason: str = ""

    def describe(self) -> str:
        old = f"{self.old_version} {self.old_verdict.value}" if self.old_verdict else "absent"
        new = f"{self.new_version} {self.new_verdict.value}" if self.new_verdict else "removed"
        return f"{self.name}: {old} -> {new}" + (f" ({self.reason})" if self.reason else "")


@dataclass
class SampleChange:
    name: str
    old_verdict: HammerVerdict | None
    new_verdict: HammerVerdict | None

    def describe(self) -> str:
        old = self.old_verdict.value if self.old_verdict else "absent"
        new = self.new_verdict.value if self.new_verdict else "removed"
        return f"sample {self.name}: {old} -> {new}"


@dataclass
class ReportDiff:
    new_gil_fallbacks: list[DistributionChange] = field(default_factory=list)
    new_blockers: list[DistributionChange] = field(default_factory=list)  # needs-build / unknown now
    became_ready: list[DistributionChange] = field(default_factory=list)
    other_verdict_changes: list[DistributionChange] = field(default_factory=list)
    version_changes: list[DistributionChange] = field(default_factory=list)
    added_distributions: list[DistributionChange] = field(default_factory=list)
    removed_distributions: list[DistributionChange] = field(default_factory=list)
    new_findings: list[Finding] = field(default_factory=list)
    removed_findings: list[Finding] = field(default_factory=list)
    new_races: list[SampleChange] = field(default_factory=list)
    fixed_races: list[SampleChange] = field(default_factory=list)
    # The dependency tree (before install): packages whose wheel status changed.
    tree_regressions: list[DistributionChange] = field(default_factory=list)
    tree_improvements: list[DistributionChange] = field(default_factory=list)

    @property
    def regressions(self) -> list[str]:
        """Every change that makes the environment less ready, as sentences."""
        items = [f"new GIL fallback: {change.describe()}" for change in self.new_gil_fallbacks]
        items += [f"now blocked: {change.describe()}" for change in self.new_blockers]
        items += [
            f"new finding {finding.rule}: {finding.message}"
            for finding in self.new_findings
            if not finding.suppressed and finding.severity.rank >= Severity.WARNING.rank
        ]
        items += [f"new race: {change.describe()}" for change in self.new_races]
        items += [f"dependency tree: {change.describe()}" for change in self.tree_regressions]
        return items

    @property
    def has_regression(self) -> bool:
        return bool(self.regressions)

    @property
    def improvements(self) -> list[str]:
        items = [f"now ready: {change.describe()}" for change in self.became_ready]
        items += [f"fixed: {finding.rule} {finding.message}" for finding in self.removed_findings]
        items += [f"race gone: {change.describe()}" for change in self.fixed_races]
        items += [f"dependency tree: {change.describe()}" for change in self.tree_improvements]
        return items

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.new_gil_fallbacks,
                self.new_blockers,
                self.became_ready,
                self.other_verdict_changes,
                self.version_changes,
                self.added_distributions,
                self.removed_distributions,
                self.new_findings,
                self.removed_findings,
                self.new_races,
                self.fixed_races,
                self.tree_regressions,
                self.tree_improvements,
            )
        )


def diff_reports(old: AuditReport, new: AuditReport) -> ReportDiff:
    diff = ReportDiff()
    old_distributions = {normalize_name(d.name): d for d in (old.scan.distributions if old.scan else [])}
    new_distributions = {normalize_name(d.name): d for d in (new.scan.distributions if new.scan else [])}

    for key, after in new_distributions.items():
        before = old_distributions.get(key)
        change = DistributionChange(
            after.name,
            before.version if before else None,
            after.version,
            before.verdict if before else None,
            after.verdict,
            after.reason,
        )
        if before is None:
            diff.added_distributions.append(change)
            _classify_new_verdict(diff, change, previous_rank=None)
            continue
        if before.version != after.version:
            diff.version_changes.append(change)
        if before.verdict is not after.verdict:
            _classify_new_verdict(diff, change, previous_rank=_READINESS[before.verdict])
    for key, before in old_distributions.items():
        if key not in new_distributions:
            diff.removed_distributions.append(
                DistributionChange(before.name, before.version, None, before.verdict, None)
            )

    old_fingerprints = {finding.fingerprint for finding in old.all_findings()}
    new_fingerprints = {finding.fingerprint for finding in new.all_findings()}
    diff.new_findings = [f for f in new.all_findings() if f.fingerprint not in old_fingerprints]
    diff.removed_findings = [f for f in old.all_findings() if f.fingerprint not in new_fingerprints]

    old_samples = {sample.name: sample for sample in old.hammer or []}
    for sample in new.hammer or []:
        before = old_samples.get(sample.name)
        previous = before.verdict if before else None
        if sample.verdict is HammerVerdict.RACE and previous is not HammerVerdict.RACE:
            diff.new_races.append(SampleChange(sample.name, previous, sample.verdict))
        elif previous is HammerVerdict.RACE and sample.verdict is HammerVerdict.NO_RACE_OBSERVED:
            diff.fixed_races.append(SampleChange(sample.name, previous, sample.verdict))
    _diff_trees(diff, old, new)
    return diff


def _diff_trees(diff: ReportDiff, old: AuditReport, new: AuditReport) -> None:
    """Wheel status before install; the statuses share the Verdict values (model/tree.py)."""
    if not old.tree or not new.tree:
        return
    before = {normalize_name(p.name): p for p in old.tree.packages}
    for package in new.tree.packages:
        previous = before.get(normalize_name(package.name))
        if previous is None or previous.status == package.status:
            continue
        try:
            old_status, new_status = Verdict(previous.status), Verdict(package.status)
        except ValueError:
            continue
        change = DistributionChange(
            package.name, previous.version, package.version, old_status, new_status, package.reason
        )
        if _READINESS[new_status] < _READINESS[old_status]:
            diff.tree_regressions.append(change)
        elif _READINESS[new_status] > _READINESS[old_status]:
            diff.tree_improvements.append(change)


def _classify_new_verdict(diff: ReportDiff, change: DistributionChange, previous_rank: int | None) -> None:
    verdict = change.new_verdict
    assert verdict is not None
    rank = _READINESS[verdict]
    if previous_rank is None:
        # A new dependency counts against the environment only if it is not ready.
        if verdict is Verdict.GIL_FALLBACK:
            diff.new_gil_fallbacks.append(change)
        elif verdict in (Verdict.NEEDS_BUILD, Verdict.UNKNOWN):
            diff.new_blockers.append(change)
        return
    if rank > previous_rank:
        if verdict in (Verdict.READY, Verdict.PURE):
            diff.became_ready.append(change)
        else:
            diff.other_verdict_changes.append(change)
    elif rank < previous_rank:
        if verdict is Verdict.GIL_FALLBACK:
            diff.new_gil_fallbacks.append(change)
        else:
            diff.new_blockers.append(change)
    else:
        diff.other_verdict_changes.append(change)  # ready <-> pure

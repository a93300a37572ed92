"""The whole audit: every section optional, so scan, probe, hammer, source and tree
results can be produced separately (as JSON) and merged into one report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from .. import __version__
from .environment import ScanResult
from .finding import Finding
from .harness import HammerVerdict, SampleResult
from .project import ProjectAudit
from .source import SourceScanResult
from .tree import TreeResult

# Bump the major part when a field changes meaning or disappears; the minor part when
# fields are added. Readers accept any 1.x document.
SCHEMA_VERSION = "1.1"


def utc_timestamp(moment: float | None = None) -> str:
    """``moment`` (seconds since the epoch; now when None) as docs/json-schema.md writes
    ``created``: ISO 8601 in UTC to the second, ``2026-11-25T13:00:00+00:00``."""
    when = datetime.now(UTC) if moment is None else datetime.fromtimestamp(moment, UTC)
    return when.isoformat(timespec="seconds")


@dataclass
class AuditReport:
    schema_version: str = SCHEMA_VERSION
    tool: str = "ftaudit"
    tool_version: str = ""
    created: str = ""  # ISO 8601, UTC
    target: str = "3.13t"
    scan: ScanResult | None = None
    source: SourceScanResult | None = None
    hammer: list[SampleResult] | None = None
    tree: TreeResult | None = None
    # `tree --target 3.13t,3.14t,3.15t`: the same file judged for every target asked, in
    # the order asked (the first is also `tree`), so a team sees which one its pins reach.
    tree_targets: list[TreeResult] | None = None
    # Findings not owned by a section (interpreter guard, merged extras).
    findings: list[Finding] = field(default_factory=list)
    # `ftaudit audit` on a project: its parts and the decision per target (schema 1.1).
    project: ProjectAudit | None = None

    @classmethod
    def create(cls, *, target: str | None = None, started: float | None = None, **sections) -> AuditReport:
        """A new report from this ftaudit, stamped with its version and the time it was
        made (``started``, seconds since the epoch, when the work began earlier than now).
        ``sections`` are the dataclass's other fields: ``scan=``, ``hammer=``, ``tree=``...
        Every command builds its report here, so every document carries one time format."""
        return cls(
            tool_version=__version__,
            created=utc_timestamp(started),
            target=target or cls.target,
            **sections,
        )

    def all_findings(self) -> list[Finding]:
        """Every finding of every section, in a stable order."""
        collected: list[Finding] = list(self.findings)
        if self.scan:
            for distribution in self.scan.distributions:
                collected.extend(distribution.findings)
        if self.source:
            collected.extend(self.source.findings)
        for sample in self.hammer or []:
            collected.extend(sample.findings)
        return collected

    def incomplete_reasons(self) -> list[str]:
        """Every reason the report is incomplete, as sentences; empty when it is whole."""
        warnings: list[str] = []
        if self.scan:
            if self.scan.partial:
                warnings.append("The environment scan is partial: some items could not be read.")
            warnings.extend(f"scan: {message}" for message in self.scan.errors)
            for distribution in self.scan.distributions:
                warnings.extend(f"{distribution.name}: {message}" for message in distribution.errors)
                for extension in distribution.extensions:
                    warnings.extend(f"{extension.module}: {message}" for message in extension.errors)
        if self.source:
            if self.source.partial:
                warnings.append("The source check is partial: some files could not be checked.")
            warnings.extend(f"{problem.path}: {problem.message}" for problem in self.source.problems)
        if self.tree:
            if self.tree.partial:
                warnings.append("The dependency-tree check is partial: some packages could not be judged.")
            warnings.extend(f"tree: {message}" for message in self.tree.errors)
            for package in self.tree.packages:
                warnings.extend(f"{package.name}: {message}" for message in package.errors)
        for sample in self.hammer or []:
            warnings.extend(f"sample {sample.name}: {message}" for message in sample.errors)
            if sample.verdict in (HammerVerdict.ERROR, HammerVerdict.BUILD_ERROR):
                warnings.append(
                    f"sample {sample.name}: the harness could not run it ({sample.verdict.value})"
                )
        return warnings

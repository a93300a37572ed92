"""The whole audit: every section optional, so scan, probe, hammer, source and tree
results can be produced separately (as JSON) and merged into one report."""

from __future__ import annotations

from dataclasses import dataclass, field

from .environment import ScanResult
from .finding import Finding
from .harness import SampleResult
from .project import ProjectAudit
from .source import SourceScanResult
from .tree import TreeResult

# Bump the major part when a field changes meaning or disappears; the minor part when
# fields are added. Readers accept any 1.x document.
SCHEMA_VERSION = "1.1"


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

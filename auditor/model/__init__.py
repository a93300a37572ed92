"""The result model: plain dataclasses that every part produces and every reporter reads.

JSON is their faithful dump (:mod:`auditor.model.serialize`), versioned by
:data:`SCHEMA_VERSION`.
"""

from __future__ import annotations

from .environment import (
    Distribution,
    ExtensionModule,
    GilDeclaration,
    GilDeclaredBy,
    RiskySymbol,
    RuntimeGil,
    ScanResult,
    Verdict,
)
from .finding import Finding, Location, Severity
from .harness import (
    FailureKind,
    HammerVerdict,
    InterpreterRun,
    SampleResult,
    Throughput,
    TrialFailure,
)
from .interpreter import InterpreterInfo
from .project import AuditPart, Blocker, ProjectAudit, TargetDecision
from .report import SCHEMA_VERSION, AuditReport
from .source import FileProblem, SourceScanResult
from .tree import PackageWheelStatus, TreeResult

__all__ = [
    "SCHEMA_VERSION",
    "AuditPart",
    "AuditReport",
    "Blocker",
    "Distribution",
    "ExtensionModule",
    "FailureKind",
    "FileProblem",
    "Finding",
    "GilDeclaration",
    "GilDeclaredBy",
    "HammerVerdict",
    "InterpreterInfo",
    "InterpreterRun",
    "Location",
    "PackageWheelStatus",
    "ProjectAudit",
    "RiskySymbol",
    "RuntimeGil",
    "SampleResult",
    "ScanResult",
    "Severity",
    "SourceScanResult",
    "TargetDecision",
    "Throughput",
    "TreeResult",
    "TrialFailure",
    "Verdict",
]

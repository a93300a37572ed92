"""The project audit (``ftaudit audit`` on a project folder): what was audited, how each
part went, and the decision per target that the report leads with."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class AuditPart:
    name: str  # "dependencies" | "environment" | "sources" | "samples"
    status: str  # "done" | "skipped" (does not apply; `detail` says why) | "failed" (makes it partial)
    detail: str = ""  # what was read, or why it was skipped or failed


@dataclass
class Blocker:
    """One thing that keeps a team off a target, with the advice right for it."""

    kind: str  # "dependency" | "gil-fallback" | "unknown" | "own-code"
    name: str  # the package or sample
    version: str | None
    advice: str


@dataclass
class TargetDecision:
    target: str  # "3.13t"
    ready: bool  # nothing blocks: the dependencies ship GIL-free wheels and no own race was seen
    headline: str  # "3.15t: ready to move" / "3.13t: blocked by 3 dependencies and 1 race in our code"
    blockers: list[Blocker] = field(default_factory=list)
    static_only: str = ""  # non-empty when judged from binaries only (no interpreter of that release)


@dataclass
class ProjectAudit:
    path: str  # the project folder
    name: str  # [project] name, else the folder's name
    parts: list[AuditPart] = field(default_factory=list)
    dependency_file: str | None = None  # the file the tree judged
    other_dependency_files: list[str] = field(default_factory=list)  # found but not judged (and why)
    index: str = ""  # the indexes asked, redacted, and where that setting came from
    targets: list[str] = field(default_factory=list)
    decisions: list[TargetDecision] = field(default_factory=list)
    recommended_target: str | None = None  # the target with the fewest blockers (newest on a tie)

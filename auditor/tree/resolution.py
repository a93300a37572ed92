"""What a resolution produces: the projects chosen, who asked for each, and what went wrong.

Shared by the resolver's walk (:mod:`.resolver`) and the backtracking resolver
(:mod:`.backtracking`), so that neither has to import the other for its result types.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from packaging.requirements import Requirement
from packaging.utils import NormalizedName
from packaging.version import Version

from .index.project_page import ProjectPage

# Concurrent requests to the index: the walk is bound by round trips, not by CPU.
PARALLEL_REQUESTS = 8
ROOT = "<root>"


@dataclass
class ResolvedProject:
    name: str  # as first written
    version: Version | None
    pinned: bool
    required_by: set[str] = field(default_factory=set)
    origins: list[str] = field(default_factory=list)
    extras: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    page: ProjectPage | None = None
    # (who asked, what they asked for): the file itself is "<root>".
    demanded_by: list[tuple[str, Requirement]] = field(default_factory=list)


@dataclass
class Resolution:
    projects: dict[NormalizedName, ResolvedProject]
    errors: list[str] = field(default_factory=list)
    partial: bool = False
    rounds: int = 0

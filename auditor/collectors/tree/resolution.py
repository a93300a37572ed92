"""What a resolution produces: the projects chosen, who asked for each, and what went wrong.

Shared by the resolver's walk (:mod:`.resolver`) and the backtracking resolver
(:mod:`.backtracking`), so that neither has to import the other for its result types.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

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


class IndexView(Protocol):
    """What the backtracking resolver asks of the walk's resolver: the same index pages,
    version order and dependency reading, so both resolve against one cached view."""

    def project_page(self, name: NormalizedName) -> ProjectPage | str: ...

    def ranked_versions(
        self, page: ProjectPage, requirements: list[Requirement]
    ) -> tuple[list[Version], str]: ...

    def dependencies(self, page: ProjectPage, version: Version) -> list[Requirement] | str: ...

    def applies(self, requirement: Requirement, parent_extras: Iterable[str]) -> bool: ...

    def prefetch_dependencies(self, releases: list[tuple[ProjectPage, Version]]) -> None: ...

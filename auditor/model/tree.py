"""Results of checking a dependency tree against a package index, before install."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PackageWheelStatus:
    name: str
    version: str | None  # the version judged (pinned, locked, or the newest that resolves)
    pinned: bool
    ready: bool | None  # a wheel for the target exists for `version` (None: could not tell)
    status: str  # "ready" | "needs-build" | "pure" | "unknown"
    matching_files: list[str] = field(default_factory=list)
    first_ready_version: str | None = None  # first release that ships a target wheel
    latest_version: str | None = None
    required_by: list[str] = field(default_factory=list)
    reason: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class TreeResult:
    source: str  # the requirements / pyproject / lock file read
    target: str
    index_url: str
    packages: list[PackageWheelStatus] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    partial: bool = False
    offline: bool = False

"""Results of checking a dependency tree against a package index, before install."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class WheelPlatformInspection:
    """With --inspect-wheels and --platform: one platform's wheel, read for that platform."""

    platform: str  # the platform tag as asked ("macosx_11_0_arm64", "win_amd64")
    wheel: str | None = None  # the wheel read; None when the release has none for it
    gil_fallback: bool | None = None
    gil_fallback_modules: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class PackageWheelStatus:
    name: str
    version: str | None  # the version judged (pinned, locked, or the newest that resolves)
    pinned: bool
    ready: bool | None  # a wheel for the target exists for `version` (None: could not tell)
    status: str  # "ready" | "needs-build" | "pure" | "unknown"
    matching_files: list[str] = field(default_factory=list)
    first_ready_version: str | None = None  # first release that ships a target wheel
    # When the judged release has no target wheel but an older one had (the project
    # stopped shipping them): the newest such older release. Pinning it is a downgrade.
    last_ready_before: str | None = None
    latest_version: str | None = None
    required_by: list[str] = field(default_factory=list)
    reason: str = ""
    errors: list[str] = field(default_factory=list)
    origin: str = ""  # where the file asked for it ("requirements.txt:3"); "" for transitive ones
    judged_from: str = "index"  # "index", or "lock-file" when the index could not be asked
    yanked: bool = False  # the judged release is yanked (PEP 592); only when pinned
    # Requirements that rule out first_ready_version ("chainb requires chainc<2"), so an
    # upgrade is not a one-line change; empty when nothing holds it back.
    held_back_by: list[str] = field(default_factory=list)
    # With --inspect-wheels: the target wheel read without installing it (the first one,
    # with several --platform: platform_inspections has one entry per platform).
    inspected_wheel: str | None = None
    # True: importing one of its extensions re-enables the GIL (no Py_mod_gil =
    # Py_MOD_GIL_NOT_USED); False: every extension declares it; None: not inspected/unknown.
    gil_fallback: bool | None = None
    gil_fallback_modules: list[str] = field(default_factory=list)
    platform_inspections: list[WheelPlatformInspection] = field(default_factory=list)


@dataclass
class TreeResult:
    source: str  # the requirements / pyproject / lock file read
    target: str
    index_url: str
    packages: list[PackageWheelStatus] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    partial: bool = False
    offline: bool = False
    source_kind: str = ""  # "requirements" | "pyproject" | "pylock" | "uv-lock"
    platforms: list[str] = field(default_factory=list)  # as asked (--platform), or the default
    notes: list[str] = field(default_factory=list)  # entries read but deliberately not judged
    duration_seconds: float = 0.0

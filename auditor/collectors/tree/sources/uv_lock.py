"""``uv.lock``: uv's universal lock file (TOML; not a standard, read defensively).

A universal lock holds the packages for every platform and Python, so reading all of
it would judge, say, ``pywin32`` on Linux. Instead the tree is walked from the
workspace's own packages (``source = { editable / virtual }``) along ``dependencies``
edges whose ``marker`` holds in the target environment; a package locked in several
versions (a fork) is chosen by its ``resolution-markers``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.utils import canonicalize_name

from .interface import DependencySource, LockedPackage, TreeInputError, line_of
from .pyproject import load_toml

_LOCAL_SOURCES = ("editable", "virtual", "directory", "path", "git", "url")


def _marker_holds(text: str | None, environment: dict[str, str], extra: str = "") -> bool:
    if not text:
        return True
    try:
        return Marker(text).evaluate({**environment, "extra": extra})
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return True  # judged rather than silently dropped


def _file_name(entry: object) -> str | None:
    if not isinstance(entry, dict):
        return None
    location = entry.get("url") or entry.get("path") or entry.get("filename")
    if not location:
        return None
    return str(location).rstrip("/").rsplit("/", 1)[-1].split("#", 1)[0]


def read_uv_lock(
    path: Path, marker_environment: dict[str, str], extras: Iterable[str] = ()
) -> DependencySource:
    path = Path(path)
    document, text = load_toml(path)
    packages = document.get("package")
    if "version" not in document or not isinstance(packages, list):
        raise TreeInputError(
            f"{path}: not a uv lock file (needs a top-level 'version' and [[package]] entries)"
        )
    source = DependencySource(path=path, kind="uv-lock", locked=[])
    walk = _LockWalk(path, text, marker_environment, source)
    for entry in packages:
        if not isinstance(entry, dict) or "name" not in entry:
            source.problems.append(f"{path}: a [[package]] entry without a name")
            continue
        walk.by_name.setdefault(canonicalize_name(str(entry["name"])), []).append(entry)
    source.locked = walk.locked_packages({canonicalize_name(extra) for extra in extras})
    registries = {package.index_url for package in source.locked if package.index_url}
    if len(registries) == 1:
        source.index_url = registries.pop()
    return source


@dataclass
class _LockWalk:
    """The walk from the workspace's own packages along the edges that hold on the target."""

    path: Path
    text: str
    marker_environment: dict[str, str]
    source: DependencySource
    by_name: dict[str, list[dict]] = field(default_factory=dict)
    # (name, version) -> the names of the packages that require it.
    required_by: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def pick(self, name: str, version: str | None = None) -> dict | None:
        """The locked entry for ``name`` (at ``version`` when given): of a fork's versions,
        the one whose ``resolution-markers`` hold on the target."""
        candidates = self.by_name.get(name, [])
        if version is not None:
            candidates = [entry for entry in candidates if str(entry.get("version")) == version] or candidates
        if len(candidates) > 1:
            fitting = [
                entry
                for entry in candidates
                if any(
                    _marker_holds(marker, self.marker_environment)
                    for marker in entry.get("resolution-markers", [""])
                )
            ]
            candidates = fitting or candidates
        return candidates[0] if candidates else None

    def locked_packages(self, wanted_extras: set[str]) -> list[LockedPackage]:
        roots = [
            entry
            for entries in self.by_name.values()
            for entry in entries
            if isinstance(entry.get("source"), dict) and ({"editable", "virtual"} & set(entry["source"]))
        ]
        # (entry, extras requested of it)
        queue: list[tuple[dict, set[str]]] = [(root, wanted_extras) for root in roots]
        if not roots:
            self.source.notes.append(f"{self.path}: no workspace package found; judging every locked package")
            queue = [(entry, set()) for entries in self.by_name.values() for entry in entries]
        visited: set[tuple[str, str, frozenset[str]]] = set()
        locked_by_key: dict[tuple[str, str], LockedPackage] = {}
        while queue:
            entry, requested_extras = queue.pop(0)
            name = canonicalize_name(str(entry["name"]))
            version = str(entry.get("version", ""))
            key = (name, version, frozenset(requested_extras))
            if key in visited:
                continue
            visited.add(key)
            queue.extend(self._children(entry, requested_extras))
            locked = self._locked(entry, is_root=entry in roots)
            if locked is not None and (name, version) not in locked_by_key:
                locked_by_key[(name, version)] = locked
        for key, package in locked_by_key.items():
            package.required_by = sorted(self.required_by.get(key, set()))
        return list(locked_by_key.values())

    def _children(self, entry: dict, requested_extras: set[str]) -> list[tuple[dict, set[str]]]:
        edges = list(entry.get("dependencies", []) or [])
        optional = entry.get("optional-dependencies", {}) or {}
        for extra in requested_extras:
            edges.extend(optional.get(extra, []) or [])
        # The workspace's own dev dependencies only count when asked for with --extra.
        dev = entry.get("dev-dependencies", {}) or {}
        for group in requested_extras:
            edges.extend(dev.get(group, []) or [])
        children = []
        for edge in edges:
            if not isinstance(edge, dict) or "name" not in edge:
                continue
            if not _marker_holds(edge.get("marker"), self.marker_environment):
                continue
            child = self.pick(canonicalize_name(str(edge["name"])), edge.get("version"))
            if child is None:
                self.source.problems.append(
                    f"{self.path}: {entry['name']} depends on {edge['name']}, which is not locked"
                )
                continue
            child_key = (canonicalize_name(str(child["name"])), str(child.get("version", "")))
            self.required_by.setdefault(child_key, set()).add(str(entry["name"]))
            children.append((child, {canonicalize_name(extra) for extra in edge.get("extra", [])}))
        return children

    def _locked(self, entry: dict, *, is_root: bool) -> LockedPackage | None:
        """The package to judge on its index; None for one locked from a local or VCS source."""
        entry_source = entry.get("source", {}) if isinstance(entry.get("source"), dict) else {}
        line = line_of(self.text, f'name = "{entry["name"]}"')
        origin = f"{self.path}:{line}" if line else str(self.path)
        if set(entry_source) & set(_LOCAL_SOURCES):
            if not is_root:
                self.source.notes.append(
                    f"{origin}: {entry['name']} is locked from {', '.join(entry_source)},"
                    " not an index; not judged"
                )
            return None
        return LockedPackage(
            name=str(entry["name"]),
            version=str(entry.get("version", "")),
            origin=origin,
            wheel_filenames=[found for found in map(_file_name, entry.get("wheels", []) or []) if found],
            sdist_filename=_file_name(entry.get("sdist")),
            index_url=entry_source.get("registry"),
        )

"""``uv.lock``: uv's universal lock file (TOML; not a standard, read defensively).

A universal lock holds the packages for every platform and Python, so reading all of
it would judge, say, ``pywin32`` on Linux. Instead the tree is walked from the
workspace's own packages (``source = { editable / virtual }``) along ``dependencies``
edges whose ``marker`` holds in the target environment; a package locked in several
versions (a fork) is chosen by its ``resolution-markers``.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    by_name: dict[str, list[dict]] = {}
    for entry in packages:
        if not isinstance(entry, dict) or "name" not in entry:
            source.problems.append(f"{path}: a [[package]] entry without a name")
            continue
        by_name.setdefault(canonicalize_name(str(entry["name"])), []).append(entry)

    def pick(name: str, version: str | None = None) -> dict | None:
        candidates = by_name.get(name, [])
        if version is not None:
            candidates = [entry for entry in candidates if str(entry.get("version")) == version] or candidates
        if len(candidates) > 1:
            fitting = [
                entry
                for entry in candidates
                if any(
                    _marker_holds(marker, marker_environment)
                    for marker in entry.get("resolution-markers", [""])
                )
            ]
            candidates = fitting or candidates
        return candidates[0] if candidates else None

    roots = [
        entry
        for entries in by_name.values()
        for entry in entries
        if isinstance(entry.get("source"), dict) and ({"editable", "virtual"} & set(entry["source"]))
    ]
    wanted_extras = {canonicalize_name(extra) for extra in extras}
    # (entry, extras requested of it)
    queue: list[tuple[dict, set[str]]] = [(root, wanted_extras) for root in roots]
    if not roots:
        source.notes.append(f"{path}: no workspace package found; judging every locked package")
        queue = [(entry, set()) for entries in by_name.values() for entry in entries]
    visited: set[tuple[str, str, frozenset[str]]] = set()
    locked_by_key: dict[tuple[str, str], LockedPackage] = {}
    required_by: dict[tuple[str, str], set[str]] = {}
    while queue:
        entry, requested_extras = queue.pop(0)
        name = canonicalize_name(str(entry["name"]))
        version = str(entry.get("version", ""))
        key = (name, version, frozenset(requested_extras))
        if key in visited:
            continue
        visited.add(key)
        edges = list(entry.get("dependencies", []) or [])
        optional = entry.get("optional-dependencies", {}) or {}
        for extra in requested_extras:
            edges.extend(optional.get(extra, []) or [])
        # The workspace's own dev dependencies only count when asked for with --extra.
        dev = entry.get("dev-dependencies", {}) or {}
        for group in requested_extras:
            edges.extend(dev.get(group, []) or [])
        for edge in edges:
            if not isinstance(edge, dict) or "name" not in edge:
                continue
            if not _marker_holds(edge.get("marker"), marker_environment):
                continue
            child = pick(canonicalize_name(str(edge["name"])), edge.get("version"))
            if child is None:
                source.problems.append(
                    f"{path}: {entry['name']} depends on {edge['name']}, which is not locked"
                )
                continue
            child_key = (canonicalize_name(str(child["name"])), str(child.get("version", "")))
            required_by.setdefault(child_key, set()).add(str(entry["name"]))
            queue.append((child, {canonicalize_name(extra) for extra in edge.get("extra", [])}))
        entry_source = entry.get("source", {}) if isinstance(entry.get("source"), dict) else {}
        line = line_of(text, f'name = "{entry["name"]}"')
        origin = f"{path}:{line}" if line else str(path)
        if set(entry_source) & set(_LOCAL_SOURCES):
            if entry not in roots:
                source.notes.append(
                    f"{origin}: {entry['name']} is locked from {', '.join(entry_source)},"
                    " not an index; not judged"
                )
            continue
        if (name, version) in locked_by_key:
            continue
        locked_by_key[(name, version)] = LockedPackage(
            name=str(entry["name"]),
            version=version,
            origin=origin,
            wheel_filenames=[found for found in map(_file_name, entry.get("wheels", []) or []) if found],
            sdist_filename=_file_name(entry.get("sdist")),
            index_url=entry_source.get("registry"),
        )
    for key, package in locked_by_key.items():
        package.required_by = sorted(required_by.get(key, set()))
    source.locked = list(locked_by_key.values())
    registries = {package.index_url for package in source.locked if package.index_url}
    if len(registries) == 1:
        source.index_url = registries.pop()
    return source

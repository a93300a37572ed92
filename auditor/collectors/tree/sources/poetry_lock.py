"""``poetry.lock``: Poetry's lock file (TOML; ``[[package]]`` entries with ``files``).

Poetry locks one set of packages for every platform it supports. Lock format 2.1
(Poetry 2) gives each package the ``groups`` that need it and a ``markers`` string
(a PEP 508 marker, or a table of markers per group); older locks give a ``category``
("main" / "dev"). The packages of the main group whose marker holds in the target
environment are judged; other groups only when asked for with ``--extra GROUP``.
Packages from a folder, file, URL or git repository (``[package.source]`` of those
types) are not on an index and are listed as notes; a ``legacy`` source names the
index the package came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.utils import canonicalize_name

from .interface import DependencySource, LockedPackage, TreeInputError, line_of
from .pyproject import load_toml

_NOT_AN_INDEX = ("directory", "file", "url", "git")


def marker_holds(text: object, environment: dict[str, str]) -> bool:
    if not text or not isinstance(text, str):
        return True
    try:
        return Marker(text).evaluate({**environment, "extra": ""})
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return True  # judged rather than silently dropped


def _groups(entry: dict) -> set[str]:
    if isinstance(entry.get("groups"), list):
        return {str(group) for group in entry["groups"]}
    category = entry.get("category")
    return {"main" if category in (None, "main") else str(category)}


def read_poetry_lock(
    path: Path, marker_environment: dict[str, str], extras: Iterable[str] = ()
) -> DependencySource:
    path = Path(path)
    document, text = load_toml(path)
    packages = document.get("package")
    if not isinstance(packages, list) or not isinstance(document.get("metadata"), dict):
        raise TreeInputError(f"{path}: not a Poetry lock file (needs [[package]] entries and [metadata])")
    wanted_groups = {"main", *extras}
    source = DependencySource(path=path, kind="poetry-lock", locked=[])
    required_by: dict[str, set[str]] = {}
    chosen: list[tuple[dict, str]] = []
    for entry in packages:
        if not isinstance(entry, dict) or "name" not in entry or "version" not in entry:
            source.problems.append(f"{path}: a [[package]] entry without a name or version")
            continue
        groups = _groups(entry) & wanted_groups
        if not groups:
            continue
        markers = entry.get("markers")
        if isinstance(markers, dict):  # one marker per group
            holds = any(marker_holds(markers.get(group), marker_environment) for group in groups)
        else:
            holds = marker_holds(markers, marker_environment)
        if not holds:
            continue
        line = line_of(text, f'name = "{entry["name"]}"')
        origin = f"{path}:{line}" if line else str(path)
        package_source = entry.get("source") if isinstance(entry.get("source"), dict) else {}
        if package_source.get("type") in _NOT_AN_INDEX:
            source.notes.append(
                f"{origin}: {entry['name']} is locked from a {package_source['type']}, not an index;"
                " not judged"
            )
            continue
        for dependency in (entry.get("dependencies") or {}).keys():
            required_by.setdefault(canonicalize_name(dependency), set()).add(str(entry["name"]))
        chosen.append((entry, origin))
    for entry, origin in chosen:
        package_source = entry.get("source") if isinstance(entry.get("source"), dict) else {}
        files = [item.get("file") for item in entry.get("files") or [] if isinstance(item, dict)]
        source.locked.append(
            LockedPackage(
                name=str(entry["name"]),
                version=str(entry["version"]),
                origin=origin,
                wheel_filenames=[name for name in files if isinstance(name, str) and name.endswith(".whl")],
                sdist_filename=next(
                    (name for name in files if isinstance(name, str) and name.endswith((".tar.gz", ".zip"))),
                    None,
                ),
                dependencies=sorted(canonicalize_name(name) for name in (entry.get("dependencies") or {})),
                required_by=sorted(required_by.get(canonicalize_name(str(entry["name"])), set())),
                index_url=package_source.get("url") if package_source.get("type") == "legacy" else None,
            )
        )
    return source

"""``pdm.lock``: PDM's lock file (TOML; ``[[package]]`` entries with ``files``).

Each package lists the dependency ``groups`` that need it ("default" for the project's
own dependencies), an optional PEP 508 ``marker`` and its ``dependencies`` as
requirement strings. The "default" group's packages whose marker holds in the target
environment are judged, other groups only when asked for with ``--extra GROUP``.
Packages installed from a path, a URL or a version-control checkout are listed as
notes, not judged: no index serves them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from .interface import DependencySource, LockedPackage, TreeInputError, line_of
from .poetry_lock import marker_holds
from .pyproject import load_toml

_NOT_AN_INDEX = ("path", "url", "git", "hg", "svn", "bzr")


def read_pdm_lock(
    path: Path, marker_environment: dict[str, str], extras: Iterable[str] = ()
) -> DependencySource:
    path = Path(path)
    document, text = load_toml(path)
    packages = document.get("package")
    metadata = document.get("metadata")
    if not isinstance(packages, list) or not isinstance(metadata, dict) or "lock_version" not in metadata:
        raise TreeInputError(
            f"{path}: not a PDM lock file (needs [[package]] entries and [metadata] with lock_version)"
        )
    wanted_groups = {"default", *extras}
    source = DependencySource(path=path, kind="pdm-lock", locked=[])
    chosen: list[tuple[dict, str, list[str]]] = []
    required_by: dict[str, set[str]] = {}
    for entry in packages:
        if not isinstance(entry, dict) or "name" not in entry:
            source.problems.append(f"{path}: a [[package]] entry without a name")
            continue
        groups = set(entry.get("groups") or ["default"])
        if not groups & wanted_groups or not marker_holds(entry.get("marker"), marker_environment):
            continue
        line = line_of(text, f'name = "{entry["name"]}"')
        origin = f"{path}:{line}" if line else str(path)
        where = next((key for key in _NOT_AN_INDEX if key in entry), None)
        if where or entry.get("editable"):
            source.notes.append(
                f"{origin}: {entry['name']} is locked from a {where or 'path'}, not an index; not judged"
            )
            continue
        if "version" not in entry:
            source.problems.append(f"{origin}: {entry['name']} has no version")
            continue
        dependencies = []
        for text_requirement in entry.get("dependencies") or []:
            try:
                requirement = Requirement(str(text_requirement))
            except InvalidRequirement:
                source.problems.append(f"{origin}: cannot read dependency {text_requirement!r}")
                continue
            if requirement.marker is None or marker_holds(str(requirement.marker), marker_environment):
                dependencies.append(canonicalize_name(requirement.name))
                required_by.setdefault(canonicalize_name(requirement.name), set()).add(str(entry["name"]))
        chosen.append((entry, origin, dependencies))
    for entry, origin, dependencies in chosen:
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
                dependencies=sorted(set(dependencies)),
                required_by=sorted(required_by.get(canonicalize_name(str(entry["name"])), set())),
            )
        )
    return source

"""``pylock.toml`` (PEP 751): a lock file is the whole tree, already resolved.

The file is validated with ``packaging.pylock`` (the reference implementation of the
PEP's data model), then each package that applies to the target (its ``marker``
evaluated in the target's environment) becomes a :class:`LockedPackage`. Packages
locked from a VCS, a local directory or an archive URL are not on an index; they are
noted and not judged.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.pylock import Package, Pylock, PylockUnsupportedVersionError, PylockValidationError
from packaging.utils import canonicalize_name

from .interface import DependencySource, LockedPackage, TreeInputError, line_of
from .pyproject import load_toml


def _file_name(name: str | None, path: str | None, url: str | None) -> str | None:
    if name:
        return name
    for location in (path, url):
        if location:
            return location.rstrip("/").rsplit("/", 1)[-1].split("#", 1)[0]
    return None


def read_pylock(
    path: Path, marker_environment: dict[str, str], extras: Iterable[str] = ()
) -> DependencySource:
    path = Path(path)
    document, text = load_toml(path)
    try:
        lock = Pylock.from_dict(document)
    except (PylockValidationError, PylockUnsupportedVersionError) as problem:
        raise TreeInputError(f"{path}: not a valid PEP 751 lock file: {problem}") from problem
    source = DependencySource(path=path, kind="pylock", locked=[])
    # PEP 751 markers may test ``extras`` and ``dependency_groups`` (evaluated in the
    # "lock_file" context); --extra names either. Without it, the lock's default groups.
    chosen = frozenset(canonicalize_name(extra) for extra in extras)
    groups = chosen or frozenset(canonicalize_name(group) for group in (lock.default_groups or []))
    environment = {**marker_environment, "extras": chosen, "dependency_groups": groups}
    applicable: list = []
    for package in lock.packages:
        line = line_of(text, f'name = "{package.name}"')
        origin = f"{path}:{line}" if line else str(path)
        if not _applies(package, environment, origin, source):
            continue
        applicable.append(package)
        if package.version is None or (package.sdist is None and not package.wheels):
            source.notes.append(
                f"{origin}: {package.name} is locked from a VCS, directory or archive,"
                " not an index; not judged"
            )
            continue
        source.locked.append(_locked_package(package, origin))
    _link_required_by(source.locked)
    index_urls = {package.index for package in applicable if package.index}
    if len(index_urls) == 1:
        source.index_url = index_urls.pop()
    return source


def _applies(package: Package, environment: dict, origin: str, source: DependencySource) -> bool:
    if package.marker is None:
        return True
    try:
        return Marker(str(package.marker)).evaluate(environment, context="lock_file")
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName) as problem:
        source.problems.append(f"{origin}: marker {str(package.marker)!r} of {package.name}: {problem}")
        return True  # judged rather than silently dropped


def _locked_package(package: Package, origin: str) -> LockedPackage:
    wheel_names = [
        filename
        for wheel in package.wheels or []
        if (filename := _file_name(wheel.name, wheel.path, wheel.url))
    ]
    sdist_name = None
    if package.sdist is not None:
        sdist_name = _file_name(package.sdist.name, package.sdist.path, package.sdist.url)
    dependencies = [
        str(dependency["name"])
        for dependency in package.dependencies or []
        if isinstance(dependency, dict) and dependency.get("name")
    ]
    return LockedPackage(
        name=str(package.name),
        version=str(package.version),
        origin=origin,
        wheel_filenames=wheel_names,
        sdist_filename=sdist_name,
        dependencies=dependencies,
        index_url=package.index,
    )


def _link_required_by(locked: list[LockedPackage]) -> None:
    by_name = {package.name.lower(): package for package in locked}
    for package in locked:
        for dependency in package.dependencies:
            child = by_name.get(dependency.lower())
            if child is not None and package.name not in child.required_by:
                child.required_by.append(package.name)

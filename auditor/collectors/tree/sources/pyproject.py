"""``pyproject.toml``: PEP 621 ``[project] dependencies`` plus chosen extras.

``extras`` names groups of ``[project.optional-dependencies]``; a name that is not an
extra but is a PEP 735 ``[dependency-groups]`` group selects that group instead (so
``--extra test`` works whichever table the project keeps its test tools in). A project
that refers to itself (``myproject[cli]`` inside an extra, a common way to build an
``all`` extra) is expanded rather than looked up on the index.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from .interface import DependencySource, RootRequirement, TreeInputError, line_of


def load_toml(path: Path) -> tuple[dict, str]:
    """(document, text); TOML syntax errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as problem:
        raise TreeInputError(f"{path}: not UTF-8 text ({problem})") from problem
    except OSError as problem:
        raise TreeInputError(f"{path}: cannot read it ({problem.strerror or problem})") from problem
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as problem:
        # tomllib's message ends with "(at line N, column M)".
        raise TreeInputError(f"{path}: not valid TOML: {problem}") from problem


def _requirements(
    entries: object, table: str, path: Path, text: str, source: DependencySource
) -> list[tuple[Requirement, str]]:
    if not isinstance(entries, list):
        source.problems.append(f"{path}: {table} must be a list of PEP 508 strings")
        return []
    parsed = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, str):
            # PEP 735 {include-group = "..."} tables are expanded by the caller.
            if isinstance(entry, dict) and "include-group" in entry:
                parsed.append((entry, f"{table}[{index}]"))  # type: ignore[arg-type]
                continue
            source.problems.append(f"{path}: {table}[{index}] is not a string: {entry!r}")
            continue
        number = line_of(text, f'"{entry}"') or line_of(text, f"'{entry}'")
        where = f"{path}:{number}" if number else str(path)
        try:
            parsed.append((Requirement(entry), f"{where} ({table})"))
        except InvalidRequirement as problem:
            source.problems.append(
                f"{where}: {table}[{index}] is not a valid requirement {entry!r}: "
                f"{str(problem).splitlines()[0]}"
            )
    return parsed


def read_pyproject(
    path: Path, extras: Iterable[str] = (), marker_environment: dict[str, str] | None = None
) -> DependencySource:
    path = Path(path)
    document, text = load_toml(path)
    project = document.get("project")
    if not isinstance(project, dict):
        raise TreeInputError(
            f"{path}: no [project] table; ftaudit reads PEP 621 metadata ([project] dependencies). "
            "For Poetry or other formats, export a requirements.txt or a lock file first"
        )
    source = DependencySource(path=path, kind="pyproject")
    own_name = canonicalize_name(str(project.get("name", "")))
    requires_python = project.get("requires-python")
    if requires_python and marker_environment:
        try:
            supported = SpecifierSet(str(requires_python)).contains(
                marker_environment["python_full_version"], prereleases=True
            )
        except InvalidSpecifier:
            source.problems.append(f"{path}: requires-python {requires_python!r} is not a valid specifier")
        else:
            if not supported:
                source.notes.append(
                    f"{path}: the project's requires-python {requires_python!r} excludes Python"
                    f" {marker_environment['python_version']}; judged anyway"
                )
    if "dependencies" in project.get("dynamic", []):
        source.problems.append(
            f"{path}: [project] dependencies are dynamic (computed by the build backend);"
            " only a build would list them"
        )
    optional = project.get("optional-dependencies", {}) or {}
    groups = document.get("dependency-groups", {}) or {}
    wanted = [canonicalize_name(extra) for extra in extras]
    optional_by_name = {canonicalize_name(key): (key, value) for key, value in optional.items()}
    groups_by_name = {canonicalize_name(key): (key, value) for key, value in groups.items()}

    pending: list[tuple[Requirement, str]] = _requirements(
        project.get("dependencies", []), "project.dependencies", path, text, source
    )
    expanded_extras: set[str] = set()
    expanded_groups: set[str] = set()

    def add_extra(name: str) -> None:
        if name in expanded_extras:
            return
        expanded_extras.add(name)
        key, entries = optional_by_name[name]
        pending.extend(_requirements(entries, f"project.optional-dependencies.{key}", path, text, source))

    def add_group(name: str, origin: str) -> None:
        if name in expanded_groups:
            return
        if name not in groups_by_name:
            source.problems.append(f"{path}: {origin} includes unknown dependency group {name!r}")
            return
        expanded_groups.add(name)
        key, entries = groups_by_name[name]
        pending.extend(_requirements(entries, f"dependency-groups.{key}", path, text, source))

    for name in wanted:
        if name in optional_by_name:
            add_extra(name)
        elif name in groups_by_name:
            add_group(name, "--extra")
        else:
            known = sorted({*optional_by_name, *groups_by_name})
            source.problems.append(
                f"{path}: no extra or dependency group called {name!r} (known: {', '.join(known) or 'none'})"
            )
    while pending:
        requirement, origin = pending.pop(0)
        if isinstance(requirement, dict):
            add_group(canonicalize_name(str(requirement["include-group"])), origin)
            continue
        if own_name and canonicalize_name(requirement.name) == own_name:
            for extra in requirement.extras:
                if canonicalize_name(extra) in optional_by_name:
                    add_extra(canonicalize_name(extra))
                else:
                    source.problems.append(
                        f"{origin}: refers to unknown extra {extra!r} of the project itself"
                    )
            continue
        if requirement.url:
            source.notes.append(f"{origin}: {requirement.name} comes from a direct URL; not judged")
            continue
        source.requirements.append(RootRequirement(requirement=requirement, origin=origin))
    return source

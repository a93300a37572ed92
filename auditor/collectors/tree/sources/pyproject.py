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
from dataclasses import dataclass, field
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
        _check_requires_python(path, str(requires_python), marker_environment, source)
    if "dependencies" in project.get("dynamic", []):
        source.problems.append(
            f"{path}: [project] dependencies are dynamic (computed by the build backend);"
            " only a build would list them"
        )
    tables = _OptionalTables.of(path, text, document, project, source)
    tables.pending = _requirements(
        project.get("dependencies", []), "project.dependencies", path, text, source
    )
    for name in (canonicalize_name(extra) for extra in extras):
        tables.add_wanted(name)
    while tables.pending:
        requirement, origin = tables.pending.pop(0)
        if isinstance(requirement, dict):
            tables.add_group(canonicalize_name(str(requirement["include-group"])), origin)
        elif own_name and canonicalize_name(requirement.name) == own_name:
            tables.add_own_extras(requirement, origin)
        elif requirement.url:
            source.notes.append(f"{origin}: {requirement.name} comes from a direct URL; not judged")
        else:
            source.requirements.append(RootRequirement(requirement=requirement, origin=origin))
    return source


def _check_requires_python(
    path: Path, requires_python: str, marker_environment: dict[str, str], source: DependencySource
) -> None:
    try:
        supported = SpecifierSet(requires_python).contains(
            marker_environment["python_full_version"], prereleases=True
        )
    except InvalidSpecifier:
        source.problems.append(f"{path}: requires-python {requires_python!r} is not a valid specifier")
        return
    if not supported:
        source.notes.append(
            f"{path}: the project's requires-python {requires_python!r} excludes Python"
            f" {marker_environment['python_version']}; judged anyway"
        )


@dataclass
class _OptionalTables:
    """The project's extras and PEP 735 dependency groups, each expanded once into ``pending``."""

    path: Path
    text: str
    source: DependencySource
    optional_by_name: dict[str, tuple[str, object]]
    groups_by_name: dict[str, tuple[str, object]]
    pending: list[tuple[Requirement, str]] = field(default_factory=list)
    expanded_extras: set[str] = field(default_factory=set)
    expanded_groups: set[str] = field(default_factory=set)

    @classmethod
    def of(
        cls, path: Path, text: str, document: dict, project: dict, source: DependencySource
    ) -> _OptionalTables:
        optional = project.get("optional-dependencies", {}) or {}
        groups = document.get("dependency-groups", {}) or {}
        return cls(
            path,
            text,
            source,
            optional_by_name={canonicalize_name(key): (key, value) for key, value in optional.items()},
            groups_by_name={canonicalize_name(key): (key, value) for key, value in groups.items()},
        )

    def add_wanted(self, name: str) -> None:
        """An --extra: an extra of the project, else a dependency group."""
        if name in self.optional_by_name:
            self.add_extra(name)
        elif name in self.groups_by_name:
            self.add_group(name, "--extra")
        else:
            known = sorted({*self.optional_by_name, *self.groups_by_name})
            self.source.problems.append(
                f"{self.path}: no extra or dependency group called {name!r}"
                f" (known: {', '.join(known) or 'none'})"
            )

    def add_extra(self, name: str) -> None:
        if name in self.expanded_extras:
            return
        self.expanded_extras.add(name)
        key, entries = self.optional_by_name[name]
        self.pending.extend(
            _requirements(entries, f"project.optional-dependencies.{key}", self.path, self.text, self.source)
        )

    def add_group(self, name: str, origin: str) -> None:
        if name in self.expanded_groups:
            return
        if name not in self.groups_by_name:
            self.source.problems.append(f"{self.path}: {origin} includes unknown dependency group {name!r}")
            return
        self.expanded_groups.add(name)
        key, entries = self.groups_by_name[name]
        self.pending.extend(
            _requirements(entries, f"dependency-groups.{key}", self.path, self.text, self.source)
        )

    def add_own_extras(self, requirement: Requirement, origin: str) -> None:
        """``project[extra]`` in the project's own lists: that extra's requirements."""
        for extra in requirement.extras:
            if canonicalize_name(extra) in self.optional_by_name:
                self.add_extra(canonicalize_name(extra))
            else:
                self.source.problems.append(
                    f"{origin}: refers to unknown extra {extra!r} of the project itself"
                )

"""What a project's own files say: its top-level packages (the modules the interpreter
guard imports) and the line that declares each dependency (where the gate's
distribution findings point)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

from ..collectors.environment.names import normalize_name
from ..model import Finding, Location

# Folders at a project's root that hold no importable project code.
_NOT_PROJECT_PACKAGES = {
    "tests",
    "test",
    "testing",
    "docs",
    "doc",
    "examples",
    "example",
    "benchmarks",
    "scripts",
    "tools",
    "fixtures",
    "build",
    "dist",
    "site-packages",
    "node_modules",
}
# The findings about one distribution that a declaring line can locate.
_DISTRIBUTION_RULES = {"FTE003", "FTE004"}


def project_import_paths(root: Path) -> list[Path]:
    """Where the project's packages import from; src layout first, since a package under
    src/ is not importable from the root."""
    return [folder for folder in (root / "src", root) if folder.is_dir()]


def project_modules(project_root: str | os.PathLike) -> list[str]:
    """The project's own top-level packages: folders with ``__init__.py`` at the root
    or under ``src/``, else the import name guessed from ``[project] name``."""
    root = Path(project_root)
    if not any((root / name).is_file() for name in ("pyproject.toml", "setup.py", "setup.cfg")):
        # Not a project folder (a CI step run from elsewhere): import nothing rather than
        # whatever packages happen to lie around.
        return []
    found = [
        child.name
        for folder in project_import_paths(root)
        for child in sorted(folder.iterdir())
        if _is_project_package(child)
    ]
    if found:
        return list(dict.fromkeys(found))
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return []
    name = data.get("project", {}).get("name")
    return [normalize_name(name).replace("-", "_")] if isinstance(name, str) and name else []


def _is_project_package(folder: Path) -> bool:
    return (
        folder.is_dir()
        and (folder / "__init__.py").is_file()
        and folder.name.isidentifier()
        and folder.name not in _NOT_PROJECT_PACKAGES
        and not folder.name.startswith(("_", "."))
    )


def declaration_lines(project_root: str | os.PathLike) -> dict[str, Location]:
    """Where the project declares each dependency: normalised name -> pyproject.toml or
    requirements*.txt line. Code-scanning UIs show a result only at a file of the
    repository, so the gate's distribution findings point here when they can."""
    root = Path(project_root)
    found: dict[str, Location] = {}
    for path in [root / "pyproject.toml", *sorted(root.glob("requirements*.txt"))]:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            requirement = _requirement_on(line, toml=path.suffix == ".toml")
            if requirement is not None:
                found.setdefault(
                    normalize_name(requirement.name),
                    Location(path=path.name, line=number, column=1, snippet=line.strip()),
                )
    return found


def _requirement_on(line: str, toml: bool) -> Requirement | None:
    text = line.split("#", 1)[0].strip().strip(",").strip()
    if toml:
        # Only quoted entries of dependency arrays: "numpy>=2", 'lxml==5.2.2'.
        if len(text) < 2 or text[0] not in "\"'" or text[-1] != text[0]:
            return None
        text = text[1:-1]
    if not text or text.startswith("-"):
        return None
    try:
        return Requirement(text)
    except InvalidRequirement:
        return None


def point_into_project(findings: list[Finding], project_root: str | os.PathLike) -> None:
    """Give FTE003/FTE004 findings of directly declared dependencies the declaring line."""
    declared = declaration_lines(project_root)
    for finding in findings:
        if finding.rule in _DISTRIBUTION_RULES and finding.location is None and finding.distribution:
            location = declared.get(normalize_name(finding.distribution))
            if location is not None:
                finding.location = location

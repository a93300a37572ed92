"""What every dependency source (requirements.txt, pyproject.toml, pylock.toml, uv.lock)
is read into, and the error a reader raises when a file cannot be read at all.

Readers of unresolved inputs fill ``requirements`` (and ``constraints``); readers of
lock files fill ``locked``, which already is the whole tree, so nothing is resolved.
A line or entry that cannot be understood becomes a message in ``problems`` that names
the file and line, and the rest of the file is still read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version


class TreeInputError(Exception):
    """The dependency file could not be read at all (missing, not TOML, wrong kind)."""


@dataclass
class RootRequirement:
    requirement: Requirement
    origin: str  # "requirements.txt:12", "pyproject.toml:8 (project.dependencies)"

    @property
    def pinned_version(self) -> Version | None:
        """The exact version of an ``==X`` or ``===X`` pin (no wildcard), else None."""
        for specifier in self.requirement.specifier:
            if specifier.operator in ("==", "===") and not specifier.version.endswith(".*"):
                try:
                    return Version(specifier.version)
                except ValueError:
                    return None
        return None


@dataclass
class LockedPackage:
    name: str
    version: str
    origin: str  # "uv.lock:120"
    wheel_filenames: list[str] = field(default_factory=list)
    sdist_filename: str | None = None
    dependencies: list[str] = field(default_factory=list)  # names of what it requires
    required_by: list[str] = field(default_factory=list)  # names of what requires it
    index_url: str | None = None


@dataclass
class DependencySource:
    path: Path
    kind: str  # "requirements" | "pyproject" | "pylock" | "uv-lock"
    requirements: list[RootRequirement] = field(default_factory=list)
    constraints: list[RootRequirement] = field(default_factory=list)
    locked: list[LockedPackage] | None = None
    index_url: str | None = None  # named by the file itself (--index-url line, lock source)
    problems: list[str] = field(default_factory=list)  # per-line problems; the rest was read
    notes: list[str] = field(default_factory=list)  # things read but deliberately not judged


def line_of(text: str, needle: str, start_line: int = 1) -> int | None:
    """The 1-based line where ``needle`` first appears at or after ``start_line``."""
    lines = text.splitlines()
    for number in range(max(start_line, 1), len(lines) + 1):
        if needle in lines[number - 1]:
            return number
    return None

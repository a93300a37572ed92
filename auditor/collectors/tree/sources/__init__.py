"""Readers of dependency files: one module per format, all producing a
:class:`~auditor.collectors.tree.sources.interface.DependencySource`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .interface import DependencySource, LockedPackage, RootRequirement, TreeInputError
from .pdm_lock import read_pdm_lock
from .poetry_lock import read_poetry_lock
from .pylock import read_pylock
from .pyproject import read_pyproject
from .requirements_txt import read_requirements_txt
from .uv_lock import read_uv_lock

__all__ = [
    "DependencySource",
    "LockedPackage",
    "RootRequirement",
    "TreeInputError",
    "detect_kind",
    "read_dependency_source",
]

# PEP 751: "pylock.toml" or "pylock.<name>.toml".
_PYLOCK_NAME = re.compile(r"^pylock\.([^.]+\.)?toml$")


def detect_kind(path: Path) -> str:
    name = path.name.lower()
    if _PYLOCK_NAME.match(name):
        return "pylock"
    if name == "uv.lock":
        return "uv-lock"
    if name == "poetry.lock":
        return "poetry-lock"
    if name == "pdm.lock":
        return "pdm-lock"
    if name == "pyproject.toml":
        return "pyproject"
    if name.endswith((".txt", ".in")) or "requirements" in name:
        return "requirements"
    raise TreeInputError(
        f"{path}: cannot tell what kind of file this is from its name; expected requirements*.txt,"
        " pyproject.toml, pylock.toml (pylock.<name>.toml), uv.lock, poetry.lock or pdm.lock"
    )


def read_dependency_source(
    path: Path, marker_environment: dict[str, str], extras: Iterable[str] = ()
) -> DependencySource:
    """Read any supported dependency file; raises :class:`TreeInputError` when it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise TreeInputError(f"{path}: no such file")
    kind = detect_kind(path)
    if kind == "pylock":
        return read_pylock(path, marker_environment, extras)
    if kind == "uv-lock":
        return read_uv_lock(path, marker_environment, extras)
    if kind == "poetry-lock":
        return read_poetry_lock(path, marker_environment, extras)
    if kind == "pdm-lock":
        return read_pdm_lock(path, marker_environment, extras)
    if kind == "pyproject":
        return read_pyproject(path, extras, marker_environment)
    source = read_requirements_txt(path)
    if list(extras):
        source.problems.append(
            f"{path}: --extra applies to pyproject.toml and uv.lock; a requirements file"
            " names extras on its lines (name[extra])"
        )
    return source

"""The dependency tree audit: which releases of a project's dependencies ship wheels
for a free-threaded target, asked of a package index before anything is installed.

Layers (each a folder or module, pip-audit style): ``sources/`` reads dependency files,
``index/`` talks to a PEP 691/503 index through an on-disk cache, ``resolver`` picks
versions, ``judge`` compares a release's wheel tags with the ``target``'s, and
``audit.resolve_tree`` ties them together.
"""

from __future__ import annotations

from .pipeline import resolve_tree, resolve_tree_targets
from .sources import TreeInputError
from .target import TargetError

__all__ = ["TargetError", "TreeInputError", "resolve_tree", "resolve_tree_targets"]

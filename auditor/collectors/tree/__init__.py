"""Reading a dependency tree from a package index before anything is installed.

``sources/`` reads dependency files, ``index/`` talks to a PEP 691/503 index through an
on-disk cache, ``resolver`` picks versions, ``judge`` compares a release's wheel tags
with the ``target``'s; :mod:`auditor.pipelines.dependency_tree` ties them together.
"""

from __future__ import annotations

from ..binary.target import TargetError
from .sources import TreeInputError

__all__ = ["TargetError", "TreeInputError"]

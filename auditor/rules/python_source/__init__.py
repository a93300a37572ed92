"""FTP rules: Python sources, read with LibCST (after a cheap text pre-filter).

Each rule module holds one class derived from :class:`PythonSourceRule`; ``check``
receives a :class:`~auditor.collectors.source.python_analysis.PythonModuleAnalysis` (the module,
its shared-state facts and the events found in it) and returns findings built with
``cls.finding``. Suppression comments, baselines and rule selection live in the engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from ...model.finding import Finding
from ..registry import Rule


class PythonSourceRule(Rule):
    category: ClassVar[str] = "python-source"
    languages: ClassVar[frozenset[str]] = frozenset({"python"})

    @classmethod
    def check(cls, analysis) -> Iterable[Finding]:  # pragma: no cover - every rule overrides it
        raise NotImplementedError

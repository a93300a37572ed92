"""FTC rules: C, C++ and Cython sources, and pybind11 / nanobind / PyO3 module declarations.

Each rule module holds one class derived from :class:`CSourceRule`. ``languages`` says
which files it reads; ``check`` receives the parsed file (a
:class:`~auditor.collectors.source.c_syntax.CTranslationUnit` for C/C++, a
:class:`~auditor.collectors.source.text_units.TokenizedSource` for Cython and Rust) and returns
findings built with ``cls.finding``. Suppression comments, baselines and rule selection
are applied by the engine, not here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from ...model.finding import Finding
from ..registry import Rule


class CSourceRule(Rule):
    category: ClassVar[str] = "c-source"
    languages: ClassVar[frozenset[str]] = frozenset({"c", "cpp"})

    @classmethod
    def check(cls, unit) -> Iterable[Finding]:  # pragma: no cover - every rule overrides it
        raise NotImplementedError

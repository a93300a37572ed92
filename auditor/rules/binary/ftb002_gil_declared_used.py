from __future__ import annotations

from ...model.environment import GilDeclaration, GilDeclaredBy
from ...model.finding import Severity
from ..registry import Example, register
from . import GilDeclarationRule
from ._examples import MULTI_PHASE_NOT_USED, MULTI_PHASE_USED


@register
class GilDeclaredUsed(GilDeclarationRule):
    """The module explicitly declares ``Py_MOD_GIL_USED`` on the free-threaded build.

    That is an honest statement (its authors know it is not thread-safe yet), but the
    effect is the same as no declaration: the import re-enables the GIL for the whole
    process. Generators emit it by default (Cython without ``freethreading_compatible``).
    """

    code = "FTB002"
    name = "gil-declared-used"
    severity = Severity.WARNING
    summary = "the extension declares Py_MOD_GIL_USED, so importing it re-enables the GIL"
    fix = (
        "make the module's shared state thread-safe, then declare Py_MOD_GIL_NOT_USED; until then, "
        "expect the GIL in any process importing it (or ask upstream for a free-threaded release)"
    )
    references = ["https://docs.python.org/3.13/c-api/module.html#c.Py_mod_gil"]
    invalid = [Example(MULTI_PHASE_USED)]
    valid = [Example(MULTI_PHASE_NOT_USED)]

    @classmethod
    def check(cls, facts):
        reading = cls.declaration_read(facts)
        if reading is None or reading.gil != GilDeclaration.USED:
            return
        # Only an explicit declaration: a module that declares nothing is FTB001's.
        if reading.declared_by in (GilDeclaredBy.SLOT, GilDeclaredBy.SET_GIL_CALL):
            module = facts.extension.module
            yield cls.declaration_finding(
                facts, f"{module} declares Py_MOD_GIL_USED: importing it re-enables the GIL"
            )

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, Rule, register
from ._examples import MULTI_PHASE_NOT_USED, MULTI_PHASE_USED


@register
class GilDeclaredUsed(Rule):
    """The module explicitly declares ``Py_MOD_GIL_USED`` on the free-threaded build.

    That is an honest statement (its authors know it is not thread-safe yet), but the
    effect is the same as no declaration: the import re-enables the GIL for the whole
    process. Generators emit it by default (Cython without ``freethreading_compatible``).
    """

    code = "FTB002"
    name = "gil-declared-used"
    category = "binary"
    severity = Severity.WARNING
    summary = "the extension declares Py_MOD_GIL_USED, so importing it re-enables the GIL"
    fix = (
        "make the module's shared state thread-safe, then declare Py_MOD_GIL_NOT_USED; until then, "
        "expect the GIL in any process importing it (or ask upstream for a free-threaded release)"
    )
    references = ["https://docs.python.org/3.13/c-api/module.html#c.Py_mod_gil"]
    invalid = [Example(MULTI_PHASE_USED)]
    valid = [Example(MULTI_PHASE_NOT_USED)]

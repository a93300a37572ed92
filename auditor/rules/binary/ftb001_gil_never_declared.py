from __future__ import annotations

from ...model.environment import GilDeclaredBy
from ...model.finding import Severity
from ..registry import Example, register
from . import GilDeclarationRule
from ._examples import MULTI_PHASE_NOT_USED, SINGLE_PHASE_NOT_USED, SINGLE_PHASE_WITHOUT_DECLARATION


@register
class GilNeverDeclared(GilDeclarationRule):
    """A free-threaded build of this module never declares whether it needs the GIL.

    CPython treats a missing declaration as ``Py_MOD_GIL_USED``: importing the module
    turns the GIL back on for the whole process (with a RuntimeWarning naming it), so
    every other thread loses the parallelism free-threading was chosen for. Declaring
    ``Py_MOD_GIL_NOT_USED`` is a promise the module's own code is thread-safe; make
    that promise only after checking its shared state.
    """

    code = "FTB001"
    name = "gil-never-declared"
    severity = Severity.WARNING
    summary = "the extension never declares Py_mod_gil, so importing it re-enables the GIL"
    fix = (
        "once the module is thread-safe, add {Py_mod_gil, Py_MOD_GIL_NOT_USED} to its slots (multi-phase) "
        "or call PyUnstable_Module_SetGIL(module, Py_MOD_GIL_NOT_USED) (single-phase); pybind11: "
        "py::mod_gil_not_used(), nanobind: FREE_THREADED, Cython: freethreading_compatible=True, "
        "PyO3: #[pymodule(gil_used = false)]"
    )
    references = [
        "https://peps.python.org/pep-0703/",
        "https://docs.python.org/3.13/howto/free-threading-extensions.html",
    ]
    invalid = [
        Example(SINGLE_PHASE_WITHOUT_DECLARATION, note="single-phase init without PyUnstable_Module_SetGIL"),
        Example(
            MULTI_PHASE_NOT_USED.replace("    {Py_mod_gil, Py_MOD_GIL_NOT_USED},\n", ""),
            note="multi-phase init whose slots lack Py_mod_gil",
        ),
    ]
    valid = [Example(MULTI_PHASE_NOT_USED), Example(SINGLE_PHASE_NOT_USED)]

    @classmethod
    def check(cls, facts):
        reading = cls.declaration_read(facts)
        if reading is not None and reading.declared_by == GilDeclaredBy.NEVER:
            module = facts.extension.module
            yield cls.declaration_finding(
                facts, f"{module} never declares Py_mod_gil: importing it re-enables the GIL"
            )

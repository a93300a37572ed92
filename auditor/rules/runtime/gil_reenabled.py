from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import RuntimeRule


@register
class GilReenabledOnImport(RuntimeRule):
    """Importing the sample's extension turned the GIL back on in the free-threaded
    interpreter: the module does not declare ``Py_mod_gil`` with ``Py_MOD_GIL_NOT_USED``
    (PEP 703; ``Python/import.c`` re-enables the GIL and warns). Users of the module then
    run with the GIL, and a run of the harness would not have been free-threaded; the
    harness kept the GIL off with ``-X gil=0`` to test the code anyway.
    """

    code = "FTR007"
    name = "gil-reenabled-on-import"
    severity = Severity.WARNING
    summary = "importing the module re-enabled the GIL (no Py_mod_gil slot)"
    fix = (
        "once the module is thread-safe, add {Py_mod_gil, Py_MOD_GIL_NOT_USED} to its PyModuleDef_Slot "
        "array (or call PyUnstable_Module_SetGIL for single-phase init)"
    )
    invalid = [Example("tests/harness_samples/no_gil_slot", language="sample")]
    valid = [Example("ext_samples/static_counter_atomic", language="sample")]

    @classmethod
    def check(cls, trial):
        if trial.gil_reenabled_on_import:
            yield cls.finding(location=trial.sample_location, module=trial.sample.name)

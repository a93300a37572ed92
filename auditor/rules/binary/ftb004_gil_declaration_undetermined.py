from __future__ import annotations

from ...model.environment import GilDeclaration, GilDeclaredBy
from ...model.finding import Severity
from ..registry import Example, register
from . import GilDeclarationRule
from ._examples import MULTI_PHASE_NOT_USED


@register
class GilDeclarationUndetermined(GilDeclarationRule):
    """The binary could not be read far enough to say whether it declares ``Py_mod_gil``.

    The declaration lives in the init function's data or code; some binaries compute it
    in ways a static reading cannot follow (a value loaded from a table, an init routine
    in another shared library). The runtime probe (``ftaudit probe``) answers for sure.
    """

    code = "FTB004"
    name = "gil-declaration-undetermined"
    severity = Severity.NOTE
    summary = "whether the extension declares Py_mod_gil could not be determined from its binary"
    fix = "run `ftaudit probe` with the free-threaded interpreter to observe the module's effect on the GIL"
    invalid = [
        Example(
            "#include <Python.h>\n"
            "#include <stdlib.h>\n\n"
            'static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "example", NULL, -1, NULL};\n\n'
            "PyMODINIT_FUNC PyInit_example(void) {\n"
            "    PyObject *module = PyModule_Create(&def);\n"
            "#ifdef Py_GIL_DISABLED\n"
            "    /* the value is only known at run time */\n"
            "    if (module != NULL) {\n"
            '        PyUnstable_Module_SetGIL(module, (void *)(getenv("EXAMPLE_GIL") == NULL));\n'
            "    }\n"
            "#endif\n"
            "    return module;\n"
            "}\n",
            note="the declared value is computed at run time",
        )
    ]
    valid = [Example(MULTI_PHASE_NOT_USED)]

    @classmethod
    def check(cls, facts):
        reading = cls.declaration_read(facts)
        if (
            reading is None
            or reading.gil != GilDeclaration.UNKNOWN
            or reading.declared_by == GilDeclaredBy.NEVER
        ):
            return
        # A binary that could not be read properly says so in its errors; undetermined is
        # only news about one that could.
        if not facts.extension.errors:
            module = facts.extension.module
            yield cls.declaration_finding(
                facts, f"{module}: Py_mod_gil declaration undetermined ({reading.evidence})"
            )

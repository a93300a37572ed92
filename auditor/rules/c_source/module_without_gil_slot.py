"""FTC006: an extension module that never declares Py_mod_gil / PyUnstable_Module_SetGIL."""

from __future__ import annotations

import re

from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

_DECLARES_GIL = re.compile(r"\bPy_mod_gil\b|\bPyUnstable_Module_SetGIL\b")
_SLOT_ARRAY = re.compile(r"\bPyModuleDef_Slot\b")


@register
class ModuleWithoutGilSlot(CSourceRule):
    """A module that does not say it supports free-threading turns the GIL back on.

    On a free-threaded interpreter, importing an extension whose module definition lacks
    ``{Py_mod_gil, Py_MOD_GIL_NOT_USED}`` (multi-phase init, Include/moduleobject.h) or a
    call to ``PyUnstable_Module_SetGIL(module, Py_MOD_GIL_NOT_USED)`` (single-phase init)
    re-enables the GIL for the whole process and prints a RuntimeWarning: every other
    module loses its parallelism. Declare it once the module's code is audited.
    """

    code = "FTC006"
    name = "module-without-gil-slot"
    severity = Severity.WARNING
    summary = "extension module does not declare Py_mod_gil (the GIL is re-enabled on import)"
    fix = (
        "Multi-phase init: add {Py_mod_gil, Py_MOD_GIL_NOT_USED} to the PyModuleDef_Slot array. "
        "Single-phase init: call PyUnstable_Module_SetGIL(module, Py_MOD_GIL_NOT_USED) under "
        "#ifdef Py_GIL_DISABLED after creating the module."
    )
    references = [
        "https://docs.python.org/3/howto/free-threading-extensions.html#identifying-the-free-threaded-build-in-c"
    ]
    invalid = [
        Example(
            "/* TODO: add Py_mod_gil once the cache is locked */\n"
            'static struct PyModuleDef demo_module = {PyModuleDef_HEAD_INIT, "demo", NULL, -1, methods};\n'
            "PyMODINIT_FUNC PyInit_demo(void) { return PyModule_Create(&demo_module); }\n",
            note="a comment that names Py_mod_gil declares nothing",
        ),
        Example(
            'static struct PyModuleDef demo_module = {PyModuleDef_HEAD_INIT, "demo", NULL, -1, methods};\n'
            "PyMODINIT_FUNC PyInit_demo(void) { return PyModule_Create(&demo_module); }\n"
        ),
        Example(
            "static PyModuleDef_Slot demo_slots[] = {\n    {Py_mod_exec, demo_exec},\n    {0, NULL}\n};\n"
            "PyMODINIT_FUNC PyInit_demo(void) { return PyModuleDef_Init(&demo_module); }\n"
        ),
    ]
    valid = [
        Example(
            "static PyModuleDef_Slot demo_slots[] = {\n    {Py_mod_exec, demo_exec},\n"
            "#ifdef Py_GIL_DISABLED\n    {Py_mod_gil, Py_MOD_GIL_NOT_USED},\n#endif\n    {0, NULL}\n};\n"
            "PyMODINIT_FUNC PyInit_demo(void) { return PyModuleDef_Init(&demo_module); }\n"
        ),
        Example(
            "PyMODINIT_FUNC PyInit_demo(void) {\n    PyObject *m = PyModule_Create(&demo_module);\n"
            "#ifdef Py_GIL_DISABLED\n    PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);\n#endif\n"
            "    return m;\n}\n"
        ),
    ]

    @classmethod
    def check(cls, unit):
        # The text search is only a pre-filter: a comment that mentions Py_mod_gil
        # declares nothing, so the verdict comes from identifiers in the syntax tree
        # (tree-sitter keeps the code inside #ifdef Py_GIL_DISABLED blocks).
        if _DECLARES_GIL.search(unit.text) and any(
            node.type == "identifier" and _DECLARES_GIL.fullmatch(unit.node_text(node))
            for node in unit.walk()
        ):
            return
        # Point at the slot array (multi-phase: where the fix goes), else at PyInit_*.
        for declaration in unit.root.children:
            if declaration.type == "declaration" and _SLOT_ARRAY.search(unit.node_text(declaration)):
                yield cls.finding(
                    "module slots have no {Py_mod_gil, Py_MOD_GIL_NOT_USED}: importing it on free-threaded "
                    "Python re-enables the GIL",
                    unit.location(declaration),
                )
                return
        for function in unit.functions:
            if function.name.startswith("PyInit_"):
                yield cls.finding(
                    f"{function.name}() never calls PyUnstable_Module_SetGIL and declares no Py_mod_gil "
                    "slot: "
                    "importing it on free-threaded Python re-enables the GIL",
                    unit.location(function.node),
                )
                return

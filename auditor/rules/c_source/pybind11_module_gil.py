"""FTC008: a pybind11 module that does not pass py::mod_gil_not_used()."""

from __future__ import annotations

import re

from ...model.finding import Location, Severity
from ..registry import Example, register
from . import CSourceRule

_MODULE_MACRO = "PYBIND11_MODULE"
_GIL_NOT_USED = re.compile(r"\b(?:py|pybind11)::mod_gil_not_used\s*\(\s*(?:true)?\s*\)")
# The same declaration made on the module object at run time (pybind11 >= 2.13).
_RUNTIME_DECLARATION = re.compile(r"\bPyUnstable_Module_SetGIL\b")


@register
class Pybind11ModuleGil(CSourceRule):
    """pybind11 marks a module as free-threading ready only when asked.

    Since pybind11 2.13, ``PYBIND11_MODULE(name, m, py::mod_gil_not_used())`` makes the
    generated init function declare ``Py_MOD_GIL_NOT_USED``. Without that tag, importing
    the module on free-threaded Python re-enables the GIL for the whole process.
    """

    code = "FTC008"
    name = "pybind11-module-gil"
    severity = Severity.WARNING
    summary = "PYBIND11_MODULE without py::mod_gil_not_used() (the GIL is re-enabled on import)"
    fix = (
        "Declare it once the bindings are audited: "
        "PYBIND11_MODULE(name, m, py::mod_gil_not_used()) (pybind11 >= 2.13)."
    )
    references = ["https://pybind11.readthedocs.io/en/stable/advanced/misc.html#free-threading-support"]
    invalid = [
        Example(
            "#include <pybind11/pybind11.h>\nnamespace py = pybind11;\n"
            "int add(int a, int b) { return a + b; }\n"
            'PYBIND11_MODULE(example, m) {\n    m.def("add", &add);\n}\n',
            language="cpp",
        ),
    ]
    valid = [
        Example(
            "#include <pybind11/pybind11.h>\nnamespace py = pybind11;\n"
            "int add(int a, int b) { return a + b; }\n"
            'PYBIND11_MODULE(example, m, py::mod_gil_not_used()) {\n    m.def("add", &add);\n}\n',
            language="cpp",
        ),
    ]

    @classmethod
    def check(cls, unit):
        for match in re.finditer(rf"\b{_MODULE_MACRO}\s*\(", unit.text):
            line = unit.text.count("\n", 0, match.start()) + 1
            if unit.line_text(line).startswith(("#", "//", "*", "/*")):
                continue  # a #define or a comment, not a use
            closing = unit.text.find("{", match.end())
            arguments = unit.text[match.end() : closing if closing != -1 else None]
            if _GIL_NOT_USED.search(arguments) or _RUNTIME_DECLARATION.search(unit.text):
                continue

            yield cls.finding(
                "PYBIND11_MODULE does not pass py::mod_gil_not_used(): importing it on free-threaded "
                "Python re-enables the GIL",
                Location(
                    path=unit.path,
                    line=line,
                    column=match.start() - unit.text.rfind("\n", 0, match.start()),
                    snippet=unit.line_text(line),
                ),
            )

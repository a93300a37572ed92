"""FTC009: a nanobind module built without FREE_THREADED."""

from __future__ import annotations

import re

from ...model.finding import Location, Severity
from ..registry import Example, register
from . import CSourceRule

_MODULE_MACRO = re.compile(r"\bNB_MODULE\s*\(")


@register
class NanobindModuleFreeThreaded(CSourceRule):
    """nanobind declares free-threading support from the build, not the source.

    ``nanobind_add_module(name FREE_THREADED ...)`` in CMake compiles the module with
    ``NB_FREE_THREADED``, which makes ``NB_MODULE`` declare ``Py_MOD_GIL_NOT_USED`` and
    turns on nanobind's internal locking. Without the flag the module re-enables the GIL
    on import. ftaudit reads the CMake files of the scanned tree; this finding is dropped
    when one of them passes FREE_THREADED (or the source defines NB_FREE_THREADED).
    """

    code = "FTC009"
    name = "nanobind-module-free-threaded"
    severity = Severity.WARNING
    summary = "NB_MODULE built without nanobind_add_module(... FREE_THREADED ...)"
    fix = (
        "Add FREE_THREADED to the nanobind_add_module() call in CMakeLists.txt once the bindings are audited."
    )
    references = ["https://nanobind.readthedocs.io/en/latest/free_threaded.html"]
    invalid = [
        Example(
            "#include <nanobind/nanobind.h>\nint add(int a, int b) { return a + b; }\n"
            'NB_MODULE(example, m) {\n    m.def("add", &add);\n}\n',
            language="cpp",
        ),
    ]
    valid = [
        Example(
            "#define NB_FREE_THREADED 1\n#include <nanobind/nanobind.h>\n"
            "int add(int a, int b) { return a + b; }\n"
            'NB_MODULE(example, m) {\n    m.def("add", &add);\n}\n',
            language="cpp",
            note="projects normally get the define from nanobind_add_module(FREE_THREADED)",
        ),
    ]

    @classmethod
    def check(cls, unit):
        if re.search(r"\bNB_FREE_THREADED\b", unit.text):
            return
        for match in _MODULE_MACRO.finditer(unit.text):
            line = unit.text.count("\n", 0, match.start()) + 1
            if unit.line_text(line).startswith(("#", "//", "*", "/*")):
                continue
            yield cls.finding(
                "NB_MODULE is not built with FREE_THREADED: importing it on free-threaded Python re-enables "
                "the GIL",
                Location(
                    path=unit.path,
                    line=line,
                    column=match.start() - unit.text.rfind("\n", 0, match.start()),
                    snippet=unit.line_text(line),
                ),
            )

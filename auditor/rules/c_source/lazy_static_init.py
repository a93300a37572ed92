"""FTC002: lazy initialisation of a static without synchronisation."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule


@register
class LazyStaticInit(CSourceRule):
    """``if (cache == NULL) cache = build();`` is a check-then-act race.

    Two threads can both see NULL, both build the object, and both store it: one
    reference leaks, and a third thread may read the pointer while the object it points
    to is still being filled in (no memory ordering without a lock or atomics). The GIL
    made this idiom safe as long as ``build()`` did not release it; free-threaded
    CPython does not.
    """

    code = "FTC002"
    name = "lazy-static-init"
    severity = Severity.ERROR
    summary = "static initialised lazily (check-then-set) without a lock or once-flag"
    fix = (
        "Initialise it in the module exec function, or guard the check and the store with a "
        "PyMutex (double-checked with an atomic load), or use std::call_once / pthread_once; "
        "C++ function-local statics are already initialised thread-safely."
    )
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html"]
    invalid = [
        Example(
            "static PyObject *decimal_type = NULL;\n"
            "static PyObject *get_decimal(void) {\n"
            "    if (decimal_type == NULL) {\n"
            '        decimal_type = _PyImport_GetModuleAttrString("decimal", "Decimal");\n'
            "    }\n    return decimal_type;\n}\n"
        ),
        Example(
            "static int initialised;\nstatic double table[256];\n"
            "static void ensure_table(void) {\n"
            "    if (!initialised) { fill(table); initialised = 1; }\n}\n"
        ),
    ]
    valid = [
        Example(
            "static PyMutex lock;\nstatic PyObject *decimal_type;\n"
            "static PyObject *get_decimal(void) {\n    PyMutex_Lock(&lock);\n"
            "    if (decimal_type == NULL) { decimal_type = load(); }\n"
            "    PyMutex_Unlock(&lock);\n    return decimal_type;\n}\n"
        ),
        Example(
            "#include <string>\nconst std::string &name() {\n"
            "    static const std::string value = compute();\n    return value;\n}\n",
            language="cpp",
            note="C++11 magic statics are initialised once, thread-safely",
        ),
    ]

    @classmethod
    def check(cls, unit):
        reported: set[int] = set()
        for write in unit.writes:
            if write.claimed_by != "lazy-init":
                continue
            location = unit.location(write.node)
            if location.line in reported:
                continue
            reported.add(location.line)
            yield cls.finding(
                f"`{write.variable.name}` is checked and then set in {write.function.name}() without a lock; "
                "two threads can both initialise it",
                location,
                evidence=[write.variable.declaration_text],
            )

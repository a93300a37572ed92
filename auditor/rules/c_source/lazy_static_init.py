"""FTC002: lazy initialisation of a static without synchronisation."""

from __future__ import annotations

import re

from ...collectors.source.c_model import StaticWrite
from ...collectors.source.c_vocabulary import OUT_PARAMETER_WRITERS
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
    CPython does not. The fill may be a helper handed the static's address
    (``if (!cache) import_into(..., &cache);``). The test and the store are both reported.
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
            "static PyObject *ctypes_check = NULL;\n"
            "static PyObject *get_check(void) {\n    if (ctypes_check == NULL) {\n"
            '        cache_import("numpy._core._internal", "npy_ctypes_check", &ctypes_check);\n    }\n'
            "    return ctypes_check;\n}\n",
            note="filled by a helper through the static's address",
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
        Example(
            "static PyObject *name_str;\n"
            "static PyObject *get_name(PyObject *obj) {\n"
            '    if (name_str == NULL) {\n        name_str = PyUnicode_InternFromString("name");\n    }\n'
            "    return PyObject_GetAttr(obj, name_str);\n}\n",
            note="an idempotent lookup: racing threads store the same interned string",
        ),
        Example(
            "static long page_size;\n"
            "static void *more_memory(size_t count) {\n"
            "    if (!page_size) {\n        page_size = sysconf(_SC_PAGESIZE);\n    }\n"
            "    return malloc(count * page_size);\n}\n",
            note="a system query: every thread stores the same page size",
        ),
    ]

    @classmethod
    def check(cls, unit):
        reported: set[int] = set()
        for write in [*unit.writes, *_filled_through_pointer(unit)]:
            if write.claimed_by != "lazy-init":
                continue
            guard = unit.lazy_init_guard(write)
            if guard is not None and _idempotent_lookup(unit, guard, write):
                continue
            location = unit.location(write.node)
            check_line = guard.start_point[0] + 1 if guard is not None else location.line
            if location.line not in reported:
                reported.add(location.line)
                yield cls.finding(
                    f"`{write.variable.name}` is set here in {write.function.name}() after the unlocked "
                    f"test on line {check_line}; {_why_shared(write.variable)}, so two threads can both "
                    "see it unset and both initialise it (one result leaks or is freed under the other)",
                    location,
                    evidence=[write.variable.declaration_text],
                )
            if guard is None or check_line in reported:
                continue
            reported.add(check_line)
            yield cls.finding(
                f"`{write.variable.name}` is tested here in {write.function.name}() and set on line "
                f"{location.line} with no lock in between: another thread can pass the same test before "
                "the store (check-then-act)",
                unit.location(guard.child_by_field_name("condition") or guard),
                evidence=[write.variable.declaration_text],
            )


def _filled_through_pointer(unit):
    """``if (cache == NULL) { import_into("mod", "attr", &cache); }``: a lazy fill that a helper
    makes through the static's address (numpy's npy_cache_import), as StaticWrite records."""
    for function in unit.functions:
        if function.init_only or function.caller_holds_lock:
            continue
        for node in unit.walk(function.body):
            if node.type != "call_expression":
                continue
            callee = node.child_by_field_name("function")
            if callee is None or unit.node_text(callee) in OUT_PARAMETER_WRITERS:
                continue  # libc and C-API writers are FTC013's
            for argument in unit.call_arguments(node):
                if argument.type != "pointer_expression" or not unit.node_text(argument).startswith("&"):
                    continue
                inner = argument.child_by_field_name("argument")
                if inner is None or inner.type != "identifier":
                    continue
                variable = unit.resolve(unit.node_text(inner), function)
                if variable is None or not variable.mutable:
                    continue
                protected = unit.is_protected(node, function) or unit.in_gil_only_branch(node)
                write = StaticWrite(variable=variable, node=node, function=function, protected=protected)
                if not protected and unit.lazy_init_guard(write) is not None:
                    write.claimed_by = "lazy-init"
                    yield write


def _why_shared(variable) -> str:
    if variable.function:
        return f"it is a function-level static of {variable.function}(), one copy for every thread"
    if "->" in variable.name:
        return "it is per-interpreter state that every thread reaches"
    return "it is a file-scope variable, one copy for every thread"


# Calls whose result is the same object (or an equal one) whichever thread makes it:
# losing the race leaks one reference to an immortal or interned value, nothing more.
_IDEMPOTENT_CALLS = re.compile(
    r"^\(?\s*(?:\([^()]*\)\s*)?(?:PyUnicode_InternFromString|_PyUnicode_FromId|PyUnicode_FromString|"
    r"PyBytes_FromString|PyLong_FromLong|PyLong_FromSsize_t|PyFloat_FromDouble)\s*\(\s*(?:\"[^\"]*\"|-?\d+)\s*\)\s*\)?$"
)


# Queries of the system that answer the same whichever thread asks (the page size, a
# symbol's address): two racing threads store the same word.
_SYSTEM_QUERIES = re.compile(
    r"^\(?\s*(?:\([^()]*\)\s*)?(?:sysconf|getpagesize|getauxval|get_nprocs(?:_conf)?|pathconf|"
    r"GetProcAddress|dlsym|GetModuleHandle[AW]?)\s*\([^;]*\)\s*\)?$"
)


def _idempotent_lookup(unit, guard, write) -> bool:
    """``if (!s) s = PyUnicode_InternFromString("name");`` and nothing else in the block."""
    consequence = guard.child_by_field_name("consequence")
    if consequence is None or write.node.type != "assignment_expression":
        return False
    statements = [child for child in consequence.named_children if child.type != "comment"]
    if consequence.type == "compound_statement" and len(statements) != 1:
        return False
    value = write.node.child_by_field_name("right")
    text = " ".join(unit.node_text(value).split()) if value is not None else ""
    return _IDEMPOTENT_CALLS.match(text) is not None or _SYSTEM_QUERIES.match(text) is not None

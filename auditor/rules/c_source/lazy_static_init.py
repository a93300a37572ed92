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
    (``if (!cache) import_into(..., &cache);``), or a helper of the file that sets the
    static itself (``if (stream.initialized == 0) stir();``). The test and the store are
    both reported.
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
        Example(
            "typedef struct { int initialized; unsigned char key[32]; } stream_t;\n"
            "static stream_t stream;\n"
            "static void stir(void) {\n    fill_key(stream.key);\n    stream.initialized = 1;\n}\n"
            "static void stir_if_needed(void) {\n    if (stream.initialized == 0)\n        stir();\n}\n",
            note="the test in one function, the store in the helper it calls",
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
        for guard, call, write in fills_through_helper(unit):
            condition = guard.child_by_field_name("condition") or guard
            check_line, store_line = condition.start_point[0] + 1, write.node.start_point[0] + 1
            if check_line in reported:
                continue
            reported.add(check_line)
            helper = write.function.name
            yield cls.finding(
                f"`{write.variable.name}` is tested here and, while unset, {helper}() is called "
                f"(line {call.start_point[0] + 1}), which sets it on line {store_line} with no lock: "
                f"{_why_shared(write.variable)}, so two threads can both see it unset and both run "
                f"{helper}() (check-then-act across two functions)",
                unit.location(condition),
                evidence=[write.variable.declaration_text],
            )


def _unset_test(name: str) -> re.Pattern[str]:
    """``!S``, ``S == 0``, ``S.initialized == 0``, ``!S->ready``: a test that the static (or a
    member of it) is still unset."""
    member = rf"{re.escape(name)}(?:\s*(?:\.|->)\s*\w+)?"
    return re.compile(
        rf"!\s*\(?\s*{member}\b(?!\s*(?:\.|->|\[|\())|\b{member}\s*==\s*(?:NULL|nullptr|0|false)\b"
        rf"|\b(?:NULL|nullptr|0|false)\s*==\s*{member}\b"
    )


def fills_through_helper(unit):
    """``if (stream.initialized == 0) stir();`` where ``stir()``, a function of this file,
    sets the static it was testing: the check-then-act of a lazy fill split across two
    functions (libsodium's salsa20 stream). Yields (if node, call, static, the callee's write)."""
    writes_by_function: dict[str, dict[str, object]] = {}
    for write in unit.writes:
        # A helper that tests again before its store is a lazy fill of its own, reported there;
        # the caller's test is only its fast path.
        if not write.protected and write.claimed_by != "lazy-init":
            writes_by_function.setdefault(write.function.name, {}).setdefault(write.variable.name, write)
    if not writes_by_function:
        return
    for function in unit.functions:
        if function.init_only or function.caller_holds_lock:
            continue
        for node in unit.walk(function.body):
            if node.type != "if_statement":
                continue
            condition = node.child_by_field_name("condition")
            consequence = node.child_by_field_name("consequence")
            if condition is None or consequence is None or unit.is_protected(node, function):
                continue
            tested = " ".join(unit.node_text(condition).split())
            for call in unit.walk(consequence):
                if call.type != "call_expression":
                    continue
                callee = unit.node_text(call.child_by_field_name("function") or call)
                for name, write in writes_by_function.get(callee, {}).items():
                    variable = unit.resolve(name, function)
                    if variable is write.variable and _unset_test(name).search(tested):
                        yield node, call, write
                        break
                else:
                    continue
                break


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


# System queries that fill a struct the caller hands in.
_STRUCT_QUERIES = "GetSystemInfo|GetNativeSystemInfo|uname|sysinfo"
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)


def _idempotent_lookup(unit, guard, write) -> bool:
    """``if (!s) s = PyUnicode_InternFromString("name");`` and nothing else in the block."""
    consequence = guard.child_by_field_name("consequence")
    if consequence is None or write.node.type != "assignment_expression":
        return False
    value = write.node.child_by_field_name("right")
    text = " ".join(unit.node_text(value).split()) if value is not None else ""
    block = " ".join(_COMMENT.sub(" ", unit.node_text(consequence)).split())
    # `SYSTEM_INFO si; GetSystemInfo(&si); page = si.dwPageSize;`: the answer read out of the
    # struct a system query filled, the same in every thread.
    filled = re.match(r"^([A-Za-z_]\w*)\s*\.\s*\w+$", text)
    if filled and re.search(rf"\b(?:{_STRUCT_QUERIES})\s*\(\s*&\s*{re.escape(filled.group(1))}\s*\)", block):
        return True
    statements = [child for child in consequence.named_children if child.type != "comment"]
    if consequence.type == "compound_statement" and len(statements) != 1:
        # `#ifdef _SC_PAGESIZE` arms read together: every statement stores a system query.
        stores = [" ".join(unit.node_text(statement).split()) for statement in statements]
        target = re.escape(write.variable.name)
        return all(
            (found := re.match(rf"^{target}\s*=\s*(.*?);$", store)) and _SYSTEM_QUERIES.match(found.group(1))
            for store in stores
        )
    return _IDEMPOTENT_CALLS.match(text) is not None or _SYSTEM_QUERIES.match(text) is not None

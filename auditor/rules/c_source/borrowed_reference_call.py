"""FTC003: C-API calls that return a borrowed reference from a shared container."""

from __future__ import annotations

import re

from ...collectors.source.c_races import why_container_shared
from ...collectors.source.c_syntax import CONTAINER_CONSTRUCTORS
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

# Borrowed-reference API -> the strong-reference replacement (CPython 3.13 C API; the
# free-threading extension HOWTO lists these). Tuples are immutable, so
# PyTuple_GetItem is not here.
REPLACEMENTS = {
    "PyDict_GetItem": "PyDict_GetItemRef",
    "PyDict_GetItemWithError": "PyDict_GetItemRef",
    "PyDict_GetItemString": "PyDict_GetItemStringRef",
    "_PyDict_GetItemStringWithError": "PyDict_GetItemStringRef",
    "PyDict_SetDefault": "PyDict_SetDefaultRef",
    "PyList_GetItem": "PyList_GetItemRef",
    "PyList_GET_ITEM": "PyList_GetItemRef",
    "PyWeakref_GetObject": "PyWeakref_GetRef",
    "PyWeakref_GET_OBJECT": "PyWeakref_GetRef",
    "PyImport_AddModule": "PyImport_AddModuleRef",
    "PyImport_AddModuleObject": "PyImport_AddModuleRef",
    "PyObject_GenericGetDict": "PyObject_GenericGetDict (returns a new reference) or PyObject_GetAttr",
}
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)

# Calls whose result is borrowed from a process-wide object, whatever the argument.
_ALWAYS_SHARED = {
    "PyWeakref_GetObject",
    "PyWeakref_GET_OBJECT",
    "PyImport_AddModule",
    "PyImport_AddModuleObject",
}


# Calls that change a container, or hand it to code that can: a field only ever passed to
# none of them (after set-up) is a lookup table built once and read after.
_CONTAINER_MUTATORS = (
    r"PyDict_(?:SetItem\w*|DelItem\w*|Clear|Update|Merge\w*|Pop\w*|SetDefault\w*)|"
    r"PyList_(?:Append|Insert|SetItem|SET_ITEM|SetSlice|Sort|Reverse|Extend|Clear)|"
    r"PyObject_(?:SetItem|DelItem|SetAttr\w*|DelAttr\w*)|_PyDict_\w+Item\w*"
)
_SET_UP_FUNCTION = re.compile(r"(?:_new|_init|_exec|_create|_setup|_clear|_dealloc|_traverse|_free)$")


def _field_name(text: str) -> str | None:
    """``groupindex`` for ``self->pattern->groupindex``, ``st->table``; None for a plain name."""
    match = re.fullmatch(r"[\w\s()*]*(?:->|\.)\s*([A-Za-z_]\w*)\s*", text)
    return match.group(1) if match else None


def _read_only_table(unit, argument) -> bool:
    """A container held in a field that this file fills only while setting up (module exec,
    a constructor) and never changes, rebinds or hands out afterwards: ``st->import_mapping``,
    ``pattern->groupindex``. Every thread only reads it, so what it lends stays alive."""
    field = _field_name(unit.node_text(argument))
    if field is None:
        return False
    source = _COMMENT.sub(" ", unit.source.decode("latin-1"))
    if not re.search(rf"\*\s*{re.escape(field)}\s*;", source):
        return False  # the struct is declared elsewhere: other files can change the field
    made = rf"(?:->|\.)\s*{re.escape(field)}\s*=\s*(?:\([^()]*\)\s*)?(?:{CONTAINER_CONSTRUCTORS})\s*\("
    # `st->name_mapping = PyObject_GetAttrString(compat, "NAME_MAPPING")`: a module constant
    # by Python's naming convention (PEP 8), a table nobody is meant to change.
    constant = (
        rf"(?:->|\.)\s*{re.escape(field)}\s*=\s*(?:\\\s*)?(?:PyObject_GetAttrString|_PyImport_GetModuleAttrString)"
        r"\s*\([^;]*\"[A-Z][A-Z0-9_]*\"\s*\)\s*;"
    )
    if not re.search(made, source) and not re.search(constant, source):
        return False  # taken from Python code (copyreg's registry): Python can change it
    for member_entry in re.finditer(
        rf"^.*\b(?:offsetof\s*\([^)]*|\w*OFF\s*\()\b{re.escape(field)}\b.*$", source, re.M
    ):
        if "READONLY" not in member_entry.group(0):
            return False  # a writable member: Python code can rebind the field
    for function in unit.functions:
        if function.init_only or _SET_UP_FUNCTION.search(function.name):
            continue
        body = _COMMENT.sub(" ", unit.node_text(function.body))
        member = rf"(?:->|\.)\s*{re.escape(field)}\b"
        if re.search(rf"\b(?:{_CONTAINER_MUTATORS})\s*\(\s*(?:\([^()]*\)\s*)?[\w\s()*]*{member}", body):
            return False
        if re.search(rf"{member}\s*=(?!=)|&[\w\s()*]*{member}", body):
            return False  # rebound (the old table freed) or its slot handed out
        if re.search(rf"\b(?:Py_X?NewRef|Py_X?INCREF|return)\s*\(?[\w\s()*]*{member}\s*\)?\s*;", body):
            return False  # handed to Python code, which can change it
    return True


def _only_compared(unit, call) -> bool:
    """``if (PyDict_GetItem(d, k) == NULL)``, ``if (PyWeakref_GET_OBJECT(r) == obj)``: the
    borrowed pointer is tested or compared for identity and never dereferenced, so it
    cannot dangle. (Kept as a value, passed on or returned, it can.)"""
    child, parent = call, unit.parent_of(call)
    while parent is not None and parent.type == "parenthesized_expression":
        child, parent = parent, unit.parent_of(parent)
    if parent is None:
        return False
    if parent.type == "binary_expression":
        operator = parent.child_by_field_name("operator")
        return operator is not None and unit.node_text(operator) in ("==", "!=")
    if parent.type == "unary_expression":
        return unit.node_text(parent).startswith("!")
    if parent.type in ("if_statement", "while_statement", "condition_clause"):
        return parent.child_by_field_name("condition") == child or parent.type == "condition_clause"
    return False


@register
class BorrowedReferenceCall(CSourceRule):
    """A borrowed reference is only valid while something else keeps the object alive.

    With the GIL, the container holding the object could not change between the call
    and the use of its result. Without it, another thread can replace the dict entry or
    list item (or the last strong reference to a weakly referenced object can go) right
    after the call, and the borrowed pointer dangles: a use-after-free that no test
    under the GIL ever shows.

    Not reported: containers created in the same function (no one else can see them),
    results only tested or compared for identity (``PyDict_GetItem(d, k) == NULL``), which
    are never dereferenced, the keyword-arguments dict of the call, the thread's own dict
    (PyThreadState_GetDict),
    calls made inside a critical section, module initialisation code, and arms the
    free-threaded build never compiles (``#if PY_VERSION_HEX < 0x030D0000``).
    """

    code = "FTC003"
    name = "borrowed-reference-call"
    severity = Severity.WARNING
    summary = "borrowed-reference C-API call on a container other threads can reach"
    fix = (
        "Use the strong-reference variant (PyDict_GetItemRef, PyList_GetItemRef, "
        "PyWeakref_GetRef, PyDict_SetDefaultRef, PyImport_AddModuleRef) and Py_DECREF the "
        "result when done, or hold Py_BEGIN_CRITICAL_SECTION(container) around the use."
    )
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html#borrowed-references"]
    invalid = [
        Example(
            "static PyObject *lookup(PyObject *self, PyObject *key) {\n"
            "    PyObject *registry = get_registry(self);\n"
            "    PyObject *value = PyDict_GetItem(registry, key);\n"
            "    return Py_XNewRef(value);\n}\n"
        ),
        Example(
            "static PyObject *deref(PyObject *self, PyObject *ref) {\n"
            "    PyObject *target = PyWeakref_GetObject(ref);\n"
            "    return Py_NewRef(target);\n}\n"
        ),
        Example(
            "static PyObject *first(PyObject *self, PyObject *items) {\n"
            "    return Py_NewRef(PyList_GET_ITEM(items, 0));\n}\n"
        ),
        Example(
            "static PyObject *get(CacheObject *self, PyObject *key) {\n"
            "    return Py_XNewRef(PyDict_GetItemWithError(self->entries, key));\n}\n"
            "static int put(CacheObject *self, PyObject *key, PyObject *value) {\n"
            "    return PyDict_SetItem(self->entries, key, value);\n}\n",
            note="another method changes the same field's dict",
        ),
    ]
    valid = [
        Example(
            "typedef struct {\n    PyObject *renames;\n} State;\n"
            "static int module_exec(PyObject *module) {\n    State *st = get_state(module);\n"
            "    st->renames = PyDict_New();\n"
            '    return PyDict_SetItemString(st->renames, "old", Py_None);\n}\n'
            "static PyObject *rename(PyObject *module, PyObject *name) {\n"
            "    State *st = get_state(module);\n"
            "    return Py_XNewRef(PyDict_GetItemWithError(st->renames, name));\n}\n",
            note="a table filled at module exec and only read afterwards",
        ),
        Example(
            "typedef struct {\n    PyObject *name_mapping;\n} State;\n"
            "static int module_exec(PyObject *module) {\n    State *st = get_state(module);\n"
            '    PyObject *compat = PyImport_ImportModule("_compat_names");\n'
            '    st->name_mapping = PyObject_GetAttrString(compat, "NAME_MAPPING");\n'
            "    Py_XDECREF(compat);\n    return st->name_mapping ? 0 : -1;\n}\n"
            "static PyObject *rename(PyObject *module, PyObject *key) {\n"
            "    State *st = get_state(module);\n"
            "    return Py_XNewRef(PyDict_GetItemWithError(st->name_mapping, key));\n}\n",
            note="an UPPER_CASE module constant, taken at exec and never changed",
        ),
        Example(
            "static PyObject *lookup(PyObject *self, PyObject *key) {\n"
            "    PyObject *value;\n"
            "    if (PyDict_GetItemRef(get_registry(self), key, &value) < 0) return NULL;\n"
            "    return value;\n}\n"
        ),
        Example(
            "static PyObject *build(PyObject *self, PyObject *args) {\n"
            "    PyObject *result = PyList_New(2);\n"
            "    PyObject *item = PyList_GET_ITEM(result, 0);\n"
            "    return result;\n}\n",
            note="a list created here is private to this thread",
        ),
        Example(
            "static PyObject *split_path(PyObject *name) {\n"
            "    PyObject *parts = PyUnicode_Split(name, dot, -1);\n    if (parts == NULL) return NULL;\n"
            "    return parts;\n}\n"
            "static PyObject *last_part(PyObject *self, PyObject *name) {\n"
            "    PyObject *parts = split_path(name);\n"
            "    PyObject *last = Py_NewRef(PyList_GET_ITEM(parts, PyList_GET_SIZE(parts) - 1));\n"
            "    Py_DECREF(parts);\n    return last;\n}\n",
            note="a helper of this file that returns only a list it made",
        ),
        Example(
            "static int known(PyObject *self, PyObject *key) {\n"
            "    return PyDict_GetItem(get_registry(self), key) != NULL;\n}\n",
            note="only compared: the borrowed pointer is never used",
        ),
        Example(
            "static PyObject *first(PyObject *self, PyObject *items) {\n"
            "    PyObject *item;\n    Py_BEGIN_CRITICAL_SECTION(items);\n"
            "    item = Py_NewRef(PyList_GET_ITEM(items, 0));\n    Py_END_CRITICAL_SECTION();\n"
            "    return item;\n}\n"
        ),
    ]

    @classmethod
    def check(cls, unit):
        for call, name, function in unit.calls(REPLACEMENTS):
            if function is None or unit.runs_at_import(call, function) or unit.is_protected(call, function):
                continue
            if unit.in_gil_only_branch(call):
                continue  # `#if PY_VERSION_HEX < 0x030D0000`: the free-threaded build never compiles it
            arguments = unit.call_arguments(call)
            if name not in _ALWAYS_SHARED and arguments and unit.is_private_object(arguments[0], function):
                continue
            if _only_compared(unit, call):
                continue
            if name not in _ALWAYS_SHARED and arguments and _read_only_table(unit, arguments[0]):
                continue
            replacement = REPLACEMENTS[name]
            why = (
                "the imported module table is shared by every thread"
                if name.startswith("PyImport")
                else "the referent's last strong reference can go in another thread"
                if name.startswith("PyWeakref")
                else why_container_shared(unit, arguments[0] if arguments else None, function)
            )
            yield cls.finding(
                f"{name}() returns a borrowed reference that another thread can invalidate ({why}); "
                f"use {replacement}() (new reference) or a critical section",
                unit.location(call),
                fix=f"replace {name}() with {replacement}() and Py_DECREF the result when done",
            )

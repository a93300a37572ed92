"""FTC021: a shared dict or list looked up (or measured) and then changed, with no lock between."""

from __future__ import annotations

import re

from ...collectors.source.c_races import is_python_object
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

# The check: what a thread learns about the container before it acts on it.
_LOOKUPS = {
    "PyDict_GetItem",
    "PyDict_GetItemWithError",
    "PyDict_GetItemRef",
    "PyDict_GetItemString",
    "PyDict_GetItemStringRef",
    "PyDict_Contains",
    "PyDict_ContainsString",
    "PySequence_Contains",
    "PySet_Contains",
}
# Attributes of a module every thread imports: the same check-then-insert, keyed by name.
_ATTRIBUTE_LOOKUPS = {
    "PyObject_GetAttr",
    "PyObject_GetAttrString",
    "PyObject_GetOptionalAttr",
    "PyObject_GetOptionalAttrString",
    "PyObject_HasAttr",
    "PyObject_HasAttrString",
    "PyObject_HasAttrWithError",
    "PyObject_HasAttrStringWithError",
}
_ATTRIBUTE_INSERTS = {"PyObject_SetAttr", "PyObject_SetAttrString", "PyModule_AddObjectRef", "PyModule_Add"}
# Where a module object comes from: one per interpreter, reached by every thread that imports it.
_MODULE_SOURCE = re.compile(
    r"=\s*(?:\([^()]*\)\s*)?(PyImport_ImportModule\w*|PyImport_AddModule\w*|PyImport_GetModule|"
    r"PyImport_Import|PySys_GetObject|PyEval_GetBuiltins|PyImport_GetModuleDict|\w*Fetch\w*Module\w*)\s*\("
)
_SIZES = {
    "PyList_Size",
    "PyList_GET_SIZE",
    "PySequence_Length",
    "PySequence_Size",
    "PySequence_Fast_GET_SIZE",
}
# The act: an insert that assumes the lookup still holds, or an index that assumes the size does.
# PyDict_SetDefault(Ref) is not one: it is the atomic get-or-insert this rule's fix asks
# for, and a lookup before it is a fast path (zoneinfo's timedelta cache), not a race.
_INSERTS = {
    "PyDict_SetItem",
    "PyDict_SetItemString",
    "PyList_Append",
    "PyList_Insert",
    "PySet_Add",
}
_INDEXES = {"PyList_GET_ITEM", "PyList_GetItem", "PyList_GetItemRef", "PySequence_Fast_GET_ITEM"}
_CAST = re.compile(r"^\(\s*[A-Za-z_][\w\s]*\*\s*\)\s*")
_CONSTRUCTION = re.compile(r"(?:_new|_init|_init_*_impl|_dealloc|_clear|_traverse|_exec|_finalize)$")


def _container(unit, call) -> str | None:
    arguments = unit.call_arguments(call)
    if not arguments:
        return None
    return _CAST.sub("", re.sub(r"\s+", " ", unit.node_text(arguments[0])).strip()).replace(" ", "")


def _same_name(unit, check, act) -> bool:
    """An attribute check and set name the same attribute (the second argument)."""
    check_arguments, act_arguments = unit.call_arguments(check), unit.call_arguments(act)
    if len(check_arguments) < 2 or len(act_arguments) < 2:
        return False
    return unit.node_text(check_arguments[1]).strip() == unit.node_text(act_arguments[1]).strip()


@register
class SharedContainerCheckThenAct(CSourceRule):
    """``if (!PyDict_GetItem(cache, k)) PyDict_SetItem(cache, k, v);`` on a dict every thread reaches.

    A lookup followed by an insert, or a size read followed by indexing, is two steps;
    the GIL used to keep other threads out between them. Without it, a second thread
    inserts the same key (one value is lost, and a caller that returns the value it
    inserted as a borrowed pointer can be handed a freed object), or removes items so
    the index read past the new end returns NULL or garbage. Each dict or list call is
    atomic in the free-threaded build; the pair is not.

    Reported when the container is shared by construction: a static (file scope or
    function-level), a field of the module state, or a field of a Python object the
    function was handed (``ufunc->_loops``, directly or through a local copy of the
    pointer). Both calls are reported. Not reported: containers the function created,
    code under a lock or ``Py_BEGIN_CRITICAL_SECTION``, module initialisation.
    """

    code = "FTC021"
    name = "shared-container-check-then-act"
    severity = Severity.WARNING
    summary = "a shared dict or list is looked up or measured, then changed or indexed, without a lock"
    fix = (
        "Hold Py_BEGIN_CRITICAL_SECTION(container) across the check and the act, or use one atomic call "
        "(PyDict_SetDefaultRef for get-or-insert, PyList_GetItemRef and a NULL check for indexing)."
    )
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html"]
    invalid = [
        Example(
            "static PyObject *registry;\n"
            "static int add(PyObject *key, PyObject *value) {\n"
            "    PyObject *old = PyDict_GetItemWithError(registry, key);\n"
            "    if (old == NULL && !PyErr_Occurred()) {\n"
            "        return PyDict_SetItem(registry, key, value);\n    }\n    return 0;\n}\n"
        ),
        Example(
            "static int add_loop(PyUFuncObject *ufunc, PyObject *info) {\n"
            "    PyObject *loops = ufunc->_loops;\n    Py_ssize_t length = PyList_Size(loops);\n"
            "    for (Py_ssize_t i = 0; i < length; i++) {\n"
            "        if (PyList_GET_ITEM(loops, i) == info) return 0;\n    }\n"
            "    return PyList_Append(loops, info);\n}\n",
            note="a list held by the object the caller passed",
        ),
        Example(
            "static PyObject *shared_type(PyType_Spec *spec) {\n"
            '    PyObject *abi = PyImport_ImportModule("_demo_abi");\n    if (abi == NULL) return NULL;\n'
            '    PyObject *type = PyObject_GetAttrString(abi, "Cell");\n    if (type == NULL) {\n'
            "        PyErr_Clear();\n        type = PyType_FromSpec(spec);\n"
            '        if (type && PyObject_SetAttrString(abi, "Cell", type) < 0) Py_CLEAR(type);\n    }\n'
            "    Py_DECREF(abi);\n    return type;\n}\n",
            note="two threads both miss the attribute of the module every thread imports, and each "
            "creates and publishes its own type",
        ),
    ]
    valid = [
        Example(
            "static PyObject *cache;\n"
            "static PyObject *get(PyObject *key, PyObject *made) {\n    PyObject *value;\n"
            "    if (PyDict_GetItemRef(cache, key, &value) == 0) {\n"
            "        PyDict_SetDefaultRef(cache, key, made, &value);\n    }\n    return value;\n}\n",
            note="PyDict_SetDefaultRef inserts or returns the winner's value in one step",
        ),
        Example(
            "static PyObject *build(PyObject *keys) {\n    PyObject *d = PyDict_New();\n"
            "    if (d && PyDict_GetItemWithError(d, keys) == NULL) PyDict_SetItem(d, keys, Py_None);\n"
            "    return d;\n}\n",
            note="a dict made here is private to this thread",
        ),
        Example(
            "static PyObject *registry;\n"
            "static int add(PyObject *key, PyObject *value) {\n    int rc = 0;\n"
            "    Py_BEGIN_CRITICAL_SECTION(registry);\n"
            "    if (PyDict_GetItemWithError(registry, key) == NULL && !PyErr_Occurred()) {\n"
            "        rc = PyDict_SetItem(registry, key, value);\n    }\n"
            "    Py_END_CRITICAL_SECTION();\n    return rc;\n}\n",
        ),
        Example(
            "static int add(PyObject *mapping, PyObject *key) {\n"
            "    if (PyDict_GetItemWithError(mapping, key) == NULL)\n"
            "        return PyDict_SetItem(mapping, key, Py_None);\n"
            "    return 0;\n}\n",
            note="a plain argument: whether the caller shares it is FTC003's and FTC004's question",
        ),
    ]

    @classmethod
    def check(cls, unit):
        names = _LOOKUPS | _SIZES | _INSERTS | _INDEXES | _ATTRIBUTE_LOOKUPS | _ATTRIBUTE_INSERTS
        by_function: dict[int, list] = {}
        for call, name, function in unit.calls(names):
            if function is None or function.init_only or function.caller_holds_lock:
                continue
            if _CONSTRUCTION.search(function.name) or unit.in_gil_only_branch(call):
                continue
            container = _container(unit, call)
            if container:
                by_function.setdefault(id(function), []).append((call, name, function, container))
        reported: set[int] = set()
        for calls in by_function.values():
            yield from cls._pairs(unit, calls, reported)

    @classmethod
    def _pairs(cls, unit, calls, reported: set[int]):
        for index, (check, check_name, function, container) in enumerate(calls):
            acts = (
                _INSERTS
                if check_name in _LOOKUPS
                else _INSERTS | _INDEXES
                if check_name in _SIZES
                else _ATTRIBUTE_INSERTS
                if check_name in _ATTRIBUTE_LOOKUPS
                else None
            )
            if acts is None or unit.is_protected(check, function):
                continue
            later_acts = [
                later
                for later in calls[index + 1 :]
                if later[1] in acts
                and later[3] == container
                and later[0].start_point[0] > check.start_point[0]
                and (check_name not in _ATTRIBUTE_LOOKUPS or _same_name(unit, check, later[0]))
            ]
            # The first index read and every insert: each insert trusts the same stale answer.
            first_index = next((later for later in later_acts if later[1] in _INDEXES), None)
            later_acts = [later for later in later_acts if later[1] not in _INDEXES or later is first_index]
            later_acts = [later for later in later_acts if not unit.is_protected(later[0], function)]
            if not later_acts:
                continue
            why = cls._shared(unit, function, container)
            if why is None:
                continue
            check_line = check.start_point[0] + 1
            act_lines = [later[0].start_point[0] + 1 for later in later_acts]
            step = "reads the size of" if check_name in _SIZES else "looks up"
            if check_line not in reported:
                reported.add(check_line)
                act_names = ", ".join(sorted({later[1] + "()" for later in later_acts}))
                lines_text = ", ".join(str(line) for line in act_lines[:4])
                yield cls.finding(
                    f"{function.name}() {step} `{container}` here with {check_name}() and acts on the answer "
                    f"with {act_names} on line {lines_text}, with no lock: another thread can change it in "
                    f"between ({why})",
                    unit.location(check),
                )
            for (act, act_name, _, _), act_line in zip(later_acts, act_lines, strict=True):
                if act_line in reported:
                    continue
                reported.add(act_line)
                yield cls.finding(
                    f"{act_name}() here in {function.name}() relies on the {check_name}() of line "
                    f"{check_line}; without a lock another thread can have changed `{container}` "
                    f"since ({why})",
                    unit.location(act),
                )

    @staticmethod
    def _shared(unit, function, container: str) -> str | None:
        """Why the container is shared, or None when nothing shows it is."""
        if unit.is_private_object_name(container, function):
            return None
        expression = container
        if re.fullmatch(r"[A-Za-z_]\w*", container) and container in function.locals:
            # `loops = ufunc->_loops;` then `PyList_Append(loops, ...)`.
            body = unit.node_text(function.body)
            copied = re.search(
                rf"\b{re.escape(container)}\s*=\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*\s*->\s*\w+)\s*;", body
            )
            if copied is None:
                module = re.search(rf"\b{re.escape(container)}\s*{_MODULE_SOURCE.pattern}", body)
                if module is not None:
                    return (
                        f"`{container}` is a module object from {module.group(1)}(), one per interpreter, "
                        "which every thread that imports it reaches"
                    )
                return None
            expression = re.sub(r"\s+", "", copied.group(1))
        # `NPY_DT_SLOTS(from)->castingimpls`: a field reached through an accessor of `from`.
        root = re.match(r"(?:[A-Z][A-Za-z0-9_]*\(\s*(?:\([^()]*\)\s*)?)?([A-Za-z_]\w*)", expression)
        if root is None:
            return None
        root_name = root.group(1)
        variable = unit.resolve(root_name, function)
        if variable is not None and variable.mutable:
            where = f"a function-level static of {variable.function}()" if variable.function else "a static"
            return f"`{root_name}` is {where}, one copy for every thread"
        owner = root_name
        if "->" not in expression:
            return None
        if owner in function.state_pointers:
            kind = function.state_kinds.get(owner, "module state")
            return f"`{expression}` is {kind}, which every thread of the interpreter reaches"
        if owner in function.parameters and is_python_object(unit, owner, function):
            return f"`{owner}` is an object the caller passed in, which other threads can hold too"
        return None

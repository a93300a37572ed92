"""FTC004: PyDict_Next / PySequence_Fast_ITEMS over shared objects without a critical section."""

from __future__ import annotations

from ...collectors.source.c_races import why_container_shared
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

_ITERATION_CALLS = {
    "PyDict_Next": "PyDict_Next",
    "PySequence_Fast_ITEMS": "PySequence_Fast_ITEMS",
    "PySequence_Fast_GET_ITEM": "PySequence_Fast_GET_ITEM",
}


@register
class UnlockedContainerIteration(CSourceRule):
    """Iterating a dict or list through its internal storage needs the object's lock.

    ``PyDict_Next`` walks the dict's entry table and ``PySequence_Fast_ITEMS`` hands out
    the list's item array. Another thread that inserts into the dict or appends to the
    list can reallocate that storage mid-loop: the loop reads freed memory or skips and
    repeats entries. CPython's own code wraps such loops in
    ``Py_BEGIN_CRITICAL_SECTION(obj)`` (Include/cpython/critical_section.h); the HOWTO
    says the same for extensions.

    Not reported: containers created in the same function (PyDict_Copy, PyMapping_Items,
    PyUnicode_Split...), the call's kwargs dict, loops already inside a critical section
    or lock, module initialisation, and ``#ifndef Py_GIL_DISABLED`` arms.
    """

    code = "FTC004"
    name = "unlocked-container-iteration"
    severity = Severity.ERROR
    summary = "PyDict_Next / PySequence_Fast_ITEMS over a shared object without a critical section"
    fix = (
        "Wrap the loop in Py_BEGIN_CRITICAL_SECTION(obj) ... Py_END_CRITICAL_SECTION(), or iterate "
        "a private copy (PyDict_Copy, PySequence_List)."
    )
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html#pydict-next"]
    invalid = [
        Example(
            "static int count_ints(PyObject *mapping) {\n"
            "    Py_ssize_t pos = 0; PyObject *key, *value; int n = 0;\n"
            "    while (PyDict_Next(mapping, &pos, &key, &value)) { n += PyLong_Check(value); }\n"
            "    return n;\n}\n"
        ),
        Example(
            "static Py_ssize_t sum(PyObject *self, PyObject *seq) {\n"
            '    PyObject *fast = PySequence_Fast(seq, "expected a sequence");\n'
            "    PyObject **items = PySequence_Fast_ITEMS(fast);\n"
            "    return use(items);\n}\n"
        ),
    ]
    valid = [
        Example(
            "static int count_ints(PyObject *mapping) {\n"
            "    Py_ssize_t pos = 0; PyObject *key, *value; int n = 0;\n"
            "    Py_BEGIN_CRITICAL_SECTION(mapping);\n"
            "    while (PyDict_Next(mapping, &pos, &key, &value)) { n += PyLong_Check(value); }\n"
            "    Py_END_CRITICAL_SECTION();\n    return n;\n}\n"
        ),
        Example(
            "static PyObject *options(PyObject *self, PyObject *args, PyObject *kwds) {\n"
            "    Py_ssize_t pos = 0; PyObject *key, *value;\n"
            "    while (kwds && PyDict_Next(kwds, &pos, &key, &value)) { check(key); }\n"
            "    Py_RETURN_NONE;\n}\n",
            note="kwargs dicts are built per call",
        ),
    ]

    @classmethod
    def check(cls, unit):
        for call, name, function in unit.calls(_ITERATION_CALLS):
            if function is None or unit.runs_at_import(call, function) or unit.is_protected(call, function):
                continue
            if unit.in_gil_only_branch(call):
                continue  # `#ifndef Py_GIL_DISABLED`: the free-threaded build never compiles it
            arguments = unit.call_arguments(call)
            if arguments and unit.is_private_object(arguments[0], function):
                continue
            target = unit.node_text(arguments[0]) if arguments else "the object"
            why = why_container_shared(unit, arguments[0] if arguments else None, function)
            yield cls.finding(
                f"{name}({target}, ...) reads the container's storage while other threads may resize it; "
                f"no critical section is held ({why})",
                unit.location(call),
            )

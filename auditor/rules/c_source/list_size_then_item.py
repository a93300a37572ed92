"""FTC029: a list's size checked, then items read at fixed positions without bounds checks."""

from __future__ import annotations

import re

from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

_SIZE = re.compile(r"^(PyList_GET_SIZE|PySequence_Fast_GET_SIZE)$")
_ITEM = {"PyList_GET_SIZE": "PyList_GET_ITEM", "PySequence_Fast_GET_SIZE": "PySequence_Fast_GET_ITEM"}
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)


@register
class ListSizeThenItem(CSourceRule):
    """``if (PyList_GET_SIZE(item) != 2) fail; key = PyList_GET_ITEM(item, 0);`` on a list
    the function did not create.

    Checking a list's length and then reading fixed positions with the unchecked macros
    is a check-then-act: another thread holding the same list (an element of a sequence
    the caller passed, or the caller's list that ``PySequence_Fast`` hands back as it is)
    can shrink it in between, and ``PyList_GET_ITEM`` reads past the end. Tuples cannot
    change and are not reported.

    Reported at the size read: ``PyList_GET_SIZE(x)`` / ``PySequence_Fast_GET_SIZE(x)``
    followed in the same function by ``PyList_GET_ITEM(x, <constant>)``, where ``x`` was
    not created by the function, with no lock or critical section.
    """

    code = "FTC029"
    name = "list-size-then-item"
    severity = Severity.WARNING
    summary = "a list's size is checked and its items then read unchecked, while other threads can resize it"
    fix = (
        "Hold the list's critical section (Py_BEGIN_CRITICAL_SECTION(x), or "
        "Py_BEGIN_CRITICAL_SECTION_SEQUENCE_FAST) across the check and the reads, or take the items with "
        "PyList_GetItemRef, which checks the index."
    )
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html"]
    invalid = [
        Example(
            "static int pair_from(PyObject *item, PyObject **key, PyObject **value) {\n"
            "    if (!PyList_CheckExact(item) || PyList_GET_SIZE(item) != 2) {\n        return -1;\n    }\n"
            "    *key = Py_NewRef(PyList_GET_ITEM(item, 0));\n"
            "    *value = Py_NewRef(PyList_GET_ITEM(item, 1));\n    return 0;\n}\n"
        ),
    ]
    valid = [
        Example(
            "static int pair_from(PyObject *item, PyObject **key, PyObject **value) {\n"
            "    if (!PyTuple_CheckExact(item) || PyTuple_GET_SIZE(item) != 2) {\n        return -1;\n    }\n"
            "    *key = Py_NewRef(PyTuple_GET_ITEM(item, 0));\n"
            "    *value = Py_NewRef(PyTuple_GET_ITEM(item, 1));\n    return 0;\n}\n",
            note="a tuple cannot change size",
        ),
        Example(
            "static PyObject *first(PyObject *a, PyObject *b) {\n"
            "    PyObject *list = PyList_New(2);\n    if (list == NULL || PyList_GET_SIZE(list) != 2) {\n"
            "        return NULL;\n    }\n    return Py_NewRef(PyList_GET_ITEM(list, 0));\n}\n",
            note="the list is the function's own",
        ),
    ]

    @classmethod
    def check(cls, unit):
        for function in unit.functions:
            if function.init_only or function.caller_holds_lock:
                continue
            body = _COMMENT.sub(lambda m: " " * len(m.group(0)), unit.node_text(function.body))
            reported = set()
            for call in unit.walk(function.body):
                if call.type != "call_expression":
                    continue
                callee = call.child_by_field_name("function")
                size_macro = unit.node_text(callee) if callee is not None else ""
                arguments = unit.call_arguments(call)
                if not _SIZE.match(size_macro) or len(arguments) != 1 or arguments[0].type != "identifier":
                    continue
                name = unit.node_text(arguments[0])
                if name in reported or unit.is_private_object(arguments[0], function):
                    continue
                if unit.is_protected(call, function) or unit.in_gil_only_branch(call):
                    continue
                after = body[call.end_byte - function.body.start_byte :]
                item = re.search(rf"\b{_ITEM[size_macro]}\s*\(\s*{re.escape(name)}\s*,\s*\d+\s*\)", after)
                if item is None:
                    continue
                reported.add(name)
                item_line = call.end_point[0] + 1 + after[: item.start()].count("\n")
                yield cls.finding(
                    f"{function.name}() checks the size of `{name}` here and reads fixed items of it on line "
                    f"{item_line} with {_ITEM[size_macro]}, which does not check bounds: `{name}` was not "
                    f"created in {function.name}(), so another thread holding the list can shrink it in "
                    "between",
                    unit.location(call),
                )

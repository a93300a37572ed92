"""FTC028: an index found in the caller's list, then used to change that list, with no lock."""

from __future__ import annotations

import re

from ...collectors.source.c_races import why_container_shared
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

# Calls that change a list at an index: (function, position of the index argument).
_MUTATORS = {
    "PyList_SetSlice": 1,
    "PyList_SetItem": 1,
    "PyList_SET_ITEM": 1,
    "PyList_Insert": 1,
    "PySequence_DelItem": 1,
    "PySequence_SetItem": 1,
    "PySequence_DelSlice": 1,
    "PySequence_SetSlice": 1,
}
_CAST = re.compile(r"^\([^()]*\)\s*")


def _plain(unit, node) -> str:
    return _CAST.sub("", " ".join(unit.node_text(node).split()))


@register
class FindThenMutate(CSourceRule):
    """``i = find(list, x); ...; PyList_SetSlice(list, i, i + 1, NULL);`` on a list the caller owns.

    Looking an item up and then removing or replacing it by position is two steps on
    a list other threads can change: between them another thread inserts or removes an
    item, and the index now names a different element (the wrong item is removed) or
    lies past the end. Under the GIL nothing ran in between unless the lookup called
    back into Python; in the free-threaded build anything can.

    Reported: a local set from a call that takes a list parameter of the function,
    later passed as the index to a call that changes the same list (``PyList_SetSlice``,
    ``PyList_SetItem``, ``PyList_Insert``, ``PySequence_DelItem``...), with no lock or
    critical section around both. Both lines are reported.
    """

    code = "FTC028"
    name = "find-then-mutate"
    severity = Severity.WARNING
    summary = "an index is found in a shared list and then used to change it, with no lock between"
    fix = (
        "Hold the list's critical section (Py_BEGIN_CRITICAL_SECTION(list)) around the lookup and the "
        'change, or call one operation that does both (PyObject_CallMethod(list, "remove", ...)).'
    )
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html"]
    invalid = [
        Example(
            "int list_remove(PyObject *list, PyObject *obj) {\n"
            "    Py_ssize_t index = find_item(list, obj);\n    if (index < 0) {\n        return -1;\n    }\n"
            "    return PyList_SetSlice(list, index, index + 1, NULL);\n}\n"
        ),
    ]
    valid = [
        Example(
            "int list_remove(PyObject *list, PyObject *obj) {\n    int r;\n"
            "    Py_BEGIN_CRITICAL_SECTION(list);\n    Py_ssize_t index = find_item(list, obj);\n"
            "    r = index < 0 ? -1 : PyList_SetSlice(list, index, index + 1, NULL);\n"
            "    Py_END_CRITICAL_SECTION();\n    return r;\n}\n"
        ),
        Example(
            "int list_clear_first(PyObject *list) {\n    return PyList_SetSlice(list, 0, 1, NULL);\n}\n",
            note="a fixed position, not one found by a lookup",
        ),
    ]

    @classmethod
    def check(cls, unit):
        for function in unit.functions:
            if function.init_only or function.caller_holds_lock:
                continue
            found: dict[tuple[str, str], object] = {}
            for node in unit.walk(function.body):
                if node.type in ("init_declarator", "assignment_expression"):
                    cls._note_lookup(unit, function, node, found)
                elif node.type == "call_expression":
                    yield from cls._mutation(unit, function, node, found)

    @staticmethod
    def _note_lookup(unit, function, node, found) -> None:
        if node.type == "init_declarator":
            target, value = node.child_by_field_name("declarator"), node.child_by_field_name("value")
        else:
            target, value = node.child_by_field_name("left"), node.child_by_field_name("right")
        if target is None or value is None or target.type != "identifier" or value.type != "call_expression":
            return
        callee = value.child_by_field_name("function")
        if callee is None or unit.node_text(callee) in _MUTATORS:
            return
        for argument in unit.call_arguments(value):
            name = _plain(unit, argument)
            if name in function.parameters and not unit.is_protected(value, function):
                found[(unit.node_text(target), name)] = value

    @classmethod
    def _mutation(cls, unit, function, call, found):
        callee = call.child_by_field_name("function")
        position = _MUTATORS.get(unit.node_text(callee)) if callee is not None else None
        arguments = unit.call_arguments(call)
        if position is None or len(arguments) <= position:
            return
        container, index = _plain(unit, arguments[0]), _plain(unit, arguments[position])
        lookup = found.get((index, container))
        if lookup is None or unit.is_protected(call, function) or unit.in_gil_only_branch(call):
            return
        lookup_line, change_line = lookup.start_point[0] + 1, call.start_point[0] + 1
        why = why_container_shared(unit, arguments[0], function)
        finder = unit.node_text(lookup.child_by_field_name("function"))
        changer = unit.node_text(callee)
        yield cls.finding(
            f"{function.name}() finds `{index}` in `{container}` here with {finder}() and changes the list "
            f"at that index on line {change_line} with no lock: another thread can shift the items in "
            f"between ({why})",
            unit.location(lookup),
        )
        yield cls.finding(
            f"{function.name}() calls {changer}() here at the index found on line {lookup_line}, which "
            f"another thread may have made stale ({why})",
            unit.location(call),
        )

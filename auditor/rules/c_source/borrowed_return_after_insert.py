"""FTC019: a new reference handed to a shared container, released, then returned as borrowed."""

from __future__ import annotations

import re

from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

# C-API calls that store a new reference to their value argument (index) in a container.
_INSERTS = {
    "PyDict_SetItem": 2,
    "PyDict_SetItemString": 2,
    "PyList_Append": 1,
    "PySet_Add": 1,
    "PyObject_SetAttr": 2,
    "PyObject_SetAttrString": 2,
    "PyObject_SetItem": 2,
}
# A helper that stores its argument somewhere (numpy's PyUFunc_AddLoop(ufunc, info, ...)).
_STORING_HELPER = re.compile(
    r"(?:add|append|insert|register|store|setitem|setdefault|cache|put)", re.IGNORECASE
)
# C-API calls that steal the reference or only read: not a store that outlives the call.
_STEALING = ("Py_", "PyTuple_", "PyList_SetItem", "PyModule_Add", "PyArg_")
_RELEASE = re.compile(r"^Py_X?DECREF\s*\(\s*(?:\([^()]*\)\s*)?(\w+)\s*\)$")


def _next_statement(unit, statement):
    """The statement that runs after ``statement``: its next sibling, or, when it ends the
    block of an ``if`` (``if (!v) { ...; Py_DECREF(v); } return v;``), what follows the ``if``."""
    node = statement
    while node is not None:
        following = node.next_named_sibling
        while following is not None and following.type == "comment":
            following = following.next_named_sibling
        if following is not None:
            return following
        block = unit.parent_of(node)
        owner = unit.parent_of(block) if block is not None else None
        if block is None or block.type != "compound_statement" or owner is None:
            return None
        if owner.type == "else_clause":
            owner = unit.parent_of(owner)
        if owner is None or owner.type != "if_statement":
            return None
        node = owner
    return None


@register
class BorrowedReturnAfterInsert(CSourceRule):
    """``PyDict_SetItem(d, k, v); Py_DECREF(v); return v;`` returns a pointer only ``d`` owns.

    With the GIL nothing could replace ``d[k]`` between the insert and the caller's use
    of the result. Without it another thread's insert of the same key drops the last
    reference and the caller holds freed memory. numpy's
    ``add_and_return_legacy_wrapping_ufunc_loop`` did this with the ufunc's list of
    loops, and was rewritten to return a strong reference.

    The insert is a C-API call (``PyDict_SetItem``, ``PyList_Append``...) or a helper whose
    name says it stores (``PyUFunc_AddLoop(ufunc, info, ...)``, ``registry_add``).
    Reported when the container is not a fresh local of the function (a dict built here
    cannot be seen by another thread yet) and the released name is returned right after.
    """

    code = "FTC019"
    name = "borrowed-return-after-insert"
    severity = Severity.ERROR
    summary = "a reference released after inserting it into a shared container is returned as borrowed"
    fix = (
        "Return the new (strong) reference and let the caller release it, "
        "or keep it until the caller is done."
    )
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html#borrowed-references"]
    invalid = [
        Example(
            "static PyObject *cache;\n"
            "static PyObject *get(PyObject *key) {\n"
            "    PyObject *v = PyDict_GetItemWithError(cache, key);\n    if (v == NULL) {\n"
            "        v = compute(key);\n"
            "        if (v == NULL || PyDict_SetItem(cache, key, v) < 0) return NULL;\n"
            "        Py_DECREF(v);\n    }\n    return v;\n}\n",
            note="the release ends the fill-on-miss branch; the return after it hands out a borrowed value",
        ),
        Example(
            "static PyObject *add_loop(PyObject *loops, PyObject *key) {\n"
            "    PyObject *info = make_info(key);\n    if (info == NULL) return NULL;\n"
            "    if (PyDict_SetItem(loops, key, info) < 0) { Py_DECREF(info); return NULL; }\n"
            "    Py_DECREF(info);  /* now borrowed from loops */\n    return info;\n}\n"
        ),
        Example(
            "static PyObject *intern_name(PyObject *registry, PyObject *name) {\n"
            "    PyObject *entry = PyTuple_Pack(1, name);\n"
            "    if (PyList_Append(registry, entry) < 0) { Py_DECREF(entry); return NULL; }\n"
            "    Py_DECREF(entry);\n    return entry;\n}\n"
        ),
        Example(
            "static PyObject *add_and_return(PyObject *ufunc, PyObject *key) {\n"
            "    PyObject *info = PyTuple_Pack(1, key);\n"
            "    if (numpy_AddLoop(ufunc, info, 0) < 0) { Py_DECREF(info); return NULL; }\n"
            "    Py_DECREF(info);\n    return info;\n}\n",
            note="a helper that stores its argument in the shared object",
        ),
    ]
    valid = [
        Example(
            "static PyObject *add_loop(PyObject *loops, PyObject *key) {\n"
            "    PyObject *info = make_info(key);\n    if (info == NULL) return NULL;\n"
            "    if (PyDict_SetItem(loops, key, info) < 0) { Py_DECREF(info); return NULL; }\n"
            "    return info;\n}\n",
            note="the caller gets a strong reference",
        ),
        Example(
            "static PyObject *fresh(PyObject *key) {\n    PyObject *d = PyDict_New();\n"
            "    PyObject *v = PyLong_FromLong(1);\n    PyDict_SetItem(d, key, v);\n    Py_DECREF(v);\n"
            "    return v;\n}\n",
            note="a dict made in this function is not shared yet (returning v is still poor style)",
        ),
    ]

    @classmethod
    def check(cls, unit):
        for function in unit.functions:
            inserts: dict[str, tuple[object, str]] = {}
            for node in unit.walk(function.body):
                if node.type == "call_expression":
                    callee = node.child_by_field_name("function")
                    name = unit.node_text(callee) if callee is not None else ""
                    arguments = unit.call_arguments(node)
                    if not arguments or unit.is_private_object(arguments[0], function):
                        continue
                    index = _INSERTS.get(name)
                    if index is not None and len(arguments) > index:
                        values = [arguments[index]]
                    elif index is None and not name.startswith(_STEALING) and _STORING_HELPER.search(name):
                        values = arguments[1:]
                    else:
                        continue
                    for value in values:
                        inserts.setdefault(
                            unit.node_text(value).strip(), (node, unit.node_text(arguments[0]).strip())
                        )
                elif node.type == "expression_statement" and inserts:
                    match = _RELEASE.match(unit.node_text(node).rstrip(";").strip())
                    if match is None or match.group(1) not in inserts:
                        continue
                    following = _next_statement(unit, node)
                    if following is None or following.type != "return_statement":
                        continue
                    returned = unit.node_text(following)[len("return") :].strip().rstrip(";").strip()
                    returned = re.sub(r"^\([^()]*\)\s*", "", returned)
                    if returned != match.group(1):
                        continue
                    insert, container = inserts[match.group(1)]
                    yield cls.finding(
                        f"{function.name}() inserts `{returned}` into `{container}` (line "
                        f"{unit.location(insert).line}), which other threads can reach, then releases its "
                        f"own reference and returns `{returned}` (line {unit.location(following).line}) "
                        "borrowed: another thread's insert or delete of that entry frees it first",
                        unit.location(node),
                        evidence=[unit.node_text(insert)],
                    )

"""FTC011: static state touched inside PyGILState_Ensure or Py_BEGIN_ALLOW_THREADS regions."""

from __future__ import annotations

from ...collectors.source.c_races import is_write_target
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule


@register
class GilReleasedRegionStatic(CSourceRule):
    """``PyGILState_Ensure`` no longer serialises anything in the free-threaded build.

    Callbacks from foreign threads often wrapped their bookkeeping in
    ``PyGILState_Ensure()``/``PyGILState_Release()`` because holding the GIL excluded
    every other thread. Free-threaded CPython only attaches a thread state; two
    callbacks now run together and race on the static they both update. Code between
    ``Py_BEGIN_ALLOW_THREADS`` and ``Py_END_ALLOW_THREADS`` was never protected; a static
    read or written there races with every other thread.

    Reported: reads and writes, inside such a region, of a mutable static that some
    function of the file writes outside module initialisation (a static only set at
    import time is safe to read).
    """

    code = "FTC011"
    name = "gil-released-region-static"
    severity = Severity.ERROR
    summary = "static state used inside a PyGILState_Ensure or Py_BEGIN_ALLOW_THREADS region without a lock"
    fix = "Protect the static with a PyMutex (or make it atomic); PyGILState_Ensure is not a lock any more."
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html"]
    invalid = [
        Example(
            "static long events;\n"
            "static void on_event(void *data) {\n    PyGILState_STATE state = PyGILState_Ensure();\n"
            "    events++;\n    PyGILState_Release(state);\n}\n"
        ),
        Example(
            "static char buffer[4096];\nstatic size_t used;\n"
            "static void append_line(const char *text) { used = copy_into(buffer, text); }\n"
            "static PyObject *flush(PyObject *self, PyObject *args) {\n"
            "    Py_BEGIN_ALLOW_THREADS\n    write(1, buffer, used);\n    Py_END_ALLOW_THREADS\n"
            "    Py_RETURN_NONE;\n}\n"
        ),
    ]
    valid = [
        Example(
            "static PyMutex lock;\nstatic long events;\n"
            "static void on_event(void *data) {\n    PyGILState_STATE state = PyGILState_Ensure();\n"
            "    PyMutex_Lock(&lock);\n    events++;\n    PyMutex_Unlock(&lock);\n"
            "    PyGILState_Release(state);\n}\n"
        ),
        Example(
            "static int page_size;\n"
            "PyMODINIT_FUNC PyInit_demo(void) { page_size = 4096; return PyModule_Create(&m); }\n"
            "static PyObject *work(PyObject *self, PyObject *args) {\n    int n;\n"
            "    Py_BEGIN_ALLOW_THREADS\n    n = compute(page_size);\n    Py_END_ALLOW_THREADS\n"
            "    return PyLong_FromLong(n);\n}\n",
            note="set only during import, then read-only",
        ),
    ]

    @classmethod
    def check(cls, unit):
        written = {
            id(write.variable) for write in unit.writes if not unit.runs_at_import(write.node, write.function)
        }
        reported: set[int] = set()
        for function in unit.functions:
            if not function.released_regions or function.init_only:
                continue
            uses: dict[int, list] = {}  # variable -> [(node, kind, changes it)]
            for node in unit.walk(function.body):
                if node.type != "identifier":
                    continue
                kind = unit.released_region_at(node, function)
                if kind is None:
                    continue
                variable = unit.resolve(unit.node_text(node), function)
                if variable is None or not variable.mutable or id(variable) not in written:
                    continue
                parent = unit.parent_of(node)
                if (
                    parent is not None
                    and parent.type == "call_expression"
                    and parent.child_by_field_name("function") == node
                ):
                    continue
                if unit.is_protected(node, function):
                    continue
                changes = is_write_target(unit, node) or _released(unit, node)
                uses.setdefault(id(variable), []).append((node, kind, changes, variable))
            for found in uses.values():
                # The stores and releases are the racing statements; reads in between are the
                # same hazard seen again, so only a region that never changes the static
                # reports its first read.
                chosen = [use for use in found if use[2]] or found[:1]
                for node, kind, _, variable in chosen:
                    line = node.start_point[0] + 1
                    if line in reported:
                        continue
                    reported.add(line)
                    region = (
                        "a PyGILState_Ensure region (no longer exclusive)"
                        if kind == "gilstate"
                        else "a Py_BEGIN_ALLOW_THREADS region"
                    )
                    reads = len(found) - len(chosen)
                    also = (
                        f" (and read {reads} more time{'s' if reads > 1 else ''} there)" if reads > 0 else ""
                    )
                    verb = (
                        "set"
                        if is_write_target(unit, node)
                        else "released"
                        if _released(unit, node)
                        else "used"
                    )
                    yield cls.finding(
                        f"static `{variable.name}` is {verb} in {region} in {function.name}() without a lock"
                        f"{also}: it is one copy for every thread, and this region no longer keeps them out",
                        unit.location(node),
                        evidence=[variable.declaration_text],
                    )


_RELEASES = {"Py_DECREF", "Py_XDECREF", "Py_CLEAR", "Py_SETREF", "Py_XSETREF", "free", "PyMem_Free"}


def _released(unit, node) -> bool:
    """``Py_DECREF(cached)``: the use that frees what another thread may be using."""
    parent = unit.parent_of(node)
    if parent is None or parent.type != "argument_list":
        return False
    call = unit.parent_of(parent)
    callee = call.child_by_field_name("function") if call is not None else None
    return callee is not None and unit.node_text(callee) in _RELEASES

"""FTC001: a static or global mutable variable written inside a function."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule


@register
class StaticMutableWrite(CSourceRule):
    """A variable with static storage is one copy shared by every thread.

    With the GIL, C code between two calls into the interpreter ran alone, so
    ``counter++`` or ``state.last = obj`` on a static was effectively atomic. In the
    free-threaded build (PEP 703) several threads run that code at once: increments are
    lost, pointers are torn or overwritten while another thread uses them, and a
    ``PyObject *`` swapped without synchronisation is freed twice or leaked.

    Not reported: const, ``thread_local``/``_Thread_local``, ``_Atomic`` and
    ``std::atomic`` variables; writes after ``PyMutex_Lock``/``Py_BEGIN_CRITICAL_SECTION``
    or another lock; writes in ``PyInit_*``, ``Py_mod_exec`` functions and helpers only
    they call (the import lock serialises them); lazy initialisation (FTC002) and writes
    inside GIL-released regions (FTC011), which have their own rules.
    """

    code = "FTC001"
    name = "static-mutable-write"
    severity = Severity.ERROR
    summary = "static or global mutable variable written inside a function without synchronisation"
    fix = ("Move the state into the module state (PyModule_GetState) or the object, make it "
           "_Atomic / std::atomic / thread_local, or guard every access with a PyMutex.")
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html",
                  "https://peps.python.org/pep-0703/"]
    invalid = [
        Example("static long call_count;\n"
                "static PyObject *count(PyObject *self, PyObject *args) {\n"
                "    call_count++;\n"
                "    return PyLong_FromLong(call_count);\n}\n"),
        Example("static PyObject *last_value = NULL;\n"
                "static PyObject *remember(PyObject *self, PyObject *value) {\n"
                "    Py_XSETREF(last_value, Py_NewRef(value));\n"
                "    Py_RETURN_NONE;\n}\n"),
        Example("#include <vector>\nstatic std::vector<int> seen;\n"
                "void note(int value) { seen.push_back(value); }\n", language="cpp"),
    ]
    valid = [
        Example("static PyMutex lock;\nstatic long call_count;\n"
                "static PyObject *count(PyObject *self, PyObject *args) {\n"
                "    PyMutex_Lock(&lock);\n    long value = ++call_count;\n    PyMutex_Unlock(&lock);\n"
                "    return PyLong_FromLong(value);\n}\n"),
        Example("static _Thread_local int depth;\nstatic _Atomic long calls;\n"
                "static void enter(void) { depth++; calls++; }\n"),
        Example("static PyObject *error_type;\n"
                "PyMODINIT_FUNC PyInit_demo(void) {\n"
                "    error_type = PyErr_NewException(\"demo.Error\", NULL, NULL);\n"
                "    return PyModule_Create(&demo_module);\n}\n",
                note="module initialisation runs under the import lock"),
        Example("static int add(int a, int b) { int total = a; total += b; return total; }\n",
                note="locals are per thread"),
    ]

    @classmethod
    def check(cls, unit):
        reported: set[int] = set()
        for write in unit.writes:
            if write.protected or write.function.init_only or write.claimed_by:
                continue
            location = unit.location(write.node)
            if location.line in reported:
                continue
            reported.add(location.line)
            where = f"function-level static in {write.function.name}()" if write.variable.function \
                else f"declared at line {write.variable.line}"
            yield cls.finding(
                f"`{write.variable.name}` ({where}) is written in {write.function.name}() "
                "with no lock; threads race on it without the GIL",
                location,
                evidence=[write.variable.declaration_text],
            )

"""FTC013: a static filled through a call's pointer argument (sysctl, setjmp, sscanf, ...)."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule


@register
class StaticOutParameterWrite(CSourceRule):
    """``sysctlbyname("kern.smp.maxcpus", &maxcpus, &size, NULL, 0)`` writes ``maxcpus``.

    When the destination is a static (file scope or ``static`` in the function), every
    thread's call stores into the same bytes, and a thread that reads it between
    another thread's store and its own sees a value it did not ask for. psutil removed
    exactly this ``static int maxcpus`` (and a ``static char **argv`` filled by
    ``sysctl``) for free-threaded Python. ``setjmp`` on a global ``jmp_buf`` is the same
    hazard: a second thread's ``setjmp`` overwrites the first thread's return point.
    """

    code = "FTC013"
    name = "static-out-parameter-write"
    severity = Severity.WARNING
    summary = "static variable written through a pointer argument of a call, without a lock"
    fix = "Make the destination a local (or per-call allocation), or hold a lock until the value is used."
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html"]
    invalid = [
        Example(
            "#include <sys/sysctl.h>\nstatic PyObject *cpu_count(PyObject *self, PyObject *args) {\n"
            "    static int maxcpus;\n    size_t size = sizeof(maxcpus);\n"
            '    if (sysctlbyname("kern.smp.maxcpus", &maxcpus, &size, NULL, 0) < 0) return NULL;\n'
            "    return PyLong_FromLong(maxcpus);\n}\n"
        ),
        Example(
            "#include <setjmp.h>\njmp_buf failure;\nstatic PyObject *run(PyObject *self, PyObject *args) {\n"
            "    if (setjmp(failure)) { return NULL; }\n    work();\n    Py_RETURN_NONE;\n}\n",
            note="a global jmp_buf: another thread's setjmp replaces this thread's return point",
        ),
    ]
    valid = [
        Example(
            "#include <sys/sysctl.h>\nstatic PyObject *cpu_count(PyObject *self, PyObject *args) {\n"
            "    int maxcpus;\n    size_t size = sizeof(maxcpus);\n"
            '    if (sysctlbyname("kern.smp.maxcpus", &maxcpus, &size, NULL, 0) < 0) return NULL;\n'
            "    return PyLong_FromLong(maxcpus);\n}\n"
        ),
        Example(
            "#include <sys/sysctl.h>\nstatic PyMutex lock;\nstatic int maxcpus;\n"
            "static int get_maxcpus(void) {\n    size_t size = sizeof(maxcpus);\n    PyMutex_Lock(&lock);\n"
            '    sysctlbyname("kern.smp.maxcpus", &maxcpus, &size, NULL, 0);\n'
            "    int value = maxcpus;\n    PyMutex_Unlock(&lock);\n    return value;\n}\n"
        ),
    ]

    @classmethod
    def check(cls, unit):
        reported: set[tuple[int, str]] = set()
        for write in unit.writes:
            if write.claimed_by != "out-parameter" or write.protected:
                continue
            if unit.runs_at_import(write.node, write.function):
                continue
            location = unit.location(write.node)
            key = (location.line, write.variable.name)
            if key in reported:
                continue
            reported.add(key)
            callee = unit.node_text(write.node.child_by_field_name("function"))
            if write.variable.function:
                shared = f"a function-level static of {write.variable.function}()"
            else:
                shared = (
                    f"a file-scope variable (line {write.variable.line})"
                    if write.variable.line
                    else ("a global")
                )
            yield cls.finding(
                f"{callee}() stores into `{write.variable.name}`, {shared} that every thread shares, "
                f"in {write.function.name}() with no lock: one thread's {callee}() can overwrite the value "
                "another thread has just stored and is about to read",
                location,
                evidence=[write.variable.declaration_text],
            )

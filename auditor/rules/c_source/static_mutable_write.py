"""FTC001: a static or global mutable variable written inside a function."""

from __future__ import annotations

import re

from ...collectors.source.c_races import prior_read
from ...collectors.source.c_vocabulary import BUFFER_WRITERS
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

    A static set just before a function of the file is handed to ``qsort`` (or any API
    taking a callback) and read inside that callback is the callback's hidden context
    argument: the read is reported too, since two threads sorting at once each compare
    with the other's data.

    Writes are assignments, ``++``/``--``, ``Py_SETREF``/``Py_XSETREF``, C++ container
    mutators, and libc calls that fill a static buffer (``snprintf(buf, ...)``,
    ``strcpy``, ``memset``...). In C, a global assigned in a function with no
    declaration in the file is taken to be an ``extern`` from a header. Fields of the
    module state (``st->field`` with ``st = PyModule_GetState(module)`` or a
    ``get_*state()`` helper) count too: PEP 687 isolates interpreters, not threads.

    Not reported: const, ``thread_local``/``_Thread_local``, ``_Atomic`` and
    ``std::atomic`` variables; writes after ``PyMutex_Lock``/``Py_BEGIN_CRITICAL_SECTION``
    or another lock, in Argument Clinic ``@critical_section`` functions and
    ``*_lock_held`` helpers; code under ``#ifndef Py_GIL_DISABLED``; writes in
    ``PyInit_*``, ``Py_mod_exec`` functions, ``pthread_once``/``call_once`` callbacks and
    helpers only they call; lazy initialisation (FTC002) and writes inside GIL-released
    regions (FTC011), which have their own rules.
    """

    code = "FTC001"
    name = "static-mutable-write"
    severity = Severity.ERROR
    summary = "static or global mutable variable written inside a function without synchronisation"
    fix = (
        "Move the state into the module state (PyModule_GetState) or the object, make it "
        "_Atomic / std::atomic / thread_local, or guard every access with a PyMutex."
    )
    references = [
        "https://docs.python.org/3/howto/free-threading-extensions.html",
        "https://peps.python.org/pep-0703/",
    ]
    invalid = [
        Example(
            "static long call_count;\n"
            "static PyObject *count(PyObject *self, PyObject *args) {\n"
            "    call_count++;\n"
            "    return PyLong_FromLong(call_count);\n}\n"
        ),
        Example(
            "static PyObject *last_value = NULL;\n"
            "static PyObject *remember(PyObject *self, PyObject *value) {\n"
            "    Py_XSETREF(last_value, Py_NewRef(value));\n"
            "    Py_RETURN_NONE;\n}\n"
        ),
        Example(
            "#include <stdio.h>\nstatic char label[32];\n"
            'static const char *format_id(long id) {\n    snprintf(label, sizeof label, "#%ld", id);\n'
            "    return label;\n}\n",
            note="a static buffer filled by one thread while another reads it",
        ),
        Example(
            "#include <pybind11/pybind11.h>\nstatic long calls;\n"
            "PYBIND11_MODULE(demo, m, pybind11::mod_gil_not_used()) {\n"
            '    m.def("tick", []() { return ++calls; });\n}\n',
            language="cpp",
            note="the lambda runs at call time, not at import",
        ),
        Example(
            "typedef struct { long hits; } demo_state;\n"
            "static PyObject *hit(PyObject *module, PyObject *Py_UNUSED(arg)) {\n"
            "    demo_state *st = (demo_state *)PyModule_GetState(module);\n"
            "    st->hits++;\n    Py_RETURN_NONE;\n}\n",
            note="module state is per interpreter, not per thread",
        ),
        Example(
            "typedef struct { PyObject *free_head; int free_count; } node_state;\n"
            "static node_state *node_state_now(void) {\n"
            "    PyObject *module = PyState_FindModule(&node_module);\n"
            "    return module ? (node_state *)PyModule_GetState(module) : NULL;\n}\n"
            "static void Node_dealloc(PyObject *self) {\n"
            "    node_state *state = node_state_now();\n"
            "    if (state && state->free_count < 16) {\n"
            "        *(PyObject **)self = state->free_head;\n"
            "        state->free_head = self;\n        state->free_count++;\n        return;\n    }\n"
            "    PyObject_Free(self);\n}\n",
            note="a free list in module state, reached through the file's own getter: any thread "
            "can drop the last reference, so tp_dealloc runs concurrently",
        ),
        Example(
            "#include <vector>\nstatic std::vector<int> seen;\n"
            "void note(int value) { seen.push_back(value); }\n",
            language="cpp",
        ),
        Example(
            "#include <stdlib.h>\nstatic const unsigned char *g_text;\n"
            "static int by_suffix(const void *a, const void *b) {\n"
            "    return compare_suffixes(g_text, *(const unsigned *)a, *(const unsigned *)b);\n}\n"
            "void sort_suffixes(const unsigned char *text, unsigned *index, size_t n) {\n"
            "    g_text = text;\n    qsort(index, n, sizeof *index, by_suffix);\n}\n",
            note="a static passes the context qsort's comparator cannot take: both the store and "
            "the comparator's read are reported",
        ),
    ]
    valid = [
        Example(
            "static PyMutex lock;\nstatic long call_count;\n"
            "static PyObject *count(PyObject *self, PyObject *args) {\n"
            "    PyMutex_Lock(&lock);\n    long value = ++call_count;\n    PyMutex_Unlock(&lock);\n"
            "    return PyLong_FromLong(value);\n}\n"
        ),
        Example(
            "static PyMutex lock;\nstatic long total;\nstatic int add(long n) {\n    PyMutex_Lock(&lock);\n"
            "    if (n < 0) {\n        PyMutex_Unlock(&lock);\n        return -1;\n    }\n"
            "    total += n;\n    PyMutex_Unlock(&lock);\n    return 0;\n}\n",
            note="the unlock on the early-return path does not end the locked region",
        ),
        Example(
            "static _Thread_local int depth;\nstatic _Atomic long calls;\n"
            "static void enter(void) { depth++; calls++; }\n"
        ),
        Example(
            "static PyObject *error_type;\n"
            "PyMODINIT_FUNC PyInit_demo(void) {\n"
            '    error_type = PyErr_NewException("demo.Error", NULL, NULL);\n'
            "    return PyModule_Create(&demo_module);\n}\n",
            note="module initialisation runs under the import lock",
        ),
        Example(
            "static long hits;\nstatic void hit(void) {\n#ifndef Py_GIL_DISABLED\n    hits++;\n#else\n"
            "    _Py_atomic_add_long(&hits, 1);\n#endif\n}\n",
            note="the plain increment is only compiled for the GIL build",
        ),
        Example(
            "#ifdef XML_TESTING\nstatic unsigned long bytes_scanned;\n#endif\n"
            "static int process(const char *start, const char *end) {\n#ifdef XML_TESTING\n"
            "    bytes_scanned += (unsigned long)(end - start);\n#endif\n    return 0;\n}\n",
            note="a counter only the project's own test build compiles",
        ),
        Example(
            "#include <pthread.h>\nstatic int table[256];\n"
            "static pthread_once_t table_once = PTHREAD_ONCE_INIT;\n"
            "static void fill_table(void) { for (int i = 0; i < 256; i++) table[i] = i * i; }\n"
            "static int square(int i) { pthread_once(&table_once, fill_table); return table[i]; }\n",
            note="pthread_once runs the initialiser once while other callers wait",
        ),
        Example(
            '#define API __attribute__((visibility("default")))\nnamespace io {\nclass API Reader {\n'
            " public:\n"
            "  void Next() { position_++; }\n private:\n  long position_;\n};\n}\n",
            language="cpp",
            note="a member, even when the export macro breaks the parse of the class",
        ),
        Example(
            "typedef struct { PyObject *error; } demo_state;\n"
            "static int demo_exec(PyObject *module) {\n"
            "    demo_state *st = (demo_state *)PyModule_GetState(module);\n"
            '    st->error = PyErr_NewException("demo.Error", NULL, NULL);\n'
            "    return st->error ? 0 : -1;\n}\n"
            "static int demo_clear(PyObject *module) {\n"
            "    demo_state *st = (demo_state *)PyModule_GetState(module);\n"
            "    Py_CLEAR(st->error);\n    st->error = NULL;\n    return 0;\n}\n"
            "static PyModuleDef_Slot demo_slots[] = {{Py_mod_exec, demo_exec}, {0, NULL}};\n",
            note="module state set up in exec and torn down in m_clear",
        ),
        Example(
            "static int add(int a, int b) { int total = a; total += b; return total; }\n",
            note="locals are per thread",
        ),
    ]

    @classmethod
    def check(cls, unit):
        reported: set[int] = set()
        checked: set[tuple[int, str]] = set()  # (variable, function) pairs whose read is reported
        for write in unit.writes:
            if write.protected or write.claimed_by or unit.runs_at_import(write.node, write.function):
                continue
            location = unit.location(write.node)
            where = _where(write.variable)
            if location.line not in reported:
                reported.add(location.line)
                yield cls.finding(
                    f"`{write.variable.name}` ({where}) is written in {write.function.name}() "
                    f"with no lock; {_why_shared(write.variable)}, so they race on it without the GIL",
                    location,
                    evidence=[write.variable.declaration_text],
                )
            key = (id(write.variable), write.function.name)
            if key in checked:
                continue
            checked.add(key)
            read = prior_read(unit, write)
            if read is None or unit.location(read).line in reported:
                continue
            read_location = unit.location(read)
            reported.add(read_location.line)
            yield cls.finding(
                f"`{write.variable.name}` ({where}) is read here in {write.function.name}() and written "
                f"on line {location.line} with no lock in between: another thread can change it after "
                "this read, so the write acts on a stale value (check-then-act)",
                read_location,
                evidence=[write.variable.declaration_text],
            )
        yield from _callback_context_reads(cls, unit, reported)
        yield from _filled_buffer_reads(cls, unit, reported)


def _where(variable) -> str:
    if variable.function:
        return f"function-level static in {variable.function}()"
    if variable.line:
        return f"declared at line {variable.line}"
    return variable.declaration_text


def _why_shared(variable) -> str:
    if "->" in variable.name:
        return "the state is one per interpreter and every thread of it reaches the same copy"
    return "every thread that calls it shares that one copy"


def _callback_context_reads(cls, unit, reported: set[int]):
    """``g_ctx = ctx; qsort(base, n, size, compare);`` with ``compare()`` reading ``g_ctx``:
    a static standing in for the context argument a callback API does not take. Two
    threads sorting at once run each other's comparisons against the wrong context."""
    by_name = {function.name: function for function in unit.functions}
    for write in unit.writes:
        if write.protected or unit.runs_at_import(write.node, write.function):
            continue
        name = write.variable.name
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            continue
        for call in unit.walk(write.function.body):
            if call.type != "call_expression" or call.start_byte < write.node.end_byte:
                continue
            handed = (
                set(
                    re.findall(
                        r"&?\s*\b([A-Za-z_]\w*)\b",
                        " ".join(unit.node_text(argument) for argument in unit.call_arguments(call)),
                    )
                )
                & by_name.keys()
            )
            for callback_name in sorted(handed - {write.function.name}):
                callback = by_name[callback_name]
                if unit.resolve(name, callback) is not write.variable:
                    continue
                read = re.search(rf"(?<![\w.>]){re.escape(name)}\b", unit.node_text(callback.body))
                if read is None:
                    continue
                line = (
                    callback.body.start_point[0]
                    + 1
                    + unit.node_text(callback.body).count("\n", 0, read.start())
                )
                if line in reported:
                    continue
                reported.add(line)
                api = unit.node_text(call.child_by_field_name("function") or call)
                yield cls.finding(
                    f"{callback_name}() reads `{name}`, which {write.function.name}() sets on line "
                    f"{write.node.start_point[0] + 1} just before handing {callback_name}() to {api}() "
                    f"(line {call.start_point[0] + 1}): the static carries the callback's context, so two "
                    f"threads in {write.function.name}() at once run the callback with each other's context",
                    unit.line_location(line),
                    evidence=[write.variable.declaration_text],
                )


def _filled_buffer_reads(cls, unit, reported: set[int]):
    """``snprintf(sbuf, ...)`` into a static buffer, then ``append(pb, sbuf, n)``: the read
    that hands the buffer on is where another thread's fill shows (json-c's escape buffer),
    so it is reported with the fill's line."""
    for write in unit.writes:
        node = write.node
        if write.protected or node.type != "call_expression" or unit.runs_at_import(node, write.function):
            continue
        callee = node.child_by_field_name("function")
        if callee is None or unit.node_text(callee) not in BUFFER_WRITERS:
            continue
        name = write.variable.name
        after = unit.source[node.end_byte : write.function.body.end_byte].decode("latin-1")
        use = re.search(rf"(?<![\w.>]){re.escape(name)}\b(?!\s*(?:\[[^\]]*\]\s*)?=(?!=))", after)
        if use is None:
            continue
        line = node.end_point[0] + 1 + after.count("\n", 0, use.start())
        if line in reported:
            continue
        reported.add(line)
        fill_line = node.start_point[0] + 1
        yield cls.finding(
            f"`{name}` ({_where(write.variable)}) is read here in {write.function.name}() right after "
            f"{unit.node_text(callee)}() filled it on line {fill_line}: it is one buffer for every thread, "
            "so another thread's fill in between hands this caller the other thread's text",
            unit.line_location(line),
            evidence=[write.variable.declaration_text],
        )

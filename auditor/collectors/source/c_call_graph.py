"""Who calls whom inside one C/C++ file, and what that says about when a function runs.

Two facts come from the call sites: a function only reached from module initialisation
(PyInit_*, a Py_mod_exec slot, a once-callback) runs under the import lock, once; and a
helper whose every caller in the file holds a lock at the call runs under that lock
(``_deque_append_locked``-style helpers that are not named so). A function whose name is
also used outside a call (a method table, a callback argument) can run from anywhere and
gets neither.
"""

from __future__ import annotations

import re

# Module set-up helpers that live in another file than PyInit/exec (CPython's
# pysqlite_blob_setup_types(module), _PyXxx_InitTypes): called once, during exec.
SETUP_NAME = re.compile(
    r"(?:^|_)(?:setup_types|setup|init_types|add_types|register_types|init_module|module_init|"
    r"InitTypes|exec_module|module_exec)$"
)

# Code that runs inside CPython: it includes Python.h or uses the C API's objects.
_PYTHON_CODE = re.compile(r'#\s*include\s*[<"]Python\.h[>"]|\bPyObject\b|\bPyMODINIT_FUNC\b')
_INITIALISER = re.compile(r"(?:^|_)init(?:iali[sz]e)?(?:_|$)", re.IGNORECASE)
# The process's own start-up (CPython's Modules/main.c and getpath.c): one thread, before
# any Python code runs.
_RUNTIME_START = re.compile(r"^(?:main|wmain|Py_Main|Py_BytesMain|Py_RunMain|pymain_\w+|_PyPathConfig_\w+)$")


def _entry_points(unit) -> None:
    """PyInit_*, Py_mod_exec slots, once-callbacks and set-up helpers by name."""
    exec_functions = set(
        re.findall(r"\{\s*Py_mod_exec\s*,\s*\(?\s*(?:void\s*\*\s*\)\s*)?&?\s*(\w+)", unit.text)
    )
    # Callbacks of once-primitives run exactly once with the others waiting.
    for call in re.finditer(
        r"\b(?:pthread_once|call_once|_PyOnceFlag_CallOnce|InitOnceExecuteOnce)\s*\(([^;]*)", unit.text
    ):
        exec_functions.update(re.findall(r"\b(\w+)\b", call.group(1)))
    for function in unit.functions:
        if (
            function.name.startswith("PyInit_")
            or function.name in exec_functions
            or SETUP_NAME.search(function.name)
            or function.name.startswith("PYBIND11_MODULE")
            or function.name.startswith("NB_MODULE")
            or _RUNTIME_START.match(function.name)
        ):
            function.init_only = True


def _exported_initialisers(unit, call_sites, referenced_elsewhere) -> None:
    """``npy_cpu_init(void)``, ``_PySignal_Init(int)``: an initialiser by name, taking no
    object to initialise, that this file exports and never calls itself, is called from
    module or runtime initialisation in another file. Only in Python's own code and its
    extensions: a C library's exported ``sodium_init()`` or ``lib_init()`` is its public
    entry point, which applications call from whatever thread first needs the library."""
    if not _PYTHON_CODE.search(unit.text):
        return
    for function in unit.functions:
        if function.init_only or not _INITIALISER.search(function.name):
            continue
        if function.name in call_sites or function.name in referenced_elsewhere:
            continue
        storage = {
            unit.node_text(child)
            for child in function.node.children
            if child.type == "storage_class_specifier"
        }
        header = unit.source[function.node.start_byte : function.body.start_byte]
        if b"*" in header.split(function.name.encode(), 1)[-1]:
            continue  # `mpd_init(mpd_context_t *ctx, ...)` initialises the object it is handed, per call
        if "static" not in storage:
            function.init_only = True


def _call_sites(unit, by_name) -> tuple[dict[str, list], set[str]]:
    """(call node, calling function) per called function name, and the names also used
    outside a call (method tables, callbacks)."""
    call_sites: dict[str, list] = {}
    referenced_elsewhere: set[str] = set()
    for node in unit.walk():
        if node.type != "identifier":
            continue
        name = unit.node_text(node)
        if name not in by_name:
            continue
        parent = unit.parent_of(node)
        if parent is not None and parent.type == "function_declarator":
            continue
        enclosing = unit.function_at(node)
        if (
            parent is not None
            and parent.type == "call_expression"
            and parent.child_by_field_name("function") == node
            and enclosing is not None
        ):
            call_sites.setdefault(name, []).append((parent, enclosing))
        else:
            referenced_elsewhere.add(name)
    return call_sites, referenced_elsewhere


def mark_init_only(unit) -> dict[str, list]:
    """Functions that only run while the module is imported (under the import lock).

    PyInit_* and the functions named in a ``Py_mod_exec`` slot run once per
    interpreter while the import machinery holds the module's import lock; writes to
    statics there are the normal way to set up a module. A static helper called only
    from such functions is init-only too. Returns the call sites of every function only
    ever called (for :func:`mark_called_under_lock`).
    """
    by_name = {function.name: function for function in unit.functions}
    _entry_points(unit)
    call_sites, referenced_elsewhere = _call_sites(unit, by_name)
    _exported_initialisers(unit, call_sites, referenced_elsewhere)
    callers = {name: {caller.name for _, caller in sites} for name, sites in call_sites.items()}
    changed = True
    while changed:
        changed = False
        for function in unit.functions:
            if function.init_only or function.name in referenced_elsewhere:
                continue
            its_callers = callers.get(function.name)
            if (
                its_callers
                and all(by_name[caller].init_only for caller in its_callers if caller in by_name)
                and function.name not in its_callers
            ):
                function.init_only = True
                changed = True
    # A helper that is init-only by its name alone (`setup`, `init_types`) but is called
    # here from code that runs on every call (psutil's users() calls setup() around
    # getutxent) runs at any time, not once.
    for function in unit.functions:
        if (
            function.init_only
            and SETUP_NAME.search(function.name)
            and any(
                caller in by_name and not by_name[caller].init_only
                for caller in callers.get(function.name, ())
            )
        ):
            function.init_only = False
    return {name: sites for name, sites in call_sites.items() if name not in referenced_elsewhere}


# CPython calls the function installed as PyOS_ReadlineFunctionPointer only while holding
# _PyOS_ReadlineLock (Parser/myreadline.c); GNU readline calls its hooks only from inside
# that function's readline()/rl_callback_read_char(), so they run under the same lock.
_READLINE_ENTRY = re.compile(r"\bPyOS_ReadlineFunctionPointer\s*=\s*(?:\([^()]*\)\s*)?&?\s*(\w+)")
_READLINE_HOOK = re.compile(
    r"\brl_\w+(?:_hook|_function)\s*=\s*(?:\([^()]*\)\s*)?&?\s*(\w+)"
    r"|\brl_callback_handler_install\s*\([^,;]*,\s*(?:\([^()]*\)\s*)?&?\s*(\w+)\s*\)"
)


def _mark_readline_callbacks(unit, by_name) -> None:
    entries = set(_READLINE_ENTRY.findall(unit.text))
    if not entries & by_name.keys():
        return
    hooks = {name for pair in _READLINE_HOOK.findall(unit.text) for name in pair if name}
    for name in (entries | hooks) & by_name.keys():
        by_name[name].caller_holds_lock = True


def mark_called_under_lock(unit, call_sites: dict[str, list]) -> None:
    """Set ``caller_holds_lock`` on helpers that every caller in the file calls under a lock."""
    by_name = {function.name: function for function in unit.functions}
    _mark_readline_callbacks(unit, by_name)
    for _ in range(2):  # a helper of a helper: one more round
        for name, sites in call_sites.items():
            function = by_name.get(name)
            if function is None or function.caller_holds_lock or function.init_only:
                continue
            if all(caller.name != name and unit.is_protected(call, caller) for call, caller in sites):
                function.caller_holds_lock = True

"""FTC026: a container field of the caller's object used as per-call scratch, then cleared."""

from __future__ import annotations

import re

from ...collectors.source.c_races import cast_from_object_parameter, in_exit_branch, is_python_object
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

_CLEARS = {"PyDict_Clear", "PySet_Clear"}
# Construction, teardown and explicit clear() methods: emptying the container is their job.
_CLEARING_NAME = re.compile(r"(?:_new|_init|_dealloc|_clear\w*|_traverse|_finalize|_free|clear)$")
_CAST = re.compile(r"^\([^()]*\)\s*")


def _owner_of(unit, argument, function) -> tuple[str, str] | None:
    """(``s``, ``s->memo``) for ``s->memo`` when ``s`` is the caller's Python object."""
    text = _CAST.sub("", " ".join(unit.node_text(argument).split()))
    match = re.fullmatch(r"([A-Za-z_]\w*)\s*->\s*[A-Za-z_]\w*", text)
    if match is None:
        return None
    owner = match.group(1)
    if owner in function.parameters and is_python_object(unit, owner, function, strict=True):
        return owner, text
    if owner in function.locals and cast_from_object_parameter(unit, owner, function):
        return owner, text
    return None


@register
class InstanceScratchContainer(CSourceRule):
    """``scan(s, ...); PyDict_Clear(s->memo);`` on an object Python code can share.

    A decoder or scanner object that keeps a dict as a memo for one call, filling it
    during the call and emptying it at the end, relies on one call at a time per object:
    the GIL made that true. Two threads using the same object (a shared ``JSONDecoder``)
    now fill one memo together, and the first to finish empties it while the other is
    still reading entries it just stored.

    Reported: ``PyDict_Clear`` / ``PySet_Clear`` of a field of an object the caller handed
    in, on the normal path of a function that earlier passes that object to another call
    (the call that uses the container), with no lock; both lines are reported. Not
    reported: clear(), teardown and construction functions, error paths, locked code.
    """

    code = "FTC026"
    name = "instance-scratch-container"
    severity = Severity.WARNING
    summary = (
        "a container of the caller's object is used as per-call scratch and then cleared, without a lock"
    )
    fix = (
        "Make the scratch container a local of the call (create it, pass it down, release it), or hold "
        "the object's critical section (Py_BEGIN_CRITICAL_SECTION(self)) for the whole call."
    )
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html"]
    invalid = [
        Example(
            "typedef struct { PyObject_HEAD PyObject *memo; } ScannerObject;\n"
            "static PyObject *scanner_call(PyObject *self, PyObject *args, PyObject *kwds) {\n"
            "    ScannerObject *s = (ScannerObject *)self;\n"
            "    PyObject *rval = scan_once(s, args);\n    PyDict_Clear(s->memo);\n    return rval;\n}\n"
        ),
    ]
    valid = [
        Example(
            "typedef struct { PyObject_HEAD PyObject *memo; } ScannerObject;\n"
            "static PyObject *scanner_call(ScannerObject *s, PyObject *args) {\n"
            "    PyObject *memo = PyDict_New();\n    if (memo == NULL) {\n        return NULL;\n    }\n"
            "    PyObject *rval = scan_once(s, memo, args);\n    Py_DECREF(memo);\n    return rval;\n}\n",
            note="the memo is a local of the call",
        ),
        Example(
            "typedef struct { PyObject_HEAD PyObject *cache; } CacheObject;\n"
            "static PyObject *cache_clear(CacheObject *self, PyObject *u) {\n"
            "    flush(self);\n    PyDict_Clear(self->cache);\n    Py_RETURN_NONE;\n}\n",
            note="an explicit clear() method",
        ),
    ]

    @classmethod
    def check(cls, unit):
        for function in unit.functions:
            if function.init_only or function.caller_holds_lock or _CLEARING_NAME.search(function.name):
                continue
            for call in unit.walk(function.body):
                if call.type != "call_expression":
                    continue
                callee = call.child_by_field_name("function")
                if callee is None or unit.node_text(callee) not in _CLEARS:
                    continue
                arguments = unit.call_arguments(call)
                found = _owner_of(unit, arguments[0], function) if arguments else None
                if found is None or in_exit_branch(unit, call) or unit.is_protected(call, function):
                    continue
                owner, field = found
                user = cls._earlier_use(unit, function, owner, call)
                if user is None:
                    continue
                user_name = unit.node_text(user.child_by_field_name("function"))
                use_line, clear_line = user.start_point[0] + 1, call.start_point[0] + 1
                why = f"`{owner}` is the caller's object and Python code can share it between threads"
                yield cls.finding(
                    f"{function.name}() hands `{owner}` to {user_name}() here and empties `{field}` on line "
                    f"{clear_line}, with no lock: a second thread's call on the same object fills and "
                    f"loses the same container ({why})",
                    unit.location(user),
                )
                yield cls.finding(
                    f"{function.name}() empties `{field}` here after using it through {user_name}() on "
                    f"line {use_line}: another thread may still be in the middle of its own call ({why})",
                    unit.location(call),
                )

    @staticmethod
    def _earlier_use(unit, function, owner, clear):
        for node in unit.walk(function.body):
            if node.start_byte >= clear.start_byte:
                return None
            if node.type != "call_expression" or unit.is_protected(node, function):
                continue
            arguments = [
                _CAST.sub("", unit.node_text(argument).strip()) for argument in unit.call_arguments(node)
            ]
            if owner in arguments:
                return node
        return None

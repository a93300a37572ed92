"""FTC020: a caller's object changed for the duration of a call and then put back."""

from __future__ import annotations

import re

from ...collectors.source.c_races import (
    alternative_branches,
    declared_type,
    in_exit_branch,
    is_python_object,
    loop_without,
    lvalue_root,
    read_only_parameter_behind,
)
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

_LITERAL = re.compile(r"^(?:-?\d+[uUlL]*|NULL|nullptr|NPY_TRUE|NPY_FALSE|true|false|Py_None)$")
_LABEL = re.compile(rb"^[ \t]*(?!default\b)[A-Za-z_]\w*[ \t]*:(?!:)", re.MULTILINE)
# A release of the field right before it is reset: the reset is cleanup.
_RELEASED_BEFORE = re.compile(
    r"\b(?:free|PyMem_(?:Raw)?Free|PyObject_(?:GC_)?Free|Py_X?DECREF|Py_CLEAR|CloseHandle|close)\s*\([^;]*\)\s*;\s*$"
)
# Construction and teardown run before the object is shared or after it no longer is.
_CONSTRUCTION = re.compile(r"(?:_new|_init|_init_*_impl|_dealloc|_clear|_traverse|_exec|_finalize)$")


def _reads_field(between: bytes, target: str) -> bool:
    """``mix(self->buffer1)`` between the stores: the field's own value is used as data
    (a hasher's block buffer filled and then cleared), which FTC025 judges, not FTC020."""
    pattern = re.escape(re.sub(r"\s+", "", target)).replace(re.escape("->"), r"\s*->\s*")
    text = between.decode("latin-1")
    return any(
        re.match(r"\s*(?:[-+*/|&^%]|<<|>>)?=(?!=)", text[match.end() :]) is None
        for match in re.finditer(rf"(?<![\w>.]){pattern}(?![\w\[])", text)
    )


def _normalised(unit, node) -> str:
    return re.sub(r"\s+", "", unit.node_text(node))


@register
class ArgumentObjectMutation(CSourceRule):
    """``out->nd = 1; call(out); out->nd = 0;`` on an object the caller handed in.

    Code written for the GIL sometimes bends an argument for the length of one call, a
    dimension set to the total before building the result and set back after, a flag
    raised around a callback, trusting that no other thread could look at the object in
    between. Python code shares arrays, descriptors and other objects between threads
    freely; in the free-threaded build another thread reading the same object sees the
    temporary value (a wrong shape, a wrong length: out-of-bounds reads), and two
    threads doing it at once restore each other's values.

    The same holds for a cycle or re-entry guard (``if (a->visited) fail; a->visited = 1;
    ... a->visited = 0;``) kept in an object reached from a ``const`` parameter: the function
    promises to only read the value, so callers share it freely, and the flag then belongs
    to whichever thread set it last. The test, the raise and every clear are reported.

    Reported: two stores to the same field (or element behind an accessor such as
    ``PyArray_DIMS(a)[i]``) of a Python object that arrived as a parameter, with a call
    between them, the second putting back a saved value or a constant. Both lines are
    reported. Not reported: objects the function creates, the two arms of one
    ``if``/``else``, a store in an early-return or error branch (cleanup, not a
    temporary change), code under a lock or critical section, and constructors.
    """

    code = "FTC020"
    name = "argument-object-mutation"
    severity = Severity.WARNING
    summary = "an argument object is changed for the length of a call and then restored, without a lock"
    fix = (
        "Work on a private copy (a new view or descriptor, a local shape array) instead of bending the "
        "caller's object, or hold the object's critical section (Py_BEGIN_CRITICAL_SECTION(obj)) for "
        "the whole change-call-restore sequence."
    )
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html"]
    invalid = [
        Example(
            "typedef struct { PyObject_HEAD int processing; void *enc; } CompressorObject;\n"
            "static PyObject *compress(CompressorObject *self, PyObject *data) {\n"
            "    if (self->processing != 0) {\n"
            '        PyErr_SetString(PyExc_RuntimeError, "used concurrently");\n        return NULL;\n    }\n'
            "    self->processing = 1;\n    PyObject *out = run_encoder(self->enc, data);\n"
            "    self->processing = 0;\n    return out;\n}\n",
            note="a busy flag tested, then set: two threads both find it clear and use the encoder at once",
        ),
        Example(
            "static PyObject *reduce_like(PyObject *ufunc, PyArrayObject *arr, PyArrayObject *out) {\n"
            "    int hack = 0;\n"
            "    if (out != NULL && PyArray_NDIM(out) == 0) {\n        hack = 1;\n"
            "        ((PyArrayObject_fields *)out)->nd = 1;\n    }\n"
            "    PyObject *impl = promote(ufunc, arr, out);\n"
            "    if (hack) {\n        ((PyArrayObject_fields *)out)->nd = 0;\n    }\n    return impl;\n}\n"
        ),
        Example(
            "static PyObject *repeat(PyArrayObject *aop, int axis, npy_intp total) {\n"
            "    npy_intp n = PyArray_DIM(aop, axis);\n    PyArray_DIMS(aop)[axis] = total;\n"
            "    PyObject *ret = PyArray_NewLikeArray(aop, NPY_ANYORDER, NULL, 0);\n"
            "    PyArray_DIMS(aop)[axis] = n;\n    return ret;\n}\n",
            note="a dimension of the caller's array changed while the result is built",
        ),
        Example(
            "typedef struct { int type; size_t refcount; } node_t;\n"
            "typedef struct { node_t base; int visited; node_t **items; size_t n; } list_t;\n"
            "static int emit(const node_t *node, FILE *out) {\n"
            "    list_t *list = (list_t *)node;\n"
            "    if (list->visited)\n        return -1;\n"
            "    list->visited = 1;\n"
            "    for (size_t i = 0; i < list->n; i++) {\n"
            "        if (emit(list->items[i], out)) {\n"
            "            list->visited = 0;\n            return -1;\n        }\n"
            "    }\n"
            "    list->visited = 0;\n    return 0;\n}\n",
            note="a cycle guard kept in an object the function takes as const: two threads writing "
            "out the same list see each other's flag",
        ),
    ]
    valid = [
        Example(
            "typedef struct { int type; } node_t;\n"
            "typedef struct { node_t base; node_t **items; size_t n; } list_t;\n"
            "static int emit(const node_t *node, FILE *out, seen_set_t *seen) {\n"
            "    const list_t *list = (const list_t *)node;\n"
            "    if (seen_contains(seen, node))\n        return -1;\n"
            "    seen_add(seen, node);\n"
            "    for (size_t i = 0; i < list->n; i++)\n"
            "        if (emit(list->items[i], out, seen))\n            return -1;\n"
            "    seen_remove(seen, node);\n    return 0;\n}\n",
            note="the objects being walked are kept in a set that belongs to the call",
        ),
        Example(
            "static PyObject *repeat(PyArrayObject *aop, int axis, npy_intp total) {\n"
            "    npy_intp shape[NPY_MAXDIMS];\n"
            "    memcpy(shape, PyArray_DIMS(aop), PyArray_NDIM(aop) * sizeof(npy_intp));\n"
            "    shape[axis] = total;\n"
            "    return PyArray_NewFromDescr(Py_TYPE(aop), PyArray_DESCR(aop), PyArray_NDIM(aop), shape,\n"
            "                                NULL, NULL, 0, (PyObject *)aop);\n}\n",
            note="the change is made on a local copy of the shape",
        ),
        Example(
            "static int set_mode(ModeObject *self, int fast) {\n"
            "    if (fast) {\n        self->mode = 1;\n        notify(self);\n    }\n"
            "    else {\n        self->mode = 0;\n    }\n    return 0;\n}\n",
            note="two arms of one if/else: one store per call",
        ),
        Example(
            "static PyObject *run(WorkerObject *self) {\n    PyObject *r;\n"
            "    Py_BEGIN_CRITICAL_SECTION(self);\n    self->busy = 1;\n    r = work(self);\n"
            "    self->busy = 0;\n    Py_END_CRITICAL_SECTION();\n    return r;\n}\n",
        ),
    ]

    @classmethod
    def check(cls, unit):
        for function in unit.functions:
            if function.init_only or function.caller_holds_lock or _CONSTRUCTION.search(function.name):
                continue
            yield from cls._check_function(unit, function)

    @classmethod
    def _check_function(cls, unit, function):
        stores: dict[str, list] = {}
        guards: dict[str, tuple[str, list]] = {}
        for node in unit.walk(function.body):
            if node.type != "assignment_expression":
                continue
            operator = node.child_by_field_name("operator")
            left = node.child_by_field_name("left")
            if left is None or left.type == "identifier" or (operator and unit.node_text(operator) != "="):
                continue
            root = lvalue_root(unit, left)
            if root is None:
                continue
            if unit.node_text(root) in function.parameters:
                stores.setdefault(_normalised(unit, left), []).append(node)
            elif unit.node_text(root) in function.locals:
                read_only = read_only_parameter_behind(unit, unit.node_text(root), function)
                if read_only is not None:
                    guards.setdefault(_normalised(unit, left), (read_only, []))[1].append(node)
        for target, (read_only, nodes) in guards.items():
            yield from cls._guard_on_read_only_object(unit, function, target, read_only, nodes)
        for target, nodes in stores.items():
            pair = cls._change_and_restore(unit, function, nodes)
            if pair is None:
                continue
            first, second = pair
            owner = unit.node_text(lvalue_root(unit, first.child_by_field_name("left")))
            first_line, second_line = first.start_point[0] + 1, second.start_point[0] + 1
            why = (
                f"`{owner}` is the caller's {declared_type(unit, owner, function)} and Python code can hand "
                "the same object to other threads"
            )
            yield cls.finding(
                f"{function.name}() changes `{target}` here and puts it back on line {second_line}, with "
                f"no lock: another thread using the object in between sees the temporary value ({why})",
                unit.location(first),
            )
            yield cls.finding(
                f"{function.name}() restores `{target}` here after changing it on line {first_line}: a "
                f"thread doing the same at once can restore the wrong value ({why})",
                unit.location(second),
            )
            guard = cls._busy_test(unit, function, first, target)
            if guard is not None:
                yield cls.finding(
                    f"{function.name}() tests `{target}` here and sets it on line {first_line} with no lock: "
                    f"two threads can both find the object idle and both go on to use it, which the flag was "
                    f"meant to prevent ({why})",
                    unit.location(guard),
                )

    @classmethod
    def _guard_on_read_only_object(cls, unit, function, target: str, read_only: str, nodes):
        """``if (array->visited) goto fail; array->visited = 1; ... array->visited = 0;`` on an
        object reached from a ``const`` parameter: a cycle or re-entry guard kept in the very
        object the function promised only to read. Two threads walking the same value see
        each other's flag (a false "cycle" error), and the first to finish clears it for both."""
        literal = [
            node
            for node in nodes
            if _LITERAL.match(unit.node_text(node.child_by_field_name("right")).strip())
        ]
        if len(literal) < 2 or unit.is_protected(literal[0], function):
            return
        raised = literal[0]
        raised_value = unit.node_text(raised.child_by_field_name("right")).strip()
        cleared = [
            node
            for node in literal[1:]
            if unit.node_text(node.child_by_field_name("right")).strip() != raised_value
            and not unit.is_protected(node, function)
        ]
        test = cls._busy_test(unit, function, raised, target)
        if test is None or not cleared:
            return
        raised_line = raised.start_point[0] + 1
        why = (
            f"it is reached from `{read_only}`, which {function.name}() takes as a const pointer: callers "
            "treat the call as read-only and may run it on the same value from several threads"
        )
        yield cls.finding(
            f"{function.name}() tests the flag `{target}` here and raises it on line {raised_line} with no "
            f"lock: a second thread walking the same object finds it raised and takes the wrong path ({why})",
            unit.location(test),
        )
        yield cls.finding(
            f"{function.name}() raises `{target}` here and clears it on line "
            f"{', '.join(str(node.start_point[0] + 1) for node in cleared)}: the flag is one per object, not "
            f"one per call ({why}); keep the visited set in the call instead",
            unit.location(raised),
        )
        for node in cleared:
            yield cls.finding(
                f"{function.name}() clears `{target}` here, raised on line {raised_line}: it can clear the "
                f"flag another thread's walk of the same object still relies on ({why})",
                unit.location(node),
            )

    @staticmethod
    def _busy_test(unit, function, first, target: str):
        """The condition of an ``if`` before the change that tests the same field
        (``if (self->processing != 0) return busy_error();``): a test-and-set in two steps."""
        field = r"\s*->\s*".join(re.escape(part) for part in target.split("->"))
        pattern = re.compile(rf"(?<![\w>.]){field}\b")
        for node in unit.walk(function.body):
            if node.start_byte >= first.start_byte:
                break
            if node.type != "if_statement":
                continue
            condition = node.child_by_field_name("condition")
            if condition is not None and pattern.search(unit.node_text(condition)):
                return condition
        return None

    @classmethod
    def _change_and_restore(cls, unit, function, nodes):
        if len(nodes) < 2:
            return None
        owner = unit.node_text(lvalue_root(unit, nodes[0].child_by_field_name("left")))
        if not is_python_object(unit, owner, function, strict=True):
            return None
        for index, first in enumerate(nodes):
            for second in nodes[index + 1 :]:
                if second.start_point[0] == first.start_point[0] or alternative_branches(unit, first, second):
                    continue
                if in_exit_branch(unit, first) or in_exit_branch(unit, second):
                    continue  # an early return, or the error path putting things back: never both
                if loop_without(unit, first, second) is not None:
                    continue  # walking a list in a loop, then ending it: not a temporary change
                if unit.is_protected(first, function) or unit.in_gil_only_branch(first):
                    continue
                if cls._puts_back(unit, function, first, second):
                    return first, second
        return None

    @staticmethod
    def _puts_back(unit, function, first, second) -> bool:
        """The second store puts back a saved value or a flag after calls ran with the first."""
        changed = unit.node_text(first.child_by_field_name("right")).strip()
        restored = unit.node_text(second.child_by_field_name("right")).strip()
        if changed == restored or not (_LITERAL.match(restored) or restored.isidentifier()):
            return False
        if restored.isidentifier() and restored not in function.locals:
            return False  # a function or global stored over a default: setup, not a saved value put back
        between = unit.source[first.end_byte : second.start_byte]
        if _LABEL.search(between) and not ArgumentObjectMutation._busy_test(
            unit, function, first, _normalised(unit, first.child_by_field_name("left"))
        ):
            # The second store follows an `error:` label: cleanup on failure. (A busy flag
            # tested before it was raised is cleared on every path, labels or not.)
            return False
        if _LITERAL.match(restored) and _RELEASED_BEFORE.search(between[-200:].decode("latin-1")):
            return False  # `PyMem_Free(o->buf); o->buf = NULL;`: cleanup, not a restore
        if re.search(rb"\b\w+\s*\(", between) is None:
            return False  # nothing runs with the temporary value
        if _reads_field(between, unit.node_text(first.child_by_field_name("left"))):
            return False  # the function consumes the value itself: running state, not a detour
        if restored.isidentifier() and re.search(
            rf"(?<![\w.>]){re.escape(restored)}\s*=(?!=)".encode(), between
        ):
            return False  # recomputed between the stores: an update, not a restore
        return True

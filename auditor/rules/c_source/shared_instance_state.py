"""FTC025: fields of a shared object updated in place, or read together while another method updates them."""

from __future__ import annotations

import re

from ...collectors.source.c_races import cast_from_object_parameter, declared_type
from ...collectors.source.c_shared_types import (
    helper_of_locked_code,
    reached_only_through_pointer,
    shared_object_types,
)
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

# Construction and teardown run before the object is shared or after it no longer is.
_CONSTRUCTION = re.compile(r"(?:_new|_init|_init_*_impl|_dealloc|_clear|_traverse|_exec|_finalize|_free)$")
_LVALUE_PARENTS = {"field_expression", "subscript_expression", "parenthesized_expression"}


def _access_kind(unit, node) -> str | None:
    """``read``, ``write`` (a plain store) or ``update`` (``+=``, ``++``: both) for ``p->f``."""
    child, parent = node, unit.parent_of(node)
    while (
        parent is not None
        and parent.type in _LVALUE_PARENTS
        and parent.child_by_field_name("argument") == child
    ):
        child, parent = parent, unit.parent_of(parent)
    if parent is None:
        return "read"
    if parent.type == "pointer_expression" and unit.node_text(parent).startswith("&"):
        return None  # its address is taken: a lock handed to PyMutex_Lock, an out-parameter
    if parent.type in ("sizeof_expression", "alignof_expression"):
        return None
    if parent.type == "update_expression":
        return "update"
    if parent.type == "assignment_expression" and parent.child_by_field_name("left") == child:
        operator = parent.child_by_field_name("operator")
        return "write" if operator is None or unit.node_text(operator) == "=" else "update"
    return "read"


def _owners(unit, function, shared) -> dict[str, str]:
    """Names in ``function`` for an object of a shared type that the caller handed in: a
    parameter, or a local cast from a ``PyObject *`` parameter (``a = (bitarrayobject *)obj``)."""
    owners = {}
    for name in function.parameters:
        type_name = declared_type(unit, name, function)
        if type_name in shared:
            owners[name] = type_name
    for name in function.locals:
        type_name = declared_type(unit, name, function)
        if type_name in shared and cast_from_object_parameter(unit, name, function):
            owners[name] = type_name
    return owners


_INTEGER_LOCAL = (
    r"\b(?:Py_ssize_t|size_t|ssize_t|int|long|unsigned|npy_intp|uint\d+_t|int\d+_t)\b[^;{{}}()]*\b{}\b"
)


def _integer_snapshot(unit, node, function) -> str | None:
    """``n = self->nbits;`` / ``const Py_ssize_t n = self->nbits;``: the integer local taking the
    field's whole value, or None."""
    parent = unit.parent_of(node)
    if parent is None:
        return None
    if parent.type == "init_declarator" and parent.child_by_field_name("value") == node:
        target = parent.child_by_field_name("declarator")
    elif parent.type == "assignment_expression" and parent.child_by_field_name("right") == node:
        target = parent.child_by_field_name("left")
    else:
        return None
    if target is None or target.type != "identifier":
        return None
    name = unit.node_text(target)
    text = unit.node_text(function.body)
    return name if re.search(_INTEGER_LOCAL.format(re.escape(name)), text) else None


def _calls_on(unit, function, owner, after):
    """Unlocked calls after byte ``after`` that take ``owner`` itself as an argument."""
    for node in unit.walk(function.body):
        if node.type != "call_expression" or node.start_byte <= after:
            continue
        arguments = [
            re.sub(r"^\([^()]*\)\s*", "", unit.node_text(a).strip()) for a in unit.call_arguments(node)
        ]
        if owner in arguments and not unit.is_protected(node, function) and not unit.in_gil_only_branch(node):
            yield node


def _field_accesses(unit, function, shared):
    """(type, field, kind, node) for each unlocked ``param->field`` of a shared type in ``function``."""
    owners = _owners(unit, function, shared)
    if not owners:
        return []
    accesses = []
    for node in unit.walk(function.body):
        if node.type != "field_expression":
            continue
        argument = node.child_by_field_name("argument")
        field = node.child_by_field_name("field")
        if argument is None or field is None or argument.type != "identifier":
            continue
        owner = unit.node_text(argument)
        if owner not in owners or "->" not in unit.node_text(node)[len(owner) : len(owner) + 4]:
            continue
        if unit.is_protected(node, function) or unit.in_gil_only_branch(node):
            continue
        kind = _access_kind(unit, node)
        if kind is not None:
            accesses.append((owners[owner], f"{owner}->{unit.node_text(field)}", kind, node))
    return accesses


_CONSTANT = re.compile(r"^(?:-?\d+[uUlL]*|NULL|nullptr|true|false|Py_None)$")


def _stores_constant(unit, node) -> bool:
    parent = unit.parent_of(node)
    right = parent.child_by_field_name("right") if parent is not None else None
    return right is not None and _CONSTANT.match(unit.node_text(right).strip()) is not None


def _updates(unit, accesses):
    """The fields read and later written back (or updated in place), with the first read and last write."""
    first_read, last_write, updated = {}, {}, set()
    for _, key, kind, node in accesses:
        if kind in ("read", "update"):
            first_read.setdefault(key, node)
        if kind == "write" and _stores_constant(unit, node):
            continue  # `self->use_mutex = true;`: a flag or a reset, the same word from any thread
        if kind in ("write", "update"):
            if kind == "update" or (
                key in first_read and first_read[key].start_point[0] < node.start_point[0]
            ):
                updated.add(key)
            last_write[key] = node
    return updated, first_read, last_write


@register
class SharedInstanceState(CSourceRule):
    """``h = self->h; ...; self->h = h;`` in a method of a type whose instances threads share.

    Writing a field of ``self`` is ordinary per-object state, and stays unflagged. A
    read-modify-write of it is a race once two threads hold the same instance: each
    reads the old value and one update is lost, and a method that reads several of those
    fields together (a digest of ``h``, ``buffer`` and ``length``) can see some of them
    before another thread's update and some after. Whether instances are shared is taken
    from the file itself: the type has the incremental ``update()``/``digest()`` protocol
    of hashlib (whose objects may be shared between threads), or another function of the
    file locks an instance of the same type, so its authors expect sharing.

    Reported, for such a type: a method (or helper taking the object) that reads a field
    and writes it back, or updates it in place (``+=``, ``++``), outside any lock - at the
    first read and at the last write-back; and a method that reads two or more of the
    fields some other method updates that way - at its first read. Not reported:
    constructors and teardown, code under a lock or critical section, types with no
    sharing evidence.
    """

    code = "FTC025"
    name = "shared-instance-state"
    severity = Severity.WARNING
    summary = "fields of an object threads share are updated in place, or read together, with no lock"
    fix = (
        "Give the type a lock (a PyMutex field, or Py_BEGIN_CRITICAL_SECTION(self)) and hold it around "
        "the whole update and around reads that need the fields consistent with each other."
    )
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html"]
    invalid = [
        Example(
            "typedef struct { PyObject_HEAD uint32_t h; Py_ssize_t length; } Hasher;\n"
            "static void update_impl(Hasher *self, const char *p, Py_ssize_t n) {\n"
            "    uint32_t h = self->h;\n    for (Py_ssize_t i = 0; i < n; i++) { h = h * 31 + p[i]; }\n"
            "    self->length += n;\n    self->h = h;\n}\n"
            'static PyObject *Hasher_update(Hasher *self, PyObject *arg) { update_impl(self, "", 0); '
            "Py_RETURN_NONE; }\n"
            "static PyObject *Hasher_digest(Hasher *self, PyObject *u) {\n"
            "    return PyLong_FromUnsignedLong(self->h ^ self->length);\n}\n"
            "static PyMethodDef Hasher_methods[] = {\n"
            '    {"update", (PyCFunction)Hasher_update, METH_O, NULL},\n'
            '    {"digest", (PyCFunction)Hasher_digest, METH_NOARGS, NULL},\n    {NULL}\n};\n',
            note="a hasher: threads may share it, and update() loses updates",
        ),
        Example(
            "typedef struct { PyObject_HEAD PyMutex mutex; Py_ssize_t count; } Counter;\n"
            "static PyObject *Counter_reset(Counter *self, PyObject *u) {\n"
            "    PyMutex_Lock(&self->mutex);\n    self->count = 0;\n    PyMutex_Unlock(&self->mutex);\n"
            "    Py_RETURN_NONE;\n}\n"
            "static PyObject *Counter_bump(Counter *self, PyObject *u) {\n"
            "    self->count++;\n    Py_RETURN_NONE;\n}\n"
            "static PyMethodDef Counter_methods[] = {\n"
            '    {"reset", (PyCFunction)Counter_reset, METH_NOARGS, NULL},\n'
            '    {"bump", (PyCFunction)Counter_bump, METH_NOARGS, NULL},\n    {NULL}\n};\n',
            note="the type is locked in reset(), so instances are shared; bump() skips the lock",
        ),
        Example(
            "typedef struct { PyObject_HEAD Py_ssize_t nbits; char *bits; } BitsObject;\n"
            "static PyObject *Bits_count(BitsObject *self, PyObject *u) {\n    Py_ssize_t n;\n"
            "    Py_BEGIN_CRITICAL_SECTION(self);\n    n = count_bits(self, self->nbits);\n"
            "    Py_END_CRITICAL_SECTION();\n    return PyLong_FromSsize_t(n);\n}\n"
            "static PyObject *Bits_encode(PyObject *module, PyObject *obj) {\n"
            "    BitsObject *a = (BitsObject *)obj;\n    Py_ssize_t nbits = a->nbits;\n"
            "    PyObject *out = PyBytes_FromStringAndSize(NULL, nbits);\n"
            "    for (Py_ssize_t i = 0; i < nbits; i++) {\n"
            "        PyBytes_AS_STRING(out)[i] = getbit(a, i);\n    }\n    return out;\n}\n"
            'static PyMethodDef methods[] = {\n    {"encode", Bits_encode, METH_O, NULL},\n    {NULL}\n};\n',
            note="the size is read once unlocked and bounds reads of an object another thread can resize",
        ),
    ]
    valid = [
        Example(
            "typedef struct { PyObject_HEAD Py_ssize_t count; } Counter;\n"
            "static PyObject *Counter_bump(Counter *self, PyObject *u) {\n"
            "    self->count++;\n    Py_RETURN_NONE;\n}\n",
            note="no evidence that instances are shared between threads",
        ),
        Example(
            "typedef struct { PyObject_HEAD PyMutex mutex; Py_ssize_t count; } Counter;\n"
            "static PyObject *Counter_bump(Counter *self, PyObject *u) {\n"
            "    PyMutex_Lock(&self->mutex);\n    self->count++;\n    PyMutex_Unlock(&self->mutex);\n"
            "    Py_RETURN_NONE;\n}\n",
        ),
        Example(
            "typedef struct { PyObject_HEAD PyMutex mutex; Py_ssize_t count; PyObject *name; } Counter;\n"
            "static PyObject *Counter_reset(Counter *self, PyObject *u) {\n"
            "    PyMutex_Lock(&self->mutex);\n    self->count = 0;\n    PyMutex_Unlock(&self->mutex);\n"
            "    Py_RETURN_NONE;\n}\n"
            "static PyObject *Counter_rename(Counter *self, PyObject *name) {\n"
            "    self->name = name;\n    Py_RETURN_NONE;\n}\n",
            note="a plain store of a field, not a read-modify-write",
        ),
    ]

    @classmethod
    def check(cls, unit):
        shared = shared_object_types(unit)
        if not shared:
            return
        per_function = []
        writers: dict[tuple[str, str], tuple[str, int]] = {}
        for function in unit.functions:
            if function.init_only or function.caller_holds_lock or _CONSTRUCTION.search(function.name):
                continue
            if helper_of_locked_code(unit, function) or reached_only_through_pointer(unit, function):
                continue
            accesses = _field_accesses(unit, function, shared)
            if not accesses:
                continue
            updated, first_read, last_write = _updates(unit, accesses)
            per_function.append((function, accesses, updated))
            yield from cls._stale_snapshots(unit, function, accesses, updated, shared)
            if not updated:
                continue
            type_name = next(type_name for type_name, key, _, _ in accesses if key in updated)
            # The field read first names the pair: its read and its own last write-back.
            first_key = min(updated, key=lambda key: first_read[key].start_byte)
            read, write = first_read[first_key], last_write[first_key]
            for key in updated:
                writers.setdefault(
                    (type_name, key.split("->", 1)[1]), (function.name, last_write[key].start_point[0] + 1)
                )
            fields = ", ".join(f"`{key}`" for key in sorted(updated))
            why = shared[type_name]
            read_line, write_line = read.start_point[0] + 1, write.start_point[0] + 1
            yield cls.finding(
                f"{function.name}() reads {fields} here and writes the result back on line {write_line}, "
                f"with no lock: two threads updating the same object at once lose an update ({why})",
                unit.location(read),
            )
            if write_line != read_line:
                yield cls.finding(
                    f"{function.name}() writes back {fields} here, computed from the values read on line "
                    f"{read_line} with no lock: another thread's update in between is lost ({why})",
                    unit.location(write),
                )
        yield from cls._torn_reads(unit, per_function, writers, shared)

    @classmethod
    def _stale_snapshots(cls, unit, function, accesses, updated, shared):
        """``n = self->nbits;`` then ``resize(self, n)``: the size of the object another thread
        can change, read once with no lock and acted on later."""
        for type_name, key, kind, node in accesses:
            if kind != "read" or key in updated:
                continue
            local = _integer_snapshot(unit, node, function)
            if local is None:
                continue
            owner = key.split("->", 1)[0]
            calls = list(_calls_on(unit, function, owner, node.end_byte))
            if not calls:
                continue
            read_line = node.start_point[0] + 1
            lines = sorted({call.start_point[0] + 1 for call in calls})
            why = shared[type_name]
            yield cls.finding(
                f"{function.name}() copies `{key}` into `{local}` here with no lock and acts on `{owner}` "
                f"with it later (line {', '.join(map(str, lines))}): another thread can change the object "
                f"in between, and the copy no longer matches it ({why})",
                unit.location(node),
            )
            reported = set()
            for call in calls:
                if call.start_point[0] in reported:
                    continue
                reported.add(call.start_point[0])
                callee = unit.node_text(call.child_by_field_name("function"))
                yield cls.finding(
                    f"{function.name}() calls {callee}() on `{owner}` here trusting `{local}`, read from "
                    f"`{key}` on line {read_line} with no lock: another thread may have changed it since "
                    f"({why})",
                    unit.location(call),
                )
            return  # one snapshot per function names the pattern; the rest repeat it

    @classmethod
    def _torn_reads(cls, unit, per_function, writers, shared):
        for function, accesses, updated in per_function:
            if updated:
                continue
            reads = [
                (type_name, key, node)
                for type_name, key, kind, node in accesses
                if kind == "read" and (type_name, key.split("->", 1)[1]) in writers
            ]
            fields = sorted({key for _, key, _ in reads})
            if len(fields) < 2:
                continue
            type_name, _, first = reads[0]
            writer, line = writers[(type_name, fields[0].split("->", 1)[1])]
            yield cls.finding(
                f"{function.name}() reads {', '.join(f'`{key}`' for key in fields)} together with no lock, "
                f"while {writer}() updates them in place (line {line}): it can see some fields before "
                f"another thread's update and some after ({shared[type_name]})",
                unit.location(first),
            )

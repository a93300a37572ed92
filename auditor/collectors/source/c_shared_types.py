"""Which Python object types of a C file have instances that threads share, and why.

A field of ``self`` written in a method is ordinary per-object state; it becomes a race
only when the same instance is used from several threads. The code says so in two ways
this module reads: the type offers the incremental ``update()``/``digest()`` protocol of
:mod:`hashlib`, whose objects CPython documents as safe to share (its own hashers take a
per-object lock), or some function of the file already locks an instance of the type
(``Py_BEGIN_CRITICAL_SECTION(self)``, ``PyMutex_Lock(&self->mutex)``), which tells that
its authors expect instances to be shared.
"""

from __future__ import annotations

import re

from .c_races import declared_type, is_python_object_type, python_object_types
from .c_vocabulary import ACQUIRE

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
_METHOD_TABLE = re.compile(r"\bPyMethodDef\s+\w+\s*\[\s*\]\s*=\s*\{(.*?)\}\s*;", re.DOTALL)
_METHOD_ENTRY = re.compile(r"\{\s*\"(\w+)\"\s*,\s*(?:\([^()]*\)\s*)?\(?\s*(\w+)")
_DIGEST_NAMES = re.compile(r"^(?:\w*digest\w*|copy)$")
# A lock taken on an instance: the object itself, or a lock stored in one of its fields.
# (A lock object's own PyThread lock is its payload, not a guard of its fields: left out.)
_INSTANCE_LOCK = re.compile(
    r"\b(?:Py_BEGIN_CRITICAL_SECTION|ENTER_HASHLIB)\s*\(\s*(?:\(\s*PyObject\s*\*\s*\)\s*)?\(?\s*([A-Za-z_]\w*)"
    r"|\bPyMutex_Lock\s*\(\s*&\s*\(?\s*([A-Za-z_]\w*)\s*->"
)
# CPython's names for helpers that expect the caller to hold the object's lock.
_CALLER_LOCKED_NAME = re.compile(r"_(?:un)?locked$|_lock_held$")


def _object_type(unit, type_name: str | None, object_types) -> bool:
    """A concrete object type: ``PyObject`` itself says nothing about which type is shared."""
    if type_name in (None, "PyObject"):
        return False
    return type_name in object_types or is_python_object_type(type_name, strict=True)


def _first_parameter_type(unit, function) -> str | None:
    if not function.parameters:
        return None
    return declared_type(unit, function.parameters[0], function)


def shared_object_types(unit) -> dict[str, str]:
    """Object type name -> the evidence that its instances are shared (for the message)."""
    cached = getattr(unit, "_shared_object_types", None)
    if cached is not None:
        return cached
    object_types = python_object_types(unit)
    by_name = {function.name: function for function in unit.functions}
    evidence: dict[str, str] = {}
    text = _COMMENT.sub(" ", unit.text)
    for table in _METHOD_TABLE.finditer(text):
        entries = _METHOD_ENTRY.findall(table.group(1))
        names = {name for name, _ in entries}
        if "update" not in names or not any(_DIGEST_NAMES.match(name) for name in names):
            continue
        for _, implementation in entries:
            function = by_name.get(implementation)
            type_name = _first_parameter_type(unit, function) if function else None
            if _object_type(unit, type_name, object_types):
                evidence.setdefault(
                    type_name,
                    f"{type_name} is an incremental hasher (update()/digest()), an object hashlib's "
                    "contract lets threads share",
                )
    for function in unit.functions:
        body = _COMMENT.sub(" ", unit.node_text(function.body))
        for match in _INSTANCE_LOCK.finditer(body):
            name = match.group(1) or match.group(2)
            type_name = declared_type(unit, name, function)
            if _object_type(unit, type_name, object_types):
                evidence.setdefault(
                    type_name,
                    f"{function.name}() locks a {type_name} before touching it, so instances are "
                    "expected to be shared between threads",
                )
        # A method that takes any lock (a file-wide one: kiwi's ACQUIRE_GLOBAL_LOCK()) around
        # its use of `self->...`: the authors expect instances to be used from several threads.
        owner = function.parameters[0] if function.parameters else None
        if (
            owner
            and not function.caller_holds_lock
            and _locks_beside_its_payload(unit, function, owner, body)
        ):
            type_name = declared_type(unit, owner, function)
            if _object_type(unit, type_name, object_types) and re.search(rf"\b{re.escape(owner)}\s*->", body):
                evidence.setdefault(
                    type_name,
                    f"{function.name}() takes a lock while it uses a {type_name}, so instances are "
                    "expected to be shared between threads",
                )
    unit._shared_object_types = evidence
    return evidence


def _locks_beside_its_payload(unit, function, owner: str, body: str) -> bool:
    """The function takes a lock other than the object's own payload lock: a lock object's
    ``PyThread_acquire_lock(self->lock, ...)`` is what it implements, and its fields follow
    an ownership protocol (only the owning thread changes the count), not that lock."""
    if not unit.takes_a_lock(function):
        return False
    payload = re.compile(rf"PyThread_acquire_lock(?:_timed)?\s*\(\s*{re.escape(owner)}\s*->")
    return any(not payload.match(body, match.start()) for match in ACQUIRE.finditer(body))


def helper_of_locked_code(unit, function) -> bool:
    """A helper that code holding the object's lock calls: by CPython's naming (``_unlocked``:
    "does not lock, the caller has"), or because one of its callers in the file takes a lock
    (it then runs as part of locked code whose other paths this file does not show)."""
    if _CALLER_LOCKED_NAME.search(function.name):
        return True
    return any(unit.takes_a_lock(caller) for _, caller in unit.call_sites.get(function.name, ()))


def _file_scope_text(unit) -> str:
    """The file with every function definition blanked: its tables and declarations."""
    cached = getattr(unit, "_file_scope_text", None)
    if cached is None:
        parts, last = [], 0
        for function in sorted(unit.functions, key=lambda f: f.node.start_byte):
            if function.node.start_byte < last:
                continue
            parts.append(unit.source[last : function.node.start_byte])
            last = function.node.end_byte
        parts.append(unit.source[last:])
        cached = _COMMENT.sub(" ", b"".join(parts).decode("utf-8", "replace"))
        unit._file_scope_text = cached
    return cached


def reached_only_through_pointer(unit, function) -> bool:
    """Neither called by name nor listed in a method table or type slot: the function is
    stored at run time (``self->wrapper = bounded_wrapper``) and called through that
    pointer by code this rule cannot follow, often under the caller's lock."""
    if function.name in unit.call_sites:
        return False
    return re.search(rf"\b{re.escape(function.name)}\b", _file_scope_text(unit)) is None

"""Cython syntax trees from ``Cython.Compiler``: node helpers and the facts' shapes.

What every Cython analysis module shares: walking a node's children, naming a node's
type, reading declarators (``cdef double _buf[64]`` is the C array ``_buf``), the
lock vocabulary (``cython.pymutex``, ``PyMutex_Lock``...), and the small records the
analyses produce (:class:`CythonEvent`) and keep (:class:`_ModuleName`, :class:`_Scope`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model.finding import Location
from .python_vocabulary import MUTABLE_FACTORIES

_LOCK_NAME = re.compile(r"lock|mutex|_cond\b|condition|semaphore|\bsem\b", re.IGNORECASE)
# Cython 3.1 `cython.pymutex`, CPython's PyMutex and the old PyThread lock type.
_LOCK_TYPES = {"pymutex", "PyMutex", "PyThread_type_lock"}
_ACQUIRE_CALLS = {"PyMutex_Lock", "PyThread_acquire_lock", "pthread_mutex_lock", "acquire"}
_RELEASE_CALLS = {"PyMutex_Unlock", "PyThread_release_lock", "pthread_mutex_unlock", "release"}
_PYTHON_TYPES = {
    "object",
    "dict",
    "list",
    "set",
    "frozenset",
    "tuple",
    "str",
    "bytes",
    "unicode",
    "bytearray",
    "type",
    "int",
    "float",
    "complex",
    "slice",
}
_CONTAINER_TYPES = {"dict", "list", "set", "bytearray"}
# C-API lookups that return a borrowed reference owned by the container.
_BORROWING_LOOKUPS = {"PyDict_GetItem", "PyDict_GetItemString", "PyDict_GetItemWithError", "PyList_GET_ITEM"}
_CONSTRUCTION = {"__init__", "__cinit__", "__dealloc__", "__del__", "__new__"}


@dataclass
class CythonEvent:
    # "module-write" | "container-mutation" | "iteration" | "lazy-init" | "lazy-check"
    # | "instance-write" | "instance-call" | "instance-read"
    kind: str
    name: str  # the shared name ("_cache", "RandomState._aug_state.gauss")
    line: int
    column: int
    function: str
    detail: str = ""  # "=", "+=", "subscript", "del", "append", ...
    what: str = ""  # "C array", "C variable", "dict", ... (module state) / evidence (instances)
    related_line: int = 0  # the other half of a check-then-act
    in_nogil: bool = False
    location: Location | None = None


@dataclass
class _ModuleName:
    what: str  # "C array", "C pointer", "C variable", "C struct", a Python type, "object"
    container: bool = False


@dataclass
class _Scope:
    name: str
    locals: set[str]
    globals: set[str]
    class_name: str | None = None
    self_name: str | None = None
    acquired: int = 0
    checked: dict[str, int] = field(default_factory=dict)  # early-return checks: name -> line


def _children(node):
    for attribute in getattr(node, "child_attrs", ()):
        child = getattr(node, attribute, None)
        if child is None:
            continue
        if isinstance(child, list):
            yield from (item for item in child if hasattr(item, "pos"))
        elif hasattr(child, "pos"):
            yield child


def _type_name(node) -> str:
    return type(node).__name__


def _dotted(node) -> str | None:
    kind = _type_name(node)
    if kind == "NameNode":
        return node.name
    if kind == "AttributeNode":
        base = _dotted(node.obj)
        return f"{base}.{node.attribute}" if base else None
    return None


def _root_name(node) -> str | None:
    """``_buf`` for ``_buf[i]``, ``_state.a.b``, ``_arr[i].f``."""
    while _type_name(node) in ("AttributeNode", "IndexNode", "SliceIndexNode"):
        node = node.obj if _type_name(node) == "AttributeNode" else node.base
    return node.name if _type_name(node) == "NameNode" else None


def _declarator_name(declarator) -> tuple[str | None, str]:
    """The declared name and its shape: ``("_buf", "C array")`` for ``_buf[64]``."""
    shape = ""
    while True:
        kind = _type_name(declarator)
        if kind == "CNameDeclaratorNode":
            return declarator.name or None, shape
        if kind == "CArrayDeclaratorNode":
            shape = shape or "C array"
        elif kind in ("CPtrDeclaratorNode", "CReferenceDeclaratorNode"):
            shape = shape or "C pointer"
        elif kind == "CFuncDeclaratorNode":
            shape = shape or "function"
        base = getattr(declarator, "base", None)
        if base is None:
            return None, shape
        declarator = base


def _declarator_default(declarator):
    while declarator is not None:
        if _type_name(declarator) == "CNameDeclaratorNode":
            return declarator.default
        declarator = getattr(declarator, "base", None)
    return None


def _declared_type(var_def, declarator, known_classes: set[str]) -> _ModuleName:
    name, shape = _declarator_name(declarator)
    base = var_def.base_type
    type_name = getattr(base, "name", None) or ""
    if shape in ("C array", "C pointer"):
        return _ModuleName(shape)
    if getattr(base, "is_basic_c_type", False):
        return _ModuleName("C variable")
    if type_name in _PYTHON_TYPES or type_name in known_classes:
        default = _declarator_default(declarator)
        return _ModuleName(type_name, container=type_name in _CONTAINER_TYPES and default is not None)
    if type_name in _LOCK_TYPES:
        return _ModuleName("lock")
    if _type_name(base) == "CSimpleBaseTypeNode" and not type_name[:1].isupper() and "." not in type_name:
        # A C typedef / struct (`bitgen_t`, `aug_state`): extension types are CamelCase.
        return _ModuleName("C struct")
    return _ModuleName("object")


def _call_function_name(node) -> str | None:
    if _type_name(node) not in ("SimpleCallNode", "GeneralCallNode"):
        return None
    function = node.function
    if _type_name(function) == "NameNode":
        return function.name
    if _type_name(function) == "AttributeNode":
        return function.attribute
    return None


def _is_container_value(node) -> bool:
    if node is None:
        return False
    if _type_name(node) in ("ListNode", "DictNode", "SetNode", "ComprehensionNode"):
        return True
    return _call_function_name(node) in MUTABLE_FACTORIES


def _is_unset_value(node) -> bool:
    kind = _type_name(node)
    if kind in ("NoneNode", "NullNode"):
        return True
    if kind == "IntNode":
        return str(node.value) in ("0", "-1")
    if kind == "BoolNode":
        return not node.value
    return False


class _NameUses:
    """Names a function binds, declares global, and mentions (nested functions excluded)."""

    def __init__(self, body) -> None:
        self.bound: set[str] = set()
        self.globals: set[str] = set()
        self._walk(body)

    def _targets(self, node) -> None:
        kind = _type_name(node)
        if kind == "NameNode":
            self.bound.add(node.name)
        elif kind in ("TupleNode", "ListNode"):
            for item in node.args:
                self._targets(item)
        elif kind == "StarredUnpackingNode":
            self._targets(node.target)

    def _walk(self, node) -> None:
        kind = _type_name(node)
        if kind in ("DefNode", "CFuncDefNode", "LambdaNode", "PyClassDefNode", "CClassDefNode"):
            return
        if kind == "GlobalNode":
            self.globals.update(node.names)
        elif kind == "CVarDefNode":
            for declarator in node.declarators:
                name, _shape = _declarator_name(declarator)
                if name:
                    self.bound.add(name)
        elif kind in ("SingleAssignmentNode", "InPlaceAssignmentNode"):
            self._targets(node.lhs)
        elif kind == "CascadedAssignmentNode":
            for target in node.lhs_list:
                self._targets(target)
        elif kind in ("ForInStatNode", "ForFromStatNode", "ComprehensionNode"):
            target = getattr(node, "target", None)
            if target is not None:
                self._targets(target)
        elif kind == "WithStatNode" and node.target is not None:
            self._targets(node.target)
        elif kind == "ExceptClauseNode" and getattr(node, "target", None) is not None:
            self._targets(node.target)
        for child in _children(node):
            self._walk(child)


def _argument_names(function) -> set[str]:
    names = set()
    arguments = list(getattr(function, "args", []) or [])
    if _type_name(function) == "CFuncDefNode":
        declarator = function.declarator
        while declarator is not None and _type_name(declarator) != "CFuncDeclaratorNode":
            declarator = getattr(declarator, "base", None)
        arguments = list(declarator.args) if declarator is not None else []
    for argument in arguments:
        name, _shape = _declarator_name(argument.declarator)
        # An untyped argument (`def f(x)`) is parsed as a type named `x` with no name.
        names.add(name or getattr(argument.base_type, "name", None) or "")
    for star in ("star_arg", "starstar_arg"):
        value = getattr(function, star, None)
        if value is not None:
            names.add(getattr(value, "name", None) or "")  # a PyArgDeclNode
    names.discard("")
    return names


def function_name(function) -> str:
    if _type_name(function) == "CFuncDefNode":
        return _declarator_name(function.declarator)[0] or "?"
    return function.name


def _is_python_visible(function) -> bool:
    """``def`` and ``cpdef`` functions can be called from Python code."""
    return _type_name(function) == "DefNode" or bool(getattr(function, "overridable", False))


def _walk_nodes(node):
    """Every node under ``node`` (nested functions included; a try body rarely has any)."""
    pending = [node]
    while pending:
        current = pending.pop()
        yield current
        pending.extend(_children(current))


def _strip_get(node):
    if (
        _type_name(node) == "SimpleCallNode"
        and _type_name(node.function) == "AttributeNode"
        and node.function.attribute == "get"
    ):
        return node.function.obj
    return node


def _returns(body) -> bool:
    statements = body.stats if _type_name(body) == "StatListNode" else [body]
    return any(_type_name(statement) in ("ReturnStatNode", "RaiseStatNode") for statement in statements)
